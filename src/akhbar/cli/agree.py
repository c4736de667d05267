"""`akhbar agree`: inter-annotator agreement between annotation files of the same text."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import UsageError
from ..review.agree import agreement, format_agreement
from ..review.diff import require_same_text
from ..review.load import load_checked

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    p = sub.add_parser(
        "agree",
        help="inter-annotator agreement between annotation files of one text version",
        description="Entity-level precision, recall and F1 per label and overall (strict, exact, partial and "
        "ent_type matching, by nervaluate), Cohen's kappa on the ner view's token tags, and the list of "
        "disagreements, for every pair of files (the first of a pair is the reference), with means for 3+.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="two or more annotation files of the same text version")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--corpus", type=Path, default=Path("corpus"), help="corpus folder (default: corpus/)")
    p.set_defaults(run=run, print_problems=True)


def run(args) -> int:
    if len(args.files) < 2:
        raise UsageError("agreement needs two or more annotation files")
    loaded = [load_checked(f, args.corpus) for f in args.files]
    first = loaded[0]
    for other in loaded[1:]:
        require_same_text(first.annotations, other.annotations, str(first.path), str(other.path))
    report = agreement([(str(c.path), c.annotations) for c in loaded], first.text)
    if args.format == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_agreement(report), end="")
    return 0
