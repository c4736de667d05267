"""A cache for small pure functions of strings that never keeps a long argument.

The validator caches what it decides about repeated values (keys, labels,
splits, dates) across documents. A plain `lru_cache` would also keep the long,
unique values of a hostile file (a 10 MB title) alive for the whole run, up
to its size in entries; this one only caches arguments up to `limit`
characters and computes the others each time.
"""

from __future__ import annotations

from functools import lru_cache, wraps

__all__ = ["cache_short"]


def _length(argument) -> int:
    return len(argument) if isinstance(argument, str) else sum(len(str(part)) for part in argument)


def cache_short(maxsize: int, limit: int = 256):
    """`lru_cache(maxsize)` for a function whose first argument is a string (or a tuple of strings) of at
    most `limit` characters; longer arguments are not cached."""

    def wrap(function):
        cached = lru_cache(maxsize=maxsize)(function)

        @wraps(function)
        def call(argument, *rest):
            if _length(argument) <= limit:
                return cached(argument, *rest)
            return function(argument, *rest)

        call.cache_clear = cached.cache_clear
        call.cache_info = cached.cache_info
        return call

    return wrap
