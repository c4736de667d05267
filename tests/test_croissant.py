"""croissant.json, SHA256SUMS and the card of a real build of the corpus, checked with mlcroissant and sha256sum."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

import json  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import datasets  # noqa: E402
import mlcroissant as mlc  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
import pytest  # noqa: E402
from conftest import CORPUS, REPO  # noqa: E402

import akhbar  # noqa: E402
from akhbar.dataset.build import build  # noqa: E402
from akhbar.cite import bibtex, load_citation  # noqa: E402
from akhbar.format.corpus import iter_document_dirs, load_annotations, load_document  # noqa: E402
from akhbar.dataset.croissant import AI_MODEL_HANDLE_PREFIXES, corpus_facts, croissant_metadata, field_for_feature  # noqa: E402,E501
from akhbar.dataset.features import CONFIGS, features  # noqa: E402
from akhbar.format.labels import label_names  # noqa: E402
from akhbar.dataset.manifest import MANIFEST_FILE, read_manifest, verify_manifest  # noqa: E402
from akhbar.dataset.rows import read_corpus  # noqa: E402

# Croissant 1.0 "Required" dataset properties. `url` is required by the spec too, but the
# project has no URL yet and invents none: it is written as soon as CITATION.cff has a `url`.
REQUIRED = ("@context", "@type", "conformsTo", "name", "description", "license", "creator", "datePublished")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("croissant") / "dataset"
    build(CORPUS, out)
    return out


@pytest.fixture(scope="module")
def metadata(built) -> dict:
    return json.loads((built / "croissant.json").read_text(encoding="utf-8"))


def parquet_rows(folder: Path, config: str) -> int:
    return sum(pq.read_metadata(p).num_rows for p in (folder / "data" / config).glob("*.parquet"))


def test_mlcroissant_validates_it_with_no_error_or_warning(built):
    dataset = mlc.Dataset(jsonld=str(built / "croissant.json"))
    assert dataset.metadata.ctx.issues.errors == set()
    assert dataset.metadata.ctx.issues.warnings == set()


def test_mlcroissant_command_line_validates_it(built):
    done = subprocess.run([sys.executable, "-m", "mlcroissant.scripts.cli", "validate", "--jsonld",
                           str(built / "croissant.json")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def test_mlcroissant_loads_every_record_set_offline_with_the_parquet_row_counts(built):
    dataset = mlc.Dataset(jsonld=str(built / "croissant.json"))
    for config in CONFIGS:
        records = list(dataset.records(record_set=config))
        assert len(records) == parquet_rows(built, config) > 0, config
    first = next(iter(dataset.records(record_set="entities")))
    assert 0 <= first["entities/label"] < len(label_names())


def test_required_and_versioned_properties(metadata):
    for key in REQUIRED:
        assert metadata.get(key), key
    assert metadata["@type"] == "sc:Dataset"
    assert metadata["conformsTo"] == "http://mlcommons.org/croissant/1.0"
    assert metadata["version"] == akhbar.__version__
    assert metadata["datePublished"] == load_citation()["date-released"]
    spdx = {load_document(d).license.annotations for d in iter_document_dirs(CORPUS)}
    spdx |= {load_document(d).license.text_spdx for d in iter_document_dirs(CORPUS)} - {None}
    licenses = metadata["license"] if isinstance(metadata["license"], list) else [metadata["license"]]
    assert "https://creativecommons.org/licenses/by/4.0/" in licenses and len(licenses) == len(spdx)
    assert metadata["citeAs"] == bibtex()
    assert metadata["creator"] == {"@type": "sc:Organization", "name": "The Akhbar contributors"}
    assert "url" not in metadata  # none is known; none is invented


def test_every_parquet_file_is_listed_with_its_real_sha256(built, metadata):
    files = {d["contentUrl"]: d for d in metadata["distribution"] if d["@type"] == "cr:FileObject"}
    on_disk = sorted(p.relative_to(built).as_posix() for p in (built / "data").rglob("*.parquet"))
    splits = {load_document(d).split for d in iter_document_dirs(CORPUS)}
    assert sorted(files) == on_disk and len(on_disk) == len(CONFIGS) * len(splits)  # one shard per config and split
    manifest = read_manifest(built)
    for rel, item in files.items():
        assert item["sha256"] == manifest[rel]
        assert item["contentSize"] == f"{(built / rel).stat().st_size} B"
    sets = [d for d in metadata["distribution"] if d["@type"] == "cr:FileSet"]
    assert sorted(s["includes"] for s in sets) == sorted(f"data/{c}/*.parquet" for c in CONFIGS)


def test_record_sets_are_typed_from_the_features(metadata):
    feats = features()
    by_id = {rs["@id"]: rs for rs in metadata["recordSet"]}
    assert sorted(by_id) == sorted(CONFIGS)
    for config in CONFIGS:
        names = [f["@id"].split("/", 1)[1] for f in by_id[config]["field"]]
        expected = list(feats[config]) if "split" in feats[config] else ["split", *feats[config]]
        assert names == expected, config
    label = next(f for f in by_id["entities"]["field"] if f["@id"] == "entities/label")
    assert label["dataType"] == "sc:Integer"
    assert all(f"{i}={name}" in label["description"] for i, name in enumerate(label_names()))
    tags = next(f for f in by_id["ner"]["field"] if f["@id"] == "ner/ner_tags")
    assert tags["repeated"] is True and tags["dataType"] == "sc:Integer"
    entities = next(f for f in by_id["documents"]["field"] if f["@id"] == "documents/entities")
    assert entities["repeated"] is True
    assert [s["source"]["transform"]["jsonPath"] for s in entities["subField"]][:3] == ["id", "start", "end"]


def test_responsible_ai_fields_state_the_corpus_facts(metadata):
    for key in ("rai:dataCollection", "rai:dataAnnotationProtocol", "rai:annotatorDemographics",
                "rai:annotationsPerItem", "rai:personalSensitiveInformation", "rai:dataLimitations",
                "rai:dataReleaseMaintenancePlan"):
        assert metadata.get(key), key
    tools = sorted({a.id for d in iter_document_dirs(CORPUS) for a in load_annotations(d / "annotations.json").annotators
                    if a.role == "tool" or a.id.startswith(AI_MODEL_HANDLE_PREFIXES)})
    # akhbar-revise carried the seed to v2; the claude-ai-* handles are AI-model annotators, machines too
    assert metadata.get("rai:machineAnnotationTools", []) == tools
    persons = sum(
        e.label == "PERS" for d in iter_document_dirs(CORPUS) for e in load_annotations(d / "annotations.json").entities
    )
    assert f"({persons} PERS mention(s)" in metadata["rai:personalSensitiveInformation"][0]
    assert "akhbar-founding-team" in metadata["rai:annotatorDemographics"][0]


def test_corpus_facts_count_roles_and_unknown_sources():
    pairs = [(load_document(d), load_annotations(d / "annotations.json")) for d in iter_document_dirs(CORPUS)]
    facts = corpus_facts(pairs + pairs)
    assert facts["documents"] == 2 * len(pairs)
    assert facts["unknown_publisher"] == 2 * sum(d.source.publisher is None for d, _ in pairs)  # the seed's
    assert facts["unknown_date"] == 2 * sum(d.source.published is None for d, _ in pairs)
    roles: dict[str, set] = {}
    for _, a in pairs:
        for person in a.annotators:
            roles.setdefault(person.role, set()).add(person.id)
    assert facts["annotators"] == {role: sorted(ids) for role, ids in roles.items()}
    assert "akhbar-founding-team" in facts["annotators"]["annotator"]
    assert facts["entities"] == 2 * sum(len(a.entities) for _, a in pairs)


def test_a_tool_annotator_is_named_as_machine_annotation_tool(built):
    facts = {"documents": 1, "entities": 0, "persons": 0, "unknown_publisher": 0, "unknown_date": 0,
             "annotators": {"tool": ["pre-annotator-1.0"]}}
    md = croissant_metadata(built, {"ner": features()["ner"]}, "0.1.0", facts=facts)
    assert md["rai:machineAnnotationTools"] == ["pre-annotator-1.0"]


def test_refuses_features_without_a_croissant_type_and_configs_without_files(tmp_path):
    with pytest.raises(ValueError):
        field_for_feature("c", "blob", datasets.Value("binary"), "fs")
    with pytest.raises(ValueError):
        field_for_feature("c", "x", datasets.List(datasets.List({"a": datasets.Value("int32")})), "fs")
    with pytest.raises(ValueError):
        croissant_metadata(tmp_path, {"documents": features()["documents"]}, "0.1.0")


def test_manifest_lists_every_other_file_and_sha256sum_agrees(built):
    listed = read_manifest(built)
    files = sorted(p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file())
    assert sorted(listed) == [f for f in files if f != MANIFEST_FILE]
    assert verify_manifest(built) == []
    if shutil.which("sha256sum"):
        done = subprocess.run(["sha256sum", "--check", "--strict", MANIFEST_FILE], cwd=built, capture_output=True)
        assert done.returncode == 0, done.stdout


def test_verify_manifest_names_changed_missing_and_unlisted_files(built, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    (copy / "LICENSE.md").write_text("changed\n", encoding="utf-8")
    (copy / "datasheet.md").unlink()
    (copy / "extra.txt").write_text("x\n", encoding="utf-8")
    assert verify_manifest(copy) == [("LICENSE.md", "changed"), ("datasheet.md", "missing"), ("extra.txt", "unlisted")]


def test_the_card_states_version_fingerprint_bibtex_and_links_the_datasheet(built, metadata):
    card = (built / "README.md").read_text(encoding="utf-8")
    fingerprint = read_corpus(CORPUS).fingerprint
    assert f"- Version: {akhbar.__version__}\n" in card
    assert f"`{fingerprint}`" in card and fingerprint in metadata["description"]
    assert bibtex().strip() in card
    assert "](datasheet.md)" in card
    assert (built / "datasheet.md").read_bytes() == (REPO / "docs" / "datasheet.md").read_bytes()
    assert load_citation(built / "CITATION.cff")["version"] == akhbar.__version__


def test_the_datasheet_answers_every_section_and_says_what_is_unknown():
    sheet = (REPO / "docs" / "datasheet.md").read_text(encoding="utf-8")
    for section in ("Motivation", "Composition", "Collection process", "Preprocessing", "Uses", "Distribution",
                    "Maintenance"):
        assert f"\n## {section}" in sheet, section
    doc = load_document(CORPUS / "000-2a47d67380bc8a8f")
    assert doc.source.publisher is None and doc.source.published is None
    assert "publisher, publication date and URL are not\nknown" in sheet
