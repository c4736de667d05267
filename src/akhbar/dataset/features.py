"""The typed features of the Hugging Face dataset, declared once per config.

The Parquet files are cast to these `datasets.Features` before they are
written, and the card's `dataset_info` is generated from them; a test asserts
that `load_dataset(DIR, config).features` equals them. Entity labels are a
`ClassLabel` whose names come from `schema/labels.yaml`; IOB2 tags are a
`ClassLabel` over `O, B-X, I-X, ...` in that order (as in conll2003).

Offsets are Unicode code points of the document's text, 0-based, end
exclusive, stored as int32 (a text is far below 2**31 code points); the
`sentences` config's entity offsets and the `ner` config's token offsets are
relative to the sentence. Token offsets are two flat int lists (`token_starts`,
`token_ends`), not a list of structs: flat lists become 1-d tensors in torch
format, where a list of structs becomes a list of dicts of 0-d tensors.
"""

from __future__ import annotations

from functools import lru_cache

from datasets import ClassLabel, Features, List, Value

from ..format.labels import label_names
from ..spans import iob_labels

__all__ = ["CONFIGS", "DEFAULT_CONFIG", "features", "entity_label", "ner_tag", "FIELD_DOCS", "LABEL_TABLES",
           "label_tables"]

CONFIGS = ("documents", "sentences", "entities", "ner")
DEFAULT_CONFIG = "documents"

_OFFSET = "int32"


def entity_label() -> ClassLabel:
    """The entity type: one of the Wojood labels of schema/labels.yaml."""
    return ClassLabel(names=label_names())


def ner_tag() -> ClassLabel:
    """An IOB2 tag: O, B-PERS, I-PERS, B-NORP, ... (label order of schema/labels.yaml)."""
    return ClassLabel(names=iob_labels(label_names()))


def _string() -> Value:
    return Value("string")


def _offset() -> Value:
    return Value(_OFFSET)


def _mention() -> dict:
    """The fields of an entity after its id, in column order (shared by the three configs that list entities)."""
    return {
        "start": _offset(),
        "end": _offset(),
        "label": entity_label(),
        "text": _string(),
        "parent": _string(),
        "kb": _string(),
        "note": _string(),
    }


def _documents() -> Features:
    return Features(
        {
            "id": _string(),
            "title": _string(),
            "text": _string(),
            "text_version": Value("int32"),
            "text_sha256": _string(),
            "language": _string(),
            "split": _string(),
            "source": {
                "file": _string(),
                "sha256": _string(),
                "publisher": _string(),
                "published": _string(),
                "url": _string(),
                "note": _string(),
                "document": _string(),
                "citation": _string(),
            },
            "license": {"annotations": _string(), "text": _string(), "text_spdx": _string()},
            "sentences": List({"id": _string(), "start": _offset(), "end": _offset()}),
            "entities": List({"id": _string(), **_mention()}),
        }
    )


def _sentences() -> Features:
    return Features(
        {
            "id": _string(),
            "doc_id": _string(),
            "index": Value("int32"),
            "start": _offset(),
            "end": _offset(),
            "text": _string(),
            "entities": List({"id": _string(), **_mention(), "depth": Value("int32")}),
        }
    )


def _entities() -> Features:
    return Features(
        {
            "id": _string(),
            "doc_id": _string(),
            "sentence_id": _string(),
            **_mention(),
            "depth": Value("int32"),
        }
    )


def _ner() -> Features:
    return Features(
        {
            "id": _string(),
            "doc_id": _string(),
            "sentence_text": _string(),
            "sentence_start": _offset(),
            "tokens": List(_string()),
            "token_starts": List(_offset()),
            "token_ends": List(_offset()),
            "ner_tags": List(ner_tag()),
            "nested_ner_tags": List(List(ner_tag())),
        }
    )


@lru_cache(maxsize=1)
def _all() -> dict[str, Features]:
    return {"documents": _documents(), "sentences": _sentences(), "entities": _entities(), "ner": _ner()}


def features() -> dict[str, Features]:
    """`{config: datasets.Features}` for the four configs, in CONFIGS order (fresh copies)."""
    return {name: f.copy() for name, f in _all().items()}


# The names of the ClassLabel integers as plain Parquet tables beside the data, for readers without `datasets`
# (DuckDB, pandas, Polars, Spark): file -> the ClassLabel whose names it lists.
LABEL_TABLES = {"labels/entity_labels.parquet": "label", "labels/ner_tags.parquet": "ner_tags"}


def label_tables() -> dict[str, "pyarrow.Table"]:  # noqa: F821
    """`{file: table}`: `entity_labels` (id, name, definition) for `label`, `ner_tags` (id, name) for the tags."""
    import pyarrow as pa

    from ..format.labels import load_labels

    labels = load_labels()
    tags = ner_tag().names
    return {
        "labels/entity_labels.parquet": pa.table({
            "id": pa.array(range(len(labels)), pa.int32()),
            "name": [lab.name for lab in labels],
            "definition": [lab.definition for lab in labels],
        }),
        "labels/ner_tags.parquet": pa.table({"id": pa.array(range(len(tags)), pa.int32()), "name": tags}),
    }


# One line per field, for the card (generated into its "Fields" section).
FIELD_DOCS: dict[str, dict[str, str]] = {
    "documents": {
        "id": "document id (the folder name under corpus/)",
        "title": "the headline",
        "text": "the exact text of the annotated version (UTF-8, NFC, LF); every offset counts its code points",
        "text_version": "number of that text version",
        "text_sha256": "sha256 of the text's UTF-8 bytes",
        "language": "ISO 639-1 code (ar)",
        "split": "train, validation or test",
        "source": "where the text came from: file, sha256, publisher, published, url, note (null when unknown), "
        "document (its place in a seed holding many documents) and citation (how an imported source asks to be cited)",
        "license": "the document's licences: annotations (SPDX id), text (the statement of the text's rights) and "
        "text_spdx (the text's SPDX id, null where the text is under its publisher's rights)",
        "sentences": "id, start, end of every sentence, the headline included",
        "entities": "id, start, end, label (ClassLabel), text == text[start:end], parent (id of the containing entity), kb (Wikidata id), note (the annotator's note, or null)",
    },
    "sentences": {
        "id": "sentence id, unique within its document (key: doc_id, id)",
        "doc_id": "document id",
        "index": "position of the sentence in its document, from 0",
        "start": "offset of the sentence in the document text",
        "end": "end offset (exclusive) in the document text",
        "text": "the sentence: document text[start:end]",
        "entities": "the entities inside the sentence, offsets relative to the sentence, with their nesting depth",
    },
    "entities": {
        "id": "entity id, unique within its document (key: doc_id, id)",
        "doc_id": "document id",
        "sentence_id": "id of the sentence holding the mention",
        "start": "offset in the document text",
        "end": "end offset (exclusive) in the document text",
        "label": "entity type (ClassLabel of the Wojood types of schema/labels.yaml, listed under Tag set)",
        "text": "the mention: document text[start:end]",
        "parent": "id of the entity immediately containing this one, or null",
        "kb": "Wikidata item, or null",
        "note": "the annotator's note on this mention (a doubt, a choice made), or null",
        "depth": "nesting depth: 0 for an outermost entity",
    },
    "ner": {
        "id": "sentence id, unique within its document (key: doc_id, id)",
        "doc_id": "document id",
        "sentence_text": "the sentence: document text[sentence_start:sentence_start + len(sentence_text)]",
        "sentence_start": "offset of the sentence in the document text",
        "tokens": "whole words, split at whitespace and punctuation (a clitic stays in its word): "
        "tokens[i] == sentence_text[token_starts[i]:token_ends[i]]",
        "token_starts": "start of each token in sentence_text (add sentence_start for the document text)",
        "token_ends": "end (exclusive) of each token in sentence_text",
        "ner_tags": "IOB2 tags (ClassLabel) of the outermost entities, each expanded to whole words",
        "nested_ner_tags": "one IOB2 tag sequence per deeper nesting level: element 0 is depth 1, ... "
        "(as many levels as the corpus's deepest nesting, so every row has the same shape)",
    },
}
