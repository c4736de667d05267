"""`akhbar agree` on hand-made pairs with known answers (tests/review_fixtures.py).

The fixture text has 13 word tokens; A's entities span two nesting levels,
so kappa counts 26 (level, token) tags. Expected figures are worked out by
hand in each test's comment.
"""

from __future__ import annotations

import json

import pytest
import review_fixtures as fx

from akhbar.review.agree import agreement, cohen_kappa, disagreements
from akhbar.cli import main
from akhbar.format.model import Annotations


def _pair(b: dict):
    a = Annotations.from_dict(fx.annotations_a())
    report = agreement([("a", a), ("b", Annotations.from_dict(b))], fx.TEXT)
    (pair,) = report.pairs
    return report, pair


def _prf(scores):
    return (scores.precision, scores.recall, scores.f1)


def test_kappa_against_a_known_value():
    # Cohen's kappa's textbook example: 50 items, both yes 20, A yes/B no 5,
    # A no/B yes 10, both no 15: p_o = 0.7, p_e = 0.5, kappa = 0.4.
    a = ["yes"] * 20 + ["yes"] * 5 + ["no"] * 10 + ["no"] * 15
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa(["O"] * 5, ["O"] * 5) == 1.0  # chance agreement certain: identical
    with pytest.raises(ValueError):
        cohen_kappa(["O"], [])


def test_identical_files_agree_fully():
    report, pair = _pair(fx.annotations_a())
    assert report.tokens == 13 and pair.levels == 2 and pair.kappa_items == 26
    for scheme in ("strict", "exact", "partial", "ent_type"):
        assert _prf(pair.overall[scheme]) == (1.0, 1.0, 1.0)
    assert set(pair.per_label) == {"PERS", "ORG", "GPE", "DATE"}
    assert all(s["strict"].f1 == 1.0 for s in pair.per_label.values())
    assert pair.kappa == 1.0
    assert pair.disagreements == ()


def test_one_relabel():
    _, pair = _pair(fx.relabelled())
    strict = pair.overall["strict"]
    assert (strict.correct, strict.incorrect, strict.missed, strict.spurious) == (3, 1, 0, 0)
    assert _prf(strict) == (0.75, 0.75, 0.75)
    assert _prf(pair.overall["exact"]) == (1.0, 1.0, 1.0)  # spans all agree
    assert _prf(pair.per_label["ORG"]["strict"]) == (None, 0.0, 0.0)  # B has no ORG: precision undefined
    assert _prf(pair.per_label["FAC"]["strict"]) == (0.0, None, 0.0)
    # 2 of 26 tags differ (B-ORG I-ORG vs B-FAC I-FAC); A and B each: O 19, B-PERS 1, I-PERS 2,
    # B-DATE 1, B-GPE 1, and ORG/FAC 1+1: p_e = 368/676, p_o = 624/676, kappa = 256/308.
    assert pair.kappa == pytest.approx(256 / 308)
    assert [(d.kind, d.a.id, d.a.label, d.b.label) for d in pair.disagreements] == [("label", "e2", "ORG", "FAC")]


def test_one_boundary_shift():
    _, pair = _pair(fx.boundary_shift())
    assert _prf(pair.overall["strict"]) == (0.75, 0.75, 0.75)
    # partial: 3 correct + 1 partial (half credit) of 4 each way
    assert _prf(pair.overall["partial"]) == (0.875, 0.875, 0.875)
    assert _prf(pair.overall["ent_type"]) == (1.0, 1.0, 1.0)
    assert _prf(pair.per_label["PERS"]["strict"]) == (0.0, 0.0, 0.0)
    # سلمان becomes O at level 0: A (O 19, I-PERS 2) vs B (O 20, I-PERS 1):
    # p_o = 650/676, p_e = (19*20 + 1 + 2 + 1 + 1 + 1 + 1)/676 = 387/676.
    assert pair.kappa == pytest.approx(263 / 289)
    assert [(d.kind, d.a.start, d.a.end, d.b.start, d.b.end) for d in pair.disagreements] == [
        ("boundary", 4, 17, 4, 11)
    ]


def test_one_missing_nested_entity():
    _, pair = _pair(fx.missing_nested())
    strict = pair.overall["strict"]
    assert (strict.correct, strict.missed, strict.spurious) == (3, 1, 0)
    assert strict.precision == 1.0 and strict.recall == 0.75
    assert strict.f1 == pytest.approx(6 / 7)
    assert _prf(pair.per_label["GPE"]["strict"]) == (None, 0.0, 0.0)
    # level 1 loses its only B-GPE: p_o = 650/676, p_e = (19*20 + 1 + 4 + 1 + 1 + 1)/676 = 388/676.
    assert pair.kappa == pytest.approx(262 / 288)
    assert [(d.kind, d.a.id, d.b) for d in pair.disagreements] == [("only_a", "e3", None)]


def test_adjacent_entities_do_not_overlap():
    # nervaluate's ends are inclusive: an exclusive end passed as is would make
    # [0, 3) and [3, 5) overlap and count a partial match.
    b = fx.annotations_a()
    b["entities"] = [dict(b["entities"][0], label="PERS")]
    a = fx.annotations_a()
    a["entities"] = [dict(a["entities"][0], start=0, end=4, text=fx.TEXT[0:4])]
    report = agreement([("a", Annotations.from_dict(a)), ("b", Annotations.from_dict(b))], fx.TEXT)
    partial = report.pairs[0].overall["partial"]
    assert (partial.correct, partial.partial, partial.missed, partial.spurious) == (0, 0, 1, 1)


def test_disagreements_pair_nested_entities_by_span_first():
    a = Annotations.from_dict(fx.annotations_a()).entities
    b = Annotations.from_dict(fx.relabelled()).entities
    assert [d.kind for d in disagreements(b, a)] == ["label"]


def test_three_files_pairwise_and_mean(tmp_path, capsys):
    corpus = fx.write_corpus(tmp_path)
    b = fx.write_annotations(tmp_path / "b.json", fx.relabelled())
    c = fx.write_annotations(tmp_path / "c.json", fx.missing_nested())
    assert main(["agree", "review-fixture", str(b), str(c), "--format", "json", "--corpus", str(corpus)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["pairs"]) == 3
    f1s = [p["overall"]["strict"]["f1"] for p in out["pairs"]]
    # a-b 0.75, a-c 6/7; b-c: 2 correct (PERS, DATE), 1 incorrect (FAC/ORG), 1 missed (GPE) vs 3 in c
    assert f1s[0] == pytest.approx(0.75) and f1s[1] == pytest.approx(6 / 7)
    assert f1s[2] == pytest.approx(4 / 7)  # P = 2/3, R = 2/4
    assert out["mean"]["f1"]["strict"] == pytest.approx(sum(f1s) / 3)
    assert out["mean"]["kappa"] == pytest.approx(sum(p["kappa"] for p in out["pairs"]) / 3)


def test_cli_text_output(tmp_path, capsys):
    corpus = fx.write_corpus(tmp_path)
    b = fx.write_annotations(tmp_path / "b.json", fx.boundary_shift())
    assert main(["agree", "review-fixture", str(b), "--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "0.750" in out and "0.875" in out and "boundary" in out


def test_cli_refuses_a_single_file(tmp_path, capsys):
    corpus = fx.write_corpus(tmp_path)
    assert main(["agree", "review-fixture", "--corpus", str(corpus)]) == 2
    assert capsys.readouterr().err.count("error:") == 1


def test_sentence_by_sentence_scores_equal_whole_document_scores():
    # Regression guard for the per-sentence grouping (a speed-up): on the seed's
    # gold annotations with every 7th entity relabelled and every 5th shortened
    # by one character, the figures are the same as comparing the whole text at once.
    from conftest import CORPUS, SEED_ID

    from akhbar.review.agree import entity_scores

    data = json.loads((CORPUS / SEED_ID / "annotations.json").read_text(encoding="utf-8"))
    other = json.loads(json.dumps(data))
    for e in other["entities"][::7]:
        e["label"] = "LOC" if e["label"] != "LOC" else "GPE"
    for e in other["entities"][::5]:
        if e["end"] - e["start"] > 1:
            e["end"] -= 1
            e["text"] = e["text"][:-1]
    a, b = Annotations.from_dict(data), Annotations.from_dict(other)
    assert len(a.sentences) > 1
    grouped, whole = entity_scores(a.entities, b.entities, a.sentences), entity_scores(a.entities, b.entities)
    assert grouped == whole
    assert grouped[0]["strict"].f1 < 1.0 and grouped[0]["partial"].partial > 0
