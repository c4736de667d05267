"""`akhbar find`, `accept` and `reject`: occurrences with their kind, and review marks resolved without JSON."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from akhbar.annotate.edit import accept, reject
from akhbar.annotate.find import AFTER_PROCLITIC, INSIDE_WORD, WHOLE_WORD, find_occurrences
from akhbar.cli import main
from akhbar.errors import UsageError
from akhbar.format.corpus import ANNOTATIONS_FILE, load_annotations, write_annotations
from akhbar.format.model import Annotations, Entity
from conftest import SEED_ID


def test_find_lists_every_occurrence_with_its_kind():
    text = "قال وزير الخارجية التونسي إن تونس ولتونس"
    found = find_occurrences(text, "تونس", [Entity("e1", 29, 33, "GPE", "تونس")])
    assert [(o.start, o.end, o.kind) for o in found] == [
        (20, 24, INSIDE_WORD), (29, 33, WHOLE_WORD), (36, 40, AFTER_PROCLITIC)]
    assert [o.covered_by for o in found] == [(), ("e1",), ()]


def test_find_does_not_take_a_name_starting_with_a_proclitic_letter_for_a_proclitic():
    # بغداد starts with ب; searched whole it is a whole word, and غداد inside it is not "after a proclitic" of a name
    text = "في بغداد وبغداد"
    kinds = [o.kind for o in find_occurrences(text, "بغداد")]
    assert kinds == [WHOLE_WORD, AFTER_PROCLITIC]


def test_find_cli_prints_offsets(capsys):
    assert main(["find", SEED_ID, "داعش"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 11  # داعش ten times in the seed, then the count line
    assert out[0].split("\t")[0] == "38-42"


def _marked(a: Annotations) -> Annotations:
    ents = list(a.entities)
    ents[0] = replace(ents[0], review="suggested: gazetteer")
    ents[1] = replace(ents[1], review="suggested: crf")
    ents[2] = replace(ents[2], review="the text under this entity changed in version 2")
    return a.replace(entities=tuple(ents))


def test_accept_by_id_by_recommender_and_all(repo_copy):
    path = repo_copy / "corpus" / SEED_ID / ANNOTATIONS_FILE
    a = _marked(load_annotations(path))
    ids = [e.id for e in a.entities[:3]]
    by_rec, n = accept(a, recommender="gazetteer")
    assert n == 1 and [e.review is None for e in by_rec.entities[:3]] == [True, False, False]
    by_id, n = accept(a, [ids[2]])
    assert n == 1 and by_id.entities[2].review is None and by_id.entities[0].review
    everything, n = accept(a, everything=True)
    assert n == 3 and all(e.review is None for e in everything.entities)
    with pytest.raises(UsageError):
        accept(a, ["e999"])
    write_annotations(path, a)
    assert main(["validate", str(path.parent)]) == 1
    assert main(["accept", SEED_ID, "--all", "--corpus", str(repo_copy / "corpus")]) == 0
    assert main(["validate", str(path.parent)]) == 0


def test_reject_moves_children_up_to_the_parent(repo_copy):
    a = load_annotations(repo_copy / "corpus" / SEED_ID / ANNOTATIONS_FILE)
    child = next(e for e in a.entities if e.parent)
    out, n = reject(a, [child.parent])
    assert n == 1
    moved = next(e for e in out.entities if e.id == child.id)
    parent = next(e for e in a.entities if e.id == child.parent)
    assert moved.parent == parent.parent
    assert child.parent not in {e.id for e in out.entities}
