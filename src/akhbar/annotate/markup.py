"""Inline markup of entities for a text editor: `[LABEL text]`, nested inside their parents.

    كتبت [PERS كوري شولمان] في [GPE الولايات المتحدة]
    [ORG الجيش [NORP الأمريكي]]

The syntax is chosen to survive right-to-left display and copy-paste:
ASCII brackets (which a bidi display may mirror but never changes in the
file), a Latin label that cannot be confused with Arabic text, and one space
after it. Three characters of the text are escaped with a backslash: `\\[`,
`\\]` and `\\\\`. Nothing else is changed: removing the markup gives the text
back exactly, newlines and all.

A markup file starts with one header line naming what it marks up:

    #akhbar-markup document=<id> text_version=<N> text_sha256=<hex>

Offsets are code points of the text, 0-based, end exclusive. Pure functions:
no file access here (the command in `akhbar.annotate.edit` reads and writes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "HEADER_PREFIX",
    "MarkupError",
    "MarkedSpan",
    "ParsedMarkup",
    "escape",
    "render_markup",
    "parse_markup",
    "header_line",
    "parse_header",
    "first_difference",
]

HEADER_PREFIX = "#akhbar-markup"
_HEADER = re.compile(r"#akhbar-markup document=(\S+) text_version=([1-9][0-9]*) text_sha256=([0-9a-f]{64})")
_OPEN = re.compile(r"\[([A-Z][A-Z_]*) ")
_ESCAPES = {"[": "\\[", "]": "\\]", "\\": "\\\\"}


class MarkupError(ValueError):
    """A markup file that cannot be read; `line` and `column` (1-based, in the markup) say where."""

    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass(frozen=True)
class MarkedSpan:
    """An entity read from markup: `text[start:end]`, its label, and the index of its parent span (or None)."""

    start: int
    end: int
    label: str
    parent: int | None


def escape(text: str) -> str:
    """`text` with `[`, `]` and `\\` escaped for markup."""
    if not any(c in text for c in "[]\\"):
        return text
    return "".join(_ESCAPES.get(c, c) for c in text)


def header_line(document: str, text_version: int, text_sha256: str) -> str:
    return f"{HEADER_PREFIX} document={document} text_version={text_version} text_sha256={text_sha256}"


def parse_header(line: str) -> tuple[str, int, str]:
    """`(document, text_version, text_sha256)` from a header line, or MarkupError at line 1."""
    m = _HEADER.fullmatch(line.rstrip("\n"))
    if not m:
        raise MarkupError(
            f"the first line must be the header `{HEADER_PREFIX} document=ID text_version=N text_sha256=HEX`",
            1, 1)
    return m.group(1), int(m.group(2)), m.group(3)


def render_markup(text: str, spans: list[tuple[int, int, str]]) -> str:
    """The markup of `text` with `spans` (start, end, label) marked; spans nest or are disjoint.

    Containing spans open before the spans they contain (longer first at the
    same start) and close after them, so the nesting of the markup is the
    nesting of the spans. Raises ValueError for partly overlapping spans.
    """
    ordered = sorted(spans, key=lambda s: (s[0], -s[1]))
    out: list[str] = []
    stack: list[int] = []  # ends of the open spans
    pos = 0
    for start, end, label in ordered:
        while stack and stack[-1] <= start:
            close = stack.pop()
            out.append(escape(text[pos:close]))
            out.append("]")
            pos = close
        if stack and end > stack[-1]:
            raise ValueError(f"span ({start}, {end}) {label} partly overlaps an enclosing span ending at {stack[-1]}")
        out.append(escape(text[pos:start]))
        out.append(f"[{label} ")
        pos = start
        stack.append(end)
    while stack:
        close = stack.pop()
        out.append(escape(text[pos:close]))
        out.append("]")
        pos = close
    out.append(escape(text[pos:]))
    return "".join(out)


def _position(markup: str, index: int, line_offset: int) -> tuple[int, int]:
    line = markup.count("\n", 0, index) + 1
    column = index - (markup.rfind("\n", 0, index) + 1) + 1
    return line + line_offset, column


@dataclass(frozen=True)
class ParsedMarkup:
    """What a markup holds: the plain text, the spans, and where each text character sits in the markup."""

    text: str
    spans: list[MarkedSpan]
    source_index: list[int]  # source_index[k]: index in the markup of text[k]

    def position(self, markup: str, offset: int, line_offset: int = 0) -> tuple[int, int]:
        """1-based (line, column) in the markup of text offset `offset` (the end of the markup past the text)."""
        index = self.source_index[offset] if offset < len(self.source_index) else len(markup)
        return _position(markup, index, line_offset)


def parse_markup(markup: str, labels: frozenset[str] | set[str], line_offset: int = 0) -> ParsedMarkup:
    """The plain text and the marked spans of `markup` (no header line).

    Spans are listed in the order their opening brackets appear; `parent` is
    the index of the innermost span open around one. MarkupError names the
    line and column (in the markup, plus `line_offset` lines) of: a `[` not
    followed by a known label and a space, an unknown label, a `]` with no
    open span, an empty span, or a span never closed.
    """
    text: list[str] = []
    where: list[int] = []
    length = 0
    spans: list[list] = []  # [start, end, label, parent]
    stack: list[tuple[int, int]] = []  # (span index, markup index of its "[")
    i, n = 0, len(markup)
    while i < n:
        c = markup[i]
        if c == "\\" and i + 1 < n and markup[i + 1] in "[]\\":
            text.append(markup[i + 1])
            where.append(i)
            length += 1
            i += 2
            continue
        if c == "[":
            m = _OPEN.match(markup, i)
            if not m:
                raise MarkupError("`[` must be followed by a label and a space, like `[GPE `; "
                                  "write `\\[` for a literal bracket", *_position(markup, i, line_offset))
            if m.group(1) not in labels:
                raise MarkupError(f"unknown label {m.group(1)!r}", *_position(markup, i + 1, line_offset))
            spans.append([length, None, m.group(1), stack[-1][0] if stack else None])
            stack.append((len(spans) - 1, i))
            i = m.end()
            continue
        if c == "]":
            if not stack:
                raise MarkupError("`]` closes no entity; write `\\]` for a literal bracket",
                                  *_position(markup, i, line_offset))
            index, _ = stack.pop()
            if length == spans[index][0]:
                raise MarkupError(f"empty {spans[index][2]} entity", *_position(markup, i, line_offset))
            spans[index][1] = length
            i += 1
            continue
        text.append(c)
        where.append(i)
        length += 1
        i += 1
    if stack:
        index, at = stack[-1]
        raise MarkupError(f"{spans[index][2]} entity opened here is never closed", *_position(markup, at, line_offset))
    return ParsedMarkup("".join(text), [MarkedSpan(s, e, label, parent) for s, e, label, parent in spans], where)


def first_difference(a: str, b: str) -> tuple[int, int, int] | None:
    """`(offset, line, column)` (line and column 1-based, in `b`) of the first character where `a` and `b` differ."""
    if a == b:
        return None
    k = next((j for j, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    line = b.count("\n", 0, k) + 1
    column = k - (b.rfind("\n", 0, k) + 1) + 1
    return k, line, column
