"""Reader of Akhbar's own jsonl export (`akhbar export --format jsonl`): one document per line.

The text, the sentences and their ids, the entities with their ids, kb
links and notes (nesting taken from their `parent` links), the annotators,
the title and the split come back as they were exported, so export jsonl →
import jsonl gives the same annotations.json (review marks are not imported:
an imported document must validate).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..spans import nesting_levels
from .model import Faults, SourceDocument, SourceEntity

__all__ = ["read_jsonl"]


def read_jsonl(path: Path, text: str, faults: Faults) -> tuple[list[SourceDocument], bool]:
    documents = []
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            body = record["text"]
            listed = record.get("sentences", [])
            sentences = [(s["start"], s["end"]) for s in listed]
            raw = record.get("entities", [])
            depth = nesting_levels(raw)
            entities = tuple(SourceEntity(e["start"], e["end"], e["label"], depth[e["id"]], n, e.get("kb"),
                                          e["id"], e.get("note")) for e in raw)
            annotators = tuple((a["id"], a["role"]) for a in record.get("annotators", []))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            faults.add("source-unreadable", path, n, f"not an Akhbar jsonl record: {exc}")
            continue
        documents.append(SourceDocument(path, n, record.get("id"), text=body, spans=tuple(sentences),
                                        entities=entities, title=record.get("title"), split=record.get("split"),
                                        span_ids=tuple(s.get("id") for s in listed), annotators=annotators))
    return documents, True
