"""`akhbar.load`: the corpus as a `datasets` dataset in one call, built on demand into a cache.

The build goes to `<cache>/<fingerprint>/`, keyed by the corpus content, so
an unchanged corpus is built once and a changed one gets a new folder (and
`datasets` a new cache entry): a load is never stale.
"""

from __future__ import annotations

import os
from pathlib import Path

from .build import build
from .rows import scan_corpus

__all__ = ["load", "default_corpus", "cache_root"]


def default_corpus() -> Path:
    """`./corpus` when the working folder has one, else the corpus of the checkout this package runs from."""
    here = Path("corpus")
    if here.is_dir():
        return here
    from ..format.resources import CHECKOUT_DIR

    checkout = CHECKOUT_DIR / "corpus"
    if checkout.is_dir():
        return checkout
    from ..errors import NotFoundError

    raise NotFoundError("no corpus folder: run from a clone of the corpus or pass corpus=")


def cache_root() -> Path:
    """`$AKHBAR_CACHE`, else `$XDG_CACHE_HOME/akhbar/datasets`, else `~/.cache/akhbar/datasets`."""
    if os.environ.get("AKHBAR_CACHE"):
        return Path(os.environ["AKHBAR_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "akhbar" / "datasets"


def dataset_folder(corpus: Path | str | None = None, cache: Path | str | None = None) -> Path:
    """The built dataset folder of `corpus` (building it when the corpus content has no build yet)."""
    corpus_dir = Path(corpus) if corpus is not None else default_corpus()
    fingerprint = scan_corpus(corpus_dir).fingerprint  # the fingerprint only: no document is kept
    folder = Path(cache) if cache is not None else cache_root()
    folder = folder / fingerprint[:16]
    if not (folder / "README.md").is_file():
        build(corpus_dir, folder)
    return folder


def load(config: str = "documents", split: str | None = None, *, corpus: Path | str | None = None,
         cache: Path | str | None = None, **kwargs):
    """`datasets.load_dataset` of the corpus's `config` (documents, sentences, entities, ner).

    Builds the dataset first when this corpus content has not been built yet
    (validating it: an invalid corpus raises InvalidDataError). Other keyword
    arguments (`streaming`, `cache_dir`, ...) go to `load_dataset`.
    """
    import datasets

    # An absolute path: a relative one with at most one "/" is also a Hub id, which `datasets` may answer from a cache.
    folder = dataset_folder(corpus, cache).resolve()
    return datasets.load_dataset(str(folder), config, split=split, **kwargs)
