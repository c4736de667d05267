"""The Markdown page docs/validation.md, generated from the registry of problem codes (`codes.py`)."""

from __future__ import annotations

from .codes import CODES, ERROR, MAX_DEPTH, MAX_FILE_BYTES, WARNING

__all__ = ["render_docs"]

_SEVERITY_WORD = {ERROR: "error", WARNING: "warning"}


def _fence(text: str) -> list[str]:
    return ["```", *text.split("\n"), "```"]


def render_docs() -> str:
    """The Markdown page docs/validation.md, generated from the registry (do not edit the page by hand)."""
    lines = [
        "# Validation problem codes",
        "",
        "<!-- Generated from src/akhbar/validate/codes.py by scripts/gen_validation_docs.py; do not edit. -->",
        "",
        "`akhbar validate` reports each problem with a stable code, the file, the line and column of the",
        "offending value and its JSON pointer. Errors make a corpus invalid (exit status 1); warnings do not.",
        f"Files larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB are not parsed; nesting deeper than {MAX_DEPTH} is refused.",
        "Codes never change meaning once released.",
        "",
        "| code | severity | title |",
        "| --- | --- | --- |",
    ]
    lines += [f"| [`{c.name}`](#{c.name}) | {c.severity} | {c.title} |" for c in CODES.values()]
    group = None
    for c in CODES.values():
        if c.group != group:
            group = c.group
            lines += ["", f"## {group}"]
        lines += ["", f"### {c.name}", "", f"**{_SEVERITY_WORD[c.severity]}**: {c.title}.", "", c.description, "",
                  "Bad:", "", *_fence(c.bad), "", f"Fix: {c.fix}", "",
                  f"Test cases: `tests/invalid/{c.name}/`."]
    return "\n".join(lines) + "\n"
