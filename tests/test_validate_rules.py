"""The guideline checks, the fix hints and the one-pass report (issue 14).

Each fix a message gives is applied to its fixture (tests/invalid/<code>/),
through the same pure functions the message is written from, and the fixed
file must validate with no problem left.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from akhbar.format.canonical import dumps_annotations
from akhbar.validate import validate_paths
from akhbar.validate import hints, rules
from akhbar.format.index import INDEX_DIR

FIXTURES = Path(__file__).resolve().parent
SAMPLE = FIXTURES / "valid" / "sample"


def _copy(case: Path, tmp_path: Path) -> tuple[Path, Path, dict, str]:
    target = tmp_path / "repo"
    shutil.copytree(case, target, symlinks=True)
    doc = next(p for p in (target / "corpus").iterdir() if p.is_dir() and p.name != INDEX_DIR)
    data = json.loads((doc / "annotations.json").read_text(encoding="utf-8"))
    text = (doc / f"text.v{data['text_version']}.txt").read_text(encoding="utf-8")
    return target / "corpus", doc, data, text


def _save(doc: Path, data: dict) -> None:
    (doc / "annotations.json").write_text(dumps_annotations(data), encoding="utf-8")


def _entity_at(data: dict, pointer: str) -> dict:
    return data["entities"][int(pointer.split("/")[2])]


def _report(corpus: Path):
    return validate_paths([corpus], corpus=corpus)


# ---------------------------------------------------------------- each fix, applied to its fixture

def _fix_text_mismatch(data, text, problem):
    e = _entity_at(data, problem.pointer)
    o = hints.nearest_occurrence(text, e["text"], e["start"])
    e.update(start=o.start, end=o.end)


def _fix_label(data, text, problem):
    e = _entity_at(data, problem.pointer)
    e["label"] = hints.closest_labels(e["label"])[0]


def _fix_parent(data, text, problem):
    e = _entity_at(data, problem.pointer)
    _, container = hints.containing_entity(e, list(enumerate(data["entities"])))
    e["parent"] = container["id"]


def _fix_duplicate(data, text, problem):
    e = _entity_at(data, problem.pointer)
    free = hints.uncovered_occurrences(text, e["text"], list(enumerate(data["entities"])), e["label"])
    if free:
        e.update(start=free[0].start, end=free[0].end)
    else:
        data["entities"].remove(e)


def _fix_shared_word(data, text, problem):
    e = _entity_at(data, problem.pointer)
    found = hints.containing_entity(e, list(enumerate(data["entities"])))
    assert found is not None, "the hint offers `parent` only for an entity inside another"
    e["parent"] = found[1]["id"]


def _fix_proclitic(data, text, problem):
    e = _entity_at(data, problem.pointer)
    forms = {x["text"] for x in data["entities"] if x["label"] == e["label"]}
    start, _, rest = rules.proclitic_fix(e, forms)
    e.update(start=start, text=rest)


def _fix_punctuation(data, text, problem):
    e = _entity_at(data, problem.pointer)
    start, end = rules.punctuation_fix(e, text)
    e.update(start=start, end=end, text=text[start:end])


def _delete(data, text, problem):
    data["entities"].remove(_entity_at(data, problem.pointer))


def _fix_annotators(data, text, problem):
    data["annotators"] = [{"id": "fixture-writer", "role": "annotator"}]


def _fix_sentence(data, text, problem):
    k = int(problem.pointer.split("/")[2])
    s = data["sentences"][k]
    stop, at, _ = rules.sentence_break(s, text)
    data["sentences"][k:k + 1] = [dict(s, end=stop), {"id": "s9", "start": at, "end": s["end"]}]


FIXES = {
    "entity-text-mismatch": _fix_text_mismatch,
    "label-unknown": _fix_label,
    "parent-missing": _fix_parent,
    "parent-not-containing": _fix_parent,
    "entity-duplicate": _fix_duplicate,
    "entity-proclitic-inside": _fix_proclitic,
    "entity-punctuation-edge": _fix_punctuation,
    "entity-splits-parent-word": _delete,
    "entity-same-span-labels": _delete,
    "annotators-missing": _fix_annotators,
    "sentence-holds-several": _fix_sentence,
}
CASES = sorted(p for code in [*FIXES, "entities-share-a-word"] for p in (FIXTURES / "invalid" / code).iterdir()
               if p.is_dir() and p.name != "two-mentions-in-one-word")  # that one needs a new text version


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_fix_the_message_gives_makes_the_fixture_valid(case, tmp_path):
    code = case.parent.name
    corpus, doc, data, text = _copy(case, tmp_path)
    before = [p for p in _report(corpus).problems if p.code == code]
    assert before
    fix = FIXES.get(code, _fix_shared_word)
    for problem in reversed(before):  # later entities first: deleting one keeps earlier pointers right
        fix(data, text, problem)
    _save(doc, data)
    after = _report(corpus)
    assert [(p.code, p.pointer) for p in after.problems] == []


def test_the_nested_word_hint_points_away_from_parent(tmp_path):
    """Issue 14: «الجزائر» inside «الجزائري» without parent is not told to set `parent`."""
    corpus, doc, data, text = _copy(SAMPLE, tmp_path)
    e4 = data["entities"][3]
    inner = {"id": "e8", "start": e4["start"], "end": e4["start"] + len("الجزائر"), "label": "GPE", "text": "الجزائر"}
    outer = dict(e4)
    del outer["parent"]
    assert "parent" not in hints.share_word_hint(text, inner, outer, list(enumerate(data["entities"])))
    assert "parent" in hints.share_word_hint(text, e4, data["entities"][2], list(enumerate(data["entities"])))


# ---------------------------------------------------------------- one pass

def test_every_independent_problem_is_reported_in_one_run(tmp_path):
    corpus, doc, data, text = _copy(SAMPLE, tmp_path)
    ents = data["entities"]
    ents[0]["label"] = "person"  # label-unknown
    ents[4]["start"] += 1  # entity-text-mismatch
    ents[4]["end"] += 1
    ents[3]["parent"] = "e99"  # parent-missing
    ents.append(dict(ents[5], id="e8"))  # entity-duplicate
    ents[6]["review"] = "check the date"  # review-pending
    ents[1].update(start=ents[1]["start"] - 1, text="و" + ents[1]["text"])  # entity-proclitic-inside
    year = text.index("2014")
    ents.append({"id": "e9", "start": year, "end": year + 4, "label": "CARDINAL", "text": "2014"})  # shares a word
    data["annotators"] = []  # annotators-missing
    data["sentences"].pop()  # sentence-gap
    _save(doc, data)
    report = _report(corpus)
    assert sorted(report.codes) == sorted({"label-unknown", "entity-text-mismatch", "parent-missing",
                                           "entity-duplicate", "review-pending", "entity-proclitic-inside",
                                           "entities-share-a-word", "annotators-missing", "sentence-gap"})
    assert len(report.problems) == 9


def test_a_skipped_check_is_reported_with_its_reason(tmp_path):
    corpus, doc, data, text = _copy(SAMPLE, tmp_path)
    data["text_sha256"] = "0" * 64
    _save(doc, data)
    report = _report(corpus)
    assert sorted((p.code, p.pointer) for p in report.problems) == [("check-skipped", "/text_version"),
                                                                   ("text-sha256-mismatch", "/text_sha256")]


# ---------------------------------------------------------------- the rules' conditions

def _ents(*spans):
    return [(i, {"id": f"e{i + 1}", "start": s, "end": e, "label": label, "text": t})
            for i, (s, e, label, t) in enumerate(spans)]


@pytest.mark.parametrize("name", ["بغداد", "لبنان", "فلسطين", "كندا", "واشنطن", "بيروت"])
def test_names_beginning_with_proclitic_letters_are_not_flagged(name):
    text = f"زار {name} ثم عاد إلى {name}"
    b = text.index(name)
    c = text.rindex(name)
    ents = _ents((b, b + len(name), "GPE", name), (c, c + len(name), "GPE", name))
    assert list(rules.proclitic_inside(ents, text)) == []


def test_a_proclitic_before_a_name_annotated_elsewhere_is_flagged_with_the_corrected_start():
    text = "في بنغازي ثم وبنغازي"
    ents = _ents((3, 9, "GPE", "بنغازي"), (13, 20, "GPE", "وبنغازي"))
    found = list(rules.proclitic_inside(ents, text))
    assert [(f.code, f.pointer) for f in found] == [("entity-proclitic-inside", "/entities/1/start")]
    assert rules.proclitic_fix(ents[1][1], {"بنغازي", "وبنغازي"})[0] == 14


def test_lam_that_absorbed_the_article_keeps_its_second_lam():
    text = "قال الظواهري إن للظواهري"
    ents = _ents((4, 12, "PERS", "الظواهري"), (16, 24, "PERS", "للظواهري"))
    assert rules.proclitic_fix(ents[1][1], {"الظواهري", "للظواهري"})[:3] == (17, "ل", "لظواهري")
    good = _ents((4, 12, "PERS", "الظواهري"), (17, 24, "PERS", "لظواهري"))
    assert list(rules.proclitic_inside(good, text)) == []
    text = "قالت بي بي سي للبي بي سي"  # PUD n01017: ل[لبي بي سي] is rule 4, not a proclitic inside
    ents = _ents((5, 13, "ORG", "بي بي سي"), (15, 24, "ORG", "لبي بي سي"))
    assert text[15:24] == "لبي بي سي" and list(rules.proclitic_inside(ents, text)) == []


@pytest.mark.parametrize("span, fires", [("«داعش»", True), ("داعش»", True), ("ليبيا.", True), ("(داعش)", True),
                                         ("6%", False), ("U.S.", False), ("سي إن إن (CNN)", False),
                                         ("داعش", False)])
def test_punctuation_at_an_edge(span, fires):
    text = f"قال {span} أمس"
    ents = _ents((4, 4 + len(span), "ORG", span))
    assert len(list(rules.punctuation_edge(ents, text))) == int(fires)


def test_same_span_with_two_labels_unless_declared():
    ents = _ents((0, 4, "GPE", "تونس"), (0, 4, "LOC", "تونس"))
    assert [f.code for f, _ in rules.same_span_labels(ents, frozenset())] == ["entity-same-span-labels"]
    assert list(rules.same_span_labels(ents, frozenset({frozenset({"GPE", "LOC"})}))) == []


@pytest.mark.parametrize("body, fires", [("قال إنه آمن. وأكد أن الحدود آمنة.", True),
                                         ("هل هو آمن؟ نعم.", True),
                                         ("قال د. أحمد إن الحدود آمنة.", False),
                                         ("قال أحمد ز. أمين إن الحدود آمنة.", False),
                                         ("ما تقوله... في الواقع أمر لا يصدق.", False),
                                         ('قال: "نحن على الدرب. الاتفاق سيبطئ التغير".', False),
                                         ("قال: «نحن على الدرب. الاتفاق سيبطئ التغير».", False)])
def test_a_sentence_unit_holding_two_sentences(body, fires):
    sentences = [(0, {"id": "s1", "start": 0, "end": len(body)})]
    assert len(list(rules.sentences_holding_several(sentences, body))) == int(fires)


def test_label_hints():
    assert hints.closest_labels("person") == ("PERS",)
    assert hints.closest_labels("PER") == ("PERS",)
    assert hints.closest_labels("gpe") == ("GPE",)
    assert set(hints.closest_labels("MISC")) >= {"NORP", "EVENT"}
    assert hints.closest_labels("zzz") == ()


def _walkthrough_draft(data: dict, text: str) -> None:
    """The first draft of the walk-through in docs/contributing.md (section "A walk-through")."""
    ents = data["entities"]
    data["annotators"] = []
    ents[4].update(start=ents[4]["start"] + 1, end=ents[4]["end"] + 1, label="person")
    ents[3]["parent"] = "e99"
    ents[5].update(start=ents[1]["start"], end=ents[1]["end"])
    year = text.index("2014")
    ents.append({"id": "e8", "start": year, "end": year + 4, "label": "CARDINAL", "text": "2014"})


def test_the_contributing_walkthrough_reaches_valid_in_two_rounds(tmp_path):
    corpus, doc, data, text = _copy(SAMPLE, tmp_path)
    _walkthrough_draft(data, text)
    _save(doc, data)
    first = _report(corpus)  # round 1: every problem at once
    assert sorted(first.codes) == ["annotators-missing", "entities-share-a-word", "entity-duplicate",
                                   "entity-text-mismatch", "label-unknown", "parent-missing"]
    for problem in sorted(first.problems, key=lambda p: p.line or 0, reverse=True):
        fix = FIXES.get(problem.code, _fix_shared_word)
        fix(data, text, problem)
    _save(doc, data)
    second = _report(corpus)  # round 2
    assert second.valid and second.problems == []


def test_proclitic_first_letters_cover_every_proclitic_chain():
    """rules.proclitic_fix skips a mention whose first letter starts no proclitic chain: the set must stay true."""
    import itertools

    from akhbar.arabic import is_proclitic_prefix
    from akhbar.validate.rules import _PROCLITIC_FIRST

    letters = [chr(c) for c in range(0x0621, 0x064B)] + ["\u0640"]
    firsts = {p[0] for n in (1, 2, 3) for p in map("".join, itertools.product(letters, repeat=n)) if is_proclitic_prefix(p)}
    assert firsts and firsts <= _PROCLITIC_FIRST
