"""Reader of brat standoff: a `.txt` and its `.ann` per document.

Text-bound annotations (`T1<TAB>Label start end<TAB>text`) become entities;
a `Sentence` annotation (as `akhbar export --format brat` writes) marks a
sentence. Everything else (relations, events, attributes, normalisations,
notes) and discontinuous spans are reported and skipped. brat offsets count
code points of the `.txt`. Without `Sentence` annotations, every non-blank
line of the text is one sentence. A SOURCE is a `.ann` file, a `.txt` file
or a folder searched for `.ann` files.
"""

from __future__ import annotations

import re
from pathlib import Path

from .model import Faults, SourceDocument, SourceEntity

__all__ = ["read_brat", "brat_files", "line_spans"]

_OFFSETS = re.compile(r"^(\d+) (\d+)$")


def brat_files(source: Path) -> list[tuple[Path, Path]]:
    """The (.txt, .ann) pairs a SOURCE names, in path order."""
    if source.is_dir():
        anns = sorted(source.rglob("*.ann"))
    else:
        anns = [source.with_suffix(".ann")]
    return [(a.with_suffix(".txt"), a) for a in anns]


def line_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of every non-blank line without its edge whitespace: the default sentences."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        body = m.group()
        stripped = body.strip()
        if stripped:
            start = m.start() + len(body) - len(body.lstrip())
            spans.append((start, start + len(stripped)))
    return tuple(spans)


def read_brat(txt: Path, text: str, ann: Path, ann_text: str, faults: Faults) -> SourceDocument:
    """One document from a `.txt` (decoded `text`) and its `.ann`."""
    entities, sentences = [], []
    for n, line in enumerate(ann_text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        parts = line.split("\t")
        ident = parts[0]
        if not ident.startswith("T"):
            kind = {"R": "relation", "E": "event", "A": "attribute", "M": "attribute", "N": "normalisation",
                    "#": "note", "*": "equivalence"}.get(ident[:1], "annotation")
            faults.add("not-supported", ann, n, f"{kind} {ident!r}: only text-bound annotations are imported")
            continue
        if len(parts) < 2 or " " not in parts[1]:
            faults.add("column-count", ann, n, f"{line[:60]!r} is not `T<n> TAB label start end TAB text`")
            continue
        label, frags = parts[1].split(" ", 1)
        m = _OFFSETS.fullmatch(frags)
        if m is None:
            if ";" in frags:
                faults.add("not-supported", ann, n, f"{ident}: discontinuous span {frags!r}")
            else:
                faults.add("column-count", ann, n, f"{ident}: offsets {frags!r} are not `start end`")
            continue
        start, end = int(m.group(1)), int(m.group(2))
        if label == "Sentence":
            sentences.append((start, end))
        else:
            entities.append(SourceEntity(start, end, label, None, n))
    spans = tuple(sorted(sentences)) if sentences else line_spans(text)
    return SourceDocument(txt, None, txt.stem, text=text, spans=spans, entities=tuple(entities))
