"""Rejected suggestions, remembered so that `akhbar suggest` does not offer them again.

`akhbar reject` removes entities; what it removed is remembered in the
clone's `<repository>/.akhbar/rejected.jsonl` (ignored by git: review state
of one working copy, like an annotation tool's own database, not corpus
data), one JSON object per line:

    {"document": "...", "text_sha256": "...", "start": 0, "end": 5, "label": "GPE"}

Keyed on the text version's sha256: after `akhbar revise` the offsets count
another text, so a rejection of the old version no longer applies. The
parsing is pure and forgiving (a line that is not such an object is skipped
and counted, never a traceback); the file is read under the safe-open rule and
written atomically, never through a `.akhbar` that leads out of the repository.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..format.atomic import atomic_write
from ..format.model import Entity
from ..format.safe_open import FileRefused, check_inside, read_bytes_safely

__all__ = ["REJECTED_FILE", "rejection_lines", "parse_rejections", "rejected_spans", "remember_rejections"]

REJECTED_FILE = Path(".akhbar") / "rejected.jsonl"


def rejection_lines(doc_id: str, text_sha256: str, entities) -> str:
    """The lines remembering `entities` (rejected from document `doc_id`, text `text_sha256`)."""
    return "".join(json.dumps({"document": doc_id, "text_sha256": text_sha256, "start": e.start, "end": e.end,
                               "label": e.label}, ensure_ascii=False) + "\n" for e in entities)


def parse_rejections(data: bytes, doc_id: str, text_sha256: str) -> tuple[set[tuple[int, int, str]], int]:
    """The (start, end, label) rejected in document `doc_id` at text `text_sha256`, and the lines skipped as unreadable."""
    spans, bad = set(), 0
    for line in data.decode("utf-8", errors="replace").splitlines():
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            key = (item["document"], item["text_sha256"], item["start"], item["end"], item["label"])
        except (ValueError, KeyError, TypeError):
            bad += 1
            continue
        if key[0] == doc_id and key[1] == text_sha256 and type(key[2]) is int and type(key[3]) is int \
                and isinstance(key[4], str):
            spans.add(key[2:])
    return spans, bad


def rejected_spans(repo: Path, doc_id: str, text_sha256: str) -> tuple[set[tuple[int, int, str]], str | None]:
    """What was rejected before in this document's text, and a note when the file could not be used."""
    path = Path(repo) / REJECTED_FILE
    if not os.path.lexists(path):
        return set(), None
    try:
        spans, bad = parse_rejections(read_bytes_safely(path, repo), doc_id, text_sha256)
    except FileRefused as refused:
        return set(), f"{REJECTED_FILE}: {refused.code}: {refused.message}; earlier rejections not applied"
    return spans, (f"{REJECTED_FILE}: {bad} unreadable line(s) skipped" if bad else None)


def remember_rejections(repo: Path, doc_id: str, text_sha256: str, entities: tuple[Entity, ...]) -> None:
    """Add `entities` to the file (rewritten atomically; the caller holds the document's lock). Raises FileRefused
    when `.akhbar` or the file leads out of the repository or cannot be read."""
    if not entities:
        return
    path = Path(repo) / REJECTED_FILE
    path.parent.mkdir(exist_ok=True)
    check_inside(path.parent, repo, "the repository")
    old = read_bytes_safely(path, repo) if os.path.lexists(path) else b""
    if old and not old.endswith(b"\n"):
        old += b"\n"
    atomic_write(path, old + rejection_lines(doc_id, text_sha256, entities).encode("utf-8"))
