"""Where the files the package reads live: the schemas, the tag set, CITATION.cff, the datasheet.

In a checkout (and an editable install) they are the repository's own files
(`schema/`, `CITATION.cff`, `docs/datasheet.md`); a wheel carries copies
inside the package (`akhbar/schema/`, ...: see the force-include table of
pyproject.toml), so `akhbar validate` also works when installed by pre-commit
in another repository.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

__all__ = ["PACKAGE_DIR", "CHECKOUT_DIR", "packaged_path", "schema_dir", "load_schema"]

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/akhbar, or site-packages/akhbar
CHECKOUT_DIR = PACKAGE_DIR.parents[1]  # the repository root when running from a checkout


def packaged_path(in_wheel: str, in_checkout: str) -> Path | None:
    """The packaged file or folder `akhbar/<in_wheel>` of a wheel, else `<checkout>/<in_checkout>`; None if neither exists."""
    for candidate in (PACKAGE_DIR / in_wheel, CHECKOUT_DIR / in_checkout):
        if candidate.exists():
            return candidate
    return None


@lru_cache(maxsize=None)
def schema_dir() -> Path:
    """The folder holding `*.schema.json` and `labels.yaml`."""
    for candidate in (PACKAGE_DIR / "schema", CHECKOUT_DIR / "schema"):
        if (candidate / "labels.yaml").is_file():
            return candidate
    raise FileNotFoundError("akhbar's schema folder is missing from this installation")


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    """The JSON Schema `schema/<name>.schema.json` as a dict (cached; do not mutate)."""
    with open(schema_dir() / f"{name}.schema.json", encoding="utf-8") as f:
        return json.load(f)
