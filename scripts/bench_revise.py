"""Benchmark of text revision: aligning two versions and carrying annotations across.

A 50,000-character Arabic text (words of the seed article, shuffled with a
fixed seed) gets 100 random edits (word and letter insertions, deletions,
replacements); it carries one sentence per ~20 words and an entity every
~10 words. Each figure is the median of several runs, in milliseconds, and
as a ratio to a floor measured in the same run: decoding, normalising and
hashing the new text, which revise must do anyway. Scaling rows (12,500 to
200,000 characters, 100 edits) show the cost is linear in the text length.

    python scripts/bench_revise.py            # prints a Markdown table for docs/benchmarks.md
    python scripts/bench_revise.py --difflib  # also time difflib.SequenceMatcher (slow: ~40 s)
"""

from __future__ import annotations

import argparse
import difflib
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from akhbar.versions.align import align_texts  # noqa: E402
from akhbar.versions.migrate import migrate_annotations  # noqa: E402
from akhbar.format.canonical import dumps_annotations  # noqa: E402
from akhbar.format.corpus import sha256_hex  # noqa: E402
from akhbar.format.text import decode_utf8, normalise_text  # noqa: E402
from akhbar.versions.ingest import ingest  # noqa: E402
from akhbar.format.model import Annotations, Entity, Sentence  # noqa: E402
from akhbar.versions.revise import revise  # noqa: E402
from akhbar.validate import validate_paths  # noqa: E402

SEED = REPO / "seeds" / "000_2a47d67380bc8a8f.txt"


def make_text(chars: int, rng: random.Random) -> str:
    words = SEED.read_text(encoding="utf-8").split()
    out, size, n = [], 0, 0
    while size < chars:
        word = rng.choice(words).strip(".،")
        n += 1
        word += "." if n % 20 == 0 else ""
        out.append(word)
        size += len(word) + 1
        if n % 200 == 0:
            out.append("\n")
    text = " ".join(out).replace(" \n ", "\n")[:chars]
    return text.rstrip(" .") + "."


def edit(text: str, edits: int, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(edits):
        p = rng.randrange(len(chars) - 10)
        kind = rng.choice(["insert-word", "delete-letter", "replace-letter", "insert-letter", "delete-word"])
        if kind == "insert-word":
            chars[p:p] = list(" إضافة ")
        elif kind == "delete-letter":
            del chars[p]
        elif kind == "replace-letter":
            chars[p] = "ة" if chars[p] != "ة" else "ه"
        elif kind == "insert-letter":
            chars[p:p] = ["ا"]
        else:
            del chars[p:p + 6]
    return "".join(chars)


def annotations(text: str) -> Annotations:
    sentences, start = [], 0
    for k, ch in enumerate(text):
        if ch == "." or ch == "\n":
            end = k + 1 if ch == "." else k
            while start < end and text[start].isspace():
                start += 1
            if start < end:
                sentences.append(Sentence(f"s{len(sentences) + 1}", start, end))
            start = k + 1
    entities, pos, n = [], 0, 0
    for word in text.split(" "):
        n += 1
        w = word.strip(".\n")
        if n % 10 == 0 and w and not any(c.isspace() for c in w):
            at = text.index(w, pos)
            entities.append(Entity(f"e{len(entities) + 1}", at, at + len(w), "PERS", w))
        pos += len(word) + 1
    return Annotations("bench", 1, sha256_hex(text.encode()), sentences=tuple(sentences), entities=tuple(entities))


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def run(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--difflib", action="store_true", help="also time difflib.SequenceMatcher (about 40 s)")
    args = parser.parse_args(argv)
    rng = random.Random(6)

    old = make_text(50_000, rng)
    new = edit(old, 100, rng)
    raw = new.encode("utf-8")
    ann = annotations(old)
    rows = []

    floor = median_ms(lambda: sha256_hex(normalise_text(decode_utf8(raw, "new")).text.encode("utf-8")), args.runs)
    rows.append(("floor: decode + normalise + sha256 of the new text", floor))
    alignment = align_texts(old, new)
    rows.append((f"align_texts ({len(alignment.edits)} edited regions)", median_ms(lambda: align_texts(old, new), args.runs)))
    rows.append((f"migrate_annotations ({len(ann.sentences)} sentences, {len(ann.entities)} entities; incl. alignment)",
                 median_ms(lambda: migrate_annotations(ann, old, new, 2, "0" * 64), args.runs)))

    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        (repo / "corpus").mkdir()
        seed = repo / "bench.txt"
        seed.write_bytes(old.encode("utf-8"))
        new_file = repo / "new.txt"
        new_file.write_bytes(raw)

        validation = []

        def end_to_end():
            doc_dir = repo / "corpus" / "bench"
            if doc_dir.exists():
                shutil.rmtree(doc_dir)
                shutil.rmtree(repo / "seeds")
            ingest(seed, "bench", repo / "corpus", date="2026-11-29")
            (doc_dir / "annotations.json").write_text(
                dumps_annotations(ann.replace(document="bench").to_dict()), encoding="utf-8")
            t0 = time.perf_counter()
            validate_paths([doc_dir], corpus=repo / "corpus")
            validation.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            revise("bench", new_file, "bench", repo / "corpus", date="2026-11-29")
            return (time.perf_counter() - t0) * 1000

        times = sorted(end_to_end() for _ in range(max(3, args.runs // 2)))
        rows.append(("`revise` end to end (validate v1, align, carry, stage, swap)", times[len(times) // 2]))
        rows.append(("of which: `validate_paths` of the document (v1)", statistics.median(validation)))

    unrelated = make_text(50_000, random.Random(99))
    rows.append(("worst case: align two unrelated 50,000-character texts",
                 median_ms(lambda: align_texts(old, unrelated), 3)))

    if args.difflib:
        rows.append(("difflib.SequenceMatcher(autojunk=False).get_opcodes(), for comparison",
                     median_ms(lambda: difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes(), 1)))

    print(f"50,000-character text ({len(old)} old, {len(new)} new), 100 random edits; median of {args.runs} runs.\n")
    print("| step | ms | × floor |")
    print("| --- | ---: | ---: |")
    for name, ms in rows:
        print(f"| {name} | {ms:.1f} | {ms / floor:.0f} |")

    print("\nScaling (alignment + migration, 100 edits, entities every ~10 words):\n")
    print("| characters | ms | ms per 10,000 characters |")
    print("| ---: | ---: | ---: |")
    for size in (12_500, 50_000, 200_000):
        r = random.Random(size)
        o = make_text(size, r)
        n = edit(o, 100, r)
        a = annotations(o)
        ms = median_ms(lambda: migrate_annotations(a, o, n, 2, "0" * 64), max(3, args.runs // 2))
        print(f"| {size:,} | {ms:.1f} | {ms / size * 10_000:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(run())
