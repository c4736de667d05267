"""`akhbar build` and `akhbar.load` with the real `datasets` library, offline, each load in a fresh cache folder."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

import json  # noqa: E402
import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import datasets  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
import pytest  # noqa: E402
from conftest import CORPUS, tree  # noqa: E402
from corpus_fixture import DOCUMENTS, write_corpus  # noqa: E402

import akhbar  # noqa: E402
from akhbar.dataset.build import build, check, features  # noqa: E402
from akhbar.cli import main  # noqa: E402
from akhbar.errors import InvalidDataError  # noqa: E402
from akhbar.dataset.features import CONFIGS  # noqa: E402
from akhbar.dataset.rows import read_corpus, rows_of  # noqa: E402
from akhbar.spans import expand_to_tokens, iob_to_spans  # noqa: E402

ANNOTATED = {k: v for k, v in DOCUMENTS.items() if v[3]}
SPLITS = ("train", "validation", "test")


def expected_rows() -> dict[str, dict[str, int]]:
    """Rows per config and split, counted from the fixture's definition (not from the build)."""
    out = {c: {} for c in CONFIGS}
    for split, _text, sentences, entities in ANNOTATED.values():
        for config, n in (("documents", 1), ("sentences", len(sentences)), ("entities", len(entities)),
                          ("ner", len(sentences))):
            out[config][split] = out[config].get(split, 0) + n
    return out


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", True)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """The fixture corpus built once: (corpus folder, dataset folder)."""
    root = tmp_path_factory.mktemp("fixture")
    corpus = write_corpus(root / "repo")
    out = root / "dataset"
    build(corpus, out)
    return corpus, out


def load(folder: Path, config: str, cache: Path, **kwargs):
    return datasets.load_dataset(str(folder), config, cache_dir=str(cache), **kwargs)


def test_every_config_and_split_loads_with_the_declared_features_and_counts(built, tmp_path):
    _corpus, out = built
    want = expected_rows()
    for config in CONFIGS:
        ds = load(out, config, tmp_path / config)
        assert list(ds) == [s for s in SPLITS if s in want[config]]
        for split, d in ds.items():
            assert d.features == features()[config], (config, split)
            assert d.num_rows == want[config][split], (config, split)
    default = datasets.load_dataset(str(out), cache_dir=str(tmp_path / "default"))
    assert default["train"].features == features()["documents"]


def test_every_entity_text_equals_its_slice(built, tmp_path):
    _corpus, out = built
    docs = {r["id"]: r for r in load(out, "documents", tmp_path / "d", split="train+validation+test")}
    assert sorted(docs) == sorted(ANNOTATED)
    n = 0
    for d in docs.values():
        for e in d["entities"]:
            assert d["text"][e["start"] : e["end"]] == e["text"]
            n += 1
    entities = load(out, "entities", tmp_path / "e", split="train+validation+test")
    for e in entities:
        assert docs[e["doc_id"]]["text"][e["start"] : e["end"]] == e["text"]
    sentences = load(out, "sentences", tmp_path / "s", split="train+validation+test")
    m = 0
    for s in sentences:
        assert docs[s["doc_id"]]["text"][s["start"] : s["end"]] == s["text"]
        for e in s["entities"]:
            assert s["text"][e["start"] : e["end"]] == e["text"]
            m += 1
    assert n == m == len(entities) == sum(len(v[3]) for v in ANNOTATED.values())


def test_nesting_depth_and_parent_survive(built, tmp_path):
    _corpus, out = built
    rows = {(r["doc_id"], r["id"]): r for r in load(out, "entities", tmp_path / "e", split="train+validation+test")}
    assert rows[("t01-alpha", "e3")]["parent"] == "e2" and rows[("t01-alpha", "e3")]["depth"] == 1
    assert rows[("t01-alpha", "e1")]["depth"] == 0 and rows[("t01-alpha", "e1")]["kb"] == "Q1016"
    assert rows[("t02-beta", "e")]["sentence_id"] == "s2"


def test_streaming_works_for_every_config(built, tmp_path):
    _corpus, out = built
    for config in CONFIGS:
        stream = load(out, config, tmp_path / config, split="train", streaming=True)
        rows = list(stream)
        assert len(rows) == expected_rows()[config]["train"]
        assert stream.features == features()[config]


def test_ner_tags_convert_back_to_every_word_expanded_entity(built, tmp_path):
    _corpus, out = built
    ner = load(out, "ner", tmp_path / "n", split="train+validation+test")
    names = ner.features["ner_tags"].feature.names
    got = {}
    for row in ner:
        offsets = [(row["sentence_start"] + b, row["sentence_start"] + f)
                   for b, f in zip(row["token_starts"], row["token_ends"])]
        for depth, tags in enumerate([row["ner_tags"], *row["nested_ner_tags"]]):
            for span in iob_to_spans(offsets, [names[t] for t in tags]):
                got.setdefault(row["doc_id"], []).append((depth, span))
    entities = load(out, "entities", tmp_path / "e", split="train+validation+test")
    docs = {r["id"]: r for r in load(out, "documents", tmp_path / "d", split="train+validation+test")}
    label = entities.features["label"].int2str
    want = {}
    for e in entities:
        sentence = next(s for s in docs[e["doc_id"]]["sentences"] if s["id"] == e["sentence_id"])
        tokens = [(r["sentence_start"] + b, r["sentence_start"] + f) for r in ner
                  if r["doc_id"] == e["doc_id"] and r["id"] == sentence["id"]
                  for b, f in zip(r["token_starts"], r["token_ends"])]
        want.setdefault(e["doc_id"], []).append((e["depth"], (*expand_to_tokens(tokens, e["start"], e["end"]),
                                                              label(e["label"]))))
    assert {k: sorted(v) for k, v in got.items()} == {k: sorted(v) for k, v in want.items()}
    # the clitic case: تونس inside وتونس tags the whole word
    row = next(r for r in ner if r["doc_id"] == "t02-beta" and r["id"] == "s1")
    assert row["tokens"] == ["مصر", "وتونس"] and [names[t] for t in row["ner_tags"]] == ["B-GPE", "B-GPE"]


def test_the_real_corpus_tags_give_every_entity_its_word_expanded_span():
    corpus = read_corpus(CORPUS)
    if not corpus.documents:
        pytest.skip("the real corpus has no annotated document yet")
    levels = max(corpus.max_depth + 1, 1)
    for doc in corpus.documents:
        rows = rows_of([doc], levels)
        tokens = {r["id"]: [(r["sentence_start"] + b, r["sentence_start"] + f)
                            for b, f in zip(r["token_starts"], r["token_ends"])] for r in rows["ner"]}
        names = features()["ner"]["ner_tags"].feature.names
        got = sorted((depth, span) for r in rows["ner"]
                     for depth, tags in enumerate([r["ner_tags"], *r["nested_ner_tags"]])
                     for span in iob_to_spans(tokens[r["id"]], [names[t] for t in tags]))
        want = sorted((e["depth"], (*expand_to_tokens(tokens[e["sentence_id"]], e["start"], e["end"]),
                                    features()["entities"]["label"].int2str(e["label"])))
                      for e in rows["entities"])
        assert got == want, doc.document.id
        for e in rows["entities"]:
            assert doc.text[e["start"] : e["end"]] == e["text"]


def test_files_layout_card_and_plain_parquet(built):
    corpus, out = built
    fp = read_corpus(corpus).fingerprint[:12]
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert names == sorted(["README.md", "CITATION.cff", "LICENSE.md", "croissant.json", "datasheet.md", "SHA256SUMS",
                            "labels/entity_labels.parquet", "labels/ner_tags.parquet"] + [
        f"data/{c}/{s}-{fp}-00000-of-00001.parquet" for c in CONFIGS for s in SPLITS])
    assert (out / "CITATION.cff").read_bytes() == (corpus.parent / "CITATION.cff").read_bytes()
    table = pq.read_table(out / f"data/entities/train-{fp}-00000-of-00001.parquet")  # plain Parquet
    assert table.num_rows == expected_rows()["entities"]["train"]
    import yaml

    meta = yaml.safe_load((out / "README.md").read_text(encoding="utf-8").split("---\n")[1])
    assert [c["config_name"] for c in meta["configs"]] == list(CONFIGS)
    assert [c.get("default", False) for c in meta["configs"]] == [True, False, False, False]
    assert meta["license"] == "other" and meta["language"] == ["ar"]
    for key in ("pretty_name", "license_name", "license_link", "task_categories", "task_ids", "annotations_creators",
                "language_creators", "multilinguality", "size_categories", "source_datasets", "dataset_info"):
        assert key in meta, key
    info = {i["config_name"]: i for i in meta["dataset_info"]}
    for config in CONFIGS:
        assert datasets.Features._from_yaml_list(info[config]["features"]) == features()[config]
        assert {s["name"]: s["num_examples"] for s in info[config]["splits"]} == expected_rows()[config]
    body = (out / "README.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    headings = [line for line in body.splitlines() if line.startswith("## ")]
    for section in ("## Tag set", "## Loading", "## Fields", "## Text versions", "## Licence", "## Citation"):
        assert section in headings, section
    assert "text.v<N>.txt" in body and 'revision="<tag>"' in body  # how to get an earlier text version


def test_build_is_deterministic_and_check_says_up_to_date(built, tmp_path):
    corpus, out = built
    again = tmp_path / "again"
    build(corpus, again)
    assert tree(again) == tree(out)
    assert check(corpus, out) == []
    assert main(["build", "--corpus", str(corpus), "--check", str(out)]) == 0


def _edit_label(corpus: Path, doc_id: str, entity_id: str, label: str) -> None:
    path = corpus / doc_id / "annotations.json"
    from akhbar.format.canonical import dumps_annotations

    data = json.loads(path.read_text(encoding="utf-8"))
    for e in data["entities"]:
        if e["id"] == entity_id:
            e["label"] = label
    path.write_text(dumps_annotations(data), encoding="utf-8")


def test_check_exits_1_when_the_corpus_changed_or_a_file_was_touched(built, tmp_path):
    corpus, out = built
    repo = tmp_path / "repo"
    shutil.copytree(corpus.parent, repo)
    copy = tmp_path / "dataset"
    shutil.copytree(out, copy)
    _edit_label(repo / "corpus", "t01-alpha", "e4", "TIME")
    assert main(["build", "--corpus", str(repo / "corpus"), "--check", str(copy)]) == 1
    assert main(["build", "--corpus", str(corpus), "--check", str(copy)]) == 0
    (copy / "LICENSE.md").write_text("changed", encoding="utf-8")
    assert main(["build", "--corpus", str(corpus), "--check", str(copy)]) == 1


def test_a_rebuild_with_changed_data_is_never_served_stale(built, tmp_path):
    corpus, _out = built
    repo = tmp_path / "repo"
    shutil.copytree(corpus.parent, repo)
    out, cache = tmp_path / "dataset", tmp_path / "hf-cache"
    assert main(["build", "-q", "--corpus", str(repo / "corpus"), "--out", str(out)]) == 0
    before = load(out, "entities", cache, split="train")
    row = next(r for r in before if r["doc_id"] == "t01-alpha" and r["id"] == "e4")
    assert before.features["label"].int2str(row["label"]) == "DATE"

    _edit_label(repo / "corpus", "t01-alpha", "e4", "TIME")
    assert main(["build", "-q", "--corpus", str(repo / "corpus"), "--out", str(out)]) == 0
    after = load(out, "entities", cache, split="train")  # same folder, same HF cache
    row = next(r for r in after if r["doc_id"] == "t01-alpha" and r["id"] == "e4")
    assert after.features["label"].int2str(row["label"]) == "TIME"
    assert not list(tmp_path.glob(".dataset.*"))  # no temporary folder left beside it


def test_an_interrupted_build_leaves_the_previous_folder_intact(built, tmp_path, monkeypatch):
    corpus, out = built
    copy = tmp_path / "dataset"
    shutil.copytree(out, copy)
    before = tree(copy)
    import akhbar.dataset.build as build_module

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "render_card", interrupted)  # after the Parquet files, before the card
    repo = tmp_path / "repo"
    shutil.copytree(corpus.parent, repo)
    _edit_label(repo / "corpus", "t01-alpha", "e4", "TIME")
    assert main(["build", "-q", "--corpus", str(repo / "corpus"), "--out", str(copy)]) == 130
    assert tree(copy) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset", "repo"]


def test_refuses_to_replace_a_folder_that_is_not_a_build(built, tmp_path):
    corpus, _out = built
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "mine.txt").write_text("keep me", encoding="utf-8")
    assert main(["build", "--corpus", str(corpus), "--out", str(precious)]) == 2
    assert tree(precious) == {"mine.txt": b"keep me"}


def test_refuses_to_write_inside_the_corpus(built, tmp_path):
    corpus, _out = built
    repo = tmp_path / "repo"
    shutil.copytree(corpus.parent, repo)
    before = tree(repo)
    assert main(["build", "--corpus", str(repo / "corpus"), "--out", str(repo / "corpus" / "dataset")]) == 2
    assert main(["build", "--corpus", str(repo / "corpus"), "--out", str(repo / "corpus")]) == 2
    assert tree(repo) == before


def test_refuses_an_invalid_corpus(built, tmp_path, capsys):
    corpus, _out = built
    repo = tmp_path / "repo"
    shutil.copytree(corpus.parent, repo)
    _edit_label(repo / "corpus", "t01-alpha", "e4", "NOT-A-LABEL")
    out = tmp_path / "dataset"
    assert main(["build", "--corpus", str(repo / "corpus"), "--out", str(out)]) == 1
    assert "t01-alpha" in capsys.readouterr().err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]


def test_two_entities_of_one_level_in_one_word_are_refused(tmp_path):
    docs = {"t09-clash": ("train", "وليبيا.", ["وليبيا."], [("a", "و", "ORG", 0, None, None),
                                                            ("b", "ليبيا", "GPE", 0, None, None)])}
    corpus = write_corpus(tmp_path / "repo", docs)
    with pytest.raises(InvalidDataError):
        build(corpus, tmp_path / "dataset", validate=False)
    assert not (tmp_path / "dataset").exists()


def test_a_corpus_with_nothing_annotated_is_refused(tmp_path):
    corpus = write_corpus(tmp_path / "repo", {"t05-empty": DOCUMENTS["t05-empty"]})
    assert main(["build", "--corpus", str(corpus), "--out", str(tmp_path / "dataset")]) == 1
    assert not (tmp_path / "dataset").exists()


def test_akhbar_load_builds_once_per_corpus_content(built, tmp_path):
    corpus, _out = built
    cache = tmp_path / "akhbar-cache"
    ner = akhbar.load("ner", split="validation", corpus=corpus, cache=cache, cache_dir=str(tmp_path / "hf"))
    assert ner.num_rows == expected_rows()["ner"]["validation"]
    assert ner.features == features()["ner"]
    [folder] = list(cache.iterdir())
    stamp = (folder / "README.md").stat().st_mtime_ns
    docs = akhbar.load(corpus=corpus, cache=cache, cache_dir=str(tmp_path / "hf"))
    assert {s: d.num_rows for s, d in docs.items()} == expected_rows()["documents"]
    assert (folder / "README.md").stat().st_mtime_ns == stamp  # not rebuilt


def test_akhbar_load_ner_from_a_clone_builds_the_real_corpus(tmp_path, monkeypatch):
    monkeypatch.setenv("AKHBAR_CACHE", str(tmp_path / "akhbar-cache"))
    monkeypatch.chdir(CORPUS.parent)
    corpus = read_corpus(CORPUS)
    if not corpus.documents:
        pytest.skip("the real corpus has no annotated document yet")
    ner = akhbar.load("ner", cache_dir=str(tmp_path / "hf"))
    assert {s: d.num_rows for s, d in ner.items()} == {
        s: sum(len(d.annotations.sentences) for d in docs) for s, docs in corpus.by_split().items()}
    assert ner[next(iter(ner))].features == features()["ner"]
