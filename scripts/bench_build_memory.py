#!/usr/bin/env python3
"""Where `akhbar build`'s memory goes: peak RSS by phase, against the floor of its imports (a benchmark, not a test).

For each size it writes the synthetic corpus of scripts/bench_build.py and,
in fresh processes:

- floor: the interpreter after `import akhbar.dataset.build` (pyarrow,
  `datasets` with pandas and numpy: what any build pays before reading a file);
- build: `akhbar build --corpus ... --out ... -q` (validation included), its
  peak RSS (`ru_maxrss`), and within one process the RSS and peak after each
  phase (imports, validate, read_corpus, data and card written, release files).

    python scripts/bench_build_memory.py [--sizes 1000 5000 20000] [--tmp DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from bench_build import write_synthetic_corpus  # noqa: E402

FLOOR = """
import resource
import akhbar.dataset.build
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

BUILD = """
import resource, sys
from akhbar.cli import main
status = main(["build", "--corpus", sys.argv[1], "--out", sys.argv[2], "-q"])
assert status == 0, status
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

PHASES = """
import sys
from pathlib import Path

def mib(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) // 1024

def phase(name):
    print(f"{name}\\t{mib('VmRSS')}\\t{mib('VmHWM')}", flush=True)

phase("interpreter")
import akhbar.dataset.build as b
from akhbar.dataset import publish
from akhbar.dataset.passes import read_agreements
from akhbar.format.corpus import repo_root
from akhbar.validate.gate import require_valid
phase("imports")
corpus, out = Path(sys.argv[1]), Path(sys.argv[2])
require_valid([corpus], corpus, jobs=1)
phase("validate")
c = b.read_corpus(corpus)
phase("read_corpus")
release = b.write_release_files
def wrapped(*args, **kwargs):
    phase("data and card written")
    return release(*args, **kwargs)
b.write_release_files = wrapped
out.mkdir(parents=True)
citation = b._read_citation(corpus)
b.build_into(c, out, b._version_of(citation), citation, agreements=read_agreements(repo_root(corpus)))
phase("release files written")
"""


def run(code: str, *args: str) -> str:
    env = {"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
    if out.returncode:
        raise SystemExit(f"benchmark process failed:\n{out.stderr}")
    return out.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--tmp", default=None)
    args = parser.parse_args()
    rows, phases = [], {}
    with tempfile.TemporaryDirectory(prefix="akhbar-bench-", dir=args.tmp) as tmp:
        for n in args.sizes:
            corpus = write_synthetic_corpus(Path(tmp) / str(n), n)
            floor = int(run(FLOOR)) / 1024
            peak = int(run(BUILD, str(corpus), str(Path(tmp) / f"out-{n}")).split()[-1]) / 1024
            phases[n] = [line.split("\t") for line in run(PHASES, str(corpus), str(Path(tmp) / f"phases-{n}")).splitlines()]
            rows.append((n, floor, peak))
            print(f"{n}: floor {floor:.0f} MiB, build {peak:.0f} MiB", file=sys.stderr)
    print("| documents | floor: imports (MiB) | build peak RSS (MiB) | ratio | above the floor (MiB) | per document (KiB) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, floor, peak in rows:
        print(f"| {n:,} | {floor:.0f} | {peak:.0f} | {peak / floor:.2f} | {peak - floor:.0f} | {1024 * (peak - floor) / n:.1f} |")
    print()
    print("| phase | " + " | ".join(f"{n:,}: RSS / peak (MiB)" for n in phases) + " |")
    print("| --- | " + " | ".join("---:" for _ in phases) + " |")
    for k, (name, *_rest) in enumerate(next(iter(phases.values()))):
        print(f"| {name} | " + " | ".join(f"{p[k][1]} / {p[k][2]}" for p in phases.values()) + " |")


if __name__ == "__main__":
    main()
