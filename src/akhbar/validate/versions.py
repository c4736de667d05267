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

__all__ = ["check_document", "check_version_file", "check_text_hygiene", "check_strings", "BIDI_CONTROLS",
           "MULTILINE_FIELDS"]

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# C0 controls but TAB and LF (CR has its own code), DEL and C1: never in a text version.
_TEXT_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# ---- the text-hygiene policy of string fields (docs/format.md, "Strings")
# Free-text fields may span lines: TAB and LF are allowed in them, no other control.
# Every other string (ids, labels, urls, dates, titles, names, keys) is one line: no control at all.
# Bidirectional embeddings, overrides and isolates are errors in every field, except in an entity's
# `text`, which copies the text (whose own check allows those the seed has). Lone surrogates are errors everywhere.
MULTILINE_FIELDS = {
    "annotations": (("entities", "*", "note"), ("entities", "*", "review"), ("sentences", "*", "review"),
                    ("entities", "*", "text")),
    "document": (("license", "text"), ("source", "note"), ("versions", "*", "note")),
}
_MIRRORS_TEXT = (("entities", "*", "text"),)
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# In a JSON text, a control or a surrogate can only come from an escape (raw C0 is a syntax error) or be a raw
# DEL, C1 or bidi character: a file with none of these needs no walk.
# In a document.yaml the canonical fast path read (no escapes, every string written as it is, no line break in
# one), any character the policy could object to: C0 controls but the line feed, DEL, C1, bidi, surrogates.
_YAML_SUSPECT = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_RAW_SUSPECT = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_JSON_SUSPECT = re.compile(r"\\[bfnrtu]|[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _shape(path: tuple) -> tuple:
    return tuple("*" if isinstance(t, int) else t for t in path)


def _pointer(path: tuple) -> str:
    return "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in path)


def _string_findings(value: str, path: tuple, kind: str, key: bool) -> Iterator[Finding]:
    shape = _shape(path)
    multiline = not key and shape in MULTILINE_FIELDS[kind]
    where = {"pointer": _pointer(path), "key": key}
    what = "key" if key else ("field" if multiline else "one-line field")
    m = _SURROGATE.search(value)
    if m:
        yield Finding("string-lone-surrogate", f"{what} holds a lone surrogate U+{ord(m.group()):04X} at character "
                      f"{m.start()}: not a character, it cannot be written as UTF-8", **where)
        return
    m = (_CONTROL_MULTILINE if multiline else _CONTROL_ONE_LINE).search(value)
    if m:
        allowed = " (TAB and LF are allowed here)" if multiline else ""
        yield Finding("string-control-character", f"{what} holds the control character U+{ord(m.group()):04X} at "
                      f"character {m.start()}{allowed}", **where)
    if key or shape not in _MIRRORS_TEXT:
        m = _BIDI.search(value)
        if m:
            yield Finding("string-bidi-control", f"{what} holds the bidirectional control U+{ord(m.group()):04X} "
                          f"{unicodedata.name(m.group())} at character {m.start()}", **where)


def check_strings(data, kind: str, text: str | None = None, canonical_yaml: str | None = None) -> list[Finding]:
    """The text-hygiene policy on every string (values and keys) of parsed `data` (`kind`: annotations or document).

    Iterative, so nesting depth costs nothing. With the JSON `text` given, a
    file with no escape and no raw DEL, C1 or bidi character is passed without
    a walk (the usual case); so is a document.yaml the fast path proved canonical
    (`canonical_yaml`, its text) with none of those characters.
    """
    if text is not None and "\\" not in text and not _RAW_SUSPECT.search(text):  # no escape, no raw suspect
        return []
    if text is not None and not _JSON_SUSPECT.search(text):
        return []
    if canonical_yaml is not None and not _YAML_SUSPECT.search(canonical_yaml):
        return []
    found: list[Finding] = []
    stack = [((), data)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if not item.isprintable() or _BIDI.search(item):  # isprintable: False for any control or surrogate
                found.extend(_string_findings(item, path, kind, False))
        elif isinstance(item, dict):
            for k, v in item.items():
                if isinstance(k, str) and (not k.isprintable() or _BIDI.search(k)):
                    found.extend(_string_findings(k, path + (k,), kind, True))
                stack.append((path + (k,), v))
        elif isinstance(item, list):
            stack.extend((path + (i,), v) for i, v in enumerate(item))
    found.sort(key=lambda f: f.pointer)
    return found


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


def check_text_hygiene(text: str, seed_text: str | bytes | None, skip_bom: bool = False) -> Iterator[Finding]:
    """NFC, LF, bidirectional controls (errors unless the seed has them) and other format characters (warnings).

    One finding per distinct character, at its first occurrence, with the count. `seed_text` may be the
    seed's raw bytes: they are decoded only when the text has a bidi control to look for (rarely).
    """
    if not unicodedata.is_normalized("NFC", text):
        yield Finding("text-not-nfc", "the text is not in Unicode NFC", offset=_first_not_nfc(text))
    cr = text.find("\r")
    if cr >= 0:
        yield Finding("line-ending-not-lf", f"{text.count(chr(13))} carriage return(s) in the text; use LF only", offset=cr)
    control = _TEXT_CONTROL.search(text)
    if control:
        yield Finding("text-control-character", f"the control character U+{ord(control.group()):04X} "
                      f"({len(_TEXT_CONTROL.findall(text))} control(s) in all)", offset=control.start())
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
    if isinstance(seed_text, bytes) and any(ch in BIDI_CONTROLS for ch in first):
        seed_text = seed_text.decode("utf-8", errors="replace")
    for ch, offset in first.items():
        name = unicodedata.name(ch, "unnamed")
        what = f"U+{ord(ch):04X} {name} ({count[ch]} time(s))"
        if ch in BIDI_CONTROLS and (seed_text is None or ch not in seed_text):
            yield Finding("text-bidi-control", f"bidirectional control character {what}, not in the seed", offset=offset)
        elif ch not in BIDI_CONTROLS:
            yield Finding("text-invisible-format", f"invisible format character {what}", offset=offset)
