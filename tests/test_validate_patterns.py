"""Every `pattern` of schema/*.schema.json means the same in both schema engines, ECMA-262 as the spec says.

Python's `re.search` lets `$` match before a final newline, so plain
`jsonschema` would accept an id "e1\\n" that jsonschema-rs rejects; the
validator's slow path (`SchemaValidator`) evaluates patterns as ECMA-262.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema_rs
import pytest
from jsonschema import Draft202012Validator

from akhbar.format.resources import schema_dir
from akhbar.validate.schema import SchemaValidator, schema_findings

TESTS = Path(__file__).resolve().parent
SAMPLE = TESTS / "valid" / "sample" / "corpus" / "sample-doc" / "annotations.json"

# A value each pattern accepts. A new pattern fails test_every_pattern_has_an_example until it gets one.
EXAMPLES = {
    "^[a-z0-9]+(-[a-z0-9]+)*$": "algeria-libya-2014",
    "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$": "e12",
    "^[0-9a-f]{64}$": "0123456789abcdef" * 4,
    "^Q[1-9][0-9]*$": "Q1016",
    "^[A-Za-z0-9][A-Za-z0-9.+-]*$": "CC-BY-4.0",
    "^seeds/[A-Za-z0-9._-]+$": "seeds/000_x.txt",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "2026-11-29",
    "^https?://": "https://example.org/a",
    "^text\\.v[1-9][0-9]*\\.txt$": "text.v12.txt",
}


def _patterns(node, pointer=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield pointer, value
            else:
                yield from _patterns(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _patterns(value, f"{pointer}/{i}")


PATTERNS = sorted({p for f in sorted(schema_dir().glob("*.schema.json"))
                   for _, p in _patterns(json.loads(f.read_text(encoding="utf-8")))})


def engines(pattern: str):
    schema = {"type": "string", "pattern": pattern}
    return SchemaValidator(schema), jsonschema_rs.validator_for(schema)


def test_every_pattern_has_an_example():
    assert len(PATTERNS) >= 8
    assert sorted(set(PATTERNS) - set(EXAMPLES)) == []


@pytest.mark.parametrize("pattern", PATTERNS)
def test_both_engines_agree_on_edges(pattern):
    ours, rust = engines(pattern)
    good = EXAMPLES[pattern]
    for value in (good, good + "\n", "\n" + good, good + "\r", good + "\r\n", good + "\u2028", good + " ",
                  good + "\n\n", good[:-1] + "\n" + good[-1], ""):
        assert ours.is_valid(value) == rust.is_valid(value), repr(value)
    assert ours.is_valid(good)


@pytest.mark.parametrize("pattern", [p for p in PATTERNS if p.endswith("$")])
def test_an_anchored_pattern_rejects_a_trailing_newline(pattern):
    ours, rust = engines(pattern)
    value = EXAMPLES[pattern] + "\n"
    assert not ours.is_valid(value) and not rust.is_valid(value)
    # the reason for SchemaValidator: plain jsonschema (Python's `re`) accepts it
    assert Draft202012Validator({"pattern": pattern}).is_valid(value)


@pytest.mark.parametrize("where, value, code", [
    (("entities", 0, "id"), "e1\n", "id-invalid"),
    (("entities", 3, "parent"), "e3\n", "id-invalid"),
    (("entities", 0, "kb"), "Q262\n", "kb-invalid"),
    (("document",), "sample-doc\n", "id-invalid"),
    (("text_sha256",), None, "schema-bad-value"),
])
def test_trailing_newline_gets_the_code_of_any_pattern_failure(where, value, code):
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    target = data
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value if value is not None else target[where[-1]] + "\n"
    pointer = "/" + "/".join(str(k) for k in where)
    assert [(f.code, f.pointer) for f in schema_findings(data, "annotations")] == [(code, pointer)]


def test_python_side_id_checks_refuse_a_trailing_newline(tmp_path):
    """The same patterns used with Python's `re` outside the schema match whole strings (`fullmatch`)."""
    from akhbar.errors import UsageError
    from akhbar.format.ids import check_id
    from akhbar.validate import validate_paths

    with pytest.raises(UsageError):
        check_id("sample-doc\n")
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE.parent, corpus / "sample-doc\n")
    shutil.copytree(TESTS / "valid" / "sample" / "seeds", tmp_path / "seeds")
    codes = {p.code for p in validate_paths([corpus]).problems}
    assert "folder-name-invalid" in codes
