"""Walk-through 2 of docs/contributing.md against a REAL Label Studio server, end to end.

ingest → suggest → `akhbar export --format label-studio` → a Label Studio
project with the generated config, the tasks imported → an annotator
submits an annotation (the pending suggestions taken, one region added) →
the project's JSON export → `akhbar import --format label-studio` into the
copy of the corpus → `akhbar validate`.

Label Studio's pins conflict with ours, so it lives in its own virtual
environment: `.ci/run` creates `.ci/ls-venv` and sets `AKHBAR_LABEL_STUDIO`
to its `label-studio` program. Without it the test is skipped locally, and
fails under CI=true.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from akhbar.cli import main
from akhbar.format.corpus import ANNOTATIONS_FILE, load_annotations

TOKEN = "akhbartesttoken0123456789abcdef01234567"
ARTICLE = ("اجتماع في تونس لبحث الوضع في ليبيا\n"
           "قال مصدر أمني جزائري، أمس، إن «داعش» ينتقل إلى ليبيا. وأكدت صحيفة «الخبر» أن مصر وتونس تنسقان مع وزير الداخلية.\n")


def _program() -> str:
    program = os.environ.get("AKHBAR_LABEL_STUDIO") or shutil.which("label-studio")
    if not program or not Path(program).exists():
        why = "Label Studio is not installed (set AKHBAR_LABEL_STUDIO; .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(f"the Label Studio test cannot run in CI: {why}")
        pytest.skip(why)
    return program


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    program = _program()
    port = _free_port()
    data = tmp_path / "ls-data"
    env = {**os.environ, "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true"}
    log = open(tmp_path / "ls.log", "wb")
    proc = subprocess.Popen(
        [program, "start", "--no-browser", "--data-dir", str(data), "--port", str(port), "--internal-host", "127.0.0.1",
         "--host", f"http://127.0.0.1:{port}", "--username", "annotator@example.org", "--password", "akhbar-test-pass",
         "--user-token", TOKEN, "--enable-legacy-api-token"],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # a readiness wait, not a timing assertion
        while True:
            try:
                with urllib.request.urlopen(base + "/health", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("Label Studio did not start: " + (tmp_path / "ls.log").read_text(errors="replace")[-2000:])
            time.sleep(1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _api(base: str, method: str, path: str, body=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=None if body is None else json.dumps(body).encode("utf-8"),
                                 headers={"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        payload = r.read()
    return json.loads(payload) if payload else None


def test_walkthrough_label_studio_round_trip(server, repo_copy, monkeypatch, tmp_path):
    monkeypatch.chdir(repo_copy)
    monkeypatch.setenv("AKHBAR_MODELS", str(tmp_path / "models"))
    article = tmp_path / "article.txt"
    article.write_bytes(ARTICLE.encode("utf-8"))
    assert main(["ingest", str(article), "--id", "walk-two"]) == 0
    assert main(["suggest", "walk-two"]) == 0
    suggested = load_annotations(repo_copy / "corpus" / "walk-two" / ANNOTATIONS_FILE)
    assert main(["export", "--format", "label-studio", "--out", str(tmp_path / "ls")]) == 0
    seed_before = {p.name: p.read_bytes() for p in (repo_copy / "corpus").glob("000-*/" + ANNOTATIONS_FILE)}

    config = (tmp_path / "ls" / "labeling-config.xml").read_text(encoding="utf-8")
    project = _api(server, "POST", "/api/projects", {"title": "akhbar walk-through", "label_config": config})
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))
    imported = _api(server, "POST", f"/api/projects/{project['id']}/import", tasks)
    assert imported["task_count"] == len(tasks) == 2

    listed = _api(server, "GET", f"/api/tasks?project={project['id']}")
    listed = listed["tasks"] if isinstance(listed, dict) else listed
    task = next(t for t in listed if t["data"]["doc_id"] == "walk-two")
    prediction, = _api(server, "GET", f"/api/predictions?task={task['id']}")
    # the annotator takes the suggestions and draws one more region: وزير الداخلية, in UTF-16 units (all BMP here)
    start = ARTICLE.index("وزير الداخلية")
    result = prediction["result"] + [{"id": "drawn1", "from_name": "label", "to_name": "text", "type": "labels",
                                      "value": {"start": start, "end": start + len("وزير الداخلية"),
                                                "text": "وزير الداخلية", "labels": ["OCC"]}}]
    _api(server, "POST", f"/api/tasks/{task['id']}/annotations", {"result": result, "was_cancelled": False})

    exported = _api(server, "GET", f"/api/projects/{project['id']}/export?exportType=JSON")
    (tmp_path / "export.json").write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    assert main(["import", "--format", "label-studio", str(tmp_path / "export.json")]) == 0

    after = load_annotations(repo_copy / "corpus" / "walk-two" / ANNOTATIONS_FILE)
    assert all(x.review is None for x in after.sentences + after.entities)
    assert [(s.start, s.end) for s in after.sentences] == [(s.start, s.end) for s in suggested.sentences]
    assert {(e.start, e.end, e.label, e.parent) for e in after.entities} == (
        {(e.start, e.end, e.label, e.parent) for e in suggested.entities} | {(start, start + 13, "OCC", None)})
    assert {p.name: p.read_bytes() for p in (repo_copy / "corpus").glob("000-*/" + ANNOTATIONS_FILE)} == seed_before
    assert main(["validate", "corpus"]) == 0
