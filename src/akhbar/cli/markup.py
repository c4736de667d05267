"""`akhbar markup` and `akhbar unmarkup`: annotate entities in a text editor with inline `[LABEL text]`."""

from __future__ import annotations

import sys
from pathlib import Path

from ..annotate.edit import annotations_from_markup, load_state, markup_of
from ..format.atomic import atomic_write
from ..format.corpus import ANNOTATIONS_FILE, write_annotations
from ..format.ids import check_id
from ..format.lock import document_lock
from ..format.text import read_utf8
from .options import add_corpus_option

__all__ = ["add_parser", "run_markup", "run_unmarkup"]


def add_parser(sub) -> None:
    p = sub.add_parser(
        "markup",
        help="write a document's text with its entities marked inline, for a text editor",
        description="Write the current text version of a document with every entity marked inline as "
        "[LABEL text], nested entities inside their parents, after one header line naming the document and "
        "version. Edit the brackets and labels, never the text, then read it back with `akhbar unmarkup`. "
        "Literal brackets and backslashes in the text are written \\[ \\] \\\\ (docs/contributing.md).",
    )
    p.add_argument("doc_id", metavar="DOC_ID", help="the document id: a folder of --corpus (required)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", required=True,
                   help="where to write the markup (- for standard output)")
    add_corpus_option(p)
    p.set_defaults(run=run_markup)

    u = sub.add_parser(
        "unmarkup",
        help="read a markup file back into the document's annotations.json",
        description="Read a file written by `akhbar markup` (and edited) and write its entities into the "
        "document's annotations.json: unchanged entities keep their ids, notes and links, new ones get new "
        "ids, removed ones are gone; sentences are kept. Refuses, writing nothing, when the text with the "
        "markup removed differs from the version's text, naming the line and column of the first difference.",
    )
    u.add_argument("file", type=Path, metavar="FILE", help="a markup file written by `akhbar markup` (required)")
    u.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    add_corpus_option(u)
    u.set_defaults(run=run_unmarkup)


def run_markup(args) -> int:
    state = load_state(args.doc_id, args.corpus)
    page = markup_of(state)  # byte for byte the text plus brackets: no newline added
    if str(args.output) == "-":
        sys.stdout.write(page)
        return 0
    atomic_write(args.output, page)
    print(f"wrote {args.output}: {args.doc_id}, text version {state.annotations.text_version}, "
          f"{len(state.annotations.entities)} entities")
    return 0


def run_unmarkup(args) -> int:
    markup = read_utf8(args.file, "markup file")
    annotations = annotations_from_markup(markup, args.corpus)
    target = Path(args.corpus) / annotations.document / ANNOTATIONS_FILE
    if not args.dry_run:
        check_id(annotations.document)
        with document_lock(args.corpus, annotations.document):  # checked against the text again, under the lock
            write_annotations(target, annotations_from_markup(markup, args.corpus))
    verb = "would write" if args.dry_run else "wrote"
    print(f"{verb} {target}: {len(annotations.entities)} entities")
    return 0
