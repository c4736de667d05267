"""Options several subcommands share, spelled and described once."""

from __future__ import annotations

from pathlib import Path

__all__ = ["add_corpus_option"]


def add_corpus_option(parser) -> None:
    parser.add_argument("--corpus", type=Path, default=Path("corpus"), metavar="DIR",
                        help="the corpus folder (default: corpus/ in the current folder)")
