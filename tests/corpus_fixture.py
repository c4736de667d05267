"""A small hand-made corpus in the real on-disk format: nested entities, clitics, all three splits.

Entities are given as (surface text, label, occurrence, parent key) and their
offsets are found in the text, so the fixture cannot disagree with itself.
"""

from __future__ import annotations

from pathlib import Path

from akhbar.format.canonical import dumps_annotations, dumps_document
from akhbar.format.corpus import sha256_hex

LICENSE = {"annotations": "CC-BY-4.0", "text": "Written for the akhbar test suite; CC0."}

# id -> (split, text, [(sentence text)], [(key, surface, label, nth occurrence, parent key, kb)])
DOCUMENTS = {
    "t01-alpha": (
        "train",
        "اجتماع أمني في ليبيا\nقال وزير الخارجية التونسي، أمس، إن «داعش» ينتقل إلى ليبيا.",
        ["اجتماع أمني في ليبيا", "قال وزير الخارجية التونسي، أمس، إن «داعش» ينتقل إلى ليبيا."],
        [
            ("e1", "ليبيا", "GPE", 0, None, "Q1016"),
            ("e2", "وزير الخارجية التونسي", "OCC", 0, None, None),
            ("e3", "التونسي", "NORP", 0, "e2", None),
            ("e4", "أمس", "DATE", 0, None, None),
            ("e5", "داعش", "ORG", 0, None, None),
            ("e6", "ليبيا", "GPE", 1, None, "Q1016"),
        ],
    ),
    "t02-beta": (
        "train",
        "مصر وتونس\nدفعت مصر مليون دولار لشركة مصر للطيران في القاهرة.",
        ["مصر وتونس", "دفعت مصر مليون دولار لشركة مصر للطيران في القاهرة."],
        [
            ("a", "مصر", "GPE", 0, None, None),
            ("b", "تونس", "GPE", 0, None, None),  # inside وتونس: the word takes the tag
            ("c", "مصر", "GPE", 1, None, None),
            ("d", "مليون دولار", "MONEY", 0, None, None),
            ("e", "دولار", "CURR", 0, "d", None),
            ("f", "شركة مصر للطيران", "ORG", 0, None, None),
            ("g", "مصر", "GPE", 2, "f", None),
            ("h", "القاهرة", "GPE", 0, None, None),
        ],
    ),
    "t03-gamma": (
        "validation",
        "جامعة القاهرة في مصر\nدرس 200 طالب في جامعة القاهرة عام 2020.",
        ["جامعة القاهرة في مصر", "درس 200 طالب في جامعة القاهرة عام 2020."],
        [
            ("u1", "جامعة القاهرة", "ORG", 0, None, None),
            ("u2", "القاهرة", "GPE", 0, "u1", None),
            ("u3", "مصر", "GPE", 0, None, None),
            ("u4", "200", "CARDINAL", 0, None, None),
            ("u5", "جامعة القاهرة", "ORG", 1, None, None),
            ("u6", "القاهرة", "GPE", 1, "u5", None),
            ("u7", "عام 2020", "DATE", 0, None, None),
        ],
    ),
    "t04-delta": (
        "test",
        "بنك الجزائر المركزي\nرفع بنك الجزائر المركزي الفائدة بنسبة 2 في المئة.",
        ["بنك الجزائر المركزي", "رفع بنك الجزائر المركزي الفائدة بنسبة 2 في المئة."],
        [
            ("x1", "بنك الجزائر المركزي", "ORG", 0, None, None),
            ("x2", "الجزائر", "GPE", 0, "x1", None),
            ("x3", "بنك الجزائر المركزي", "ORG", 1, None, None),
            ("x4", "الجزائر", "GPE", 1, "x3", None),
            ("x5", "2 في المئة", "PERCENT", 0, None, None),
            ("x6", "2", "CARDINAL", 0, "x5", None),
        ],
    ),
    "t05-empty": ("train", "نص لم يعلّق بعد.", [], []),  # not annotated yet: left out of the dataset
}


def _find(text: str, surface: str, nth: int) -> int:
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(surface, pos + 1)
    return pos


def document_files(doc_id: str, split: str, text: str, sentences, entities) -> dict[str, str]:
    """The three files of one document folder, canonical, for `text` and its annotations."""
    sha = sha256_hex(text.encode("utf-8"))
    meta = {
        "schema_version": "1.0",
        "id": doc_id,
        "title": text.split("\n", 1)[0],
        "language": "ar",
        "license": dict(LICENSE),
        "source": {"file": f"seeds/{doc_id}.txt", "sha256": sha, "publisher": None, "published": None,
                   "url": None, "note": "test fixture"},
        "split": split,
        "versions": [{"version": 1, "file": "text.v1.txt", "sha256": sha, "chars": len(text),
                      "date": "2026-11-29", "note": "test fixture"}],
    }
    sent, pos = [], 0
    for i, s in enumerate(sentences, start=1):
        start = text.index(s, pos)
        sent.append({"id": f"s{i}", "start": start, "end": start + len(s)})
        pos = start + len(s)
    ents = []
    for key, surface, label, nth, parent, kb in entities:
        start = _find(text, surface, nth)
        e = {"id": key, "start": start, "end": start + len(surface), "label": label, "text": surface}
        if parent:
            e["parent"] = parent
        if kb:
            e["kb"] = kb
        ents.append(e)
    ann = {"schema_version": "1.0", "document": doc_id, "text_version": 1, "text_sha256": sha,
           "annotators": [{"id": "fixture", "role": "annotator"}] if ents else [],
           "sentences": sent, "entities": ents}
    return {"document.yaml": dumps_document(meta), "annotations.json": dumps_annotations(ann), "text.v1.txt": text}


def write_corpus(root: Path, documents: dict = DOCUMENTS) -> Path:
    """A repository at `root` with corpus/ holding `documents`, their seeds/ and a CITATION.cff; returns corpus/."""
    corpus = root / "corpus"
    for doc_id, (split, text, sentences, entities) in documents.items():
        folder = corpus / doc_id
        folder.mkdir(parents=True)
        for name, content in document_files(doc_id, split, text, sentences, entities).items():
            (folder / name).write_bytes(content.encode("utf-8"))
        (root / "seeds").mkdir(exist_ok=True)
        (root / "seeds" / f"{doc_id}.txt").write_bytes(text.encode("utf-8"))
    (root / "CITATION.cff").write_text(
        'cff-version: 1.2.0\nmessage: "Cite it."\ntype: dataset\ntitle: "Akhbar test corpus"\n'
        "version: 9.9.9\nauthors:\n  - name: Tests\n",
        encoding="utf-8",
    )
    return corpus
