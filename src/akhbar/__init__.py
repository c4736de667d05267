"""Akhbar: an open, versioned Arabic news corpus with stand-off sentence and entity annotations.

Offsets are Unicode code points of one text version, 0-based, end exclusive.
"""

from .format.model import Annotations, Annotator, Document, Entity, License, Sentence, Source, TextVersion

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "Annotations",
    "Annotator",
    "Document",
    "Entity",
    "License",
    "Sentence",
    "Source",
    "TextVersion",
    "load",
]


def load(config: str = "documents", split: str | None = None, **kwargs):
    """The corpus as a `datasets` dataset: see `akhbar.dataset.loading.load` (imported here lazily to keep `import akhbar` light)."""
    from .dataset.loading import load as _load

    return _load(config, split, **kwargs)
