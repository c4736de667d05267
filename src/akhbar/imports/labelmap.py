"""The label map of an import (`--labels MAP.yaml`): source label -> Wojood label, or `drop`.

    labels:              # source label: Wojood label, or drop
      PER: PERS
      MISC: drop
    same_span_parent:    # where two entities have the same span: the earlier label is the parent
      - ORG
      - GPE

A source label that is already a Wojood label maps to itself unless the map
says otherwise. Any other label the map does not name is unmapped: an error,
and every unmapped label is listed before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import UsageError
from ..format.labels import label_names

__all__ = ["LabelMap", "DROP", "load_label_map"]

DROP = "drop"


@dataclass(frozen=True)
class LabelMap:
    """`mapping` source -> target (or DROP); `parent_order` the Wojood labels, parent first, for same-span pairs."""

    mapping: dict = field(default_factory=dict)
    parent_order: tuple = ()

    def target(self, label: str) -> str | None:
        """The Wojood label of `label`, DROP, or None when unmapped."""
        if label in self.mapping:
            return self.mapping[label]
        return label if label in _wojood() else None

    def parent_rank(self, label: str) -> int | None:
        return self.parent_order.index(label) if label in self.parent_order else None


@lru_cache(maxsize=1)
def _wojood() -> frozenset:
    return frozenset(label_names())


def load_label_map(path: Path | None) -> LabelMap:
    """Read and check a label map file (UsageError naming the bad entry); the identity map when `path` is None."""
    if path is None:
        return LabelMap()
    try:
        # BaseLoader: every plain scalar stays a string, so a label such as NO, ON, Y or 1 is that label,
        # not a boolean or a number (YAML 1.1's implicit types).
        data = yaml.load(Path(path).read_bytes().decode("utf-8"), Loader=yaml.BaseLoader)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such label map") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: not a YAML label map: {exc}") from None
    if not isinstance(data, dict) or set(data) - {"labels", "same_span_parent"}:
        raise UsageError(f"{path}: a label map has the keys `labels` and (optionally) `same_span_parent`")
    labels = data.get("labels") or {}
    order = data.get("same_span_parent") or []
    if not isinstance(labels, dict) or not isinstance(order, list):
        raise UsageError(f"{path}: `labels` is a mapping and `same_span_parent` a list")
    wojood = _wojood()
    bad = [f"{k}: {v!r}" for k, v in labels.items() if not isinstance(v, str) or (v != DROP and v not in wojood)]
    bad += [f"same_span_parent: {v!r}" for v in order if v not in wojood]
    if bad:
        raise UsageError(f"{path}: not a Wojood label or `drop`: {'; '.join(bad)} "
                         f"(labels: {', '.join(sorted(wojood))})")
    return LabelMap({str(k): v for k, v in labels.items()}, tuple(order))
