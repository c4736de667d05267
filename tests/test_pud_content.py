"""The UD Arabic-PUD news documents: every news sentence with its exact text, the passes, the agreement figure.

Reads only the repository: the CoNLL-U seed in seeds/ (kept byte for byte),
the corpus and annotation-passes/.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import conllu
import pytest

from akhbar.cli import main
from akhbar.format.corpus import ANNOTATIONS_FILE, load_annotations, load_document, read_text
from conftest import CORPUS, REPO, SEEDS

SEED = SEEDS / "ar_pud-ud-test.conllu"
PASSES = REPO / "annotation-passes" / "ud-arabic-pud-news"


def _news_sentences() -> list[tuple[str, str, str]]:
    """(newdoc id, sent_id, text) of every news sentence, in file order."""
    out, doc = [], None
    with open(SEED, encoding="utf-8") as f:
        for sentence in conllu.parse_incr(f):
            doc = sentence.metadata.get("newdoc id", doc)
            if sentence.metadata["sent_id"].startswith("n"):
                out.append((doc, sentence.metadata["sent_id"], sentence.metadata["text"]))
    return out


def test_every_news_sentence_is_a_corpus_sentence_with_its_exact_text():
    sentences = _news_sentences()
    assert len(sentences) == 500 and len({d for d, _, _ in sentences}) == 215
    by_doc: dict[str, list[str]] = {}
    for doc, _, text in sentences:
        by_doc.setdefault(doc, []).append(text)
    for doc, texts in by_doc.items():
        folder = CORPUS / f"pud-{doc}"
        document = load_document(folder)
        text = read_text(folder, document.current)
        assert text == "".join(t + "\n" for t in texts)  # one sentence per line, in file order
        ann = load_annotations(folder / ANNOTATIONS_FILE)
        assert [text[s.start:s.end] for s in ann.sentences] == texts  # UD's boundaries, kept
        assert document.source.document == doc and document.license.text_spdx == "CC-BY-SA-3.0"
        assert document.license.annotations == "CC-BY-SA-4.0"


@pytest.mark.parametrize("name", ["pass-a", "pass-b"])
def test_each_pass_annotates_every_document_on_the_corpus_text(name):
    files = sorted((PASSES / name).glob("*.json"))
    assert len(files) == 215
    for path in files:
        a = load_annotations(path)
        corpus = load_annotations(CORPUS / a.document / ANNOTATIONS_FILE)
        assert (a.text_version, a.text_sha256, a.sentences) == (corpus.text_version, corpus.text_sha256,
                                                                corpus.sentences)
        assert {x.role for x in a.annotators} == {"import", "annotator"}
    assert main(["validate", *map(str, files)]) == 0  # every pass file is a valid annotations file


def test_agree_reproduces_the_published_figure(capsys):
    assert main(["agree", str(PASSES / "pass-a"), str(PASSES / "pass-b"), "--format", "json"]) == 0
    now = json.loads(capsys.readouterr().out)
    published = json.loads((PASSES / "agreement.json").read_text(encoding="utf-8"))
    for key in ("overall", "kappa", "kappa_items"):
        assert now["pairs"][0][key] == published["pairs"][0][key]
    assert round(published["pairs"][0]["overall"]["strict"]["f1"], 3) == 0.990


def test_every_disagreement_has_an_adjudication_row():
    published = json.loads((PASSES / "agreement.json").read_text(encoding="utf-8"))
    disputed = {d["document"] for d in published["pairs"][0]["disagreements"]}
    with open(PASSES / "adjudication.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    decided = {r["doc"] for r in rows if r["cluster"] != "review"}
    assert disputed == decided and all(r["decision"] and r["reason"] for r in rows)
