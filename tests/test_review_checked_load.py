"""What `akhbar diff` and `akhbar agree` refuse, now found with one parse and only the checks that can block.

`load_checked` used to parse a file twice and run every check of the
validator, guideline warnings included, to keep only the errors a comparison
cannot survive (`CANNOT_COMPARE`). It now runs the checks that can report
those codes (`checks_for`) on the file it loaded: here its refusals are
compared with the full validator's on every fixture. The agreement figures
come from nervaluate's own strategies driven per label (`review/nerscores.py`):
compared with `nervaluate.Evaluator` on random groups.
"""

from __future__ import annotations

import json
from pathlib import Path

import hypothesis.strategies as st
import yaml
from hypothesis import given, settings
from nervaluate import Evaluator

from akhbar.errors import InvalidDataError, NotFoundError
from akhbar.review.load import CANNOT_COMPARE, load_checked, load_target
from akhbar.review.nerscores import SCHEME_STRATEGIES, SpanLabel, evaluate_groups
from akhbar.validate import files, validate_paths
from akhbar.validate.engine import validate_annotations_file
from akhbar.validate.checks import CHECKS, checks_for

FIXTURES = Path(__file__).resolve().parent
DEFAULT_MAX_BYTES = files.MAX_FILE_BYTES
ANNOTATION_FILES = sorted(FIXTURES.glob("invalid/*/*/corpus/*/annotations.json")) + sorted(
    FIXTURES.glob("valid/*/corpus/*/annotations.json"))
ENGINE_FACTS = {"text", "data", "sentences", "entities", "all_sentences", "entity_ids"}  # the engine gives these


def test_checks_for_the_blocking_codes_leaves_out_the_guideline_checks():
    chosen = [c.name for c in checks_for(CANNOT_COMPARE)]
    assert chosen == ["ids", "sentence-spans", "entity-spans", "parents"]
    every_code = {code for c in CHECKS for code in c.codes}
    assert [c.name for c in checks_for(frozenset(every_code))] == [c.name for c in CHECKS]


def test_checks_for_brings_the_checks_that_give_what_the_chosen_need():
    for check in CHECKS:
        chosen = checks_for(frozenset(check.codes))
        assert check in chosen
        known = set(ENGINE_FACTS)
        for c in chosen:  # in CHECKS order: every need is the engine's or given by an earlier chosen check
            assert set(c.needs) <= known, (check.name, c.name)
            known |= set(c.gives)


def _case_config(path: Path) -> dict:
    case = path.parents[2]
    config = case / "validate.json"
    return json.loads(config.read_text(encoding="utf-8")) if config.is_file() else {}


def test_load_checked_refuses_exactly_the_blocking_errors_the_full_validator_finds(monkeypatch):
    compared, refused, mismatches = 0, 0, []
    for path in ANNOTATION_FILES:
        corpus = path.parents[1]
        config = _case_config(path)
        monkeypatch.setattr(files, "MAX_FILE_BYTES", config.get("max_file_bytes", DEFAULT_MAX_BYTES))
        target = load_target(path, corpus)
        if target.text is None:
            report = validate_paths([path], corpus=corpus)
        else:  # the full validator against the text load_checked found: the file document.yaml names for it
            versions = yaml.safe_load((target.doc_dir / "document.yaml").read_text(encoding="utf-8"))["versions"]
            name = next(v["file"] for v in versions if v["version"] == target.text_version)
            report = validate_annotations_file(path, target.doc_dir.parent, target.doc_dir / name)
        expected = sorted((p.code, p.line, p.column) for p in report.problems
                          if p.is_error and p.code in CANNOT_COMPARE and Path(p.file) == path)
        try:
            load_checked(path, corpus)
            got = []
        except NotFoundError:
            continue  # the text is not found: nothing is compared (the validator reports it on other files)
        except InvalidDataError as exc:
            if not exc.problems:  # not loadable at all: the validator must have found why, in the file itself
                assert any(p.code in CANNOT_COMPARE for p in report.problems if Path(p.file) == path), path
                continue
            got = sorted((p.code, p.line, p.column) for p in exc.problems)
        compared += 1
        refused += bool(got)
        if got != expected:
            mismatches.append((str(path.relative_to(FIXTURES)), got, expected))
    assert mismatches == []
    assert compared >= 40 and refused >= 10, (compared, refused)


_LABELS = ["LOC", "ORG", "PERS"]
_span = st.builds(lambda s, n, label: SpanLabel(label, s, s + n), st.integers(0, 12), st.integers(0, 4),
                  st.sampled_from(_LABELS))
_group = st.lists(_span, max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_group, _group), min_size=1, max_size=5))
def test_evaluate_groups_gives_what_nervaluates_evaluator_gives(groups):
    true, pred = [t for t, _ in groups], [p for _, p in groups]
    overall, per_label = evaluate_groups(true, pred, _LABELS)
    as_dicts = [[{"label": e.label, "start": e.start, "end": e.end} for e in g] for g in true], \
               [[{"label": e.label, "start": e.start, "end": e.end} for e in g] for g in pred]
    expected = Evaluator(*as_dicts, tags=_LABELS, loader="dict").evaluate()
    assert {s: vars(r) for s, r in overall.items()} == {s: vars(expected["overall"][s]) for s in SCHEME_STRATEGIES}
    assert {lab: {s: vars(r) for s, r in rs.items()} for lab, rs in per_label.items()} == {
        lab: {s: vars(r) for s, r in rs.items()} for lab, rs in expected["entities"].items()}
