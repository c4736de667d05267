"""Options several subcommands share, spelled and described once."""

from __future__ import annotations

from pathlib import Path

__all__ = ["add_corpus_option", "add_provenance_options"]


def add_corpus_option(parser) -> None:
    parser.add_argument("--corpus", type=Path, default=Path("corpus"), metavar="DIR",
                        help="the corpus folder (default: corpus/ in the current folder)")


def add_provenance_options(p) -> None:
    """The provenance options shared by `akhbar ingest` and `akhbar import` (stored in document.yaml)."""
    g = p.add_argument_group("provenance (stored in document.yaml)")
    g.add_argument("--publisher", help="who published the text")
    g.add_argument("--url", help="where it was published (http:// or https://)")
    g.add_argument("--published", metavar="YYYY-MM-DD", help="publication date")
    g.add_argument("--text-license", metavar="SPDX|STATEMENT",
                   help="the text's licence: an SPDX id (CC-BY-SA-4.0) or a statement of its rights")
    g.add_argument("--annotations-license", metavar="SPDX", help="SPDX id of the annotations' licence "
                   "(default CC-BY-4.0; a share-alike text needs share-alike annotations)")
    g.add_argument("--source-citation", dest="citation", metavar="TEXT", help="how the source asks to be cited")
    g.add_argument("--note", help="a note on the source (default: says which facts are unknown)")
