"""Reader of CoNLL-U files, parsed with the `conllu` library.

Sentences come from `# text`; where it is missing, the text is rebuilt from
the surface forms (a multiword token's form stands for its words) and
`SpaceAfter=No`. Documents start at `# newdoc` (`# newdoc id = X`); a
`# newdoc id` repeating the current document's id continues it (UD PUD
repeats it on every sentence). Named entities are optional: a BIO tag in
the MISC column under `NE=` or `NER=`, several levels separated by commas,
outermost first.
"""

from __future__ import annotations

from pathlib import Path

import conllu

from .bio import bio_entities
from .model import Faults, SourceDocument, SourceSentence, join_tokens

__all__ = ["read_conllu"]

_COLUMNS = 10


def _blocks(text: str):
    """(first line number, lines) of each blank-line separated block."""
    block, start = [], 1
    for n, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if line.strip():
            if not block:
                start = n
            block.append(line)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def _check_lines(path, start: int, block: list[str], faults: Faults) -> bool:
    ok = True
    for k, line in enumerate(block):
        if line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != _COLUMNS:
            faults.add("column-count", path, start + k, f"{len(fields)} tab-separated columns, CoNLL-U has {_COLUMNS}")
            ok = False
        elif fields[1] == "":
            faults.add("empty-token", path, start + k, f"token {fields[0]!r} has an empty form")
            ok = False
    return ok


def _ne_tags(misc) -> list[str]:
    if not misc:
        return []
    value = misc.get("NE") or misc.get("NER")
    return value.split(",") if value else []


def _surface(tokens: conllu.TokenList, start: int, block: list[str]):
    """Surface tokens as (form, space_after, ne tags, line): multiword tokens replace their words."""
    token_lines = [start + k for k, line in enumerate(block) if not line.startswith("#")]
    out, covered_until = [], 0
    for token, line in zip(tokens, token_lines):
        ident = token["id"]
        if isinstance(ident, tuple):
            if ident[1] == "-":  # a multiword token 3-4
                covered_until = ident[2]
                misc = token["misc"] or {}
                out.append([token["form"], misc.get("SpaceAfter") != "No", _ne_tags(misc), line])
            continue  # empty nodes 3.1 are not in the text
        if ident <= covered_until:
            if out and not out[-1][2]:
                out[-1][2] = _ne_tags(token["misc"])
            continue
        misc = token["misc"] or {}
        out.append([token["form"], misc.get("SpaceAfter") != "No", _ne_tags(misc), line])
    return out


def _align(text: str, forms: list[str]):
    """Each form's (start, end) in `text`, found in order; None when a form is not where expected."""
    offsets, pos = [], 0
    for form in forms:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if not text.startswith(form, pos):
            return None
        offsets.append((pos, pos + len(form)))
        pos += len(form)
    return tuple(offsets)


def read_conllu(path: Path, text: str, faults: Faults) -> tuple[list[SourceDocument], bool]:
    """The documents of a CoNLL-U file and whether it marks document boundaries (`# newdoc`)."""
    documents: list[SourceDocument] = []
    bounded = False
    seen: set[str] = set()
    doc_id, doc_line, sentences = None, 1, []

    def end_document():
        if sentences:
            documents.append(SourceDocument(path, doc_line, doc_id, tuple(sentences)))
            sentences.clear()

    for start, block in _blocks(text):
        if not _check_lines(path, start, block, faults):
            continue
        try:
            parsed = conllu.parse("\n".join(block) + "\n\n")
        except conllu.exceptions.ParseException as exc:
            faults.add("source-unreadable", path, start, f"not CoNLL-U: {exc}")
            continue
        if not parsed:
            continue
        tokens = parsed[0]
        meta = tokens.metadata
        if "newdoc id" in meta or "newdoc" in meta:
            new_id = meta.get("newdoc id")
            if not (new_id is not None and new_id == doc_id and sentences):
                end_document()
                bounded = True
                if new_id is not None and new_id in seen:
                    faults.add("document-id-repeated", path, start, f"document {new_id!r} starts a second time")
                if new_id is not None:
                    seen.add(new_id)
                doc_id, doc_line = new_id, start
        surface = _surface(tokens, start, block)
        forms = [s[0] for s in surface]
        tags = [s[2] for s in surface]
        lines = [s[3] for s in surface]
        sentence_text = meta.get("text")
        if sentence_text is None:
            sentence_text, offsets = join_tokens(forms, [s[1] for s in surface])
        else:
            offsets = _align(sentence_text, forms)
            if offsets is None:
                if any(tags):
                    faults.add("tokens-not-in-text", path, start, "the forms do not match `# text`, so the entity "
                               "offsets cannot be placed")
                    continue
                offsets = ()
        entities = bio_entities(tags, offsets, lines, faults, path) if any(tags) else ()
        sentences.append(SourceSentence(sentence_text, entities, start, meta.get("sent_id"), offsets))
    end_document()
    return documents, bounded
