"""Findings, problems, the report, and the one way they are printed (text, json, github).

A check yields `Finding`s (a code and a place inside one file); the engine
places each in its file as a located `Problem`; a `Report` holds them all.
`format_report` prints a report for `akhbar validate`; `format_problems`
prints problems the same way for every other command (build, export, revise,
release refuse an invalid corpus with them).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Iterable, NamedTuple

from ..format.text import escape_controls
from .codes import ERROR, get

__all__ = ["Finding", "Problem", "Report", "format_report", "format_problems", "FORMATS"]


class Finding(NamedTuple):
    """A problem before it is placed in a file: code, message, and where (pointer, explicit line/column or text offset)."""

    code: str
    message: str
    pointer: str | None = None
    line: int | None = None
    column: int | None = None
    offset: int | None = None
    key: bool = False  # point at the key of `pointer` rather than its value


@dataclass(frozen=True)
class Problem:
    """One coded problem, located.

    `line` and `column` are 1-based (column counts code points) and point at
    the offending value; they are None for a problem about a whole file (a
    stray or missing file). `pointer` is the JSON pointer of the offending
    value inside a JSON/YAML file ("" for the whole document, None for a text
    or a file-level problem).
    """

    code: str
    severity: str
    file: str
    line: int | None
    column: int | None
    pointer: str | None
    message: str

    @classmethod
    def make(cls, code: str, file, message: str, line=None, column=None, pointer=None) -> "Problem":
        """A problem whose severity is the registry's for `code`."""
        return cls(code, get(code).severity, str(file), line, column, pointer, message)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def where(self) -> str:
        """`file:line:column`, or just `file` for a problem about a whole file."""
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Report:
    """The outcome of a validation: `valid` is True when no problem is an error (warnings allowed)."""

    valid: bool
    problems: list[Problem] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def codes(self) -> set[str]:
        return {p.code for p in self.problems}

    def to_dict(self) -> dict:
        return {"valid": self.valid, "problems": [p.to_dict() for p in self.problems], "stats": dict(self.stats)}


def _summary(report: Report) -> str:
    s = report.stats
    verdict = "valid" if report.valid else "invalid"
    return (
        f"{verdict}: {s.get('errors', 0)} error(s), {s.get('warnings', 0)} warning(s) "
        f"in {s.get('documents', 0)} document(s), {s.get('files', 0)} file(s)"
        + (f"; {s['suppressed']} more problem(s) not shown (--max-problems)" if s.get("suppressed") else "")
    )


def _safe(p: Problem) -> Problem:
    """`p` with its file, pointer and message printable on one line (controls, bidi controls, surrogates escaped).

    File names come from the disk and messages quote the data: a name such as
    `x\\n::error file=README.md::...` must not become a line (or a workflow
    command) of its own, and a lone surrogate cannot even be written as UTF-8.
    """
    return Problem(p.code, p.severity, escape_controls(p.file), p.line, p.column,
                   None if p.pointer is None else escape_controls(p.pointer), escape_controls(p.message))


def _text_line(p: Problem) -> str:
    """`FILE:LINE:COLUMN: CODE message` (`CODE (warning)` for a warning)."""
    p = _safe(p)
    tag = p.code if p.is_error else f"{p.code} (warning)"
    return f"{p.where}: {tag} {p.message}"


def format_text(report: Report) -> str:
    return "".join(_text_line(p) + "\n" for p in report.problems) + _summary(report) + "\n"


def _json_dict(report: Report) -> dict:
    return dict(report.to_dict(), problems=[_safe(p).to_dict() for p in report.problems])


def format_json(report: Report) -> str:
    return json.dumps(_json_dict(report), ensure_ascii=False, indent=2) + "\n"


def _gh_data(value: str) -> str:
    """Workflow-command data escaped as GitHub's runner expects: `%`, CR and LF."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(value: str) -> str:
    """A workflow-command property value: data escaping plus `:` and `,`."""
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def _github_line(p: Problem) -> str:
    """A GitHub Actions workflow command: an `::error` / `::warning` annotation.

    Values are made printable first (`_safe`: no ESC or bidi control reaches
    the log), then escaped by GitHub's rules, so no value can end the command
    or start another.
    """
    p = _safe(p)
    props = [f"file={_gh_property(p.file)}"]
    if p.line is not None:
        props += [f"line={p.line}", f"col={p.column}"]
    props.append(f"title={_gh_property(p.code)}")
    return f"::{p.severity} {','.join(props)}::{_gh_data(p.message)}"


def format_github(report: Report) -> str:
    """GitHub Actions workflow commands: one `::error` / `::warning` annotation per problem."""
    return "".join(_github_line(p) + "\n" for p in report.problems) + _summary(report) + "\n"


FORMATS = {"text": format_text, "json": format_json, "github": format_github}
_LINES = {"text": _text_line, "github": _github_line}


def format_report(report: Report, fmt: str = "text") -> str:
    """`report` rendered in `fmt` (text, json or github), with its summary."""
    return FORMATS[fmt](report)


def format_problems(problems: Iterable[Problem], fmt: str = "text") -> str:
    """`problems` alone (no summary), each exactly as `format_report` prints it in `fmt`."""
    if fmt == "json":
        return json.dumps([_safe(p).to_dict() for p in problems], ensure_ascii=False, indent=2) + "\n"
    return "".join(_LINES[fmt](p) + "\n" for p in problems)
