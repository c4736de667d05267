"""Edits as a person reads them: whole words inserted, deleted or replaced (for revise's report and note).

The alignment of `akhbar.versions.align` is character-level and stays so (it
decides where annotations go). Reported as they are, its edits can cut words
apart: inserting «اليوم » before «وزير» aligns the «و» of «اليوم» with the
one of «وزير» and gives two edits, «الي» and «م و». Here each edit is
widened to the whole words it touches (in the old and the new text), edits
that then meet are merged, and the words both sides still share at the edges
are dropped again: one edit, «اليوم» inserted.

Offsets are Unicode code points, 0-based, end exclusive; `at` is an offset in
the new text. Pure: no files.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .align import Alignment

__all__ = ["WordEdit", "word_edits", "describe_word_edits"]


@dataclass(frozen=True)
class WordEdit:
    """`deleted` (old text) became `inserted` (new text) at new offset `at`; edge whitespace trimmed, either may be empty."""

    old_start: int
    old_end: int
    new_start: int
    new_end: int
    deleted: str
    inserted: str
    at: int

    def describe(self, limit: int = 40) -> str:
        gone, came = _clip(self.deleted, limit), _clip(self.inserted, limit)
        if gone and came:
            return f"replaced «{gone}» with «{came}» at {self.at}"
        if came:
            return f"inserted «{came}» at {self.at}"
        if gone:
            return f"deleted «{gone}» at {self.at}"
        return f"changed whitespace at {self.at}"

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_word(c: str) -> bool:
    return unicodedata.category(c)[0] in "LMN"


def _inside_word_left(old: str, new: str, a: int, c: int) -> bool:
    """The left edge of a region at old `a`, new `c` falls inside a word of the old or the new text."""
    if a == 0 or not _is_word(old[a - 1]):
        return False
    return (a < len(old) and _is_word(old[a])) or (c < len(new) and _is_word(new[c]))


def _inside_word_right(old: str, new: str, b: int, d: int) -> bool:
    if b >= len(old) or not _is_word(old[b]):
        return False
    return (b > 0 and _is_word(old[b - 1])) or (d > 0 and _is_word(new[d - 1]))


def _tokens(text: str) -> list[str]:
    """Runs of word characters, and every other character alone."""
    out, word = [], ""
    for ch in text:
        if _is_word(ch):
            word += ch
            continue
        if word:
            out.append(word)
            word = ""
        out.append(ch)
    if word:
        out.append(word)
    return out


def _snapped(alignment: Alignment, old: str, new: str) -> list[list[int]]:
    """The edits widened to whole words and merged where they meet: [old_start, old_end, new_start, new_end]."""
    edits = alignment.edits
    out: list[list[int]] = []
    i = 0
    while i < len(edits):
        e = edits[i]
        a, b, c, d = e.old_start, e.old_end, e.new_start, e.new_end
        i += 1
        if _inside_word_left(old, new, a, c):
            floor = out[-1][1] if out else 0  # the unchanged run between the previous region and this one
            k = 0
            while a - k > floor and _is_word(old[a - k - 1]):
                k += 1
            a, c = a - k, c - k
        if out and a <= out[-1][1]:
            a, c = out[-1][0], out[-1][2]
            out.pop()
        while _inside_word_right(old, new, b, d):
            ceiling = edits[i].old_start if i < len(edits) else len(old)
            k = 0
            while b + k < ceiling and _is_word(old[b + k]):
                k += 1
            b, d = b + k, d + k
            if b == ceiling and i < len(edits):  # the word runs into the next edit: one region
                b, d = edits[i].old_end, edits[i].new_end
                i += 1
                continue
            break
        out.append([a, b, c, d])
    return out


def word_edits(alignment: Alignment, old: str, new: str) -> tuple[WordEdit, ...]:
    """The alignment's edits in whole words, in text order (see the module docstring)."""
    out = []
    for a, b, c, d in _snapped(alignment, old, new):
        gone, came = _tokens(old[a:b]), _tokens(new[c:d])
        while gone and came and gone[0] == came[0]:  # words both sides share at the start
            a, c = a + len(gone[0]), c + len(came[0])
            gone, came = gone[1:], came[1:]
        while gone and came and gone[-1] == came[-1]:
            b, d = b - len(gone[-1]), d - len(came[-1])
            gone, came = gone[:-1], came[:-1]
        deleted, inserted = old[a:b], new[c:d]
        if not deleted and not inserted:
            continue
        lead = len(inserted) - len(inserted.lstrip()) if inserted.strip() else 0
        out.append(WordEdit(a, b, c, d, deleted.strip(), inserted.strip(), c + lead))
    return tuple(out)


def describe_word_edits(edits: tuple[WordEdit, ...], shown: int = 5) -> str:
    """The edits as one line: "inserted «اليوم» at 61, deleted «أمس» at 120 and 3 more edit(s)"."""
    parts = [e.describe() for e in edits[:shown]]
    text = ", ".join(parts)
    if len(edits) > shown:
        text += f" and {len(edits) - shown} more edit(s)"
    return text
