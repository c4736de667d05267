"""`akhbar suggest --evaluate`: the recommenders by cross-validation, and the splitter against gold sentences.

Folds are over documents (each document is in exactly one test fold). A
corpus of one document cannot be folded by documents; it is folded by
sentences instead, and the report says so. Entity scores are nervaluate's
`strict` scheme (exact span and label) per label and overall, over all gold
entities, nested ones included. Offsets are code points.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..format.labels import label_names
from .crf import CrfModel, first_words, sentence_examples, train_crf
from .gazetteer import build_gazetteer, match_gazetteer
from .sentences import BoundaryScore, score_boundaries, split_sentences

__all__ = ["Unit", "EntityScores", "evaluate_recommenders", "evaluate_splitter", "format_scores"]


@dataclass(frozen=True)
class Unit:
    """A part of one document's text: the sentence spans it covers and the entities inside them."""

    doc: str
    text: str
    spans: tuple[tuple[int, int], ...]
    entities: tuple


@dataclass(frozen=True)
class EntityScores:
    """Per recommender: {label or "overall": (precision, recall, f1, gold count, predicted count)}."""

    fold_unit: str  # "document" or "sentence"
    folds: int
    by_recommender: dict


def _units(texts) -> tuple[str, list[Unit]]:
    accepted = [(t, [e for e in t.annotations.entities if e.review is None]) for t in texts]
    if len(texts) >= 2:
        return "document", [Unit(t.id, t.text, tuple(t.sentence_spans), tuple(es)) for t, es in accepted]
    units = []
    for t, es in accepted:
        for s, e in t.sentence_spans:
            units.append(Unit(t.id, t.text, ((s, e),), tuple(x for x in es if s <= x.start and x.end <= e)))
    return "sentence", units


def _inside(unit: Unit, start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in unit.spans)


def _fold_models(train_units, workdir: Path, k: int):
    """The gazetteer and the CRF (None when the fold has no entity to learn) of one fold, trained once."""
    gazetteer = build_gazetteer((u.text, u.entities) for u in train_units)
    examples, known = [], set()
    for u in train_units:
        examples += sentence_examples(u.text, u.spans, u.entities)
        known |= first_words(u.text, u.entities)
    crf = None
    if any(t != "O" for _, tags in examples for t in tags):
        crf = CrfModel(train_crf(examples, known, workdir / f"fold{k}.crfsuite"))
    return gazetteer, crf


def _predict(models, test: Unit) -> dict:
    gazetteer, model = models
    gaz = [(s.start, s.end, s.label) for s in match_gazetteer(test.text, gazetteer) if _inside(test, s.start, s.end)]
    crf = [(s.start, s.end, s.label) for s in model.suggest(test.text, test.spans)] if model is not None else []
    combined = list(gaz) + [c for c in crf if not any(g[0] < c[1] and c[0] < g[1] for g in gaz)]
    return {"gazetteer": gaz, "crf": crf, "gazetteer+crf": combined}


def evaluate_recommenders(texts, folds: int = 5) -> EntityScores:
    """Cross-validate the gazetteer, the CRF and both together over `texts` (CorpusText)."""
    from nervaluate import Evaluator

    unit_kind, units = _units(texts)
    folds = max(2, min(folds, len(units)))
    gold, predicted = [], {"gazetteer": [], "crf": [], "gazetteer+crf": []}
    with tempfile.TemporaryDirectory(prefix="akhbar-cv-") as tmp:
        for k in range(folds):
            test = [u for i, u in enumerate(units) if i % folds == k]
            train_units = [u for i, u in enumerate(units) if i % folds != k]
            models = _fold_models(train_units, Path(tmp), k)  # once per fold, not once per test unit
            for u in test:
                gold.append([{"label": e.label, "start": e.start, "end": e.end} for e in u.entities])
                for name, spans in _predict(models, u).items():
                    predicted[name].append([{"label": lab, "start": s, "end": e} for s, e, lab in spans])
    labels = label_names()
    out = {}
    for name, pred in predicted.items():
        result = Evaluator(gold, pred, tags=labels).evaluate()
        rows = {}
        for label in labels:
            if label not in result["entities"]:
                continue
            r = result["entities"][label]["strict"]
            if r.possible or r.actual:
                rows[label] = (r.precision, r.recall, r.f1, r.possible, r.actual)
        r = result["overall"]["strict"]
        rows["overall"] = (r.precision, r.recall, r.f1, r.possible, r.actual)
        out[name] = rows
    return EntityScores(unit_kind, folds, out)


def evaluate_splitter(texts) -> dict[str, BoundaryScore]:
    """Boundary scores of `split_sentences` on every document with gold sentences, and their sum ("all")."""
    scores = {}
    for t in texts:
        if t.annotations.sentences:
            gold = [(s.start, s.end) for s in t.annotations.sentences if s.review is None]
            scores[t.id] = score_boundaries(gold, split_sentences(t.text))
    total = BoundaryScore()
    for s in scores.values():
        total = total + s
    scores["all"] = total
    return scores


def format_scores(splitter: dict[str, BoundaryScore], entities: EntityScores | None) -> str:
    """The evaluation as Markdown tables (the form docs/benchmarks.md quotes)."""
    docs = len(splitter) - 1
    s = splitter["all"]
    lines = [f"sentence boundaries ({docs} document(s) with gold sentences): "
             f"precision {s.precision:.3f}, recall {s.recall:.3f}, F1 {s.f1:.3f} "
             f"({s.true_positives} right, {s.false_positives} wrong, {s.false_negatives} missed)"]
    if entities is not None:
        lines += ["", f"entities: {entities.folds}-fold cross-validation over {entities.fold_unit}s, "
                  "nervaluate strict (exact span and label)", ""]
        lines += ["| recommender | label | precision | recall | F1 | gold | suggested |", "|---|---|---:|---:|---:|---:|---:|"]
        for name, rows in entities.by_recommender.items():
            for label, (p, r, f, g, a) in rows.items():
                lines.append(f"| {name} | {label} | {p:.2f} | {r:.2f} | {f:.2f} | {g} | {a} |")
    return "\n".join(lines) + "\n"
