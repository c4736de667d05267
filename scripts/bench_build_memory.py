#!/usr/bin/env python3
"""Where `akhbar build`'s memory goes: peak RSS by phase, against the floor of its imports (a benchmark, not a test).

For each size it writes the synthetic corpus of scripts/bench_build.py and,
in fresh processes:

- floor: the interpreter after `import akhbar.dataset.build` (pyarrow,
  `datasets` with pandas and numpy: what any build pays before reading a file);
- build: `akhbar build --corpus ... --out ... -q` (validation included), its
  peak RSS (`ru_maxrss`) and CPU time (user + system: robust to a shared
  machine), and within one process the RSS and peak after each phase
  (imports, validate, scan, data and card written, release files);
- with `--baseline DIR` (a source tree of another version, e.g.
  `git archive main | tar -x -C DIR`), the same build with DIR/src, in the
  same run, and whether both wrote the same files.

    python scripts/bench_build_memory.py [--sizes 1000 5000 20000] [--tmp DIR] [--baseline DIR]
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
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
usage = resource.getrusage(resource.RUSAGE_SELF)
print(usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
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
source = b.scan_for_build(corpus)
phase("scan (first pass)")
release = b.write_release_files
def wrapped(*args, **kwargs):
    phase("data and card written")
    return release(*args, **kwargs)
b.write_release_files = wrapped
out.mkdir(parents=True)
citation = b._read_citation(corpus)
b.build_into(source, out, b._version_of(citation), citation, agreements=read_agreements(repo_root(corpus)))
phase("release files written")
"""


def run(code: str, *args: str, src: Path = REPO / "src") -> str:
    env = {"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
    if out.returncode:
        raise SystemExit(f"benchmark process failed:\n{out.stderr}")
    return out.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--tmp", default=None)
    parser.add_argument("--baseline", type=Path, default=None, help="a source tree to compare with (its src/)")
    args = parser.parse_args()
    rows, phases = [], {}
    with tempfile.TemporaryDirectory(prefix="akhbar-bench-", dir=args.tmp) as tmp:
        for n in args.sizes:
            corpus = write_synthetic_corpus(Path(tmp) / str(n), n)
            floor = int(run(FLOOR)) / 1024
            kib, seconds = run(BUILD, str(corpus), str(Path(tmp) / f"out-{n}")).split()[-2:]
            row = [n, floor, int(kib) / 1024, float(seconds)]
            if args.baseline:
                out = Path(tmp) / f"baseline-{n}"
                kib, seconds = run(BUILD, str(corpus), str(out), src=args.baseline / "src").split()[-2:]
                same = not _differ(Path(tmp) / f"out-{n}", out)
                row += [int(kib) / 1024, float(seconds), same]
            phases[n] = [line.split("\t") for line in run(PHASES, str(corpus), str(Path(tmp) / f"phases-{n}")).splitlines()]
            rows.append(row)
            print(f"{n}: {row}", file=sys.stderr)
            shutil.rmtree(Path(tmp) / str(n))
    head = "| documents | floor: imports (MiB) | build peak RSS (MiB) | ratio | above the floor, per document (KiB) | CPU s |"
    if args.baseline:
        head += " baseline peak (MiB) | ratio | CPU s | same files |"
    print(head)
    print("|" + " ---: |" * (head.count("|") - 1))
    for n, floor, peak, seconds, *base in rows:
        line = f"| {n:,} | {floor:.0f} | {peak:.0f} | {peak / floor:.2f} | {1024 * (peak - floor) / n:.1f} | {seconds:.1f} |"
        if base:
            line += f" {base[0]:.0f} | {base[0] / floor:.2f} | {base[1]:.1f} | {'yes' if base[2] else 'NO'} |"
        print(line)
    print()
    print("| phase | " + " | ".join(f"{n:,}: RSS / peak (MiB)" for n in phases) + " |")
    print("| --- | " + " | ".join("---:" for _ in phases) + " |")
    for k, (name, *_rest) in enumerate(next(iter(phases.values()))):
        print(f"| {name} | " + " | ".join(f"{p[k][1]} / {p[k][2]}" for p in phases.values()) + " |")


def _differ(a: Path, b: Path) -> list[str]:
    """Relative paths of the files that are not byte-identical in the two folders (or in one only)."""
    names = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    names |= {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    return sorted(n for n in names if not ((a / n).is_file() and (b / n).is_file()
                                           and filecmp.cmp(a / n, b / n, shallow=False)))


if __name__ == "__main__":
    main()
