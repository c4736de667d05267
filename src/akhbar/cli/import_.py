"""`akhbar import`: bring an existing annotated corpus into the corpus, all or nothing."""

from __future__ import annotations

import sys
from pathlib import Path

from .options import add_corpus_option, add_provenance_options

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    from ..imports import FORMATS
    from ..imports.run import SPLIT_MODES

    p = sub.add_parser(
        "import",
        help="import an annotated corpus (CoNLL-U, CoNLL, brat, Label Studio, jsonl)",
        description="Read annotated documents from SOURCE files, check everything, then write them into the "
        "corpus all or nothing: each SOURCE is copied into seeds/ byte for byte; every document gets a folder "
        "with text version 1 and its annotations. Bad source data is listed with file and line, and nothing is "
        "written (exit 1). Documents whose text is already in the corpus are skipped and listed. See "
        "docs/importing.md.",
    )
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="a source file (brat: a folder or .ann file); "
                   "SOURCE=SPLIT sets its split for --split source (default: none; one or more required unless "
                   "--rebuild-index)")
    p.add_argument("--format", choices=list(FORMATS))
    add_corpus_option(p)
    p.add_argument("--labels", type=Path, metavar="MAP.yaml", help="source label -> Wojood label or drop")
    p.add_argument("--id-prefix", metavar="PREFIX", help="document ids are PREFIX-<source document id>, slugified "
                   "(default: the source file name; none for jsonl)")
    p.add_argument("--sentences-per-document", type=int, metavar="N", help="for sources with no document boundaries")
    p.add_argument("--select", metavar="REGEX", help="import only the documents whose source id matches "
                   "(e.g. '^n' for the news half of UD PUD)")
    p.add_argument("--split", default="hash", choices=list(SPLIT_MODES),
                   help="hash (default: the rule of docs/format.md), a fixed split, or source (SOURCE=SPLIT, "
                   "the file name, or jsonl's split)")
    add_provenance_options(p)
    p.add_argument("--annotator", metavar="ID", help="recorded in annotators with the role import")
    p.add_argument("--date", help="version date, YYYY-MM-DD (default: today)")
    p.add_argument("--strict", action="store_true", help="refuse instead of repairing (I- without B-, ...)")
    p.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    p.add_argument("--rebuild-index", action="store_true", help="only rewrite the corpus index (corpus/.index/) from the documents, one scan")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..errors import InvalidDataError, UsageError
    from ..imports import REPAIRS, ImportOptions, import_sources

    if args.rebuild_index:
        from ..format.index import rebuild_index

        if args.sources:
            raise UsageError("--rebuild-index takes no SOURCE")
        if not args.corpus.is_dir():
            raise UsageError(f"{args.corpus}: no such corpus folder")
        index = rebuild_index(args.corpus)
        print(f"wrote {index.path} ({len(index.rows)} document(s))")
        return 0
    if not args.sources or args.format is None:
        raise UsageError("give --format FORMAT and at least one SOURCE")
    if args.format == "label-studio":
        from ..imports.label_studio_update import is_akhbar_export_file

        if all(is_akhbar_export_file(Path(s)) for s in args.sources):
            return _run_label_studio_update(args)

    opts = ImportOptions(
        format=args.format, sources=args.sources, corpus=args.corpus, labels=args.labels, id_prefix=args.id_prefix,
        sentences_per_document=args.sentences_per_document, split=args.split, select=args.select,
        publisher=args.publisher, url=args.url, published=args.published, text_license=args.text_license,
        annotations_license=args.annotations_license, citation=args.citation, note=args.note,
        annotator=args.annotator, date=args.date, strict=args.strict, dry_run=args.dry_run,
    )
    try:
        report = import_sources(opts)
    except InvalidDataError as exc:
        for fault in exc.problems:
            print(fault, file=sys.stderr)
        raise
    verb = "would import" if args.dry_run else "imported"
    print(f"{verb} {len(report.documents)} document(s), {report.sentences} sentence(s), "
          f"{sum(report.labels.values())} entit(ies) into {args.corpus}/")
    for label, n in report.labels.items():
        print(f"  {label}\t{n}")
    if report.dropped:
        print(f"dropped (label map): {report.dropped} entit(ies)")
    for code, n in sorted(report.repairs.items()):
        print(f"repaired {n}: {code} ({REPAIRS[code]})")
    for fault in report.faults:
        if fault.code in report.repairs:
            print(f"  {fault}")
    if report.token_differences:
        print(f"source tokens the project's tokenizer splits or joins differently: {report.token_differences}")
    for place, why in report.skipped:
        print(f"skipped {place}: {why}")
    return 0


def _run_label_studio_update(args) -> int:
    """Tasks exported by `akhbar export --format label-studio`: annotations for the documents already there."""
    if not args.corpus.is_dir():
        from ..errors import UsageError

        raise UsageError(f"{args.corpus}: no such corpus folder")
    from contextlib import nullcontext

    from ..format.lock import corpus_lock

    with nullcontext() if args.dry_run else corpus_lock(args.corpus):  # read, check and write as one step
        return _label_studio_update_locked(args)


def _label_studio_update_locked(args) -> int:
    from ..format.text import escape_controls
    from ..imports.label_studio_update import apply_updates, read_updates

    updates, skipped = [], []
    for source in args.sources:
        try:
            more, not_done = read_updates(Path(source), args.corpus, args.annotator)
        except Exception as exc:
            for fault in getattr(exc, "problems", ()):
                print(escape_controls(str(fault)), file=sys.stderr)
            raise
        updates += more
        skipped += not_done
    for line in skipped:
        print(f"skipped {escape_controls(line)}")
    if not args.dry_run:
        apply_updates(updates, args.corpus)
    verb = "would update" if args.dry_run else "updated"
    for u in updates:
        print(f"{verb} {escape_controls(u.folder.name)}: {len(u.after.sentences)} sentence(s), "
              f"{len(u.after.entities)} entit(ies) from Label Studio annotation {u.annotation_id}")
    return 0
