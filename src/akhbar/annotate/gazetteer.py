"""The gazetteer recommender: names the corpus has already annotated, found again in a text. Pure.

Offsets are code points, 0-based, end exclusive. A gazetteer maps each
annotated surface form to its most frequent label, with the entities nested
in it (relative offsets), so that a name found again brings its inner
structure along (تنظيم الدولة الإسلامية في العراق والشام with العراق inside).

Matching is by whole words, longest first, left to right, without overlaps:
a form matches where it starts at a word start and ends at a word end; a
word that is a proclitic chain (و ف ب ك ل) plus the start of a form matches
after the proclitic (docs/guidelines.md, span rule 2), and a form that
itself begins with such a letter (بغداد) is found whole.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from ..arabic import is_proclitic_prefix
from ..spans import tokenize

__all__ = ["GAZETTEER", "Suggestion", "Gazetteer", "build_gazetteer", "match_gazetteer"]

GAZETTEER = "gazetteer"


@dataclass(frozen=True)
class Suggestion:
    """A suggested entity `text[start:end]`; `parent` is the index of its parent in the same list, or None."""

    start: int
    end: int
    label: str
    recommender: str
    parent: int | None = None


@dataclass(frozen=True)
class Gazetteer:
    """`forms`: surface form -> (label, inner entities as (relative start, relative end, label), outermost first)."""

    forms: dict

    def __len__(self) -> int:
        return len(self.forms)


def build_gazetteer(documents) -> Gazetteer:
    """A gazetteer from `(text, entities)` pairs; entities with a review mark (not accepted yet) are left out."""
    labels: dict[str, Counter] = {}
    inner: dict[tuple[str, str], Counter] = {}
    for text, entities in documents:
        accepted = [e for e in entities if e.review is None]
        children: dict[str, list] = {}
        for e in accepted:
            if e.parent is not None:
                children.setdefault(e.parent, []).append(e)
        for e in accepted:
            form = text[e.start:e.end]
            if not form.strip():
                continue
            labels.setdefault(form, Counter())[e.label] += 1
            nested = tuple(sorted((c.start - e.start, c.end - e.start, c.label) for c in _descendants(e.id, children)))
            inner.setdefault((form, e.label), Counter())[nested] += 1
    forms = {}
    for form, counts in labels.items():
        # most frequent label; ties go to the label first in alphabetical order, so the result is stable
        label = min(counts, key=lambda k: (-counts[k], k))
        nested = inner[(form, label)]
        forms[form] = (label, min(nested, key=lambda k: (-nested[k], k)))
    return Gazetteer(forms)


def _descendants(ident, children):
    """Every entity below `ident`, each once: a file the validator would refuse (a parent cycle, a chain
    thousands deep) is read without recursion and without looping."""
    seen, stack = {ident}, list(reversed(children.get(ident, ())))
    while stack:
        c = stack.pop()
        if c.id in seen:
            continue
        seen.add(c.id)
        yield c
        stack.extend(reversed(children.get(c.id, ())))


def match_gazetteer(text: str, gazetteer: Gazetteer, name: str = GAZETTEER) -> list[Suggestion]:
    """The gazetteer's names in `text`: longest whole-word match first, after a proclitic where there is one."""
    if not gazetteer.forms:
        return []
    tokens = tokenize(text)
    ends = [e for _, e in tokens]
    longest = max(len(f) for f in gazetteer.forms)
    out: list[Suggestion] = []
    k = 0
    while k < len(tokens):
        ws, we = tokens[k]
        hit = None
        # where the name may start in this word: the word start, or after a proclitic chain of 1-3 letters
        for begin in [ws] + [ws + c for c in range(1, min(3, we - ws - 1) + 1) if is_proclitic_prefix(text[ws:ws + c])]:
            hit = _longest_at(text, begin, gazetteer.forms, ends, longest)
            if hit:
                break
        if not hit:
            k += 1
            continue
        begin, end = hit
        label, nested = gazetteer.forms[text[begin:end]]
        parent = len(out)
        out.append(Suggestion(begin, end, label, name))
        index_of: dict[tuple[int, int], int] = {(0, end - begin): parent}
        for rs, re_, lab in sorted(nested, key=lambda x: (x[0], -x[1])):
            holder = min((span for span in index_of if span[0] <= rs and re_ <= span[1] and span != (rs, re_)),
                         key=lambda span: span[1] - span[0], default=(0, end - begin))
            index_of[(rs, re_)] = len(out)
            out.append(Suggestion(begin + rs, begin + re_, lab, name, index_of[holder]))
        while k < len(tokens) and tokens[k][0] < end:
            k += 1
    return out


def _longest_at(text: str, begin: int, forms: dict, ends: list[int], longest: int):
    lo, hi = bisect_right(ends, begin), bisect_right(ends, begin + longest)
    for end in reversed(ends[lo:hi]):
        if text[begin:end] in forms:
            return begin, end
    return None
