"""Ingest's normalisation (BOM, CRLF and CR to LF, NFC) with a map from old offsets to new ones.

Offsets are code points, end exclusive. NFC reorders and composes combining
marks only within a cluster (a starter and the marks after it), so each
cluster is normalised on its own and cluster boundaries map exactly. An
offset inside a cluster (between a letter and its marks) has no image: it
maps to None, and `widen` moves such a boundary out to the cluster's edge.
"""

from __future__ import annotations

import unicodedata

from ..format.text import Normalised, normalise_text

__all__ = ["normalise_with_map", "widen"]


def _clusters(text: str) -> list[int]:
    """Start offsets of the clusters of `text` (a starter and its following combining marks), and len(text)."""
    starts = [i for i, ch in enumerate(text) if i == 0 or not unicodedata.combining(ch)]
    starts.append(len(text))
    return starts


def _nfc_map(text: str) -> tuple[str, list]:
    """NFC of `text` and the map of its offsets (None inside a cluster); falls back to whitespace-separated
    chunks where clusters compose across their boundary (Hangul jamo)."""
    nfc = unicodedata.normalize("NFC", text)
    for boundaries in (_clusters(text), _whitespace_chunks(text)):
        mapping: list = [None] * (len(text) + 1)
        parts, pos = [], 0
        for a, b in zip(boundaries, boundaries[1:]):
            mapping[a] = pos
            piece = unicodedata.normalize("NFC", text[a:b])
            parts.append(piece)
            pos += len(piece)
        mapping[len(text)] = pos
        if "".join(parts) == nfc:
            return nfc, mapping
    mapping = [None] * (len(text) + 1)  # pragma: no cover - nothing composes across whitespace
    mapping[0], mapping[len(text)] = 0, len(nfc)
    return nfc, mapping


def _whitespace_chunks(text: str) -> list[int]:
    starts = [0] + [i for i, ch in enumerate(text) if ch.isspace() or (i and text[i - 1].isspace())]
    return sorted(set(starts)) + ([len(text)] if text else [0])


def normalise_with_map(text: str) -> tuple[Normalised, list | None]:
    """`normalise_text(text)` and a list mapping each offset 0..len(text) to the normalised text (None inside a
    cluster); the list is None when nothing changed (the identity)."""
    normalised = normalise_text(text)
    if normalised.text == text:
        return normalised, None
    # step 1: drop a BOM and the CR of each CRLF (lone CR becomes LF, same length)
    keep: list = [None] * (len(text) + 1)
    out, pos = [], 0
    for i, ch in enumerate(text):
        keep[i] = pos
        if (i == 0 and ch == "\ufeff") or (ch == "\r" and text[i + 1 : i + 2] == "\n"):
            continue
        out.append("\n" if ch == "\r" else ch)
        pos += 1
    keep[len(text)] = pos
    stage = "".join(out)
    nfc, nfc_map = _nfc_map(stage)
    assert nfc == normalised.text
    return normalised, [nfc_map[k] for k in keep]


def widen(mapping: list, start: int, end: int) -> tuple[int, int, bool]:
    """(new start, new end, widened?): a boundary inside a cluster moves out to the cluster's edge."""
    s, e = start, end
    while mapping[s] is None:
        s -= 1
    while mapping[e] is None:
        e += 1
    return mapping[s], mapping[e], (s, e) != (start, end)
