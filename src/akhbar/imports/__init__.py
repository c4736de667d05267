"""`akhbar import`: bring an existing annotated corpus in (CoNLL-U, CoNLL, brat, Label Studio, Akhbar jsonl).

Stages, one module each: a reader per format (`formats.FORMATS`) makes
`model.SourceDocument`s; `assemble` turns each into a corpus document
(pure); `run.import_sources` checks everything and `write` writes it all or
nothing; the corpus index that makes the duplicate check cheap is `format.index`.
"""

from __future__ import annotations

from .formats import FORMATS
from .model import FAULTS, REPAIRS, Fault
from .run import ImportOptions, ImportReport, import_sources

__all__ = ["FORMATS", "FAULTS", "REPAIRS", "Fault", "ImportOptions", "ImportReport", "import_sources"]
