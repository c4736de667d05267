"""The card's sources, annotators, per-split label counts and agreement come from the data, not from prose."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from akhbar.cli import main
from akhbar.dataset.passes import read_agreements
from akhbar.errors import UsageError
from conftest import REPO


@pytest.fixture(scope="module")
def card(tmp_path_factory) -> str:
    root = tmp_path_factory.mktemp("repo")
    for name in ("corpus", "seeds", "annotation-passes"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "CITATION.cff", root / "CITATION.cff")
    assert main(["build", "--corpus", str(root / "corpus"), "--out", str(root / "ds"), "--quiet"]) == 0
    return (root / "ds" / "README.md").read_text(encoding="utf-8")


def _section(card: str, title: str) -> str:
    return card.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_label_counts_per_split_add_up(card):
    rows = [r.split(" | ") for r in _section(card, "Tag set").splitlines() if re.match(r"\| [A-Z]+ \|", r)]
    assert len(rows) == 21
    for row in rows:
        total, *splits = (int(x) for x in row[1:5])
        assert total == sum(splits)
    assert sum(int(r[1]) for r in rows) == 886


def test_every_source_is_listed_with_its_document_count(card):
    sources = _section(card, "Sources")
    counts = [int(n) for n in re.findall(r"\*\*(\d+) document\(s\)\*\*", sources)]
    assert sorted(counts) == [1, 215]
    assert "professionally translated" in sources  # the source note says the text is translation


def test_annotators_and_the_agreement_figure(card):
    section = _section(card, "Annotators and annotation quality")
    assert re.search(r"claude\\-ai\\-annotator\\-a \| annotator \| 215", section)
    assert "| ud-arabic-pud-news | 215 | 801 / 801 | 0.990 | 0.993 | 0.990 |" in section


def test_a_malformed_agreement_file_is_a_usage_error(tmp_path):
    folder = tmp_path / "annotation-passes" / "x"
    folder.mkdir(parents=True)
    (folder / "agreement.json").write_text(json.dumps({"pairs": []}), encoding="utf-8")
    with pytest.raises(UsageError):
        read_agreements(tmp_path)
    assert read_agreements(tmp_path / "nowhere") == ()
