"""Fix hints: what a message adds so that its reader knows how to fix the problem. Pure functions.

Offsets are Unicode code points, 0-based, end exclusive. Occurrences of a
mention are found as `akhbar find` finds them (`format.find`), so a hint and
the command agree on what a whole-word occurrence is.
"""

from __future__ import annotations

import difflib
import unicodedata
from functools import lru_cache

from ..format.find import AFTER_PROCLITIC, WHOLE_WORD, find_occurrences
from ..format.labels import load_labels

__all__ = ["escape", "nearest_occurrence", "text_mismatch_hint", "closest_labels", "label_hint", "containing_entity",
           "containing_hint", "uncovered_occurrences", "duplicate_hint", "share_word_hint"]

_MAX_LISTED = 3


def escape(text: str, limit: int = 40) -> str:
    """`text` quoted with invisible and non-ASCII-space characters shown as escapes, shortened to `limit`."""
    out = []
    for ch in text[:limit]:
        cat = unicodedata.category(ch)
        if ch in "\\\"" or cat in ("Cc", "Cf", "Zl", "Zp") or (cat == "Zs" and ch != " ") or cat.startswith("M"):
            out.append(ch.encode("unicode_escape").decode("ascii") if ch != '"' else '\\"')
        else:
            out.append(ch)
    return '"' + "".join(out) + ('…"' if len(text) > limit else '"')


class _Span:
    """An entity dict seen as the `id`/`start`/`end` object `find_occurrences` expects."""

    __slots__ = ("id", "start", "end")

    def __init__(self, e: dict):
        self.id, self.start, self.end = e.get("id"), e["start"], e["end"]


def nearest_occurrence(text: str, needle: str, start: int):
    """The occurrence of `needle` in `text` closest to `start` (a whole-word one wins a tie), or None."""
    if not needle:
        return None
    found = find_occurrences(text, needle)
    if not found:
        return None
    return min(found, key=lambda o: (abs(o.start - start), o.kind != WHOLE_WORD))


def text_mismatch_hint(text: str, e: dict) -> str:
    """Where the entity's `text` really is, nearest its offsets, with the corrected offsets."""
    o = nearest_occurrence(text, e["text"], e["start"])
    if o is None:
        return f"; {escape(e['text'])} does not occur in the text: correct `text` to {escape(text[e['start']:e['end']])}"
    where = "" if o.kind == WHOLE_WORD else f" ({o.kind} {escape(o.word)})"
    return (f"; {escape(e['text'])} occurs nearest at {o.start}..{o.end}{where}: set start {o.start}, end {o.end} "
            f"(or correct `text`)")


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, tuple[str, ...]]:
    """Upper-cased CoNLL-2003 and OntoNotes tags -> the Akhbar labels they map from (labels.yaml)."""
    table: dict[str, list[str]] = {}
    for label in load_labels():
        for other in (label.conll2003, label.ontonotes):
            if other and other != "O" and label.name not in table.setdefault(other.upper(), []):
                table[other.upper()].append(label.name)
    return {k: tuple(v) for k, v in table.items()}


def closest_labels(value: str, names: list[str] | None = None) -> tuple[str, ...]:
    """The labels a mistyped `value` most likely means: same letters in another case, a synonym, or a near spelling."""
    names = names if names is not None else [label.name for label in load_labels()]
    if not isinstance(value, str) or not value.strip():
        return ()
    key = value.strip().upper()
    if key in names:
        return (key,)
    if key in _synonyms():
        return _synonyms()[key]
    prefix = [n for n in names if len(key) >= 3 and (n.startswith(key) or key.startswith(n))]
    if prefix:
        return tuple(prefix[:1])
    return tuple(difflib.get_close_matches(key, names, n=1, cutoff=0.6))


def label_hint(value) -> str:
    """'; did you mean PERS?' for "person", or '' when nothing is close."""
    close = closest_labels(value) if isinstance(value, str) else ()
    if not close:
        return ""
    return f"; did you mean {' or '.join(close)}?"


def containing_entity(e: dict, entities) -> tuple[int, dict] | None:
    """The smallest other entity whose span contains `e` (ties: the longest-listed first), or None."""
    best = None
    for j, other in entities:
        if other is e or other.get("id") == e.get("id"):
            continue
        if other["start"] <= e["start"] and e["end"] <= other["end"] and (other["start"], other["end"]) != (e["start"], e["end"]):
            if best is None or other["end"] - other["start"] < best[1]["end"] - best[1]["start"]:
                best = (j, other)
    return best


def containing_hint(e: dict, entities) -> str:
    """'; the entity containing it is e3 (/entities/2): set "parent": "e3"' or the advice to drop `parent`."""
    found = containing_entity(e, entities)
    if found is None:
        return "; no entity contains it: drop `parent`"
    j, other = found
    return f"; the entity containing it is {other.get('id')} {escape(other['text'])} (/entities/{j}): set \"parent\": \"{other.get('id')}\""


def uncovered_occurrences(text: str, needle: str, entities, label: str | None = None) -> list:
    """The occurrences of `needle` that are whole words or follow a proclitic and that no entity (of `label`) covers exactly."""
    spans = {(e["start"], e["end"]) for _, e in entities if label is None or e["label"] == label}
    return [o for o in find_occurrences(text, needle)
            if o.kind in (WHOLE_WORD, AFTER_PROCLITIC) and (o.start, o.end) not in spans]


def _listed(occurrences) -> str:
    shown = ", ".join(f"{o.start}..{o.end}" for o in occurrences[:_MAX_LISTED])
    return shown + (f" and {len(occurrences) - _MAX_LISTED} more" if len(occurrences) > _MAX_LISTED else "")


def duplicate_hint(text: str, e: dict, entities) -> str:
    """For a duplicate: the occurrences of its text that no entity of its label covers (the likely intended one)."""
    free = uncovered_occurrences(text, e["text"], entities, e["label"])
    if not free:
        return "; the text has no other unannotated occurrence: delete this entity"
    return (f"; {escape(e['text'])} also occurs unannotated at {_listed(free)}: this entity probably meant one of "
            f"those (move its offsets), otherwise delete it")


def share_word_hint(text: str, e: dict, other: dict, entities) -> str:
    """For two entities sharing a word: is nesting right (the inner span is whole words of the outer one)?"""
    outer, inner = (other, e) if other["start"] <= e["start"] and e["end"] <= other["end"] else (e, other)
    if not (outer["start"] <= inner["start"] and inner["end"] <= outer["end"]):
        return ("; two mentions written as one word: restore the space with `akhbar revise`, or keep one of them")
    o = next((o for o in find_occurrences(text[outer["start"]:outer["end"]], inner["text"])
              if o.start + outer["start"] == inner["start"]), None)
    if o is not None and o.kind in (WHOLE_WORD, AFTER_PROCLITIC):
        return f"; {inner.get('id')} is a whole word of {outer.get('id')}: set \"parent\": \"{outer.get('id')}\" on {inner.get('id')}"
    word = o.word if o is not None else text[inner["start"]:inner["end"]]
    free = uncovered_occurrences(text, inner["text"], entities)
    where = f"; whole-word occurrences not annotated: {_listed(free)}" if free else ""
    return (f"; {inner.get('id')} {escape(inner['text'])} is inside the word {escape(word)}, not a word of its own: "
            f"do not nest it; delete it or move it to a whole-word mention (`akhbar find`){where}")
