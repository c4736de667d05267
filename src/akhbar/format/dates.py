"""Calendar dates as the format writes them: YYYY-MM-DD strings (version dates, release dates)."""

from __future__ import annotations

import datetime as _dt
import re

from ..errors import UsageError

__all__ = ["parse_date", "date_or_today"]

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: str) -> str:
    """A calendar date YYYY-MM-DD (a version or release date), checked; returned unchanged."""
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        _dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{text!r} is not a date YYYY-MM-DD") from None
    return text


def date_or_today(text: str | None) -> str:
    """`parse_date(text)`, or today's date when `text` is None."""
    return parse_date(text) if text is not None else _dt.date.today().isoformat()
