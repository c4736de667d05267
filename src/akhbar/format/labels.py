"""The entity tag set, read from `schema/labels.yaml` (the one place it is defined)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from .resources import schema_dir

__all__ = ["Label", "load_labels", "label_names", "same_span_pairs"]


@dataclass(frozen=True)
class Label:
    """One entity type with its definition and its mappings to other tag sets."""

    name: str
    definition: str
    example: str
    conll2003: str
    ontonotes: str | None


@lru_cache(maxsize=None)
def _labels_yaml() -> dict:
    with open(schema_dir() / "labels.yaml", encoding="utf-8") as f:  # libyaml's loader: ~10x faster, same data
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@lru_cache(maxsize=None)
def load_labels() -> tuple[Label, ...]:
    """Every label of `schema/labels.yaml`, in ClassLabel order."""
    return tuple(Label(**item) for item in _labels_yaml()["labels"])


@lru_cache(maxsize=None)
def same_span_pairs() -> frozenset[frozenset[str]]:
    """The label pairs that may annotate one span together (`same_span_pairs` of labels.yaml; none by default)."""
    return frozenset(frozenset(pair) for pair in _labels_yaml().get("same_span_pairs") or ())


def label_names() -> list[str]:
    """The label names in ClassLabel order."""
    return [label.name for label in load_labels()]
