"""The validator's parsers and fast paths, each checked against the reference it replaces."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from akhbar.format.canonical import dumps_annotations, dumps_document
from akhbar.format.resources import load_schema
from akhbar.format.canonical import canonical_annotations, canonical_document, emit_like_safe_dump
from akhbar.validate.parse import parse_json, scan_json
from akhbar.validate.schema import SchemaValidator, _fast_validator, schema_findings
from akhbar.validate.yamlparse import parse_yaml

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
DOCUMENT_FILES = sorted(TESTS.glob("valid/*/corpus/*/document.yaml")) + sorted(REPO.glob("corpus/*/document.yaml"))
ANNOTATION_FILES = sorted(TESTS.glob("*/**/annotations.json")) + sorted(REPO.glob("corpus/*/annotations.json"))

tricky_text = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["yes", "No", "on", "null", "~", "", " x", "x ", "1.10", "0x1F", "2026-11-29", "a: b", "#c",
                     "- x", "'q'", '"q"', "line\nbreak", "tab\there", "ليبيا", "\u202e", "*a", "&a", "!t", "%", "@x"]),
)
scalars = st.one_of(tricky_text, st.integers(-5, 10**6), st.booleans(), st.none())
documents = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                         | st.dictionaries(tricky_text, inner, max_size=4), max_leaves=12)


def reference_dump(data) -> str:
    return yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1 << 30)


@settings(max_examples=150, deadline=None)
@given(data=st.dictionaries(tricky_text, documents, min_size=1, max_size=5))
def test_event_emitter_equals_yaml_dump(data):
    assert emit_like_safe_dump(data) == reference_dump(data)


item_keys = st.sampled_from(["id", "start", "end", "label", "text", "parent", "kb", "note", "review", "role", "x"])
items = st.one_of(st.dictionaries(item_keys, documents, max_size=6),
                  st.dictionaries(item_keys, scalars, max_size=6), scalars)


@settings(max_examples=200, deadline=None)
@given(header=st.dictionaries(st.sampled_from(["schema_version", "document", "text_version", "extra"]), scalars),
       lists=st.dictionaries(st.sampled_from(["annotators", "sentences", "entities"]),
                             st.one_of(st.lists(items, max_size=4), scalars)))
def test_fast_canonical_annotations_equals_dumps_annotations(header, lists):
    data = {**header, **lists}

    def outcome(write):
        try:
            return write(data)
        except Exception as exc:  # noqa: BLE001 - the writer refuses some data; the fast path must refuse it too
            return type(exc)

    assert outcome(canonical_annotations) == outcome(dumps_annotations)


def test_fast_canonical_annotations_on_real_files():
    for path in ANNOTATION_FILES:
        try:
            data = json.loads(path.read_bytes())
        except (ValueError, OSError):
            continue
        assert canonical_annotations(data) == dumps_annotations(data), path


def test_canonical_document_equals_dumps_document_on_real_files():
    assert DOCUMENT_FILES
    for path in DOCUMENT_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert canonical_document(data) == dumps_document(data) == path.read_text(encoding="utf-8")


def test_yaml_parser_agrees_with_safe_load_on_valid_files():
    for path in DOCUMENT_FILES:
        text = path.read_text(encoding="utf-8")
        parsed = parse_yaml(text)
        assert parsed.findings == []
        assert parsed.data == yaml.safe_load(text)


def test_fast_schema_path_agrees_with_jsonschema():
    """jsonschema-rs only says 'valid'; both libraries must agree on that for every fixture."""
    assert _fast_validator("annotations") is not None
    for path in ANNOTATION_FILES:
        try:
            data = json.loads(path.read_bytes())
        except (ValueError, OSError):
            continue
        slow = not list(SchemaValidator(load_schema("annotations")).iter_errors(data))
        assert _fast_validator("annotations").is_valid(data) == slow, path


@settings(max_examples=80, deadline=None)
@example(key="id", value="e1\n")  # Python's `$` matches before a final newline; ECMA-262's does not
@example(key="kb", value="Q5\n")
@example(key="parent", value="e3\n")
@given(key=st.sampled_from(["id", "start", "end", "label", "text", "parent", "kb", "note", "review", "x"]),
       value=st.one_of(scalars, st.floats(allow_nan=False), st.lists(st.integers(), max_size=2)))
def test_fast_schema_path_gives_the_same_problems_on_mutated_entities(key, value):
    data = json.loads((TESTS / "valid" / "sample" / "corpus" / "sample-doc" / "annotations.json").read_bytes())
    data["entities"][0][key] = value
    slow = list(SchemaValidator(load_schema("annotations")).iter_errors(data))
    if not isinstance(value, float):  # jsonschema-rs counts 0.0 as an integer: the engine skips it for floats
        assert _fast_validator("annotations").is_valid(data) == (not slow)
    assert bool(schema_findings(data, "annotations", floats=isinstance(value, float))) == bool(slow)


def test_json_positions_of_values_keys_and_duplicates():
    text = '{\n  "a": [1,\n    {"b": 2, "b": 3}],\n  "c/d": "x"\n}'
    values, keys, duplicates, non_finite = scan_json(text)
    assert duplicates == ["/a/1/b"] and non_finite == []
    _, findings, locator, _ = parse_json(text)
    [dup] = findings
    assert (dup.code, dup.pointer) == ("json-duplicate-key", "/a/1/b")
    assert locator.at("/a/1/b", key=True) == (3, 14)  # the second "b"
    assert locator.at("/a/1") == (3, 5)
    assert locator.at("/c~1d") == (4, 10)
    assert locator.at("/a/7/zz") == (2, 8)  # nearest located ancestor


def test_non_finite_numbers_are_located():
    _, findings, locator, _ = parse_json('{"x": [1, NaN], "y": 1e999}')
    assert [(f.code, f.pointer) for f in findings] == [("json-non-finite", "/x/1"), ("json-non-finite", "/y")]


def test_deep_nesting_is_refused_without_crashing():
    assert parse_json("[" * 100000 + "]" * 100000)[1][0].code == "nesting-too-deep"
    assert parse_yaml("a: " + "[" * 500)[1][0].code == "nesting-too-deep"
    assert len(parse_yaml("a: " + "[" * 100000)[1]) == 1  # libyaml's own flow limit (1000): a syntax error
    assert parse_yaml("- " * 5000 + "x")[1][0].code == "nesting-too-deep"


def test_yaml_implicit_types_and_refusals():
    parsed = parse_yaml("a: yes\nb: 2026-11-29\nc:\nd: '2026-11-29'\ne: 12\n")
    assert parsed.implicit == {"/a": "a bool", "/b": "a date", "/c": "null", "/e": "a number"}
    assert [f.code for f in parse_yaml("a: &x 1\nb: *x\n").findings] == ["yaml-anchor-alias"]
    assert [f.code for f in parse_yaml("a: !!str 1\n").findings] == ["yaml-explicit-tag"]
    assert [f.code for f in parse_yaml("? [a]\n: 1\n").findings] == ["yaml-unsupported"]
    dup = parse_yaml("a: 1\nb: 2\na: 3\n")
    assert [(f.code, f.line, f.column) for f in dup.findings] == [("yaml-duplicate-key", 3, 1)] and dup.data is None


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_fast_canonical_annotations_on_canonically_ordered_items(data):
    """Items whose keys are already in canonical order take the fast path: it must still match exactly."""
    from akhbar.format.model import ENTITY_KEYS

    def item():
        keys = [k for k in ENTITY_KEYS if data.draw(st.booleans())] + data.draw(st.lists(st.sampled_from(["x", "y~"]),
                                                                                          max_size=2, unique=True))
        return {k: data.draw(st.one_of(scalars, documents)) for k in keys}

    doc = {"schema_version": "1.0", "document": "d", "text_version": 1, "text_sha256": "0" * 64,
           "annotators": [], "sentences": [], "entities": [item() for _ in range(data.draw(st.integers(0, 4)))]}
    assert canonical_annotations(doc) == dumps_annotations(doc)


# ---------------------------------------------------------------- document.yaml's canonical fast path

from akhbar.validate.yamlfast import parse_canonical  # noqa: E402

yaml_strings = st.one_of(
    tricky_text,
    st.text(alphabet=st.sampled_from(list("ab ليبيا:#-?'\"%@!&*[]{},.|>~=<\\/01\u00a0\u0085\u2028\u064e\U0001F600\t\n")),
            max_size=10),
)
yaml_scalars = st.one_of(yaml_strings, st.integers(-5, 10**6), st.booleans(), st.none())
yaml_values = st.recursive(yaml_scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(yaml_strings, inner, max_size=3), max_leaves=10)
document_like = st.fixed_dictionaries(
    {"schema_version": st.just("1.0"), "id": yaml_strings, "title": yaml_strings},
    optional={"source": st.dictionaries(st.sampled_from(["file", "sha256", "url", "note", "published"]), yaml_scalars),
              "versions": st.lists(st.dictionaries(st.sampled_from(["version", "file", "date", "note"]), yaml_scalars,
                                                   min_size=1), max_size=2),
              "extra": yaml_values})


def _assert_sound(text: str) -> None:
    """What the fast path accepts is canonical, and is what YAML reads, with the full parser's positions."""
    fast = parse_canonical(text)
    if fast is None:
        return
    full = parse_yaml(text)
    assert full.findings == [] and fast.data == full.data == yaml.safe_load(text)
    assert dumps_document(fast.data) == text
    assert fast.implicit == full.implicit
    assert fast.locator._values == full.locator._values and fast.locator._keys == full.locator._keys


@settings(max_examples=300, deadline=None)
@given(data=document_like)
def test_fast_canonical_document_reads_what_the_writer_writes(data):
    text = dumps_document(data)
    _assert_sound(text)


@settings(max_examples=300, deadline=None)
@given(data=document_like, style=st.sampled_from([None, "'", '"']), indent=st.sampled_from([2, 4]),
       flow=st.sampled_from([False, None]), cut=st.integers(0, 400), insert=st.sampled_from(["", " ", "'", "#", "\n", "- ", ":"]))
def test_fast_canonical_document_accepts_nothing_else(data, style, indent, flow, cut, insert):
    """Other styles, indentations and edited texts: whatever the fast path accepts must be canonical and exact."""
    try:
        text = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, default_flow_style=flow,
                         default_style=style, indent=indent, width=1 << 30)
    except yaml.YAMLError:
        return
    _assert_sound(text)
    edited = text[:cut] + insert + text[cut:]
    try:
        yaml.safe_load(edited)
    except yaml.YAMLError:
        assert parse_canonical(edited) is None
        return
    _assert_sound(edited)


def test_fast_canonical_document_takes_the_repository_files():
    taken = [path for path in DOCUMENT_FILES if parse_canonical(path.read_text(encoding="utf-8")) is not None]
    assert len(taken) == len(DOCUMENT_FILES)
    for path in taken:
        _assert_sound(path.read_text(encoding="utf-8"))


@settings(max_examples=300, deadline=None)
@given(data=st.data(), keys=st.lists(st.sampled_from(["id", "title", "note", "url", "extra"]), min_size=1, unique=True),
       nested=st.booleans())
def test_fast_canonical_document_plan_reads_as_the_line_reader_does(data, keys, nested):
    """Two texts of one layout (same keys, lines and indentation): the second is read through the first's plan.
    It must give what the line reader gives on its own, or be refused by both."""
    from akhbar.validate import yamlfast

    def text():
        doc = {"schema_version": "1.0", **{k: data.draw(yaml_scalars) for k in keys}}
        if nested:
            doc["versions"] = [{"version": data.draw(yaml_scalars), "file": data.draw(yaml_scalars)}]
        return dumps_document(doc)

    first, second = text(), text()
    yamlfast._PLANS.clear()
    parse_canonical(first)  # leaves the plan of its layout, when it is taken
    through_plan = parse_canonical(second)
    yamlfast._PLANS.clear()
    alone = parse_canonical(second)
    assert (through_plan is None) == (alone is None)
    if alone is not None:
        assert through_plan.data == alone.data and through_plan.implicit == alone.implicit
        assert through_plan.locator._values == alone.locator._values
    _assert_sound(second)


# ---------------------------------------------------------------- annotations.json proven canonical without writing

from akhbar.format.canonical import is_canonical_annotations  # noqa: E402

json_strings = st.one_of(tricky_text, st.text(alphabet=st.sampled_from(list('ab ل"\\\n\t{}[],:') + ["\u2028", "\x7f"]),
                                              max_size=6))
json_scalars = st.one_of(json_strings, st.integers(-3, 10**6), st.booleans(), st.none(), st.floats(allow_nan=False,
                                                                                                  allow_infinity=False))
json_items = st.lists(st.dictionaries(st.sampled_from(["id", "start", "end", "label", "text", "parent", "role", "x"]),
                                      st.one_of(json_scalars, st.lists(json_scalars, max_size=2)), max_size=5),
                      max_size=3)


@settings(max_examples=400, deadline=None)
@given(header=st.dictionaries(st.sampled_from(["schema_version", "document", "text_version", "text_sha256", "extra"]),
                              st.one_of(json_scalars, st.lists(json_scalars, max_size=2))),
       lists=st.fixed_dictionaries({"annotators": json_items, "sentences": json_items, "entities": json_items}),
       order=st.permutations(["header", "lists"]), cut=st.integers(0, 300),
       insert=st.sampled_from(["", " ", "\n", ",", '"id": 1, ', "-", "0", '\\"']), dup=st.booleans())
def test_canonical_annotations_proof_equals_the_comparison(header, lists, order, cut, insert, dup):
    """Written texts, reordered ones and edited ones: the proof says canonical exactly when the writer agrees."""
    data = {**header, **lists} if order[0] == "header" else {**lists, **header}
    texts = [dumps_annotations(data), json.dumps(data, ensure_ascii=False, indent=2) + "\n"]
    written = texts[0]
    texts.append(written[:cut] + insert + written[cut:])
    if dup and lists["entities"]:
        texts.append(written.replace('{"', '{"id": "dup", "', 1))  # a key written twice: json.loads keeps the last
    for text in texts:
        try:
            parsed = json.loads(text)
        except ValueError:
            continue
        try:
            expected = dumps_annotations(parsed) == text
        except Exception:  # noqa: BLE001 - the writer refuses the data: not canonical
            expected = False
        assert is_canonical_annotations(text, parsed) == expected


def test_canonical_annotations_proof_takes_the_repository_files():
    proven = 0
    for path in ANNOTATION_FILES:
        try:
            text = path.read_text(encoding="utf-8")
            data = json.loads(text)
        except (ValueError, OSError):  # the fixtures of bad encodings, bad JSON, folders
            continue
        assert is_canonical_annotations(text, data) == (canonical_annotations(data) == text), path
        proven += canonical_annotations(data) == text
    assert proven > 200  # the corpus's files are canonical


def test_fast_canonical_document_leaves_deep_nesting_to_the_full_parser():
    """A block-style document.yaml nested 3,000 deep (each level a key): no RecursionError, the full parser reports it."""
    deep = "".join(f"{'  ' * i}k{i}:\n" for i in range(3000)) + "  " * 3000 + "v: 1\n"
    assert parse_canonical(deep) is None
    assert [f.code for f in parse_yaml(deep).findings] == ["nesting-too-deep"]


def test_caches_never_keep_a_long_value():
    """The validator's per-value caches keep short values only: a hostile file's long title is computed, not kept."""
    from akhbar.validate import yamlfast, yamlparse

    yamlfast._scalar.cache_clear()
    yamlparse._plain_scalar.cache_clear()
    title = "ب" * 100_000
    result = parse_canonical(f"schema_version: '1.0'\nid: x\ntitle: {title}\n")
    assert result is not None and result.data["title"] == title
    assert yamlfast._scalar.cache_info().currsize == 2  # '1.0' and x, not the title
    assert yamlparse._plain_scalar.cache_info().currsize == 5  # the three keys, 1.0 and x, not the title
