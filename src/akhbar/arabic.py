"""Arabic orthography the annotation rules need: proclitics written attached to a word. Pure.

Span rule 2 of docs/guidelines.md keeps the proclitics و ف ب ك ل (and لـ
with tatweel) outside an entity. Many names begin with the same letters
(بغداد، لبنان، فلسطين، كندا، واشنطن), so a letter alone proves nothing: a
word "has a proclitic" only where the caller knows where the name starts,
for example from another annotated mention of the same name.
"""

from __future__ import annotations

import re

__all__ = ["PROCLITIC_PREFIX", "is_proclitic_prefix", "split_proclitic"]

# و/ف (conjunctions) then at most one of ب ك ل (prepositions), optionally with tatweel: و، ف، ب، ل، وب، فل، لـ، ولـ ...
PROCLITIC_PREFIX = re.compile(r"[وف]?[بكل]?\u0640?")


def is_proclitic_prefix(prefix: str) -> bool:
    """True when `prefix` (the letters of a word before a name) is a non-empty chain of proclitics."""
    return bool(prefix) and PROCLITIC_PREFIX.fullmatch(prefix) is not None


def split_proclitic(word: str, known: set[str] | frozenset[str]) -> tuple[str, str] | None:
    """`(proclitic, rest)` when `word` is a proclitic chain plus a form in `known`, else None.

    Shortest prefix first, so a name in `known` that itself begins with a
    proclitic letter (بغداد) is matched whole when it is there: `word` in
    `known` returns None (nothing to split).
    """
    if word in known:
        return None
    for cut in range(1, min(3, len(word) - 1) + 1):
        prefix, rest = word[:cut], word[cut:]
        if is_proclitic_prefix(prefix) and rest in known:
            return prefix, rest
    return None
