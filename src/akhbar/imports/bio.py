"""BIO tags of several nesting levels to entity spans, shared by the CoNLL and CoNLL-U readers.

Offsets are code points of the sentence text, end exclusive. Level 0 is the
first tag column (the outermost entities), level 1 the next, and so on.
Accepts IOB2 (`B-X`, `I-X`, `O`) and the `S-`/`E-` tags of BIOES. An `I-X`
that does not continue an `X` is a fault, repaired as `B-X` unless strict.
"""

from __future__ import annotations

import re

from .model import Faults, SourceEntity

__all__ = ["TAG", "bio_entities"]

TAG = re.compile(r"^(?:O|[BIES]-\S+)$")


def bio_entities(tags: list[list[str]], offsets, lines: list[int], faults: Faults, file) -> tuple[SourceEntity, ...]:
    """Entities of one sentence from `tags[i]` (the tags of token i, outermost first; missing columns are O).

    `offsets[i]` is token i's (start, end) in the sentence text and `lines[i]`
    its line in the source, for faults.
    """
    depth = max(map(len, tags), default=0)
    found: list[SourceEntity] = []
    for level in range(depth):
        current = None  # [start, end, label, line]
        for i, token_tags in enumerate(tags):
            tag = token_tags[level] if level < len(token_tags) else "O"
            if tag == "O":
                if current is not None:
                    current = _close(current, found, level)
                continue
            if not TAG.fullmatch(tag):
                faults.add("bad-tag", file, lines[i], f"tag {tag!r} in column {level + 2} is not O, B-X or I-X")
                current = _close(current, found, level)
                continue
            prefix, label = tag[0], tag[2:]
            if prefix in "IE" and (current is None or current[2] != label):
                if not faults.add("i-without-b", file, lines[i], f"{tag!r} in column {level + 2} does not continue "
                                  f"a B-{label}"):
                    current = _close(current, found, level)
                    continue
                prefix = "B" if prefix == "I" else "S"
            if prefix in "BS":
                current = _close(current, found, level)
                current = [offsets[i][0], offsets[i][1], label, lines[i]]
            else:
                current[1] = offsets[i][1]
            if prefix in "SE":
                current = _close(current, found, level)
        _close(current, found, level)
    return tuple(found)


def _close(current, found: list, level: int):
    if current is not None:
        found.append(SourceEntity(current[0], current[1], current[2], level, current[3]))
    return None
