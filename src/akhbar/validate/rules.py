"""Guideline checks: the span rules of docs/guidelines.md that a machine can check. Pure generators of `Finding`s.

Offsets are Unicode code points, 0-based, end exclusive. Each rule is
decided so that it rarely fires falsely on real text; the figures (fires,
true, false on the seed document and on 215 UD Arabic-PUD documents) are in
docs/validation.md. Entities and sentences are `(index in the file, dict)`
pairs whose spans the engine has already placed in the text.

- proclitic inside an entity (span rule 2): only when the rest of the word is
  itself a mention of the same label in the document, since many names begin
  with the letters of a proclitic (بغداد، لبنان، فلسطين، كندا، واشنطن);
- punctuation at a span's edge (rule 5), except a closing bracket or quote
  opened inside the span, a percent sign and the full stop of an abbreviation;
- a nested entity whose boundary splits a word of its parent (التونسي ⊃ تونس);
- the same span with two labels (Nesting), unless labels.yaml declares the pair;
- no annotator recorded;
- a sentence unit holding a sentence-final mark followed by a new sentence,
  except after a one-letter abbreviation, in an ellipsis, or inside a quotation.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterator

from ..arabic import is_proclitic_prefix
from .hints import escape
from .report import Finding

__all__ = ["proclitic_fix", "punctuation_fix", "sentence_break", "proclitic_inside", "punctuation_edge", "splits_parent_word", "same_span_labels", "annotators_missing",
           "sentences_holding_several"]

_CLOSERS = {")": "(", "]": "[", "}": "{", "»": "«", "”": "“", "’": "‘", "›": "‹"}
_OPENERS = {v: k for k, v in _CLOSERS.items()}
_SYMMETRIC_QUOTES = "\"'"
_EDGE_OK = set("%٪‰#@")  # a percent sign ends a PERCENT; # and @ begin hashtags and handles
# a final mark, any closing quotes or brackets, whitespace, then the start of the next sentence
_BREAK = re.compile(r"([.!?؟]+)[\"'»”’)\]]*\s+(?=[\"«“(\[]?\w)")
_PROCLITIC_FIRST = frozenset("وفبكلـ")  # the first letters PROCLITIC_PREFIX can match (arabic.py)
_FINAL_MARK = re.compile(r"[.!?؟]")  # the marks _BREAK starts with
_ABBREVIATION = re.compile(r"(?:^|[\s.(])\w\.$")  # د. / U.S. / م.: one letter before the full stop


def _eid(e: dict) -> str:
    return str(e.get("id"))


def _word_char(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in "LMN"


def _first_word(text: str) -> str:
    return text.split(None, 1)[0] if text.split() else text


def proclitic_fix(e: dict, forms: set[str]) -> tuple[int, str, str] | None:
    """(corrected start, the proclitic, the rest) when `e` holds a proclitic before a form of `forms`, else None."""
    mention = e["text"]
    if mention[:1] not in _PROCLITIC_FIRST:  # every proclitic chain starts with one of these letters
        return None
    for cut in (1, 2, 3):
        prefix, rest = mention[:cut], mention[cut:]
        if len(rest) < 2:
            continue
        # the set lookups first: most mentions have no other form in the document, so the prefix is rarely parsed
        # ل that absorbed the article's alif (rule 4): للظواهري is ل + لظواهري, not ل + الظواهري
        if (rest in forms or (prefix[-1] == "ل" and rest[0] == "ل" and "ا" + rest in forms)) \
                and is_proclitic_prefix(prefix):
            return e["start"] + cut, prefix, rest
    return None


def proclitic_inside(entities, text: str) -> Iterator[Finding]:
    """Span rule 2: «وبنغازي» when «بنغازي» is a mention of the same label in the document; «للظواهري» beside «الظواهري»."""
    known: dict[str, set[str]] = {}
    for _, e in entities:
        known.setdefault(e["label"], set()).add(e["text"])
    for i, e in entities:
        fix = proclitic_fix(e, known[e["label"]])
        if fix is not None and e["text"][0] == "ل" and text[e["start"] - 1:e["start"]] == "ل":
            fix = None  # ل[لبي بي سي] in «للبي بي سي»: rule 4, the preposition is outside already
        if fix is not None:
            start, prefix, rest = fix
            yield Finding("entity-proclitic-inside", f"entity {_eid(e)} {escape(e['text'])} starts with the "
                          f"proclitic {escape(prefix)} ({e['label']} {escape(rest)} is annotated elsewhere or "
                          f"ل absorbed an article's alif, span rule 4); set start to {start}, text {escape(rest)} "
                          "(span rule 2)", pointer=f"/entities/{i}/start")


def _others(forms: set[str], mention: str) -> set[str]:
    """The forms that are not `mention` (a mention never proves itself)."""
    return forms - {mention}


def _balanced_closer(span: str) -> bool:
    """The span's last character closes a bracket or quote opened inside the span (not at its start): سي إن إن (CNN)."""
    last, inner = span[-1], span[1:-1]
    if last in _CLOSERS:
        return _CLOSERS[last] in inner
    if last in _SYMMETRIC_QUOTES:
        return inner.count(last) % 2 == 1
    return False


def _balanced_opener(span: str) -> bool:
    """The span's first character opens a bracket or quote closed inside the span (not at its end)."""
    first, inner = span[0], span[1:-1]
    if first in _OPENERS:
        return _OPENERS[first] in inner
    if first in _SYMMETRIC_QUOTES:
        return inner.count(first) % 2 == 1
    return False


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P") and ch not in _EDGE_OK


def punctuation_fix(e: dict, text: str) -> tuple[int, int] | None:
    """The corrected (start, end) when `e` starts or ends with punctuation rule 5 keeps out, else None."""
    span, start, end = e["text"], e["start"], e["end"]
    if len(span) < 2 or (span[0].isalnum() and span[-1].isalnum()):  # letters and digits are never punctuation
        return None
    b, f = start, end
    if _is_punct(span[0]) and not _balanced_opener(span):
        while b < f and (_is_punct(text[b]) or text[b].isspace()):
            b += 1
    if _is_punct(span[-1]) and not _balanced_closer(span) and not (span[-1] == "." and _ABBREVIATION.search(span)):
        while f > b and (_is_punct(text[f - 1]) or text[f - 1].isspace()):
            f -= 1
    return (b, f) if (b, f) != (start, end) and b < f else None


def punctuation_edge(entities, text: str) -> Iterator[Finding]:
    """Span rule 5: no quotation mark, bracket or punctuation at either end of an entity."""
    for i, e in entities:
        fix = punctuation_fix(e, text)
        if fix is not None:
            b, f = fix
            field = "start" if b != e["start"] else "end"
            yield Finding("entity-punctuation-edge", f"entity {_eid(e)} {escape(e['text'])} has punctuation at its "
                          f"{'edges' if b != e['start'] and f != e['end'] else field}; set start {b}, end {f}, text "
                          f"{escape(text[b:f])} (span rule 5)", pointer=f"/entities/{i}/{field}")


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The start of the word holding `start` and the end of the word holding `end - 1` (letters, marks, digits)."""
    b = start
    while b > 0 and _word_char(text[b - 1]):
        b -= 1
    f = end
    while f < len(text) and _word_char(text[f]):
        f += 1
    return b, f


def splits_parent_word(entities, text: str) -> Iterator[Finding]:
    """A nested entity (with `parent`) whose start or end falls inside a word, other than after a proclitic.

    «تونس» nested in «التونسي» is not a mention of Tunisia: it is part of the
    adjective. Setting `parent` on it hides `entities-share-a-word` without
    making it right.
    """
    by_id = {e["id"]: e for _, e in entities}
    for i, e in entities:
        p = by_id.get(e.get("parent"))
        if p is None or not (p["start"] <= e["start"] and e["end"] <= p["end"]):
            continue
        b, f = _word_bounds(text, e["start"], e["end"])
        cut_start = b < e["start"] and not is_proclitic_prefix(text[b:e["start"]])
        cut_end = f > e["end"]
        if cut_start or cut_end:
            word = text[b:f]
            yield Finding("entity-splits-parent-word", f"entity {_eid(e)} {escape(e['text'])} is part of the word "
                          f"{escape(word)} of its parent {_eid(p)} {escape(p['text'])}, not a word of its own: "
                          f"a mention inside a word is not nested (look for a whole-word mention with "
                          f"`akhbar find`)", pointer=f"/entities/{i}/{'start' if cut_start else 'end'}")


def same_span_labels(entities, legitimate: frozenset) -> Iterator[tuple[Finding, int]]:
    """Two entities with the same span and different labels, unless the pair is declared legitimate.

    `legitimate` holds frozensets of two labels (`same_span_pairs` of labels.yaml). Yields (finding, index).
    """
    seen: dict[tuple[int, int], list[tuple[int, dict]]] = {}
    for i, e in entities:
        key = (e["start"], e["end"])
        for j, other in seen.get(key, ()):
            if other["label"] != e["label"] and frozenset((other["label"], e["label"])) not in legitimate:
                yield Finding("entity-same-span-labels", f"entity {_eid(e)} {escape(e['text'])} has the same span "
                              f"{e['start']}..{e['end']} as {_eid(other)} (/entities/{j}) with the label "
                              f"{e['label']} instead of {other['label']}: one span, one label; keep the right one",
                              pointer=f"/entities/{i}/label"), i
                break
        seen.setdefault(key, []).append((i, e))


def annotators_missing(data: dict) -> Iterator[Finding]:
    """Annotations without anyone recorded as their author."""
    if data.get("annotators") == [] and (data.get("entities") or data.get("sentences")):
        yield Finding("annotators-missing", "the file has annotations but `annotators` is empty; add "
                      '{"id": "<your GitHub name>", "role": "annotator"}', pointer="/annotators")


def _inside_quotation(body: str, at: int) -> bool:
    """`body[at]` lies inside a quotation opened before it and closed after it."""
    before = body[:at]
    if before.count("«") > before.count("»") or before.count("“") > before.count("”"):
        return True
    return before.count('"') % 2 == 1 and '"' in body[at:]


def sentence_break(s: dict, text: str) -> tuple[int, int, str] | None:
    """(end of the first sentence, start of the next, the mark) for a unit holding two sentences, else None."""
    if _FINAL_MARK.search(text, s["start"], s["end"] - 1) is None:  # no mark before the last character: no break
        return None
    body = text[s["start"]:s["end"]]
    for m in _BREAK.finditer(body):
        marks = m.group(1)
        if marks == "." and _ABBREVIATION.search(body[: m.start(1) + 1]):
            continue
        if len(marks) > 1 and set(marks) == {"."}:  # an ellipsis: usually inside the sentence
            continue
        if _inside_quotation(body, m.start(1)):  # a quoted speech of several sentences is one sentence of ours
            continue
        return s["start"] + m.start() + len(m.group(0).rstrip()), s["start"] + m.end(), marks
    return None


def sentences_holding_several(sentences, text: str) -> Iterator[Finding]:
    """A sentence unit with a full stop, question or exclamation mark followed by the start of another sentence."""
    for i, s in sentences:
        found = sentence_break(s, text)
        if found is not None:
            stop, at, marks = found
            yield Finding("sentence-holds-several", f"sentence {s.get('id')} has {escape(marks)} followed by a new "
                          f"sentence {escape(text[at:at + 20])}; split it: end {s.get('id')} at {stop} and start "
                          f"a new sentence at {at}", pointer=f"/sentences/{i}/end")
