"""A Label Studio export of documents already in the corpus, read back into their annotations.json.

The tasks are those `akhbar export --format label-studio` wrote: `data`
holds `text`, `doc_id`, `text_version` and `text_sha256`. A task is refused
(`ls-text-changed`) when the document's current version is not that version,
or its text is not the task's text. Per task the latest annotation that was
not cancelled is taken (by `updated_at`, then `created_at`, then order), or
the latest by one annotator (`--annotator`: a Label Studio user id, email
or username). Offsets are converted from UTF-16 code units to code points.

Entities become the annotation's `label` regions: an entity with the same
span and label as an existing one keeps its id, kb and note; the others get
fresh ids. Nesting comes from `parent` relations (inner -> outer), else from
containment (the smallest region containing it). Sentences are replaced only
when the annotation has `sentence` regions. Everything read is accepted (no
`review` mark): the annotator has checked it. Faults name the task.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import InvalidDataError, UsageError
from ..format.corpus import ANNOTATIONS_FILE, load_annotations, load_document, read_text, sha256_hex
from ..format.labels import label_names
from ..format.model import Annotations, Annotator, Entity, Sentence
from .label_studio import utf16_to_code_points

__all__ = ["is_akhbar_export", "is_akhbar_export_file", "LabelStudioUpdate", "read_updates", "apply_updates"]

_ENTITY, _SENTENCE, _PARENT = "label", "sentence", "parent"


def is_akhbar_export(tasks) -> bool:
    """True for a list of tasks that all name a corpus document (written by `akhbar export`)."""
    return isinstance(tasks, list) and bool(tasks) and all(
        isinstance(t, dict) and isinstance(t.get("data"), dict) and "doc_id" in t["data"]
        and "text_sha256" in t["data"] for t in tasks)


def is_akhbar_export_file(path: Path) -> bool:
    """True when `path` is a JSON export of tasks written by `akhbar export` (False when unreadable)."""
    try:
        return is_akhbar_export(json.loads(Path(path).read_bytes().decode("utf-8")))
    except (OSError, UnicodeDecodeError, ValueError):
        return False


@dataclass(frozen=True)
class LabelStudioUpdate:
    folder: Path
    before: Annotations
    after: Annotations
    annotation_id: object


def _who(annotation) -> set[str]:
    c = annotation.get("completed_by")
    if isinstance(c, dict):
        return {str(c.get(k)) for k in ("id", "email", "username") if c.get(k) is not None}
    return {str(c)} if c is not None else set()


def _choose(task, annotator: str | None):
    done = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
    if annotator is not None:
        done = [a for a in done if annotator in _who(a)]
    if not done:
        return None
    order = {id(a): k for k, a in enumerate(done)}
    return max(done, key=lambda a: (str(a.get("updated_at") or ""), str(a.get("created_at") or ""), order[id(a)]))


def _next(taken: set[str], prefix: str):
    n = max((int(m.group(1)) for i in taken if (m := re.fullmatch(rf"{prefix}([0-9]+)", i))), default=0)
    while True:
        n += 1
        yield f"{prefix}{n}"


def _convert(where: str, text: str, result, existing: Annotations, faults: list[str]) -> Annotations:
    units = utf16_to_code_points(text)
    labels = set(label_names())
    regions, sentences, relations = [], [], []
    for r in result or []:
        if not isinstance(r, dict):
            continue
        if r.get("type") == "relation":
            if _PARENT in (r.get("labels") or [_PARENT]):
                relations.append((r.get("from_id"), r.get("to_id")))
            continue
        value = r.get("value") or {}
        if r.get("type") != "labels" or not value.get("labels"):
            continue
        start, end = units.get(value.get("start")), units.get(value.get("end"))
        if start is None or end is None or not start < end:
            faults.append(f"{where}: ls-offsets region {r.get('id')!r}: UTF-16 offsets {value.get('start')!r}, "
                          f"{value.get('end')!r} are not a span of the text")
            continue
        label = value["labels"][0]
        if r.get("from_name") == _SENTENCE:
            sentences.append((start, end))
        elif label in labels:
            regions.append((str(r.get("id")), start, end, label))
        else:
            faults.append(f"{where}: ls-label region {r.get('id')!r}: {label!r} is not a label of schema/labels.yaml")
    # parents: a relation, else the smallest region containing it (for the same span: the one listed first)
    by_id = {rid: k for k, (rid, *_rest) in enumerate(regions)}
    parent_of: dict[int, int] = {}
    for child, parent in relations:
        if child in by_id and parent in by_id:
            c, p = regions[by_id[child]], regions[by_id[parent]]
            if not (p[1] <= c[1] and c[2] <= p[2]) or child == parent:
                faults.append(f"{where}: ls-relation region {child!r} is not inside its parent {parent!r}")
            parent_of[by_id[child]] = by_id[parent]
    for k, (_, s, e, _) in enumerate(regions):
        if k in parent_of:
            continue
        holders = [j for j, (_, s2, e2, _) in enumerate(regions)
                   if j != k and s2 <= s and e <= e2 and ((s2, e2) != (s, e) or j < k) and parent_of.get(j) != k]
        if holders:
            parent_of[k] = min(holders, key=lambda j: (regions[j][2] - regions[j][1], -j))
    old = {}
    for x in existing.entities:
        old.setdefault((x.start, x.end, x.label), []).append(x)
    fresh = _next({x.id for x in existing.entities}, "e")
    ids = []
    kept = []
    for _, s, e, label in regions:
        match = old.get((s, e, label))
        prev = match.pop(0) if match else None
        kept.append(prev)
        ids.append(prev.id if prev else next(fresh))
    entities = []
    for k, (_, s, e, label) in enumerate(regions):
        base = kept[k] or Entity(ids[k], s, e, label, text[s:e])
        parent = ids[parent_of[k]] if k in parent_of else None
        entities.append(replace(base, parent=parent, text=text[s:e], review=None))
    entities.sort(key=lambda x: (x.start, -x.end, ids.index(x.id)))
    out = existing.replace(entities=tuple(entities))
    if sentences:
        same = {(x.start, x.end): x for x in existing.sentences}
        fresh_s = _next({x.id for x in existing.sentences}, "s")
        out = out.replace(sentences=tuple(
            replace(same[sp], review=None) if sp in same else Sentence(next(fresh_s), *sp)
            for sp in sorted(set(sentences))))
    return out


def read_updates(export: Path, corpus: Path, annotator: str | None = None) -> tuple[list[LabelStudioUpdate], list[str]]:
    """The new annotations of every task of `export`; raises InvalidDataError listing every fault."""
    try:
        tasks = json.loads(Path(export).read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{export}: not a readable Label Studio JSON export ({exc})") from None
    if not is_akhbar_export(tasks):
        raise UsageError(f"{export}: not an export of `akhbar export --format label-studio` tasks (each needs "
                         "data.doc_id and data.text_sha256)")
    faults, updates, skipped = [], [], []
    for k, task in enumerate(tasks, start=1):
        data = task["data"]
        doc_id = str(data["doc_id"])
        where = f"{export}: task {task.get('id', k)} ({doc_id})"
        folder = Path(corpus) / doc_id
        if not (folder / ANNOTATIONS_FILE).is_file() or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", doc_id):
            faults.append(f"{where}: ls-unknown-document no such document in {corpus}")
            continue
        document = load_document(folder)
        current = document.current
        text = read_text(folder, current)
        if (data.get("text_version") != current.version or data.get("text_sha256") != current.sha256
                or data.get("text") != text or sha256_hex(text.encode("utf-8")) != current.sha256):
            faults.append(f"{where}: ls-text-changed the task is of text version {data.get('text_version')!r} "
                          f"(sha256 {str(data.get('text_sha256'))[:12]}…), the corpus has version {current.version} "
                          f"(sha256 {current.sha256[:12]}…), or the task's text differs; export it again")
            continue
        chosen = _choose(task, annotator)
        if chosen is None:
            skipped.append(f"{where}: no completed annotation" + (f" by {annotator}" if annotator else ""))
            continue
        before = load_annotations(folder / ANNOTATIONS_FILE)
        if before.text_version != current.version:
            faults.append(f"{where}: ls-text-changed annotations.json is of version {before.text_version}")
            continue
        after = _convert(where, text, chosen.get("result"), before, faults)
        if annotator is not None and annotator not in {a.id for a in after.annotators}:
            after = after.replace(annotators=after.annotators + (Annotator(annotator, "annotator"),))
        updates.append(LabelStudioUpdate(folder, before, after, chosen.get("id")))
    if faults:
        raise InvalidDataError(f"{export}: {len(faults)} fault(s); nothing was written", tuple(faults))
    return updates, skipped


def apply_updates(updates, corpus: Path) -> None:
    """Write every update, then validate the documents; on any error put every file back and refuse."""
    from ..format.corpus import write_annotations
    from ..validate.gate import require_valid

    written = []
    try:
        for u in updates:
            path = u.folder / ANNOTATIONS_FILE
            written.append((path, path.read_bytes()))
            write_annotations(path, u.after)
        if updates:
            require_valid([u.folder for u in updates], Path(corpus), refusal="nothing was imported")
    except BaseException:
        from ..format.atomic import atomic_write

        for path, data in written:
            atomic_write(path, data)
        raise
