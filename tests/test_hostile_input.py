"""Regression tests for the examples of issue 17, sections 1, 4 and 5: each named after the case it guards."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest

from akhbar.cli import main
from akhbar.dataset.card import markdown_text
from akhbar.review.render import Mark, render_page
from akhbar.validate import Problem, Report, format_report, validate_paths

SAMPLE = Path(__file__).resolve().parent / "valid" / "sample"
DOC = Path("corpus") / "sample-doc"


@pytest.fixture
def repo(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "repo")
    return tmp_path / "repo"


def _edit(repo: Path, name: str, old: str, new: str) -> None:
    path = repo / DOC / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _run(argv) -> tuple[int, str, str]:
    out, err = (io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict") for _ in range(2))
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([str(a) for a in argv])
        out.flush()
        err.flush()
    return status, out.buffer.getvalue().decode(), err.buffer.getvalue().decode()


def _codes(repo: Path) -> set[str]:
    return validate_paths([repo / "corpus"], corpus=repo / "corpus").codes


def _first_start(repo: Path) -> int:
    return json.loads((repo / DOC / "annotations.json").read_text(encoding="utf-8"))["entities"][0]["start"]


# ---- 1. integer-valued floats
@pytest.mark.parametrize("written", ["{}.0", "{}e0", "{}.0e0"])
def test_integer_valued_float_offset_is_rejected_by_every_command(repo, written):
    start = _first_start(repo)
    _edit(repo, "annotations.json", f'"start": {start},', f'"start": {written.format(start)},')
    assert "span-offset-not-integer" in _codes(repo)
    ann = repo / DOC / "annotations.json"
    corpus = repo / "corpus"
    for argv in (["validate", corpus], ["build", "--corpus", corpus, "--out", repo / "ds"],
                 ["export", "--corpus", corpus, "--format", "conll", "--out", repo / "ex"], ["stats", "--corpus", corpus],
                 ["diff", ann, ann, "--corpus", corpus], ["agree", ann, ann, "--corpus", corpus]):
        assert _run(argv)[0] == 1, argv
    assert _run(["show", ann, "-o", repo / "p.html", "--corpus", corpus])[0] == 0  # drawn, the entity unplaced


def test_text_version_two_point_zero_is_a_wrong_type(repo):
    _edit(repo, "annotations.json", '"text_version": 1', '"text_version": 1.0')
    report = validate_paths([repo / "corpus"], corpus=repo / "corpus")
    assert [(p.code, p.pointer) for p in report.errors] == [("schema-wrong-type", "/text_version")]


def test_float_version_number_in_document_yaml(repo):
    _edit(repo, "document.yaml", "version: 1\n", "version: 1.0\n")
    assert "schema-wrong-type" in _codes(repo)


# ---- 1. lone surrogates and control characters
@pytest.mark.parametrize("field", ["note", "text"])
def test_lone_surrogate_in_an_entity_string(repo, field):
    path = repo / DOC / "annotations.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entities"][0][field] = "\ud83d"
    path.write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")
    report = validate_paths([repo / "corpus"], corpus=repo / "corpus")
    assert ("string-lone-surrogate", f"/entities/0/{field}") in {(p.code, p.pointer) for p in report.problems}
    for fmt in ("text", "json", "github"):
        format_report(report, fmt).encode("utf-8")  # printable: no surrogate reaches the output
    for argv in (["validate", repo / "corpus"], ["fmt", repo / "corpus"],
                 ["show", path, "-o", repo / "p.html", "--corpus", repo / "corpus"],
                 ["build", "--corpus", repo / "corpus", "--out", repo / "ds"]):
        assert _run(argv)[0] in (0, 1), argv  # no traceback, no UnicodeEncodeError


def test_lone_surrogate_in_annotator_id(repo):
    _edit(repo, "annotations.json", '"id": "fixture-writer"', '"id": "fixture-writer\\udc00"')
    assert "string-lone-surrogate" in _codes(repo)
    status, _, err = _run(["fmt", repo / "corpus"])
    assert status == 1 and "string-lone-surrogate" in err


@pytest.mark.parametrize("char", ["\x1b", "\x00", "\x08", "\x07", "\x85"])
def test_control_character_in_a_text_version(tmp_path, char):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from make_validation_fixtures import TEXT, Doc

    Doc(text=TEXT.replace("آمنة", "آمنة" + char)).write(tmp_path)
    report = validate_paths([tmp_path / "corpus"], corpus=tmp_path / "corpus")
    assert [(p.code, p.file.endswith("text.v1.txt")) for p in report.errors] == [("text-control-character", True)]


@pytest.mark.parametrize("keys,value,code", [
    (("title",), "headline\x00", "string-control-character"),
    (("source", "url"), "https://example.org/a\nb", "string-control-character"),
    (("source", "url"), "https://example.org/\u202e", "string-bidi-control"),
    (("source", "note"), "note \x1b[2J", "string-control-character"),
    (("license", "text"), "public domain \u2066", "string-bidi-control"),
    (("versions", 0, "note"), "\x07", "string-control-character"),
])
def test_controls_in_document_metadata(repo, keys, value, code):
    import yaml

    path = repo / DOC / "document.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    target = data
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value
    path.write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")  # JSON is YAML
    report = validate_paths([repo / "corpus"], corpus=repo / "corpus")
    pointer = "/" + "/".join(str(k) for k in keys)
    assert [(p.code, p.pointer) for p in report.errors] == [(code, pointer)]


def test_tab_and_newline_are_allowed_in_a_note_but_not_in_an_id(repo):
    path = repo / DOC / "annotations.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entities"][0]["note"] = "first line\n\tsecond line"
    data["annotators"][0]["id"] = "a\tb"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    report = validate_paths([repo / "corpus"], corpus=repo / "corpus")
    assert [(p.code, p.pointer) for p in report.errors] == [("string-control-character", "/annotators/0/id")]


# ---- 1. a nested chain
def test_chain_of_nested_entities_is_capped_and_drawn_without_recursion(tmp_path, monkeypatch):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from make_validation_fixtures import Doc

    monkeypatch.setattr(Doc, "entities", staticmethod(lambda text: []))

    n = 1500
    text = "b" * (n + 1) + ".\n"
    doc = Doc(text=text)
    doc.annotations["sentences"] = [{"id": "s1", "start": 0, "end": n + 2}]
    doc.annotations["entities"] = [
        dict({"id": f"c{k}", "start": k, "end": n + 1, "label": "ORG", "text": text[k:n + 1]},
             **({"parent": f"c{k - 1}"} if k else {})) for k in range(n)]
    doc.write(tmp_path)
    report = validate_paths([tmp_path / "corpus"], corpus=tmp_path / "corpus")
    assert [(p.code, p.pointer) for p in report.errors] == [("entity-nesting-too-deep", "/entities/64/parent")]
    ann = tmp_path / DOC / "annotations.json"
    status, _, _ = _run(["show", ann, "-o", tmp_path / "page.html", "--corpus", tmp_path / "corpus"])
    assert status == 0
    assert (tmp_path / "page.html").read_text(encoding="utf-8").count("<mark ") == n


def test_render_nests_two_thousand_levels():
    marks = [Mark("entity", f"e{k}", f"e{k}", k, 4000 - k, badge="ORG", label="ORG") for k in range(2000)]
    page = render_page("x" * 4000, marks, title="t")
    assert page.count("<mark ") == 2000 and page.count("</mark>") == 2000


# ---- 4. output cannot inject
def test_stray_file_name_cannot_become_a_workflow_command(repo):
    name = "x\n::error file=README.md,line=1::INJECTED"
    (repo / DOC / name).write_text("", encoding="utf-8")
    status, out, _ = _run(["validate", repo / "corpus"])
    assert status == 1
    assert not any(line.startswith("::") for line in out.splitlines())
    status, out, _ = _run(["validate", "--format", "github", repo / "corpus"])
    commands = [line for line in out.splitlines() if line.startswith("::")]
    assert len(commands) == 1 and "INJECTED" in commands[0] and "%2C" in commands[0] and "%3A" in commands[0]


def test_github_format_escapes_data_and_properties():
    p = Problem.make("stray-file", "a,b:c%d\re", "50% done\nnext\x1b[31m", 1, 2)
    line = format_report(Report(False, [p], {}), "github").splitlines()[0]
    assert line.startswith("::error file=a%2Cb%3Ac%25d")
    assert "\x1b" not in line and "\r" not in line and "50%25 done" in line


def test_diff_prints_no_escape_sequence(repo):
    ann = repo / DOC / "annotations.json"
    other = repo / "other.json"
    data = json.loads(ann.read_text(encoding="utf-8"))
    data["entities"][0]["note"] = "\x1b[2Jwiped"
    other.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    status, out, err = _run(["diff", ann, other, "--corpus", repo / "corpus"])
    assert status == 1 and "\x1b" not in out + err  # refused with string-control-character, printed escaped
    assert "string-control-character" in err


def test_license_text_is_inert_markdown():
    hostile = "CC0 <img src=x onerror=alert(1)> [x](javascript:alert(1)) ![i](http://e/x.png)\n# h"
    out = markdown_text(hostile)
    assert "<" not in out and "](" not in out and "![" not in out and "\n#" not in out


# ---- 5. no traceback anywhere
@pytest.mark.parametrize("content", ["[" * 100_000 + "]" * 100_000, '{"a": 1' + "0" * 5000 + "}",
                                     '{"document": 5, "entities": {"a": 1}}', '{"entities": [{"id": ["x"], "label": 5}]}'])
def test_hostile_annotations_give_a_coded_exit(repo, content):
    ann = repo / DOC / "annotations.json"
    ann.write_text(content, encoding="utf-8")
    corpus = repo / "corpus"
    for argv in (["validate", corpus], ["fmt", "--check", corpus], ["stats", "--corpus", corpus],
                 ["show", ann, "-o", repo / "p.html", "--corpus", corpus],
                 ["diff", ann, ann, "--corpus", corpus], ["agree", ann, ann, "--corpus", corpus]):
        assert _run(argv)[0] in (0, 1, 2), argv


@pytest.mark.parametrize("content", ["title: [unclosed\n", "- a list\n", "versions: 5\n"])
def test_hostile_document_yaml_gives_a_coded_exit(repo, content):
    (repo / DOC / "document.yaml").write_text(content, encoding="utf-8")
    ann = repo / DOC / "annotations.json"
    corpus = repo / "corpus"
    assert _run(["fmt", "--check", corpus])[0] in (0, 1)  # fmt formats what parses, valid or not
    for argv in (["stats", "--corpus", corpus], ["diff", ann, ann, "--corpus", corpus],
                 ["agree", ann, ann, "--corpus", corpus]):
        assert _run(argv)[0] in (1, 2), argv
    assert _run(["show", ann, "-o", repo / "p.html", "--corpus", corpus])[0] == 0


def test_a_folder_where_a_file_should_be(repo):
    (repo / DOC / "annotations.json").unlink()
    (repo / DOC / "annotations.json").mkdir()
    corpus = repo / "corpus"
    status, _, err = _run(["fmt", "--check", corpus])
    assert status == 1 and "file-unreadable" in err
    assert _run(["stats", "--corpus", corpus])[0] == 1
