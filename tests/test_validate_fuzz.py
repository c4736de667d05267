"""Fuzzing the validator: mutated valid files and random bytes never crash it.

Whatever the input, `validate_paths` returns a report and the CLI exits 0 or 1,
never with a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from akhbar.cli import main
from akhbar.validate import CODES, validate_paths

SAMPLE = Path(__file__).resolve().parent / "valid" / "sample"
DOC = Path("corpus") / "sample-doc"
FILES = ["annotations.json", "document.yaml", "text.v1.txt"]
# More examples for a long local run: AKHBAR_FUZZ_EXAMPLES=2000 pytest tests/test_validate_fuzz.py
FUZZ = settings(max_examples=int(os.environ.get("AKHBAR_FUZZ_EXAMPLES", "40")), deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3000) | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def check(mutate) -> None:
    """Copy the sample, let `mutate(doc_dir)` damage it, validate; assert no crash and known codes only."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        shutil.copytree(SAMPLE, repo)
        mutate(repo / DOC)
        report = validate_paths([repo / "corpus"])
        assert report.valid in (True, False)
        assert {p.code for p in report.problems} <= set(CODES)
        for p in report.problems:
            assert (p.line is None) == (p.column is None)
            assert p.line is None or p.line >= 1
        assert main(["validate", "--format", "json", str(repo / "corpus")]) in (0, 1)


@FUZZ
@given(name=st.sampled_from(FILES), data=st.data())
def test_byte_mutations(name, data):
    def mutate(doc: Path):
        raw = bytearray((doc / name).read_bytes())
        for _ in range(data.draw(st.integers(1, 4))):
            at = data.draw(st.integers(0, len(raw)))
            new = data.draw(st.binary(max_size=4))
            raw[at: at + data.draw(st.integers(0, 3))] = new
        (doc / name).write_bytes(bytes(raw))

    check(mutate)


@FUZZ
@given(name=st.sampled_from(FILES), blob=st.binary(max_size=300))
def test_random_bytes(name, blob):
    check(lambda doc: (doc / name).write_bytes(blob))


@FUZZ
@given(path=st.lists(st.sampled_from(["entities", "sentences", 0, 1, 3, "start", "end", "id", "parent", "label",
                                      "text", "review", "kb", "annotators", "text_version", "document"]),
                     min_size=1, max_size=3),
       value=json_values, delete=st.booleans())
def test_structural_mutations_of_annotations(path, value, delete):
    def mutate(doc: Path):
        data = json.loads((doc / "annotations.json").read_text(encoding="utf-8"))
        node = data
        for key in path[:-1]:
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                return
        try:
            if delete:
                del node[path[-1]]
            else:
                node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            return
        (doc / "annotations.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    check(mutate)


@FUZZ
@given(entity=st.integers(0, 6), start=st.integers(-5, 200), end=st.integers(-5, 200),
       text=st.text(min_size=1, max_size=5), parent=st.sampled_from([None, "e1", "e3", "e4", "e99"]))
def test_offset_and_unicode_mutations(entity, start, end, text, parent):
    def mutate(doc: Path):
        data = json.loads((doc / "annotations.json").read_text(encoding="utf-8"))
        e = data["entities"][entity]
        e.update(start=start, end=end, text=text)
        if parent:
            e["parent"] = parent
        (doc / "annotations.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    check(mutate)


@FUZZ
@given(key=st.sampled_from(["id", "title", "split", "versions", "source", "license", "language"]), value=json_values)
def test_yaml_value_mutations(key, value):
    def mutate(doc: Path):
        import yaml

        data = yaml.safe_load((doc / "document.yaml").read_text(encoding="utf-8"))
        data[key] = value
        (doc / "document.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    check(mutate)
