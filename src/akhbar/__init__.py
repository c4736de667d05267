"""Akhbar: an open, versioned Arabic news corpus with stand-off sentence and entity annotations.

Offsets are Unicode code points of one text version, 0-based, end exclusive.
"""

from .model import Annotations, Annotator, Document, Entity, License, Sentence, Source, TextVersion

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
]
