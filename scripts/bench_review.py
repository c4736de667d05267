"""Speed of the review tools at 1k, 10k and 100k entities, as ratios against a floor measured in the same run.

    python scripts/bench_review.py [--sizes 1000 10000 100000] [--write docs/benchmarks.md]

Each document is the seed (text version 2) repeated, with entities kept
evenly at the density of the 819,000-character, 10,097-entity document of
issue 15 (one per ~81 characters); a second annotation has every 7th entity
relabelled, every 5th shortened by one character and every 11th removed, so
that agree and diff have real disagreements to pair. The floor is what any
tool must do anyway: parse the annotations JSON and escape the text for
HTML. Timing is CPU time (`time.process_time`: other jobs on a shared
machine do not count), after a warm-up call of every step at every size;
the sizes are interleaved round by round (so that a slow minute of the
machine hits every size alike), and each round runs a step 100,000 / n
times at n entities (100 calls at 1k, 10 at 10k, 1 at 100k) and keeps the
time per call. Reported over the rounds (`--rounds`, default 5): the
median and the best per call, in ms, per entity in µs, as a multiple of
the floor, and how far the cost per entity strays from its mean over the
sizes. The steps are the library calls behind the commands, as the commands
make them: `show_page` (with the JSON parse, as `akhbar show` reads the
file), `diff_annotations`, and the agreement (nervaluate + kappa +
disagreements). The commands themselves (`akhbar show`, `akhbar diff`,
`akhbar agree` on the files of a corpus, validation and report included)
are timed the same way in a fresh process per size and round, against the
floor of reading and parsing both files. With --write the `## Review`
section of the file, up to its first subsection, is replaced by the results.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import io
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # this checkout's package

from akhbar.cli import main as cli_main  # noqa: E402
from akhbar.format.canonical import dumps_annotations, dumps_document  # noqa: E402
from akhbar.format.corpus import sha256_hex  # noqa: E402
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


STEPS = ("show page", "diff", "agree (2 files)")
COMMANDS = ("akhbar show", "akhbar diff", "akhbar agree")


def _write_document(folder: Path, doc_id: str, text: str, data: dict) -> tuple[Path, Path]:
    """A corpus document of `text` (version 1) with `data` as its annotations.json, and `_other(data)` beside the
    corpus as B: both canonical, as `akhbar fmt` writes them. Returns the two annotation files."""
    raw = text.encode("utf-8")
    sha = sha256_hex(raw)
    doc = yaml.safe_load((SEED / "document.yaml").read_text(encoding="utf-8"))
    doc.update(id=doc_id, versions=[dict(doc["versions"][0], sha256=sha, chars=len(text))])
    where = folder / "corpus" / doc_id
    where.mkdir(parents=True)
    (where / "text.v1.txt").write_bytes(raw)
    (where / "document.yaml").write_text(dumps_document(doc), encoding="utf-8")
    data = dict(data, document=doc_id, text_version=1, text_sha256=sha)
    (where / "annotations.json").write_text(dumps_annotations(data), encoding="utf-8")
    (folder / f"{doc_id}.b.json").write_text(dumps_annotations(_other(data)), encoding="utf-8")
    return where / "annotations.json", folder / f"{doc_id}.b.json"


def _command(argv: list[str]):
    def run():
        with contextlib.redirect_stdout(io.StringIO()):  # the report is made and printed, to a buffer
            status = cli_main(argv)
        if status != 0:
            raise RuntimeError(f"akhbar {' '.join(argv)} exited with {status}")
    return run


COMMAND_STEPS = ("command floor", *COMMANDS)


def prepare(entities: int, folder: Path) -> dict:
    """The calls to time at one size: the floor and the three library steps; the files the commands read."""
    text, data = synthetic_document(entities * 81, entities)
    raw = json.dumps(data, ensure_ascii=False)
    a, b = Annotations.from_dict(data), Annotations.from_dict(_other(data))
    _write_document(folder, f"bench-{entities}", text, data)
    return {
        "entities": len(a.entities), "chars": len(text),
        "floor": lambda: (json.loads(raw), html.escape(text)),
        "show page": lambda: show_page(ReviewTarget(Path("bench.json"), json.loads(raw), text, "bench", 2)),
        "diff": lambda: diff_annotations(a, b),
        "agree (2 files)": lambda: agreement([("a", a), ("b", b)], text),
    }


def command_steps(entities: int, folder: Path) -> dict:
    """The commands on the files of one size, each a function of no arguments."""
    file_a = folder / "corpus" / f"bench-{entities}" / "annotations.json"
    file_b = folder / f"bench-{entities}.b.json"
    corpus, page = ["--corpus", str(folder / "corpus")], str(folder / f"{entities}.html")
    return {
        # what every command must do anyway: read and parse both files, read and decode the text
        "command floor": lambda: (json.loads(file_a.read_bytes()), json.loads(file_b.read_bytes()),
                                  (file_a.parent / "text.v1.txt").read_bytes().decode("utf-8")),
        "akhbar show": _command(["show", str(file_a), "-o", page, *corpus]),
        "akhbar diff": _command(["diff", str(file_a), str(file_b), *corpus]),
        "akhbar agree": _command(["agree", str(file_a), str(file_b), *corpus]),
    }


def _per_call(fn, calls: int) -> float:
    t = time.process_time()  # CPU time: other jobs on a shared machine do not count
    for _ in range(calls):
        fn()
    return (time.process_time() - t) / calls


def command_worker(entities: int, warm_up: int, folder: Path) -> dict:
    """In a process of its own (as a user's `akhbar` runs): warm up on the `warm_up` size, time each command once
    per 10,000 / n entities (at least once). Returns {step: seconds per call}."""
    for step in command_steps(warm_up, folder).values():  # patterns, caches, imports of the command modules
        step()
    calls = max(1, 10_000 // entities)
    return {name: _per_call(step, calls) for name, step in command_steps(entities, folder).items()}


def _run_worker(entities: int, warm_up: int, folder: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--worker", str(entities), str(warm_up), str(folder)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.splitlines()[-1])


def measure(sizes: list[int], rounds: int, folder: Path) -> list[dict]:
    """Per size: entities, chars, and per step (floors included) the times per call of every round.

    The library steps run in this process; the commands each round in a fresh process per size, whose
    heap holds only what a user's `akhbar` would (this one holds every size's models).
    """
    cases = [prepare(n, folder) for n in sizes]
    for case in cases:  # warm-up: first calls build patterns, caches and the label table
        for step in ("floor", *STEPS):
            case[step]()
    times = [{step: [] for step in ("floor", *STEPS, *COMMAND_STEPS)} for _ in cases]
    for _ in range(rounds):
        for n, case, got in zip(sizes, cases, times):  # sizes interleaved, round by round
            calls = max(1, 100_000 // case["entities"])
            for step in ("floor", *STEPS):
                got[step].append(_per_call(case[step], calls))
            for step, seconds in _run_worker(n, min(sizes), folder).items():
                got[step].append(seconds)
    return [dict(entities=c["entities"], chars=c["chars"], times=t) for c, t in zip(cases, times)]


def _spread(per: list[float]) -> float:
    mean = sum(per) / len(per)
    return max(abs(p / mean - 1) for p in per) * 100


def _table(results: list[dict], floor_step: str, steps: tuple[str, ...]) -> list[str]:
    lines = [
        "| entities | characters | floor ms | " + " | ".join(f"{s} ms | µs/entity | × floor" for s in steps) + " |",
        "| ---: | ---: | ---: | " + " | ".join("---: | ---: | ---:" for _ in steps) + " |",
    ]
    for r in results:
        floor = statistics.median(r["times"][floor_step])
        cells = [f"{r['entities']:,}", f"{r['chars']:,}",
                 f"{floor * 1000:.1f} ({min(r['times'][floor_step]) * 1000:.1f})"]
        for s in steps:
            med, best = statistics.median(r["times"][s]), min(r["times"][s])
            cells += [f"{med * 1000:.1f} ({best * 1000:.1f})",
                      f"{med / r['entities'] * 1e6:.2f} ({best / r['entities'] * 1e6:.2f})", f"{med / floor:.1f}"]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for s in (floor_step, *steps):
        med = [statistics.median(r["times"][s]) / r["entities"] for r in results]
        best = [min(r["times"][s]) / r["entities"] for r in results]
        lines.append(f"- {s}: cost per entity within ±{_spread(med):.0f}% of its mean over the sizes by the medians, "
                     f"±{_spread(best):.0f}% by the best runs.")
    lines.append("")
    return lines


def report(results: list[dict], sizes: list[int], rounds: int) -> str:
    lines = [
        SECTION,
        "",
        f"`python scripts/bench_review.py --sizes {' '.join(map(str, sizes))} --rounds {rounds}` on "
        f"{platform.machine()} (Python {platform.python_version()}; CPU time; sizes interleaved over {rounds} rounds, "
        "after a warm-up call). One document per row, one entity per ~81 characters; B has every 7th entity "
        "relabelled, every 5th shortened, every 11th removed. Median (best) over the rounds.",
        "",
        "**The commands** as a reviewer runs them: `akhbar show A -o page.html`, `akhbar diff A B`, "
        "`akhbar agree A B` on a corpus of the one document, both files canonical, each round in a fresh process "
        "per size (as a user's `akhbar` runs; after a warm-up call on the smallest document; the interpreter's "
        "start and imports not counted), 10,000 / n calls at n entities (at least one). Floor: read and parse both "
        "files and read the text, what any of them must do.",
        "",
        *_table(results, "command floor", COMMANDS),
        "**The library steps** behind them, on files already loaded: `show_page` (with the JSON parse), "
        "`diff_annotations` and `agreement`; each round 100,000 / n calls at n entities. Floor: parse the "
        "annotations JSON and escape the text.",
        "",
        *_table(results, "floor", STEPS),
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--write", type=Path)
    parser.add_argument("--worker", nargs=3, metavar=("ENTITIES", "WARM_UP", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:  # one size's commands, in a process of its own: the times as one JSON line
        print(json.dumps(command_worker(int(args.worker[0]), int(args.worker[1]), Path(args.worker[2]))))
        return 0
    tokenize("warm-up")  # the tokenizer's pattern is built once per process
    with tempfile.TemporaryDirectory(prefix="akhbar-bench-review-") as folder:
        text = report(measure(args.sizes, args.rounds, Path(folder)), args.sizes, args.rounds)
    print(text)
    if args.write:
        old = args.write.read_text(encoding="utf-8") if args.write.exists() else "# Benchmarks\n"
        if SECTION in old:  # replaced in place, up to the next section or subsection (the browser test's stays)
            start = old.index(SECTION)
            ends = [e for e in (old.find("\n## ", start + 1), old.find("\n### ", start + 1)) if e != -1]
            new = old[:start] + text.rstrip("\n") + "\n\n" + (old[min(ends) + 1:] if ends else "")
        else:
            new = old.rstrip("\n") + "\n\n" + text
        args.write.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
