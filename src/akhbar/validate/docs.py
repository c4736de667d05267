"""The Markdown page docs/validation.md, generated from the registry of problem codes (`codes.py`)."""

from __future__ import annotations

from .codes import CODES, ERROR, MAX_DEPTH, MAX_FILE_BYTES, WARNING

__all__ = ["render_docs"]

# Measured by running each guideline check (validate/rules.py) on real annotated text and reading every alarm.
# The PUD figures use one annotation pass of 215 UD Arabic-PUD documents (801 entities, 500 sentence units, one per
# line), for measurement only (the adjudicated corpus comes later). "Naive" rows are the simpler conditions that
# were measured and rejected.
_MEASURED = [
    ("entity-proclitic-inside", "0 / 0 / 0", "0 / 0 / 0",
     "naive (first letter و ف ب ك ل): seed 16 / 0 / 16, PUD 147 / 0 / 147 (names such as واشنطن، باريس، كندا and "
     "rule-4 spans such as ل[لبيت الأبيض]); the same-label rule over the whole corpus instead of the document: "
     "PUD 1 / 0 / 1 (ل[لبي بي سي], rule 4), hence the exception for a ل already outside"),
    ("entity-punctuation-edge", "0 / 0 / 0", "0 / 0 / 0",
     "naive (any punctuation character): PUD 10 / 0 / 10, every one a PERCENT ending in %"),
    ("entity-splits-parent-word", "0 / 0 / 0", "0 / 0 / 0",
     "the same test on entities without a parent: PUD 4 / 0 / 4 (a tatweel after the name, a source typo "
     "annotated as written), hence nested entities only"),
    ("entity-same-span-labels", "0 / 0 / 0", "0 / 0 / 0",
     "against the guidelines by definition; a warning because imports of Wojood's nested columns carry such pairs "
     "on purpose (a DATE and a TIME on one word, tests/import_fixtures/nested.conll)"),
    ("annotators-missing", "0 / 0 / 0", "not measured (inline markup has no annotators)", "certain by definition"),
    ("sentence-holds-several", "0 / 0 / 0", "1 / 1 / 0",
     "without the quotation exception: PUD 2 / 1 / 1 (a quoted speech of two sentences); the true one is "
     "«من أين تستمد كل هذه الطاقة؟ أو ذلك الصوت…» (n01116)"),
]


def _measured() -> list[str]:
    lines = ["", "## Measured false alarms of the guideline checks", "",
             "Each guideline check was run on real text and every alarm read. Figures are fires / true / false: on "
             "the seed document (83 entities, 9 sentences) and on one annotation pass of 215 UD Arabic-PUD news "
             "documents (801 entities, 500 sentence units). A condition whose alarms were mostly false was reworked "
             "(the notes give what was measured before).", "",
             "| code | seed | UD Arabic-PUD | notes |", "| --- | --- | --- | --- |"]
    lines += [f"| `{code}` | {seed} | {pud} | {note} |" for code, seed, pud, note in _MEASURED]
    return lines

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
    return "\n".join(lines + _measured()) + "\n"
