"""Every fixture under tests/valid/ validates cleanly; every one under tests/invalid/<code>/ raises exactly <code>.

A case whose problem makes a check unusable also draws `check-skipped` (the
report says what it could not check); such a case lists it in its
validate.json under "also", so an unexpected skip still fails. The cases of
`check-skipped` itself list the problem that causes the skip.

A code of the registry without an invalid fixture fails the suite (warnings
count too): the fixtures prove every rule. Regenerate them with
scripts/make_validation_fixtures.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from akhbar.validate import CODES, validate_paths
from akhbar.validate import files

FIXTURES = Path(__file__).resolve().parent
VALID = sorted(p for p in (FIXTURES / "valid").iterdir() if p.is_dir())
INVALID = sorted(p for p in (FIXTURES / "invalid").glob("*/*") if p.is_dir())


def run_case(case: Path, monkeypatch):
    config_file = case / "validate.json"
    config = json.loads(config_file.read_text(encoding="utf-8")) if config_file.is_file() else {}
    if "max_file_bytes" in config:
        monkeypatch.setattr(files, "MAX_FILE_BYTES", config["max_file_bytes"])
    paths = [case / p for p in config.get("paths", ["corpus"])]
    return validate_paths(paths, corpus=case / "corpus")


@pytest.mark.parametrize("case", VALID, ids=lambda p: p.name)
def test_valid_case_has_no_problem(case, monkeypatch):
    report = run_case(case, monkeypatch)
    assert report.valid
    assert [(p.code, p.file, p.line) for p in report.problems] == []


@pytest.mark.parametrize("case", INVALID, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_invalid_case_raises_exactly_its_code(case, monkeypatch):
    code = case.parent.name
    report = run_case(case, monkeypatch)
    config_file = case / "validate.json"
    also = set(json.loads(config_file.read_text(encoding="utf-8")).get("also", [])) if config_file.is_file() else set()
    assert code == "check-skipped" and len(also) == 1 or also <= {"check-skipped"}
    assert {p.code for p in report.problems} == {code} | also
    assert report.valid == all(CODES[c].severity == "warning" for c in {code} | also)
    for problem in report.problems:
        if problem.code == code:
            assert problem.severity == CODES[code].severity


def test_every_code_has_an_invalid_case():
    covered = {p.parent.name for p in INVALID}
    assert sorted(set(CODES) - covered) == []
    assert sorted(covered - set(CODES)) == []  # no fixture for a code that does not exist
