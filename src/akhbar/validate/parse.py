"""Positions, strict decoding and JSON parsing with positions.

Every function here turns bad input into `Finding`s, never into an exception.
Positions are 1-based lines and columns counted in code points. The JSON
position index is built lazily, only for a file that has a problem, so that a
valid file costs little more than `json.loads`. YAML is in `yamlparse.py`.
"""

from __future__ import annotations

import bisect
import json
import math
import re
import threading
from typing import Any, Callable

from ..format.text import utf8_error_position
from .codes import MAX_DEPTH
from .report import Finding

__all__ = ["Locator", "decode", "line_endings", "parse_json", "pointer_join", "scan_json", "too_deep"]

def pointer_join(pointer: str, token) -> str:
    """`pointer` extended by one reference token (RFC 6901 escaping)."""
    token = str(token)
    if "~" in token or "/" in token:
        token = token.replace("~", "~0").replace("/", "~1")
    return f"{pointer}/{token}"


class Locator:
    """Line and column of a JSON pointer (or a character offset) in one file's text.

    `build` (called at most once, on first use) returns the maps pointer ->
    character offset for values and for keys; or the maps are given ready as
    (line, column) pairs (YAML).
    """

    def __init__(self, text: str, build: Callable[[str], tuple[dict, dict]] | None = None,
                 values: dict | None = None, keys: dict | None = None):
        self._text = text
        self._build = build
        self._values = values
        self._keys = keys
        self._line_starts: list[int] | None = None

    def line_column(self, offset: int) -> tuple[int, int]:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self._text)]
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def at(self, pointer: str | None, key: bool = False) -> tuple[int | None, int | None]:
        """Position of the value (or key) at `pointer`, or of its nearest located ancestor."""
        if pointer is None:
            return None, None
        if self._values is None:
            self._values, self._keys = self._build(self._text) if self._build else ({}, {})
        while True:
            found = (self._keys if key else self._values).get(pointer)
            if found is None and key:
                found = self._values.get(pointer)
            if found is not None:
                return self.line_column(found) if isinstance(found, int) else found
            if not pointer:
                return 1, 1
            pointer = pointer[: pointer.rfind("/")]
            key = False


def decode(raw: bytes) -> tuple[str | None, list[Finding]]:
    """Strict UTF-8 decode. A BOM or a bad byte is reported (the text is None for a bad byte)."""
    findings = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = utf8_error_position(raw, exc.start)
        return None, [Finding("encoding-not-utf8", f"invalid UTF-8 byte(s) {raw[exc.start:exc.end].hex(' ')} "
                              f"at byte {exc.start}", line=line, column=column)]
    if text.startswith("\ufeff"):
        findings.append(Finding("encoding-bom", "the file starts with a UTF-8 byte order mark (EF BB BF)", line=1, column=1))
    return text, findings


def line_endings(text: str, locator: Locator) -> list[Finding]:
    """One finding for the first CR of a text, with the count of all of them."""
    first = text.find("\r")
    if first < 0:
        return []
    line, column = locator.line_column(first)
    return [Finding("line-ending-not-lf", f"{text.count(chr(13))} carriage return(s) (CR or CRLF line endings); "
                    "use LF only", line=line, column=column)]


# ---------------------------------------------------------------- JSON

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_SCALAR = re.compile(r"-?Infinity|NaN|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null")


class _NonFinite(ValueError):
    pass


def _parse_constant(token: str):
    raise _NonFinite(token)


def _parse_float(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        raise _NonFinite(token)
    return value


def scan_json(text: str) -> tuple[dict, dict, list, list]:
    """Pointer -> offset maps of values and keys of a JSON text, plus duplicate-key and non-finite pointers.

    Iterative (no recursion on deep input); meant for text that `json.loads`
    accepted or rejected only for NaN/Infinity. On anything else it stops and
    returns what it found.
    """
    values: dict[str, int] = {}
    keys: dict[str, int] = {}
    duplicates: list[str] = []
    non_finite: list[str] = []
    stack: list[list] = []  # [kind, pointer, index or set of keys]

    def ws(i):
        return _WS.match(text, i).end()

    def read_key(i, frame):
        m = _STRING.match(text, i)
        name = json.loads(m.group())
        ptr = pointer_join(frame[1], name)
        if name in frame[2]:
            duplicates.append(ptr)
        frame[2].add(name)
        keys[ptr] = i
        i = ws(m.end())
        return ws(i + 1), ptr  # past ':'

    try:
        i, ptr = ws(0), ""
        while True:
            values[ptr] = i
            c = text[i]
            if c == "{" or c == "[":
                j = ws(i + 1)
                if text[j] in "}]":
                    i = j + 1
                elif c == "{":
                    stack.append(["o", ptr, set()])
                    i, ptr = read_key(j, stack[-1])
                    continue
                else:
                    stack.append(["a", ptr, 0])
                    i, ptr = j, ptr + "/0"
                    continue
            elif c == '"':
                i = _STRING.match(text, i).end()
            else:
                m = _SCALAR.match(text, i)
                if m.group() in ("NaN", "Infinity", "-Infinity") or (
                    m.group()[-1:].isdigit() and not math.isfinite(float(m.group()))
                ):
                    non_finite.append(ptr)
                i = m.end()
            while True:  # after a value: a comma continues the container, a bracket closes it
                i = ws(i)
                if not stack:
                    return values, keys, duplicates, non_finite
                frame = stack[-1]
                if text[i] == ",":
                    i = ws(i + 1)
                    if frame[0] == "a":
                        frame[2] += 1
                        ptr = f"{frame[1]}/{frame[2]}"
                    else:
                        i, ptr = read_key(i, frame)
                    break
                i += 1
                stack.pop()
    except (IndexError, AttributeError, ValueError):
        return values, keys, duplicates, non_finite


class _CountingFloat:
    """`parse_float` that counts the floats it parses (the schema needs to know there were some)."""

    def __init__(self):
        self.count = 0

    def __call__(self, token: str) -> float:
        self.count += 1
        return _parse_float(token)


_DECODERS = threading.local()


def _decoder() -> json.JSONDecoder:
    """One decoder per thread, made once: `json.loads` with arguments builds a decoder and its scanner per call."""
    decoder = getattr(_DECODERS, "decoder", None)
    if decoder is None:
        decoder = _DECODERS.decoder = json.JSONDecoder(parse_constant=_parse_constant, parse_float=_CountingFloat())
    return decoder


def _json_maps(text: str) -> tuple[dict, dict]:
    values, keys, _, _ = scan_json(text)
    return values, keys


def parse_json(text: str, canonical: Callable[[str, Any], bool] | None = None,
               floats: list | None = None) -> tuple[Any, list[Finding], Locator, bool]:
    """Parse a JSON text. Returns (data or None when unusable, findings, locator, is canonical).

    A number with a fraction part or an exponent is parsed as a float (2.0
    included), an integer as an int: the schema tells them apart. When
    `floats` is a list, one item is appended to it per float parsed.

    Data is None after a syntax error, a duplicate key, a non-finite number or
    nesting beyond the cap: each is reported once and nothing further is
    checked in the file, so one mistake never becomes a hundred problems.

    Duplicate keys are looked for only in a file that `canonical(text, data)`
    finds not canonical: a canonical text writes each key once,
    so the usual (canonical) file costs one plain `json.loads`.
    """
    locator = Locator(text, _json_maps)
    decoder = _decoder()
    try:
        decoder.parse_float.count = 0
        data = decoder.decode(text)
        if floats is not None:
            floats.extend([True] * decoder.parse_float.count)
    except _NonFinite:
        _, _, _, bad = scan_json(text)
        found = [Finding("json-non-finite", "NaN, Infinity or a number too large for a float is not a JSON number",
                         pointer=p) for p in bad]
        return None, found or [Finding("json-non-finite", "a non-finite number", pointer="")], locator, False
    except json.JSONDecodeError as exc:
        return None, [Finding("json-syntax", exc.msg, line=exc.lineno, column=exc.colno)], locator, False
    except RecursionError:
        return None, [Finding("nesting-too-deep", f"nesting deeper than {MAX_DEPTH} levels", line=1, column=1)], locator, False
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        return None, [Finding("json-syntax", str(exc).split("\n")[0], line=1, column=1)], locator, False
    if canonical is not None and canonical(text, data):
        return data, [], locator, True
    duplicate = []

    def pairs(items):
        obj = dict(items)
        if len(obj) != len(items):
            duplicate.append(True)
        return obj

    json.loads(text, object_pairs_hook=pairs)
    if duplicate:
        _, _, dups, _ = scan_json(text)
        return None, [Finding("json-duplicate-key", f"duplicate key {p.rsplit('/', 1)[-1]!r} (JSON keeps only the last one)",
                              pointer=p, key=True) for p in dups], locator, False
    return data, [], locator, False


def too_deep(value, limit: int = MAX_DEPTH) -> str | None:
    """The JSON pointer of the first container nested deeper than `limit`, or None (iterative)."""
    stack = [(value, 1, "")]
    while stack:
        item, depth, ptr = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return ptr
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            stack.extend((v, depth + 1, pointer_join(ptr, k)) for k, v in pairs)
    return None
