"""Reader of a Label Studio JSON export of text tasks with span labels (`labels` results).

Label Studio's `start` and `end` are JavaScript string indices: UTF-16 code
units. They are converted to code points (a character outside the Basic
Multilingual Plane is two units, one code point). A task's text is
`data.text` (or the only string in `data`); its entities come from its first
annotation that was not cancelled; every non-blank line is a sentence.
Faults name the task and the line where the task starts in the export.
"""

from __future__ import annotations

import json
from pathlib import Path

from .brat import line_spans
from .model import Faults, SourceDocument, SourceEntity

__all__ = ["read_label_studio", "utf16_to_code_points"]


def utf16_to_code_points(text: str) -> dict[int, int]:
    """{UTF-16 offset: code point offset} for every code point boundary of `text` (the end included)."""
    out, units = {}, 0
    for i, ch in enumerate(text):
        out[units] = i
        units += 2 if ord(ch) > 0xFFFF else 1
    out[units] = len(text)
    return out


def _task_text(data) -> str | None:
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("text"), str):
        return data["text"]
    strings = [v for v in data.values() if isinstance(v, str)]
    return strings[0] if len(strings) == 1 else None


_WHITESPACE = " \t\n\r"


def _task_lines(text: str, count: int) -> list[int | None]:
    """The line where each of the `count` tasks of a JSON list starts (one pass of `raw_decode` over the
    elements); Nones where the text is not a plain list."""
    decoder = json.JSONDecoder()
    lines, i, line = [], 0, 1
    n = len(text)
    try:
        while i < n and text[i] in _WHITESPACE:
            i += 1
        if i >= n or text[i] != "[":
            return [None] * count
        i += 1
        counted = 0
        while len(lines) < count:
            while i < n and text[i] in _WHITESPACE + ",":
                i += 1
            line += text.count("\n", counted, i)
            lines.append(line)
            _, end = decoder.raw_decode(text, i)
            line += text.count("\n", i, end)
            counted = i = end
    except (json.JSONDecodeError, ValueError):
        return [None] * count
    return lines


def read_label_studio(path: Path, text: str, faults: Faults) -> tuple[list[SourceDocument], bool]:
    try:
        tasks = json.loads(text)
    except json.JSONDecodeError as exc:
        faults.add("source-unreadable", path, exc.lineno, f"not JSON: {exc.msg}")
        return [], True
    one_task = isinstance(tasks, dict)
    if one_task:
        tasks = [tasks]
    if not isinstance(tasks, list):
        faults.add("source-unreadable", path, 1, "a Label Studio export is a JSON list of tasks")
        return [], True
    documents = []
    starts = [1] if one_task else _task_lines(text, len(tasks))
    for k, task in enumerate(tasks, start=1):
        where = f"task {task.get('id', k) if isinstance(task, dict) else k}"
        line = starts[k - 1]
        body = _task_text(task.get("data") if isinstance(task, dict) else None)
        if body is None:
            faults.add("source-unreadable", path, line, f"{where}: no text in `data`")
            continue
        units = utf16_to_code_points(body)
        annotations = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
        entities = []
        for result in (annotations[0].get("result") or []) if annotations else []:
            value = result.get("value") or {}
            labels = value.get("labels")
            if result.get("type") != "labels" or not labels:
                faults.add("not-supported", path, line, f"{where}: result of type {result.get('type')!r} skipped")
                continue
            start, end = units.get(value.get("start")), units.get(value.get("end"))
            if start is None or end is None:
                faults.add("span-invalid", path, line, f"{where}: UTF-16 offsets {value.get('start')!r}, "
                           f"{value.get('end')!r} do not fall on character boundaries of the text")
                continue
            for label in labels:
                entities.append(SourceEntity(start, end, label, None, line))
        doc_id = task.get("id")
        documents.append(SourceDocument(path, line, str(doc_id) if doc_id is not None else None, text=body,
                                        spans=line_spans(body), entities=tuple(entities)))
    return documents, True
