"""Hand-made annotation files with known answers for show, diff and agree.

One short text, two sentences; annotator A's entities are the reference:
PERS محمد بن سلمان, ORG جامعة القاهرة with GPE القاهرة nested in it, DATE أمس.
Each variant changes exactly one thing. Offsets are computed from the text,
code points, end exclusive.
"""

from __future__ import annotations

import copy
from pathlib import Path

from akhbar.format.canonical import dumps_annotations, dumps_document
from akhbar.format.corpus import sha256_hex

DOC_ID = "review-fixture"
TEXT = "زار محمد بن سلمان جامعة القاهرة أمس.\nوقال إن الزيارة ناجحة."
SHA = sha256_hex(TEXT.encode("utf-8"))


def _span(sub: str, after: int = 0) -> tuple[int, int]:
    start = TEXT.index(sub, after)
    return start, start + len(sub)


def _entity(ident: str, sub: str, label: str, parent: str | None = None, after: int = 0) -> dict:
    start, end = _span(sub, after)
    e = {"id": ident, "start": start, "end": end, "label": label, "text": sub}
    if parent:
        e["parent"] = parent
    return e


def annotations_a() -> dict:
    """The reference annotation: 2 sentences, 4 entities (one nested)."""
    first_end = TEXT.index(".") + 1
    second_start = TEXT.index("وقال")
    return {
        "schema_version": "1.0",
        "document": DOC_ID,
        "text_version": 1,
        "text_sha256": SHA,
        "annotators": [{"id": "annotator-a", "role": "annotator"}],
        "sentences": [
            {"id": "s1", "start": 0, "end": first_end},
            {"id": "s2", "start": second_start, "end": len(TEXT)},
        ],
        "entities": [
            _entity("e1", "محمد بن سلمان", "PERS"),
            _entity("e2", "جامعة القاهرة", "ORG"),
            _entity("e3", "القاهرة", "GPE", parent="e2"),
            _entity("e4", "أمس", "DATE"),
        ],
    }


def relabelled() -> dict:
    """e2 ORG -> FAC."""
    d = annotations_a()
    d["entities"][1]["label"] = "FAC"
    return d


def boundary_shift() -> dict:
    """e1 PERS loses its last word: محمد بن سلمان -> محمد بن."""
    d = annotations_a()
    start, end = _span("محمد بن")
    d["entities"][0].update(start=start, end=end, text="محمد بن")
    return d


def missing_nested() -> dict:
    """The nested GPE e3 is missing."""
    d = annotations_a()
    del d["entities"][2]
    return d


def sentences_merged() -> dict:
    """The two sentences as one."""
    d = annotations_a()
    d["sentences"] = [{"id": "s1", "start": 0, "end": len(TEXT)}]
    return d


def write_corpus(root: Path, annotations: dict | None = None) -> Path:
    """A corpus folder under `root` with the fixture document; returns the corpus folder."""
    corpus = root / "corpus"
    doc = corpus / DOC_ID
    doc.mkdir(parents=True)
    (doc / "text.v1.txt").write_bytes(TEXT.encode("utf-8"))
    meta = {
        "schema_version": "1.0",
        "id": DOC_ID,
        "title": "زيارة",
        "language": "ar",
        "license": {"annotations": "CC-BY-4.0", "text": "Test fixture written for Akhbar's tests."},
        "source": {"file": "seeds/review-fixture.txt", "sha256": SHA, "publisher": None,
                   "published": None, "url": None, "note": "test fixture"},
        "split": "train",
        "versions": [{"version": 1, "file": "text.v1.txt", "sha256": SHA, "chars": len(TEXT),
                      "date": "2026-11-29", "note": "test fixture"}],
    }
    (doc / "document.yaml").write_text(dumps_document(meta), encoding="utf-8")
    write_annotations(doc / "annotations.json", annotations or annotations_a())
    return corpus


def write_annotations(path: Path, data: dict) -> Path:
    path.write_text(dumps_annotations(copy.deepcopy(data)), encoding="utf-8")
    return path


def add_version(corpus: Path, text: str) -> str:
    """Append the next text version (`text`) to the fixture document; returns its sha256."""
    from akhbar.format.corpus import load_document, write_document
    from akhbar.format.model import TextVersion

    doc_dir = corpus / DOC_ID
    doc = load_document(doc_dir)
    number = doc.current.version + 1
    sha = sha256_hex(text.encode("utf-8"))
    (doc_dir / f"text.v{number}.txt").write_bytes(text.encode("utf-8"))
    version = TextVersion(number, f"text.v{number}.txt", sha, len(text), "2026-11-30", f"test fixture: version {number}")
    write_document(doc_dir / "document.yaml", doc.__class__(**{**doc.__dict__, "versions": doc.versions + (version,)}))
    return sha


def shifted(data: dict, text: str, sha: str, version: int, by: int) -> dict:
    """`data` moved onto another version whose text is the old one with `by` characters inserted at the start."""
    out = copy.deepcopy(data)
    out.update(text_version=version, text_sha256=sha)
    for item in out["sentences"] + out["entities"]:
        item["start"] += by
        item["end"] += by
    for e in out["entities"]:
        assert text[e["start"]:e["end"]] == e["text"]
    return out
