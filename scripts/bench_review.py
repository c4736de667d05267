"""Speed of the review tools at 1k, 10k and 100k entities, as ratios against a floor measured in the same run.

    python scripts/bench_review.py [--sizes 1000 10000 100000] [--write docs/benchmarks.md]

Each document is the seed (text version 2) repeated, with entities kept
evenly at the density of the 819,000-character, 10,097-entity document of
issue 15 (one per ~81 characters); a second annotation has every 7th entity
relabelled, every 5th shortened by one character and every 11th removed, so
that agree and diff have real disagreements to pair. The floor is what any
tool must do anyway: parse the annotations JSON and escape the text for
HTML. Reported: best of 3 runs (1 at 100k), in CPU time (`time.process_time`), of the page (`show_page`), the
diff and the agreement (nervaluate + kappa + disagreements), in ms, per
entity in µs, and as a multiple of the floor. With --write the
`## Review` section of the file is replaced by the results.
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


def _best(fn, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.process_time()  # CPU time: other jobs on a shared machine do not count
        fn()
        best = min(best, time.process_time() - t)
    return best


def _other(data: dict) -> dict:
    other = json.loads(json.dumps(data))
    for e in other["entities"][::7]:
        e["label"] = "LOC" if e["label"] != "LOC" else "GPE"
    for e in other["entities"][::5]:
        if e["end"] - e["start"] > 1:
            e["end"] -= 1
            e["text"] = e["text"][:-1]
    other["entities"] = [e for k, e in enumerate(other["entities"]) if k % 11 != 3]
    return other


def measure(entities: int) -> dict:
    text, data = synthetic_document(entities * 81, entities)
    raw = json.dumps(data, ensure_ascii=False)
    a, b = Annotations.from_dict(data), Annotations.from_dict(_other(data))
    runs = 1 if entities > 50_000 else 3
    floor = _best(lambda: (json.loads(raw), html.escape(text)), runs)
    return {
        "entities": len(a.entities), "chars": len(text), "floor": floor,
        "show page": _best(lambda: show_page(ReviewTarget(Path("bench.json"), json.loads(raw), text, "bench", 2)), runs),
        "diff": _best(lambda: diff_annotations(a, b), runs),
        "agree (2 files)": _best(lambda: agreement([("a", a), ("b", b)], text), runs),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    tokenize("warm-up")  # the tokenizer's pattern is built once per process
    agreement([("a", Annotations.from_dict(synthetic_document(8_100, 100)[1]))] * 2, synthetic_document(8_100, 100)[0])
    results = [measure(n) for n in args.sizes]
    steps = ("show page", "diff", "agree (2 files)")
    lines = [
        SECTION,
        "",
        f"`python scripts/bench_review.py --sizes {' '.join(map(str, args.sizes))}` on {platform.machine()} "
        f"(Python {platform.python_version()}; CPU time, best of 3 runs, 1 at 100k). One document per row, one "
        "entity per ~81 characters; B has every 7th entity relabelled, every 5th shortened, every 11th removed. "
        "Floor: parse the annotations JSON and escape the text.",
        "",
        "| entities | characters | floor (ms) | " + " | ".join(f"{s} ms | µs/entity | × floor" for s in steps) + " |",
        "| ---: | ---: | ---: | " + " | ".join("---: | ---: | ---:" for _ in steps) + " |",
    ]
    for r in results:
        cells = [f"{r['entities']:,}", f"{r['chars']:,}", f"{r['floor'] * 1000:.1f}"]
        for s in steps:
            cells += [f"{r[s] * 1000:.0f}", f"{r[s] / r['entities'] * 1e6:.1f}", f"{r[s] / r['floor']:.0f}"]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for s in steps:
        per = [r[s] / r["entities"] for r in results]
        mean = sum(per) / len(per)
        lines.append(f"- {s}: cost per entity within {max(abs(p / mean - 1) for p in per) * 100:.0f}% of its mean "
                     f"over the sizes.")
    lines.append("")
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
