"""The validator's fast path for document.yaml: read a file already in canonical form, line by line.

Nearly every document.yaml of a corpus is in the canonical form the writer
makes (`format.canonical.dumps_document`: block style, two-space indentation,
sequences not indented below their key, no comments, one line per scalar).
`parse_canonical` reads exactly that layout with string operations, and only
accepts a file when it can prove, scalar by scalar, that the file is what the
writer would write for the data it holds, so that

    parse_canonical(text) is not None  =>  dumps_document(data) == text
                                            and yaml.safe_load(text) == data.

Anything it cannot prove (a double-quoted scalar, a comment, another
indentation, a scalar whose style it cannot decide, a duplicate key) returns
None, and the caller takes the full path (`yamlparse.parse_yaml`, then the
canonical comparison), which reports positions, duplicates and syntax. Both
claims are checked by Hypothesis tests (tests/test_validate_internals.py).

Why: parsing from YAML events and re-emitting the canonical form to compare
cost about 150 µs per document, a quarter of validating one; this reads a
canonical file in a fraction of that.

Which style the writer (libyaml's emitter, allow_unicode, unlimited width)
gives a string: plain when the string read as a plain scalar is a string
(`_plain_tag`) and no indicator forbids it; else single-quoted when it holds
only printable characters and no line break; else double-quoted. Only the
cases decided below with certainty are accepted.
"""

from __future__ import annotations

import re

from ..format.canonical import DOCUMENT_KEYS
from ..format.memo import cache_short
from .codes import MAX_DEPTH
from .parse import Locator
from .yamlparse import YamlResult, _STR_TAG, _TYPE_NAMES, _plain_scalar

__all__ = ["parse_canonical"]

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# Characters libyaml's emitter writes as they are in plain and single-quoted scalars, conservatively: printable
# in the Basic Multilingual Plane, no line break (\x85, \u2028, \u2029), no BOM, no no-break space.
_UNSAFE = re.compile(r"[^\x20-\x7e\xa1-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]")
_ALWAYS_INDICATOR = frozenset("#,[]{}&*!|>'\"%@`")  # as a first character, these forbid a plain scalar
_INT_TAG, _BOOL_TAG, _NULL_TAG = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null")


class _NotProven(Exception):
    """The fast path cannot prove the file canonical: the full path decides."""


def _plain_forbidden(value: str) -> bool:
    """The emitter certainly refuses `value` as a plain scalar in block context (False: not certain)."""
    first = value[0]
    return (first in _ALWAYS_INDICATOR or first == " " or value[-1] in " :"
            or (first in "-?:" and (len(value) == 1 or value[1] == " "))
            or value.startswith(("---", "...")) or ": " in value or " #" in value)


@cache_short(4096)  # keys, labels, splits, languages and licences repeat from document to document
def _scalar(token: str) -> tuple[object, str | None]:
    """(value, what YAML typed it as when not a string) of one canonical scalar token; raises `_NotProven`."""
    if token[0] == "'":
        inner = token[1:-1]
        if len(token) < 2 or token[-1] != "'" or "'" in inner.replace("''", ""):
            raise _NotProven
        value = inner.replace("''", "'")
        if _UNSAFE.search(value):
            raise _NotProven
        # single quotes are the writer's choice only where a plain scalar is not
        if value == "" or _plain_scalar(value)[1] != _STR_TAG or _plain_forbidden(value):
            return value, None
        raise _NotProven
    if token[0] == '"' or _plain_forbidden(token) or _UNSAFE.search(token):
        raise _NotProven
    value, tag = _plain_scalar(token)
    if tag == _STR_TAG:
        return value, None
    written = (type(value) is int and str(value) == token if tag == _INT_TAG
               else token in ("true", "false") if tag == _BOOL_TAG
               else token == "null" if tag == _NULL_TAG else False)
    if not written:
        raise _NotProven  # a float, a date, 0x1F, yes, ~: not what the writer writes
    return value, _TYPE_NAMES[tag]


class _Reader:
    """Recursive descent over the lines of a canonical text, recording positions as parse_yaml does."""

    def __init__(self, lines: list[str]):
        self.lines, self.i = lines, 0
        self.values: dict[str, tuple[int, int]] = {"": (1, 1)}
        self.keys: dict[str, tuple[int, int]] = {}
        self.implicit: dict[str, str] = {}

    def _value(self, token: str, pointer: str, column: int):
        self.values[pointer] = (self.i + 1, column + 1)
        value, typed = _leaf(token)
        if typed is not None:
            self.implicit[pointer] = typed
        return value, (self.i, pointer)

    def mapping(self, indent: int, pointer: str, first: str | None = None) -> tuple[dict, dict]:
        """(the mapping at `indent`, its template); `first` is the content of its first line when it follows `- `."""
        if indent > 2 * MAX_DEPTH:  # nested deeper than the format allows: the full parser reports it
            raise _NotProven
        out: dict = {}
        shape: dict = {}
        pad = " " * indent
        while True:
            if first is not None:
                content, first = first, None
            elif self.i < len(self.lines) and self.lines[self.i].startswith(pad):
                content = self.lines[self.i][indent:]
                if content[:1] == " " or content[:2] == "- ":
                    return out, shape
            else:
                return out, shape
            key, colon, rest = content.partition(":")
            if not colon or not _KEY.match(key) or _plain_scalar(key)[1] != _STR_TAG or key in out:
                raise _NotProven
            child = f"{pointer}/{key}"
            self.keys[child] = (self.i + 1, indent + 1)
            if rest:
                if rest[0] != " " or len(rest) < 2:
                    raise _NotProven
                out[key], shape[key] = self._value(rest[1:], child, indent + len(key) + 2)
                self.i += 1
                continue
            self.i += 1
            following = self.lines[self.i] if self.i < len(self.lines) else ""
            if following.startswith(pad + "- "):
                self.values[child] = (self.i + 1, indent + 1)  # where the block starts, as parse_yaml records it
                out[key], shape[key] = self.sequence(indent, child)
            elif following.startswith(pad + "  ") and following[indent + 2:indent + 3] not in ("", " "):
                self.values[child] = (self.i + 1, indent + 3)
                out[key], shape[key] = self.mapping(indent + 2, child)
            else:
                raise _NotProven  # the writer never leaves a value empty
            if not out[key]:
                raise _NotProven

    def sequence(self, indent: int, pointer: str) -> tuple[list, list]:
        """(the items of a sequence written at `indent` (below a mapping key: not indented), its template)."""
        out: list = []
        shape: list = []
        marker = " " * indent + "- "
        while self.i < len(self.lines) and self.lines[self.i].startswith(marker):
            content = self.lines[self.i][indent + 2:]
            child = f"{pointer}/{len(out)}"
            key, colon, rest = content.partition(":")
            if colon and _KEY.match(key) and (rest == "" or rest[0] == " "):
                self.values[child] = (self.i + 1, indent + 3)
                item, item_shape = self.mapping(indent + 2, child, first=content)
            elif content[:2] == "- " or not content:
                raise _NotProven  # a sequence in a sequence: left to the full path
            else:
                item, item_shape = self._value(content, child, indent + 2)
                self.i += 1
            out.append(item)
            shape.append(item_shape)
        return out, shape


# Every line split into its layout (indentation, `- `, `key:` and the space after it) and its value token, the
# way _Reader splits it. The layout of all lines, the "skeleton", is the same for most documents of a corpus.
_LAYOUT = r" *(?:- )?(?:[A-Za-z_][A-Za-z0-9_]*:(?: |$))?"
_VALUE = re.compile(rf"^(?:{_LAYOUT})(.*)$", re.M)  # findall: each line's value token
_LAYOUTS = re.compile(rf"^({_LAYOUT}).*$", re.M)  # findall: each line's layout, joined: the skeleton
_PLANS: dict[str, tuple] = {}  # skeleton -> (template, values, keys): what _Reader found for that layout
_MAX_PLANS = 64


def parse_canonical(text: str) -> YamlResult | None:
    """The data of a document.yaml text proven canonical (with positions), or None: take the full path.

    The first text of a layout is read by `_Reader`, which records where each
    line's value goes (a plan); a later text of the same layout (same
    indentation, dashes and keys on every line) only has its values read into
    that plan. _Reader's decisions depend only on the layout and on each value
    token, which `_leaf` judges exactly as `_Reader._value` does, so both ways
    give the same data or both refuse (tests/test_validate_internals.py).
    """
    if not text.endswith("\n") or "\r" in text or "\t" in text:
        return None
    body = text[:-1]
    skeleton = "\n".join(_LAYOUTS.findall(body))  # not re.sub with a template: that expands it in Python
    plan = _PLANS.get(skeleton)
    if plan is not None:
        template, values, keys = plan
        implicit: dict[str, str] = {}
        try:
            data = _fill(template, _VALUE.findall(body), implicit)
        except _NotProven:
            return None
        return YamlResult(data, [], Locator(text, values=values, keys=keys), implicit)
    reader = _Reader(body.split("\n"))
    try:
        data, template = reader.mapping(0, "")
    except _NotProven:
        return None
    if reader.i != len(reader.lines) or not data:
        return None
    known = [k for k in DOCUMENT_KEYS if k in data]
    if list(data)[:len(known)] != known:  # the writer puts the known keys first, in this order
        return None
    if len(_PLANS) >= _MAX_PLANS:
        _PLANS.clear()
    _PLANS[skeleton] = (template, reader.values, reader.keys)  # shared, read-only positions
    return YamlResult(data, [], Locator(text, values=reader.values, keys=reader.keys), reader.implicit)


_SPECIAL = frozenset(("[]", "{}", ""))  # the tokens `_leaf` does not hand to `_scalar`


def _leaf(token: str):
    """(value, typed) of one value token, as `_Reader._value` reads it; a fresh list or dict each time."""
    if token == "[]":
        return [], None
    if token == "{}":
        return {}, None
    if not token:
        raise _NotProven
    return _scalar(token)


def _fill(template, tokens: list[str], implicit: dict):
    """The data of a text whose layout has `template` (leaves: (line index, pointer)), from its value tokens."""
    kind = type(template)
    if kind is tuple:  # a leaf: most nodes
        token = tokens[template[0]]
        value, typed = _scalar(token) if token not in _SPECIAL else _leaf(token)
        if typed is not None:
            implicit[template[1]] = typed
        return value
    if kind is dict:
        return {key: _fill(item, tokens, implicit) for key, item in template.items()}
    return [_fill(item, tokens, implicit) for item in template]
