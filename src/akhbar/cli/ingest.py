"""`akhbar ingest`: create a corpus document from a seed file."""

from __future__ import annotations

from pathlib import Path

from ..versions.ingest import ingest
from .options import add_corpus_option, add_provenance_options

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    p = sub.add_parser(
        "ingest",
        help="create a corpus document from a seed file",
        description="Create corpus/<ID>/ (document.yaml, text.v1.txt, empty annotations.json) from a raw "
        "source file. A file outside seeds/ is first copied there byte for byte.",
    )
    p.add_argument("seed", type=Path, metavar="SEED_FILE", help="the raw source text, UTF-8 (required)")
    p.add_argument("--id", required=True, dest="doc_id", help="document id, e.g. algeria-libya-2014")
    p.add_argument("--title", help="the headline (default: the first line of the text)")
    add_corpus_option(p)
    p.add_argument("--date", help="version date, YYYY-MM-DD (default: today)")
    add_provenance_options(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from ..versions.ingest import PROVENANCE_KEYS

    provenance = {k: getattr(args, k) for k in PROVENANCE_KEYS}
    doc = ingest(args.seed, args.doc_id, args.corpus, title=args.title, date=args.date, provenance=provenance)
    v = doc.current
    print(f"ingested {doc.source.file} as {args.corpus / doc.id}/ "
          f"({v.chars} characters, split {doc.split}); {v.note}")
    return 0
