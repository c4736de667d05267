from __future__ import annotations

from pathlib import Path

from ..corpus import atomic_write
from ..diff import diff_annotations, diff_page, format_diff, require_same_text
from ..review import load_checked


def add_parser(sub) -> None:
    p = sub.add_parser(
        "diff",
        help="what changed between two annotation files of one text",
        description="Entities added, removed, relabelled, re-spanned or edited (matched by id, then by span) "
        "and sentences split, merged, moved, added or removed, between two annotation files of the same text "
        "version. With -o, also the RTL page of NEW with the changes marked.",
    )
    p.add_argument("old", metavar="OLD", help="the annotations before (file, document folder or document id)")
    p.add_argument("new", metavar="NEW", help="the annotations after")
    p.add_argument("-o", "--output", type=Path, metavar="FILE.html", help="also write the page with the changes marked")
    p.add_argument("--corpus", type=Path, default=Path("corpus"), help="corpus folder (default: corpus/)")
    p.set_defaults(run=run)


def run(args) -> int:
    old_path, old, text = load_checked(args.old, args.corpus)
    new_path, new, _ = load_checked(args.new, args.corpus)
    require_same_text(old, new, str(old_path), str(new_path))
    d = diff_annotations(old, new)
    print(format_diff(d, str(old_path), str(new_path)), end="")
    if args.output:
        atomic_write(args.output, diff_page(d, old, new, text, str(old_path), str(new_path)))
        print(f"wrote {args.output}")
    return 0
