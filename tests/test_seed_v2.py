"""Regression: the seed's version 2 (the space restored in «أبوبكرالبغدادي»), as committed.

Version 2 was made with `akhbar revise` (scripts/revise_seed_v2.py) and its
two review marks resolved by hand; this guards the published result.
"""

from __future__ import annotations

import json

from akhbar.format.corpus import load_document, read_text, sha256_hex
from akhbar.validate import validate_paths

from conftest import CORPUS, SEED_FILE, SEED_ID, SEED_SHA256

DOC_DIR = CORPUS / SEED_ID
V2_SHA256 = "a9ef78884977b9c43a183cb2facc05b033587f44d913932f40315e992c1d5fc8"
SPACE_AT = 1928  # between أبوبكر and البغدادي in the last paragraph


def test_version_chain_keeps_version_1_as_it_was():
    doc = load_document(DOC_DIR)
    assert [v.version for v in doc.versions] == [1, 2]
    v1, v2 = doc.versions
    assert v1.sha256 == SEED_SHA256 and (DOC_DIR / v1.file).read_bytes() == SEED_FILE.read_bytes()
    assert v2.sha256 == V2_SHA256 == sha256_hex((DOC_DIR / v2.file).read_bytes())
    assert v2.chars == v1.chars + 1 == 2011
    assert "space" in v2.note


def test_version_2_is_version_1_with_one_space_inserted():
    doc = load_document(DOC_DIR)
    t1, t2 = read_text(DOC_DIR, doc.version(1)), read_text(DOC_DIR, doc.version(2))
    assert t2 == t1[:SPACE_AT] + " " + t1[SPACE_AT:]
    assert t1[SPACE_AT - 6 : SPACE_AT + 8] == "أبوبكرالبغدادي"


def test_annotations_moved_to_version_2():
    ann = json.loads((DOC_DIR / "annotations.json").read_text(encoding="utf-8"))
    assert ann["text_version"] == 2 and ann["text_sha256"] == V2_SHA256
    # the v1 offsets, recomputed from the v1 text of each mention
    doc = load_document(DOC_DIR)
    t1, t2 = read_text(DOC_DIR, doc.version(1)), read_text(DOC_DIR, doc.version(2))
    by_id = {e["id"]: e for e in ann["entities"]}
    name = by_id["e80"]
    assert (name["start"], name["end"], name["label"], name["text"]) == (1922, 1937, "PERS", "أبوبكر البغدادي")
    for e in ann["entities"]:
        assert t2[e["start"] : e["end"]] == e["text"]
        assert "review" not in e
        if e["start"] > SPACE_AT:  # everything after the name moved by one
            assert t1[e["start"] - 1 : e["end"] - 1] == e["text"], e["id"]
        elif e["id"] != "e80":
            assert t1[e["start"] : e["end"]] == e["text"], e["id"]
    assert sorted(e["id"] for e in ann["entities"] if e["start"] > SPACE_AT) == ["e81", "e82", "e83"]
    assert ann["sentences"][-1]["end"] == 2011 == len(t2)
    assert all("review" not in s for s in ann["sentences"])


def test_seed_document_validates():
    report = validate_paths([DOC_DIR], corpus=CORPUS)
    assert report.valid and [p.code for p in report.problems] == []
