"""The one gate that refuses an invalid corpus: build, export, revise and release stand behind it.

A command that would write from data it cannot trust calls `require_valid`
first. It raises `InvalidDataError` carrying the validator's problems; the
CLI prints them exactly as `akhbar validate` does (`report.format_problems`)
and exits 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..errors import InvalidDataError
from .engine import validate_paths
from .report import Report

__all__ = ["require_valid"]


def require_valid(paths: Iterable[Path], corpus: Path, *, jobs: int = 1, allow: Iterable[str] = (),
                  refusal: str = "nothing was written") -> Report:
    """Validate `paths` (corpus or document folders, looked up in `corpus`); refuse on any error.

    Errors whose code is in `allow` do not count (revise carries `review-pending`
    marks along). Returns the report when nothing blocks; otherwise raises
    InvalidDataError whose message ends with `refusal` (what the caller did
    not do) and whose `problems` are the report's, less the allowed ones.
    """
    paths = [Path(p) for p in paths]
    allow = frozenset(allow)
    report = validate_paths(paths, corpus=corpus, jobs=jobs)
    blocking = [p for p in report.errors if p.code not in allow]
    if blocking:
        names = ", ".join(str(p) for p in paths)
        first = blocking[0]
        raise InvalidDataError(
            f"{names} does not validate ({len(blocking)} error(s); first: {first.where}: {first.code}); "
            f"{refusal} (see `akhbar validate {names}`)",
            [p for p in report.problems if p.code not in allow],
        )
    return report
