"""Finding a string in a text version: kept here for `akhbar find`; the pure code lives in `format/find.py`.

It moved below `validate/` so that the validator's fix hints (nearest
occurrence, uncovered occurrences) use the same definition of an occurrence
and its kind as `akhbar find`.
"""

from ..format.find import AFTER_PROCLITIC, INSIDE_WORD, WHOLE_WORD, Occurrence, find_occurrences

__all__ = ["WHOLE_WORD", "AFTER_PROCLITIC", "INSIDE_WORD", "Occurrence", "find_occurrences"]
