"""Benchmark: validating and drawing a chain of nested entities (each the parent of the next) stays linear.

Issue 17 measured validation of such a chain as cubic (5,599 entities: 207 s).
This times `validate_paths` and the `show` page on chains of N and 4N entities
and on a flat file of the same sizes (the floor, measured in the same run), and
prints the ratios; a linear cost gives a 4N/N ratio near 4 (cubic: 64).

    python scripts/bench_chain.py [N]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from make_validation_fixtures import Doc  # noqa: E402

from akhbar.review.load import load_target, show_page  # noqa: E402
from akhbar.validate import validate_paths  # noqa: E402


def _write(root: Path, n: int, chain: bool) -> Path:
    Doc.entities = staticmethod(lambda text: [])
    text = "b" * (n + 1) + ".\n"
    doc = Doc(text=text)
    doc.annotations["sentences"] = [{"id": "s1", "start": 0, "end": n + 2}]
    if chain:  # entity k spans k..n+1 inside entity k-1
        ents = [{"id": f"c{k}", "start": k, "end": n + 1, "label": "ORG", "text": text[k:n + 1]} for k in range(n)]
        for k in range(1, n):
            ents[k]["parent"] = f"c{k - 1}"
    else:  # the floor: n one-character entities side by side (same count, shorter text fields)
        ents = [{"id": f"c{k}", "start": k, "end": k + 1, "label": "ORG", "text": "b"} for k in range(n)]
    doc.annotations["entities"] = ents
    doc.write(root)
    return root / "corpus"


def _time(corpus: Path) -> tuple[float, float]:
    t0 = time.perf_counter()
    validate_paths([corpus], corpus=corpus)
    t1 = time.perf_counter()
    ann = corpus / "sample-doc" / "annotations.json"
    show_page(load_target(ann, corpus), [])
    return t1 - t0, time.perf_counter() - t1


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in (n, 4 * n):
            for chain in (False, True):
                rows[(size, chain)] = _time(_write(Path(tmp) / f"{size}-{chain}", size, chain))
    for size in (n, 4 * n):
        (fv, fs), (cv, cs) = rows[(size, False)], rows[(size, True)]
        print(f"{size:>6} entities: flat validate {fv:.3f} s, show {fs:.3f} s; chain validate {cv:.3f} s "
              f"({cv / fv:.1f}x flat), show {cs:.3f} s ({cs / fs:.1f}x flat)")
    print(f"chain 4N/N: validate {rows[(4 * n, True)][0] / rows[(n, True)][0]:.1f}x, "
          f"show {rows[(4 * n, True)][1] / rows[(n, True)][1]:.1f}x (linear: ~4x, cubic: 64x)")


if __name__ == "__main__":
    main()
