"""The command line a contributor meets first: usage errors per subcommand, one `--corpus`, positional help."""

from __future__ import annotations

import argparse

import pytest

from akhbar.cli import build_parser, main
from akhbar.cli.options import add_corpus_option

# Commands without --corpus: `cite` reads CITATION.cff, `release` a repository (--repo), and `fmt` rewrites the
# files it is given (its PATH defaults to corpus/), needing nothing else from a corpus.
NO_CORPUS = {"cite", "release", "fmt"}


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


SUBCOMMANDS = sorted(_subcommands())


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_an_unknown_option_prints_the_subcommand_usage_and_exits_2(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--bogus"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: akhbar {command} ")
    assert err.splitlines()[-1].startswith(f"akhbar {command}: error: ")


def test_an_unknown_option_without_a_subcommand_prints_the_top_level_usage(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--bogus"])
    assert exc.value.code == 2
    assert capsys.readouterr().err.startswith("usage: akhbar [-h]")


def test_every_corpus_command_has_the_same_corpus_option():
    reference = argparse.ArgumentParser()
    add_corpus_option(reference)
    (want,) = [a for a in reference._actions if "--corpus" in a.option_strings]
    have = set()
    for name, sub in _subcommands().items():
        for action in sub._actions:
            if "--corpus" in action.option_strings:
                have.add(name)
                assert (action.option_strings, action.metavar, action.default, action.type, action.help) == (
                    want.option_strings, want.metavar, want.default, want.type, want.help), name
    assert have == set(SUBCOMMANDS) - NO_CORPUS


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_positional_argument_has_help_that_states_its_default(command):
    sub = _subcommands()[command]
    for action in sub._actions:
        if action.option_strings:
            continue
        assert action.help, (command, action.dest)
        optional = action.nargs in ("*", "?")
        assert ("default" in action.help) if optional else ("required" in action.help), (command, action.dest)
