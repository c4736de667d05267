"""The engine's policies: follow-on suppression, fallbacks, deduplication, streaming facts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from akhbar.validate import validate_paths

FIXTURES = Path(__file__).resolve().parent
SAMPLE = FIXTURES / "valid" / "sample"


def copy_sample(tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(SAMPLE, tmp_path / "repo")
    return tmp_path / "repo" / "corpus", tmp_path / "repo" / "corpus" / "sample-doc"


def edit_annotations(doc: Path, change) -> dict:
    data = json.loads((doc / "annotations.json").read_text(encoding="utf-8"))
    change(data)
    (doc / "annotations.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return data


def codes(report) -> list[tuple[str, str | None]]:
    return [(p.code, p.pointer) for p in report.problems]


def test_bad_offset_is_not_also_a_text_mismatch_or_overlap(tmp_path):
    corpus, doc = copy_sample(tmp_path)
    edit_annotations(doc, lambda d: d["entities"][4].update(end=10_000))
    report = validate_paths([corpus])
    assert [c for c in codes(report) if c[0] != "not-canonical"] == [("span-out-of-bounds", "/entities/4/end")]


def test_schema_error_in_one_entity_leaves_the_others_checked(tmp_path):
    corpus, doc = copy_sample(tmp_path)

    def change(d):
        d["entities"][0]["start"] = "0"  # schema: not an integer
        d["entities"][5]["start"] += 1  # semantic: text mismatch

    edit_annotations(doc, change)
    assert codes(validate_paths([corpus])) == [("check-skipped", "/entities/0"),  # left out of span checks, said
                                               ("span-offset-not-integer", "/entities/0/start"),
                                               ("entity-text-mismatch", "/entities/5/start")]


def test_invalid_json_is_reported_once(tmp_path):
    corpus, doc = copy_sample(tmp_path)
    (doc / "annotations.json").write_text('{"entities": [1, 2,, 3]}', encoding="utf-8")
    report = validate_paths([corpus])
    assert [(p.code, p.line, p.column) for p in report.problems] == [("json-syntax", 1, 20)]


def test_spans_are_checked_against_the_pinned_text_when_document_yaml_is_broken(tmp_path):
    corpus, doc = copy_sample(tmp_path)
    (doc / "document.yaml").write_text((doc / "document.yaml").read_text(encoding="utf-8") + "split: [\n",
                                       encoding="utf-8")
    edit_annotations(doc, lambda d: d["entities"][2].update(start=d["entities"][2]["start"] + 1))
    assert {c for c, _ in codes(validate_paths([corpus]))} == {"yaml-syntax", "entity-text-mismatch"}


def test_a_folder_named_twice_is_validated_once(tmp_path):
    corpus, doc = copy_sample(tmp_path)
    report = validate_paths([corpus, doc, doc / "document.yaml"])
    assert report.valid and report.stats["documents"] == 1


def test_semantic_positions_point_at_the_offending_value(tmp_path):
    corpus, doc = copy_sample(tmp_path)
    data = edit_annotations(doc, lambda d: d["entities"][3].update(parent="e99"))
    lines = (doc / "annotations.json").read_text(encoding="utf-8").split("\n")
    [problem] = [p for p in validate_paths([corpus]).problems if p.code == "parent-missing"]
    assert lines[problem.line - 1][problem.column - 1:].startswith('"e99"')
    assert problem.pointer == "/entities/3/parent" and data["entities"][3]["parent"] == "e99"


def test_text_problem_is_located_in_the_text_file(tmp_path):
    fixture = FIXTURES / "invalid" / "text-bidi-control" / "override-not-in-seed"
    [problem] = validate_paths([fixture / "corpus"]).problems
    text = (fixture / "corpus" / "sample-doc" / "text.v1.txt").read_text(encoding="utf-8").split("\n")
    assert problem.file.endswith("text.v1.txt") and problem.pointer is None
    assert text[problem.line - 1][problem.column - 1] == "\u202e"


def test_report_counts(tmp_path):
    report = validate_paths([FIXTURES / "valid" / "two-documents" / "corpus"])
    assert report.stats == {"documents": 2, "files": 8, "errors": 0, "warnings": 0, "suppressed": 0}
