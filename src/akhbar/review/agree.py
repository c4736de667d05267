"""Inter-annotator agreement between annotation files of one text version (`akhbar agree`).

Entity level: precision, recall and F1 per label and overall under the four
schemes of SemEval-2013 task 9.1 as computed by `nervaluate`: strict (same
span and label), exact (same span, any label), partial (overlapping span,
any label, half credit) and ent_type (overlapping span, same label). For a
pair (A, B), A is the reference: P(A, B) = R(B, A), and F1 is symmetric.

Token level: Cohen's kappa on the IOB2 tags of the `ner` view, i.e. the words
of `akhbar.spans.tokenize` tagged at each nesting level (`spans_by_level`,
spans expanded to whole words); the items are (level, token) pairs over the
deeper of the two files' levels. For three or more files the pairwise
figures are averaged (the mean of pairwise kappas is Light's kappa).

Offsets are Unicode code points of the text, 0-based, end exclusive.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import combinations


from ..errors import InvalidDataError
from ..format.model import Annotations, Entity
from ..format.text import escape_controls
from ..spans import SpanOverlapError, spans_by_level, spans_to_iob, tokenize
from .disagreements import Disagreement, disagreements
from .gcpause import gc_paused
from .nerscores import SpanLabel, evaluate_groups

__all__ = [
    "SCHEMES",
    "Scores",
    "Disagreement",
    "PairAgreement",
    "AgreementReport",
    "cohen_kappa",
    "entity_scores",
    "ner_tags",
    "disagreements",
    "compare_pair",
    "DocumentFiles",
    "pooled_entity_scores",
    "agreement",
    "pooled_agreement",
    "format_agreement",
]

SCHEMES = ("strict", "exact", "partial", "ent_type")


@dataclass(frozen=True)
class Scores:
    """nervaluate's counts and metrics for one scheme; a figure is None where it is 0/0 (nothing to measure)."""

    correct: int
    incorrect: int
    partial: int
    missed: int
    spurious: int
    precision: float | None
    recall: float | None
    f1: float | None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class DocumentFiles:
    """One document as compared: its text (of `text_version`), the annotations of each file or pass on it, in
    order, and how files of older versions were carried onto it (plain lines, empty when none was)."""

    document: str
    text_version: int
    text: str
    files: tuple[tuple[str, Annotations], ...]
    carried: tuple[str, ...] = ()


@dataclass(frozen=True)
class PairAgreement:
    a: str
    b: str
    overall: dict[str, Scores]
    per_label: dict[str, dict[str, Scores]]
    kappa: float
    kappa_items: int
    levels: int
    disagreements: tuple[Disagreement, ...]

    def to_dict(self) -> dict:
        return {
            "a": self.a,
            "b": self.b,
            "overall": {k: v.to_dict() for k, v in self.overall.items()},
            "per_label": {lab: {k: v.to_dict() for k, v in s.items()} for lab, s in self.per_label.items()},
            "kappa": self.kappa,
            "kappa_items": self.kappa_items,
            "levels": self.levels,
            "disagreements": [d.to_dict() for d in self.disagreements],
        }


@dataclass(frozen=True)
class AgreementReport:
    """`document` and `text_version` are None when several documents are pooled; `documents` lists each."""

    document: str | None
    text_version: int | None
    tokens: int
    files: tuple[str, ...]
    pairs: tuple[PairAgreement, ...]
    mean: dict = field(default_factory=dict)
    documents: tuple[dict, ...] = ()
    unpaired: dict = field(default_factory=dict)  # pass -> documents it holds that not every pass does

    def to_dict(self) -> dict:
        return {
            "document": self.document,
            "text_version": self.text_version,
            "tokens": self.tokens,
            "files": list(self.files),
            "documents": list(self.documents),
            "unpaired": self.unpaired,
            "pairs": [p.to_dict() for p in self.pairs],
            "mean": self.mean,
        }


def cohen_kappa(a: list[str], b: list[str]) -> float:
    """Cohen's kappa of two equally long sequences of categories: (p_o - p_e) / (1 - p_e).

    When chance agreement is certain (both use one and the same category
    throughout) the sequences are identical and kappa is 1.
    """
    if len(a) != len(b):
        raise ValueError(f"{len(a)} and {len(b)} items: kappa needs the same items")
    n = len(a)
    if n == 0:
        return 1.0
    observed = sum(x == y for x, y in zip(a, b)) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[c] * count_b[c] for c in count_a) / (n * n)
    if expected == 1.0:
        return 1.0
    return (observed - expected) / (1.0 - expected)


def _scores(result) -> Scores:
    # nervaluate reports 0 for 0/0; here an undefined figure is None (null, "n/a"):
    # precision needs something annotated by B, recall something annotated by A.
    precision = result.precision if result.actual else None
    recall = result.recall if result.possible else None
    f1 = result.f1 if (result.actual or result.possible) else None
    return Scores(result.correct, result.incorrect, result.partial, result.missed, result.spurious, precision, recall, f1)


def _span_labels(entities) -> list[SpanLabel]:
    # nervaluate's spans are end-inclusive: with exclusive ends two adjacent
    # entities would count as overlapping.
    return [SpanLabel(e.label, e.start, e.end - 1) for e in entities]


# nervaluate evaluates each "document" under 4 schemes for every label of the whole run, so a group has a
# fixed cost; sentences are pooled into groups of about this many reference entities (same figures: a
# valid file's entities stay inside sentences, and within a group nervaluate still pairs only overlaps).
_GROUP_ENTITIES = 12


def _group_starts(sentence_starts: list[int], reference) -> list[int]:
    """The starts of groups of consecutive sentences holding about `_GROUP_ENTITIES` reference entities each."""
    starts = sorted(e.start for e in reference)
    out, held = [], 0
    for k, start in enumerate(sentence_starts):
        if not out or held >= _GROUP_ENTITIES:
            out.append(start)
            held = 0
        end = sentence_starts[k + 1] if k + 1 < len(sentence_starts) else float("inf")
        held += bisect_left(starts, end) - bisect_left(starts, start)
    return out


def _groups(entities, sentence_starts: list[int], count: int) -> list[list[Entity]]:
    groups: list[list[Entity]] = [[] for _ in range(count)]
    for e in entities:
        groups[max(bisect_right(sentence_starts, e.start) - 1, 0)].append(e)
    return groups


def entity_scores(reference: tuple[Entity, ...], other: tuple[Entity, ...], sentences: tuple = ()) -> tuple[dict, dict]:
    """(overall, per_label) `Scores` of `other` against `reference` for each scheme of `SCHEMES`.

    With the reference's `sentences`, entities are compared sentence by
    sentence (each goes with the sentence its start is in): the same figures
    for entities that stay inside sentences, as a valid file's do, without
    comparing every entity with every other of a long text.
    """
    return pooled_entity_scores([(reference, other, sentences)])


def pooled_entity_scores(documents: list[tuple[tuple[Entity, ...], tuple[Entity, ...], tuple]]) -> tuple[dict, dict]:
    """`entity_scores` over several documents (reference, other, reference sentences) at once: pooled counts."""
    true, pred, labels = [], [], set()
    for reference, other, sentences in documents:
        exact = {(e.start, e.end, e.label) for e in reference}
        spans = {(e.start, e.end) for e in reference}
        # nervaluate matches greedily in list order: offer it the exact matches
        # first so that an entity never takes the partner of a better match
        # (nested entities make that common).
        ordered = sorted(other, key=lambda e: ((e.start, e.end, e.label) not in exact,
                                               (e.start, e.end) not in spans, e.start, -e.end))
        labels |= {e.label for e in reference} | {e.label for e in other}
        starts = _group_starts(sorted(s.start for s in sentences), reference)
        count = max(len(starts), 1)
        true += [_span_labels(g) for g in _groups(reference, starts, count)]
        pred += [_span_labels(g) for g in _groups(ordered, starts, count)]
    labels = sorted(labels)
    results, label_results = evaluate_groups(true, pred, labels)
    overall = {s: _scores(results[s]) for s in SCHEMES}
    per_label = {label: {s: _scores(label_results[label][s]) for s in SCHEMES}
                 for label in labels if label in label_results}
    return overall, per_label


def ner_tags(annotations: Annotations, token_offsets: list[tuple[int, int]], levels: int,
             by_level: list | None = None) -> list[str]:
    """The IOB2 tags of the `ner` view, level after level (`levels` of them, missing ones all O).

    `by_level` is `spans_by_level(annotations.entities)` where the caller has it already.
    """
    try:
        by_level = spans_by_level(annotations.entities) if by_level is None else by_level
        tags = []
        for depth in range(levels):
            tags += spans_to_iob(token_offsets, by_level[depth] if depth < len(by_level) else [])
        return tags
    except SpanOverlapError as exc:
        raise InvalidDataError(f"document {annotations.document!r}: {exc}") from None
    except ValueError as exc:
        raise InvalidDataError(f"document {annotations.document!r}: cannot tag the ner view: {exc}") from None


def _levels(annotations: Annotations) -> list:
    try:
        return spans_by_level(annotations.entities)
    except ValueError as exc:
        raise InvalidDataError(f"document {annotations.document!r}: {exc}") from None


def compare_pair(a: Annotations, b: Annotations, token_offsets, name_a: str, name_b: str) -> PairAgreement:
    """Agreement of B with A (the reference) on the same text, tokenized as `token_offsets`."""
    return _compare_pooled([(a, b, token_offsets)], name_a, name_b, pooled=False)


def _compare_pooled(docs: list[tuple[Annotations, Annotations, list]], name_a: str, name_b: str,
                    pooled: bool = True) -> PairAgreement:
    """Agreement of B with A over several documents (A, B, tokens of the text): counts, tags and disagreements pooled."""
    overall, per_label = pooled_entity_scores([(a.entities, b.entities, a.sentences) for a, b, _ in docs])
    tags_a, tags_b, found, levels = [], [], [], 1
    for a, b, tokens in docs:
        levels_a, levels_b = _levels(a), _levels(b)
        depth = max(len(levels_a), len(levels_b), 1)
        levels = max(levels, depth)
        tags_a += ner_tags(a, tokens, depth, levels_a)
        tags_b += ner_tags(b, tokens, depth, levels_b)
        found += [replace(d, document=a.document) if pooled else d for d in disagreements(a.entities, b.entities)]
    return PairAgreement(name_a, name_b, overall, per_label, cohen_kappa(tags_a, tags_b), len(tags_a), levels,
                         tuple(found))


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def agreement(files: list[tuple[str, Annotations]], text: str) -> AgreementReport:
    """Pairwise agreement of two or more annotations of `text`, and the means over the pairs."""
    first = files[0][1]
    return pooled_agreement([DocumentFiles(first.document, first.text_version, text, tuple(files))],
                            tuple(n for n, _ in files))


def pooled_agreement(documents: list[DocumentFiles], names: tuple[str, ...], unpaired: dict | None = None) -> AgreementReport:
    """Pairwise agreement of two or more annotators (or passes) over `documents`, pooled, and the means over pairs.

    Each document holds one annotation per name, in the order of `names`.
    Entity counts, kappa items and disagreements are pooled over the
    documents (micro-averaged): the figure of one pass against another.
    """
    with gc_paused():  # tokens, spans, tags and nervaluate's results per entity, no cycles (see gcpause.py)
        return _pooled_agreement(documents, names, unpaired)


def _pooled_agreement(documents: list[DocumentFiles], names: tuple[str, ...], unpaired: dict | None) -> AgreementReport:
    tokens = [tokenize(d.text) for d in documents]
    pooled = len(documents) > 1
    pairs = tuple(
        _compare_pooled([(d.files[i][1], d.files[j][1], t) for d, t in zip(documents, tokens)],
                        names[i], names[j], pooled)
        for i, j in combinations(range(len(names)), 2)
    )
    labels = sorted({lab for p in pairs for lab in p.per_label})
    mean = {
        "f1": {s: _mean(p.overall[s].f1 for p in pairs) for s in SCHEMES},
        "f1_per_label": {lab: {s: _mean(p.per_label[lab][s].f1 for p in pairs if lab in p.per_label) for s in SCHEMES}
                         for lab in labels},
        "kappa": _mean(p.kappa for p in pairs),
    }
    described = tuple({"document": d.document, "text_version": d.text_version, "tokens": len(t),
                       "files": [n for n, _ in d.files], "carried": list(d.carried)}
                      for d, t in zip(documents, tokens))
    first = documents[0]
    return AgreementReport(None if pooled else first.document, None if pooled else first.text_version,
                           sum(len(t) for t in tokens), tuple(names), pairs, mean, described, dict(unpaired or {}))


def _fmt(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


def format_agreement(report: AgreementReport) -> str:
    """The terminal report: per pair a table (strict and partial P/R/F1 per label), kappa, disagreements."""
    if report.document is not None:
        lines = [f"agreement on document {escape_controls(report.document)}, text version {report.text_version} "
                 f"({report.tokens} tokens, {len(report.files)} files)"]
    else:
        lines = [f"agreement of {len(report.files)} passes pooled over {len(report.documents)} documents "
                 f"({report.tokens} tokens)"]
    for d in report.documents:
        lines += [f"  {escape_controls(line)}" for line in d["carried"]]
    for name, missing in report.unpaired.items():
        lines.append(f"  not compared: {len(missing)} document(s) of {escape_controls(name)} missing from another pass: "
                     + escape_controls(", ".join(missing[:10])) + (" ..." if len(missing) > 10 else ""))
    for p in report.pairs:
        lines += ["", f"{escape_controls(p.a)} (reference) vs {escape_controls(p.b)}",
                  f"  {'label':<10} {'strict P':>8} {'R':>6} {'F1':>6}   {'partial P':>9} {'R':>6} {'F1':>6}"]
        rows = [("overall", p.overall)] + sorted(p.per_label.items())
        for name, s in rows:
            st, pa = s["strict"], s["partial"]
            lines.append(f"  {escape_controls(name):<10} {_fmt(st.precision):>8} {_fmt(st.recall):>6} {_fmt(st.f1):>6}   "
                         f"{_fmt(pa.precision):>9} {_fmt(pa.recall):>6} {_fmt(pa.f1):>6}")
        lines.append(f"  Cohen's kappa on ner token tags ({p.levels} level(s), {p.kappa_items} tags): {p.kappa:.3f}")
        lines.append(f"  disagreements: {len(p.disagreements)}")
        for d in p.disagreements:
            a = f"{d.a.id} {d.a.label} {d.a.start}\u2013{d.a.end} \u00ab{d.a.text}\u00bb" if d.a else "-"
            b = f"{d.b.id} {d.b.label} {d.b.start}\u2013{d.b.end} \u00ab{d.b.text}\u00bb" if d.b else "-"
            where = f"{escape_controls(d.document)}: " if d.document is not None else ""
            lines.append(f"    {d.kind:<14} {where}{escape_controls(a)}  |  {escape_controls(b)}")
    if len(report.pairs) > 1:
        lines += ["", f"mean over {len(report.pairs)} pairs: strict F1 {_fmt(report.mean['f1']['strict'])}, "
                      f"partial F1 {_fmt(report.mean['f1']['partial'])}, kappa {_fmt(report.mean['kappa'])}"]
    return "".join(escape_controls(line) + "\n" for line in lines)  # file names and text never reach a terminal raw
