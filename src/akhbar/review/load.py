"""What a reviewer looks at: an annotations file with its text, shown as a page (`akhbar show`).

Loading here is tolerant on purpose: a contribution under review may be
invalid, and the reviewer still needs to see it. The file is read as raw JSON
(not through the model, whose constructors refuse bad spans); every entity
and sentence that has a place in the text is drawn, the others are listed at
the top with the validator's problems. Offsets are Unicode code points of the
annotated text version, 0-based, end exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidDataError, NotFoundError
from ..format.corpus import ANNOTATIONS_FILE, DOCUMENT_FILE, load_document, read_text, sha256_hex
from ..format.ids import is_valid_id
from ..format.model import Annotations, TextVersion
from ..format.text import escape_controls
from ..validate.codes import CODES
from ..validate.checks import check_annotations
from ..validate.files import UNUSABLE, Sink, Structured, load_file, read_file, usable
from ..validate.parse import decode
from ..validate.report import Finding, Problem
from .gcpause import gc_paused
from .render import Mark, Notice, render_page

__all__ = [
    "ReviewTarget",
    "resolve_annotations_path",
    "load_target",
    "load_checked",
    "CheckedAnnotations",
    "version_chain",
    "parse_pointer",
    "entity_title",
    "entity_marks",
    "sentence_marks",
    "show_page",
]


# What a comparison cannot survive: data that does not parse or break the schema, strings that cannot be printed,
# spans outside the text, and parent links that do not end. Guideline problems (a sentence gap, a shared word,
# a pending review mark) are what a reviewer compares, so they do not stop `diff` or `agree`.
_CANNOT_COMPARE_GROUPS = frozenset({"Parsing", "Schema", "Strings"})
CANNOT_COMPARE = frozenset({
    "file-missing", "file-unreadable", "file-too-large", "path-escapes-corpus", "encoding-not-utf8", "encoding-bom",
    "span-offset-not-integer", "span-out-of-bounds", "span-empty-or-reversed", "text-sha256-mismatch",
    "id-duplicate", "parent-missing", "parent-cycle", "entity-nesting-too-deep",
} | {c.name for c in CODES.values() if c.group in _CANNOT_COMPARE_GROUPS})


@dataclass(frozen=True)
class ReviewTarget:
    """An annotations file as read for review.

    `data` is the parsed JSON object (None when the file is not one), `text`
    the text of the version it annotates (None when it cannot be found),
    `notes` why something could not be read, in plain words; `text_sha256` is the sha256 of `text`'s bytes
    (recorded in document.yaml and checked when read).
    """

    path: Path
    data: dict | None
    text: str | None
    document: str | None
    text_version: int | None
    notes: tuple[str, ...] = ()
    doc_dir: Path | None = None
    text_sha256: str | None = None


@dataclass(frozen=True)
class CheckedAnnotations:
    """A well-formed annotations file with the exact text of its version and its document folder."""

    path: Path
    annotations: Annotations
    text: str
    doc_dir: Path


def resolve_annotations_path(target: str | Path, corpus: Path) -> Path:
    """The annotations file named by `target`: a file, a document folder, or a document id in `corpus`."""
    path = Path(target)
    if path.is_file():
        return path
    if path.is_dir() and (path / ANNOTATIONS_FILE).is_file():
        return path / ANNOTATIONS_FILE
    by_id = Path(corpus) / str(target) / ANNOTATIONS_FILE
    if "/" not in str(target) and by_id.is_file():
        return by_id
    raise NotFoundError(f"{target}: no such annotations file, document folder or document id in {corpus}/")


def load_target(path: Path, corpus: Path) -> ReviewTarget:
    """Read `path` and the text it annotates, never raising on invalid content.

    The text is found next to the file when it sits in a document folder,
    otherwise through the file's `document` in `corpus`; the version is the
    file's `text_version` (the newest one when that is missing or unknown).
    """
    return _load_target(path, corpus)[0]


def _load_target(path: Path, corpus: Path) -> tuple[ReviewTarget, Structured, list[Problem]]:
    """`load_target`, with the file as the validator loaded it and the problems the loading found."""
    path = Path(path)
    notes: list[str] = []
    data = None
    loaded, problems = load_file(path, path.parent, "annotations")
    unusable = [p for p in problems if p.code in UNUSABLE]
    if unusable or loaded.data is None:
        p = (unusable or problems)[0] if (unusable or problems) else None
        notes.append(f"{path}: not readable as annotations ({p.code}: {p.message})" if p else f"{path}: not readable")
    elif isinstance(loaded.data, dict):
        data = loaded.data
    else:
        notes.append(f"{path}: not a JSON object")
    document = data.get("document") if data else None
    document = document if isinstance(document, str) else None
    wanted = data.get("text_version") if data else None
    wanted = wanted if isinstance(wanted, int) and not isinstance(wanted, bool) else None

    if (path.parent / DOCUMENT_FILE).is_file():
        doc_dir = path.parent
    elif document and is_valid_id(document) and (Path(corpus) / document / DOCUMENT_FILE).is_file():
        doc_dir = Path(corpus) / document
    else:
        notes.append(f"the text is not found: no {DOCUMENT_FILE} next to {path} nor for document {document!r} in {corpus}/")
        return ReviewTarget(path, data, None, document, wanted, tuple(notes)), loaded, problems

    text, version, why, sha = _read_version(doc_dir, wanted)
    notes += why
    document = document or (doc_dir.name if is_valid_id(doc_dir.name) else None)
    return ReviewTarget(path, data, text, document, version, tuple(notes), doc_dir, sha), loaded, problems


def _read_version(doc_dir: Path, wanted: int | None) -> tuple[str | None, int | None, list[str], str | None]:
    """The text of version `wanted` (the newest when it is not listed), read as the validator reads it.

    Returns the text, its version, notes, and its sha256 (None with the text when it cannot be read).

    document.yaml goes through the validator's loader and must be free of
    errors; the version file is read under the same rules (inside the folder,
    a regular file under the size cap, strict UTF-8) and must match its sha256.
    """
    loaded, problems = load_file(doc_dir / DOCUMENT_FILE, doc_dir, "document")
    errors = [p for p in problems if p.is_error]
    if errors or not loaded.usable:
        first = errors[0] if errors else None
        return None, wanted, [f"the text of {doc_dir} is not readable: {DOCUMENT_FILE} does not validate"
                              + (f" ({first.code} at {first.where}: {first.message})" if first else "")], None
    versions = loaded.data["versions"]
    by_number = {v["version"]: v for v in versions}
    notes, version = [], wanted
    if wanted not in by_number:
        version = versions[-1]["version"]
        notes.append(f"text version {wanted!r} is not in {doc_dir / DOCUMENT_FILE}; showing version {version}")
    record = by_number[version]
    raw, problem = read_file(doc_dir / record["file"], doc_dir)
    if problem is not None:
        return None, version, notes + [f"the text of {doc_dir} is not readable ({problem.code}: {problem.message})"], None
    if sha256_hex(raw) != record["sha256"]:
        return None, version, notes + [f"{record['file']} does not match its sha256 in {DOCUMENT_FILE} "
                                       "(version-sha256-mismatch)"], None
    text, findings = decode(raw)
    if text is None:
        return None, version, notes + [f"{record['file']}: {findings[0].code}: {findings[0].message}"], None
    return text, version, notes, record["sha256"]


def version_chain(doc_dir: Path, first: int, last: int) -> list[tuple[TextVersion, str]]:
    """The text versions from `first` to `last` (either direction, both included) with their exact texts."""
    doc = load_document(doc_dir)
    step = 1 if last >= first else -1
    try:
        versions = [doc.version(n) for n in range(first, last + step, step)]
    except KeyError as exc:
        raise NotFoundError(f"{doc_dir}: {exc.args[0]}") from None
    return [(v, read_text(doc_dir, v)) for v in versions]


def load_checked(target: str | Path, corpus: Path) -> CheckedAnnotations:
    """The annotations named by `target` as a model, with the exact text of their version (for diff and agree).

    Unlike `load_target` this refuses what it cannot compare: a file that is
    not well formed or has spans outside its text raises `InvalidDataError`
    (exit 1), a text that cannot be found `NotFoundError` (exit 2).
    """
    path = resolve_annotations_path(target, corpus)
    with gc_paused():  # parse, checks and model: an object or more per entity, no cycles (see gcpause.py)
        return _load_checked(path, corpus)


def _load_checked(path: Path, corpus: Path) -> CheckedAnnotations:
    loaded, structured, problems = _load_target(path, corpus)  # the file is parsed once, here
    if loaded.data is None:
        raise InvalidDataError(loaded.notes[0])
    if loaded.text is None:
        raise NotFoundError(loaded.notes[-1] if loaded.notes else f"{path}: its text version is not found")
    blocking = [p for p in problems + _blocking_problems(path, structured, loaded.text, loaded.text_sha256)
                if p.is_error and p.code in CANNOT_COMPARE]
    if blocking:
        first = blocking[0]
        raise InvalidDataError(f"{path} does not validate ({len(blocking)} error(s); first: {first.where}: "
                               f"{first.code}); `akhbar validate {path}` lists them, `akhbar show` draws what it can",
                               blocking)
    annotations = Annotations.from_dict(loaded.data)
    if annotations.text_version != loaded.text_version:
        raise NotFoundError(loaded.notes[-1] if loaded.notes else f"{path}: its text version is not found")
    return CheckedAnnotations(path, annotations, loaded.text, loaded.doc_dir)


def _blocking_problems(path: Path, loaded: Structured, text: str, text_sha256: str) -> list[Problem]:
    """What `akhbar validate` would find in the loaded file against `text` that a comparison cannot survive.

    Only the checks that can report a `CANNOT_COMPARE` code run: the guideline checks (words, proclitics,
    punctuation, sentence layout) are what a reviewer compares, and `akhbar validate` lists them.
    """
    findings = []
    sha = loaded.data.get("text_sha256") if usable("/text_sha256", loaded) else None
    if sha is not None and sha != text_sha256:  # `text_sha256` was checked against the text's bytes when read
        findings.append(Finding("text-sha256-mismatch", f"text_sha256 {sha[:12]}… is not the sha256 of the text "
                                f"version read ({text_sha256[:12]}…)", pointer="/text_sha256"))
        text = None
    findings += check_annotations(loaded.data, text, loaded.broken, schema_valid=loaded.clean, codes=CANNOT_COMPARE)
    sink = Sink()
    sink.add(path, findings, loaded.locator)
    return sink.problems(0)[0]


def parse_pointer(pointer: str | None) -> tuple[str, int] | None:
    """`("entities", 3)` for a JSON pointer such as `/entities/3/start`; None when it names no item."""
    parts = (pointer or "").split("/")
    if len(parts) >= 3 and parts[0] == "" and parts[1] in ("entities", "sentences") and parts[2].isdigit():
        return parts[1], int(parts[2])
    return None


def _is_offset(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _placeable(item, text_length: int) -> bool:
    return (
        isinstance(item, dict)
        and _is_offset(item.get("start"))
        and _is_offset(item.get("end"))
        and 0 <= item["start"] < item["end"] <= text_length
    )


def entity_title(e: dict) -> str:
    """The details of an entity as one plain line: id, label, offsets, kb, parent, note."""
    parts = [f"entity {e.get('id', '?')}", str(e.get("label", "?")), f"{e.get('start')}\u2013{e.get('end')}"]
    for key in ("kb", "parent", "note", "review"):
        if e.get(key) is not None:
            parts.append(f"{key}: {e[key]}")
    return " \u00b7 ".join(str(p) for p in parts)


def _review_attr(item: dict) -> tuple:
    """`data-review` for an item waiting for review (a suggestion or a mark of `akhbar revise`): drawn apart."""
    review = item.get("review")
    return (("data-review", review),) if isinstance(review, str) else ()


def entity_marks(entities: list, text_length: int, prefix: str = "e") -> tuple[list[Mark], list[int]]:
    """Marks for the entities that have a place in a text of `text_length`, and the indexes of the others."""
    marks, unplaced = [], []
    for i, e in enumerate(entities):
        if not _placeable(e, text_length):
            unplaced.append(i)
            continue
        label = str(e.get("label", "?"))
        marks.append(
            Mark("entity", str(e.get("id", f"#{i}")), f"{prefix}{i}", e["start"], e["end"], badge=label,
                 title=entity_title(e), label=label, attrs=_review_attr(e))
        )
    return marks, unplaced


def sentence_marks(sentences: list, text_length: int) -> tuple[list[Mark], list[int]]:
    """Marks for the sentences that have a place (numbered from 1 in file order), and the indexes of the others."""
    marks, unplaced = [], []
    for i, s in enumerate(sentences):
        if not _placeable(s, text_length):
            unplaced.append(i)
            continue
        key = str(s.get("id", f"#{i}"))
        marks.append(
            Mark("sentence", key, f"s{i}", s["start"], s["end"], badge=str(i + 1),
                 title=f"sentence {i + 1} ({key}) \u00b7 {s['start']}\u2013{s['end']}"
                 + (f" \u00b7 review: {s['review']}" if isinstance(s.get("review"), str) else ""),
                 attrs=_review_attr(s))
        )
    return marks, unplaced


def _with_problems(mark: Mark, problems: list) -> Mark:
    codes = " ".join(dict.fromkeys(p.code for p in problems))
    details = "\n".join(escape_controls(f"{p.severity} {p.code}: {p.message}") for p in problems)
    return Mark(mark.kind, mark.key, mark.anchor, mark.start, mark.end, mark.badge,
                f"{mark.title}\n{details}", mark.label, (*mark.classes, "problem"),
                (*mark.attrs, ("data-problems", codes)))


def _same_file(reported: str | None, path: Path) -> bool:
    return not reported or Path(reported).resolve() == path.resolve()


def show_page(target: ReviewTarget, problems: list = ()) -> str:
    """The review page of `target`, with each problem (validator `Problem`s) marked at its place.

    A problem whose pointer names an entity or sentence that is drawn is
    marked on it (and listed at the top with a link); the others are listed
    at the top only.
    """
    with gc_paused():  # a mark, a node and HTML pieces per entity, no cycles: see gcpause.py
        return _show_page(target, problems)


def _show_page(target: ReviewTarget, problems: list) -> str:
    data = target.data or {}
    entities = data.get("entities") if isinstance(data.get("entities"), list) else []
    sentences = data.get("sentences") if isinstance(data.get("sentences"), list) else []
    length = len(target.text) if target.text is not None else -1
    e_marks, e_unplaced = entity_marks(entities, length)
    s_marks, s_unplaced = sentence_marks(sentences, length)
    marks = s_marks + e_marks
    by_anchor = {m.anchor: m for m in marks}

    at_place: dict[str, list] = {}
    notices = [Notice("error", note) for note in target.notes]
    for p in problems:
        where = parse_pointer(p.pointer)
        anchor = f"{where[0][0]}{where[1]}" if where else None
        # A pointer places a problem only in this file (the validator also reports document.yaml's).
        if anchor in by_anchor and _same_file(p.file, target.path):
            at_place.setdefault(anchor, []).append(p)
        else:
            anchor = None
        place = f" at {p.pointer}" if p.pointer else ""
        line = f" (line {p.line})" if p.line else ""
        # a message quotes the data: a lone surrogate could not even be written to the page
        notices.append(Notice(p.severity, escape_controls(f"{p.code}{place}{line}: {p.message}"), anchor))
    for kind, indexes in (("entity", e_unplaced), ("sentence", s_unplaced)):
        for i in indexes:
            notices.append(Notice("warning", f"{kind} {i} has no place in the text and is not drawn"))
    marks = [_with_problems(m, at_place[m.anchor]) if m.anchor in at_place else m for m in marks]

    valid = not any(p.is_error for p in problems) and not target.notes
    subtitle = (
        f"{target.path} \u00b7 document {target.document} \u00b7 text version {target.text_version} \u00b7 "
        f"{len(sentences)} sentences \u00b7 {len(entities)} entities \u00b7 "
        + ("valid" if valid else f"{len(problems) + len(target.notes)} problem(s)")
    )
    return render_page(target.text, marks, title=f"Akhbar \u00b7 {target.document or target.path.name}",
                       notices=notices, subtitle=subtitle)
