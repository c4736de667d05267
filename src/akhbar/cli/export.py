"""`akhbar export`: write the annotated corpus as CoNLL, brat or JSON Lines."""

from __future__ import annotations

from pathlib import Path

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    p = sub.add_parser(
        "export",
        help="export the annotated corpus as CoNLL, brat or JSON Lines",
        description="Write the annotated documents to a folder: conll (token and IOB2 tag columns, one "
        "column per nesting level, -DOCSTART- between documents, one file per split), brat (.txt and .ann "
        "per document) or jsonl (one document with its annotations per line, one file per split). brat "
        "and jsonl read back to exactly the same annotations.",
    )
    p.add_argument("--corpus", type=Path, default=Path("corpus"), metavar="DIR", help="corpus folder (default: corpus)")
    p.add_argument("--format", required=True, choices=["conll", "brat", "jsonl"])
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder to write")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..errors import InvalidDataError, UsageError
    from ..dataset.export import export
    from .build import print_problems

    if not args.corpus.is_dir():
        raise UsageError(f"{args.corpus}: no such corpus folder")
    try:
        n = export(args.corpus, args.format, args.out)
    except InvalidDataError as exc:
        print_problems(exc)
        raise
    print(f"exported {n} annotated document(s) as {args.format} to {args.out}")
    return 0
