"""Exceptions of akhbar, under one root.

Invalid *data* is not an exception: the validator returns a report of coded
problems. Exceptions are for misuse and I/O: a command given a path that does
not exist, an id that is taken, a file that is not UTF-8 at ingest. The CLI
turns every `AkhbarError` into one line on stderr and exit status 2 (or 1 for
`InvalidDataError`), never a traceback.
"""

from __future__ import annotations

__all__ = [
    "AkhbarError",
    "UsageError",
    "EXTRAS",
    "MissingExtraError",
    "missing_extra",
    "InvalidDataError",
    "NotFoundError",
]


class AkhbarError(Exception):
    """Root of every error akhbar raises on purpose."""

    exit_status = 2


class UsageError(AkhbarError, ValueError):
    """The command was asked something it cannot do (bad id, bad argument, bad input file)."""


class NotFoundError(AkhbarError, FileNotFoundError):
    """A named document, file or folder does not exist."""


class InvalidDataError(AkhbarError):
    """The corpus or an annotations file does not validate; `problems` holds the report's problems."""

    exit_status = 1

    def __init__(self, message: str, problems: tuple = ()):
        super().__init__(message)
        self.problems = tuple(problems)


# The optional dependency groups (pyproject.toml): top-level module -> the extra that installs it. The core
# install runs validate, fmt, show, find, markup, suggest, ingest, import, revise, diff, stats, export and
# cite; a module that needs an extra imports it where it is used (never at the top of a command module), so
# only the command that needs it fails.
EXTRAS = {
    "datasets": "dataset",
    "pyarrow": "dataset",
    "pandas": "dataset",
    "nervaluate": "review",
}


class MissingExtraError(UsageError):
    """A command needs a package of an optional dependency group that is not installed (exit status 2)."""

    def __init__(self, extra: str, module: str):
        self.extra, self.module = extra, module
        super().__init__(f"this needs the '{extra}' extra (the module {module!r} is not installed): "
                         f"pip install 'akhbar[{extra}]'")


def missing_extra(exc: ImportError) -> MissingExtraError | None:
    """The MissingExtraError for an ImportError of a module that an extra provides, else None."""
    name = (getattr(exc, "name", None) or "").split(".")[0]
    return MissingExtraError(EXTRAS[name], name) if name in EXTRAS else None
