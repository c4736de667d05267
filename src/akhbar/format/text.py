"""Texts as the format holds them: strict UTF-8 reading and the one normalisation ingest and revise apply.

A text is only ever changed by `normalise_text`, and what it changed is
recorded in the version's note: strip a UTF-8 BOM, turn CRLF and lone CR into
LF, compose to Unicode NFC. Nothing else: no trimming, no whitespace or
letter-form changes. Positions are 1-based lines and columns counted in code
points.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import NotFoundError, UsageError

__all__ = ["Normalised", "normalise_text", "utf8_error_position", "decode_utf8", "read_utf8", "escape_controls"]


# C0 and C1 controls, DEL, bidi embeddings/overrides/isolates and marks, and lone surrogates:
# none of them may reach a terminal or a CI log raw (an ESC sequence, a fake `::error` line, reordered text).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def escape_controls(value: str) -> str:
    """`value` safe to print on one line: every control, bidi control or lone surrogate as `\\uXXXX` (newline as `\\n`)."""
    def one(m):
        c = m.group()
        return {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(c) or f"\\u{ord(c):04x}"
    return _UNSAFE.sub(one, value)


@dataclass(frozen=True)
class Normalised:
    """A normalised text and what normalisation did to it."""

    text: str
    bom_removed: bool
    crlf: int
    lone_cr: int
    nfc_changed: bool

    def note(self) -> str:
        """One sentence for the version note saying exactly what was changed."""
        done = []
        if self.bom_removed:
            done.append("removed a UTF-8 byte order mark")
        if self.crlf:
            done.append(f"converted {self.crlf} CRLF line ending(s) to LF")
        if self.lone_cr:
            done.append(f"converted {self.lone_cr} CR line ending(s) to LF")
        if self.nfc_changed:
            done.append("composed the text to Unicode NFC")
        if not done:
            return "no normalisation was needed (UTF-8 without BOM, NFC, LF)"
        return "; ".join(done)


def normalise_text(text: str) -> Normalised:
    """Apply the normalisation (BOM, line endings, NFC) and count what changed. Pure."""
    bom = text.startswith("\ufeff")
    if bom:
        text = text[1:]
    crlf = text.count("\r\n")
    text = text.replace("\r\n", "\n")
    lone_cr = text.count("\r")
    text = text.replace("\r", "\n")
    nfc = unicodedata.normalize("NFC", text)
    return Normalised(nfc, bom, crlf, lone_cr, nfc != text)


def utf8_error_position(data: bytes, start: int) -> tuple[int, int]:
    """The 1-based line and column (in code points) of byte offset `start`, the first bad byte of `data`."""
    good = data[:start]
    line = good.count(b"\n") + 1
    column = len(good[good.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
    return line, column


def decode_utf8(data: bytes, name: str) -> str:
    """Decode strictly, or raise a UsageError naming the byte offset, line and column of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = utf8_error_position(data, exc.start)
        bad = data[exc.start : exc.end].hex(" ")
        raise UsageError(
            f"{name}: not UTF-8: invalid byte(s) {bad} at byte {exc.start} "
            f"(line {line}, column {column}); re-save the file as UTF-8"
        ) from None


def read_utf8(path: Path, what: str = "file") -> str:
    """The text of a file decoded strictly (NotFoundError when missing, UsageError naming a bad byte).

    Read through the safe-open rule: a FIFO, a device, a folder or a file over
    the size cap is refused (FileRefused), never read.
    """
    from .safe_open import FileRefused, read_bytes_safely  # safe_open prints names through this module

    try:
        raw = read_bytes_safely(path)
    except FileRefused as refused:
        if refused.code == "file-missing":
            raise NotFoundError(f"{path}: no such {what}") from None
        raise
    return decode_utf8(raw, str(path))
