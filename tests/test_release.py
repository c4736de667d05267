"""`akhbar release`: refusals that write nothing, and a release cut in a temporary copy of the repository."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from akhbar.cite import load_citation
from akhbar.cli import main
from akhbar.release import (
    apply_release,
    changelog_sections,
    date_changelog_section,
    parse_version,
    plan_release,
    read_version,
    set_citation_version,
)

from conftest import REPO, SEED_ID, tree
from test_cite import cff_errors

COPIED = ["src", "schema", "corpus", "seeds", "CHANGELOG.md", "CITATION.cff", "pyproject.toml"]
CHANGELOG = """# Changelog

Intro text.

## [Unreleased]

### Added
- A document.

## [0.1.0] - 2026-11-29

### Added
- The format.
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the repository's release-relevant files, released at 0.1.0, with 0.2.0 prepared."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in COPIED:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, root / name)
    (root / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    _set_released(root, "0.1.0", "2026-11-29")  # whatever the repository's own version is now
    return root


def _set_released(root: Path, version: str, date: str) -> None:
    init = root / "src" / "akhbar" / "__init__.py"
    init.write_text(re.sub(r'__version__ = "[^"]*"', f'__version__ = "{version}"', init.read_text(encoding="utf-8")),
                    encoding="utf-8")
    cff = root / "CITATION.cff"
    text = re.sub(r'(\n\s*)version: "[^"]*"', rf'\g<1>version: "{version}"', cff.read_text(encoding="utf-8"))
    text = re.sub(r'(\n\s*)date-released: "[^"]*"', rf'\g<1>date-released: "{date}"', text)
    cff.write_text(text, encoding="utf-8")


def prepare(repo: Path, version: str = "0.2.0") -> None:
    """What a maintainer does before releasing: rename the Unreleased section."""
    path = repo / "CHANGELOG.md"
    path.write_text(path.read_text(encoding="utf-8").replace("## [Unreleased]", f"## [{version}]"), encoding="utf-8")


def release(repo: Path, *args: str) -> int:
    return main(["release", *args, "--repo", str(repo)])


# --- a release, end to end ---------------------------------------------------


def test_cuts_a_release_in_a_copy_of_the_repository(repo, capsys):
    prepare(repo)
    for name in ("CITATION.cff", "CHANGELOG.md"):
        os.chmod(repo / name, 0o644)
    before = tree(repo)
    assert release(repo, "0.2.0", "--date", "2027-01-15") == 0
    after = tree(repo)
    # Regression: the temporary file of an atomic write is 0600; a release keeps each file's mode.
    assert {os.stat(repo / n).st_mode & 0o777 for n in ("CITATION.cff", "CHANGELOG.md")} == {0o644}
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {"src/akhbar/__init__.py", "CITATION.cff", "CHANGELOG.md"}

    assert read_version(repo) == "0.2.0"
    cff = load_citation(repo / "CITATION.cff")
    assert (cff["version"], cff["date-released"]) == ("0.2.0", "2027-01-15")
    pref = cff["preferred-citation"]
    assert (pref["version"], pref["date-released"]) == ("0.2.0", "2027-01-15")
    assert cff_errors(cff) == []
    # Comments and layout of CITATION.cff survive: only the four lines differ.
    old_lines = before["CITATION.cff"].decode().splitlines()
    new_lines = after["CITATION.cff"].decode().splitlines()
    assert len(old_lines) == len(new_lines)
    assert sum(a != b for a, b in zip(old_lines, new_lines)) == 4

    sections = [(s.name, s.date) for s in changelog_sections((repo / "CHANGELOG.md").read_text(encoding="utf-8"))]
    assert sections == [("Unreleased", None), ("0.2.0", "2027-01-15"), ("0.1.0", "2026-11-29")]
    out = capsys.readouterr().out
    assert "0.2.0" in out


def test_the_released_copy_states_its_new_version_everywhere(repo):
    """The copy's own package reports the new version and cites it: they take it from one place."""
    prepare(repo)
    assert release(repo, "0.2.0", "--date", "2027-01-15") == 0
    env = {**os.environ, "PYTHONPATH": str(repo / "src")}
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "akhbar", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert run("--version").split() == ["akhbar", "0.2.0"]
    assert "version = {0.2.0}" in run("cite")
    assert "(Version 0.2.0) [Data set]" in run("cite", "--format", "apa")


def test_a_build_after_the_release_states_it_in_the_card_and_croissant(repo, tmp_path):
    from akhbar.dataset.build import build

    prepare(repo)
    assert release(repo, "0.2.0", "--date", "2027-01-15") == 0
    out = tmp_path / "dataset"
    build(repo / "corpus", out)
    croissant = json.loads((out / "croissant.json").read_text(encoding="utf-8"))
    assert (croissant["version"], croissant["datePublished"]) == ("0.2.0", "2027-01-15")
    assert "version = {0.2.0}" in croissant["citeAs"]
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "- Version: 0.2.0\n" in card and "version = {0.2.0}" in card
    assert load_citation(out / "CITATION.cff")["version"] == "0.2.0"


def test_first_release_of_a_never_released_version(repo):
    """0.1.0 was never released (no dated section): it may be released as is."""
    (repo / "CHANGELOG.md").write_text("# Changelog\n\n## [0.1.0]\n\n### Added\n- Everything.\n", encoding="utf-8")
    assert read_version(repo) == "0.1.0"
    assert release(repo, "0.1.0", "--date", "2026-11-30") == 0
    sections = [(s.name, s.date) for s in changelog_sections((repo / "CHANGELOG.md").read_text(encoding="utf-8"))]
    assert sections == [("Unreleased", None), ("0.1.0", "2026-11-30")]


def test_dry_run_checks_and_writes_nothing(repo, capsys):
    prepare(repo)
    before = tree(repo)
    assert release(repo, "0.2.0", "--dry-run") == 0
    assert tree(repo) == before
    assert "would update" in capsys.readouterr().out


# --- refusals: exit status, nothing written ----------------------------------


def assert_refused(repo: Path, capsys, args: list[str], status: int) -> str:
    before = tree(repo)
    assert release(repo, *args) == status
    assert tree(repo) == before
    err = capsys.readouterr().err
    *problems, last = err.splitlines()
    assert last.startswith("akhbar release: error: ") and "Traceback" not in err
    # an invalid corpus: its problems first, printed exactly as `akhbar validate` prints them
    assert all(re.match(r"\S+?(:\d+:\d+)?: [a-z0-9-]+ ", line) for line in problems)
    return err


@pytest.mark.parametrize("version", ["0.2", "v0.2.0", "0.02.0", "0.2.0-rc.1", "0.2.0+build", " 0.2.0", "x"])
def test_refuses_a_version_that_is_not_major_minor_patch(repo, capsys, version):
    prepare(repo)
    assert_refused(repo, capsys, [version], 2)


@pytest.mark.parametrize("version", ["0.0.9", "0.1.0"])
def test_refuses_a_version_not_greater_than_the_released_one(repo, capsys, version):
    prepare(repo, version)
    assert_refused(repo, capsys, [version], 2)


def test_refuses_without_a_changelog_section(repo, capsys):
    err = assert_refused(repo, capsys, ["0.2.0"], 2)  # Unreleased not renamed
    assert "## [0.2.0]" in err


def test_refuses_an_empty_changelog_section(repo, capsys):
    path = repo / "CHANGELOG.md"
    path.write_text(path.read_text(encoding="utf-8").replace("## [Unreleased]\n\n### Added\n- A document.\n", "## [0.2.0]\n\n### Added\n"), encoding="utf-8")
    assert_refused(repo, capsys, ["0.2.0"], 2)


@pytest.mark.parametrize("date", ["2027-02-30", "15/01/2027", "2027-1-5"])
def test_refuses_an_impossible_date(repo, capsys, date):
    prepare(repo)
    assert_refused(repo, capsys, ["0.2.0", "--date", date], 2)


def test_refuses_when_citation_cff_has_no_date_line(repo, capsys):
    prepare(repo)
    path = repo / "CITATION.cff"
    lines = [l for l in path.read_text(encoding="utf-8").splitlines(keepends=True) if not l.startswith("date-released")]
    path.write_text("".join(lines), encoding="utf-8")
    assert_refused(repo, capsys, ["0.2.0"], 2)


def test_refuses_outside_a_repository(tmp_path, capsys):
    assert main(["release", "0.2.0", "--repo", str(tmp_path)]) == 2


def test_refuses_when_the_corpus_does_not_validate(repo, capsys):
    prepare(repo)
    path = repo / "corpus" / SEED_ID / "annotations.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entities"][0]["end"] += 1  # the entity's text no longer equals its slice
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert_refused(repo, capsys, ["0.2.0"], 1)


def test_a_failed_write_puts_back_the_files_already_written(repo, monkeypatch):
    prepare(repo)
    before = tree(repo)
    plan = plan_release(repo, "0.2.0", "2027-01-15")
    import akhbar.release as release_module

    real_write = release_module.atomic_write
    calls = []

    def failing_third_write(path, data):
        calls.append(Path(path).name)
        if len(calls) == 3:
            raise OSError("disk full")
        real_write(path, data)

    monkeypatch.setattr(release_module, "atomic_write", failing_third_write)
    with pytest.raises(OSError):
        apply_release(plan)
    assert calls[:3] == [".__init__.py.akhbar-release-new", ".CITATION.cff.akhbar-release-new",
                         ".CHANGELOG.md.akhbar-release-new"]
    assert tree(repo) == before


# --- the pure functions -------------------------------------------------------


def test_parse_version_orders_numerically():
    assert parse_version("0.10.0") > parse_version("0.9.9")
    assert parse_version("1.0.0") == (1, 0, 0)


def test_changelog_sections_count_entries_and_stop_at_link_definitions():
    text = CHANGELOG + "\n[0.1.0]: https://example.invalid/0.1.0\n"
    sections = changelog_sections(text)
    assert [(s.name, s.date, s.entries) for s in sections] == [("Unreleased", None, 1), ("0.1.0", "2026-11-29", 1)]
    assert text[sections[-1].body_end :].startswith("[0.1.0]:")


def test_dating_a_section_keeps_an_existing_unreleased_section_single():
    text = CHANGELOG.replace("## [Unreleased]\n\n### Added\n- A document.\n", "## [Unreleased]\n\n## [0.2.0]\n\n- A document.\n")
    new = date_changelog_section(text, "0.2.0", "2027-01-15")
    assert new.count("## [Unreleased]") == 1
    assert "## [0.2.0] - 2027-01-15\n" in new


def test_set_citation_version_touches_only_top_level_and_preferred_citation():
    text = (
        "# version: 0.0.1 in a comment stays\n"
        'version: "0.1.0"\n'
        "date-released: 2026-11-29\n"
        "authors:\n  - name: X\n"
        "title: T\n"
        "references:\n  - type: data\n    version: 7.7.7\n    title: R\n    authors:\n      - name: Y\n"
        "preferred-citation:\n  type: data\n  version: 0.1.0\n  date-released: '2026-11-29'\n  title: T\n"
        "  authors:\n    - name: X\n"
    )
    new = set_citation_version(text, "0.2.0", "2027-01-15")
    assert new.splitlines()[0] == "# version: 0.0.1 in a comment stays"
    assert "    version: 7.7.7\n" in new  # a reference's own version is not ours
    assert 'version: "0.2.0"\n' in new and '  version: "0.2.0"\n' in new
    assert new.count('date-released: "2027-01-15"') == 2
