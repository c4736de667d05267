"""`akhbar suggest`: pre-annotation of a document by the recommenders, and their training and evaluation.

Offsets are code points of the document's current text version, 0-based,
end exclusive. Every suggestion is written with `review: "suggested: <name>"`
(`edit.SUGGESTED`), so the file does not validate until a person has
accepted or rejected it. Suggestions never change an existing annotation: a
suggested entity that shares a character with an existing one is left out
and listed (`Overlap`); sentences are suggested only for a document that has
none.

Recommenders: `sentences` (`sentences.py`), `gazetteer` (`gazetteer.py`,
built from the accepted entities of every other document's current version),
`crf` (`crf.py`, trained by `train`, stored in a cache outside the corpus).
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import NotFoundError, UsageError
from ..format.corpus import ANNOTATIONS_FILE, iter_document_dirs, load_annotations, load_document, read_text
from ..format.model import Annotations, Entity, Sentence
from .crf import CRF, CrfModel, first_words, sentence_examples, train_crf
from .edit import SUGGESTED, DocumentState, _next_ids
from .gazetteer import GAZETTEER, Suggestion, build_gazetteer, match_gazetteer
from .sentences import SPLITTER, split_sentences

__all__ = ["RECOMMENDERS", "CorpusText", "Overlap", "SuggestResult", "read_corpus_texts", "model_cache",
           "default_model_path", "suggest", "train", "merge_suggestions"]

RECOMMENDERS = (GAZETTEER, CRF)  # entity recommenders, in the order their suggestions are merged


@dataclass(frozen=True)
class CorpusText:
    """One document's current text and its annotations of that version."""

    id: str
    text: str
    annotations: Annotations

    @property
    def sentence_spans(self) -> list[tuple[int, int]]:
        return [(s.start, s.end) for s in self.annotations.sentences] or split_sentences(self.text)


@dataclass(frozen=True)
class Overlap:
    """A suggestion left out because it shares characters with the existing entity `existing`."""

    suggestion: Suggestion
    existing: str
    existing_label: str


@dataclass
class SuggestResult:
    annotations: Annotations
    sentences_added: int = 0
    added: dict = field(default_factory=dict)  # recommender -> count
    overlaps: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    rejected: int = 0  # suggestions left out because they were rejected before (annotate/rejections.py)


def read_corpus_texts(corpus: Path) -> list[CorpusText]:
    """Every document whose annotations are of its current version (the others are skipped: not comparable)."""
    return list(iter_corpus_texts(corpus))


def iter_corpus_texts(corpus: Path) -> Iterator[CorpusText]:
    """`read_corpus_texts` one document at a time: pre-annotating one document reads the others once, holding
    none of them (the gazetteer keeps their names only)."""
    for folder in iter_document_dirs(corpus):
        if not (folder / ANNOTATIONS_FILE).is_file():
            continue
        document = load_document(folder)
        annotations = load_annotations(folder / ANNOTATIONS_FILE)
        if annotations.text_version == document.current.version:
            yield CorpusText(folder.name, read_text(folder, document.current), annotations)


def model_cache() -> Path:
    """`$AKHBAR_MODELS`, else `$XDG_CACHE_HOME/akhbar/models`, else `~/.cache/akhbar/models` (never the corpus)."""
    if os.environ.get("AKHBAR_MODELS"):
        return Path(os.environ["AKHBAR_MODELS"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "akhbar" / "models"


def default_model_path(corpus: Path) -> Path:
    """The CRF model of a corpus folder: one per corpus location, so two clones do not share one."""
    key = hashlib.sha256(str(Path(corpus).resolve()).encode("utf-8")).hexdigest()[:16]
    return model_cache() / f"crf-{key}.crfsuite"


def training_fingerprint(texts) -> str:
    """The sha256 of what a model learns from: each document's text hash and accepted entities."""
    h = hashlib.sha256()
    for t in sorted(texts, key=lambda t: t.id):
        entities = [(e.start, e.end, e.label, e.parent is None) for e in t.annotations.entities if e.review is None]
        h.update(json.dumps([t.id, t.annotations.text_sha256, entities, t.sentence_spans]).encode("utf-8"))
    return h.hexdigest()


def train(texts, path: Path) -> tuple[Path, int]:
    """Fit the CRF on `texts` and save it at `path`; returns the path and the number of training sentences."""
    examples, known = [], set()
    for t in texts:
        examples += sentence_examples(t.text, t.sentence_spans, t.annotations.entities)
        known |= first_words(t.text, t.annotations.entities)
    if not any(tag != "O" for _, tags in examples for tag in tags):
        raise UsageError("nothing to train on: the corpus has no accepted entities")
    train_crf(examples, known, path)
    Path(f"{path}.fingerprint").write_text(training_fingerprint(texts) + "\n", encoding="utf-8")
    return Path(path), len(examples)


def merge_suggestions(annotations: Annotations, suggestions: list[Suggestion], result: SuggestResult,
                      rejected: frozenset | set = frozenset()) -> Annotations:
    """Add the suggestions that share no character with an existing or earlier-kept entity.

    A suggestion whose (start, end, label) is in `rejected` (rejected before in
    this text) is left out and counted, its nested children with it.

    A suggestion's nested children (gazetteer) follow their parent: left out
    with it. Kept ones get fresh ids (e<N> after the largest) and the mark
    `suggested: <recommender>`; an existing entity is never changed.
    """
    entities = list(annotations.entities)
    fresh = _next_ids({e.id for e in entities})
    kept_ids: dict[int, str] = {}
    dropped: set[int] = set()
    for k, s in enumerate(suggestions):
        if (s.start, s.end, s.label) in rejected:
            dropped.add(k)
            result.rejected += 1
            continue
        if s.parent is not None:
            if s.parent in dropped or s.parent not in kept_ids:
                dropped.add(k)
                continue
            parent = kept_ids[s.parent]
            if any(e.start == s.start and e.end == s.end and e.label == s.label for e in entities):
                dropped.add(k)
                continue
        else:
            clash = next((e for e in entities if e.start < s.end and s.start < e.end), None)
            if clash is not None:
                dropped.add(k)
                # the same entity again is not worth listing; anything else is
                if not (clash.start == s.start and clash.end == s.end and clash.label == s.label):
                    result.overlaps.append(Overlap(s, clash.id, clash.label))
                continue
            parent = None
        ident = next(fresh)
        kept_ids[k] = ident
        entities.append(Entity(ident, s.start, s.end, s.label, "", parent, review=f"{SUGGESTED}{s.recommender}"))
        result.added[s.recommender] = result.added.get(s.recommender, 0) + 1
    order = {e.id: i for i, e in enumerate(entities)}
    entities.sort(key=lambda e: (e.start, -e.end, order[e.id]))
    return annotations.replace(entities=tuple(entities))


def suggest(state: DocumentState, corpus_texts, *, sentences: bool = True, entities: bool = True,
            recommenders=RECOMMENDERS, model: Path | None = None, rejected: frozenset | set = frozenset()) -> SuggestResult:
    """The document's annotations with suggestions added (see the module docstring); nothing is written.

    `rejected`: (start, end, label) of entities rejected before in this text, never suggested again."""
    a = state.annotations
    result = SuggestResult(a)
    if sentences:
        if a.sentences:
            result.notes.append(f"sentences: the document has {len(a.sentences)} already; none suggested")
        else:
            spans = split_sentences(state.text)
            a = a.replace(sentences=tuple(Sentence(f"s{i}", s, e, f"{SUGGESTED}{SPLITTER}")
                                          for i, (s, e) in enumerate(spans, start=1)))
            result.sentences_added = len(spans)
    if entities:
        unknown = [r for r in recommenders if r not in RECOMMENDERS]
        if unknown:
            raise UsageError(f"unknown recommender {unknown[0]!r}: choose from {', '.join(RECOMMENDERS)}")
        found: list[Suggestion] = []
        others = (t for t in corpus_texts if t.id != a.document)  # read once, by the gazetteer
        if GAZETTEER in recommenders:
            gazetteer = build_gazetteer((t.text, t.annotations.entities) for t in others)
            found += match_gazetteer(state.text, gazetteer)
            if not gazetteer.forms:
                result.notes.append("gazetteer: no accepted entities in the other documents; nothing to match")
        if CRF in recommenders:
            path = Path(model) if model is not None else None
            if path is None or not path.is_file():
                if model is not None:
                    raise NotFoundError(f"{model}: no such model (train one with `akhbar suggest --train --model {model}`)")
                result.notes.append("crf: no trained model; run `akhbar suggest --train` first")
            else:
                offset = len(found)
                spans = [(s.start, s.end) for s in a.sentences] or split_sentences(state.text)
                found += [replace(s, parent=None if s.parent is None else s.parent + offset)
                          for s in CrfModel(path).suggest(state.text, spans)]
        a = merge_suggestions(a, found, result, rejected)
        a = a.replace(entities=tuple(replace(e, text=state.text[e.start:e.end]) for e in a.entities))
    result.annotations = a
    return result
