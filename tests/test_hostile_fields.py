"""Random JSON values in every field of both formats, through every reading command (issue 17).

Each example copies the sample repository, replaces the value at one pointer
of annotations.json or document.yaml with a random JSON value (integer-valued
floats, huge numbers, lone surrogates and control characters included), and
runs validate, fmt --check, show, stats, diff, agree, export and build.
Asserted: no exception leaves a command (no traceback), every exit status is
0, 1 or 2, and a file the validator accepts is accepted by every other command
(and stays valid once formatted).
Output goes to a strict UTF-8 stream, as a terminal would take it, so a value
that cannot be printed fails the test.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from akhbar.cli import main

SAMPLE = Path(__file__).resolve().parent / "valid" / "sample"
DOC = Path("corpus") / "sample-doc"
HOSTILE = settings(max_examples=int(os.environ.get("AKHBAR_FUZZ_EXAMPLES", "30")), deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_strings = st.text(max_size=6) | st.sampled_from(["\ud83d", "a\udc00", "\x1b[31m", "x\x00", "\u202eabc", "a\nb",
                                                  "\t", "e1", "GPE", "https://example.org/\n", "2026-01-01"])
_numbers = (st.integers(-3, 200) | st.sampled_from([0.0, 52.0, 5.2e1, 2.0, 1.5, 10**30, -0.0])
            | st.floats(allow_nan=False, allow_infinity=False))
json_values = st.recursive(st.none() | st.booleans() | _numbers | _strings,
                           lambda inner: st.lists(inner, max_size=2) | st.dictionaries(_strings, inner, max_size=2),
                           max_leaves=4)


def _pointers(value, path=()):
    """Every path inside `value` (the root excluded): each field, list item and nested field."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield path + (key,)
        yield from _pointers(child, path + (key,))


def _load(name: str):
    text = (SAMPLE / DOC / name).read_text(encoding="utf-8")
    return json.loads(text) if name.endswith(".json") else yaml.safe_load(text)


ANNOTATION_PATHS = list(_pointers(_load("annotations.json")))
DOCUMENT_PATHS = list(_pointers(_load("document.yaml")))


def _replace(data, path, value):
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def _run(argv: list[str]) -> int:
    """`akhbar ARGV` with stdout and stderr as strict UTF-8 byte streams; an exception fails the test."""
    out, err = (io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict") for _ in range(2))
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
        out.flush()
        err.flush()
    assert status in (0, 1, 2), (argv, status)
    return status


def _every_command(repo: Path) -> dict[str, int]:
    corpus = str(repo / "corpus")
    ann = str(repo / DOC / "annotations.json")
    statuses = {"validate": _run(["validate", corpus])}
    statuses["fmt"] = _run(["fmt", "--check", corpus])
    statuses["show"] = _run(["show", ann, "-o", str(repo / "page.html"), "--corpus", corpus])
    statuses["stats"] = _run(["stats", "--corpus", corpus])
    statuses["diff"] = _run(["diff", ann, ann, "--corpus", corpus])
    statuses["agree"] = _run(["agree", ann, ann, "--corpus", corpus])
    statuses["export"] = _run(["export", "--corpus", corpus, "--format", "jsonl", "--out", str(repo / "export")])
    if statuses["validate"] == 0:  # the build is the slow one: only where it should succeed
        statuses["build"] = _run(["build", "--corpus", corpus, "--out", str(repo / "dataset"), "-q"])
    statuses["fmt-write"] = _run(["fmt", corpus])
    statuses["validate-after-fmt"] = _run(["validate", corpus])
    return statuses


def _check(name: str, path: tuple, value) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        shutil.copytree(SAMPLE, repo)
        data = _replace(_load(name), path, value)
        # ensure_ascii: a lone surrogate is written as its escape, as a hostile file would hold it (JSON is YAML too)
        (repo / DOC / name).write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")
        statuses = _every_command(repo)
        if statuses["validate"] == 0:  # `fmt --check` may say "would reformat" (1): the file is written raw above
            assert all(s == 0 for c, s in statuses.items() if c != "fmt"), (path, value, statuses)


@HOSTILE
@given(st.sampled_from(ANNOTATION_PATHS), json_values)
def test_any_value_in_any_annotations_field(path, value):
    _check("annotations.json", path, value)


@HOSTILE
@given(st.sampled_from(DOCUMENT_PATHS), json_values)
def test_any_value_in_any_document_field(path, value):
    _check("document.yaml", path, value)
