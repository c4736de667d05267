"""`akhbar validate`: check corpus folders, document folders or annotations files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..validate import FORMATS, format_report, validate_paths
from .options import add_corpus_option

__all__ = ["add_parser", "run"]


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an integer") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} must be at least 1")
    return number


def add_parser(sub) -> None:
    p = sub.add_parser(
        "validate",
        help="check the corpus, a document folder or an annotations.json file",
        description="Check corpus folders, document folders or annotations.json files and report every problem "
        "with its code, file, line and column (codes: docs/validation.md). Exit status: 0 valid (warnings "
        "allowed), 1 invalid, 2 usage error or unreadable path.",
    )
    p.add_argument("paths", nargs="*", type=Path, default=[Path("corpus")], metavar="PATH",
                   help="corpus folders, document folders or annotations.json files (default: corpus/ in the current "
                   "folder); an annotations.json file's text is looked up in --corpus")
    add_corpus_option(p)
    p.add_argument("--text", type=Path, help="the text file of a single annotations.json (instead of --corpus)")
    p.add_argument("--format", choices=sorted(FORMATS), default="text", help="output format (default text)")
    p.add_argument("--max-problems", type=_positive, default=100, metavar="N", help="problems shown per file (default 100)")
    p.add_argument("--jobs", type=_positive, default=1, metavar="N", help="worker processes (default 1)")
    p.set_defaults(run=run)


def run(args) -> int:
    report = validate_paths(args.paths, corpus=args.corpus, text=args.text,
                            max_problems=args.max_problems, jobs=args.jobs)
    sys.stdout.write(format_report(report, args.format))
    return 0 if report.valid else 1
