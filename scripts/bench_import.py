"""Benchmark `akhbar import` (bulk, CoNLL) and `akhbar ingest` (one file into a large corpus).

Generates synthetic CoNLL sources in the Wojood layout in a temporary folder:
documents of 10 sentences of 20 tokens, each sentence with two entities, one
of them holding a nested one (a second tag column), in files of 1,000
documents (a seed is at most 16 MiB for the validator). Then, in fresh
processes, best of --repeat:

- floor: what any import must do at least: read and split every line of the
  sources, and write three small files per document (text, document.yaml,
  annotations.json) into a fresh folder;
- import: `akhbar.imports.import_sources` into an empty corpus (read, check,
  assemble, validate each document in memory, write all or nothing, index);
- ingest: `akhbar.versions.ingest.ingest` of one new file into the corpora the
  import made (--ingest-sizes), against a floor of the same writes; CPU time of
  the process (fsync waits on a shared disk swamp the wall time). The corpora
  are kept until every import is done, then measured in --rounds rounds that
  alternate them (each round: best of --repeat fresh processes per corpus), so
  a change in the machine's load shows in every size alike.

Prints Markdown tables for docs/benchmarks.md (`## Import`).

    python scripts/bench_import.py [--sizes 1000 5000 20000] [--ingest-sizes 1000 20000] [--repeat 3]
                                   [--rounds 3] [--ingest-only] [--tmp DIR]

With --ingest-only, the corpora of --ingest-sizes are made by one untimed import
each and only the ingest is timed (a 100,000-document corpus takes minutes to import).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

WORDS = ("قال وزير الخارجية إن التعاون الأمني بين البلدين مستمر منذ سنوات وأكد المصدر أن الحدود آمنة "
         "وأضاف الرئيس في مؤتمر صحفي بالعاصمة أمس أن الحكومة ستعمل على دعم الاقتصاد والتنمية").split()
PER_FILE = 1000


def _document(i: int, rng: random.Random) -> list[str]:
    lines = [f"-DOCSTART- doc{i}"]
    for k in range(10):
        tags = ["O"] * 20
        tags[2:5] = ["B-ORG", "I-ORG", "I-ORG"]
        nested = {4: "B-GPE"}
        tags[10:12] = ["B-PERS", "I-PERS"]
        for j in range(20):
            word = f"رقم{i}" if (k == 0 and j == 0) else rng.choice(WORDS)
            columns = [word, tags[j]] + ([nested[j]] if j in nested else [])
            lines.append(" ".join(columns))
        lines.append("")
    return lines


def generate(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True)
    rng = random.Random(n)
    files = []
    for f, start in enumerate(range(0, n, PER_FILE)):
        lines = []
        for i in range(start, min(n, start + PER_FILE)):
            lines += _document(i, rng)
        path = folder / f"synthetic-{f:03d}.conll"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    return files


FLOOR = """
import os, sys, time, resource
out = sys.argv[1]
t = time.perf_counter()
docs = 0
os.mkdir(out)
for source in sys.argv[2:]:
    with open(source, "rb") as f:
        text = f.read().decode("utf-8")
    tokens = []
    for line in text.split("\\n"):
        fields = line.split(" ")
        if fields[0] == "-DOCSTART-":
            docs += 1
            d = os.path.join(out, f"d{docs}")
            os.mkdir(d)
            for name in ("text.v1.txt", "document.yaml", "annotations.json"):
                with open(os.path.join(d, name), "wb") as g:
                    g.write(b"x" * 2000)
        tokens.append(fields)
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

IMPORT = """
import sys, time, resource
from pathlib import Path
from akhbar.imports import ImportOptions, import_sources
t = time.perf_counter()
report = import_sources(ImportOptions(format="conll", sources=sys.argv[2:], corpus=Path(sys.argv[1]), id_prefix="syn",
                                      date="2026-12-01"))
elapsed = time.perf_counter() - t
assert report.written and not report.faults
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

INGEST = """
import shutil, sys, time, resource
from pathlib import Path
from akhbar.versions.ingest import ingest
corpus, seed = Path(sys.argv[1]), Path(sys.argv[2])
shutil.copytree(corpus / ".index", corpus.parent / "index-before")  # untimed: to undo the append
t = time.process_time()  # CPU time: the disk's fsync latency is not the tool's cost
ingest(seed, "bench-new", corpus, date="2026-12-01")
elapsed = time.process_time() - t
shutil.rmtree(corpus / "bench-new")  # undo, for the next repeat
(corpus.parent / "seeds" / seed.name).unlink()
shutil.rmtree(corpus / ".index")
(corpus.parent / "index-before").rename(corpus / ".index")
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

INGEST_FLOOR = """
import os, sys, time, resource
d = os.path.join(sys.argv[1], "floor-new")
t = time.process_time()  # CPU time: the disk's fsync latency is not the tool's cost
os.mkdir(d)
for name in ("text.v1.txt", "document.yaml", "annotations.json"):
    with open(os.path.join(d, name), "wb") as g:
        g.write(b"x" * 2000)
elapsed = time.process_time() - t
for name in os.listdir(d):
    os.unlink(os.path.join(d, name))
os.rmdir(d)
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def measure(code: str, *args: str, repeat: int, reset=None) -> tuple[float, int]:
    """Best time of `repeat` fresh processes (`reset()` before each), and the largest peak RSS (KiB)."""
    best, rss = float("inf"), 0
    env = {"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"}
    for _ in range(repeat):
        if reset:
            reset()
        out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
        if out.returncode:
            raise SystemExit(f"benchmark process failed:\n{out.stderr}")
        seconds, peak = out.stdout.split()
        best, rss = min(best, float(seconds)), max(rss, int(peak))
    return best, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--ingest-sizes", type=int, nargs="+", default=[1000, 20000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3, help="ingest rounds, alternating the corpora")
    parser.add_argument("--ingest-only", action="store_true", help="time only the ingests (corpora made untimed)")
    parser.add_argument("--tmp", type=Path, help="where to write (default: the system's temporary folder)")
    args = parser.parse_args()
    imports = []
    ingests: dict[int, list[tuple[float, float]]] = {n: [] for n in args.ingest_sizes}
    sizes = sorted(set(args.ingest_sizes if args.ingest_only else args.sizes + args.ingest_sizes))
    with tempfile.TemporaryDirectory(prefix="akhbar-bench-import-", dir=args.tmp) as tmp:
        tmp = Path(tmp)
        seed = tmp / "one-article.txt"
        seed.write_text("عنوان الخبر\n" + " ".join(WORDS) + ".\n", encoding="utf-8")
        for n in sizes:
            files = [str(p) for p in generate(tmp / f"src-{n}", n)]
            repo = tmp / f"repo-{n}"
            floor_out = tmp / f"floor-{n}"

            def reset_floor():
                shutil.rmtree(floor_out, ignore_errors=True)

            def reset_repo():
                shutil.rmtree(repo, ignore_errors=True)
                (repo / "seeds").mkdir(parents=True)

            if args.ingest_only or n not in args.sizes:
                measure(IMPORT, str(repo / "corpus"), *files, repeat=1, reset=reset_repo)
            else:
                measure(FLOOR, str(floor_out), *files, repeat=1, reset=reset_floor)  # warm the page cache
                floor, floor_rss = measure(FLOOR, str(floor_out), *files, repeat=args.repeat, reset=reset_floor)
                took, rss = measure(IMPORT, str(repo / "corpus"), *files, repeat=args.repeat, reset=reset_repo)
                imports.append((n, floor, took, floor_rss, rss))
                print(f"import {n}: floor {floor:.2f}s, import {took:.2f}s (x{took / floor:.2f})", file=sys.stderr)
                reset_floor()
            shutil.rmtree(tmp / f"src-{n}")
            if n not in ingests:
                shutil.rmtree(repo, ignore_errors=True)
        for r in range(args.rounds):
            for n in (ingests if r % 2 == 0 else list(reversed(list(ingests)))):
                corpus = tmp / f"repo-{n}" / "corpus"
                f, _ = measure(INGEST_FLOOR, str(corpus), repeat=args.repeat)
                t, _ = measure(INGEST, str(corpus), str(seed), repeat=args.repeat)
                ingests[n].append((f, t))
                print(f"round {r + 1}, ingest into {n}: floor {1000 * f:.2f} ms, ingest {1000 * t:.2f} ms",
                      file=sys.stderr)
    if imports:
        print("| documents | floor (s) | import (s) | ratio | per document (ms) | floor peak RSS (MiB) | import peak RSS (MiB) |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for n, floor, took, floor_rss, rss in imports:
            print(f"| {n:,} | {floor:.2f} | {took:.2f} | {took / floor:.2f} | {1000 * took / n:.2f} | "
                  f"{floor_rss / 1024:.0f} | {rss / 1024:.0f} |")
        print()
    print("| corpus documents | floor CPU (ms) | ingest CPU (ms) | ratio |")
    print("| ---: | ---: | ---: | ---: |")

    def span(values, fmt):
        return fmt.format(min(values)) if len(values) == 1 else f"{fmt.format(min(values))}–{fmt.format(max(values))}"

    for n, runs in ingests.items():
        print(f"| {n:,} | {span([1000 * f for f, _ in runs], '{:.2f}')} | {span([1000 * t for _, t in runs], '{:.2f}')} "
              f"| {span([t / f for f, t in runs], '{:.1f}')} |")


if __name__ == "__main__":
    main()
