"""Problems, the report, and its three output formats (text, json, github)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from .codes import ERROR, get

__all__ = ["Problem", "Report", "format_report", "FORMATS"]


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
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != ERROR]

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


def format_text(report: Report) -> str:
    lines = []
    for p in report.problems:
        tag = p.code if p.severity == ERROR else f"{p.code} (warning)"
        lines.append(f"{p.where}: {tag} {p.message}")
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def format_json(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def format_github(report: Report) -> str:
    """GitHub Actions workflow commands: one `::error` / `::warning` annotation per problem."""
    lines = []
    for p in report.problems:
        props = [f"file={_gh_property(p.file)}"]
        if p.line is not None:
            props += [f"line={p.line}", f"col={p.column}"]
        props.append(f"title={_gh_property(p.code)}")
        kind = "error" if p.severity == ERROR else "warning"
        lines.append(f"::{kind} {','.join(props)}::{_gh_data(p.message)}")
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


FORMATS = {"text": format_text, "json": format_json, "github": format_github}


def format_report(report: Report, fmt: str = "text") -> str:
    """`report` rendered in `fmt` (text, json or github)."""
    return FORMATS[fmt](report)
