"""`akhbar diff`: compare two annotation files of one text, or carry annotations across text versions."""

from __future__ import annotations

from pathlib import Path

from ..errors import InvalidDataError
from ..format.atomic import atomic_write
from ..review.diff import carry_across_versions, diff_annotations, diff_page, format_diff, require_same_text
from ..review.load import load_checked, version_chain
from .options import add_corpus_option

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    p = sub.add_parser(
        "diff",
        help="what changed between two annotation files of one text",
        description="Entities added, removed, relabelled, re-spanned or edited (matched by id, then by span) "
        "and sentences split, merged, moved, added or removed, between two annotation files of one document. "
        "Files of two text versions are compared after carrying OLD onto NEW's version through the version "
        "chain (akhbar.versions.align, as `akhbar revise` does). With -o, also the RTL page of NEW with the changes marked.",
    )
    p.add_argument("old", metavar="OLD", help="the annotations before: a file, a document folder or a document id in --corpus (required)")
    p.add_argument("new", metavar="NEW", help="the annotations after, given the same way as OLD (required)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE.html", help="also write the page with the changes marked")
    add_corpus_option(p)
    p.set_defaults(run=run, print_problems=True)


def run(args) -> int:
    old, new = load_checked(args.old, args.corpus), load_checked(args.new, args.corpus)
    old_name, new_name = str(old.path), str(new.path)
    require_same_text(old.annotations, new.annotations, old_name, new_name, other_versions=True)
    before, preface = old.annotations, ()
    if before.text_version != new.annotations.text_version:
        chain = version_chain(new.doc_dir, before.text_version, new.annotations.text_version)
        if chain[0][0].sha256 != before.text_sha256:
            raise InvalidDataError(f"{old_name}: its text_sha256 is not that of text version {before.text_version}")
        before, marked = carry_across_versions(before, chain)
        preface = (f"OLD carried from text version {old.annotations.text_version} to "
                   f"{new.annotations.text_version} through the version chain"
                   + (f"; uncertain, check by hand: {', '.join(marked)}" if marked else ""),)
    d = diff_annotations(before, new.annotations)
    print(format_diff(d, old_name, new_name, preface), end="")
    if args.output:
        atomic_write(args.output, diff_page(d, before, new.annotations, new.text, old_name, new_name, preface))
        print(f"wrote {args.output}")
    return 0
