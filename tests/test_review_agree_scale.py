"""`akhbar agree` across text versions, over whole passes (folders), and its O(n log n) pairing (issue 15)."""

from __future__ import annotations

import json
import shutil

import review_fixtures as fx
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.cli import main
from akhbar.format.canonical import dumps_document
from akhbar.format.model import Annotations, Entity
from akhbar.review.agree import agreement
from akhbar.review.disagreements import Disagreement, disagreements


def _naive_disagreements(a, b):
    """The quadratic pairing agree used before issue 15: the reference the fast one must equal."""
    key = lambda e: (e.start, e.end, e.label)  # noqa: E731
    b_left, a_left = list(b), []
    for e in a:
        twin = next((x for x in b_left if key(x) == key(e)), None)
        if twin is not None:
            b_left.remove(twin)
        else:
            a_left.append(e)
    out, rest = [], []
    for e in a_left:
        same = next((x for x in b_left if (x.start, x.end) == (e.start, e.end)), None)
        if same is not None:
            b_left.remove(same)
            out.append(Disagreement("label", e, same))
        else:
            rest.append(e)
    for e in rest:
        overlaps = [(min(e.end, x.end) - max(e.start, x.start), -i, x) for i, x in enumerate(b_left)]
        overlaps = [o for o in overlaps if o[0] > 0]
        if overlaps:
            partner = max(overlaps, key=lambda o: o[:2])[2]
            b_left.remove(partner)
            out.append(Disagreement("boundary" if partner.label == e.label else "boundary+label", e, partner))
        else:
            out.append(Disagreement("only_a", e, None))
    out += [Disagreement("only_b", None, x) for x in b_left]
    out.sort(key=lambda d: ((d.a or d.b).start, -(d.a or d.b).end))
    return tuple(out)


span = st.tuples(st.integers(0, 40), st.integers(1, 8), st.sampled_from(["PERS", "ORG", "GPE"]))


def _entities(raw, prefix):
    return tuple(Entity(f"{prefix}{k}", s, s + n, label, "x" * n) for k, (s, n, label) in enumerate(raw))


@settings(max_examples=300, deadline=None)
@given(st.lists(span, max_size=25), st.lists(span, max_size=25))
def test_fast_pairing_equals_the_quadratic_one(raw_a, raw_b):
    a, b = _entities(raw_a, "a"), _entities(raw_b, "b")
    assert disagreements(a, b) == _naive_disagreements(a, b)


def test_pairing_at_size_finds_every_shifted_partner():
    """10,000 entities each shifted by one character: every one a boundary disagreement with its neighbour."""
    a = tuple(Entity(f"a{k}", 10 * k, 10 * k + 5, "GPE", "x" * 5) for k in range(10_000))
    b = tuple(Entity(f"b{k}", 10 * k + 1, 10 * k + 6, "GPE", "x" * 5) for k in range(10_000))
    found = disagreements(a, b)
    assert len(found) == 10_000 and {d.kind for d in found} == {"boundary"}
    assert all(d.a.start + 1 == d.b.start for d in found)


# ------------------------------------------------------------------ across text versions

def test_agree_carries_an_older_file_onto_the_newer_version(tmp_path, capsys):
    corpus = fx.write_corpus(tmp_path)
    v2_text = "عاجل: " + fx.TEXT
    sha2 = fx.add_version(corpus, v2_text)
    v2 = fx.shifted(fx.relabelled(), v2_text, sha2, 2, len("عاجل: "))
    v2_file = fx.write_annotations(tmp_path / "v2.json", v2)
    assert main(["agree", fx.DOC_ID, str(v2_file), "--corpus", str(corpus), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["text_version"] == 2
    (doc,) = report["documents"]
    assert len(doc["carried"]) == 1 and doc["carried"][0].startswith(str(corpus / fx.DOC_ID / "annotations.json"))
    (pair,) = report["pairs"]
    strict = pair["overall"]["strict"]
    # the same as the relabel on one version: 3 correct, 1 incorrect (issue 15: carried, then compared)
    assert (strict["correct"], strict["incorrect"], strict["missed"], strict["spurious"]) == (3, 1, 0, 0)
    assert [d["kind"] for d in pair["disagreements"]] == ["label"]
    assert pair["disagreements"][0]["a"]["start"] == pair["disagreements"][0]["b"]["start"]  # on v2's offsets

    assert main(["agree", fx.DOC_ID, str(v2_file), "--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "text version 2" in out.splitlines()[0] and len(out.splitlines()[1]) > 0


# ------------------------------------------------------------------ whole passes

def _second_document(corpus, ident="review-fixture-2"):
    shutil.copytree(corpus / fx.DOC_ID, corpus / ident)
    meta = yaml.safe_load((corpus / ident / "document.yaml").read_text(encoding="utf-8"))
    meta["id"] = ident
    (corpus / ident / "document.yaml").write_text(dumps_document(meta), encoding="utf-8")
    return ident


def _for(data, ident):
    return dict(data, document=ident)


def test_agree_pools_two_pass_folders(tmp_path, capsys):
    corpus = fx.write_corpus(tmp_path)
    second, third = _second_document(corpus), _second_document(corpus, "review-fixture-3")
    pass_a, pass_b = tmp_path / "passes" / "a", tmp_path / "passes" / "b"
    (pass_a / "sub").mkdir(parents=True)
    pass_b.mkdir(parents=True)
    fx.write_annotations(pass_a / "one.json", fx.annotations_a())
    fx.write_annotations(pass_a / "sub" / "two.json", _for(fx.boundary_shift(), second))
    fx.write_annotations(pass_b / "x.json", fx.relabelled())  # paired by document, not by file name
    fx.write_annotations(pass_b / "y.json", _for(fx.annotations_a(), second))
    fx.write_annotations(pass_b / "z.json", _for(fx.annotations_a(), third))  # only in pass b
    assert main(["agree", str(pass_a), str(pass_b), "--corpus", str(corpus), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["document"] is None and [d["document"] for d in report["documents"]] == [fx.DOC_ID, second]
    assert report["unpaired"] == {str(pass_b): [third]}
    (pair,) = report["pairs"]

    # pooled = the sum of the two documents compared one by one
    one = agreement([("a", Annotations.from_dict(fx.annotations_a())), ("b", Annotations.from_dict(fx.relabelled()))], fx.TEXT).pairs[0]
    two = agreement([("a", Annotations.from_dict(fx.boundary_shift())), ("b", Annotations.from_dict(fx.annotations_a()))], fx.TEXT).pairs[0]
    for field in ("correct", "incorrect", "partial", "missed", "spurious"):
        assert pair["overall"]["strict"][field] == getattr(one.overall["strict"], field) + getattr(two.overall["strict"], field)
    assert pair["kappa_items"] == one.kappa_items + two.kappa_items == 52
    assert len(pair["disagreements"]) == len(one.disagreements) + len(two.disagreements) == 2
    assert [d["document"] for d in pair["disagreements"]] == [fx.DOC_ID, second]

    assert main(["agree", str(pass_a), str(pass_b), "--corpus", str(corpus)]) == 0
    assert "2 documents" in capsys.readouterr().out.splitlines()[0]


def test_agree_refuses_mixed_arguments_and_two_files_of_one_document_in_a_pass(tmp_path, capsys):
    corpus = fx.write_corpus(tmp_path)
    pass_a = tmp_path / "a"
    pass_a.mkdir()
    fx.write_annotations(pass_a / "one.json", fx.annotations_a())
    assert main(["agree", str(pass_a), fx.DOC_ID, "--corpus", str(corpus)]) == 2
    fx.write_annotations(pass_a / "again.json", fx.relabelled())
    assert main(["agree", str(pass_a), str(pass_a), "--corpus", str(corpus)]) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["agree", str(empty), str(pass_a), "--corpus", str(corpus)]) == 2
    err = capsys.readouterr().err
    assert err.count("error:") == 3 and "Traceback" not in err
