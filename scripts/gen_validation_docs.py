"""Write docs/validation.md from the problem-code registry (src/akhbar/validate/codes.py).

Run after adding or changing a code; tests/test_validate_docs.py fails while the page is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from akhbar.format.atomic import atomic_write  # noqa: E402
from akhbar.validate import render_docs  # noqa: E402

if __name__ == "__main__":
    target = REPO / "docs" / "validation.md"
    target.parent.mkdir(exist_ok=True)
    atomic_write(target, render_docs())
    print(f"wrote {target.relative_to(REPO)}")
