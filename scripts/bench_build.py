#!/usr/bin/env python3
"""Benchmark of `akhbar build` on synthetic corpora (a benchmark, not a test).

For each size (documents) it writes a synthetic corpus in the real format
(words drawn from the seed article, nested entities, 80/10/10 splits) and
measures, in the same run:

- build time per document: `akhbar build` (read, rows, Parquet, card) against
  the naive route `datasets.Dataset.from_list(rows).to_parquet()` of the same
  rows (corpus reading and row making are counted on both sides);
- `load_dataset` of the four configs, cold (empty cache) and warm (cached),
  against `pyarrow.parquet.read_table` of the same files;
- published bytes: the Parquet bytes of each config against the same rows
  written by `Dataset.to_parquet()` with its defaults.

Targets at 20,000 documents, summed over the configs: cold <= 2 x read_table,
warm <= 0.4 x read_table, bytes <= 0.8 x naive.

    python scripts/bench_build.py                      # 1,000, 10,000, 20,000, 40,000 documents
    python scripts/bench_build.py --sizes 1000 --write # quick run, and record in docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import datasets  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from akhbar.dataset.build import DOCS_PER_SHARD, build  # noqa: E402
from akhbar.dataset.parquet import ROW_GROUP_BYTES, ZSTD_LEVEL  # noqa: E402
from akhbar.validate import require_valid  # noqa: E402
from akhbar.format.canonical import dumps_annotations, dumps_document  # noqa: E402
from akhbar.format.corpus import sha256_hex  # noqa: E402
from akhbar.dataset.features import CONFIGS  # noqa: E402
from akhbar.format.labels import label_names  # noqa: E402
from akhbar.dataset.rows import read_corpus, rows_of  # noqa: E402
from akhbar.spans import tokenize  # noqa: E402

SEED_TEXT = REPO / "seeds" / "000_2a47d67380bc8a8f.txt"
SECTION = "## Dataset build"
REPEAT = 5
TARGET_SIZE = 20_000


def vocabulary() -> list[str]:
    text = SEED_TEXT.read_text(encoding="utf-8")
    return sorted({text[s:e] for s, e in tokenize(text) if text[s:e].isalpha()})


def synthetic_document(rng: random.Random, words: list[str], labels: list[str], i: int):
    """(text, sentences, entities) of one synthetic article of ~2,000 characters."""
    parts, sentences, entities = [], [], []
    pos, n_ent = 0, 0

    def add_sentence(n_words: int, end: str, sep: str):
        nonlocal pos, n_ent
        chosen = [rng.choice(words) for _ in range(n_words)]
        start = pos
        offsets, cursor = [], start
        for w in chosen:
            offsets.append((cursor, cursor + len(w)))
            cursor += len(w) + 1
        body = " ".join(chosen) + end
        # entities: non-overlapping runs of 1-3 words, a nested one inside some of the longer runs
        k = 0
        while k < len(chosen):
            if rng.random() < 0.15:
                length = min(rng.choice((1, 1, 2, 3)), len(chosen) - k)
                s, e = offsets[k][0], offsets[k + length - 1][1]
                n_ent += 1
                parent = f"e{n_ent}"
                entities.append({"id": parent, "start": s, "end": e, "label": rng.choice(labels),
                                 "text": body[s - start : e - start]})
                if length > 1 and rng.random() < 0.4:
                    j = k + rng.randrange(length)
                    n_ent += 1
                    entities.append({"id": f"e{n_ent}", "start": offsets[j][0], "end": offsets[j][1],
                                     "label": rng.choice(labels),
                                     "text": body[offsets[j][0] - start : offsets[j][1] - start], "parent": parent})
                k += length + 1
            else:
                k += 1
        sentences.append({"id": f"s{len(sentences) + 1}", "start": start, "end": start + len(body)})
        parts.append(body + sep)
        pos += len(body) + len(sep)

    add_sentence(rng.randint(6, 10), "", "\n")
    for n in range(rng.randint(12, 18)):
        add_sentence(rng.randint(8, 24), ".", "\n" if n % 4 == 3 else " ")
    text = "".join(parts).rstrip() + "\n"
    return text, sentences, entities


def write_synthetic_corpus(root: Path, n: int, seed: int = 5) -> Path:
    rng = random.Random(seed)
    words, labels = vocabulary(), label_names()
    corpus, seeds = root / "corpus", root / "seeds"
    corpus.mkdir(parents=True)
    seeds.mkdir()
    shutil.copy(REPO / "CITATION.cff", root / "CITATION.cff")
    for i in range(n):
        doc_id = f"{i:06d}-synthetic"
        text, sentences, entities = synthetic_document(rng, words, labels, i)
        raw = text.encode("utf-8")
        sha = sha256_hex(raw)
        split = "train" if i % 10 < 8 else ("validation" if i % 10 == 8 else "test")
        meta = {"schema_version": "1.0", "id": doc_id, "title": text.split("\n", 1)[0], "language": "ar",
                "license": {"annotations": "CC-BY-4.0", "text": "Synthetic text for the benchmark."},
                "source": {"file": f"seeds/{doc_id}.txt", "sha256": sha, "publisher": None, "published": None,
                           "url": None, "note": "synthetic"},
                "split": split,
                "versions": [{"version": 1, "file": "text.v1.txt", "sha256": sha, "chars": len(text),
                              "date": "2026-11-29", "note": "synthetic"}]}
        ann = {"schema_version": "1.0", "document": doc_id, "text_version": 1, "text_sha256": sha,
               "annotators": [{"id": "bench", "role": "tool"}], "sentences": sentences, "entities": entities}
        folder = corpus / doc_id
        folder.mkdir()
        (folder / "document.yaml").write_text(dumps_document(meta), encoding="utf-8")
        (folder / "annotations.json").write_text(dumps_annotations(ann), encoding="utf-8")
        (folder / "text.v1.txt").write_bytes(raw)
        (seeds / f"{doc_id}.txt").write_bytes(raw)
    return corpus


def timed(fn):
    gc.collect()
    t = time.perf_counter()
    value = fn()
    return time.perf_counter() - t, value


def naive(corpus_dir: Path, out: Path) -> None:
    """The naive route: the same rows through `Dataset.from_list(rows).to_parquet()` per config and split."""
    corpus = read_corpus(corpus_dir)
    levels = max(corpus.max_depth + 1, 1)
    for split, docs in corpus.by_split().items():
        rows = rows_of(docs, levels)
        for config in CONFIGS:
            (out / config).mkdir(parents=True, exist_ok=True)
            datasets.Dataset.from_list(rows[config]).to_parquet(str(out / config / f"{split}.parquet"))


def warm_up(work: Path) -> dict:
    """Load a 10-document build once (so no timed load pays the one-time imports of `datasets`), then time its loads.

    What a load of 10 documents costs is the fixed cost of one `load_dataset` call (card, data file resolution,
    cache lookup, builder, split objects): {config: {"cold": s, "warm": s}}, best of REPEAT.
    """
    folder = work / "warm-up"
    corpus = write_synthetic_corpus(folder, 10)
    build(corpus, folder / "dataset", validate=False)
    for config in CONFIGS:
        datasets.load_dataset(str(folder / "dataset"), config, cache_dir=str(folder / "hf"))
    return {config: load_times(folder / "dataset", config, folder / f"hf-{config}") for config in CONFIGS}


def settle() -> None:
    """Not timed: collect garbage and flush dirty pages, so a timing does not pay for the writes of the one before."""
    gc.collect()
    if hasattr(os, "sync"):
        os.sync()


def load_times(dataset: Path, config: str, cache: Path, files: list[Path] | None = None) -> dict:
    """Best of REPEAT rounds, interleaved so a burst of load on the shared machine hits every measure alike.

    A round: `read_table` of the files (when given); `load_dataset` into a fresh cache folder (cold); the same
    call again on that filled cache (warm); then the folder is removed.
    """
    best = {"cold": float("inf"), "warm": float("inf")} | ({"read": float("inf")} if files is not None else {})
    for k in range(REPEAT):
        folder = cache.with_name(f"{cache.name}-{k}")
        if files is not None:
            settle()
            best["read"] = min(best["read"], timed(lambda: [pq.read_table(f) for f in files])[0])
        settle()
        best["cold"] = min(best["cold"], timed(lambda: datasets.load_dataset(str(dataset), config, cache_dir=str(folder)))[0])
        settle()
        best["warm"] = min(best["warm"], timed(lambda: datasets.load_dataset(str(dataset), config, cache_dir=str(folder)))[0])
        shutil.rmtree(folder, ignore_errors=True)
    return best


def files_of(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.parquet"))


def measure(n: int, validate: bool, work: Path, fixed: dict) -> dict:
    root = work / f"n{n}"
    t_gen, corpus = timed(lambda: write_synthetic_corpus(root, n))
    print(f"[{n}] synthetic corpus written in {t_gen:.1f} s", file=sys.stderr)
    out, naive_out = root / "dataset", root / "naive"
    # Validation is timed on its own: it is the validator's cost, not the build's, and would hide the comparison.
    t_validate = timed(lambda: require_valid([corpus], corpus))[0] if validate else None
    t_build, built = timed(lambda: build(corpus, out, validate=False))
    t_naive, _ = timed(lambda: naive(corpus, naive_out))
    print(f"[{n}] build {t_build:.1f} s, naive {t_naive:.1f} s", file=sys.stderr)
    r = {"n": n, "validate_s": t_validate, "build_s": t_build, "naive_s": t_naive, "configs": {}}
    for config in CONFIGS:
        files = files_of(out / "data" / config)
        t = load_times(out, config, root / f"hf-cache-{config}", files)
        rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
        ours = sum(f.stat().st_size for f in files)
        theirs = sum(f.stat().st_size for f in files_of(naive_out / config))
        r["configs"][config] = {**t, "bytes": ours, "naive_bytes": theirs, "files": len(files), "rows": rows,
                                "arrow_bytes": sum(built.counts.nbytes[config].values()),
                                "fixed_cold": fixed[config]["cold"], "fixed_warm": fixed[config]["warm"]}
        print(f"[{n}] {config}: read_table {t['read']:.3f} s, cold {t['cold']:.3f} s, warm {t['warm']:.3f} s, "
              f"{ours / 1e6:.2f} MB vs naive {theirs / 1e6:.2f} MB", file=sys.stderr)
    r["card_yaml"] = (out / "README.md").read_text(encoding="utf-8").split("---\n", 2)[1]
    shutil.rmtree(root, ignore_errors=True)
    return r


def lever_costs(work: Path, card_yaml: str) -> dict:
    """What the layout choices we control cost `load_dataset`, in the same run.

    - one more data file: a 400-document corpus built as 3 files per config, then as 40 (10 documents per
      file); the `entities` loads of both, difference per extra file;
    - the card: `yaml.safe_load` of its front matter (as `huggingface_hub` parses it on every call), whole and
      without `dataset_info`.
    """
    import yaml

    folder = work / "levers"
    corpus = write_synthetic_corpus(folder, 400)
    few, many = folder / "few", folder / "many"
    build(corpus, few, validate=False, docs_per_shard=400)
    build(corpus, many, validate=False, docs_per_shard=10)
    n_few, n_many = (len(files_of(d / "data" / "entities")) for d in (few, many))
    t_few = load_times(few, "entities", folder / "hf-few")
    t_many = load_times(many, "entities", folder / "hf-many")
    without_info = yaml.safe_dump({k: v for k, v in yaml.safe_load(card_yaml).items() if k != "dataset_info"},
                                  allow_unicode=True, sort_keys=False, width=1 << 20)

    def parse_s(text: str) -> float:
        return min(timed(lambda: yaml.safe_load(text))[0] for _ in range(20))

    shutil.rmtree(folder, ignore_errors=True)
    return {"file_cold": (t_many["cold"] - t_few["cold"]) / (n_many - n_few),
            "file_warm": (t_many["warm"] - t_few["warm"]) / (n_many - n_few),
            "yaml": parse_s(card_yaml), "yaml_without_info": parse_s(without_info)}


def _ratio(result: dict, kind: str) -> float:
    """`kind` load time over read_table time, both summed over the configs of one size."""
    c = result["configs"].values()
    return sum(x[kind] for x in c) / sum(x["read"] for x in c)


def report(results: list[dict], validate: bool, levers: dict) -> str:
    lines = [SECTION, "",
             f"`python scripts/bench_build.py --sizes {','.join(str(r['n']) for r in results)}` on "
             f"{platform.machine()} with {os.cpu_count()} cores (shared), Python {platform.python_version()}, "
             f"datasets {datasets.__version__}, pyarrow {pq.__name__ and __import__('pyarrow').__version__}. "
             "Synthetic corpora (~2,000 characters, ~15 sentences and ~40 entities per document, a fifth of them "
             "nested). Load times and bytes are summed over the four configs; times are the best of "
             f"{REPEAT} rounds after one warm-up load; a round reads the files, loads into a fresh cache folder (cold: an "
             "empty cache folder, not a fresh process), loads again (warm), then removes the cache; dirty pages are "
             "flushed (untimed) before each timing, so no timing pays for the writes of the one before.",
             "The build is timed without its validation step, which is timed on its own (validate ms/doc)"
             + (" and was skipped in this run (`--skip-validation`)." if not validate else "."), "",
             "| documents | validate ms/doc | build ms/doc | naive ms/doc | build / naive | read_table s | cold s | warm s "
             "| cold / read | warm / read | MB | naive MB | bytes / naive |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        c = r["configs"].values()
        read, cold, warm = (sum(x[k] for x in c) for k in ("read", "cold", "warm"))
        ours, theirs = sum(x["bytes"] for x in c), sum(x["naive_bytes"] for x in c)
        val = "skipped" if r["validate_s"] is None else f"{1000 * r['validate_s'] / r['n']:.2f}"
        lines.append(f"| {r['n']:,} | {val} | {1000 * r['build_s'] / r['n']:.2f} | {1000 * r['naive_s'] / r['n']:.2f} "
                     f"| {r['build_s'] / r['naive_s']:.2f} | {read:.2f} | {cold:.2f} | {warm:.2f} "
                     f"| {cold / read:.2f} | {warm / read:.2f} | {ours / 1e6:.1f} | {theirs / 1e6:.1f} "
                     f"| {ours / theirs:.2f} |")
    # The verdict is at the issue's size (20,000 documents) when it was measured; larger sizes show the trend.
    last = next((r for r in results if r["n"] == TARGET_SIZE), results[-1])
    c = last["configs"].values()
    read, cold, warm = (sum(x[k] for x in c) for k in ("read", "cold", "warm"))
    size = sum(x["bytes"] for x in c) / sum(x["naive_bytes"] for x in c)
    checks = [("cold / read_table", cold / read, 2.0), ("warm / read_table", warm / read, 0.4),
              ("bytes / naive", size, 0.8)]
    lines += ["", f"Targets at {last['n']:,} documents: " + "; ".join(
        f"{name} {value:.2f} {'<=' if value <= limit else '>'} {limit} ({'met' if value <= limit else 'NOT met'})"
        for name, value, limit in checks) + "."]
    fc, fw = (sum(x[k] for x in c) for k in ("fixed_cold", "fixed_warm"))
    cache_write = (cold - read - fc) / read
    lines += ["", f"Of the 2x budget of a cold load, decoding the Parquet takes 1x and `datasets` writing its Arrow cache "
              f"{cache_write:.2f}x, which leaves {1 - cache_write:.2f}x for the fixed cost of the call; that cost takes "
              f"{fc / read:.2f}x here. Of the 0.4x budget of a warm load, the fixed cost alone takes {fw / read:.2f}x. "
              "Neither part depends on the files (the measured levers are below), and files that are slower to "
              "decode would improve both ratios while slowing every load, so the files were not changed for these "
              "targets: where they are missed at this size, it is by the fixed cost of `datasets` (and, for a cold "
              "load, its cache write), not by the files."]
    bigger = [r for r in results if r["n"] > last["n"]]
    if bigger:
        lines += ["", "Larger corpora amortise the fixed cost: " + "; ".join(
            f"at {r['n']:,} documents cold / read_table is {_ratio(r, 'cold'):.2f} and warm / read_table "
            f"{_ratio(r, 'warm'):.2f}" for r in bigger) + "."]
    lines += ["", "How the files are written (src/akhbar/dataset/parquet.py): zstd level "
              f"{ZSTD_LEVEL}; dictionary encoding for every column except those unique per row (text, title, "
              "hashes); DELTA_BINARY_PACKED for offsets (they rise within a list); int32 offsets; row groups of "
              f"~{ROW_GROUP_BYTES >> 20} MB of Arrow data; {DOCS_PER_SHARD:,} documents per file, so a split of a "
              "large corpus is several files that stream and load in parallel. The naive route is "
              "`Dataset.from_list(rows).to_parquet()` with its defaults (snappy, int64, dictionary everywhere)."]
    fixed_cold, fixed_warm = (sum(x[k] for x in c) for k in ("fixed_cold", "fixed_warm"))
    arrow = sum(x["arrow_bytes"] for x in c)
    rest = cold - read - fixed_cold
    lines += ["", f"Where the loads spend their time at {last['n']:,} documents (sums over the configs, same run). "
              f"The fixed cost of a `load_dataset` call, measured as the load of a 10-document build, is "
              f"{1000 * fixed_cold / 4:.0f} ms cold and {1000 * fixed_warm / 4:.0f} ms warm per call on average "
              f"({fixed_cold:.2f} s and {fixed_warm:.2f} s for the four configs): parsing the card's YAML with "
              "PyYAML's pure-Python loader, hashing the builder configs and `dataset_info`, resolving the data files, "
              "locking and checking the cache, building one `Dataset` per split. "
              f"A cold load decodes the same Parquet as `read_table` ({read:.2f} s), pays the fixed cost "
              f"({fixed_cold:.2f} s), and the rest ({rest:.2f} s) is mostly `datasets` writing its Arrow cache: "
              f"{arrow / 1e6:.0f} MB of Arrow data (the features' own types: ClassLabel is int64) in record batches "
              "of 1,000 rows through a Python file object, a cost set by the row count and the features, not by "
              f"the Parquet files. Without the fixed cost, cold / read_table is {(cold - fixed_cold) / read:.2f} and "
              f"warm / read_table {(warm - fixed_warm) / read:.2f}; a warm load beyond its fixed cost "
              "memory-maps the cached Arrow stream, whose batches are read one by one."]
    files = sum(x["files"] for x in c)
    lines += ["", "What our layout can change, measured in the same run: one more data file costs "
              f"{1000 * levers['file_cold']:.1f} ms per cold load and {1000 * levers['file_warm']:.2f} ms per warm "
              f"load (a 400-document corpus as 3 files per config, then as 40), so even one file per split instead of "
              f"the {files} files of this build would save about {1000 * levers['file_cold'] * (files - 12):.0f} ms cold "
              f"and {1000 * levers['file_warm'] * (files - 12):.0f} ms warm over the four configs. Parsing the card's "
              f"front matter takes {1000 * levers['yaml']:.1f} ms per call, and {1000 * levers['yaml_without_info']:.1f} ms "
              "without `dataset_info` (the features and split sizes the issue requires the card to declare). Row groups do not "
              "matter to the cold load beyond the decode itself: `datasets` reads a row group per batch and writes "
              "its cache in 1,000-row batches whatever their size."]
    lines += ["", f"Per config at {last['n']:,} documents (fixed: the same call on a 10-document build):", "",
              "| config | rows | files | read_table s | cold s | warm s | fixed cold s | fixed warm s | Arrow MB "
              "| MB | naive MB |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for config, x in last["configs"].items():
        lines.append(f"| {config} | {x['rows']:,} | {x['files']} | {x['read']:.3f} | {x['cold']:.3f} | {x['warm']:.3f} "
                     f"| {x['fixed_cold']:.3f} | {x['fixed_warm']:.3f} | {x['arrow_bytes'] / 1e6:.0f} "
                     f"| {x['bytes'] / 1e6:.2f} | {x['naive_bytes'] / 1e6:.2f} |")
    return "\n".join(lines) + "\n"


def record(section: str, path: Path) -> None:
    """Replace (or append) the `## Dataset build` section of docs/benchmarks.md."""
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _m: section + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="1000,10000,20000,40000", help="comma-separated corpus sizes in documents")
    p.add_argument("--skip-validation", action="store_true", help="time the build without validating first")
    p.add_argument("--write", action="store_true", help="record the figures in docs/benchmarks.md")
    p.add_argument("--json", metavar="FILE", help="also save the raw figures as JSON")
    args = p.parse_args(argv)
    datasets.disable_progress_bars()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="akhbar-bench-") as tmp:
        fixed = warm_up(Path(tmp))
        results = [measure(n, not args.skip_validation, Path(tmp), fixed) for n in sizes]
        levers = lever_costs(Path(tmp), next((r for r in results if r["n"] == TARGET_SIZE), results[-1])["card_yaml"])
    section = report(results, not args.skip_validation, levers)
    print(section)
    if args.json:
        Path(args.json).write_text(json.dumps({"results": results, "levers": levers}, indent=1), encoding="utf-8")
    if args.write:
        record(section, REPO / "docs" / "benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
