"""Label Studio: the export (tasks, UTF-16 offsets, config) and reading an export back for existing documents."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from akhbar.cli import main
from akhbar.dataset.export import export
from akhbar.dataset.label_studio import labeling_config, to_task, utf16_offsets
from akhbar.errors import InvalidDataError
from akhbar.format.corpus import ANNOTATIONS_FILE, load_annotations
from akhbar.format.labels import label_names
from akhbar.format.model import Annotations, Entity
from akhbar.imports.label_studio_update import apply_updates, read_updates
from conftest import SEED_ID


def test_config_has_every_label_rtl_text_and_the_parent_relation():
    root = ET.fromstring(labeling_config())
    values = [x.get("value") for x in root.find("Labels[@name='label']")]
    assert values == label_names()
    assert [x.get("value") for x in root.find("Relations")] == ["parent"]
    text = root.find(".//Text")
    assert text.get("value") == "$text" and "rtl" in root.find(".//View[@className='akhbar-text']").get("style")


def test_utf16_offsets_count_astral_characters_twice():
    assert utf16_offsets("a😀ب") == [0, 1, 3, 4]


def test_task_splits_accepted_and_pending_and_carries_nesting():
    text = "😀 وزير الخارجية التونسي"
    a = Annotations("d", 1, "0" * 64, entities=(
        Entity("e1", 2, 23, "OCC", text[2:23]), Entity("e2", 16, 23, "NORP", text[16:23], "e1"),
        Entity("e3", 7, 15, "ORG", text[7:15], "e1", review="suggested: gazetteer")))
    assert (a.entities[0].text, a.entities[1].text, a.entities[2].text) == ("وزير الخارجية التونسي", "التونسي", "الخارجية")
    task = to_task("d", text, a)
    ann, = task["annotations"]
    pred, = task["predictions"]
    regions = {r["id"]: r for r in ann["result"] if r["type"] == "labels"}
    assert set(regions) == {"e1", "e2"}
    assert (regions["e1"]["value"]["start"], regions["e1"]["value"]["end"]) == (3, 24)  # the emoji is 2 units
    assert [(r["from_id"], r["to_id"]) for r in ann["result"] if r["type"] == "relation"] == [("e2", "e1")]
    assert {r["id"] for r in pred["result"] if r["type"] == "labels"} == {"e1", "e3"}  # the parent comes along
    assert pred["model_version"] == "akhbar suggest: gazetteer"


def _export_seed(repo, tmp_path):
    assert export(repo / "corpus", "label-studio", tmp_path / "ls") == 1
    return json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))


def test_round_trip_of_the_seed_is_exact(repo_copy, tmp_path):
    tasks = _export_seed(repo_copy, tmp_path)
    path = repo_copy / "corpus" / SEED_ID / ANNOTATIONS_FILE
    before = path.read_bytes()
    tasks[0]["annotations"][0].update(id=1, completed_by=7)
    (tmp_path / "back.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    updates, skipped = read_updates(tmp_path / "back.json", repo_copy / "corpus")
    assert not skipped and len(updates) == 1
    assert updates[0].after == updates[0].before  # ids, parents (6 nested), kb and notes all survive
    apply_updates(updates, repo_copy / "corpus")
    assert path.read_bytes() == before


def test_nesting_by_containment_and_latest_annotation_or_annotator(repo_copy, tmp_path):
    tasks = _export_seed(repo_copy, tmp_path)
    result = tasks[0]["annotations"][0]["result"]
    plain = [r for r in result if r["type"] == "labels"]  # drawn again in the tool: no relations, new ids
    for k, r in enumerate(plain):
        r["id"] = f"ls{k}"
    old = {"id": 1, "completed_by": {"id": 1, "email": "a@example.org"}, "updated_at": "2026-01-01T00:00:00Z",
           "result": plain[:3]}
    new = {"id": 2, "completed_by": {"id": 2, "email": "b@example.org"}, "updated_at": "2026-02-01T00:00:00Z",
           "result": plain}
    cancelled = {"id": 3, "was_cancelled": True, "updated_at": "2026-03-01T00:00:00Z", "result": []}
    tasks[0]["annotations"] = [old, new, cancelled]
    (tmp_path / "back.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    seed = load_annotations(repo_copy / "corpus" / SEED_ID / ANNOTATIONS_FILE)
    (update,), _ = read_updates(tmp_path / "back.json", repo_copy / "corpus")
    assert update.annotation_id == 2
    assert update.after.entities == seed.entities  # containment rebuilds every parent
    (update,), _ = read_updates(tmp_path / "back.json", repo_copy / "corpus", annotator="a@example.org")
    assert update.annotation_id == 1 and len(update.after.entities) == 3


def test_changed_text_is_refused_and_nothing_written(repo_copy, tmp_path):
    tasks = _export_seed(repo_copy, tmp_path)
    tasks[0]["data"]["text"] = tasks[0]["data"]["text"].replace("ليبيا", "ليبيا!", 1)
    (tmp_path / "back.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InvalidDataError) as exc:
        read_updates(tmp_path / "back.json", repo_copy / "corpus")
    assert [p.split(": ")[2].split()[0] for p in exc.value.problems] == ["ls-text-changed"]


def test_export_cli_takes_doc_ids_and_exports_unannotated_documents(repo_copy, monkeypatch, tmp_path):
    monkeypatch.chdir(repo_copy)
    article = tmp_path / "a.txt"
    article.write_bytes("خبر عن تونس.\n".encode("utf-8"))
    assert main(["ingest", str(article), "--id", "fresh-one"]) == 0
    assert main(["export", "--format", "label-studio", "--out", str(tmp_path / "ls"), "fresh-one"]) == 0
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))
    assert [t["data"]["doc_id"] for t in tasks] == ["fresh-one"]
    assert tasks[0]["annotations"] == [] and tasks[0]["predictions"] == []
    assert main(["export", "--format", "label-studio", "--out", str(tmp_path / "ls2"), "no-such"]) == 2
