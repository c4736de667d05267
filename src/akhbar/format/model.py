"""The corpus model: frozen dataclasses for documents, text versions and annotations.

Offsets everywhere are Unicode code points of one text version, 0-based,
end exclusive: the span `start, end` is `text[start:end]`.

These classes hold data that is already known to be well formed (the
validator decides that, with located, coded problems); their constructors
only guard the invariants a programming error could break. Dicts appear only
at the JSON/YAML edges: `from_dict` and `to_dict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

__all__ = [
    "Sentence",
    "Entity",
    "Annotator",
    "Annotations",
    "TextVersion",
    "Source",
    "License",
    "is_share_alike",
    "Document",
    "SCHEMA_VERSION",
    "DOCUMENT_SCHEMA_VERSION",
    "ENTITY_KEYS",
    "SENTENCE_KEYS",
]

SCHEMA_VERSION = "1.0"  # of annotations.json (schema/annotations.schema.json)
DOCUMENT_SCHEMA_VERSION = "1.0"  # of document.yaml (schema/document.schema.json)

_OPTIONAL_SOURCE_KEYS = ("document", "citation")

# Key order of the canonical JSON; part of the format (docs/format.md).
SENTENCE_KEYS = ("id", "start", "end", "review")
ENTITY_KEYS = ("id", "start", "end", "label", "text", "parent", "kb", "note", "review")


def _check_span(kind: str, ident: str, start: int, end: int) -> None:
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
        raise ValueError(f"{kind} {ident!r}: need integers 0 <= start < end, got {start!r}, {end!r}")


def _compact(obj, keys) -> dict:
    """`obj` as a dict in canonical key order, leaving out optional fields that are None."""
    out = {}
    for key in keys:
        value = getattr(obj, key)
        if value is not None:
            out[key] = value
    return out


@dataclass(frozen=True, slots=True)  # slots: half the memory per object, for files of 100,000 entities
class Sentence:
    """A sentence: `text[start:end]`, from its first character to its final punctuation."""

    id: str
    start: int
    end: int
    review: str | None = None

    def __post_init__(self):
        _check_span("sentence", self.id, self.start, self.end)

    @classmethod
    def from_dict(cls, d: dict) -> "Sentence":
        return cls(d["id"], d["start"], d["end"], d.get("review"))

    def to_dict(self) -> dict:
        return _compact(self, SENTENCE_KEYS)


@dataclass(frozen=True, slots=True)
class Entity:
    """A named-entity mention `text[start:end]`; `parent` is the id of the entity immediately containing it."""

    id: str
    start: int
    end: int
    label: str
    text: str
    parent: str | None = None
    kb: str | None = None
    note: str | None = None
    review: str | None = None

    def __post_init__(self):
        _check_span("entity", self.id, self.start, self.end)

    @classmethod
    def from_dict(cls, d: dict) -> "Entity":
        # positional, in ENTITY_KEYS order: no dict of keywords per entity (files of 100,000 entities)
        get = d.get
        return cls(d["id"], d["start"], d["end"], d["label"], d["text"], get("parent"), get("kb"), get("note"),
                   get("review"))

    def to_dict(self) -> dict:
        return _compact(self, ENTITY_KEYS)


@dataclass(frozen=True)
class Annotator:
    id: str
    role: str

    def to_dict(self) -> dict:
        return {"id": self.id, "role": self.role}


@dataclass(frozen=True)
class Annotations:
    """The sentences and entities of one text version of one document."""

    document: str
    text_version: int
    text_sha256: str
    annotators: tuple[Annotator, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    schema_version: str = SCHEMA_VERSION

    @property
    def is_empty(self) -> bool:
        """True for a document not annotated yet (no sentences and no entities)."""
        return not self.sentences and not self.entities

    @classmethod
    def from_dict(cls, d: dict) -> "Annotations":
        return cls(
            document=d["document"],
            text_version=d["text_version"],
            text_sha256=d["text_sha256"],
            annotators=tuple(Annotator(a["id"], a["role"]) for a in d.get("annotators", ())),
            sentences=tuple(Sentence.from_dict(s) for s in d.get("sentences", ())),
            entities=tuple(Entity.from_dict(e) for e in d.get("entities", ())),
            schema_version=d.get("schema_version", SCHEMA_VERSION),
        )

    def to_dict(self) -> dict:
        return {
            "schema_version": self.schema_version,
            "document": self.document,
            "text_version": self.text_version,
            "text_sha256": self.text_sha256,
            "annotators": [a.to_dict() for a in self.annotators],
            "sentences": [s.to_dict() for s in self.sentences],
            "entities": [e.to_dict() for e in self.entities],
        }

    def replace(self, **changes) -> "Annotations":
        return replace(self, **changes)


@dataclass(frozen=True)
class TextVersion:
    """One immutable version of a document's text, pinned by the sha256 of its UTF-8 bytes."""

    version: int
    file: str
    sha256: str
    chars: int
    date: str
    note: str

    @classmethod
    def from_dict(cls, d: dict) -> "TextVersion":
        return cls(**{f.name: d[f.name] for f in fields(cls)})

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Source:
    """The seed file a document was ingested from; unknown facts are None, never guessed.

    `document` (where one seed holds many documents: the document's id in the
    seed, or `#N` for the N-th) and `citation` are optional and left out of
    the YAML when None.
    """

    file: str
    sha256: str
    publisher: str | None = None
    published: str | None = None
    url: str | None = None
    note: str = ""
    document: str | None = None
    citation: str | None = None

    @classmethod
    def from_dict(cls, d: dict) -> "Source":
        return cls(**{f.name: d.get(f.name) for f in fields(cls)})

    def to_dict(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        for key in _OPTIONAL_SOURCE_KEYS:
            if out[key] is None:
                del out[key]
        return out


@dataclass(frozen=True)
class License:
    """The annotations' SPDX licence, a statement of the text's rights and, where the text has one, its SPDX licence."""

    annotations: str
    text: str
    text_spdx: str | None = None

    def to_dict(self) -> dict:
        out = {"annotations": self.annotations, "text": self.text}
        if self.text_spdx is not None:
            out["text_spdx"] = self.text_spdx
        return out

    @property
    def share_alike_conflict(self) -> bool:
        """A share-alike text (CC-BY-SA-*) whose annotations are not under a share-alike licence."""
        return is_share_alike(self.text_spdx) and not is_share_alike(self.annotations)


def is_share_alike(spdx: str | None) -> bool:
    """True for a Creative Commons ShareAlike licence id (CC-BY-SA-4.0, CC-BY-NC-SA-3.0, ...)."""
    return spdx is not None and spdx.upper().startswith("CC-") and "-SA-" in spdx.upper() + "-"


@dataclass(frozen=True)
class Document:
    """The metadata of one document (`document.yaml`)."""

    id: str
    title: str
    license: License
    source: Source
    split: str
    versions: tuple[TextVersion, ...] = field(default=())
    language: str = "ar"
    schema_version: str = DOCUMENT_SCHEMA_VERSION

    @property
    def current(self) -> TextVersion:
        """The newest text version."""
        return self.versions[-1]

    def version(self, number: int) -> TextVersion:
        for v in self.versions:
            if v.version == number:
                return v
        raise KeyError(f"document {self.id!r} has no text version {number}")

    @classmethod
    def from_dict(cls, d: dict) -> "Document":
        return cls(
            id=d["id"],
            title=d["title"],
            language=d["language"],
            license=License(**d["license"]),
            source=Source.from_dict(d["source"]),
            split=d["split"],
            versions=tuple(TextVersion.from_dict(v) for v in d["versions"]),
            schema_version=d.get("schema_version", DOCUMENT_SCHEMA_VERSION),
        )

    def to_dict(self) -> dict:
        return {
            "schema_version": self.schema_version,
            "id": self.id,
            "title": self.title,
            "language": self.language,
            "license": self.license.to_dict(),
            "source": self.source.to_dict(),
            "split": self.split,
            "versions": [v.to_dict() for v in self.versions],
        }
