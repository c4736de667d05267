"""Parsing document.yaml from YAML events: the safe subset only, with positions.

PyYAML's loaders build a node graph recursively (the C loader crashes the
process on deep nesting) and silently keep the last of duplicate keys. This
parser reads the event stream (libyaml's C parser where available), refuses
anchors, aliases, tags, several documents and complex keys, caps the nesting
before anything is built, records the line and column of every value, and
remembers which plain scalars YAML typed implicitly (a bool, number, date or
null where the author may have meant a string).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import yaml

from ..format.memo import cache_short
from .codes import MAX_DEPTH
from .parse import Locator, pointer_join
from .report import Finding

__all__ = ["YamlResult", "parse_yaml"]

try:
    _YAML_LOADER = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml absent
    _YAML_LOADER = yaml.SafeLoader

_STR_TAG = "tag:yaml.org,2002:str"
_TYPE_NAMES = {
    "tag:yaml.org,2002:bool": "a bool",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "a date",
}


_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


@cache_short(4096)  # keys, languages, splits, licences and dates repeat from document to document
def _plain_scalar(value: str):
    """The value YAML's implicit typing gives a plain scalar, and the tag it resolved to (values are immutable)."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    if tag == _STR_TAG:
        return value, tag
    try:
        return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, value)), tag
    except (ValueError, TypeError, OverflowError, KeyError):
        return value, _STR_TAG


def _mark(mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


class YamlResult(NamedTuple):
    data: Any
    findings: list[Finding]
    locator: Locator
    implicit: dict  # pointer -> what a plain scalar became ("a bool", "a date", ...)


def parse_yaml(text: str) -> YamlResult:
    """Parse a YAML text from its events: safe subset only, positions recorded, duplicates caught.

    Refused (reported once, data None): syntax errors, anchors and aliases,
    explicit tags, several documents, complex keys, nesting beyond the cap.
    Duplicate keys are all reported (data None).
    """
    values: dict[str, tuple[int, int]] = {}
    keys: dict[str, tuple[int, int]] = {}
    implicit: dict[str, str] = {}
    locator = Locator(text, values=values, keys=keys)
    findings: list[Finding] = []

    def fatal(code, message, mark):
        line, column = _mark(mark)
        return YamlResult(None, findings + [Finding(code, message, line=line, column=column)], locator, implicit)

    root: Any = None
    documents = 0
    stack: list[list] = []  # [container, pointer, pending key or None (mappings), index (sequences)]
    loader = _YAML_LOADER(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            kind = type(event)
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    return fatal("yaml-unsupported", "more than one YAML document in the file", event.start_mark)
                continue
            if kind in (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent):
                continue
            if kind is yaml.AliasEvent:
                return fatal("yaml-anchor-alias", f"alias *{event.anchor} (anchors and aliases are not allowed)", event.start_mark)
            if kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
                stack.pop()
                continue
            if event.anchor is not None:
                return fatal("yaml-anchor-alias", f"anchor &{event.anchor} (anchors and aliases are not allowed)", event.start_mark)
            if event.tag is not None and event.tag != "!":
                return fatal("yaml-explicit-tag", f"explicit tag {event.tag} (tags are not allowed)", event.start_mark)
            parent = stack[-1] if stack else None
            if parent is not None and isinstance(parent[0], dict) and parent[2] is None:
                if kind is not yaml.ScalarEvent:
                    return fatal("yaml-unsupported", "a complex mapping key (only plain keys are allowed)", event.start_mark)
                ptr = pointer_join(parent[1], event.value)
                if event.value in parent[0]:
                    line, column = _mark(event.start_mark)
                    findings.append(Finding("yaml-duplicate-key", f"duplicate key {event.value!r} (YAML keeps only the last one)",
                                            pointer=ptr, line=line, column=column))
                keys[ptr] = _mark(event.start_mark)
                parent[2] = event.value
                continue
            if parent is None:
                ptr = ""
            elif isinstance(parent[0], dict):
                ptr = pointer_join(parent[1], parent[2])
            else:
                ptr = f"{parent[1]}/{len(parent[0])}"
            values[ptr] = _mark(event.start_mark)
            if kind is yaml.ScalarEvent:
                value = event.value
                if event.implicit[0]:  # plain (unquoted) scalar: YAML types it implicitly
                    value, tag = _plain_scalar(value)
                    if tag != _STR_TAG:
                        implicit[ptr] = _TYPE_NAMES.get(tag, tag)
                new, container = value, False
            else:
                if len(stack) >= MAX_DEPTH:
                    return fatal("nesting-too-deep", f"nesting deeper than {MAX_DEPTH} levels", event.start_mark)
                new, container = ({} if kind is yaml.MappingStartEvent else []), True
            if parent is None:
                root = new
            elif isinstance(parent[0], dict):
                parent[0][parent[2]] = new
                parent[2] = None
            else:
                parent[0].append(new)
            if container:
                stack.append([new, ptr, None])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = _mark(mark) if mark is not None else (1, 1)
        message = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        return YamlResult(None, [Finding("yaml-syntax", message or "invalid YAML", line=line, column=column)],
                          locator, implicit)
    except yaml.YAMLError as exc:
        position = getattr(exc, "position", 0) or 0
        line, column = locator.line_column(min(position, len(text)))
        return YamlResult(None, [Finding("yaml-syntax", str(exc).split("\n")[0], line=line, column=column)],
                          locator, implicit)
    finally:
        loader.dispose()
    if findings:
        return YamlResult(None, findings, locator, implicit)
    return YamlResult(root, findings, locator, implicit)
