"""`akhbar import` end to end: what it writes, round trips through export, refusals that write nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from akhbar.cli import main
from akhbar.format.corpus import sha256_hex
from akhbar.dataset.export import read_jsonl
from akhbar.imports.conll import read_conll
from akhbar.format.index import INDEX_DIR
from akhbar.imports.model import Faults
from akhbar.validate import validate_paths

FIXTURES = Path(__file__).resolve().parent / "import_fixtures"


def _import(repo, fmt, *args):
    return main(["import", "--format", fmt, "--corpus", str(repo / "corpus"), "--date", "2026-12-01", *map(str, args)])


def _snapshot(repo):
    return sorted((str(p.relative_to(repo)), p.read_bytes() if p.is_file() else b"")
                  for p in repo.rglob("*"))


def _source_triples(path):
    """(surface, label, level) of every entity of a CoNLL file, by document id, read independently of the import."""
    faults = Faults()
    docs, _ = read_conll(path, path.read_text(encoding="utf-8"), faults)
    out = {}
    for d in docs:
        out[d.id] = sorted((s.text[e.start:e.end], e.label, e.level) for s in d.sentences for e in s.entities)
    return out


def _depths(entities):
    depth = {}
    for e in entities:
        depth[e.id] = 0 if e.parent is None else depth[e.parent] + 1
    return depth


def test_conll_import_validates_builds_and_round_trips(empty_repo, tmp_path, capsys):
    src = FIXTURES / "nested.conll"
    assert _import(empty_repo, "conll", src, "--id-prefix", "wj", "--annotator", "wojood-team") == 0
    out = capsys.readouterr().out
    assert "2 document(s), 3 sentence(s), 10 entit(ies)" in out
    corpus = empty_repo / "corpus"
    assert sorted(p.name for p in corpus.iterdir()) == [INDEX_DIR, "wj-d1", "wj-d2"]
    assert (empty_repo / "seeds" / "nested.conll").read_bytes() == src.read_bytes()
    meta = yaml.safe_load((corpus / "wj-d1" / "document.yaml").read_text(encoding="utf-8"))
    assert meta["source"]["file"] == "seeds/nested.conll" and meta["source"]["document"] == "d1"
    assert meta["source"]["sha256"] == sha256_hex(src.read_bytes())
    ann = json.loads((corpus / "wj-d1" / "annotations.json").read_text(encoding="utf-8"))
    assert ann["annotators"] == [{"id": "wojood-team", "role": "import"}]
    report = validate_paths([corpus])
    # valid; d2's «أمس» is a DATE and a TIME on one span (Wojood's nested columns): the guideline warning says so
    assert report.valid and [p.code for p in report.problems] == ["entity-same-span-labels"]
    assert main(["build", "--corpus", str(corpus), "--out", str(tmp_path / "ds")]) == 0

    # round trip: export jsonl gives back every source entity, same characters, label and level
    assert main(["export", "--corpus", str(corpus), "--format", "jsonl", "--out", str(tmp_path / "jl")]) == 0
    exported = {}
    for f in (tmp_path / "jl").glob("*.jsonl"):
        exported.update(read_jsonl(f))
    source = _source_triples(src)
    for doc_id, (text, annotations) in exported.items():
        depth = _depths(annotations.entities)
        got = sorted((text[e.start:e.end], e.label, depth[e.id]) for e in annotations.entities)
        assert got == source[doc_id.removeprefix("wj-")]

    # and export conll, read back with the import's own reader: the same entities at every level
    assert main(["export", "--corpus", str(corpus), "--format", "conll", "--out", str(tmp_path / "cl")]) == 0
    back = {}
    for f in (tmp_path / "cl").glob("*.conll"):
        # CoNLL-2003's -DOCSTART- line carries no id: the export lists them in <split>.documents.txt, in order
        ids = f.with_suffix(".documents.txt").read_text(encoding="utf-8").split()
        back.update(zip(ids, _source_triples(f).values(), strict=True))
    assert {k.removeprefix("wj-"): v for k, v in back.items()} == source


def test_jsonl_export_imports_back_unchanged(empty_repo, tmp_path):
    assert _import(empty_repo, "conll", FIXTURES / "nested.conll", "--id-prefix", "wj") == 0
    corpus = empty_repo / "corpus"
    assert main(["export", "--corpus", str(corpus), "--format", "jsonl", "--out", str(tmp_path / "jl")]) == 0
    other = tmp_path / "other"
    (other / "corpus").mkdir(parents=True)
    sources = sorted((tmp_path / "jl").glob("*.jsonl"))
    assert _import(other, "jsonl", *sources, "--split", "source") == 0
    for doc in ("wj-d1", "wj-d2"):
        for name in ("text.v1.txt", "annotations.json"):
            assert (other / "corpus" / doc / name).read_bytes() == (corpus / doc / name).read_bytes()
        a = yaml.safe_load((corpus / doc / "document.yaml").read_text(encoding="utf-8"))
        b = yaml.safe_load((other / "corpus" / doc / "document.yaml").read_text(encoding="utf-8"))
        assert (a["split"], a["title"]) == (b["split"], b["title"])


def test_conllu_select_news_half(empty_repo, capsys):
    assert _import(empty_repo, "conllu", FIXTURES / "news.conllu", "--select", "^n", "--id-prefix", "pud",
                   "--text-license", "CC-BY-SA-3.0", "--annotations-license", "CC-BY-SA-4.0") == 0
    corpus = empty_repo / "corpus"
    assert sorted(p.name for p in corpus.iterdir() if p.is_dir() and p.name != INDEX_DIR) == ["pud-n1"]
    assert (corpus / "pud-n1" / "text.v1.txt").read_text(encoding="utf-8") == "زار الرئيس مصر.\nوقال المتحدث: نعم\n"
    meta = yaml.safe_load((corpus / "pud-n1" / "document.yaml").read_text(encoding="utf-8"))
    assert meta["license"]["text_spdx"] == "CC-BY-SA-3.0" and meta["license"]["annotations"] == "CC-BY-SA-4.0"
    assert validate_paths([corpus]).valid


def test_share_alike_text_needs_share_alike_annotations(empty_repo):
    before = _snapshot(empty_repo)
    assert _import(empty_repo, "conllu", FIXTURES / "news.conllu", "--text-license", "CC-BY-SA-4.0") == 2
    assert _snapshot(empty_repo) == before


def test_faults_are_listed_and_nothing_is_written(empty_repo, capsys):
    before = _snapshot(empty_repo)
    assert _import(empty_repo, "conll", FIXTURES / "faults.conll") == 1
    err = capsys.readouterr().err
    assert "faults.conll:3: empty-token" in err and "faults.conll:4: column-count" in err
    assert "faults.conll:6: bad-tag" in err and "Traceback" not in err
    assert _snapshot(empty_repo) == before


def test_every_unmapped_label_is_listed_before_anything_is_written(empty_repo, capsys, tmp_path):
    before = _snapshot(empty_repo)
    assert _import(empty_repo, "conll", FIXTURES / "unmapped.conll") == 1
    err = capsys.readouterr().err
    assert err.count("label-unmapped") == 2  # PER and MISC, each once (LOC is a Wojood label)
    assert _snapshot(empty_repo) == before
    labels = tmp_path / "map.yaml"
    labels.write_text("labels:\n  PER: PERS\n  LOC: GPE\n  MISC: drop\n", encoding="utf-8")
    assert _import(empty_repo, "conll", FIXTURES / "unmapped.conll", "--labels", labels,
                   "--sentences-per-document", "1") == 0
    out = capsys.readouterr().out
    assert "dropped (label map): 1" in out
    ann = json.loads((empty_repo / "corpus" / "unmapped-u1" / "annotations.json").read_text(encoding="utf-8"))
    assert [(e["label"], e["text"]) for e in ann["entities"]] == [("PERS", "أحمد"), ("GPE", "مصر")]


def test_i_without_b_repaired_or_refused_with_strict(empty_repo, tmp_path, capsys):
    src = tmp_path / "ib.conll"
    src.write_text("-DOCSTART- a\nفي O\nمصر I-GPE\n", encoding="utf-8")
    before = _snapshot(empty_repo)
    assert _import(empty_repo, "conll", src, "--strict") == 1
    assert _snapshot(empty_repo) == before
    assert _import(empty_repo, "conll", src) == 0
    assert "repaired 1: i-without-b" in capsys.readouterr().out
    assert validate_paths([empty_repo / "corpus"]).valid


def test_documents_already_in_the_corpus_are_skipped_and_listed(empty_repo, capsys):
    assert _import(empty_repo, "conll", FIXTURES / "nested.conll", "--id-prefix", "a") == 0
    capsys.readouterr()
    assert _import(empty_repo, "conll", FIXTURES / "nested.conll", "--id-prefix", "b") == 0
    out = capsys.readouterr().out
    assert "0 document(s)" in out and out.count("skipped") == 2 and "'a-d1'" in out
    assert sorted(p.name for p in (empty_repo / "corpus").iterdir() if p.is_dir() and p.name != INDEX_DIR) == ["a-d1", "a-d2"]


def test_a_different_seed_with_the_same_name_is_refused(empty_repo, tmp_path):
    (empty_repo / "seeds" / "nested.conll").write_text("-DOCSTART- other\nمصر B-GPE\n", encoding="utf-8")
    before = _snapshot(empty_repo)
    assert _import(empty_repo, "conll", FIXTURES / "nested.conll") == 2
    assert _snapshot(empty_repo) == before


def test_dry_run_writes_nothing(empty_repo, capsys):
    before = _snapshot(empty_repo)
    assert _import(empty_repo, "conll", FIXTURES / "nested.conll", "--dry-run") == 0
    assert "would import 2 document(s)" in capsys.readouterr().out
    assert _snapshot(empty_repo) == before


def test_no_boundaries_needs_sentences_per_document(empty_repo, tmp_path):
    src = tmp_path / "flat.conll"
    src.write_text("".join(f"كلمة{i} O\n\n" for i in range(5)), encoding="utf-8")
    assert _import(empty_repo, "conll", src) == 2
    assert _import(empty_repo, "conll", src, "--sentences-per-document", "2", "--split", "test") == 0
    docs = sorted(p.name for p in (empty_repo / "corpus").iterdir() if p.is_dir() and p.name != INDEX_DIR)
    assert docs == ["flat-0001", "flat-0002", "flat-0003"]
    meta = yaml.safe_load((empty_repo / "corpus" / "flat-0003" / "document.yaml").read_text(encoding="utf-8"))
    assert meta["split"] == "test" and meta["source"]["document"] == "#3"


def test_split_from_source_pairs_and_file_names(empty_repo, tmp_path):
    train = tmp_path / "wojood-train.conll"
    shutil.copy(FIXTURES / "vocalised.conll", train)
    other = tmp_path / "misc.conll"
    other.write_text("-DOCSTART- m\nتونس B-GPE\n", encoding="utf-8")
    assert _import(empty_repo, "conll", other, "--split", "source") == 2  # no split for misc.conll
    assert _import(empty_repo, "conll", train, f"{other}=validation", "--split", "source") == 0
    split = {p.name: yaml.safe_load((p / "document.yaml").read_text(encoding="utf-8"))["split"]
             for p in (empty_repo / "corpus").iterdir() if p.is_dir() and p.name != INDEX_DIR}
    assert split == {"wojood-train-v1": "train", "misc-m": "validation"}


def test_brat_relations_reported_and_skipped_same_span_by_map(empty_repo, capsys):
    src = FIXTURES / "brat"
    assert _import(empty_repo, "brat", src) == 1  # ORG and NORP on one span, no rule
    assert "same-span-labels" in capsys.readouterr().err
    assert _import(empty_repo, "brat", src, "--labels", FIXTURES / "same_span.yaml") == 0
    out = capsys.readouterr().out
    assert "repaired 2: not-supported" in out  # the relation and the note
    ann = json.loads((empty_repo / "corpus" / "brat-story1" / "annotations.json").read_text(encoding="utf-8"))
    org, norp, gpe = ann["entities"]
    assert (org["label"], norp["label"], norp["parent"], gpe["text"]) == ("ORG", "NORP", org["id"], "ليبيا")
    assert len(ann["sentences"]) == 2
    assert (empty_repo / "seeds" / "story1.ann").is_file() and (empty_repo / "seeds" / "story1.txt").is_file()
    assert validate_paths([empty_repo / "corpus"]).valid


def test_label_studio_import_outside_the_bmp(empty_repo):
    assert _import(empty_repo, "label-studio", FIXTURES / "utf16.json", "--labels", FIXTURES / "ls_labels.yaml",
                   "--id-prefix", "ls") == 0
    ann = json.loads((empty_repo / "corpus" / "ls-7" / "annotations.json").read_text(encoding="utf-8"))
    text = (empty_repo / "corpus" / "ls-7" / "text.v1.txt").read_text(encoding="utf-8")
    assert [(text[e["start"]:e["end"]], e["label"]) for e in ann["entities"]] == [("الرئيس", "OCC"), ("القاهرة", "GPE")]
    assert ann["entities"][0]["start"] == 6  # 𝕏 is one code point (two UTF-16 units)


def test_jsonl_round_trip_keeps_entity_ids_notes_kb_sentence_ids_and_annotators(empty_repo, tmp_path):
    """Export jsonl → import jsonl gives the same annotations.json: entity ids (not renumbered), parents, kb, notes,
    sentence ids and annotators."""
    assert _import(empty_repo, "conll", FIXTURES / "nested.conll", "--id-prefix", "wj") == 0
    corpus = empty_repo / "corpus"
    path = corpus / "wj-d1" / "annotations.json"
    ann = json.loads(path.read_text(encoding="utf-8"))
    rename = {e["id"]: f"m-{len(ann['entities']) - k}" for k, e in enumerate(ann["entities"])}  # reversed numbers
    for e in ann["entities"]:
        e["id"] = rename[e["id"]]
        if e.get("parent"):
            e["parent"] = rename[e["parent"]]
    ann["entities"][0]["note"] = "unsure: ORG or GPE?"
    ann["entities"][-1]["kb"] = "Q79"
    ann["sentences"] = [dict(s, id=f"sent-{k}") for k, s in enumerate(ann["sentences"], start=7)]
    ann["annotators"] = [{"id": "hala", "role": "annotator"}]
    path.write_text(json.dumps(ann, ensure_ascii=False), encoding="utf-8")
    assert main(["fmt", str(corpus)]) == 0
    assert validate_paths([corpus]).valid
    assert main(["export", "--corpus", str(corpus), "--format", "jsonl", "--out", str(tmp_path / "jl")]) == 0
    other = tmp_path / "other"
    (other / "corpus").mkdir(parents=True)
    assert _import(other, "jsonl", *sorted((tmp_path / "jl").glob("*.jsonl")), "--split", "source") == 0
    for doc in ("wj-d1", "wj-d2"):
        assert (other / "corpus" / doc / "annotations.json").read_bytes() == (corpus / doc / "annotations.json").read_bytes()
    back = json.loads((other / "corpus" / "wj-d1" / "annotations.json").read_text(encoding="utf-8"))
    assert sorted(e["id"] for e in back["entities"]) == sorted(rename.values())
    assert [e.get("note") for e in back["entities"] if e.get("note")] == ["unsure: ORG or GPE?"]
    assert [e.get("kb") for e in back["entities"] if e.get("kb")] == ["Q79"]
    assert back["sentences"][0]["id"] == "sent-7" and back["annotators"] == [{"id": "hala", "role": "annotator"}]
    assert validate_paths([other / "corpus"]).valid


def test_label_map_keys_such_as_no_and_on_are_labels_not_booleans(empty_repo, tmp_path):
    source = tmp_path / "yesno.conll"
    source.write_text("-DOCSTART- d1\nالرئيس B-ON\nفي O\nالنرويج B-NO\n.\tO\n\n".replace("\t", " "), encoding="utf-8")
    labels = tmp_path / "map.yaml"
    labels.write_text("labels:\n  NO: GPE\n  ON: OCC\n", encoding="utf-8")
    assert _import(empty_repo, "conll", source, "--labels", labels, "--id-prefix", "yn") == 0
    ann = json.loads((empty_repo / "corpus" / "yn-d1" / "annotations.json").read_text(encoding="utf-8"))
    assert [(e["text"], e["label"]) for e in ann["entities"]] == [("الرئيس", "OCC"), ("النرويج", "GPE")]
