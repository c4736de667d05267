"""Benchmark `akhbar validate` and `akhbar fmt --check` against the floor of reading and parsing the same files.

Generates synthetic corpora in the real format in a temporary folder (N
documents of about 1,500 characters, 8 sentences and 15 entities each, two of
them nested, plus their seeds), then measures in fresh processes, in one run:

- floor: for every document, json.loads(annotations.json), PyYAML's C safe
  loader on document.yaml, and reading the text file;
- validate: `akhbar.validate.validate_paths([corpus])` with --jobs 1 (and 2);
- fmt --check: `akhbar.format.fmt.format_paths([corpus], check=True, load=...)`
  with the CLI's loader, the library call behind `akhbar fmt --check corpus`.

Each is timed as the process CPU time (`time.process_time`) of the call, in a
fresh process (imports excluded), so that other work on a shared machine
does not count; rounds are interleaved (floor, validate, fmt, floor, ...) and
the best of `--repeat` rounds is kept. --jobs 2 is timed in wall-clock time
(its work is in the pool's processes), best of the same rounds.

Prints a Markdown table (time, per-document cost, ratio, peak RSS) to paste
into docs/benchmarks.md under `## Validation`.

    python scripts/bench_validate.py [--sizes 1000 5000 20000] [--repeat 3] [--tmp DIR]
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
sys.path.insert(0, str(REPO / "src"))

from akhbar.format.canonical import dumps_annotations, dumps_document  # noqa: E402
from akhbar.format.corpus import sha256_hex  # noqa: E402
from akhbar.format.labels import label_names  # noqa: E402

WORDS = ("قال وزير الخارجية إن التعاون الأمني بين البلدين مستمر منذ سنوات وأكد المصدر أن الحدود آمنة "
         "وأضاف الرئيس في مؤتمر صحفي بالعاصمة أمس أن الحكومة ستعمل على دعم الاقتصاد والتنمية في المناطق "
         "الجنوبية والشمالية خلال العام المقبل بالتنسيق مع المنظمات الدولية والإقليمية").split()


def make_document(i: int, rng: random.Random) -> tuple[str, dict, dict]:
    """One synthetic document: (text, document dict, annotations dict)."""
    sentences, parts, cursor = [], [], 0
    for k in range(8):
        n_words = 6 if k == 0 else rng.randint(28, 34)
        words = [rng.choice(WORDS) for _ in range(n_words)]
        if k == 1:
            words[0] = f"رقم{i}"  # keeps every text (and seed) distinct
        sentence = " ".join(words) + ("" if k == 0 else ".")
        sentences.append({"id": f"s{k + 1}", "start": cursor, "end": cursor + len(sentence)})
        parts.append(sentence)
        cursor += len(sentence) + 1
    text = "\n".join(parts[:1]) + "\n" + " ".join(parts[1:]) + "\n"
    labels = label_names()
    entities, taken = [], set()
    while len(entities) < 13:  # 13 top-level mentions of two words, 2 nested inside them
        s = sentences[rng.randint(1, 7)]
        words = [(m_start, m_start + len(w)) for m_start, w in _words(text, s["start"], s["end"])]
        j = rng.randint(0, len(words) - 2)
        if j in taken or j + 1 in taken or (s["id"], j) in taken:
            continue
        taken.add((s["id"], j))
        taken.add((s["id"], j + 1))
        start, end = words[j][0], words[j + 1][1]
        if any(not (end <= e["start"] or start >= e["end"]) for e in entities):
            continue
        entities.append({"id": f"e{len(entities) + 1}", "start": start, "end": end,
                         "label": rng.choice(labels), "text": text[start:end]})
    for parent in entities[:2]:
        start = parent["start"]
        end = text.index(" ", start)
        entities.append({"id": f"e{len(entities) + 1}", "start": start, "end": end, "label": rng.choice(labels),
                         "text": text[start:end], "parent": parent["id"]})
    entities.sort(key=lambda e: (e["start"], -e["end"]))
    doc_id = f"doc-{i:05d}"
    sha = sha256_hex(text.encode("utf-8"))
    document = {
        "schema_version": "1.0", "id": doc_id, "title": parts[0], "language": "ar",
        "license": {"annotations": "CC-BY-4.0", "text": "Synthetic benchmark text."},
        "source": {"file": f"seeds/{doc_id}.txt", "sha256": sha, "publisher": None, "published": None,
                   "url": None, "note": "Synthetic."},
        "split": "train",
        "versions": [{"version": 1, "file": "text.v1.txt", "sha256": sha, "chars": len(text),
                      "date": "2026-11-29", "note": "Synthetic."}],
    }
    annotations = {"schema_version": "1.0", "document": doc_id, "text_version": 1, "text_sha256": sha,
                   "annotators": [{"id": "bench", "role": "tool"}], "sentences": sentences, "entities": entities}
    return text, document, annotations


def _words(text: str, start: int, end: int):
    pos = start
    for w in text[start:end].rstrip(".").split(" "):
        yield pos, w
        pos += len(w) + 1


def generate(root: Path, n: int) -> Path:
    rng = random.Random(n)
    corpus, seeds = root / "corpus", root / "seeds"
    seeds.mkdir(parents=True)
    for i in range(n):
        text, document, annotations = make_document(i, rng)
        folder = corpus / document["id"]
        folder.mkdir(parents=True)
        (folder / "text.v1.txt").write_bytes(text.encode("utf-8"))
        (folder / "document.yaml").write_bytes(dumps_document(document).encode("utf-8"))
        (folder / "annotations.json").write_bytes(dumps_annotations(annotations).encode("utf-8"))
        (seeds / f"{document['id']}.txt").write_bytes(text.encode("utf-8"))
    return corpus


FLOOR = """
import json, os, sys, time, resource, yaml
corpus = sys.argv[1]
t = time.process_time()
for name in sorted(os.listdir(corpus)):
    d = os.path.join(corpus, name)
    with open(os.path.join(d, "annotations.json"), "rb") as f:
        json.loads(f.read())
    with open(os.path.join(d, "document.yaml"), "rb") as f:
        yaml.load(f.read(), Loader=yaml.CSafeLoader)
    with open(os.path.join(d, "text.v1.txt"), "rb") as f:
        f.read().decode("utf-8")
print(time.process_time() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

VALIDATE = """
import sys, time, resource
from pathlib import Path
from akhbar.validate import validate_paths
clock = time.process_time if sys.argv[2] == "1" else time.perf_counter
t = clock()
report = validate_paths([Path(sys.argv[1])], jobs=int(sys.argv[2]))
elapsed = clock() - t
assert report.valid and not report.problems, report.problems[:3]
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


FMT = """
import sys, time, resource
from pathlib import Path
from akhbar.cli.fmt import _load
from akhbar.format.fmt import format_paths
t = time.process_time()
result = format_paths([Path(sys.argv[1])], check=True, load=_load)
elapsed = time.process_time() - t
assert not result.changed and not result.failed and len(result.unchanged) == 2 * int(sys.argv[2])
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def measure(code: str, *args: str, repeat: int) -> tuple[float, int]:
    """Best time of `repeat` fresh processes, and the largest peak RSS (KiB)."""
    best, rss = float("inf"), 0
    env = {"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"}
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
        if out.returncode:
            raise SystemExit(f"benchmark process failed:\n{out.stderr}")
        seconds, peak = out.stdout.split()
        best, rss = min(best, float(seconds)), max(rss, int(peak))
    return best, rss


def interleaved(runs: dict[str, tuple], repeat: int) -> dict[str, tuple[float, int]]:
    """`measure` for each of `runs` (name -> (code, *args)), one round of each in turn, `repeat` rounds."""
    best: dict[str, tuple[float, int]] = {}
    for _ in range(repeat):
        for name, (code, *args) in runs.items():
            seconds, rss = measure(code, *args, repeat=1)
            old = best.get(name, (float("inf"), 0))
            best[name] = (min(old[0], seconds), max(old[1], rss))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tmp", default=None, help="where to write the corpora (e.g. /dev/shm)")
    parser.add_argument("--no-jobs", action="store_true", help="skip the --jobs 2 runs")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="akhbar-bench-", dir=args.tmp) as tmp:
        for n in args.sizes:
            corpus = generate(Path(tmp) / str(n), n)
            measure(FLOOR, str(corpus), repeat=1)  # warm the page cache
            runs = {"floor": (FLOOR, str(corpus)), "one": (VALIDATE, str(corpus), "1"), "fmt": (FMT, str(corpus), str(n))}
            if not args.no_jobs:
                runs["two"] = (VALIDATE, str(corpus), "2")
            got = interleaved(runs, args.repeat)
            (floor, floor_rss), (one, one_rss), (fmt, fmt_rss) = got["floor"], got["one"], got["fmt"]
            two = got["two"][0] if "two" in got else float("nan")
            rows.append((n, floor, one, two, fmt, floor_rss, one_rss, fmt_rss))
            print(f"{n}: floor {floor:.2f}s, validate {one:.2f}s (x{one / floor:.2f}), fmt --check {fmt:.2f}s "
                  f"(x{fmt / floor:.2f}), jobs=2 {two:.2f}s", file=sys.stderr)
            shutil.rmtree(Path(tmp) / str(n))
    print("| documents | floor CPU (s) | validate CPU (s) | ratio | per document (ms) | fmt --check CPU (s) | ratio "
          "| fmt / validate | --jobs 2 wall (s) | ratio | floor peak RSS (MiB) | validate peak RSS (MiB) "
          "| fmt peak RSS (MiB) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, floor, one, two, fmt, floor_rss, one_rss, fmt_rss in rows:
        print(f"| {n:,} | {floor:.2f} | {one:.2f} | {one / floor:.2f} | {1000 * one / n:.3f} | {fmt:.2f} | "
              f"{fmt / floor:.2f} | {fmt / one:.2f} | {two:.2f} | {two / floor:.2f} | {floor_rss / 1024:.0f} | "
              f"{one_rss / 1024:.0f} | {fmt_rss / 1024:.0f} |")


if __name__ == "__main__":
    main()
