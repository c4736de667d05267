"""`akhbar revise`: what it writes, the seed's v1→v2 regression, every refusal, and atomicity.

Documents are made with the real `ingest`, annotations by hand, and results
checked with the real validator. Assertions are on files, offsets, counts
and exit statuses, never on message wording.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from pathlib import Path

import pytest
import yaml

import akhbar.format.atomic as atomic_module
import akhbar.versions.revise as revise_module
from akhbar.versions.align import EDITED_INSIDE, MARKED, REANCHORED, SHIFTED, UNCHANGED
from akhbar.cli import main
from akhbar.format.canonical import dumps_annotations, dumps_document
from akhbar.format.corpus import sha256_hex
from akhbar.versions.ingest import ingest
from akhbar.validate import validate_paths
from akhbar.format.index import INDEX_DIR

from conftest import REPO, SEED_ID, tree

TEXT = "خبر عن علي حسن\nقال علي حسن في بغداد إن الوضع هادئ. وأكد محمد ذلك في الجزائر.\n"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences for hand-made annotations: each line, cut after a full stop followed by a space."""
    spans, offset = [], 0
    for line in text.split("\n"):
        for m in re.finditer(r"\S.*?(?:\.(?=\s|$)|$)", line):
            start, end = offset + m.start(), offset + m.end()
            while text[end - 1].isspace():
                end -= 1
            spans.append((start, end))
        offset += len(line) + 1
    return spans


def annotations_for(doc_id: str, text: str, entities, review: dict | None = None) -> dict:
    """A valid annotations dict of version 1: every sentence, and entities given as (id, needle, nth, label, parent)."""
    ents = []
    for ident, needle, nth, label, parent in entities:
        start = -1
        for _ in range(nth + 1):
            start = text.index(needle, start + 1)
        ent = {"id": ident, "start": start, "end": start + len(needle), "label": label, "text": needle}
        if parent:
            ent["parent"] = parent
        if review and ident in review:
            ent["review"] = review[ident]
        ents.append(ent)
    return {
        "schema_version": "1.0",
        "document": doc_id,
        "text_version": 1,
        "text_sha256": sha256_hex(text.encode("utf-8")),
        "annotators": [{"id": "annotator-a", "role": "annotator"}],
        "sentences": [{"id": f"s{k + 1}", "start": s, "end": e} for k, (s, e) in enumerate(sentence_spans(text))],
        "entities": ents,
    }


ENTITIES = [
    ("e1", "علي حسن", 0, "PERS", None),
    ("e2", "علي حسن", 1, "PERS", None),
    ("e3", "بغداد", 0, "GPE", None),
    ("e4", "محمد", 0, "PERS", None),
    ("e5", "الجزائر", 0, "GPE", None),
]


@pytest.fixture
def doc(empty_repo, tmp_path_factory):
    """A valid, annotated document 'news-1' in a throwaway repository; returns (repo, doc_dir)."""
    seed = tmp_path_factory.mktemp("inbox") / "news.txt"
    seed.write_bytes(TEXT.encode("utf-8"))
    ingest(seed, "news-1", empty_repo / "corpus", date="2026-11-01")
    doc_dir = empty_repo / "corpus" / "news-1"
    (doc_dir / "annotations.json").write_text(dumps_annotations(annotations_for("news-1", TEXT, ENTITIES)),
                                              encoding="utf-8")
    assert validate_paths([doc_dir], corpus=empty_repo / "corpus").valid
    return empty_repo, doc_dir


def _revise(repo: Path, new_text: str | bytes, *extra, doc_id="news-1", note="Fixed a name.") -> int:
    new_file = repo / "new.txt"
    new_file.write_bytes(new_text.encode("utf-8") if isinstance(new_text, str) else new_text)
    return main(["revise", doc_id, "--text", str(new_file), "--note", note, "--corpus", str(repo / "corpus"), *extra])


def _load(doc_dir: Path):
    meta = yaml.safe_load((doc_dir / "document.yaml").read_text(encoding="utf-8"))
    ann = json.loads((doc_dir / "annotations.json").read_text(encoding="utf-8"))
    return meta, ann


# ------------------------------------------------------------------ what it writes

def test_revise_appends_version_2_and_carries_the_annotations(doc, capsys):
    repo, doc_dir = doc
    v1_bytes = (doc_dir / "text.v1.txt").read_bytes()
    new = TEXT.replace("في بغداد", "أمس في بغداد").replace("محمد", "محمود")
    assert _revise(repo, new, "--date", "2026-11-29", "--json") == 0
    report = json.loads(capsys.readouterr().out)

    assert (doc_dir / "text.v1.txt").read_bytes() == v1_bytes
    v2_bytes = (doc_dir / "text.v2.txt").read_bytes()
    assert v2_bytes == new.encode("utf-8")
    meta, ann = _load(doc_dir)
    v1, v2 = meta["versions"]
    assert (v2["version"], v2["file"], v2["sha256"], v2["chars"], v2["date"]) == (
        2, "text.v2.txt", sha256_hex(v2_bytes), len(new), "2026-11-29")
    assert v2["note"].startswith("Fixed a name.") and "normalisation" in v2["note"]
    assert (ann["text_version"], ann["text_sha256"]) == (2, v2["sha256"])
    assert {"id": "akhbar-revise", "role": "tool"} in ann["annotators"]
    assert (doc_dir / "annotations.json").read_text(encoding="utf-8") == dumps_annotations(ann)  # canonical

    ents = {e["id"]: e for e in ann["entities"]}
    assert [e["id"] for e in ann["entities"]] == ["e1", "e2", "e3", "e4", "e5"]  # same order, none dropped
    for e in ann["entities"]:
        assert e["text"] == new[e["start"]:e["end"]]
    assert ents["e1"]["start"] == TEXT.index("علي حسن") and "review" not in ents["e1"]
    assert ents["e3"]["start"] == TEXT.index("بغداد") + 4 and "review" not in ents["e3"]
    assert ents["e4"]["text"] == "محمود" and "review" in ents["e4"]
    assert ents["e5"]["start"] == TEXT.index("الجزائر") + 5

    assert report["counts"]["entity"] == {UNCHANGED: 2, SHIFTED: 2, EDITED_INSIDE: 0, REANCHORED: 0, MARKED: 1}
    # s2 and s3 had characters inserted or replaced strictly inside them: carried, not marked; e4 is the changed name
    assert report["counts"]["sentence"] == {UNCHANGED: 1, SHIFTED: 0, EDITED_INSIDE: 2, REANCHORED: 0, MARKED: 0}
    assert [m["id"] for m in report["moves"] if m["outcome"] == MARKED] == ["e4"]
    sents = {s["id"]: s for s in ann["sentences"]}
    assert new[sents["s2"]["start"]:sents["s2"]["end"]] == "قال علي حسن أمس في بغداد إن الوضع هادئ."
    assert new[sents["s3"]["start"]:sents["s3"]["end"]] == "وأكد محمود ذلك في الجزائر."
    assert report["version"]["version"] == 2
    # the edits in words (issue 15): two regions, each a whole word
    assert [(w["deleted"], w["inserted"], w["at"]) for w in report["word_edits"]] == [
        ("", "أمس", new.index("أمس")), ("محمد", "محمود", new.index("محمود"))]
    assert f"2 edit(s) in words: inserted «أمس» at {new.index('أمس')}, " in v2["note"]  # the form

    result = validate_paths([doc_dir], corpus=repo / "corpus")
    assert {p.code for p in result.errors} == {"review-pending"}
    assert len(result.errors) == 1  # e4, nothing else


def test_revise_prints_counts_and_ids(doc, capsys):
    repo, _ = doc
    assert _revise(repo, TEXT.replace("محمد", "محمود").replace("قال", "وقال")) == 0
    out = capsys.readouterr().out
    assert "e4" in out and "s3" in out and "e5" in out  # marked and shifted ids are listed
    assert re.search(r"entities: 5 kept: 1 unchanged, 3 shifted, 0 edited inside, 0 re-anchored, 1 marked", out)


def test_revise_normalises_like_ingest_and_records_it(doc):
    repo, doc_dir = doc
    raw = ("\ufeff" + TEXT.replace("هادئ", "هادئ جدا")).replace("\n", "\r\n").encode("utf-8")
    assert _revise(repo, raw) == 0
    meta, _ = _load(doc_dir)
    assert (doc_dir / "text.v2.txt").read_bytes() == TEXT.replace("هادئ", "هادئ جدا").encode("utf-8")
    assert "byte order mark" in meta["versions"][1]["note"] and "CRLF" in meta["versions"][1]["note"]


def test_a_second_revision_makes_version_3_and_keeps_unresolved_marks(doc):
    repo, doc_dir = doc
    v2 = TEXT.replace("محمد", "محمود")
    assert _revise(repo, v2) == 0
    assert _revise(repo, v2.replace("الجزائر", "الجزائر العاصمة")) == 0  # e4's mark is not resolved: still allowed
    meta, ann = _load(doc_dir)
    assert [v["version"] for v in meta["versions"]] == [1, 2, 3]
    assert (doc_dir / "text.v2.txt").read_bytes() == v2.encode("utf-8")
    e4 = next(e for e in ann["entities"] if e["id"] == "e4")
    assert "v1→v2" in e4["review"]  # the old mark travels along
    assert validate_paths([doc_dir], corpus=repo / "corpus").codes <= {"review-pending"}


def test_annotations_left_on_an_older_version_are_carried_from_the_text_they_count(doc):
    repo, doc_dir = doc
    v1_annotations = (doc_dir / "annotations.json").read_bytes()
    v2 = TEXT.replace("قال", "وقال")
    assert _revise(repo, v2) == 0
    (doc_dir / "annotations.json").write_bytes(v1_annotations)  # as if someone restored the v1 file
    assert validate_paths([doc_dir], corpus=repo / "corpus").valid  # only the annotations-not-current warning
    v3 = v2.replace("الجزائر", "تونس")
    assert _revise(repo, v3) == 0
    _, ann = _load(doc_dir)
    e3 = next(e for e in ann["entities"] if e["id"] == "e3")
    assert ann["text_version"] == 3 and e3["text"] == "بغداد" and e3["start"] == v3.index("بغداد")


def test_a_title_taken_from_the_headline_follows_its_correction(doc):
    repo, doc_dir = doc
    assert _revise(repo, TEXT.replace("خبر عن", "خبر جديد عن", 1)) == 0
    meta, _ = _load(doc_dir)
    assert meta["title"] == "خبر جديد عن علي حسن"


# ------------------------------------------------------------------ the seed's real typo

@pytest.fixture
def seed_v1(repo_copy):
    """A copy of the repository with the seed document as it was before version 2 (published in the corpus).

    Version 2 inserted one space at offset 1928; the version-1 annotations are
    the committed ones with that insertion undone (offsets after it minus one,
    texts sliced from version 1), the revise tool's annotator entry removed.
    """
    doc_dir = repo_copy / "corpus" / SEED_ID
    meta = yaml.safe_load((doc_dir / "document.yaml").read_text(encoding="utf-8"))
    if len(meta["versions"]) == 1:
        return repo_copy
    v1 = meta["versions"][0]
    (doc_dir / "text.v2.txt").unlink()
    meta["versions"] = [v1]
    (doc_dir / "document.yaml").write_text(dumps_document(meta), encoding="utf-8")
    text = (doc_dir / "text.v1.txt").read_text(encoding="utf-8")
    ann = json.loads((doc_dir / "annotations.json").read_text(encoding="utf-8"))
    cut = 1928
    for item in ann["sentences"] + ann["entities"]:
        item["start"] -= item["start"] > cut
        item["end"] -= item["end"] > cut
        if "text" in item:
            item["text"] = text[item["start"] : item["end"]]
        if item["id"] == "e80":  # its note speaks of version 2
            item.pop("note", None)
    ann.update(text_version=1, text_sha256=v1["sha256"])
    ann["annotators"] = [a for a in ann["annotators"] if a["role"] != "tool"]
    (doc_dir / "annotations.json").write_text(dumps_annotations(ann), encoding="utf-8")
    assert validate_paths([doc_dir], corpus=repo_copy / "corpus").valid
    return repo_copy


def _seed_script():
    spec = importlib.util.spec_from_file_location("revise_seed_v2", REPO / "scripts" / "revise_seed_v2.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SEED_ENTITIES = [
    ("e1", "داعش", 0, "ORG", None),
    ("e2", "ليبيا", 0, "GPE", None),
    ("e3", "أبوبكر البغدادي", 0, "PERS", None),
    ("e4", "تنظيم القاعدة في بلاد المغرب الإسلامي", 0, "ORG", None),
    ("e5", "بلاد المغرب الإسلامي", 0, "LOC", "e4"),
    ("e6", "داعش", 9, "ORG", None),  # «داعش» just before the typo, same sentence
    ("e7", "أبوبكرالبغدادي", 0, "PERS", None),  # the typo
    ("e8", "ليبيا", 11, "GPE", None),  # after the typo: «في ليبيا على الولاء»
]


def test_seed_v1_to_v2_migration_regression(seed_v1):
    repo_copy = seed_v1
    doc_dir = repo_copy / "corpus" / SEED_ID
    v1 = (doc_dir / "text.v1.txt").read_text(encoding="utf-8")
    v1_bytes = (doc_dir / "text.v1.txt").read_bytes()
    before = annotations_for(SEED_ID, v1, SEED_ENTITIES)
    assert before["entities"][7]["start"] > before["entities"][6]["end"]  # e8 really is after the typo
    (doc_dir / "annotations.json").write_text(dumps_annotations(before), encoding="utf-8")
    assert validate_paths([doc_dir], corpus=repo_copy / "corpus").valid

    script = _seed_script()
    assert script.run(["--corpus", str(repo_copy / "corpus"), "--date", "2026-11-29"]) == 0

    v2 = (doc_dir / "text.v2.txt").read_text(encoding="utf-8")
    typo = v1.index("أبوبكرالبغدادي")
    assert v2 == v1[: typo + 6] + " " + v1[typo + 6:]  # exactly one space inserted
    assert (doc_dir / "text.v1.txt").read_bytes() == v1_bytes
    meta, after = _load(doc_dir)
    assert len(meta["versions"]) == 2 and "أبوبكر البغدادي" in meta["versions"][1]["note"]

    old = {e["id"]: e for e in before["entities"]}
    new = {e["id"]: e for e in after["entities"]}
    assert new.keys() == old.keys()
    name = new["e7"]
    assert (name["start"], name["end"], name["text"]) == (typo, typo + 15, "أبوبكر البغدادي")
    assert "review" in name  # its own characters changed: a person confirms
    for ident in ("e1", "e2", "e3", "e4", "e5", "e6"):  # before the typo: untouched
        assert (new[ident]["start"], new[ident]["end"]) == (old[ident]["start"], old[ident]["end"])
        assert "review" not in new[ident]
    assert (new["e8"]["start"], new["e8"]["end"]) == (old["e8"]["start"] + 1, old["e8"]["end"] + 1)
    assert new["e8"]["text"] == "ليبيا" and "review" not in new["e8"]

    last = after["sentences"][-1]
    # the space went strictly inside the last sentence: its end moves with it, and no mark (issue 15)
    assert last["end"] == before["sentences"][-1]["end"] + 1 and "review" not in last
    assert all("review" not in s for s in after["sentences"])
    result = validate_paths([doc_dir], corpus=repo_copy / "corpus")
    assert sorted(p.pointer for p in result.errors) == ["/entities/6/review"]


def test_seed_v1_to_v2_with_the_gold_annotations(seed_v1):
    """The gold annotations of v1, carried by the script that made v2: only the name and its sentence move,
    and the result is the committed version 2 once its two review marks are resolved."""
    repo_copy = seed_v1
    doc_dir = repo_copy / "corpus" / SEED_ID
    _, before = _load(doc_dir)
    (name,) = [e for e in before["entities"] if e["text"] == "أبوبكرالبغدادي"]
    assert before["text_version"] == 1
    assert _seed_script().run(["--corpus", str(repo_copy / "corpus")]) == 0
    _, after = _load(doc_dir)
    cut = name["start"] + len("أبوبكر")  # where the space went
    for old, new in zip(before["entities"], after["entities"]):
        assert old["id"] == new["id"]
        if old["id"] == name["id"]:
            assert (new["start"], new["end"], new["text"]) == (old["start"], old["end"] + 1, "أبوبكر البغدادي")
            assert "review" in new
        else:
            shift = 1 if old["start"] >= cut else 0
            assert (new["start"], new["end"], new["text"]) == (old["start"] + shift, old["end"] + shift, old["text"])
            assert "review" not in new
    assert [s["id"] for s in after["sentences"] if "review" in s] == []  # edited inside: no mark (issue 15)
    assert {p.code for p in validate_paths([doc_dir], corpus=repo_copy / "corpus").errors} == {"review-pending"}
    committed = json.loads((REPO / "corpus" / SEED_ID / "annotations.json").read_text(encoding="utf-8"))

    def resolved(items):
        return [{k: v for k, v in item.items() if k not in ("review", "note")} for item in items]

    assert resolved(after["entities"]) == resolved(committed["entities"])
    assert resolved(after["sentences"]) == resolved(committed["sentences"])
    assert after["text_sha256"] == committed["text_sha256"]


def test_seed_script_refuses_a_document_already_at_version_2(seed_v1):
    repo_copy = seed_v1
    script = _seed_script()
    corpus = str(repo_copy / "corpus")
    assert script.run(["--corpus", corpus]) == 0
    before = tree(repo_copy)
    assert script.run(["--corpus", corpus]) == 2
    assert tree(repo_copy) == before


# ------------------------------------------------------------------ refusals: exit status, nothing written

@pytest.mark.parametrize(
    "case, status",
    [
        ("unknown-document", 2),
        ("identical", 2),
        ("identical-after-normalisation", 2),
        ("not-utf8", 2),
        ("empty-text", 2),
        ("missing-text-file", 2),
        ("empty-note", 2),
        ("bad-date", 2),
        ("annotations-invalid", 1),
        ("version-file-edited", 1),
        ("stray-next-version-file", 1),
    ],
)
def test_revise_refuses_and_writes_nothing(doc, capsys, case, status):
    repo, doc_dir = doc
    new, args, kwargs = TEXT.replace("محمد", "محمود"), [], {}
    if case == "unknown-document":
        kwargs["doc_id"] = "no-such-doc"
    elif case == "identical":
        new = TEXT
    elif case == "identical-after-normalisation":
        new = ("\ufeff" + TEXT).replace("\n", "\r\n").encode("utf-8")
    elif case == "not-utf8":
        new = TEXT.encode("utf-8") + b"\xff\xfe"
    elif case == "empty-text":
        new = " \n"
    elif case == "empty-note":
        kwargs["note"] = "  "
    elif case == "bad-date":
        args = ["--date", "29/11/2026"]
    elif case == "annotations-invalid":
        ann = json.loads((doc_dir / "annotations.json").read_text(encoding="utf-8"))
        ann["entities"][0]["end"] += 1  # text no longer matches the offsets
        (doc_dir / "annotations.json").write_text(dumps_annotations(ann), encoding="utf-8")
    elif case == "version-file-edited":
        (doc_dir / "text.v1.txt").write_bytes(TEXT.replace("هادئ", "هادىء").encode("utf-8"))
    elif case == "stray-next-version-file":
        (doc_dir / "text.v2.txt").write_bytes(b"leftover")
    before = tree(repo / "corpus")
    if case == "missing-text-file":
        code = main(["revise", "news-1", "--text", str(repo / "nope.txt"), "--note", "x", "--corpus", str(repo / "corpus")])
    else:
        code = _revise(repo, new, *args, **kwargs)
    assert code == status
    err = capsys.readouterr().err
    *problems, last = err.strip().splitlines()
    assert last.startswith("akhbar revise: error: ") and "Traceback" not in err
    # an invalid document: its problems first, printed exactly as `akhbar validate` prints them
    assert all(re.match(r"\S+?(:\d+:\d+)?: [a-z0-9-]+ ", line) for line in problems)
    assert tree(repo / "corpus") == before


# ------------------------------------------------------------------ atomicity

def _staging_left(repo: Path) -> list[str]:
    return [p.name for p in (repo / "corpus").iterdir() if p.name.startswith(".") and p.name != INDEX_DIR]


def test_a_failure_at_the_final_swap_leaves_the_document_as_it_was(doc, monkeypatch):
    repo, _ = doc
    before = tree(repo / "corpus")

    def fail(staging, target, create_only=False):
        raise OSError("disk full")

    monkeypatch.setattr(atomic_module, "replace_folder", fail)
    with pytest.raises(OSError):
        revise_module.revise("news-1", _write_new(repo), "note", repo / "corpus")
    assert tree(repo / "corpus") == before and _staging_left(repo) == []


def test_without_an_atomic_exchange_a_failed_second_rename_is_rolled_back(doc, monkeypatch):
    repo, _ = doc
    before = tree(repo / "corpus")
    monkeypatch.setattr(atomic_module, "exchange_folders", lambda a, b: False)
    real_rename, calls = os.rename, []

    def rename(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:  # the staged folder moving into place
            raise KeyboardInterrupt
        return real_rename(src, dst)

    monkeypatch.setattr(atomic_module.os, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        revise_module.revise("news-1", _write_new(repo), "note", repo / "corpus")
    assert tree(repo / "corpus") == before and _staging_left(repo) == []


def test_an_interruption_while_staging_leaves_the_document_as_it_was(doc, monkeypatch):
    repo, _ = doc
    before = tree(repo / "corpus")
    real_write, written = revise_module.atomic_write, []

    def write(path, data):
        written.append(path)
        if len(written) == 2:
            raise KeyboardInterrupt
        real_write(path, data)

    monkeypatch.setattr(revise_module, "atomic_write", write)
    with pytest.raises(KeyboardInterrupt):
        revise_module.revise("news-1", _write_new(repo), "note", repo / "corpus")
    assert tree(repo / "corpus") == before and _staging_left(repo) == []


def test_the_fallback_swap_works(doc, monkeypatch):
    repo, doc_dir = doc
    monkeypatch.setattr(atomic_module, "exchange_folders", lambda a, b: False)
    revise_module.revise("news-1", _write_new(repo), "note", repo / "corpus")
    assert (doc_dir / "text.v2.txt").is_file() and _staging_left(repo) == []


def test_the_document_folder_keeps_its_mode(doc):
    repo, doc_dir = doc
    mode = doc_dir.stat().st_mode
    modes = {p.name: p.stat().st_mode for p in doc_dir.iterdir()}
    revise_module.revise("news-1", _write_new(repo), "note", repo / "corpus")
    assert doc_dir.stat().st_mode == mode
    assert {p.name: p.stat().st_mode for p in doc_dir.iterdir() if p.name in modes} == modes
    assert (doc_dir / "text.v2.txt").stat().st_mode == modes["text.v1.txt"]


def _write_new(repo: Path) -> Path:
    path = repo / "new.txt"
    path.write_bytes(TEXT.replace("محمد", "محمود").encode("utf-8"))
    return path


@pytest.mark.parametrize("date", ["2026-W48-1", "2026-13-01", "29-11-2026"])
def test_revise_refuses_a_date_that_is_not_yyyy_mm_dd(doc, date):
    # regression: an ISO week date (2026-W48-1, ten characters) passed the old length-and-fromisoformat check
    repo, doc_dir = doc
    before = (doc_dir / "document.yaml").read_bytes()
    assert _revise(repo, TEXT.replace("محمد", "محمود"), "--date", date) == 2
    assert (doc_dir / "document.yaml").read_bytes() == before
    assert not (doc_dir / "text.v2.txt").exists()
