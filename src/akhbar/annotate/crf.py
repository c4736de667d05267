"""The CRF recommender: a linear-chain CRF (python-crfsuite) over words, trained on the corpus's entities.

Offsets are code points, 0-based, end exclusive. Words are the project's
tokens (`spans.tokenize`); tags are IOB2 over the outermost entities, so the
CRF suggests outermost mentions only (the gazetteer brings nested ones).
Features: the word, its prefixes and suffixes of 1-3 letters, whether it
starts with ال or a proclitic letter, digits, punctuation, length, and the
same for the words around it.

A tag covers a whole word; a predicted mention whose first word is a
proclitic chain plus a word that began a mention in training (لليبيا ->
ليبيا) starts after the proclitic, as span rule 2 asks. Those first words
are saved beside the model (`<model>.json`).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..arabic import split_proclitic
from ..spans import SpanOverlapError, iob_to_spans, spans_to_iob, tokenize
from .gazetteer import Suggestion

__all__ = ["CRF", "word_features", "sentence_examples", "train_crf", "CrfModel", "load_crf"]

CRF = "crf"
_PUNCT = set(".,،؛;:!?؟…«»\"'()[]{}-–—/")


def _shape(word: str) -> dict:
    return {
        "w": word,
        "p1": word[:1], "p2": word[:2], "p3": word[:3],
        "s1": word[-1:], "s2": word[-2:], "s3": word[-3:],
        "al": word.startswith("ال") or word[1:3] == "ال",
        "digit": any(c.isdigit() for c in word),
        "punct": all(c in _PUNCT for c in word),
        "len": min(len(word), 8),
    }


def word_features(words: list[str]) -> list[dict]:
    """The CRF features of each word of a sentence (its own, and the words at -2 .. +2)."""
    shapes = [_shape(w) for w in words]
    out = []
    for i in range(len(words)):
        f = {"bias": 1.0}
        for key, value in shapes[i].items():
            f[key] = value
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < len(words):
                s = shapes[j]
                for key in ("w", "p2", "s2", "al", "punct") if abs(d) == 1 else ("w", "s2"):
                    f[f"{d}:{key}"] = s[key]
            else:
                f[f"{d}:edge"] = True
        out.append({k: (v if isinstance(v, (str, float)) else float(v)) for k, v in f.items()})
    return out


def _outermost(entities) -> list[tuple[int, int, str]]:
    return [(e.start, e.end, e.label) for e in entities if e.parent is None and e.review is None]


def sentence_examples(text: str, sentences, entities):
    """`(features, tags)` per sentence of one document (tags: IOB2 over outermost entities, whole words)."""
    tokens = tokenize(text)
    try:
        tags = spans_to_iob(tuple(tokens), tuple(_outermost(entities)))
    except (SpanOverlapError, ValueError):  # two mentions in one word: train on the words without tags there
        tags = ["O"] * len(tokens)
    out = []
    for start, end in sentences:
        idx = [k for k, (s, e) in enumerate(tokens) if start <= s and e <= end]
        if idx:
            out.append((word_features([text[tokens[k][0]:tokens[k][1]] for k in idx]), [tags[k] for k in idx]))
    return out


def first_words(text: str, entities) -> set[str]:
    """The first words of the outermost mentions (their text up to the first space)."""
    return {text[s:e].split()[0] for s, e, _ in _outermost(entities) if text[s:e].split()}


def train_crf(examples, known_first_words, path: Path) -> Path:
    """Fit a CRF on `(features, tags)` examples and save it at `path` (and its first words at `path.json`)."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for features, tags in examples:
        trainer.append(features, tags)
    trainer.set_params({"c1": 0.1, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True})
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path))
    Path(f"{path}.json").write_text(json.dumps(sorted(known_first_words), ensure_ascii=False), encoding="utf-8")
    return path


def _repair(tags: list[str]) -> list[str]:
    """An I-X that does not continue X reads as B-X (a CRF can emit one)."""
    out, previous = [], "O"
    for tag in tags:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append(tag)
        previous = tag
    return out


class CrfModel:
    """A trained CRF and the first words it knows; `suggest(text, sentences)` gives its mentions."""

    def __init__(self, path: Path):
        import pycrfsuite

        self.path = Path(path)
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(self.path))
        side = Path(f"{self.path}.json")
        self.first_words = frozenset(json.loads(side.read_text(encoding="utf-8"))) if side.is_file() else frozenset()

    def suggest(self, text: str, sentences, name: str = CRF) -> list[Suggestion]:
        tokens = tokenize(text)
        out = []
        for start, end in sentences:
            sent = [t for t in tokens if start <= t[0] and t[1] <= end]
            if not sent:
                continue
            tags = _repair(self.tagger.tag(word_features([text[s:e] for s, e in sent])))
            for s, e, label in iob_to_spans(sent, tags):
                if all(c in _PUNCT for c in text[s:e]):
                    continue
                first = text[s:e].split()[0]
                split = split_proclitic(first, self.first_words)
                if split is not None and len(split[0]) < e - s:
                    s += len(split[0])
                out.append(Suggestion(s, e, label, name))
        return out


def load_crf(path: Path) -> CrfModel:
    return CrfModel(path)
