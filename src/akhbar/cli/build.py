"""`akhbar build`: build the Hugging Face dataset folder (Parquet, card, citation) from the corpus."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from .options import add_corpus_option

__all__ = ["add_parser", "run", "summary"]


def add_parser(sub) -> None:
    p = sub.add_parser(
        "build",
        help="build the Hugging Face dataset folder (card, Parquet, CITATION.cff)",
        description="Validate the corpus and write it as a Hugging Face dataset folder: README.md (the card), "
        "data/<config>/<split>-*.parquet for the configs documents, sentences, entities and ner, "
        "CITATION.cff. The folder is replaced only once the new one is complete. With --check DIR, "
        "write nothing and exit 1 if DIR is not what a build would write.",
    )
    add_corpus_option(p)
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, metavar="DIR", help="the dataset folder to write")
    where.add_argument("--check", type=Path, metavar="DIR", help="exit 1 if DIR is out of date; write nothing")
    p.add_argument("--docs-per-shard", type=int, default=None, metavar="N",
                   help="documents per Parquet file (default: 5000)")
    p.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="validate with N processes (default: 1)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress, summary only")
    p.set_defaults(run=run, print_problems=True)  # a refusal lists the validator's problems


def _progress(quiet: bool):
    if quiet:
        return None
    last = [0.0]

    def report(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == "validate":
            print("validating the corpus...", file=sys.stderr)
        elif done == total or now - last[0] >= 1.0:
            last[0] = now
            verb = "reading documents" if stage == "read" else "writing Parquet"
            print(f"{verb}: {done}/{total} documents", file=sys.stderr)

    return report


def run(args) -> int:
    from ..dataset.build import DOCS_PER_SHARD, build, check
    from ..errors import UsageError

    if not args.corpus.is_dir():
        raise UsageError(f"{args.corpus}: no such corpus folder")
    shard = args.docs_per_shard or DOCS_PER_SHARD
    if shard < 1 or args.jobs < 1:
        raise UsageError("--docs-per-shard and --jobs must be at least 1")
    if args.check is not None:
        stale = check(args.corpus, args.check, docs_per_shard=shard, jobs=args.jobs)
        for name in stale:
            print(f"out of date: {args.check / name}")
        print(f"{args.check}: " + (f"{len(stale)} file(s) out of date; run akhbar build --out {args.check}"
                                   if stale else "up to date"))
        return 1 if stale else 0
    result = build(args.corpus, args.out, docs_per_shard=shard, progress=_progress(args.quiet), jobs=args.jobs)
    print(summary(result))
    warning = mixed_licenses_warning(result.counts)
    if warning:
        print(warning, file=sys.stderr)
    return 0


def mixed_licenses_warning(counts) -> str | None:
    """A warning when the documents come under more than one set of licences (the build still builds)."""
    if len(counts.licenses) < 2:
        return None
    lines = [f"akhbar build: warning: the documents come under {len(counts.licenses)} sets of licences; a user "
             "must follow each (the card and LICENSE.md list them):"]
    lines += [f"  {n} document(s): annotations {a}; text: {t}" for (a, t), n in sorted(counts.licenses.items())]
    return "\n".join(lines)


def summary(result) -> str:
    """What was built: documents, sentences, entities per label, splits, where, and the line to load it."""
    c = result.counts
    docs, sents, ents = (sum(c.rows[k].values()) for k in ("documents", "sentences", "entities"))
    lines = [f"built {result.out}: {docs} documents, {sents} sentences, {ents} entities "
             f"(deepest nesting level {c.max_depth})"]
    if c.unannotated:
        lines.append(f"left out {c.unannotated} document(s) not annotated yet")
    lines.append("splits: " + ", ".join(f"{s} {n} documents / {c.rows['sentences'][s]} sentences"
                                         for s, n in c.rows["documents"].items()))
    width = max((len(k) for k in c.labels), default=5)
    lines.append("entities per label:")
    lines += [f"  {label:<{width}}  {n:>7}" for label, n in sorted(c.labels.items(), key=lambda kv: (-kv[1], kv[0]))]
    from ..format.text import escape_controls

    # An absolute path: a bare name like "dataset" is also a Hub id, which `datasets` may answer from an old cache.
    folder = escape_controls(repr(str(Path(result.out).resolve())))
    lines.append(f"load it: datasets.load_dataset({folder}, 'ner')  # configs: documents, sentences, entities, ner")
    return "\n".join(lines)
