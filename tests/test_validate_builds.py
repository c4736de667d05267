"""A corpus that validates always builds: the validator foresees every refusal of the build's `ner` rows.

The build tags whole words per nesting level and refuses two entities of one
level that share a word; the validator reports them as `entities-share-a-word`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from akhbar.format.corpus import load_document
from akhbar.errors import InvalidDataError
from akhbar.format.model import Annotations
from akhbar.dataset.rows import CorpusDocument, document_rows, read_corpus, rows_of
from akhbar.spans import nesting_levels
from akhbar.validate import CODES, validate_paths
from akhbar.validate.checks import check_annotations
from akhbar.format.index import INDEX_DIR

TESTS = Path(__file__).resolve().parent
SHARED = TESTS / "invalid" / "entities-share-a-word"
ONE_WORD = SHARED / "two-mentions-in-one-word"


def build_rows(corpus: Path) -> dict:
    """The rows `akhbar build` writes for `corpus` (raises InvalidDataError where the build would refuse it)."""
    read = read_corpus(corpus)
    return rows_of(read.documents, max(read.max_depth + 1, 1))


def copy_case(case: Path, tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(case, tmp_path / "repo")
    corpus = tmp_path / "repo" / "corpus"
    return corpus, corpus / "sample-doc" / "annotations.json"


def edit(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("case, pointer", [("two-mentions-in-one-word", "/entities/8/start"),
                                           ("parent-dropped", "/entities/3/start")])
def test_shared_word_is_reported_at_the_second_entity_and_refused_by_the_build(case, pointer):
    report = validate_paths([SHARED / case / "corpus"])
    assert [(p.code, p.pointer) for p in report.problems] == [("entities-share-a-word", pointer)]
    with pytest.raises(InvalidDataError):
        build_rows(SHARED / case / "corpus")


FIXES = {
    "two-mentions-in-one-word": lambda d: d["entities"].pop(),  # keep one of the two mentions
    "parent-dropped": lambda d: d["entities"][3].update(parent="e3"),  # restore the parent
}


@pytest.mark.parametrize("case", sorted(FIXES))
def test_fixed_cases_validate_and_build(tmp_path, case):
    corpus, annotations = copy_case(SHARED / case, tmp_path)
    edit(annotations, FIXES[case])
    report = validate_paths([corpus])
    assert report.valid and {p.code for p in report.problems} <= {"not-canonical"}
    assert len(build_rows(corpus)["ner"]) == 3


@pytest.mark.parametrize("case", sorted(p for p in (TESTS / "valid").iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_every_valid_fixture_builds(case):
    rows = build_rows(case / "corpus")
    assert len(rows["documents"]) == len([p for p in (case / "corpus").iterdir() if p.is_dir() and p.name != INDEX_DIR])  # not the index


# ---- the property: on random entities of one document, "validates" implies "builds"
_TEXT = (ONE_WORD / "corpus" / "sample-doc" / "text.v1.txt").read_text(encoding="utf-8")
_ANNOTATIONS = json.loads((ONE_WORD / "corpus" / "sample-doc" / "annotations.json").read_text(encoding="utf-8"))
_DOCUMENT = load_document(ONE_WORD / "corpus" / "sample-doc")
_SENTENCES = _ANNOTATIONS["sentences"][1:]  # the two long ones; s3 holds the joined word


@st.composite
def entity_lists(draw):
    entities = []
    for n in range(draw(st.integers(1, 5))):
        s = draw(st.sampled_from(_SENTENCES))
        start = draw(st.integers(s["start"], s["end"] - 1))
        end = draw(st.integers(start + 1, min(start + 25, s["end"])))
        e = {"id": f"e{n + 1}", "start": start, "end": end, "label": draw(st.sampled_from(["GPE", "NORP", "PERS"])),
             "text": _TEXT[start:end]}
        if entities and draw(st.booleans()):  # a parent listed before: no cycle
            e["parent"] = draw(st.sampled_from(entities))["id"]
        entities.append(e)
    return entities


def _entities(*spans, parents=()):
    """Entities e1, e2, ... over `spans` (NORP), `parents` as (child number, parent number) pairs."""
    out = [{"id": f"e{n}", "start": a, "end": b, "label": "NORP", "text": _TEXT[a:b]} for n, (a, b) in enumerate(spans, 1)]
    for child, parent in parents:
        out[child - 1]["parent"] = f"e{parent}"
    return out


_WORD = _TEXT.index("الجزائريةالتونسية")  # one written word of 17 letters


@settings(max_examples=300, deadline=None)
@example(entities=_entities((_WORD, _WORD + 9), (_WORD + 9, _WORD + 17)))  # adjacent inside the word
@example(entities=_entities((_WORD, _WORD + 4), (_WORD + 6, _WORD + 12)))  # apart, but inside the word
@example(entities=_entities((_WORD, _WORD + 17), (_WORD + 5, _WORD + 10)))  # nested without parent
@example(entities=_entities((_WORD, _WORD + 17), (_WORD + 5, _WORD + 10), parents=[(2, 1)]))  # nested: fine
@example(entities=_entities((_WORD - 7, _WORD - 1), (_WORD, _WORD + 9)))  # a space between: fine
@given(entities=entity_lists())
def test_what_validates_builds_and_a_shared_word_alone_does_not(entities):
    data = {**_ANNOTATIONS, "entities": entities}
    findings = list(check_annotations(data, _TEXT, set()))
    errors = {f.code for f in findings if CODES[f.code].severity == "error"}
    annotations = Annotations.from_dict(data)
    doc = CorpusDocument(_DOCUMENT, annotations, _TEXT, nesting_levels(annotations.entities))
    try:
        document_rows(doc, max(doc.depth.values()) + 1)
        built = True
    except InvalidDataError:
        built = False
    if not errors:
        assert built
    if errors == {"entities-share-a-word"}:
        assert not built
