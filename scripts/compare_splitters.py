"""Sentence boundary precision/recall of the rule splitter and of pysbd (Arabic) on the corpus's gold sentences.

`python scripts/compare_splitters.py [--corpus corpus]`. Boundaries are the
ends of every sentence but the last (code points, whitespace trimmed), as in
`akhbar suggest --evaluate`. The figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from akhbar.annotate.sentences import BoundaryScore, score_boundaries, split_sentences
from akhbar.annotate.suggest import read_corpus_texts


def pysbd_spans(text: str) -> list[tuple[int, int]]:
    import pysbd

    spans = []
    for s in pysbd.Segmenter(language="ar", clean=False, char_span=True).segment(text):
        piece = text[s.start:s.end]
        start = s.start + len(piece) - len(piece.lstrip())
        end = s.start + len(piece.rstrip())
        if start < end:
            spans.append((start, end))
    return spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    args = parser.parse_args()
    totals = {"rules (akhbar)": BoundaryScore(), "pysbd (ar)": BoundaryScore()}
    docs = 0
    for t in read_corpus_texts(args.corpus):
        gold = [(s.start, s.end) for s in t.annotations.sentences if s.review is None]
        if not gold:
            continue
        docs += 1
        totals["rules (akhbar)"] += score_boundaries(gold, split_sentences(t.text))
        totals["pysbd (ar)"] += score_boundaries(gold, pysbd_spans(t.text))
    print(f"{docs} document(s) with gold sentences")
    print("| splitter | precision | recall | F1 | right | wrong | missed |\n|---|---:|---:|---:|---:|---:|---:|")
    for name, s in totals.items():
        print(f"| {name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.true_positives} | "
              f"{s.false_positives} | {s.false_negatives} |")


if __name__ == "__main__":
    main()
