"""The corpus format: canonical writing round-trips, and the committed seed document agrees with its seed."""

from __future__ import annotations

import json

import jsonschema
import yaml
from hypothesis import given
from hypothesis import strategies as st

from akhbar.format.canonical import dumps_annotations, dumps_document
from akhbar.format.corpus import load_annotations, load_document, read_text, sha256_hex
from akhbar.format.labels import label_names, load_labels
from akhbar.format.model import Annotations, Entity, Sentence
from akhbar.format.resources import load_schema
from akhbar.format.index import INDEX_DIR

from conftest import CORPUS, SEED_FILE, SEED_ID, SEED_SHA256


def test_seed_file_is_the_one_received():
    assert sha256_hex(SEED_FILE.read_bytes()) == SEED_SHA256


def test_seed_document_hashes_agree_with_seed_and_version_files():
    doc_dir = CORPUS / SEED_ID
    doc = load_document(doc_dir)
    assert doc.id == SEED_ID == doc_dir.name
    assert doc.source.file == "seeds/" + SEED_FILE.name
    assert doc.source.sha256 == SEED_SHA256
    v1 = doc.version(1)
    raw = (doc_dir / v1.file).read_bytes()
    assert sha256_hex(raw) == v1.sha256
    # The seed needed no normalisation, so version 1 is the seed byte for byte.
    assert raw == SEED_FILE.read_bytes()
    assert len(read_text(doc_dir, v1)) == v1.chars
    for number, version in enumerate(doc.versions, start=1):
        assert version.version == number
        assert sha256_hex((doc_dir / version.file).read_bytes()) == version.sha256
    ann = load_annotations(doc_dir / "annotations.json")
    assert ann.document == SEED_ID
    assert ann.text_sha256 == doc.version(ann.text_version).sha256


def test_committed_files_match_their_schemas():
    for doc_dir in (d for d in CORPUS.iterdir() if d.is_dir() and d.name != INDEX_DIR):  # not the index
        meta = yaml.safe_load((doc_dir / "document.yaml").read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator(load_schema("document")).validate(meta)
        ann = json.loads((doc_dir / "annotations.json").read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator(load_schema("annotations")).validate(ann)


def test_schemas_are_valid_draft_2020_12():
    for name in ("document", "annotations"):
        jsonschema.Draft202012Validator.check_schema(load_schema(name))


def _walk_objects(schema):
    if isinstance(schema, dict):
        if schema.get("type") == "object" or "properties" in schema:
            yield schema
        for value in schema.values():
            yield from _walk_objects(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _walk_objects(value)


def test_every_object_is_closed_and_every_field_described():
    for name in ("document", "annotations"):
        schema = load_schema(name)
        for obj in _walk_objects(schema):
            assert obj.get("additionalProperties") is False, obj.get("description", obj)
            for key, prop in obj["properties"].items():
                described = "description" in prop or (
                    "$ref" in prop and "description" in schema["$defs"][prop["$ref"].rsplit("/", 1)[1]]
                )
                assert described, f"{name}: field {key} has no description"


def test_label_enum_is_generated_from_labels_yaml():
    enum = load_schema("annotations")["properties"]["entities"]["items"]["properties"]["label"]["enum"]
    assert enum == label_names()
    assert len(load_labels()) == 21
    assert {l.conll2003 for l in load_labels()} <= {"PER", "LOC", "ORG", "MISC", "O"}


def test_committed_files_are_canonical():
    for doc_dir in (d for d in CORPUS.iterdir() if d.is_dir() and d.name != INDEX_DIR):  # not the index
        raw = (doc_dir / "annotations.json").read_bytes()
        assert dumps_annotations(json.loads(raw)).encode("utf-8") == raw
        raw = (doc_dir / "document.yaml").read_bytes()
        assert dumps_document(yaml.safe_load(raw)).encode("utf-8") == raw


_ids = st.from_regex(r"[a-z][a-z0-9]{0,5}", fullmatch=True)
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20)


@st.composite
def annotations(draw):
    sentences = tuple(
        Sentence(f"s{i}", start, start + draw(st.integers(1, 50)))
        for i, start in enumerate(draw(st.lists(st.integers(0, 1000), max_size=5)))
    )
    entities = tuple(
        Entity(
            f"e{i}",
            start,
            start + len(text),
            draw(st.sampled_from(label_names())),
            text,
            parent=draw(st.none() | _ids),
            kb=draw(st.none() | st.from_regex(r"Q[1-9][0-9]{0,6}", fullmatch=True)),
            note=draw(st.none() | _text),
        )
        for i, (start, text) in enumerate(draw(st.lists(st.tuples(st.integers(0, 1000), _text), max_size=5)))
    )
    return Annotations(draw(_ids), draw(st.integers(1, 9)), "0" * 64, (), sentences, entities)


@given(annotations())
def test_annotations_round_trip_through_canonical_json(ann):
    text = dumps_annotations(ann.to_dict())
    again = Annotations.from_dict(json.loads(text))
    assert again == ann
    assert dumps_annotations(again.to_dict()) == text
    # one line per sentence and entity: a diff shows one changed line per annotation
    item_lines = [line for line in text.splitlines() if line.startswith('    {"id": ')]
    assert len(item_lines) == len(ann.sentences) + len(ann.entities)


def test_round_trip_of_the_seed_document(tmp_path):
    doc = load_document(CORPUS / SEED_ID)
    path = tmp_path / "document.yaml"
    path.write_text(dumps_document(doc.to_dict()), encoding="utf-8")
    assert load_document(path) == doc
    dumped = yaml.safe_load(path.read_text(encoding="utf-8"))
    # dates stay strings: an unquoted YAML date would load as datetime.date
    assert all(isinstance(v["date"], str) for v in dumped["versions"])


def test_atomic_write_gives_new_files_the_usual_mode_and_keeps_an_old_files_mode(tmp_path):
    import os
    import stat

    from akhbar.format.atomic import atomic_write

    umask = os.umask(0o022)
    try:
        new = tmp_path / "new.json"
        atomic_write(new, "{}")
        assert stat.S_IMODE(new.stat().st_mode) == 0o644  # not mkstemp's 0600
        old = tmp_path / "old.json"
        old.write_text("x")
        old.chmod(0o640)
        atomic_write(old, "y")
        assert stat.S_IMODE(old.stat().st_mode) == 0o640 and old.read_text() == "y"
        assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    finally:
        os.umask(umask)


def test_entity_from_dict_takes_every_key_in_its_place():
    # Entity.from_dict passes the keys positionally (no keyword dict per entity): the fields must stay in
    # ENTITY_KEYS order, and every optional key must land in its own field.
    from dataclasses import fields

    from akhbar.format.model import ENTITY_KEYS

    assert tuple(f.name for f in fields(Entity)) == ENTITY_KEYS
    full = {"id": "e1", "start": 2, "end": 5, "label": "ORG", "text": "abc", "parent": "e0", "kb": "Q1",
            "note": "n", "review": "r"}
    assert Entity.from_dict(full).to_dict() == full
    bare = {k: full[k] for k in ("id", "start", "end", "label", "text")}
    assert Entity.from_dict(bare) == Entity("e1", 2, 5, "ORG", "abc")
