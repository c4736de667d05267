"""Write the validator's fixtures: tests/valid/<case>/ and tests/invalid/<code>/<case>/.

Each case is a small repository (corpus/ and seeds/) built from one valid
sample document and one deliberate change, described in the case's README.md.
An invalid case must raise exactly its folder's code (tests/test_validate_fixtures.py).
Run `python scripts/make_validation_fixtures.py` after changing a case; the
fixtures are committed, so a reviewer reads them as files.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from akhbar.format.canonical import dumps_annotations, dumps_document  # noqa: E402
from akhbar.format.corpus import sha256_hex  # noqa: E402

HEADLINE = "تعاون أمني بين الجزائر وتونس"
S2 = "قال وزير الخارجية الجزائري أحمد عطاف إن التعاون مع تونس مستمر منذ عام 2014."
S3 = "وأكد أن الحدود بين البلدين آمنة."
TEXT = f"{HEADLINE}\n{S2} {S3}\n"
RIGHTS = "The sample text was written for these tests; it is in the public domain."


class Doc:
    """One sample document: text, seed, metadata and annotations, with `raw` overrides of whole files."""

    def __init__(self, doc_id: str = "sample-doc", text: str = TEXT, seed: str | None = None):
        self.id = doc_id
        self.folder = doc_id
        self.text = text
        self.seed = (seed if seed is not None else text).encode("utf-8")
        self.seed_name = f"{doc_id.replace('-', '_')}.txt"
        self.extra_versions: list[str] = []
        self.document = {
            "schema_version": "1.0", "id": doc_id, "title": HEADLINE, "language": "ar",
            "license": {"annotations": "CC-BY-4.0", "text": RIGHTS},
            "source": {"file": f"seeds/{self.seed_name}", "sha256": sha256_hex(self.seed), "publisher": None,
                       "published": None, "url": None, "note": "A sample written for the tests."},
            "split": "train",
            "versions": [self.version(1, text)],
        }
        self.annotations = {
            "schema_version": "1.0", "document": doc_id, "text_version": 1,
            "text_sha256": sha256_hex(text.encode("utf-8")),
            "annotators": [{"id": "fixture-writer", "role": "annotator"}],
            "sentences": self.sentences(text),
            "entities": self.entities(text),
        }
        self.raw: dict[str, bytes | None] = {}  # file name in the folder -> bytes (None: delete)

    @staticmethod
    def version(n: int, text: str) -> dict:
        return {"version": n, "file": f"text.v{n}.txt", "sha256": sha256_hex(text.encode("utf-8")), "chars": len(text),
                "date": "2026-11-29", "note": "Written for the tests."}

    @staticmethod
    def sentences(text: str) -> list[dict]:
        """Each line's runs up to a full stop, without edge whitespace."""
        out = []
        for m in re.finditer(r"[^\n.]+\.?", text):
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            end = m.start() + len(m.group().rstrip())
            if end > start:
                out.append({"id": f"s{len(out) + 1}", "start": start, "end": end})
        return out

    @staticmethod
    def entities(text: str) -> list[dict]:
        found = []

        def add(pattern, label, after=0, parent=None):
            m = re.compile(pattern).search(text, after)
            e = {"id": f"e{len(found) + 1}", "start": m.start(), "end": m.end(), "label": label, "text": m.group()}
            if parent:
                e["parent"] = parent
            found.append(e)

        add("الجزائر", "GPE")
        add("تونس", "GPE")
        s2 = text.find("قال")
        add("وزير الخارجية الجزائري", "OCC", s2)
        add("الجزائري", "NORP", s2, parent="e3")
        add(r"أ\S+ عط\S+", "PERS", s2)
        add("تونس", "GPE", s2)
        add(r"عام \S*[0-9]+", "DATE", s2)
        return found

    def add_version(self, text: str) -> None:
        self.extra_versions.append(text)
        self.document["versions"].append(self.version(len(self.document["versions"]) + 1, text))

    def write(self, repo: Path, corpus: str = "corpus") -> None:
        folder = repo / corpus / self.folder
        folder.mkdir(parents=True, exist_ok=True)
        files = {
            "document.yaml": dumps_document(self.document).encode("utf-8"),
            "annotations.json": dumps_annotations(self.annotations).encode("utf-8"),
            "text.v1.txt": self.text.encode("utf-8"),
        }
        for n, text in enumerate(self.extra_versions, start=2):
            files[f"text.v{n}.txt"] = text.encode("utf-8")
        files.update(self.raw)
        for name, data in files.items():
            if data is not None:
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                (folder / name).write_bytes(data)
        (repo / "seeds").mkdir(exist_ok=True)
        if self.seed is not None:
            (repo / "seeds" / self.seed_name).write_bytes(self.seed)


def ann_json(doc: Doc) -> str:
    return dumps_annotations(doc.annotations)


def ent(doc: Doc, i: int) -> dict:
    return doc.annotations["entities"][i]


CASES: dict[str, dict[str, tuple[str, callable]]] = {}


def case(code: str, name: str, why: str):
    def register(fn):
        CASES.setdefault(code, {})[name] = (why, fn)
        return fn
    return register


# Cases that also draw `check-skipped`: their problem leaves part of the file unchecked, and the report says so.
ALSO_SKIPPED = {("check-skipped", "string-offset"), ("path-escapes-corpus", "symlinked-text"), ("schema-missing-key", "entity-without-text"),
                ("span-offset-not-integer", "string-offset"), ("span-out-of-bounds", "negative-start"),
                ("text-sha256-mismatch", "other-hash"), ("text-version-unknown", "version-3"),
                ("version-length-mismatch", "wrong-chars"), ("version-numbering", "starts-at-2"),
                ("version-sha256-mismatch", "edited-in-place"), ("yaml-implicit-type", "unquoted-date")}


def write_case(target: Path, why: str, fn, also: list | None = None) -> None:
    target.mkdir(parents=True)
    result = fn()
    docs, extra = (result if isinstance(result, tuple) else (result, {}))
    if also:
        config = json.loads(extra.get("validate.json", "{}"))
        extra = dict(extra, **{"validate.json": json.dumps(dict(config, also=also))})
    for doc in docs if isinstance(docs, list) else [docs]:
        doc.write(target)
    other = extra.pop("_other", None)
    if other is not None:  # a second corpus folder in the same repository
        other.write(target, corpus="corpus2")
    for name, data in extra.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".symlink"):
            (target / name[: -len(".symlink")]).symlink_to(data)
        else:
            (target / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    (target / "README.md").write_text(f"{why}\n", encoding="utf-8")


# ---------------------------------------------------------------- the cases (appended below)


def _rewrite_json(doc: Doc, old: str, new: str) -> None:
    text = ann_json(doc)
    assert old in text, old
    doc.raw["annotations.json"] = text.replace(old, new, 1).encode("utf-8")


def _rewrite_yaml(doc: Doc, old: str, new: str) -> None:
    text = dumps_document(doc.document)
    assert old in text, old
    doc.raw["document.yaml"] = text.replace(old, new, 1).encode("utf-8")


def _with_text(text: str, seed: str | None = None) -> Doc:
    return Doc(text=text, seed=seed)


# ---- valid
@case("valid", "sample", "One annotated document: nested entities, a parent link, clitic-attached mentions.")
def _():
    return Doc()


@case("valid", "two-versions", "Two text versions; the annotations follow the newest one.")
def _():
    doc = Doc()
    v2 = TEXT.replace("آمنة.", "آمنة تماماً.")
    doc.add_version(v2)
    doc.annotations.update(text_version=2, text_sha256=sha256_hex(v2.encode()), sentences=Doc.sentences(v2))
    return doc


@case("valid", "bidi-in-seed", "A bidirectional control that the pinned seed has too is allowed.")
def _():
    text = TEXT.replace("عام 2014", "\u202bعام 2014\u202c")
    return _with_text(text)


@case("valid", "harakat", "Combining marks inside a mention stay with their letters.")
def _():
    text = TEXT.replace("أحمد", "أَحْمَد")
    doc = _with_text(text)
    return doc


@case("valid", "two-documents", "Two documents of one corpus with their own seeds.")
def _():
    other = Doc("second-doc", text=TEXT.replace("2014", "2015"))
    return [Doc(), other]


# ---- files
@case("file-missing", "no-annotations", "annotations.json is missing from the document folder.")
def _():
    doc = Doc()
    doc.raw["annotations.json"] = None
    return doc


@case("file-unreadable", "folder-instead-of-file", "annotations.json is a folder.")
def _():
    doc = Doc()
    doc.raw["annotations.json"] = None
    doc.raw["annotations.json/README"] = b"not a file\n"
    return doc


@case("file-too-large", "over-the-cap", "annotations.json is larger than the cap (lowered to 1 KiB by validate.json).")
def _():
    return Doc(), {"validate.json": json.dumps({"max_file_bytes": 1024})}


@case("stray-file", "editor-backup", "An editor's backup file sits in the document folder.")
def _():
    doc = Doc()
    doc.raw["annotations.json~"] = ann_json(doc).encode()
    return doc


@case("path-escapes-corpus", "symlinked-text", "text.v1.txt is a symbolic link to a file outside the document folder.")
def _():
    doc = Doc()
    doc.raw["text.v1.txt"] = None
    return doc, {"corpus/sample-doc/text.v1.txt.symlink": "../../seeds/sample_doc.txt"}


@case("folder-name-invalid", "upper-case-folder", "The document folder is named 'Sample_Doc', not a valid id.")
def _():
    doc = Doc()
    doc.folder = "Sample_Doc"
    return doc


@case("encoding-not-utf8", "latin-1-byte", "annotations.json has a Latin-1 byte in a string.")
def _():
    doc = Doc()
    doc.raw["annotations.json"] = ann_json(doc).encode().replace(b"fixture-writer", b"fixture-\xe9writer")
    return doc


@case("encoding-bom", "bom", "annotations.json starts with a UTF-8 byte order mark.")
def _():
    doc = Doc()
    doc.raw["annotations.json"] = b"\xef\xbb\xbf" + ann_json(doc).encode()
    return doc


@case("line-ending-not-lf", "crlf", "annotations.json has CRLF line endings.")
def _():
    doc = Doc()
    doc.raw["annotations.json"] = ann_json(doc).replace("\n", "\r\n").encode()
    return doc


# ---- parsing
@case("json-syntax", "trailing-comma", "A trailing comma after the last entity.")
def _():
    doc = Doc()
    text = ann_json(doc)
    doc.raw["annotations.json"] = text.replace("}\n  ]\n}", "},\n  ]\n}").encode()
    return doc


@case("json-duplicate-key", "start-twice", "An entity has two 'start' keys.")
def _():
    doc = Doc()
    e = ent(doc, 0)
    _rewrite_json(doc, f'"id": "e1", "start": {e["start"]}', f'"id": "e1", "start": 99, "start": {e["start"]}')
    return doc


@case("json-non-finite", "nan-offset", "An entity's start is NaN.")
def _():
    doc = Doc()
    _rewrite_json(doc, f'"id": "e1", "start": {ent(doc, 0)["start"]}', '"id": "e1", "start": NaN')
    return doc


@case("nesting-too-deep", "deep-note", "An entity's note is nested 70 arrays deep.")
def _():
    doc = Doc()
    _rewrite_json(doc, '"label": "GPE", "text": "الجزائر"', '"label": "GPE", "text": "الجزائر", "note": ' + "[" * 70 + "]" * 70)
    return doc


@case("yaml-syntax", "unclosed-flow", "document.yaml has an unclosed flow sequence.")
def _():
    doc = Doc()
    _rewrite_yaml(doc, "split: train", "split: [train")
    return doc


@case("yaml-duplicate-key", "split-twice", "document.yaml has two 'split' keys.")
def _():
    doc = Doc()
    _rewrite_yaml(doc, "split: train", "split: train\nsplit: test")
    return doc


@case("yaml-anchor-alias", "anchor", "document.yaml uses an anchor.")
def _():
    doc = Doc()
    _rewrite_yaml(doc, "license:\n", "license: &lic\n")
    return doc


@case("yaml-explicit-tag", "python-tag", "document.yaml has an explicit !!python tag.")
def _():
    doc = Doc()
    _rewrite_yaml(doc, "split: train", "split: !!python/name:os.system train")
    return doc


@case("yaml-implicit-type", "unquoted-date", "A version date is unquoted, so YAML reads it as a date.")
def _():
    doc = Doc()
    _rewrite_yaml(doc, "date: '2026-11-29'", "date: 2026-11-29")
    return doc


@case("yaml-unsupported", "two-documents", "document.yaml holds two YAML documents.")
def _():
    doc = Doc()
    doc.raw["document.yaml"] = (dumps_document(doc.document) + "---\nid: other\n").encode()
    return doc


# ---- schema
@case("schema-missing-key", "entity-without-text", "An entity has no 'text'.")
def _():
    doc = Doc()
    del ent(doc, 0)["text"]
    return doc


@case("schema-unknown-key", "notes-for-note", "An entity has 'notes' (the key is 'note').")
def _():
    doc = Doc()
    ent(doc, 0)["notes"] = "checked"
    return doc


@case("schema-wrong-type", "numeric-note", "An entity's note is a number.")
def _():
    doc = Doc()
    ent(doc, 0)["note"] = 5
    return doc


@case("schema-bad-value", "unknown-role", "An annotator's role is 'editor'.")
def _():
    doc = Doc()
    doc.annotations["annotators"][0]["role"] = "editor"
    return doc


@case("schema-version-unsupported", "version-2", "schema_version is 2.0.")
def _():
    doc = Doc()
    doc.annotations["schema_version"] = "2.0"
    return doc


@case("schema-version-unsupported", "document-version-2", "document.yaml's schema_version is 2.0.")
def _():
    doc = Doc()
    doc.document["schema_version"] = "2.0"
    return doc


@case("id-invalid", "path-like-entity-id", "An entity id is '../e1'.")
def _():
    doc = Doc()
    ent(doc, 0)["id"] = "../e1"
    return doc


# A trailing newline: Python's re.search lets `$` match before it; the schema's patterns (ECMA-262) do not.
@case("id-invalid", "entity-id-trailing-newline", "An entity id is 'e1' followed by a newline.")
def _():
    doc = Doc()
    ent(doc, 0)["id"] = "e1\n"
    return doc


@case("id-invalid", "document-id-trailing-newline", "annotations.json's document is 'sample-doc' followed by a newline.")
def _():
    doc = Doc()
    doc.annotations["document"] = "sample-doc\n"
    return doc


@case("id-invalid", "yaml-id-trailing-newline", "document.yaml's id is 'sample-doc' followed by a newline.")
def _():
    doc = Doc()
    doc.document["id"] = "sample-doc\n"
    return doc


@case("schema-bad-value", "sha256-trailing-newline", "annotations.json's text_sha256 ends with a newline.")
def _():
    doc = Doc()
    doc.annotations["text_sha256"] += "\n"
    return doc


@case("split-invalid", "dev", "The split is 'dev'.")
def _():
    doc = Doc()
    doc.document["split"] = "dev"
    return doc


@case("label-unknown", "conll-per", "An entity is labelled 'PER' (the tag set says PERS).")
def _():
    doc = Doc()
    ent(doc, 4)["label"] = "PER"
    return doc


@case("kb-invalid", "url", "A kb link is a URL, not a Wikidata id.")
def _():
    doc = Doc()
    ent(doc, 0)["kb"] = "https://www.wikidata.org/wiki/Q262"
    return doc


@case("kb-invalid", "trailing-newline", "A kb link is 'Q262' followed by a newline.")
def _():
    doc = Doc()
    ent(doc, 0)["kb"] = "Q262\n"
    return doc


@case("span-offset-not-integer", "string-offset", "An entity's start is the string \"3\".")
def _():
    doc = Doc()
    ent(doc, 0)["start"] = str(ent(doc, 0)["start"])
    return doc


# ---- document and versions
@case("document-id-mismatch", "renamed-id", "document.yaml says id 'other-doc' in folder sample-doc.")
def _():
    doc = Doc()
    doc.document["id"] = "other-doc"
    return doc


@case("version-numbering", "starts-at-2", "The only version is numbered 2.")
def _():
    doc = Doc()
    doc.document["versions"][0]["version"] = 2
    return doc


@case("version-file-name", "v2-file-for-v1", "Version 1 is stored in text.v2.txt.")
def _():
    doc = Doc()
    doc.document["versions"][0]["file"] = "text.v2.txt"
    doc.raw["text.v1.txt"] = None
    doc.raw["text.v2.txt"] = TEXT.encode()
    return doc


@case("version-sha256-mismatch", "edited-in-place", "text.v1.txt was edited after ingest.")
def _():
    doc = Doc()
    doc.raw["text.v1.txt"] = TEXT.replace("آمنة", "مؤمنة").encode()
    return doc


@case("version-length-mismatch", "wrong-chars", "chars is one more than the text's length.")
def _():
    doc = Doc()
    doc.document["versions"][0]["chars"] += 1
    return doc


@case("seed-missing", "deleted-seed", "The seed file was deleted.")
def _():
    doc = Doc()
    doc.seed = None
    return doc


@case("seed-sha256-mismatch", "re-saved-seed", "The seed file was changed after ingest.")
def _():
    doc = Doc()
    doc.seed = doc.seed + b"\n"
    return doc


@case("text-version-unknown", "version-3", "annotations.json names text version 3 of a one-version document.")
def _():
    doc = Doc()
    doc.annotations["text_version"] = 3
    return doc


@case("text-sha256-mismatch", "other-hash", "annotations.json pins the hash of another text.")
def _():
    doc = Doc()
    doc.annotations["text_sha256"] = sha256_hex(b"another text")
    return doc


@case("annotations-not-current", "on-version-1", "Annotations stay on version 1 of a two-version document.")
def _():
    doc = Doc()
    doc.add_version(TEXT.replace("آمنة.", "آمنة تماماً."))
    return doc


# ---- text hygiene
@case("text-not-nfc", "decomposed-alef-madda", "The text has a decomposed alef with madda (seed the same).")
def _():
    return _with_text(TEXT.replace("آمنة", "\u0627\u0653منة"))


@case("text-bidi-control", "override-not-in-seed", "The text has U+202E that the seed does not have.")
def _():
    return _with_text(TEXT.replace("آمنة", "آ\u202eمنة"), seed=TEXT)


@case("text-control-character", "escape-in-text", "The text (and its seed) has an ESC (U+001B) inside a sentence.")
def _():
    return _with_text(TEXT.replace("آمنة", "آمنة\x1b[31m"))


@case("text-control-character", "nul-in-text", "The text (and its seed) has a NUL inside a word.")
def _():
    return _with_text(TEXT.replace("آمنة", "آم\x00نة"))


@case("string-lone-surrogate", "note", "An entity's note is a lone high surrogate written as a JSON escape.")
def _():
    doc = Doc()
    ent(doc, 0)["note"] = "PLACEHOLDER"
    doc.raw["annotations.json"] = ann_json(doc).replace("PLACEHOLDER", "\\ud83d").encode("utf-8")
    return doc


@case("string-lone-surrogate", "annotator-id", "An annotator id ends with a lone low surrogate.")
def _():
    doc = Doc()
    _rewrite_json(doc, '"id": "fixture-writer"', '"id": "fixture-writer\\udc00"')
    return doc


@case("string-control-character", "newline-in-url", "source.url holds a line break.")
def _():
    doc = Doc()
    doc.document["source"]["url"] = "https://example.org/a\nb"
    return doc


@case("string-control-character", "nul-in-title", "The title holds a NUL.")
def _():
    doc = Doc()
    doc.document["title"] = HEADLINE + "\x00"
    return doc


@case("string-control-character", "escape-in-note", "An entity's note holds an ESC sequence.")
def _():
    doc = Doc()
    ent(doc, 0)["note"] = "checked\x1b[2J"
    return doc


@case("string-bidi-control", "override-in-license", "license.text holds U+202E RIGHT-TO-LEFT OVERRIDE.")
def _():
    doc = Doc()
    doc.document["license"]["text"] = RIGHTS + " \u202eevil"
    return doc


@case("string-bidi-control", "isolate-in-annotator", "An annotator id holds U+2066 LEFT-TO-RIGHT ISOLATE.")
def _():
    doc = Doc()
    doc.annotations["annotators"][0]["id"] = "fixture\u2066writer"
    return doc


@case("text-invisible-format", "rlm", "The text (and its seed) has a RIGHT-TO-LEFT MARK.")
def _():
    return _with_text(TEXT.replace("آمنة", "آمنة\u200f"))


# ---- spans
@case("span-out-of-bounds", "end-past-text", "The last sentence ends past the end of the text.")
def _():
    doc = Doc()
    doc.annotations["sentences"][-1]["end"] = len(TEXT) + 5
    return doc


@case("span-out-of-bounds", "negative-start", "An entity starts at -1.")
def _():
    doc = Doc()
    ent(doc, 0)["start"] = -1
    return doc


@case("span-empty-or-reversed", "empty-entity", "An entity's end equals its start.")
def _():
    doc = Doc()
    ent(doc, 0)["end"] = ent(doc, 0)["start"]
    ent(doc, 0)["text"] = "x"
    return doc


@case("entity-text-mismatch", "shifted-offsets", "An entity's offsets are shifted by one.")
def _():
    doc = Doc()
    ent(doc, 4)["start"] += 1
    ent(doc, 4)["end"] += 1
    return doc


@case("span-whitespace-edge", "trailing-space", "An entity ends with the space after the word.")
def _():
    doc = Doc()
    e = ent(doc, 4)
    e["end"] += 1
    e["text"] = TEXT[e["start"]:e["end"]]
    return doc


@case("span-splits-character", "before-shadda", "An entity ends between a letter and its shadda.")
def _():
    text = TEXT.replace("أحمد عطاف", "أحمد عطّاف")
    doc = _with_text(text)
    e = ent(doc, 4)
    e["end"] = text.find("ّ")
    e["text"] = text[e["start"]:e["end"]]
    return doc


# ---- sentences and entities
@case("id-duplicate", "entity-id-twice", "Two entities are both 'e2'.")
def _():
    doc = Doc()
    ent(doc, 0)["id"] = "e2"
    return doc


@case("sentence-order", "swapped", "The second and third sentences are listed in reverse order.")
def _():
    doc = Doc()
    s = doc.annotations["sentences"]
    s[1], s[2] = s[2], s[1]
    return doc


@case("sentence-overlap", "overlap", "The third sentence starts inside the second.")
def _():
    doc = Doc()
    doc.annotations["sentences"][2]["start"] -= 3
    return doc


@case("sentence-gap", "last-sentence-missing", "The last sentence is missing.")
def _():
    doc = Doc()
    doc.annotations["sentences"].pop()
    return doc


@case("entity-outside-sentence", "across-sentences", "An entity runs from the end of one sentence into the next.")
def _():
    doc = Doc()
    start = TEXT.find("2014.")
    end = TEXT.find("وأكد") + 4
    doc.annotations["entities"].append({"id": "e8", "start": start, "end": end, "label": "EVENT", "text": TEXT[start:end]})
    doc.annotations["entities"][6]["end"] = doc.annotations["entities"][6]["start"] + 3
    doc.annotations["entities"][6]["text"] = "عام"
    return doc


@case("parent-missing", "unknown-parent", "An entity's parent is 'e99'.")
def _():
    doc = Doc()
    ent(doc, 3)["parent"] = "e99"
    return doc


@case("parent-not-containing", "wrong-parent", "An entity's parent does not contain it.")
def _():
    doc = Doc()
    ent(doc, 3)["parent"] = "e5"
    return doc


@case("parent-cycle", "own-parent", "An entity is its own parent.")
def _():
    doc = Doc()
    ent(doc, 2)["parent"] = "e3"
    return doc


@case("entity-nesting-too-deep", "chain-of-65", "65 entities, each the parent of the next (the cap is 64 levels).")
def _():
    words = " ".join(["كلمة"] * 70)  # whole words, so that no guideline rule fires on the chain
    text = TEXT.replace("آمنة", "آمنة " + words)
    doc = _with_text(text)
    doc.annotations["sentences"] = Doc.sentences(text)
    start = text.find(words)
    end = start + len(words)
    for k in range(65):
        e = {"id": f"n{k}", "start": start + 5 * k, "end": end, "label": "ORG", "text": text[start + 5 * k:end]}
        if k:
            e["parent"] = f"n{k - 1}"
        doc.annotations["entities"].append(e)
    return doc


@case("entity-partial-overlap", "crossing", "An entity crosses another one's boundary.")
def _():
    doc = Doc()
    start = TEXT.find("الجزائري أحمد")
    end = start + len("الجزائري أحمد")
    doc.annotations["entities"].append({"id": "e8", "start": start, "end": end, "label": "PERS", "text": TEXT[start:end]})
    return doc


@case("entities-share-a-word", "two-mentions-in-one-word",
      "Two outermost mentions are written as one word («الجزائريةالتونسية»): the ner config cannot tag both.")
def _():
    text = TEXT.replace("الحدود بين البلدين", "الحدود الجزائريةالتونسية")
    doc = _with_text(text)
    doc.annotations["sentences"] = Doc.sentences(text)
    start = text.find("الجزائريةالتونسية")
    for word, at in (("الجزائرية", start), ("التونسية", start + len("الجزائرية"))):
        doc.annotations["entities"].append({"id": f"e{len(doc.annotations['entities']) + 1}", "start": at,
                                            "end": at + len(word), "label": "NORP", "text": word})
    return doc


@case("entities-share-a-word", "parent-dropped",
      "A nested mention (الجزائري in وزير الخارجية الجزائري) lost its parent, so both are outermost.")
def _():
    doc = Doc()
    del ent(doc, 3)["parent"]
    return doc


@case("entity-duplicate", "same-span-same-label", "The same mention is annotated twice.")
def _():
    doc = Doc()
    doc.annotations["entities"].append(dict(ent(doc, 4), id="e8"))
    return doc


# ---- the guidelines' span rules (validate/rules.py) and the fix hints
# The good examples of span rules 2 and 5 (docs/guidelines.md), each annotated as the rule says.
G_TEXT = ("تنسيق أمني بين مصر وتونس ضد «داعش»\n"
          "وقال مسؤول لتونس إن التعاون مع مصر يشمل الحدود مع ليبيا. "
          "وأضاف أن لـ(داعش) خلايا قرب بغزة وأن (داعش) خسر 6% من عناصره.\n")


class _BareDoc(Doc):
    """A document whose entities the case writes itself."""

    @staticmethod
    def entities(text: str) -> list[dict]:
        return []


def _guideline_doc() -> Doc:
    doc = _BareDoc(text=G_TEXT)
    found, cursor = [], 0
    for word, label in (("مصر", "GPE"), ("تونس", "GPE"), ("داعش", "ORG"), ("تونس", "GPE"), ("مصر", "GPE"),
                        ("ليبيا", "GPE"), ("داعش", "ORG"), ("غزة", "GPE"), ("داعش", "ORG"), ("6%", "PERCENT")):
        at = G_TEXT.index(word, cursor)
        found.append({"id": f"e{len(found) + 1}", "start": at, "end": at + len(word), "label": label, "text": word})
        cursor = at + len(word)
    doc.annotations["entities"] = found
    return doc


def _set_span(e: dict, text: str, start: int, end: int) -> None:
    e.update(start=start, end=end, text=text[start:end])


@case("valid", "guideline-span-examples", "The good examples of span rules 2 and 5: proclitics و ل لـ ب outside "
      "(و[تونس], ل[تونس], لـ([داعش]), ب[غزة]), quotes, brackets and the full stop outside («[داعش]», ([داعش]), "
      "[ليبيا].), and names that begin with proclitic letters need no rule.")
def _():
    return _guideline_doc()


@case("entity-proclitic-inside", "conjunction-inside", "Span rule 2: «وتونس» is annotated with its و, and «تونس» "
      "is a GPE elsewhere in the document.")
def _():
    doc = _guideline_doc()
    e = ent(doc, 1)
    _set_span(e, G_TEXT, e["start"] - 1, e["end"])
    return doc


@case("entity-punctuation-edge", "quotes-inside", "Span rule 5: the ORG «داعش» is annotated with its quotation marks.")
def _():
    doc = _guideline_doc()
    e = ent(doc, 2)
    _set_span(e, G_TEXT, e["start"] - 1, e["end"] + 1)
    return doc


@case("entity-punctuation-edge", "full-stop", "Span rule 5: [ليبيا.] takes the sentence's full stop.")
def _():
    doc = _guideline_doc()
    e = ent(doc, 5)
    _set_span(e, G_TEXT, e["start"], e["end"] + 1)
    return doc


@case("entity-splits-parent-word", "country-in-nationality",
      "A GPE «الجزائر» nested (with parent) inside the NORP «الجزائري»: part of a word, not a mention.")
def _():
    doc = Doc()
    e4 = ent(doc, 3)
    doc.annotations["entities"].insert(4, {"id": "e8", "start": e4["start"], "end": e4["start"] + len("الجزائر"),
                                           "label": "GPE", "text": "الجزائر", "parent": "e4"})
    return doc


@case("entity-same-span-labels", "gpe-and-loc", "تونس is annotated twice on one span, as GPE and as LOC nested in it "
      "(with `parent`, so the dataset can tag both; without it, entities-share-a-word is an error as well).")
def _():
    doc = Doc()
    doc.annotations["entities"].append(dict(ent(doc, 5), id="e8", label="LOC", parent="e6"))
    return doc


@case("annotators-missing", "empty-list", "The file has annotations and `\"annotators\": []`.")
def _():
    doc = Doc()
    doc.annotations["annotators"] = []
    return doc


@case("sentence-holds-several", "two-in-one", "The second sentence unit runs on over the third sentence.")
def _():
    doc = Doc()
    s = doc.annotations["sentences"]
    s[1]["end"] = s.pop(2)["end"]
    return doc


@case("check-skipped", "string-offset", "An entity's start is the string \"3\": it is left out of the span checks, "
      "and the report says so.")
def _():
    doc = Doc()
    ent(doc, 2)["start"] = str(ent(doc, 2)["start"])
    return doc


@case("entity-duplicate", "wrong-occurrence", "The second تونس (e6) was given the offsets of the first one (e2), "
      "leaving the mention in the body unannotated: the hint points to it.")
def _():
    doc = Doc()
    e2, e6 = ent(doc, 1), ent(doc, 5)
    e6.update(start=e2["start"], end=e2["end"])
    return doc


@case("label-unknown", "lower-case-word", "An entity is labelled 'person' (the tag set says PERS).")
def _():
    doc = Doc()
    ent(doc, 4)["label"] = "person"
    return doc



@case("review-pending", "revised", "An entity carries the review note `akhbar revise` left.")
def _():
    doc = Doc()
    ent(doc, 4)["review"] = "the text under this entity changed in version 2"
    return doc


@case("not-annotated", "empty-lists", "The document has no sentences and no entities yet.")
def _():
    doc = Doc()
    doc.annotations.update(sentences=[], entities=[], annotators=[])
    return doc


@case("not-canonical", "indented", "annotations.json is valid but indented with json.dumps(indent=4).")
def _():
    doc = Doc()
    doc.raw["annotations.json"] = (json.dumps(doc.annotations, ensure_ascii=False, indent=4) + "\n").encode()
    return doc


# ---- corpus
@case("document-id-duplicate", "two-corpora", "Two corpus folders given together hold the same document id.")
def _():
    other = Doc(text=TEXT.replace("2014", "2015"))
    other.seed_name = "sample_doc_2.txt"
    other.document["source"]["file"] = "seeds/sample_doc_2.txt"
    return [Doc()], {"validate.json": json.dumps({"paths": ["corpus", "corpus2"]}), "_other": other}


@case("source-duplicate", "same-seed", "Two documents were ingested from the same seed.")
def _():
    a = Doc("first-doc")
    b = Doc("second-doc")
    b.seed_name = a.seed_name
    b.document["source"]["file"] = a.document["source"]["file"]
    return [a, b]



def _index(docs: list, edit=None) -> dict:
    """The files of corpus/.index for `docs` ({"corpus/.index/seed/3f.tsv": text, ...}); `edit` may change the rows."""
    from akhbar.format.index import dumps_shards, row_of_dict

    rows = [row_of_dict(d.document) for d in docs]
    return {f"corpus/.index/{name}": text for name, text in dumps_shards(edit(rows) if edit else rows).items()}


def _two_from_one_seed() -> list:
    a = Doc("first-doc")
    b = Doc("second-doc", text=TEXT.replace("2014", "2015"))
    b.seed = a.seed
    b.seed_name = a.seed_name
    b.document["source"].update(file=a.document["source"]["file"], sha256=a.document["source"]["sha256"])
    a.document["source"]["document"] = "d1"
    b.document["source"]["document"] = "d2"
    return [a, b]


@case("valid", "one-seed-two-documents", "One seed holds two imported documents (source.document d1 and d2); "
      "corpus/.index lists both, in both shard families.")
def _():
    docs = _two_from_one_seed()
    return docs, _index(docs)


@case("index-mismatch", "stale-row", "corpus/.index records another text sha256 for the document (in both families: "
      "the text family's row is then also in the wrong shard).")
def _():
    from dataclasses import replace

    doc = Doc()
    return doc, _index([doc], lambda rows: [replace(r, text_sha256="0" * 64) for r in rows])


@case("index-mismatch", "missing-row", "corpus/.index lists one of the two documents only.")
def _():
    docs = _two_from_one_seed()
    return docs, _index(docs[:1])


@case("index-mismatch", "wrong-shard", "The document's row is in shard ff.tsv of the text family, not in the shard "
      "its text sha256 names.")
def _():
    doc = Doc()
    files = _index([doc])
    text_shard = next(name for name in files if "/text/" in name)
    files[text_shard.rsplit("/", 1)[0] + "/ff.tsv"] = files.pop(text_shard)  # the sample's sha256 starts 84
    return doc, files


@case("index-legacy", "index-tsv", "The corpus has the single corpus/index.tsv of release 0.2.0 (and no .index).")
def _():
    doc = Doc()
    from akhbar.format.index import HEADER, row_of_dict

    return doc, {"corpus/index.tsv": f"{HEADER}\n{row_of_dict(doc.document).line()}\n"}


@case("license-share-alike", "cc-by-sa-text", "The text is under CC-BY-SA-4.0 and the annotations under CC-BY-4.0.")
def _():
    doc = Doc()
    doc.document["license"]["text_spdx"] = "CC-BY-SA-4.0"
    return doc


def main() -> None:
    tests = REPO / "tests"
    for kind in ("valid", "invalid"):
        shutil.rmtree(tests / kind, ignore_errors=True)
    for code, cases in sorted(CASES.items()):
        for name, (why, fn) in cases.items():
            base = tests / "valid" / name if code == "valid" else tests / "invalid" / code / name
            also = ["span-offset-not-integer"] if code == "check-skipped" else ["check-skipped"]
            write_case(base, why, fn, also if (code, name) in ALSO_SKIPPED else None)
    print(f"wrote {sum(len(c) for c in CASES.values())} cases")


if __name__ == "__main__":
    main()
