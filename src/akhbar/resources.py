"""Where the schemas and the tag set live.

In a checkout (and an editable install) they are the top-level `schema/`
folder; a wheel carries a copy at `akhbar/schema/` (see pyproject.toml), so
`akhbar validate` also works when installed by pre-commit in another
repository.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

__all__ = ["schema_dir", "load_schema"]

_PACKAGE_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def schema_dir() -> Path:
    """The folder holding `*.schema.json` and `labels.yaml`."""
    for candidate in (_PACKAGE_DIR / "schema", _PACKAGE_DIR.parents[1] / "schema"):
        if (candidate / "labels.yaml").is_file():
            return candidate
    raise FileNotFoundError("akhbar's schema folder is missing from this installation")


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    """The JSON Schema `schema/<name>.schema.json` as a dict (cached; do not mutate)."""
    with open(schema_dir() / f"{name}.schema.json", encoding="utf-8") as f:
        return json.load(f)
