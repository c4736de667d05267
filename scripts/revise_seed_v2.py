"""Publish version 2 of the seed document: restore the space in «أبوبكرالبغدادي» (issue 6).

The seed writes the name «أبوبكر البغدادي» with a space in its second
paragraph and «أبوبكرالبغدادي» without one in its last. Version 2 is version 1
with exactly that one space inserted, made with `akhbar revise` so that the
annotations are carried across and the note says what changed.

    python scripts/revise_seed_v2.py                    # revise corpus/000-2a47d67380bc8a8f
    python scripts/revise_seed_v2.py --corpus DIR       # another copy of the corpus
    python scripts/revise_seed_v2.py --print-text       # only print the v2 text, write nothing

It refuses (exit 2, nothing written) when the document's newest version is
not version 1 or does not hold the unspaced name exactly once.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))  # run this checkout's akhbar

from akhbar.cli import main as akhbar  # noqa: E402
from akhbar.format.corpus import load_document, read_text  # noqa: E402

SEED_ID = "000-2a47d67380bc8a8f"
TYPO = "أبوبكرالبغدادي"
FIXED = "أبوبكر البغدادي"


def v2_text(v1: str) -> tuple[str, int]:
    """Version 1 with the one space inserted, and the offset of the name's first letter."""
    if v1.count(TYPO) != 1:
        raise SystemExit(f"expected «{TYPO}» exactly once in version 1, found it {v1.count(TYPO)} time(s)")
    at = v1.index(TYPO)
    return v1[:at] + FIXED + v1[at + len(TYPO):], at


def note(at: int) -> str:
    return (f"Restored the missing space in the name «{TYPO}» → «{FIXED}» (one space inserted at offset "
            f"{at + len('أبوبكر')}, in the last paragraph), as the article writes the name in its second paragraph.")


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus", help="corpus folder (default: the checkout's)")
    parser.add_argument("--date", help="version date, YYYY-MM-DD (default: today)")
    parser.add_argument("--print-text", action="store_true", help="print the v2 text and write nothing")
    args = parser.parse_args(argv)

    doc_dir = args.corpus / SEED_ID
    document = load_document(doc_dir)
    if document.current.version != 1:
        print(f"{doc_dir}: the newest version is {document.current.version}, not 1; nothing to do", file=sys.stderr)
        return 2
    text, at = v2_text(read_text(doc_dir, document.current))
    if args.print_text:
        sys.stdout.write(text)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        new_file = Path(tmp) / "text.v2.txt"
        new_file.write_bytes(text.encode("utf-8"))
        command = ["revise", SEED_ID, "--text", str(new_file), "--note", note(at), "--corpus", str(args.corpus)]
        if args.date:
            command += ["--date", args.date]
        return akhbar(command)


if __name__ == "__main__":
    sys.exit(run())
