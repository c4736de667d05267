"""Canonical forms, computed fast: the same texts as `corpus.dumps_annotations` and `corpus.dumps_document`.

The validator compares every file with its canonical form (a `not-canonical`
warning), so these run on every document. They produce exactly the writers'
texts with fewer Python calls and fall back to the writers themselves for
anything unusual; tests/test_validate_internals.py checks the equality on
generated data.
"""

from __future__ import annotations

import json
from functools import lru_cache

import yaml

from .corpus import _HEADER_KEYS, _YAML_KEYS, _json, _ordered  # the writers' own key orders and encoder
from .corpus import dumps_annotations, dumps_document
from .model import ENTITY_KEYS, SENTENCE_KEYS

__all__ = ["canonical_annotations", "canonical_document", "emit_like_safe_dump"]

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
_LISTS = (("annotators", ("id", "role")), ("sentences", SENTENCE_KEYS), ("entities", ENTITY_KEYS))
# Items joined by ",\0": a NUL never appears raw in JSON output (control characters are escaped), and
# a separator between two items is the only one followed by "{" in a list of flat objects.
_NUL_JOINED = json.JSONEncoder(ensure_ascii=False, separators=(",\0", ": "))


class _Unusual(Exception):
    """Data the fast path does not handle; the writer itself decides."""


@lru_cache(maxsize=1024)
def _in_canonical_order(keys: tuple, order: tuple) -> bool:
    return keys == tuple(k for k in order if k in keys) + tuple(k for k in keys if k not in order)


def _list_block(name: str, items, order: tuple, last: bool) -> str:
    tail = "" if last else ","
    if type(items) is not list:
        raise _Unusual
    if not items:
        return f'  "{name}": []{tail}'
    for item in items:
        if type(item) is not dict or not _in_canonical_order(tuple(item), order):
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
        lines += [f"  {_json(key)}: {_json(data[key])}," for key in _HEADER_KEYS if key in data]
        lines += [f"  {_json(key)}: {_json(value)}," for key, value in data.items()
                  if key not in _HEADER_KEYS and key not in ("annotators", "sentences", "entities")]
        lines += [_list_block(name, data.get(name, []), order, name == "entities") for name, order in _LISTS]
        lines.append("}")
        return "\n".join(lines) + "\n"
    except _Unusual:
        return dumps_annotations(data)


def canonical_document(data: dict) -> str:
    """`dumps_document(data)`, through the C emitter directly when the data allows it."""
    try:
        return emit_like_safe_dump(_ordered(data, _YAML_KEYS))
    except (TypeError, KeyError):
        return dumps_document(data)


_TAGS = {str: _STR_TAG, int: "tag:yaml.org,2002:int", bool: "tag:yaml.org,2002:bool", type(None): "tag:yaml.org,2002:null"}
_MAP_TAG, _SEQ_TAG = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
try:
    _DUMPER = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _DUMPER = yaml.SafeDumper


@lru_cache(maxsize=4096)  # keys and common values repeat from document to document
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
