"""`akhbar stats`: counts of the annotated corpus as tables (per label, per split, nesting depth, sentence lengths).

Pure: `corpus_stats` turns a read corpus into a `Stats` value (`StatsCounter`, one document at a
time, for a corpus streamed by `scan_corpus`); `render` makes
the text tables. Sentence length is counted in word tokens (`akhbar.spans.tokenize`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import mean, median

from ..format.labels import label_names
from ..spans import tokenize
from .rows import SPLITS, Corpus, CorpusDocument

__all__ = ["Stats", "StatsCounter", "corpus_stats", "render"]

# Upper bounds (inclusive) of the sentence-length histogram, in tokens.
_LENGTH_BINS = (10, 20, 30, 40, 60, 80, 120)


@dataclass
class Stats:
    splits: dict = field(default_factory=dict)  # split -> {documents, sentences, tokens, entities}
    labels: dict = field(default_factory=dict)  # label -> split -> mentions
    depths: dict = field(default_factory=dict)  # depth -> mentions
    lengths: list = field(default_factory=list)  # tokens per sentence
    unannotated: int = 0


def corpus_stats(corpus: Corpus) -> Stats:
    """The counts of `corpus` (annotated documents only; `unannotated` counts the others)."""
    counter = StatsCounter()
    for doc in corpus.documents:
        counter.add(doc)
    return counter.stats(len(corpus.unannotated))


class StatsCounter:
    """`corpus_stats` one document at a time (`add`), so a corpus need not be held: `scan_corpus(visit=add)`."""

    def __init__(self):
        self._st = Stats()
        self._st.labels = {name: {} for name in label_names()}

    def add(self, doc: CorpusDocument) -> None:
        st, split = self._st, doc.document.split
        row = st.splits.setdefault(split, {"documents": 0, "sentences": 0, "tokens": 0, "entities": 0})
        row["documents"] += 1
        row["sentences"] += len(doc.annotations.sentences)
        row["entities"] += len(doc.annotations.entities)
        for s in doc.annotations.sentences:
            n = len(tokenize(doc.text[s.start : s.end]))
            row["tokens"] += n
            st.lengths.append(n)
        for e in doc.annotations.entities:
            st.labels.setdefault(e.label, {})
            st.labels[e.label][split] = st.labels[e.label].get(split, 0) + 1
            depth = doc.depth[e.id]
            st.depths[depth] = st.depths.get(depth, 0) + 1

    def stats(self, unannotated: int) -> Stats:
        st = self._st
        st.unannotated = unannotated
        st.splits = {s: st.splits[s] for s in SPLITS if s in st.splits}
        return st


def _table(header: list[str], rows: list[list]) -> str:
    cells = [header] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]

    def fmt(row):  # first column left-aligned, numbers right-aligned
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))

    return "\n".join([fmt(cells[0]), "  ".join("-" * w for w in widths)] + [fmt(r) for r in cells[1:]])


def _percentile(values: list[int], q: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def render(st: Stats) -> str:
    """The stats as plain-text tables."""
    splits = list(st.splits)
    total = {k: sum(r[k] for r in st.splits.values()) for k in ("documents", "sentences", "tokens", "entities")}
    out = ["Splits", _table(["split", "documents", "sentences", "tokens", "entities"],
                            [[s, *st.splits[s].values()] for s in splits] + [["total", *total.values()]])]
    if st.unannotated:
        out.append(f"({st.unannotated} document(s) not annotated yet are not counted)")
    label_rows = [[name, *(by.get(s, 0) for s in splits), sum(by.values())] for name, by in st.labels.items()]
    out += ["", "Entities per label", _table(["label", *splits, "total"], label_rows)]
    out += ["", "Nesting depth (0 = outermost)",
            _table(["depth", "entities"], [[d, n] for d, n in sorted(st.depths.items())])]
    if st.lengths:
        v = st.lengths
        out += ["", "Sentence length (tokens)",
                _table(["min", "median", "mean", "p90", "max"],
                       [[min(v), median(v), f"{mean(v):.1f}", _percentile(v, 0.9), max(v)]])]
        bins, low = [], 1
        for high in (*_LENGTH_BINS, None):
            n = sum(1 for x in v if x >= low and (high is None or x <= high))
            bins.append([f"{low}-{high}" if high else f"{low}+", n])
            low = (high or 0) + 1
        out += ["", _table(["tokens", "sentences"], bins)]
    return "\n".join(out)
