"""Speed of the review tools, as ratios against a floor measured in the same run.

    python scripts/bench_review.py [--copies 10] [--write docs/benchmarks.md]

The document is the seed repeated `--copies` times (its entities and
sentences shifted along), and a second annotation with every 7th entity
relabelled. The floor is what any tool must do anyway: parse the
annotations JSON and escape the text for HTML. Reported: best of 5 runs of
the page (`show_page`), the diff and the agreement (nervaluate + kappa), each
as a multiple of the floor. With --write the `## Review` section of the file
is replaced by the results.
"""

from __future__ import annotations

import argparse
import html
import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # this checkout's package

from akhbar.review.agree import agreement  # noqa: E402
from akhbar.review.diff import diff_annotations  # noqa: E402
from akhbar.format.model import Annotations  # noqa: E402
from akhbar.review.load import ReviewTarget, show_page  # noqa: E402
from akhbar.spans import tokenize  # noqa: E402

SEED = ROOT / "corpus" / "000-2a47d67380bc8a8f"
SECTION = "## Review (show, diff, agree)"


def _repeat(text: str, data: dict, copies: int) -> tuple[str, dict]:
    step = len(text) + 1
    entities, sentences = [], []
    for k in range(copies):
        for e in data["entities"]:
            moved = dict(e, id=f"{e['id']}-{k}", start=e["start"] + k * step, end=e["end"] + k * step)
            if e.get("parent"):
                moved["parent"] = f"{e['parent']}-{k}"
            entities.append(moved)
        sentences += [dict(s, id=f"{s['id']}-{k}", start=s["start"] + k * step, end=s["end"] + k * step)
                      for s in data["sentences"]]
    return "\n".join([text] * copies), dict(data, entities=entities, sentences=sentences)


def synthetic_document(chars: int, entities: int) -> tuple[str, dict]:
    """The seed (v2) repeated to at least `chars` characters, keeping `entities` of its entities spread evenly.

    Kept entities lose their `parent` (a parent may not be kept); offsets stay exact.
    """
    text = (SEED / "text.v2.txt").read_text(encoding="utf-8")
    data = json.loads((SEED / "annotations.json").read_text(encoding="utf-8"))
    copies = -(-chars // (len(text) + 1))
    long_text, long_data = _repeat(text, data, copies)
    pool = long_data["entities"]
    if entities > len(pool):
        raise ValueError(f"{copies} copies hold {len(pool)} entities, fewer than {entities}")
    keep = [pool[i] for i in range(len(pool)) if (i + 1) * entities // len(pool) > i * entities // len(pool)]
    kept = [dict({k: v for k, v in e.items() if k != "parent"}, id=f"e{n}") for n, e in enumerate(keep)]
    return long_text, dict(long_data, entities=kept)


def _best(fn, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    text, data = _repeat((SEED / "text.v1.txt").read_text(encoding="utf-8"),
                         json.loads((SEED / "annotations.json").read_text(encoding="utf-8")), args.copies)
    raw = json.dumps(data, ensure_ascii=False)
    other = json.loads(raw)
    for e in other["entities"][::7]:
        e["label"] = "LOC" if e["label"] != "LOC" else "GPE"
    a, b = Annotations.from_dict(data), Annotations.from_dict(other)
    tokenize("warm-up")  # the tokenizer's pattern is built once per process

    floor = _best(lambda: (json.loads(raw), html.escape(text)))
    timings = {
        "show page": _best(lambda: show_page(ReviewTarget(Path("bench.json"), json.loads(raw), text, "bench", 1))),
        "diff": _best(lambda: diff_annotations(a, b)),
        "agree (2 files)": _best(lambda: agreement([("a", a), ("b", b)], text)),
        "  of which tokenize (akhbar.spans)": _best(lambda: tokenize(text)),
    }
    lines = [
        SECTION,
        "",
        f"`python scripts/bench_review.py --copies {args.copies}` on {platform.machine()} "
        f"({len(text)} characters, {len(a.entities)} entities, {len(a.sentences)} sentences; best of 5).",
        f"Floor (parse the JSON, escape the text): {floor * 1000:.2f} ms.",
        "",
        "| step | time | × floor |",
        "| --- | ---: | ---: |",
    ]
    lines += [f"| {name} | {t * 1000:.1f} ms | {t / floor:.0f} |" for name, t in timings.items()]
    lines += ["", "Agreement compares entities sentence by sentence (nervaluate compares every pair within "
              "a sentence, under four schemes, overall and per label), then tags the `ner` view's words for kappa.", ""]
    report = "\n".join(lines)
    print(report)
    if args.write:
        old = args.write.read_text(encoding="utf-8") if args.write.exists() else "# Benchmarks\n\n"
        if SECTION in old:
            start = old.index(SECTION)
            end = old.find("\n## ", start + len(SECTION))
            old = old[:start] + (old[end + 1:] if end != -1 else "")
        args.write.write_text(old.rstrip("\n") + "\n\n" + report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
