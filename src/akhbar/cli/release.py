"""`akhbar release`: set the corpus version and release date everywhere, after checks."""

from __future__ import annotations

import sys
from pathlib import Path

from ..release import CHANGELOG_FILE, apply_release, plan_release

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    p = sub.add_parser(
        "release",
        help="set the corpus version and release date everywhere, after checks",
        description="Cut release VERSION (MAJOR.MINOR.PATCH): refuse unless the corpus validates, VERSION "
        f"is greater than the current version and {CHANGELOG_FILE} has a '## [VERSION]' section; then set "
        "the version and release date in src/akhbar/__init__.py, CITATION.cff and the changelog in one step.",
    )
    p.add_argument("version", metavar="VERSION", help="the new version, e.g. 0.2.0 (required)")
    p.add_argument("--date", help="release date YYYY-MM-DD (default: today)")
    p.add_argument("--repo", type=Path, default=Path("."), help="repository root (default: the current folder)")
    p.add_argument("--dry-run", action="store_true", help="run every check, show what would change, write nothing")
    p.set_defaults(run=run, print_problems=True)  # a refusal lists the validator's problems


def run(args) -> int:
    plan = plan_release(args.repo, args.version, args.date)
    for note in plan.notes:
        print(f"akhbar release: note: {note}", file=sys.stderr)
    if args.dry_run:
        for path, (old, new) in plan.changes.items():
            print(f"would update {path}" if old != new else f"unchanged {path}")
        print(f"{plan.previous} -> {plan.version} ({plan.date}): checks passed, nothing written (--dry-run)")
        return 0
    for path in apply_release(plan):
        print(f"updated {path}")
    print(f"released {plan.version} ({plan.date}); previous version {plan.previous}")
    print(f"next: git commit -am 'Release {plan.version}' && git tag -a v{plan.version} -m 'Akhbar {plan.version}'")
    return 0
