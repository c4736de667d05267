"""JSON Schema validation (Draft 2020-12) mapped to problem codes.

Errors are mapped from the failing keyword (`error.validator`) and the path of
the offending value (`error.absolute_path`), never from the library's message
text. Messages are our own and quote the offending value.

Patterns are ECMA-262 regular expressions (JSON Schema core, section 6.4), in
which `$` matches only at the end of the string. `jsonschema` runs them with
Python's `re.search`, whose `$` also matches before a final newline, so it
would accept an id "e1\n" that `jsonschema-rs` (and every ECMA-262 engine)
rejects. `pattern` is therefore evaluated by `regress`, an ECMA-262 engine,
and the schema files keep plain, portable patterns.
"""

from __future__ import annotations

import difflib
import json
from functools import lru_cache

import regress
from jsonschema import Draft202012Validator, ValidationError, validators

try:  # optional fast path: decides validity ~50x faster; errors always come from `jsonschema`
    import jsonschema_rs
except ImportError:  # pragma: no cover - the package is a declared dependency, but stay usable without it
    jsonschema_rs = None

from ..format.resources import load_schema
from .hints import label_hint
from .parse import pointer_join
from .report import Finding

__all__ = ["SchemaValidator", "schema_findings", "broken_pointers", "has_float"]

_SPAN_LISTS = ("sentences", "entities")


@lru_cache(maxsize=None)
def _ecma_regex(pattern: str) -> regress.Regex:
    return regress.Regex(pattern, "u")


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _ecma_pattern(validator, pattern: str, instance, schema):
    """The `pattern` keyword with ECMA-262 semantics (a search, not anchored unless the pattern says so)."""
    if not validator.is_type(instance, "string") or _has_surrogate(instance):
        return  # a lone surrogate is `string-lone-surrogate` (check_strings); regress cannot even take one
    if _ecma_regex(pattern).find(instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _is_integer(checker, instance) -> bool:
    """An integer is a JSON number written without a fraction part or exponent: `0.0`, `52.0` and `5.2e1` are not.

    JSON Schema counts 0.0 as an integer; the format does not, because the
    parsers (and Python) keep them floats, which no offset or version number
    can be. `parse_json` keeps the distinction (an int is parsed as int, any
    number with `.` or `e` as float).
    """
    return isinstance(instance, int) and not isinstance(instance, bool)


# Draft 2020-12 with ECMA-262 `pattern` and exact integers; errors still name the keywords "pattern" and "type".
SchemaValidator = validators.extend(
    Draft202012Validator, {"pattern": _ecma_pattern},
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


@lru_cache(maxsize=None)
def _validator(name: str) -> Draft202012Validator:
    schema = load_schema(name)
    SchemaValidator.check_schema(schema)
    return SchemaValidator(schema)


@lru_cache(maxsize=None)
def _fast_validator(name: str):
    return jsonschema_rs.validator_for(load_schema(name)) if jsonschema_rs is not None else None


def _short(value, limit: int = 60) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_name(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def _edge_space(value) -> str:
    """A note for a string with whitespace at an edge, which a shortened quote may hide (a trailing newline)."""
    if isinstance(value, str) and value != value.strip():
        return f"; it {'starts' if value[:1].isspace() else 'ends'} with whitespace"
    return ""


def _pointer(path) -> str:
    ptr = ""
    for token in path:
        ptr = pointer_join(ptr, token)
    return ptr


def _is_offset(path: list) -> bool:
    return len(path) == 3 and path[0] in _SPAN_LISTS and path[2] in ("start", "end")


def _map(error, implicit: dict, seen: set) -> list[Finding]:
    path = list(error.absolute_path)
    ptr = _pointer(path)
    kw = error.validator
    value = error.instance
    last = path[-1] if path else None
    if kw == "required":
        out = []
        for name in error.validator_value:
            if isinstance(value, dict) and name not in value and (ptr, name) not in seen:
                seen.add((ptr, name))
                out.append(Finding("schema-missing-key", f"missing required key {name!r}", pointer=ptr))
        return out
    if kw == "additionalProperties":
        known = list(error.schema.get("properties", {}))
        out = []
        for name in value if isinstance(value, dict) else ():
            if name in known or (ptr, name) in seen:
                continue
            seen.add((ptr, name))
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else f"; allowed keys: {', '.join(known)}"
            out.append(Finding("schema-unknown-key", f"unknown key {name!r}{hint}", pointer=pointer_join(ptr, name), key=True))
        return out
    if kw == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        wanted = " or ".join(expected)
        if ptr in implicit and "string" in expected:
            return [Finding("yaml-implicit-type", f"YAML read this unquoted value as {implicit[ptr]} ({_short(value)}); "
                            f"quote it to keep it a string", pointer=ptr)]
        code = "span-offset-not-integer" if _is_offset(path) else "schema-wrong-type"
        hint = ("; a number with a fraction part or an exponent is not an integer"
                if isinstance(value, float) and "integer" in expected else "")
        return [Finding(code, f"expected {wanted}, got {_type_name(value)}: {_short(value)}{hint}", pointer=ptr)]
    if kw == "minimum" and _is_offset(path):
        return [Finding("span-out-of-bounds", f"offset {value} is negative", pointer=ptr)]
    if kw == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        if path == ["split"]:
            code = "split-invalid"
        elif len(path) == 3 and path[0] == "entities" and last == "label":
            code = "label-unknown"
        else:
            code = "schema-bad-value"
        if code == "label-unknown":
            hint = label_hint(value)
            return [Finding(code, f"{_short(value)} is not a label{hint or ' (labels: ' + allowed + ')'}", pointer=ptr)]
        return [Finding(code, f"{_short(value)} is not one of: {allowed}", pointer=ptr)]
    if kw == "const":
        code = "schema-version-unsupported" if path == ["schema_version"] else "schema-bad-value"
        return [Finding(code, f"{_short(value)} must be {_short(error.validator_value)}", pointer=ptr)]
    if kw in ("pattern", "maxLength") and (last in ("id", "parent") and len(path) in (1, 3) or path == ["document"]):
        return [Finding("id-invalid", f"{_short(value)} is not a valid id (pattern {error.schema.get('pattern')}, "
                        f"at most {error.schema.get('maxLength', 64)} characters){_edge_space(value)}", pointer=ptr)]
    if kw == "pattern":
        code = "kb-invalid" if last == "kb" else "schema-bad-value"
        return [Finding(code, f"{_short(value)} does not match {error.validator_value}{_edge_space(value)}", pointer=ptr)]
    limits = {"minimum": "at least", "maximum": "at most", "minLength": "at least", "maxLength": "at most",
              "minItems": "at least", "maxItems": "at most"}
    if kw in limits:
        unit = {"minLength": " characters", "maxLength": " characters", "minItems": " items", "maxItems": " items"}
        return [Finding("schema-bad-value", f"{_short(value)} must be {limits[kw]} {error.validator_value}"
                        f"{unit.get(kw, '')}", pointer=ptr)]
    return [Finding("schema-bad-value", f"{_short(value)} breaks the schema's {kw!r} rule", pointer=ptr)]


def has_float(data) -> bool:
    """Whether `data` holds a float anywhere (iterative; for small data such as a document.yaml)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, float):
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def schema_findings(data, name: str, implicit: dict | None = None, floats: bool = True) -> list[Finding]:
    """Every schema problem of `data` against `schema/<name>.schema.json`, mapped to codes, in document order.

    A file that `jsonschema-rs` accepts has no problem; any other file (or a
    value it cannot take, like a YAML date) goes through `jsonschema`, which
    alone produces the reported errors, so they are the same either way.
    `jsonschema-rs` counts 2.0 as an integer, so it decides only for data
    known to hold no float (`floats=False`).
    """
    fast = _fast_validator(name)
    if fast is not None and not floats:
        try:
            if fast.is_valid(data):
                return []
        except Exception:  # noqa: BLE001 - e.g. a datetime.date from YAML: let jsonschema decide
            pass
    validator = _validator(name)
    seen: set = set()
    out: list[Finding] = []
    for error in validator.iter_errors(data):
        out += _map(error, implicit or {}, seen)
    return out


def broken_pointers(findings: list[Finding]) -> set[str]:
    """The top-level keys and list items (`/entities/3`) a schema finding touches: semantic checks skip them."""
    broken = set()
    for f in findings:
        if f.pointer is None:
            continue
        tokens = f.pointer.split("/")[1:]
        if not tokens:
            broken.add("")
        elif tokens[0] in _SPAN_LISTS + ("annotators", "versions") and len(tokens) >= 2:
            broken.add(f"/{tokens[0]}/{tokens[1]}")
        else:
            broken.add(f"/{tokens[0]}")
    return broken
