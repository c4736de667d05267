"""Akhbar: an open, versioned Arabic news corpus with stand-off sentence and entity annotations.

Offsets are Unicode code points of one text version, 0-based, end exclusive.

The public API: the model (`Document`, `Annotations`, ...), `load` (the
dataset), `validate_paths` (the validator; also `akhbar.validate`),
`ingest` and `revise`. Each package is one stage (docs/architecture.md):
`format`, `validate`, `versions`, `dataset`, `review`.
"""

from .format.model import Annotations, Annotator, Document, Entity, License, Sentence, Source, TextVersion

__version__ = "0.2.0"

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
    "validate_paths",
    "Problem",
    "Report",
    "ingest",
    "revise",
]

# Imported on first use, so that `import akhbar` stays light (no jsonschema, pyarrow or datasets).
_LAZY = {
    "validate_paths": "akhbar.validate",
    "Problem": "akhbar.validate",
    "Report": "akhbar.validate",
    "ingest": "akhbar.versions.ingest",
    "revise": "akhbar.versions.revise",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'akhbar' has no attribute {name!r}")


def load(config: str = "documents", split: str | None = None, **kwargs):
    """The corpus as a `datasets` dataset: see `akhbar.dataset.loading.load` (imported here lazily to keep `import akhbar` light)."""
    try:
        from .dataset.loading import load as _load
    except ImportError as exc:  # the dataset extra is not installed: say which to install
        from .errors import missing_extra

        raise (missing_extra(exc) or exc) from None

    return _load(config, split, **kwargs)
