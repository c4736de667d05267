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
