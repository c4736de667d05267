"""Benchmark `akhbar validate` against the floor of reading and parsing the same files.

Generates synthetic corpora in the real format in a temporary folder (N
documents of about 1,500 characters, 8 sentences and 15 entities each, two of
them nested, plus their seeds), then measures in fresh processes, in one run:

- floor: for every document, json.loads(annotations.json), PyYAML's C safe
  loader on document.yaml, and reading the text file;
- validate: `akhbar.validate.validate_paths([corpus])` with --jobs 1 (and 2).

Prints a Markdown table (time, per-document cost, ratio, peak RSS) to paste
into docs/benchmarks.md under `## Validation`.

    python scripts/bench_validate.py [--sizes 1000 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
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
t = time.perf_counter()
for name in sorted(os.listdir(corpus)):
    d = os.path.join(corpus, name)
    with open(os.path.join(d, "annotations.json"), "rb") as f:
        json.loads(f.read())
    with open(os.path.join(d, "document.yaml"), "rb") as f:
        yaml.load(f.read(), Loader=yaml.CSafeLoader)
    with open(os.path.join(d, "text.v1.txt"), "rb") as f:
        f.read().decode("utf-8")
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

VALIDATE = """
import sys, time, resource
from pathlib import Path
from akhbar.validate import validate_paths
t = time.perf_counter()
report = validate_paths([Path(sys.argv[1])], jobs=int(sys.argv[2]))
elapsed = time.perf_counter() - t
assert report.valid and not report.problems, report.problems[:3]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="akhbar-bench-") as tmp:
        for n in args.sizes:
            corpus = generate(Path(tmp) / str(n), n)
            measure(FLOOR, str(corpus), repeat=1)  # warm the page cache
            floor, floor_rss = measure(FLOOR, str(corpus), repeat=args.repeat)
            one, one_rss = measure(VALIDATE, str(corpus), "1", repeat=args.repeat)
            two, _ = measure(VALIDATE, str(corpus), "2", repeat=args.repeat)
            rows.append((n, floor, one, two, floor_rss, one_rss))
            print(f"{n}: floor {floor:.2f}s, validate {one:.2f}s (x{one / floor:.2f}), jobs=2 {two:.2f}s", file=sys.stderr)
    print("| documents | floor (s) | validate (s) | ratio | per document (ms) | --jobs 2 (s) | ratio | "
          "floor peak RSS (MiB) | validate peak RSS (MiB) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, floor, one, two, floor_rss, one_rss in rows:
        print(f"| {n:,} | {floor:.2f} | {one:.2f} | {one / floor:.2f} | {1000 * one / n:.2f} | {two:.2f} | "
              f"{two / floor:.2f} | {floor_rss / 1024:.0f} | {one_rss / 1024:.0f} |")


if __name__ == "__main__":
    main()
