"""The `akhbar` command: a thin shell over the library.

Each subcommand is a small module in this package with `add_parser(subparsers)`
and `run(args) -> int`. Exit status: 0 success, 1 invalid data, 2 usage error
or unreadable input. No traceback reaches the user for an expected failure.
A command that reports the validator's problems when the validity gate
refuses it (its parser sets `print_problems=True`: build, export) prints them
exactly as `akhbar validate` does (`validate.format_problems`), then the
error; the others (revise, release) name the first problem in their one-line
error and point at `akhbar validate`.
"""

from __future__ import annotations

import argparse
import sys

from ..errors import AkhbarError, InvalidDataError
from ..format.text import escape_controls
from . import (agree, annotate, build, cite, diff, export, fmt, import_, ingest, markup, release, revise, show, stats,
               suggest, validate)

__all__ = ["COMMANDS", "build_parser", "main"]

# Order is the order of `akhbar --help`: make and check the corpus, build it, review, release.
COMMANDS = [ingest, import_, fmt, validate, suggest, annotate, markup, revise, build, export, stats, show, diff, agree, cite,
            release]


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="akhbar",
        description="Akhbar: a versioned Arabic news corpus with stand-off sentence and entity annotations.",
    )
    parser.add_argument("--version", action="version", version=f"akhbar {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.add_parser(sub)
    return parser


def _subcommand_parser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    """The parser of one subcommand, so a usage error shows that subcommand's usage, not the top-level one."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices[command]
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # argparse would report these with the top-level usage; exits 2
        where = _subcommand_parser(parser, args.command) if args.command else parser
        where.error("unrecognized arguments: " + " ".join(unknown))
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        try:
            return args.run(args)
        except ImportError as exc:  # a package of an optional extra: name the extra, exit 2
            from ..errors import missing_extra

            missing = missing_extra(exc)
            if missing is None:
                raise
            raise missing from None
    except AkhbarError as exc:
        if isinstance(exc, InvalidDataError) and exc.problems and getattr(args, "print_problems", False):
            from ..validate import format_problems

            sys.stderr.write(format_problems(exc.problems))
        print(f"akhbar {args.command}: error: {escape_controls(str(exc))}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print(f"akhbar {args.command}: interrupted; nothing half-written was kept", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `akhbar ... | head` is fine
        return 0
