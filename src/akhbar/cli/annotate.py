"""`akhbar find`, `akhbar accept`, `akhbar reject`: find text and resolve review marks without editing JSON."""

from __future__ import annotations

import sys

from ..annotate.edit import accept, load_state, reject
from ..annotate.find import find_occurrences
from ..annotate.rejections import remember_rejections
from ..format.corpus import ANNOTATIONS_FILE, repo_root, write_annotations
from ..format.ids import check_id
from ..format.lock import document_lock
from ..format.safe_open import FileRefused
from ..format.text import escape_controls
from .options import add_corpus_option

__all__ = ["add_parser"]


def add_parser(sub) -> None:
    f = sub.add_parser(
        "find",
        help="list every occurrence of a text in a document, with offsets and the entity covering it",
        description="List every occurrence of TEXT in the document's current text version: its offsets "
        "(code points, end exclusive), whether it is a whole word, follows a proclitic (و ف ب ك ل) or sits "
        "inside a longer word, and which entities cover it.",
    )
    f.add_argument("doc_id", metavar="DOC_ID", help="the document id: a folder of --corpus (required)")
    f.add_argument("text", metavar="TEXT", help="the text to find, exactly as written (required)")
    add_corpus_option(f)
    f.set_defaults(run=run_find)

    a = sub.add_parser(
        "accept",
        help="clear review marks: of suggestions or of `akhbar revise`",
        description="Clear the `review` mark of the named sentences and entities, of every marked item "
        "(--all), or of every suggestion of one recommender (--recommender NAME). Run `akhbar show` first "
        "to see what you accept.",
    )
    a.add_argument("doc_id", metavar="DOC_ID", help="the document id: a folder of --corpus (required)")
    a.add_argument("ids", nargs="*", metavar="ID", help="sentence or entity ids (e.g. e17 s3); default: none")
    group = a.add_mutually_exclusive_group()
    group.add_argument("--all", action="store_true", help="every item with a review mark")
    group.add_argument("--recommender", metavar="NAME", help="every suggestion of this recommender")
    add_corpus_option(a)
    a.set_defaults(run=run_accept)

    r = sub.add_parser(
        "reject",
        help="remove suggested or doubtful entities or sentences",
        description="Remove the named entities or sentences from the document's annotations; the children "
        "of a removed entity move up to its parent. Removed entities are remembered in this clone "
        "(.akhbar/rejected.jsonl, ignored by git) so that `akhbar suggest` does not offer them again for this "
        "text.",
    )
    r.add_argument("doc_id", metavar="DOC_ID", help="the document id: a folder of --corpus (required)")
    r.add_argument("ids", nargs="+", metavar="ID", help="sentence or entity ids, e.g. e17 (at least one required)")
    add_corpus_option(r)
    r.set_defaults(run=run_reject)


def run_find(args) -> int:
    state = load_state(args.doc_id, args.corpus)
    found = find_occurrences(state.text, args.text, state.annotations.entities)
    labels = {e.id: e.label for e in state.annotations.entities}
    for o in found:
        covered = ", ".join(f"{i} {labels[i]}" for i in o.covered_by) or "no entity"
        print(f"{o.start}-{o.end}\t{o.kind}\t{escape_controls(o.word)}\t{covered}")
    print(f"{len(found)} occurrence(s) of {escape_controls(args.text)!s} in {args.doc_id}")
    return 0


def _write(state, annotations) -> None:
    write_annotations(state.folder / ANNOTATIONS_FILE, annotations)


def run_accept(args) -> int:
    check_id(args.doc_id)
    with document_lock(args.corpus, args.doc_id):  # read, change and write as one step
        state = load_state(args.doc_id, args.corpus)
        annotations, cleared = accept(state.annotations, args.ids, args.all, args.recommender)
        _write(state, annotations)
    print(f"{args.doc_id}: cleared {cleared} review mark(s)")
    return 0


def run_reject(args) -> int:
    check_id(args.doc_id)
    with document_lock(args.corpus, args.doc_id):
        state = load_state(args.doc_id, args.corpus)
        annotations, removed = reject(state.annotations, args.ids)
        _write(state, annotations)
        kept = {e.id for e in annotations.entities}
        gone = tuple(e for e in state.annotations.entities if e.id not in kept)
        try:  # the rejection itself is done; remembering it only spares a later `suggest`
            remember_rejections(repo_root(args.corpus), args.doc_id, state.annotations.text_sha256, gone)
        except (FileRefused, OSError) as exc:
            print(f"{args.doc_id}: warning: could not remember the rejection for `akhbar suggest`: "
                  f"{escape_controls(str(exc))}", file=sys.stderr)
    print(f"{args.doc_id}: removed {removed} item(s)")
    return 0
