"""The intermediate model of an import: documents as the source gives them, before they become corpus documents.

Readers (one module per format) turn a source file into `SourceDocument`s;
`assemble` turns each into a corpus `Document` and `Annotations`. Nothing
here touches the corpus.

Offsets are Unicode code points, 0-based, end exclusive, relative to the
text that owns them: a sentence's `text` for the entities of a
`SourceSentence`, the document's `text` for a document given whole (brat,
Label Studio, jsonl). A `level` is the nesting level the source states
(0 for the outermost BIO column); None where the source says nothing
about nesting, and then containment decides.

Faults in the source are `Fault`s: a stable code, the file and line, and a
message quoting the offending value. Readers collect them in a `Faults`
and go on reading, so that every fault of a source is listed at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "SourceEntity",
    "SourceSentence",
    "SourceDocument",
    "Fault",
    "Faults",
    "FAULTS",
    "REPAIRS",
    "join_tokens",
]

# Fault codes: what can be wrong with source data. Each is fatal (nothing is written)
# unless it is a repair below and --strict was not given.
FAULTS = {
    "source-unreadable": "the source file cannot be read or parsed at all",
    "empty-token": "a token (word form) is empty",
    "column-count": "a line has the wrong number of columns",
    "bad-tag": "a tag is not O, B-X or I-X",
    "i-without-b": "an I-X tag does not continue a B-X or I-X",
    "tokens-not-in-text": "the tokens do not match the sentence text, so entity offsets cannot be placed",
    "empty-sentence": "a sentence has no text",
    "empty-document": "a document has no sentence",
    "span-invalid": "an entity's offsets lie outside its text or are reversed",
    "span-whitespace-edge": "an entity starts or ends with whitespace",
    "span-splits-character": "an entity boundary falls between a letter and its combining marks",
    "same-span-labels": "two entities have the same span and different labels, and no rule says which contains the other",
    "same-span-duplicate": "the same span with the same label twice",
    "entity-crossing": "two entities overlap without one containing the other",
    "entity-across-sentences": "an entity crosses a sentence boundary",
    "label-unmapped": "a source label has no mapping to a Wojood label",
    "not-supported": "an annotation the format has but Akhbar does not import (brat relations, events, attributes)",
    "document-id-repeated": "a document id of the source occurs twice",
    "document-id-taken": "the document id is taken in the corpus by another text",
    "document-id-invalid": "no valid document id can be made from the source's id",
    "share-alike": "a share-alike text licence with annotations that are not share-alike",
    "invalid-result": "the assembled document would not validate",
}
# Faults that are repaired (and counted) unless --strict: what the repair does.
REPAIRS = {
    "i-without-b": "read as B-X",
    "span-whitespace-edge": "trimmed to its first and last non-whitespace character",
    "span-splits-character": "widened to whole characters (a mark stays with its letter)",
    "same-span-duplicate": "kept once",
    "not-supported": "skipped",
}


@dataclass(frozen=True)
class Fault:
    """One problem of the source data, placed at `file:line` (line None where the format has no lines)."""

    code: str
    file: str
    line: int | None
    message: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def __str__(self) -> str:
        return f"{self.where}: {self.code} {self.message}"


@dataclass
class Faults:
    """The faults found so far; `strict` turns repairs into refusals."""

    strict: bool = False
    items: list = field(default_factory=list)

    def add(self, code: str, file, line: int | None, message: str) -> bool:
        """Record a fault; True when it is repaired (the caller applies the repair), False when it is fatal."""
        assert code in FAULTS, code
        self.items.append(Fault(code, str(file), line, message))
        return code in REPAIRS and not self.strict

    @property
    def fatal(self) -> list[Fault]:
        return [f for f in self.items if self.strict or f.code not in REPAIRS]

    @property
    def repaired(self) -> list[Fault]:
        return [] if self.strict else [f for f in self.items if f.code in REPAIRS]


@dataclass(frozen=True)
class SourceEntity:
    """A mention `owner_text[start:end]` with its source label, stated nesting level and source line."""

    start: int
    end: int
    label: str
    level: int | None = None
    line: int | None = None
    kb: str | None = None
    id: str | None = None  # the source's entity id, kept where every entity of the document has a usable one
    note: str | None = None


@dataclass(frozen=True)
class SourceSentence:
    """One sentence: its exact text (for token-based formats, the tokens joined as `join_tokens` does)."""

    text: str
    entities: tuple[SourceEntity, ...] = ()
    line: int | None = None
    id: str | None = None
    # (start, end) of each source token in `text`, where the source has tokens (to count tokenizer splits)
    tokens: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class SourceDocument:
    """One document of a source file.

    Either `sentences` (the text is their texts joined by "\\n", with a final
    "\\n"), or a whole `text` with `spans` (the sentences' (start, end)) and
    `entities` in document offsets. `id` is the source's document id (None
    where it has none), `split` a split the source states (jsonl) or None.
    """

    file: Path
    line: int | None
    id: str | None
    sentences: tuple[SourceSentence, ...] = ()
    text: str | None = None
    spans: tuple[tuple[int, int], ...] = ()
    entities: tuple[SourceEntity, ...] = ()
    title: str | None = None
    split: str | None = None
    span_ids: tuple[str | None, ...] = ()  # the source's sentence ids, in the order of `spans` (jsonl)
    annotators: tuple[tuple[str, str], ...] = ()  # (id, role) the source records (jsonl)


def join_tokens(tokens, space_after=None) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The text of a tokenized sentence and each token's (start, end) in it.

    Tokens are joined by one space, except after a token whose
    `space_after` is False (CoNLL-U's SpaceAfter=No).
    """
    if space_after is None:  # the common case (CoNLL): one space everywhere
        offsets, pos = [], 0
        for token in tokens:
            end = pos + len(token)
            offsets.append((pos, end))
            pos = end + 1
        return " ".join(tokens), tuple(offsets)
    parts, offsets, pos = [], [], 0
    last = len(tokens) - 1
    for i, token in enumerate(tokens):
        offsets.append((pos, pos + len(token)))
        parts.append(token)
        pos += len(token)
        if i < last and space_after[i]:
            parts.append(" ")
            pos += 1
    return "".join(parts), tuple(offsets)
