"""`akhbar revise`: make a new version of a document's text and carry its annotations across."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from ..format.text import escape_controls
from ..versions.align import EDITED_INSIDE, OUTCOMES, REANCHORED, SHIFTED
from ..versions.words import describe_word_edits
from ..versions.revise import Revision, revise
from .options import add_corpus_option

__all__ = ["add_parser", "run", "format_revision"]


_KINDS = (("sentence", "sentences"), ("entity", "entities"))


def add_parser(sub) -> None:
    p = sub.add_parser(
        "revise",
        help="make a new version of a document's text and carry its annotations across",
        description="Append text.v<N+1>.txt (normalised like ingest: UTF-8, NFC, LF) and a versions entry to "
        "document.yaml, and move annotations.json onto the new version: annotations in unchanged text are "
        "shifted; those whose text or boundary an edit touched are re-anchored where their old text occurs "
        "unchanged, or else kept and marked for review. Nothing is dropped. Exit status: 0 revised, "
        "1 the document does not validate, 2 usage error (nothing is written on error). See docs/versions.md.",
    )
    p.add_argument("doc_id", metavar="DOC_ID", help="the document id: a folder of --corpus (required)")
    p.add_argument("--text", required=True, type=Path, metavar="NEW_TEXT_FILE", help="the corrected text (UTF-8)")
    p.add_argument("--note", required=True, help="what changed and why; recorded in the version's note")
    add_corpus_option(p)
    p.add_argument("--date", help="version date, YYYY-MM-DD (default: today)")
    p.add_argument("--json", action="store_true", help="print the migration report as JSON")
    p.set_defaults(run=run, print_problems=True)  # a refusal lists the validator's problems


def _ids(ids: list[str]) -> str:
    return textwrap.fill(" ".join(ids), width=100, initial_indent="    ", subsequent_indent="    ")


def format_revision(result: Revision) -> str:
    """The human report: what was written, the counts per outcome, and which ids moved or need review."""
    report, version = result.report, result.version
    inserted = sum(e.inserted for e in report.edits)
    deleted = sum(e.deleted for e in report.edits)
    lines = [
        f"revised {result.document.id}: text v{version.version - 1} -> v{version.version} "
        f"({result.doc_dir / version.file}, {version.chars} characters, sha256 {version.sha256[:12]}…)",
        f"carried annotations from v{report.old_version}: {len(report.words)} edit(s) in words, "
        f"{inserted} character(s) inserted, {deleted} deleted",
    ]
    if report.words:
        lines.append("edits: " + escape_controls(describe_word_edits(report.words, shown=10)))
    counts = report.counts()
    for kind, plural in _KINDS:
        c = counts[kind]
        total = sum(c.values())
        lines.append(f"{plural}: {total} kept: " + ", ".join(f"{c[o]} {o}" for o in OUTCOMES))
    for outcome, title in ((SHIFTED, "shifted"), (EDITED_INSIDE, "edited inside (boundaries kept, no mark)"),
                           (REANCHORED, "re-anchored")):
        for kind, plural in _KINDS:
            ids = report.ids(kind, outcome)
            if ids:
                lines += [f"{title} {plural} ({len(ids)}):", _ids(ids)]
    marked = report.marked
    if marked:
        lines.append(f"marked for review ({len(marked)}): check each and delete its \"review\" field")
        lines += [f"    {m.kind} {m.id} at {m.new_start}..{m.new_end}: {m.review}" for m in marked]
    if report.uncovered:
        spans = ", ".join(f"{a}..{b}" for a, b in report.uncovered)
        lines.append(f"new text outside every sentence at {spans}: add or extend sentences")
    return "\n".join(lines) + "\n"


def run(args) -> int:
    result = revise(args.doc_id, args.text, args.note, args.corpus, date=args.date)
    if args.json:
        out = {"document": result.document.id, "version": result.version.to_dict(), **result.report.to_dict()}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(format_revision(result), end="")
    return 0
