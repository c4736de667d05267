"""`akhbar show`: draw an annotations file on its text as one self-contained RTL HTML page."""

from __future__ import annotations

import sys
from pathlib import Path

from ..format.atomic import atomic_write
from ..format.ids import is_valid_id
from ..format.text import escape_controls
from ..review.gcpause import gc_paused
from ..review.load import load_target, resolve_annotations_path, show_page
from ..validate import validate_paths
from .options import add_corpus_option

__all__ = ["add_parser", "run", "problems_of", "default_output"]


def add_parser(sub) -> None:
    p = sub.add_parser(
        "show",
        help="draw an annotations file on its text as one self-contained RTL HTML page",
        description="Write one self-contained HTML page (no network) showing the text right to left with "
        "every sentence and entity drawn, nested entities inside their parents, and the validator's problems "
        "marked at their place. An invalid file is drawn as far as it can be; the exit status is 0 whenever "
        "the page was written (`akhbar validate` gives the verdict).",
    )
    p.add_argument("target", metavar="DOC_ID|ANNOTATIONS_FILE",
                   help="a document id in --corpus, a document folder or an annotations.json file (required)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE.html",
                   help="where to write the page (default: <document id>.html here; - for standard output)")
    add_corpus_option(p)
    p.set_defaults(run=run)


def problems_of(path: Path, corpus: Path) -> list:
    """The validator's problems for one annotations file."""
    return list(validate_paths([path], corpus=corpus).problems)


def default_output(document, path: Path) -> Path:
    """`<id>.html` in the current folder for a valid document id, else `<input's stem>.html`: never a name
    taken as a path from the file's unvalidated `document` (`/x/report`, `../../x`)."""
    if isinstance(document, str) and is_valid_id(document):
        return Path(f"{document}.html")
    stem = path.stem if path.stem and not path.stem.startswith(".") else "page"
    return Path(f"{stem}.html")


def run(args) -> int:
    path = resolve_annotations_path(args.target, args.corpus)
    with gc_paused():  # parse and validate: objects per entity, no cycles (review/gcpause.py); flat at 100k entities
        target = load_target(path, args.corpus)
        problems = problems_of(path, args.corpus)
    page = show_page(target, problems)
    if str(args.output) == "-":
        sys.stdout.write(page)
        return 0
    out = args.output or default_output(target.document, path)
    atomic_write(out, page)
    errors = sum(1 for p in problems if p.is_error)
    print(escape_controls(f"wrote {out}: {target.document}, {len(problems)} problem(s) ({errors} error(s))"
                          + ("".join(f"; {note}" for note in target.notes))))
    return 0
