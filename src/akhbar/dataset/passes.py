"""The agreement of independent annotation passes, as the card reports it.

A folder `annotation-passes/<name>/` of the repository keeps two or more
independent passes over some documents and `agreement.json`, the output of
`akhbar agree PASS_A PASS_B --format json` (tests check that the command
reproduces it). The build reads only the headline figures of the first pair.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError
from ..format.safe_open import FileRefused, read_bytes_safely

__all__ = ["PASSES_DIR", "Agreement", "read_agreements"]

PASSES_DIR = "annotation-passes"


@dataclass(frozen=True)
class Agreement:
    """Agreement before adjudication of one set of passes."""

    name: str
    documents: int
    strict_f1: float
    partial_f1: float
    kappa: float
    entities: tuple[int, int]  # mentions in the reference pass and in the other


def _one(path: Path, root: Path) -> Agreement:
    try:
        data = json.loads(read_bytes_safely(path, root).decode("utf-8"))
        pair = data["pairs"][0]
        strict, partial = pair["overall"]["strict"], pair["overall"]["partial"]
        matched = int(strict["correct"]) + int(strict["incorrect"]) + int(strict["partial"])
        return Agreement(path.parent.name, len(data["documents"]), float(strict["f1"]), float(partial["f1"]),
                         float(pair["kappa"]),
                         (matched + int(strict["missed"]), matched + int(strict["spurious"])))
    except FileRefused as exc:
        raise UsageError(f"{path}: {exc}") from None
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise UsageError(f"{path}: not the output of `akhbar agree --format json` ({exc.__class__.__name__}: {exc}); "
                         "recompute it with `akhbar agree PASS_A PASS_B --format json`") from None


def read_agreements(root: Path) -> tuple[Agreement, ...]:
    """The agreement of every `annotation-passes/*/agreement.json` under the repository `root`, by folder name."""
    folder = Path(root) / PASSES_DIR
    if not folder.is_dir():
        return ()
    return tuple(_one(p, Path(root)) for p in sorted(folder.glob("*/agreement.json")))
