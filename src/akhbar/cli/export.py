"""`akhbar export`: write the annotated corpus in one of the formats of `dataset.export.EXPORT_FORMATS`."""

from __future__ import annotations

from pathlib import Path

from .options import add_corpus_option

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    from ..dataset.export import EXPORT_FORMATS

    titles = [f.title for f in EXPORT_FORMATS.values()]
    described = [f"{f.name} ({f.description})" for f in EXPORT_FORMATS.values()]
    p = sub.add_parser(
        "export",
        help=f"export the annotated corpus as {', '.join(titles[:-1])} or {titles[-1]}",
        description=f"Write the annotated documents to a folder: {'; '.join(described[:-1])}; or {described[-1]}.",
    )
    add_corpus_option(p)
    p.add_argument("--format", required=True, choices=list(EXPORT_FORMATS))
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder to write")
    p.add_argument("doc_ids", nargs="*", metavar="DOC_ID", help="export only these documents (default: all)")
    p.set_defaults(run=run, print_problems=True)  # a refusal lists the validator's problems


def run(args) -> int:
    from ..dataset.export import export
    from ..errors import UsageError

    if not args.corpus.is_dir():
        raise UsageError(f"{args.corpus}: no such corpus folder")
    n = export(args.corpus, args.format, args.out, doc_ids=tuple(args.doc_ids))
    print(f"exported {n} document(s) as {args.format} to {args.out}")
    return 0
