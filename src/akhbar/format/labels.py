"""The entity tag set, read from `schema/labels.yaml` (the one place it is defined)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from .resources import schema_dir

__all__ = ["Label", "load_labels", "label_names"]


@dataclass(frozen=True)
class Label:
    """One entity type with its definition and its mappings to other tag sets."""

    name: str
    definition: str
    example: str
    conll2003: str
    ontonotes: str | None


@lru_cache(maxsize=None)
def load_labels() -> tuple[Label, ...]:
    """Every label of `schema/labels.yaml`, in ClassLabel order."""
    with open(schema_dir() / "labels.yaml", encoding="utf-8") as f:
        data = yaml.safe_load(f)
    return tuple(Label(**item) for item in data["labels"])


def label_names() -> list[str]:
    """The label names in ClassLabel order."""
    return [label.name for label in load_labels()]
