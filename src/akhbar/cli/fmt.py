"""`akhbar fmt`: rewrite annotations.json and document.yaml canonically."""

from __future__ import annotations

import sys
from pathlib import Path

from ..format.fmt import Loaded, format_paths
from ..format.text import escape_controls

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    p = sub.add_parser(
        "fmt",
        help="rewrite annotations.json and document.yaml canonically",
        description="Rewrite annotation and metadata files in canonical form (stable key order, one "
        "annotation per line). With --check, change nothing and exit 1 if a file would change.",
    )
    p.add_argument("paths", nargs="*", type=Path, default=[Path("corpus")], metavar="PATH",
                   help="corpus folders, document folders or annotations.json / document.yaml files "
                   "(default: corpus/ in the current folder)")
    p.add_argument("--check", action="store_true", help="report files that are not canonical; write nothing")
    p.set_defaults(run=run)


def _load(path: Path):
    """The file through the validator's loader: (Loaded, None), or (None, "CODE at LINE:COLUMN: message")."""
    from ..format.corpus import DOCUMENT_FILE
    from ..validate.files import UNUSABLE, load_file

    kind = "document" if path.name == DOCUMENT_FILE or path.suffix in (".yaml", ".yml") else "annotations"
    loaded, problems = load_file(path, path.parent, kind)
    blocking = [p for p in problems if p.code in UNUSABLE]
    if loaded.data is None or blocking:
        p = (blocking or problems or [None])[0]
        return None, f"{p.code} at {p.where}: {p.message}" if p else "not readable"
    return Loaded(loaded.data, loaded.text, loaded.canonical), None


def run(args) -> int:
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"akhbar fmt: error: {missing[0]}: no such file or folder", file=sys.stderr)
        return 2
    result = format_paths(args.paths, check=args.check, load=_load)
    for path, why in result.failed:
        print(escape_controls(f"{path}: cannot format: {why}"), file=sys.stderr)
    verb = "would reformat" if args.check else "reformatted"
    for path in result.changed:
        print(escape_controls(f"{verb} {path}"))
    print(f"{len(result.changed)} file(s) {verb}, {len(result.unchanged)} unchanged, {len(result.failed)} unreadable")
    if result.failed or (args.check and result.changed):
        return 1
    return 0
