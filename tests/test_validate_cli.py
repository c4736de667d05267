"""`akhbar validate` on the command line: formats, exit statuses and positions of problems."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from akhbar.cli import main
from akhbar.validate import validate_paths
from akhbar.format.index import INDEX_DIR

from conftest import CORPUS, REPO

FIXTURES = Path(__file__).resolve().parent
SAMPLE = FIXTURES / "valid" / "sample"
SHIFTED = FIXTURES / "invalid" / "entity-text-mismatch" / "shifted-offsets"


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_real_corpus_validates():
    report = validate_paths([CORPUS])
    assert report.valid, [(p.code, p.file, p.line) for p in report.errors]
    assert report.stats["documents"] == len([p for p in CORPUS.iterdir() if p.is_dir() and p.name != INDEX_DIR])


def test_valid_sample_exits_0_with_a_summary(capsys):
    assert main(["validate", str(SAMPLE / "corpus")]) == 0
    out = capsys.readouterr().out.strip().split("\n")
    assert len(out) == 1 and out[0].startswith("valid: 0 error(s), 0 warning(s) in 1 document(s)")


def test_semantic_problem_points_at_the_entitys_start(capsys):
    assert main(["validate", str(SHIFTED / "corpus")]) == 1
    first = capsys.readouterr().out.split("\n")[0]
    ann = SHIFTED / "corpus" / "sample-doc" / "annotations.json"
    line = line_of(ann, '"id": "e5"')
    column = ann.read_text(encoding="utf-8").split("\n")[line - 1].index('"start": ') + len('"start": ') + 1
    assert first.startswith(f"{ann}:{line}:{column}: entity-text-mismatch ")


def test_json_format(capsys):
    assert main(["validate", "--format", "json", str(SHIFTED / "corpus")]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["valid"] is False
    assert data["stats"]["errors"] == 1 and data["stats"]["documents"] == 1
    [problem] = data["problems"]
    assert set(problem) == {"code", "severity", "file", "line", "column", "pointer", "message"}
    assert (problem["code"], problem["severity"], problem["pointer"]) == ("entity-text-mismatch", "error", "/entities/4/start")


def test_github_format(capsys):
    assert main(["validate", "--format", "github", str(SHIFTED / "corpus")]) == 1
    first = capsys.readouterr().out.split("\n")[0]
    ann = SHIFTED / "corpus" / "sample-doc" / "annotations.json"
    line = line_of(ann, '"id": "e5"')
    assert first.startswith(f"::error file={ann},line={line},col=")
    assert ",title=entity-text-mismatch::" in first


def test_warnings_keep_exit_status_0(capsys):
    case = FIXTURES / "invalid" / "not-canonical" / "indented"
    assert main(["validate", str(case / "corpus")]) == 0
    assert "not-canonical (warning)" in capsys.readouterr().out


def test_annotations_file_with_its_text_from_the_corpus_or_text_option(capsys):
    corpus = SAMPLE / "corpus"
    ann = corpus / "sample-doc" / "annotations.json"
    assert main(["validate", "--corpus", str(corpus), str(ann)]) == 0
    assert main(["validate", "--text", str(corpus / "sample-doc" / "text.v1.txt"), str(ann)]) == 0
    other = FIXTURES / "valid" / "harakat" / "corpus" / "sample-doc" / "text.v1.txt"
    assert main(["validate", "--text", str(other), str(ann)]) == 1  # another text: its sha256 differs
    assert "text-sha256-mismatch" in capsys.readouterr().out


def test_max_problems_caps_each_file(tmp_path, capsys):
    shutil.copytree(SAMPLE, tmp_path / "case")
    ann = tmp_path / "case" / "corpus" / "sample-doc" / "annotations.json"
    data = json.loads(ann.read_text(encoding="utf-8"))
    for e in data["entities"]:
        e["label"] = "NOPE"
    ann.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["validate", "--format", "json", "--max-problems", "3", str(tmp_path / "case" / "corpus")]) == 1
    out = json.loads(capsys.readouterr().out)
    assert [p["code"] for p in out["problems"]] == ["label-unknown"] * 3
    assert out["stats"]["suppressed"] == len(data["entities"]) - 3


def test_jobs_give_the_same_report(tmp_path):
    corpus = tmp_path / "corpus"
    for case in sorted((FIXTURES / "invalid").glob("*/*"))[:12]:
        for doc in (case / "corpus").iterdir():
            shutil.copytree(doc, corpus / f"{case.parent.name}-{case.name}-{doc.name.lower().replace('_', '-')}", symlinks=True)
    shutil.copytree(FIXTURES / "valid" / "sample" / "seeds", tmp_path / "seeds")
    one = validate_paths([corpus], jobs=1)
    two = validate_paths([corpus], jobs=2)
    assert one.problems == two.problems and one.stats == two.stats
    assert not one.valid


@pytest.mark.parametrize("argv", [["validate", "no-such-folder"], ["validate", "--text", "x.txt", "corpus"],
                                  ["validate", "README.md"]])
def test_usage_errors_exit_2(argv, capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("akhbar validate: error: ") and "Traceback" not in err


@pytest.mark.parametrize("argv", [["validate", "--jobs", "0"], ["validate", "--format", "xml"],
                                  ["validate", "--max-problems", "many"]])
def test_bad_options_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2


def test_subprocess_exit_statuses():
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    run = [sys.executable, "-m", "akhbar", "validate"]
    ok = subprocess.run(run + [str(SAMPLE / "corpus")], env=env, capture_output=True, text=True)
    bad = subprocess.run(run + [str(SHIFTED / "corpus")], env=env, capture_output=True, text=True)
    missing = subprocess.run(run + ["no/such/path"], env=env, capture_output=True, text=True, cwd=REPO)
    assert (ok.returncode, bad.returncode, missing.returncode) == (0, 1, 2)
    assert missing.stderr.strip().endswith("no/such/path: no such file or folder")
