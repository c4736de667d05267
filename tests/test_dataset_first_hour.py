"""A researcher's first hour with the built dataset: the load call, label names, the `ner` rows, notes.

The real corpus is built once; `datasets` runs in subprocesses with HF_HOME in a throwaway folder
and both offline switches set, so its cache starts empty and is the test's own.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import CORPUS, REPO

from akhbar.dataset.build import build
from akhbar.dataset.features import LABEL_TABLES, features
from akhbar.dataset.rows import read_corpus, rows_of
from akhbar.format.labels import label_names



@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("real") / "dataset"
    build(CORPUS, out)
    return out


def _offline_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "AKHBAR_"))}
    env.update(HF_HOME=str(home), HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1", AKHBAR_CACHE=str(home / "akhbar"))
    return env


def _python(code: str, cwd: Path, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=_offline_env(home), capture_output=True,
                          text=True, timeout=300)


def _blocks(markdown: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", markdown, flags=re.S)


def _card(folder: Path) -> str:
    return (folder / "README.md").read_text(encoding="utf-8")


def _seed_counts() -> tuple[int, Counter]:
    """Sentences of the train split (what the examples load) and mentions per label over every split."""
    corpus = read_corpus(CORPUS)
    levels = max(corpus.max_depth + 1, 1)
    rows = rows_of(corpus.documents, levels)
    train = rows_of([d for d in corpus.documents if d.document.split == "train"], levels)
    names = label_names()
    return len(train["sentences"]), Counter(names[e["label"]] for e in rows["entities"])


# ---------------------------------------------------------------- the load call

README_LOAD = _blocks((REPO / "README.md").read_text(encoding="utf-8"), "python")[0]


def test_the_readme_load_call_fails_loudly_on_a_missing_folder_even_with_a_warm_cache(built, tmp_path):
    work, home = tmp_path / "work", tmp_path / "hf"
    work.mkdir()
    shutil.copytree(built, work / "dataset")
    sentences, _ = _seed_counts()
    # Warm the cache under both spellings: the bare name (the trap) and the README's call.
    warm = README_LOAD + (
        "\nfrom datasets import load_dataset\n"
        "print(len(load_dataset('dataset', 'ner')['train']), len(ner['train']))\n")
    done = _python(warm, work, home)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(sentences)] * 2
    shutil.rmtree(work / "dataset")
    # The trap the README warns of: the bare name is answered from the cache, silently (this shows the cache is
    # warm, so the loud failure below is the call's doing, not an empty cache's).
    stale = _python("from datasets import load_dataset\nprint(len(load_dataset('dataset', 'ner')['train']))",
                    work, home)
    assert stale.returncode == 0 and stale.stdout.split() == [str(sentences)]
    # The README's call: a FileNotFoundError naming the folder, no cached rows.
    loud = _python(README_LOAD, work, home)
    assert loud.returncode == 1 and loud.stdout == ""
    assert "FileNotFoundError" in loud.stderr and str(work / "dataset") in loud.stderr


def test_the_card_and_the_build_line_recommend_the_same_absolute_path_call(built, tmp_path, capsys):
    from akhbar.cli import main

    loading = _blocks(_card(built), "python")[0]
    assert 'Path("path/to/dataset").resolve()' in loading
    assert re.search(r'load_dataset\("[^"/]*"', loading) is None  # no bare name anywhere in the example
    out = tmp_path / "dataset"
    assert main(["build", "--corpus", str(CORPUS), "--out", str(out), "-q"]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert f"load_dataset({str(out.resolve())!r}, 'ner')" in last


def test_the_card_loading_example_runs_against_the_folder(built, tmp_path):
    code = _blocks(_card(built), "python")[0].replace("path/to/dataset", str(built))
    code += "\nprint(len(ner), label_names[:3], sorted(documents), next(iter(streamed))['id'])\n"
    done = _python(code, tmp_path, tmp_path / "hf")
    assert done.returncode == 0, done.stderr
    sentences, _ = _seed_counts()
    assert done.stdout.split()[0] == str(sentences)
    assert "'O', 'B-PERS', 'I-PERS'" in done.stdout


def test_akhbar_load_passes_an_absolute_path_and_never_serves_a_stale_cache(tmp_path):
    work, home = tmp_path / "work", tmp_path / "hf"
    work.mkdir()
    shutil.copytree(CORPUS, work / "corpus")
    shutil.copytree(REPO / "seeds", work / "seeds")
    code = ("import akhbar\nds = akhbar.load('ner', split='train', corpus='corpus', cache='builds')\n"
            "print(len(ds), ds.cache_files[0]['filename'])")
    first = _python(code, work, home)
    assert first.returncode == 0, first.stderr
    shutil.rmtree(work / "builds")  # the built folder is gone: akhbar.load rebuilds it rather than use a cache
    again = _python(code, work, home)
    assert again.returncode == 0, again.stderr
    assert again.stdout.split()[0] == first.stdout.split()[0] == str(_seed_counts()[0])
    missing = _python("import akhbar\nakhbar.load('ner', corpus='no-such-corpus', cache='builds')", work, home)
    assert missing.returncode == 1
    assert "akhbar.errors.NotFoundError" in missing.stderr and "no-such-corpus" in missing.stderr


# ---------------------------------------------------------------- names for plain-Parquet readers

def test_label_tables_list_the_classlabel_names_in_order(built):
    import pyarrow.parquet as pq

    feats = features()
    want = {"labels/entity_labels.parquet": feats["entities"]["label"].names,
            "labels/ner_tags.parquet": feats["ner"]["ner_tags"].feature.names}
    assert set(LABEL_TABLES) == set(want)
    for name, names in want.items():
        table = pq.read_table(built / name).to_pydict()
        assert table["id"] == list(range(len(names))) and table["name"] == names
    assert "labels/ner_tags.parquet" in (built / "SHA256SUMS").read_text(encoding="utf-8")


def test_the_card_duckdb_example_prints_label_names_with_their_counts(built):
    duckdb = pytest.importorskip("duckdb")  # in the dev extra

    (sql,) = _blocks(_card(built), "sql")
    cwd = Path.cwd()
    os.chdir(built)
    try:
        rows = duckdb.sql(sql).fetchall()
    finally:
        os.chdir(cwd)
    _, counts = _seed_counts()
    assert dict(rows) == dict(counts)
    assert all(isinstance(label, str) for label, _ in rows)


def _run_card_example(built: Path, marker: str) -> dict:
    """Run the card's one Python example containing `marker` from the dataset folder; its variables."""
    (code,) = [b for b in _blocks(_card(built), "python") if marker in b]
    cwd, scope = Path.cwd(), {}
    os.chdir(built)
    try:
        exec(code, scope)  # noqa: S102 - the card's own example
    finally:
        os.chdir(cwd)
    return scope


def test_the_card_pandas_example_names_labels_and_tags_and_lines_tokens_up(built):
    scope = _run_card_example(built, "import pandas")
    _, counts = _seed_counts()
    assert Counter(scope["entities"]["label_name"]) == counts
    tag_names = features()["ner"]["ner_tags"].feature.names
    first = scope["ner"].iloc[0]
    assert list(first["tag_names"]) == [tag_names[t] for t in first["ner_tags"]]
    assert scope["words"] == list(first["tokens"])



def test_the_card_polars_example_names_labels_with_their_counts(built):
    pytest.importorskip("polars")  # in the dev extra
    scope = _run_card_example(built, "import polars")
    _, counts = _seed_counts()
    assert Counter(scope["entities"]["name"].to_list()) == counts
    assert dict(scope["per_label"].iter_rows()) == dict(counts)

# ---------------------------------------------------------------- ner rows and notes

def test_ner_rows_carry_the_sentence_and_sentence_relative_token_offsets():
    corpus = read_corpus(CORPUS)
    rows = rows_of(corpus.documents, max(corpus.max_depth + 1, 1))
    texts = {d.document.id: d.text for d in corpus.documents}
    sentences = {(s["doc_id"], s["id"]): s for s in rows["sentences"]}
    assert len(rows["ner"]) == len(sentences) > 0
    for row in rows["ner"]:
        s = sentences[(row["doc_id"], row["id"])]
        assert row["sentence_text"] == s["text"] and row["sentence_start"] == s["start"]
        assert len(row["tokens"]) == len(row["token_starts"]) == len(row["token_ends"]) == len(row["ner_tags"])
        for token, b, f in zip(row["tokens"], row["token_starts"], row["token_ends"]):
            assert row["sentence_text"][b:f] == token
            assert texts[row["doc_id"]][row["sentence_start"] + b : row["sentence_start"] + f] == token


def test_token_offsets_become_1d_tensors_in_array_formats(built, tmp_path):
    code = ("from datasets import load_dataset\n"
            f"ds = load_dataset({str(built)!r}, 'ner', split='train').with_format('numpy')\n"
            "row = ds[0]\nprint(row['token_starts'].ndim, row['token_starts'].dtype.kind, "
            "row['token_ends'].shape == row['token_starts'].shape)")
    done = _python(code, tmp_path, tmp_path / "hf")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "i", "True"]


def test_entity_notes_reach_the_entities_and_documents_configs():
    corpus = read_corpus(CORPUS)
    rows = rows_of(corpus.documents, max(corpus.max_depth + 1, 1))
    want = {(d.document.id, e.id): e.note for d in corpus.documents for e in d.annotations.entities}
    assert any(want.values())  # the seed document's annotators left notes
    assert {(r["doc_id"], r["id"]): r["note"] for r in rows["entities"]} == want
    assert {(d["id"], e["id"]): e["note"] for d in rows["documents"] for e in d["entities"]} == want
    assert "note" in features()["entities"] and "note" in features()["documents"]["entities"].feature


def test_the_built_card_declares_the_new_fields(built):
    info = _card(built).split("---")[1]
    for name in ("sentence_text", "sentence_start", "token_starts", "token_ends", "note"):
        assert f"name: {name}" in info, name
    assert "token_offsets" not in _card(built)
    assert json.loads((built / "croissant.json").read_text(encoding="utf-8"))
