"""Licences flow from an import to the users: the documents config, the card, LICENSE.md, croissant.json, a warning."""

from __future__ import annotations

import json
from pathlib import Path

import mlcroissant as mlc
import pyarrow.parquet as pq
import pytest

from akhbar.cli import main
from akhbar.validate import validate_paths

FIXTURES = Path(__file__).resolve().parent / "import_fixtures"


@pytest.fixture(scope="module")
def mixed_build(tmp_path_factory):
    """The seed corpus (CC-BY-4.0 annotations, publisher's rights) plus two imported CC-BY-SA texts, built into
    `ds/` here, so that every test of the module can run alone or in any order; and what the build printed on
    stderr."""
    import contextlib
    import io
    import shutil

    from conftest import CORPUS, SEED_FILE, SEED_ID

    repo = tmp_path_factory.mktemp("mixed")
    (repo / "seeds").mkdir()
    shutil.copytree(CORPUS / SEED_ID, repo / "corpus" / SEED_ID)
    shutil.copy(SEED_FILE, repo / "seeds" / SEED_FILE.name)
    assert main(["import", "--rebuild-index", "--corpus", str(repo / "corpus")]) == 0
    assert main(["import", "--format", "conllu", str(FIXTURES / "news.conllu"), "--corpus", str(repo / "corpus"),
                 "--id-prefix", "pud", "--text-license", "CC-BY-SA-3.0", "--annotations-license", "CC-BY-SA-4.0",
                 "--source-citation", "UD Arabic-PUD", "--annotator", "ud-pud", "--date", "2026-12-01"]) == 0
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["build", "--corpus", str(repo / "corpus"), "--out", str(repo / "ds"), "--quiet"]) == 0
    return repo, err.getvalue()


@pytest.fixture
def mixed(mixed_build):
    return mixed_build[0]


def test_mixed_licences_build_with_a_warning(mixed_build):
    _, err = mixed_build
    assert "warning" in err and "2 document(s): annotations CC-BY-SA-4.0" in err


def test_documents_config_carries_each_documents_licence(mixed):
    rows = []
    for f in (mixed / "ds" / "data" / "documents").glob("*.parquet"):
        rows += pq.read_table(f).to_pylist()
    by_id = {r["id"]: r for r in rows}
    assert by_id["pud-n1"]["license"]["text_spdx"] == "CC-BY-SA-3.0"
    assert by_id["pud-n1"]["license"]["annotations"] == "CC-BY-SA-4.0"
    assert by_id["pud-n1"]["source"]["document"] == "n1" and by_id["pud-n1"]["source"]["citation"] == "UD Arabic-PUD"
    seed = by_id["000-2a47d67380bc8a8f"]
    assert seed["license"]["text_spdx"] is None and seed["license"]["annotations"] == "CC-BY-4.0"


def test_card_and_license_file_list_each_licence_with_its_count(mixed):
    card = (mixed / "ds" / "README.md").read_text(encoding="utf-8")
    assert "- 2 document(s): annotations under CC-BY-SA-4.0" in card
    assert "- 1 document(s): annotations under CC-BY-4.0" in card
    assert "## 2 document(s)" in (mixed / "ds" / "LICENSE.md").read_text(encoding="utf-8")


def test_croissant_states_the_licences_used(mixed):
    meta = json.loads((mixed / "ds" / "croissant.json").read_text(encoding="utf-8"))
    assert sorted(meta["license"]) == sorted(["https://creativecommons.org/licenses/by/4.0/",
                                              "https://creativecommons.org/licenses/by-sa/3.0/",
                                              "https://creativecommons.org/licenses/by-sa/4.0/"])
    dataset = mlc.Dataset(jsonld=str(mixed / "ds" / "croissant.json"))
    assert dataset.metadata.ctx.issues.errors == set()


def test_validate_warns_on_a_share_alike_text_without_share_alike_annotations(mixed, tmp_path):
    doc = mixed / "corpus" / "pud-n1" / "document.yaml"
    original = doc.read_bytes()
    try:
        doc.write_bytes(original.replace(b"annotations: CC-BY-SA-4.0", b"annotations: CC-BY-4.0"))
        report = validate_paths([mixed / "corpus"])
        assert report.valid and [p.code for p in report.problems] == ["license-share-alike"]
    finally:
        doc.write_bytes(original)
