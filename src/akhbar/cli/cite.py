"""`akhbar cite`: print how to cite the corpus (BibTeX, APA or CFF) from `CITATION.cff`."""

from __future__ import annotations

import sys
from pathlib import Path

from ..cite import FORMATS, format_citation

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    p = sub.add_parser(
        "cite",
        help="print how to cite the corpus (BibTeX, APA or CFF)",
        description="Print the citation of this version of the corpus, generated from CITATION.cff.",
    )
    p.add_argument("--format", choices=FORMATS, default="bibtex", dest="fmt", help="default: bibtex")
    p.add_argument("--file", type=Path, help="a CITATION.cff to read instead of the packaged one")
    p.set_defaults(run=run)


def run(args) -> int:
    sys.stdout.write(format_citation(args.fmt, args.file))
    return 0
