"""`akhbar fmt`: rewrite annotations.json and document.yaml canonically."""

from __future__ import annotations

import sys
from pathlib import Path

from ..format.fmt import format_paths

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    p = sub.add_parser(
        "fmt",
        help="rewrite annotations.json and document.yaml canonically",
        description="Rewrite annotation and metadata files in canonical form (stable key order, one "
        "annotation per line). With --check, change nothing and exit 1 if a file would change.",
    )
    p.add_argument("paths", nargs="*", type=Path, default=[Path("corpus")], metavar="PATH")
    p.add_argument("--check", action="store_true", help="report files that are not canonical; write nothing")
    p.set_defaults(run=run)


def run(args) -> int:
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"akhbar fmt: error: {missing[0]}: no such file or folder", file=sys.stderr)
        return 2
    result = format_paths(args.paths, check=args.check)
    for path, why in result.failed:
        print(f"{path}: cannot format: {why}", file=sys.stderr)
    verb = "would reformat" if args.check else "reformatted"
    for path in result.changed:
        print(f"{verb} {path}")
    print(f"{len(result.changed)} file(s) {verb}, {len(result.unchanged)} unchanged, {len(result.failed)} unreadable")
    if result.failed or (args.check and result.changed):
        return 1
    return 0
