"""The one canonical writer of the corpus files: `dumps_annotations` and `dumps_document`.

Every writer of `annotations.json` and `document.yaml` (ingest, revise,
`akhbar fmt`, the corpus's `write_*`) goes through these two functions, and
the validator compares every file with their output (a `not-canonical`
warning). Because that comparison runs on every document, `canonical_annotations`
and `canonical_document` compute the same texts with fewer Python calls and
fall back to the writers for anything unusual; tests/test_validate_internals.py
checks the equality on generated data.
"""

from __future__ import annotations

import json
import re

import yaml

from .memo import cache_short
from .model import ENTITY_KEYS, SENTENCE_KEYS

__all__ = ["HEADER_KEYS", "DOCUMENT_KEYS", "ANNOTATOR_KEYS", "dumps_annotations", "dumps_document",
           "canonical_annotations", "canonical_document", "emit_like_safe_dump", "is_canonical_annotations"]

# Canonical key orders: known keys in this order, unknown ones after them (kept, never dropped).
HEADER_KEYS = ("schema_version", "document", "text_version", "text_sha256")
DOCUMENT_KEYS = ("schema_version", "id", "title", "language", "license", "source", "split", "versions")
ANNOTATOR_KEYS = ("id", "role")

try:  # the C dumper is ~10x faster; fall back where libyaml is absent
    _DUMPER = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _DUMPER = yaml.SafeDumper

# ---------------------------------------------------------------- the writers

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))  # one encoder, not one per call


def _json(value) -> str:
    return _ENCODER.encode(value)


def _ordered(item: dict, keys: tuple[str, ...]) -> dict:
    """`item` with known keys in canonical order, unknown ones after them (kept, not dropped)."""
    out = {k: item[k] for k in keys if k in item}
    out.update((k, v) for k, v in item.items() if k not in out)
    return out


def _list_block(name: str, items: list, keys: tuple[str, ...] | None, last: bool) -> list[str]:
    tail = "" if last else ","
    if not items:
        return [f"  {_json(name)}: []{tail}"]
    lines = [f"  {_json(name)}: ["]
    for i, item in enumerate(items):
        obj = _ordered(item, keys) if keys and isinstance(item, dict) else item
        lines.append(f"    {_json(obj)}{',' if i < len(items) - 1 else ''}")
    lines.append(f"  ]{tail}")
    return lines


def dumps_annotations(data: dict) -> str:
    """The canonical JSON text of an annotations dict.

    Stable key order, one annotator, sentence or entity per line, UTF-8
    unescaped, LF, final newline: a git diff shows one line per changed
    annotation.
    """
    lines = ["{"]
    for key in HEADER_KEYS:
        if key in data:
            lines.append(f"  {_json(key)}: {_json(data[key])},")
    extra = [k for k in data if k not in HEADER_KEYS and k not in ("annotators", "sentences", "entities")]
    for key in extra:  # unknown top-level keys are kept so `fmt` never loses data
        lines.append(f"  {_json(key)}: {_json(data[key])},")
    lines += _list_block("annotators", list(data.get("annotators", [])), ANNOTATOR_KEYS, last=False)
    lines += _list_block("sentences", list(data.get("sentences", [])), SENTENCE_KEYS, last=False)
    lines += _list_block("entities", list(data.get("entities", [])), ENTITY_KEYS, last=True)
    lines.append("}")
    return "\n".join(lines) + "\n"


def dumps_document(data: dict) -> str:
    """The canonical YAML text of a document metadata dict (dates stay quoted strings)."""
    ordered = _ordered(data, DOCUMENT_KEYS)
    return yaml.dump(
        ordered,
        Dumper=_DUMPER,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1 << 30,  # never fold a long Arabic title or note across lines
    )



# ---------------------------------------------------------------- the validator's fast path


_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
_LISTS = (("annotators", ANNOTATOR_KEYS), ("sentences", SENTENCE_KEYS), ("entities", ENTITY_KEYS))
# Items joined by ",\0": a NUL never appears raw in JSON output (control characters are escaped), and
# a separator between two items is the only one followed by "{" in a list of flat objects.
_NUL_JOINED = json.JSONEncoder(ensure_ascii=False, separators=(",\0", ": "))


class _Unusual(Exception):
    """Data the fast path does not handle; the writer itself decides."""


@cache_short(1024)  # key tuples of items: a hostile file's long keys are not kept
def _in_canonical_order(keys: tuple, order: tuple) -> bool:
    return keys == tuple(k for k in order if k in keys) + tuple(k for k in keys if k not in order)


def _fast_list_block(name: str, items, order: tuple, last: bool) -> str:
    tail = "" if last else ","
    if type(items) is not list:
        raise _Unusual
    if not items:
        return f'  "{name}": []{tail}'
    # per distinct key order, not per item (a file's items mostly share one or two), in C loops
    if set(map(type, items)) != {dict} or not all(_in_canonical_order(keys, order) for keys in set(map(tuple, items))):
        raise _Unusual
    body = _NUL_JOINED.encode(items)[1:-1]
    if body.count(",\0{") != len(items) - 1:  # an object nested inside an item
        raise _Unusual
    return f'  "{name}": [\n    ' + body.replace(",\0{", ",\n    {").replace(",\0", ", ") + f"\n  ]{tail}"


def canonical_annotations(data) -> str:
    """`dumps_annotations(data)`: one JSON encoding per list instead of one per annotation."""
    try:
        if type(data) is not dict:
            raise _Unusual
        lines = ["{"]
        lines += [f'  "{key}": {_json(data[key])},' for key in HEADER_KEYS if key in data]  # plain ASCII keys
        lines += [f"  {_json(key)}: {_json(value)}," for key, value in data.items()
                  if key not in HEADER_KEYS and key not in ("annotators", "sentences", "entities")]
        lines += [_fast_list_block(name, data.get(name, []), order, name == "entities") for name, order in _LISTS]
        lines.append("}")
        return "\n".join(lines) + "\n"
    except _Unusual:
        return dumps_annotations(data)


def canonical_document(data: dict) -> str:
    """`dumps_document(data)`, through the C emitter directly when the data allows it."""
    try:
        return emit_like_safe_dump(_ordered(data, DOCUMENT_KEYS))
    except (TypeError, KeyError):
        return dumps_document(data)


_TAGS = {str: _STR_TAG, int: "tag:yaml.org,2002:int", bool: "tag:yaml.org,2002:bool", type(None): "tag:yaml.org,2002:null"}
_MAP_TAG, _SEQ_TAG = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


@cache_short(4096)  # keys and common values repeat from document to document
def _plain_tag(text: str) -> str:
    return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))


def _events(value, out: list) -> None:
    kind = type(value)
    if kind is dict:
        out.append(yaml.MappingStartEvent(None, _MAP_TAG, True, flow_style=False))
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError("a non-string key")
            _events(key, out)
            _events(item, out)
        out.append(yaml.MappingEndEvent())
    elif kind is list:
        out.append(yaml.SequenceStartEvent(None, _SEQ_TAG, True, flow_style=False))
        for item in value:
            _events(item, out)
        out.append(yaml.SequenceEndEvent())
    else:
        tag = _TAGS[kind]  # KeyError for floats, dates ...: the caller falls back to yaml.dump
        text = value if kind is str else ("null" if value is None else str(value).lower() if kind is bool else str(value))
        # the flags SafeDumper's serializer computes: may it be plain, may it be quoted without a tag
        implicit = (_plain_tag(text) == tag, tag == _STR_TAG)
        out.append(yaml.ScalarEvent(None, tag, implicit, text))


def emit_like_safe_dump(data: dict) -> str:
    """What `yaml.dump(data, Dumper=CSafeDumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
    width=1 << 30)` returns, for data of dicts, lists, strings, ints, bools and None (TypeError/KeyError otherwise).

    It hands the events SafeDumper's representer and serializer would make
    straight to the C emitter, skipping the Python representer: about half
    the cost. tests/test_validate_internals.py checks it equals `yaml.dump`.
    """
    out = [yaml.StreamStartEvent(), yaml.DocumentStartEvent(explicit=False)]
    _events(data, out)
    out += [yaml.DocumentEndEvent(explicit=False), yaml.StreamEndEvent()]
    return yaml.emit(out, Dumper=_DUMPER, allow_unicode=True, width=1 << 30)


# ---------------------------------------------------------------- proving an annotations text canonical

# The canonical layout of annotations.json with flat items and scalar values: a string is "..." without a
# backslash (so no escape: written as it is), an integer is written as Python writes it (no -0, no exponent).
_STRING = r'"[^"\\\n]*"'
_SCALAR = rf'(?:{_STRING}|0|-?[1-9][0-9]*|true|false|null)'
_ITEM = rf'\{{{_STRING}: {_SCALAR}(?:, {_STRING}: {_SCALAR})*\}}'
_BLOCK = rf'(?:\[\]|\[\n    {_ITEM}(?:,\n    {_ITEM})*\n  \])'
_CANONICAL_LAYOUT = re.compile(rf'\{{\n(?:  {_STRING}: {_SCALAR},\n)*  "annotators": {_BLOCK},\n'
                               rf'  "sentences": {_BLOCK},\n  "entities": {_BLOCK}\n\}}\n')
_LIST_NAMES = ("annotators", "sentences", "entities")


def is_canonical_annotations(text: str, data) -> bool:
    """Whether `text`, which `json.loads` read as `data`, is `dumps_annotations(data)`.

    Usually proven without writing anything: a text with no backslash has
    no escape, so every string in it is written as the writer writes it
    (json.loads refuses raw control characters); then the text is canonical
    when its layout is the writer's (one regular expression), its keys come
    in the writer's order, and it holds as many keys as the data (no key
    written twice). Otherwise the writer's output is compared.
    tests/test_validate_internals.py checks this equals the comparison.
    """
    if type(data) is dict and "\\" not in text and _CANONICAL_LAYOUT.fullmatch(text) is not None:
        keys = list(data)
        header = [k for k in HEADER_KEYS if k in data]
        header += [k for k in keys if k not in HEADER_KEYS and k not in _LIST_NAMES]
        lists = [data[name] for name in _LIST_NAMES]
        if keys == header + list(_LIST_NAMES) \
                and all(_in_canonical_order(order_of, order) for (_, order), items in zip(_LISTS, lists)
                        for order_of in set(map(tuple, items))) \
                and text.count('": ') == len(keys) + sum(sum(map(len, items)) for items in lists):
            return True
    try:
        return canonical_annotations(data) == text
    except Exception:  # noqa: BLE001 - data the writer cannot take is simply not canonical
        return False
