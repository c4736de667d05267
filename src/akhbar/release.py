"""Cutting a release: set the corpus version and release date everywhere in one step.

The one source of truth for the version is `__version__` in
`src/akhbar/__init__.py` (hatch reads it for the package version). A release
also writes it, with the release date, into `CITATION.cff` (top level and
`preferred-citation`) and dates the version's section of `CHANGELOG.md`. The
dataset card and `croissant.json` are build outputs and take both from the
package and `CITATION.cff` when the dataset is built.

`plan_release` checks everything and computes the new file contents without
writing; `apply_release` writes them all or none: each new text is first
staged beside its file (`.<name>.akhbar-release-new`), then a journal
(`.akhbar-release.journal`, written atomically) commits the release, then the
staged files are renamed into place and the journal removed. A kill before
the journal leaves the old files (the staged ones are removed by the next
run); a kill after it is completed by the next run (`recover_release`, which
`plan_release` calls first), so the package, CITATION.cff and the changelog
never state different versions. Versions are semantic versions
MAJOR.MINOR.PATCH: MAJOR for a change to the format or the tag set, MINOR for
added documents or annotations, PATCH for corrections.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import NotFoundError, UsageError
from .format.atomic import atomic_write
from .format.dates import date_or_today
from .format.text import read_utf8
from .validate.gate import require_valid

__all__ = [
    "INIT_FILE",
    "CITATION_FILE",
    "CHANGELOG_FILE",
    "ChangelogSection",
    "ReleasePlan",
    "parse_version",
    "read_version",
    "changelog_sections",
    "set_init_version",
    "set_citation_version",
    "date_changelog_section",
    "plan_release",
    "apply_release",
    "recover_release",
    "release",
]

INIT_FILE = Path("src/akhbar/__init__.py")
CITATION_FILE = Path("CITATION.cff")
CHANGELOG_FILE = Path("CHANGELOG.md")
CORPUS_DIR = Path("corpus")

# semver.org's grammar restricted to a release version: no pre-release or build
# part, which PEP 440 (the package) and Croissant would read differently.
_VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
_INIT_VERSION = re.compile(r"""^__version__\s*=\s*(["'])(?P<version>[^"']*)\1[ \t]*$""", re.MULTILINE)
_HEADING = re.compile(
    r"^## \[(?P<name>[^\]]+)\](?:[ \t]+-[ \t]+(?P<date>\d{4}-\d{2}-\d{2}))?[ \t]*$", re.MULTILINE
)
_CFF_KEY = re.compile(r"^(?P<indent>[ \t]*)(?P<key>version|date-released)[ \t]*:.*$")
_ENTRY = re.compile(r"^[ \t]*[-*] \S", re.MULTILINE)


def parse_version(text: str) -> tuple[int, int, int]:
    """`"1.2.3"` as `(1, 2, 3)`; a UsageError for anything that is not MAJOR.MINOR.PATCH."""
    m = _VERSION.match(text.strip()) if isinstance(text, str) else None
    if not m or text != text.strip():
        raise UsageError(f"{text!r} is not a release version MAJOR.MINOR.PATCH (e.g. 1.2.0)")
    return tuple(int(part) for part in m.groups())  # type: ignore[return-value]


def read_version(repo: Path) -> str:
    """The version written in the repository's `src/akhbar/__init__.py` (not the imported package's)."""
    path = Path(repo) / INIT_FILE
    text = read_utf8(path)
    matches = list(_INIT_VERSION.finditer(text))
    if len(matches) != 1:
        raise UsageError(f"{path}: expected exactly one line __version__ = \"X.Y.Z\", found {len(matches)}")
    return matches[0]["version"]


@dataclass(frozen=True)
class ChangelogSection:
    """One `## [name] - date` section of a Keep a Changelog file; offsets index the file's text."""

    name: str
    date: str | None
    heading_start: int
    heading_end: int
    body_end: int
    entries: int


def changelog_sections(text: str) -> list[ChangelogSection]:
    """The `## [...]` sections of a changelog in file order, with how many list entries each holds."""
    heads = list(_HEADING.finditer(text))
    sections = []
    for i, m in enumerate(heads):
        body_end = heads[i + 1].start() if i + 1 < len(heads) else _link_definitions_start(text, m.end())
        body = text[m.end() : body_end]
        sections.append(ChangelogSection(m["name"], m["date"], m.start(), m.end(), body_end, len(_ENTRY.findall(body))))
    return sections


def _link_definitions_start(text: str, after: int) -> int:
    """Where the trailing `[x.y.z]: url` link definitions begin (end of text when there are none)."""
    m = re.search(r"(?:^\[[^\]]+\]:[^\n]*\n?)+\Z", text[after:], re.MULTILINE)
    return after + m.start() if m else len(text)


def set_init_version(text: str, version: str) -> str:
    """`__init__.py` text with its one `__version__` line set to `version`."""
    new, n = _INIT_VERSION.subn(lambda m: f'__version__ = "{version}"', text)
    if n != 1:
        raise UsageError(f"{INIT_FILE}: expected exactly one __version__ line, found {n}")
    return new


def set_citation_version(text: str, version: str, date: str) -> str:
    """CITATION.cff text with `version` and `date-released` set at the top level and in `preferred-citation`.

    Edits only those lines, so comments and layout survive; the result is
    parsed back and checked. Both keys must already be present at the top
    level; `preferred-citation`, when there is one, must hold both too.
    """
    lines = text.splitlines(keepends=True)
    in_preferred = False
    preferred_indent: str | None = None
    seen: dict[tuple[bool, str], int] = {}
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if not indent:
            in_preferred = stripped.split(":", 1)[0] == "preferred-citation"
            preferred_indent = None
        elif in_preferred and preferred_indent is None:
            preferred_indent = indent
        m = _CFF_KEY.match(line.rstrip("\r\n"))
        if not m:
            continue
        here = (not indent) or (in_preferred and indent == preferred_indent)
        if not here:
            continue
        value = version if m["key"] == "version" else date
        newline = line[len(line.rstrip("\r\n")) :]
        lines[i] = f'{indent}{m["key"]}: "{value}"{newline}'
        key = (bool(indent), m["key"])
        seen[key] = seen.get(key, 0) + 1
    new = "".join(lines)
    data = _load_yaml(new, CITATION_FILE)
    if not isinstance(data, dict):
        raise UsageError(f"{CITATION_FILE}: not a YAML mapping")
    places = [("top level", data)]
    if "preferred-citation" in data:
        places.append(("preferred-citation", data["preferred-citation"]))
    for where, mapping in places:
        for key, value in (("version", version), ("date-released", date)):
            got = mapping.get(key) if isinstance(mapping, dict) else None
            if str(got) != value:
                raise UsageError(f"{CITATION_FILE}: no `{key}:` line at the {where} to set (add one)")
    return new


def date_changelog_section(text: str, version: str, date: str) -> str:
    """Changelog text with `## [version]` headed `## [version] - date` and an empty `## [Unreleased]` above it.

    The section must exist and list at least one change (a `- ` entry);
    usually it is the `## [Unreleased]` section renamed by the maintainer.
    """
    sections = changelog_sections(text)
    by_name = {s.name: s for s in sections}
    section = by_name.get(version)
    if section is None:
        raise UsageError(
            f"{CHANGELOG_FILE} has no '## [{version}]' section: rename '## [Unreleased]' to "
            f"'## [{version}]' (or add one) and list the release's changes"
        )
    if section.entries == 0:
        raise UsageError(f"{CHANGELOG_FILE}: section '## [{version}]' lists no changes ('- ...' entries)")
    heading = f"## [{version}] - {date}"
    if "Unreleased" not in by_name:
        heading = f"## [Unreleased]\n\n{heading}"
    return text[: section.heading_start] + heading + text[section.heading_end :]


@dataclass
class ReleasePlan:
    """What `apply_release` will write: `changes` maps each file to (old text, new text)."""

    repo: Path
    version: str
    date: str
    previous: str
    changes: dict[Path, tuple[str, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def plan_release(repo: Path, version: str, date: str | None = None, check_corpus: bool = True) -> ReleasePlan:
    """Check that `version` can be released from `repo` and compute every file's new text; write nothing.

    Refuses (UsageError, exit 2) unless `version` is MAJOR.MINOR.PATCH and
    greater than the current version (or equal to it while that version has
    never been released, as for the first release), and CHANGELOG.md has a
    non-empty `## [version]` section; refuses (InvalidDataError, exit 1)
    unless the corpus validates.
    """
    repo = Path(repo)
    date = date_or_today(date)
    wanted = parse_version(version)
    recover_release(repo)  # an interrupted release is completed (or its staged files removed) before anything is read
    paths = {name: repo / name for name in (INIT_FILE, CITATION_FILE, CHANGELOG_FILE)}
    for path in [*paths.values(), repo / CORPUS_DIR]:
        if not path.exists():
            raise NotFoundError(f"{path}: not found; run `akhbar release` at the root of an Akhbar repository")
    texts = {name: read_utf8(path) for name, path in paths.items()}

    current = read_version(repo)
    current_tuple = parse_version(current) if _VERSION.match(current) else None
    released = {s.name for s in changelog_sections(texts[CHANGELOG_FILE]) if s.date}
    if current_tuple is not None:
        if wanted < current_tuple or (wanted == current_tuple and current in released):
            raise UsageError(
                f"version {version} is not greater than the current version {current}"
                + (" (already released)" if current in released else "")
            )
    if version in released:
        raise UsageError(f"{CHANGELOG_FILE} already dates '## [{version}]': that version was released")

    plan = ReleasePlan(repo=repo, version=version, date=date, previous=current)
    new = {
        INIT_FILE: set_init_version(texts[INIT_FILE], version),
        CITATION_FILE: set_citation_version(texts[CITATION_FILE], version, date),
        CHANGELOG_FILE: date_changelog_section(texts[CHANGELOG_FILE], version, date),
    }
    unreleased = [s for s in changelog_sections(new[CHANGELOG_FILE]) if s.name == "Unreleased" and s.entries]
    if unreleased:
        plan.notes.append(
            f"{CHANGELOG_FILE}: '## [Unreleased]' still lists {unreleased[0].entries} change(s); "
            f"they are not part of {version}"
        )
    if check_corpus:
        require_valid([repo / CORPUS_DIR], repo / CORPUS_DIR, refusal="nothing was changed")
    plan.changes = {paths[name]: (texts[name], new[name]) for name in new}
    for path in plan.changes:
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise UsageError(f"{path}: not writable; nothing was changed")
    return plan


JOURNAL_FILE = Path(".akhbar-release.journal")


def _staged(path: Path) -> Path:
    return path.with_name(f".{path.name}.akhbar-release-new")


def apply_release(plan: ReleasePlan) -> list[Path]:
    """Write the plan's files all or none: stage each, commit with the journal, rename into place (module docstring)."""
    repo = Path(plan.repo)
    changed = [(path, new) for path, (old, new) in plan.changes.items() if new != old]
    staged: list[Path] = []
    try:
        for path, new in changed:
            atomic_write(_staged(path), new)
            staged.append(_staged(path))
            os.chmod(_staged(path), stat.S_IMODE(os.stat(path).st_mode))  # the file keeps its mode
        entries = [{"file": os.path.relpath(path, repo), "staged": os.path.relpath(_staged(path), repo)}
                   for path, _ in changed]
        atomic_write(repo / JOURNAL_FILE, json.dumps({"version": plan.version, "files": entries}, indent=1) + "\n")
    except BaseException:
        for path in staged:
            path.unlink(missing_ok=True)
        raise
    _complete(repo, entries)
    return [path for path, _ in changed]


def _complete(repo: Path, entries: list[dict]) -> None:
    for entry in entries:
        staged = repo / entry["staged"]
        if staged.exists():
            os.replace(staged, repo / entry["file"])
    (repo / JOURNAL_FILE).unlink(missing_ok=True)


def recover_release(repo: Path) -> str | None:
    """Finish what a killed release left: "completed" (journal found: rename the rest in), "rolled back"
    (staged files without a journal: removed), or None when there was nothing to do."""
    repo = Path(repo)
    journal = repo / JOURNAL_FILE
    if journal.is_file():
        try:
            entries = json.loads(read_utf8(journal))["files"]
            for entry in entries:  # only our own staged names, only inside the repository
                if Path(entry["staged"]) != Path(entry["file"]).with_name(f".{Path(entry['file']).name}.akhbar-release-new") \
                        or Path(entry["file"]) not in (INIT_FILE, CITATION_FILE, CHANGELOG_FILE):
                    raise ValueError(entry)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise UsageError(f"{journal}: not a journal akhbar release wrote ({type(exc).__name__}); "
                             "check the release files by hand and remove it") from None
        _complete(repo, entries)
        return "completed"
    stray = [_staged(repo / name) for name in (INIT_FILE, CITATION_FILE, CHANGELOG_FILE) if _staged(repo / name).exists()]
    for path in stray:
        path.unlink()
    return "rolled back" if stray else None


def release(repo: Path, version: str, date: str | None = None) -> ReleasePlan:
    """Check, then set `version` and its release date in every file that states them (see `plan_release`)."""
    plan = plan_release(repo, version, date)
    apply_release(plan)
    return plan


def _load_yaml(text: str, name: Path):
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"{name}: not valid YAML ({exc.__class__.__name__})") from None
