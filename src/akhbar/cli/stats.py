"""`akhbar stats`: tables of the annotated corpus (per label, per split, nesting depth, sentence lengths)."""

from __future__ import annotations


from .options import add_corpus_option

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    p = sub.add_parser(
        "stats",
        help="print counts per label, per split, nesting depth and sentence lengths",
        description="Print tables of the annotated corpus: documents, sentences, tokens and entities per "
        "split; entities per label and split; entities per nesting depth; sentence lengths in tokens.",
    )
    add_corpus_option(p)
    p.set_defaults(run=run, print_problems=True)


def run(args) -> int:
    from ..errors import UsageError
    from ..dataset.rows import scan_corpus
    from ..dataset.stats import StatsCounter, render

    from ..validate import require_valid

    if not args.corpus.is_dir():
        raise UsageError(f"{args.corpus}: no such corpus folder")
    # Counts of an invalid corpus would be wrong or crash; a pending review mark still counts.
    require_valid([args.corpus], args.corpus, allow=("review-pending",), refusal="no statistics were computed")
    counter = StatsCounter()
    scan = scan_corpus(args.corpus, visit=counter.add)  # one document in memory at a time
    print(render(counter.stats(len(scan.unannotated))))
    return 0
