"""nervaluate's four schemes over groups of entities, each label evaluated only where it occurs.

`nervaluate.Evaluator.evaluate` runs every scheme on every group once for
all labels and once more for each label of the whole run, present in the
group or not, and recomputes the metrics after every merge: with a few
labels per group of ~12 entities most of those runs are on two empty lists.
Here the same strategy objects (`nervaluate.strategies`) make every match;
only the empty per-label runs (which count nothing) are left out and the
metrics are computed once at the end. The counts are the Evaluator's
(`tests/test_review_agree.py` compares the two on random groups).
"""

from __future__ import annotations

from nervaluate.entities import Entity as SpanLabel
from nervaluate.entities import EvaluationResult
from nervaluate.strategies import EntityTypeEvaluation, ExactEvaluation, PartialEvaluation, StrictEvaluation

__all__ = ["SCHEME_STRATEGIES", "SpanLabel", "evaluate_groups"]

# In nervaluate's order; partial and ent_type give half credit to partial matches (its `_merge_results`).
SCHEME_STRATEGIES = {"strict": StrictEvaluation, "partial": PartialEvaluation, "ent_type": EntityTypeEvaluation,
                     "exact": ExactEvaluation}
_HALF_CREDIT = ("partial", "ent_type")
_COUNTS = ("correct", "incorrect", "partial", "missed", "spurious")


def _add(total: EvaluationResult, part: EvaluationResult) -> None:
    for name in _COUNTS:
        setattr(total, name, getattr(total, name) + getattr(part, name))


def evaluate_groups(true: list[list[SpanLabel]], pred: list[list[SpanLabel]], labels: list[str]
                    ) -> tuple[dict[str, EvaluationResult], dict[str, dict[str, EvaluationResult]]]:
    """(overall, per label) results of each scheme, as `Evaluator(true, pred, labels).evaluate()` gives them.

    `true[i]` and `pred[i]` are the entities of group i (nervaluate's end-inclusive spans).
    """
    strategies = {name: make() for name, make in SCHEME_STRATEGIES.items()}
    overall = {name: EvaluationResult() for name in strategies}
    per_label: dict[str, dict[str, EvaluationResult]] = {}
    for index, (true_group, pred_group) in enumerate(zip(true, pred)):
        by_label: dict[str, tuple[list, list]] = {}
        for e in true_group:
            by_label.setdefault(e.label, ([], []))[0].append(e)
        for e in pred_group:
            by_label.setdefault(e.label, ([], []))[1].append(e)
        for name, strategy in strategies.items():
            _add(overall[name], strategy.evaluate(true_group, pred_group, labels, index)[0])
            for label, (true_of_label, pred_of_label) in by_label.items():
                totals = per_label.setdefault(label, {}).setdefault(name, EvaluationResult())
                _add(totals, strategy.evaluate(true_of_label, pred_of_label, [label], index)[0])
    for name, result in overall.items():
        result.compute_metrics(partial_or_type=name in _HALF_CREDIT)
    for results in per_label.values():
        for name, result in results.items():
            result.compute_metrics(partial_or_type=name in _HALF_CREDIT)
    return overall, per_label
