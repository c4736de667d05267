"""`akhbar agree`: inter-annotator agreement between annotation files of one document, or between passes."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import UsageError
from ..review.load import load_checked
from .options import add_corpus_option

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    p = sub.add_parser(
        "agree",
        help="inter-annotator agreement between annotation files of one document, or between whole passes",
        description="Entity-level precision, recall and F1 per label and overall (strict, exact, partial and "
        "ent_type matching, by nervaluate), Cohen's kappa on the ner view's token tags, and the list of "
        "disagreements, for every pair (the first of a pair is the reference), with means for 3+. Files of "
        "different text versions of one document are compared on the newest, the older carried across as "
        "`akhbar diff` does. Given FOLDERS (annotation passes: one file per document, paired by their "
        "`document`), the documents every pass holds are compared, pooled.",
    )
    p.add_argument("files", nargs="+", metavar="FILE|FOLDER",
                   help="two or more annotation files of one document, or two or more pass folders (required)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    add_corpus_option(p)
    p.set_defaults(run=run, print_problems=True)


def run(args) -> int:
    # Both need the review extra (nervaluate): imported here so the other commands run without it.
    from ..review.agree import format_agreement, pooled_agreement
    from ..review.passes import is_pass_folder, on_newest_version, pair_passes

    if len(args.files) < 2:
        raise UsageError("agreement needs two or more annotation files or pass folders")
    folders = [is_pass_folder(f) for f in args.files]
    if all(folders):
        documents, unpaired = pair_passes([Path(f) for f in args.files], args.corpus)
        report = pooled_agreement(documents, tuple(str(f) for f in args.files), unpaired)
    elif any(folders):
        raise UsageError("give either annotation files (of one document) or pass folders, not both")
    else:
        loaded = [load_checked(f, args.corpus) for f in args.files]
        document = on_newest_version([(str(c.path), c) for c in loaded])
        report = pooled_agreement([document], tuple(n for n, _ in document.files))
    if args.format == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_agreement(report), end="")
    return 0
