"""Reader of CoNLL files in the Wojood layout: a token, then one or more BIO tag columns per line.

    -DOCSTART- [doc-id]          starts a document (the id is optional)
    token TAG [TAG ...]          columns separated by spaces or tabs; tag columns outermost first

A token cannot hold a space (no CoNLL can say where it would end).
    (blank line)                 ends a sentence

The number of tag columns may vary from line to line (missing columns are
O). A sentence's text is its tokens joined by single spaces. Lines are
1-based in faults.
"""

from __future__ import annotations

from pathlib import Path

from .bio import bio_entities
from .model import Faults, SourceDocument, SourceSentence, join_tokens

__all__ = ["read_conll", "DOCSTART"]

DOCSTART = "-DOCSTART-"
_NOT_AN_ID = {"-X-", "O"}


def read_conll(path: Path, text: str, faults: Faults) -> tuple[list[SourceDocument], bool]:
    """The documents of a CoNLL file and whether it marks document boundaries (`-DOCSTART-`)."""
    documents: list[SourceDocument] = []
    bounded = False
    doc_id, doc_line, sentences = None, 1, []
    tokens, tags, lines = [], [], []

    def end_sentence():
        if tokens:
            sentence_text, offsets = join_tokens(tokens)
            sentences.append(SourceSentence(sentence_text, bio_entities(tags, offsets, lines, faults, path),
                                            lines[0], None, offsets))
            tokens.clear(), tags.clear(), lines.clear()

    def end_document():
        if sentences:
            documents.append(SourceDocument(path, doc_line, doc_id, tuple(sentences)))
            sentences.clear()

    for n, line in enumerate(text.split("\n"), start=1):
        fields = line.split()
        if not fields:
            end_sentence()
            continue
        if line[0] in " \t":  # a separator first: the token is empty
            fields.insert(0, "")
        if fields[0] == DOCSTART:
            end_sentence()
            end_document()
            bounded = True
            rest = fields[1:]
            doc_id = rest[0] if len(rest) == 1 and rest[0] not in _NOT_AN_ID else None
            doc_line = n
            continue
        if fields[0] == "":
            faults.add("empty-token", path, n, f"the line {line[:40]!r} starts with a separator: the token is empty")
            continue
        line_tags = fields[1:]
        if not line_tags:
            faults.add("column-count", path, n, f"{fields[0]!r} has no tag column (need a token and at least one tag)")
            continue
        tokens.append(fields[0])
        tags.append(line_tags)
        lines.append(n)
    end_sentence()
    end_document()
    return documents, bounded
