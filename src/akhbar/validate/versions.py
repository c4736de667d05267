"""Checks of document metadata, text versions and text hygiene: pure functions yielding `Finding`s.

Offsets in findings about a text are code-point offsets into that text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterator

from ..format.corpus import version_file_name
from ..format.model import is_share_alike
from .report import Finding

__all__ = ["check_document", "check_version_file", "check_text_hygiene", "BIDI_CONTROLS"]

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@lru_cache(maxsize=None)
def _format_chars() -> re.Pattern:
    """A character class of every code point of category Cf in this Python's Unicode database, as ranges."""
    ranges: list[list[int]] = []
    for c in range(0x110000):
        if unicodedata.category(chr(c)) == "Cf":
            if ranges and ranges[-1][1] == c - 1:
                ranges[-1][1] = c
            else:
                ranges.append([c, c])
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]")


def check_document(data: dict, folder_name: str, broken: set) -> Iterator[Finding]:
    """Id equal to the folder name; share-alike licences; versions numbered 1..N, each in its own `text.vN.txt`."""
    if "/id" not in broken and "" not in broken and data.get("id") != folder_name:
        yield Finding("document-id-mismatch", f"id {data.get('id')!r} differs from the folder name {folder_name!r}",
                      pointer="/id")
    lic = data.get("license")
    if "/license" not in broken and isinstance(lic, dict) and is_share_alike(lic.get("text_spdx")) \
            and not is_share_alike(lic.get("annotations")):
        yield Finding("license-share-alike", f"the text is under {lic['text_spdx']}, a share-alike licence, but "
                      f"the annotations are under {lic['annotations']}", pointer="/license/annotations")
    versions = data.get("versions")
    if "/versions" in broken or not isinstance(versions, list):
        return
    for i, v in enumerate(versions):
        if f"/versions/{i}" in broken:
            continue
        if v["version"] != i + 1:
            yield Finding("version-numbering", f"version {v['version']} is listed in position {i + 1}: "
                          f"versions are numbered 1..N oldest first", pointer=f"/versions/{i}/version")
        elif v["file"] != version_file_name(v["version"]):
            yield Finding("version-file-name", f"version {v['version']} is in {v['file']!r}, not "
                          f"{version_file_name(v['version'])!r}", pointer=f"/versions/{i}/file")


def check_version_file(i: int, version: dict, sha256: str, text: str | None) -> Iterator[Finding]:
    """A version file against its record: sha256 of the bytes and length in code points."""
    if sha256 != version["sha256"]:
        yield Finding("version-sha256-mismatch", f"{version['file']} has sha256 {sha256[:12]}…, recorded "
                      f"{version['sha256'][:12]}… (was the text edited in place?)", pointer=f"/versions/{i}/sha256")
    elif text is not None and len(text) != version["chars"]:
        yield Finding("version-length-mismatch", f"{version['file']} has {len(text)} code points, recorded "
                      f"{version['chars']}", pointer=f"/versions/{i}/chars")


def _first_not_nfc(text: str) -> int:
    for i in range(len(text)):
        if not unicodedata.is_normalized("NFC", text[max(0, i - 1): i + 1]):
            return max(0, i - 1)
    return 0


def check_text_hygiene(text: str, seed_text: str | None, skip_bom: bool = False) -> Iterator[Finding]:
    """NFC, LF, bidirectional controls (errors unless the seed has them) and other format characters (warnings).

    One finding per distinct character, at its first occurrence, with the count.
    """
    if not unicodedata.is_normalized("NFC", text):
        yield Finding("text-not-nfc", "the text is not in Unicode NFC", offset=_first_not_nfc(text))
    cr = text.find("\r")
    if cr >= 0:
        yield Finding("line-ending-not-lf", f"{text.count(chr(13))} carriage return(s) in the text; use LF only", offset=cr)
    if text.replace("\n", "").isprintable() or not _format_chars().search(text):
        return  # isprintable is False for every Cf character: a fast test for the usual clean text
    first: dict[str, int] = {}
    count: dict[str, int] = {}
    for m in _format_chars().finditer(text):
        ch = m.group()
        if skip_bom and m.start() == 0 and ch == "\ufeff":
            continue
        first.setdefault(ch, m.start())
        count[ch] = count.get(ch, 0) + 1
    for ch, offset in first.items():
        name = unicodedata.name(ch, "unnamed")
        what = f"U+{ord(ch):04X} {name} ({count[ch]} time(s))"
        if ch in BIDI_CONTROLS and (seed_text is None or ch not in seed_text):
            yield Finding("text-bidi-control", f"bidirectional control character {what}, not in the seed", offset=offset)
        elif ch not in BIDI_CONTROLS:
            yield Finding("text-invisible-format", f"invisible format character {what}", offset=offset)
