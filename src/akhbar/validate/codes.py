"""The registry of problem codes: the one place a code, its severity and its documentation live.

A code is kebab-case and stable: once released it never changes meaning
(retire it and add a new one instead). `docs/validation.md` is generated from
this registry by `docs.render_docs()` (`python scripts/gen_validation_docs.py`);
a test checks that the page is up to date and that every code has an
invalid fixture under `tests/invalid/<code>/`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..format.safe_open import MAX_FILE_BYTES  # the one size cap, defined where every reader opens files

__all__ = ["Code", "CODES", "ERROR", "WARNING", "get"]

ERROR = "error"
WARNING = "warning"

MAX_DEPTH = 64
MAX_ENTITY_DEPTH = 64  # levels of nested entities: an outermost one and 63 below it


@dataclass(frozen=True)
class Code:
    """One kind of problem: its stable name, severity, one-line title, what it means, a bad example and the fix."""

    name: str
    severity: str
    group: str
    title: str
    description: str
    bad: str
    fix: str


CODES: dict[str, Code] = {}


def _code(name, severity, group, title, description, bad, fix) -> None:
    assert name not in CODES, name
    CODES[name] = Code(name, severity, group, title, description, bad, fix)


def get(name: str) -> Code:
    """The registered code `name` (KeyError for an unregistered one: a programming error)."""
    return CODES[name]


# ---------------------------------------------------------------- files
_code("file-missing", ERROR, "Files", "A required file is missing",
      "Every document folder holds `document.yaml`, `annotations.json` and one `text.vN.txt` per listed version.",
      "corpus/my-doc/  (document.yaml and text.v1.txt, no annotations.json)",
      "Add the missing file; `akhbar ingest` creates all three for a new document.")
_code("file-unreadable", ERROR, "Files", "A file cannot be read",
      "The operating system refused to read the file (permissions, or a folder where a file belongs).",
      "corpus/my-doc/annotations.json/  (a folder)",
      "Make it a regular readable file.")
_code("file-too-large", ERROR, "Files", "A file is larger than the size cap",
      f"Files are not parsed past {MAX_FILE_BYTES // (1024 * 1024)} MiB: no news article needs more, and the cap keeps the validator safe on hostile input.",
      "annotations.json of 40 MiB",
      "Split the text into several documents.")
_code("stray-file", ERROR, "Files", "An unexpected file is in a document folder",
      "A document folder holds only `document.yaml`, `annotations.json` and the `text.vN.txt` files listed in `versions`; anything else (an editor backup, an unlisted version) would be silently ignored by the build.",
      "corpus/my-doc/annotations.json~",
      "Delete the file, or list the version in `document.yaml`.")
_code("path-escapes-corpus", ERROR, "Files", "A file or folder name leads outside the corpus",
      "A symbolic link or a name that resolves outside the document folder (or the seeds folder) is refused: the validator never reads files it was not given.",
      "corpus/my-doc/text.v1.txt -> /etc/passwd",
      "Replace the link with the real file.")
_code("folder-name-invalid", ERROR, "Files", "A document folder name is not a valid id",
      "Document folders are named by their id: lower-case ASCII letters and digits in hyphen-separated groups, at most 64 characters.",
      "corpus/My Doc/",
      "Rename the folder (and the `id`) to something like `algeria-libya-2014`.")
_code("encoding-not-utf8", ERROR, "Files", "A file is not valid UTF-8",
      "Every file is UTF-8; the validator decodes strictly and reports the line and column of the first bad byte.",
      "a Windows-1256 encoded annotations.json",
      "Re-save the file as UTF-8.")
_code("encoding-bom", ERROR, "Files", "A file starts with a byte order mark",
      "UTF-8 needs no byte order mark, and in a text file it would shift every offset by one.",
      "EF BB BF at the start of annotations.json",
      "Save the file as UTF-8 without BOM.")
_code("line-ending-not-lf", ERROR, "Files", "A file has CR or CRLF line endings",
      "Files use LF line endings only; in a text version a CR is a character that offsets count.",
      '{\\r\\n  "schema_version": "1.0",\\r\\n',
      "Convert the line endings to LF (git: set `* text eol=lf`).")

# ---------------------------------------------------------------- parsing
_code("json-syntax", ERROR, "Parsing", "annotations.json is not valid JSON",
      "The file does not parse as JSON; it is reported once, at the position of the first syntax error, and not checked further.",
      '{"sentences": [ {"id": "s1", "start": 0, "end": 5}, ]}',
      "Fix the syntax at the reported line and column (here: the trailing comma).")
_code("json-duplicate-key", ERROR, "Parsing", "A JSON object repeats a key",
      "JSON parsers silently keep the last of two equal keys, so one of the values would be lost without a word.",
      '{"id": "e1", "start": 0, "start": 4, "end": 9, "label": "GPE", "text": "ليبيا"}',
      "Keep one of the two keys.")
_code("json-non-finite", ERROR, "Parsing", "A JSON number is NaN or infinite",
      "`NaN`, `Infinity` and numbers too large for a float are not JSON numbers.",
      '{"start": NaN}',
      "Write the integer offset.")
_code("nesting-too-deep", ERROR, "Parsing", "Nesting is deeper than the cap",
      f"Arrays and objects (JSON) or collections (YAML) are nested at most {MAX_DEPTH} deep; the real formats need 4.",
      '{"note": [[[[[[ ... ]]]]]]}',
      "Remove the nesting: the format has flat lists of flat objects.")
_code("yaml-syntax", ERROR, "Parsing", "document.yaml is not valid YAML",
      "The file does not parse as YAML; it is reported once, at the position of the error.",
      "title: [unclosed",
      "Fix the syntax at the reported line and column.")
_code("yaml-duplicate-key", ERROR, "Parsing", "A YAML mapping repeats a key",
      "YAML loaders silently keep the last of two equal keys.",
      "split: train\nsplit: test",
      "Keep one of the two keys.")
_code("yaml-anchor-alias", ERROR, "Parsing", "document.yaml uses an anchor or alias",
      "Anchors (`&a`), aliases (`*a`) and merge keys make the file mean something other than what it shows; they are refused.",
      "license: &lic\n  annotations: CC-BY-4.0\nsource: *lic",
      "Write the values out in full.")
_code("yaml-explicit-tag", ERROR, "Parsing", "document.yaml uses an explicit tag",
      "Tags such as `!!python/object` or `!!str` are refused: safe, plain YAML only.",
      "title: !!python/object:os.system ls",
      "Remove the tag; quote the value if it must stay a string.")
_code("yaml-implicit-type", ERROR, "Parsing", "A YAML value meant as a string was read as a bool, number, date or null",
      "Unquoted YAML turns `yes`, `no`, `2014`, `2026-11-29` and an empty value into a bool, a number, a date or null. Where the schema wants a string, that is this code, not a type error.",
      "date: 2026-11-29",
      "Quote the value: `date: '2026-11-29'`.")
_code("yaml-unsupported", ERROR, "Parsing", "document.yaml uses a YAML feature the format does not allow",
      "The file holds one document whose keys are plain strings; several documents (`---`) or complex keys (`? [a, b]`) are refused.",
      "id: a\n---\nid: b",
      "Keep one document with plain keys.")

# ---------------------------------------------------------------- schema
_code("schema-missing-key", ERROR, "Schema", "A required key is missing",
      "The schema (`schema/*.schema.json`) requires the key in this object.",
      '{"id": "e1", "start": 0, "end": 5, "text": "ليبيا"}  (no "label")',
      "Add the key.")
_code("schema-unknown-key", ERROR, "Schema", "A key the schema does not know",
      "Objects allow only the keys of the schema; the message suggests the nearest valid key (a typo is the usual cause).",
      '{"id": "e1", "strat": 0, ...}',
      "Rename the key to the suggested one, or remove it.")
_code("schema-wrong-type", ERROR, "Schema", "A value has the wrong JSON type",
      "The schema wants another type here (a string, an integer, an array, an object).",
      '{"text_version": "1"}',
      "Write a value of the type named in the message (here the integer 1).")
_code("schema-bad-value", ERROR, "Schema", "A value is outside what the schema allows",
      "The value breaks a constraint of the schema: an allowed list, a pattern, a minimum or a length.",
      '{"role": "editor"}',
      "Use one of the values named in the message.")
_code("schema-version-unsupported", ERROR, "Schema", "schema_version is not one this validator knows",
      "The format version (`schema_version`) of annotations.json and of document.yaml must be `1.0`.",
      '{"schema_version": "2.0"}',
      'Write `"schema_version": "1.0"`, or upgrade akhbar.')
_code("id-invalid", ERROR, "Schema", "An id has characters or a length the format does not allow",
      "Document ids are lower-case ASCII letters and digits in hyphen-separated groups (at most 64 characters); sentence and entity ids are ASCII letters, digits, `_`, `.` and `-`, starting with a letter or digit.",
      '{"id": "../e1"}',
      "Use an id like `e12` (entities), `s3` (sentences) or `algeria-libya-2014` (documents).")
_code("split-invalid", ERROR, "Schema", "The split is not train, validation or test",
      "Every document belongs to exactly one of the three splits, recorded at ingest; the validator does not recompute the rule.",
      "split: dev",
      "Write the split `akhbar ingest` recorded: train, validation or test.")
_code("label-unknown", ERROR, "Schema", "An entity label is not in the tag set",
      "Labels are the types of `schema/labels.yaml` (Wojood), in upper case.",
      '{"label": "PER"}',
      'Use the label the message suggests: the same letters in upper case, the Akhbar label a CoNLL-2003 or OntoNotes tag maps to in labels.yaml (`PER`, `PERSON` → `PERS`; `LOC` → `GPE`, `LOC` or `FAC`), or the nearest spelling.')
_code("kb-invalid", ERROR, "Schema", "A knowledge-base link is not a Wikidata item id",
      "`kb` holds a Wikidata item id: `Q` and a number without leading zeros.",
      '{"kb": "https://www.wikidata.org/wiki/Q1016"}',
      'Write the bare id: `"kb": "Q1016"`.')
_code("span-offset-not-integer", ERROR, "Spans", "An offset is not an integer",
      "Offsets are integers counting Unicode code points of the text version.",
      '{"start": 3.0, "end": "9"}',
      "Write integers.")

# ---------------------------------------------------------------- document and versions
_code("document-id-mismatch", ERROR, "Document", "The id does not match the document folder",
      "`id` in document.yaml and `document` in annotations.json equal the name of the document's folder.",
      "corpus/libya-2014/document.yaml:  id: libya-2015",
      "Make the id and the folder name equal.")
_code("version-numbering", ERROR, "Document", "Versions are not numbered 1..N in order",
      "`versions` lists every version oldest first, numbered 1, 2, 3 ... without gaps or repeats.",
      "versions: [{version: 1, ...}, {version: 3, ...}]",
      "Renumber, or restore the missing version.")
_code("version-file-name", ERROR, "Document", "A version's file is not named after its number",
      "Version N lives in `text.vN.txt`.",
      "- version: 2\n  file: text.v1.txt",
      "Name the file `text.v2.txt`.")
_code("version-sha256-mismatch", ERROR, "Document", "A version file does not match its recorded sha256",
      "Version files are immutable: their sha256 is recorded when they are made. A mismatch means the text was edited in place, which silently moves every offset.",
      "text.v1.txt edited by hand after ingest",
      "Restore the file from git; change a text only with `akhbar revise`, which makes a new version.")
_code("version-length-mismatch", ERROR, "Document", "A version file's length differs from its recorded `chars`",
      "`chars` is the length of the text in Unicode code points.",
      "chars: 2010  (the file has 2011 code points)",
      "Restore the file from git, or correct `chars` if the file is right.")
_code("seed-missing", ERROR, "Document", "The seed file named in `source` does not exist",
      "The raw seed a document was ingested from stays in `seeds/` for provenance.",
      "source:\n  file: seeds/000_deleted.txt",
      "Restore the seed file from git.")
_code("seed-sha256-mismatch", ERROR, "Document", "The seed file does not match its recorded sha256",
      "Seed files are kept byte for byte as received.",
      "seeds/000_x.txt re-saved by an editor",
      "Restore the seed file from git.")
_code("license-share-alike", WARNING, "Document", "A share-alike text has annotations under a licence that is not share-alike",
      "A text under a Creative Commons ShareAlike licence (`license.text_spdx` CC-BY-SA-*, CC-BY-NC-SA-*) is distributed together with its annotations, which are an adaptation of it: they carry a share-alike licence too (docs/importing.md).",
      "license:\n  annotations: CC-BY-4.0\n  text_spdx: CC-BY-SA-4.0",
      "Put the annotations under a share-alike licence: `annotations: CC-BY-SA-4.0`.")
_code("text-version-unknown", ERROR, "Document", "annotations.json names a text version that does not exist",
      "`text_version` is one of the versions listed in document.yaml.",
      '{"text_version": 3}  (document.yaml lists versions 1 and 2)',
      "Name an existing version; move annotations to a new version with `akhbar revise`.")
_code("text-sha256-mismatch", ERROR, "Document", "annotations.json pins another text than the version file",
      "`text_sha256` equals the sha256 of the named version's file, so offsets are never applied to a text they were not made for.",
      '{"text_version": 1, "text_sha256": "<the sha256 of version 2>"}',
      "Copy the version's sha256 from document.yaml after checking the offsets against that text.")
_code("annotations-not-current", WARNING, "Document", "The annotations refer to an older text version",
      "Annotations normally refer to the newest version; `akhbar revise` carries them across when it makes a new version.",
      '{"text_version": 1}  (document.yaml lists versions 1 and 2)',
      "Run `akhbar revise` to carry the annotations to the newest version.")

# ---------------------------------------------------------------- text hygiene
_code("text-not-nfc", ERROR, "Text", "A text version is not in Unicode NFC",
      "Texts are composed to NFC at ingest so that equal words have equal code points and offsets.",
      "ا + U+0653 (decomposed alef with madda) instead of U+0622",
      "Make a new version with `akhbar revise`, which normalises to NFC.")
_code("text-bidi-control", ERROR, "Text", "A text version holds a bidirectional control character",
      "U+202A–U+202E and U+2066–U+2069 reorder text invisibly (a 'Trojan Source' risk). They are allowed only when the pinned seed has them too.",
      "U+202E RIGHT-TO-LEFT OVERRIDE inside a sentence",
      "Remove it with `akhbar revise`, or check that the seed really has it.")
_code("text-invisible-format", WARNING, "Text", "A text version holds an invisible format character",
      "Other characters of category Cf (zero-width joiners, marks, soft hyphens) are legitimate in Arabic but invisible in review; each distinct one is reported once.",
      "U+200F RIGHT-TO-LEFT MARK",
      "Keep it if the source has it; otherwise remove it with `akhbar revise`.")

_code("text-control-character", ERROR, "Text", "A text version holds a control character",
      "A text holds letters, marks, spaces, TAB and LF: no other C0 control (NUL, BEL, BS, ESC...), no DEL, no C1 control. They are invisible in review and an ESC sequence rewrites a terminal.",
      "U+001B ESCAPE inside a sentence",
      "Remove it with `akhbar revise` (and from the seed, if it came from there, by re-ingesting a clean copy).")

# ---------------------------------------------------------------- strings
_code("string-lone-surrogate", ERROR, "Strings", "A string holds a lone surrogate",
      "A JSON escape such as `\\ud83d` without its pair is not a character: it cannot be written as UTF-8, so no tool could print or save it. Reported in any string or key of either file.",
      '{"note": "\\ud83d"}',
      "Write the character itself, or the complete pair (`\\ud83d\\ude00`).")
_code("string-control-character", ERROR, "Strings", "A string field holds a control character",
      "Free-text fields (an entity's `text`, `note` and `review`, a sentence's `review`, `license.text`, `source.note`, a version's `note`) may hold TAB and LF, no other control. Every other string (ids, labels, urls, dates, the title, names, keys) is one line and holds no control at all.",
      '{"source": {"url": "https://example.org/a\\nb"}}',
      "Remove the control character (a one-line field cannot hold a line break).")
_code("string-bidi-control", ERROR, "Strings", "A metadata field holds a bidirectional control",
      "U+202A-U+202E and U+2066-U+2069 reorder what a reader sees (a 'Trojan Source' risk). No field may hold one, except an entity's `text`, which copies the text (whose own rule allows those the seed has).",
      '{"title": "\u202etitle"}  (U+202E RIGHT-TO-LEFT OVERRIDE)',
      "Remove it; write the field in logical order.")

# ---------------------------------------------------------------- spans
_code("span-out-of-bounds", ERROR, "Spans", "A span lies outside the text",
      "Offsets satisfy 0 <= start < end <= len(text), counting Unicode code points.",
      '{"start": 2005, "end": 2015}  (the text has 2010 code points)',
      "Correct the offsets against the text version named in `text_version`.")
_code("span-empty-or-reversed", ERROR, "Spans", "A span's end is not after its start",
      "Spans are end-exclusive and not empty: start < end.",
      '{"start": 10, "end": 10}',
      "Set `end` to the offset just after the last character.")
_code("entity-text-mismatch", ERROR, "Spans", "An entity's `text` differs from the text at its offsets",
      "`text` repeats `text[start:end]` so a reader can check offsets by eye; the message shows both, escaped.",
      '{"start": 40, "end": 45, "text": "ليبيا"}  (text[40:45] is "في لي")',
      "Set the offsets the message gives: it names the occurrence of `text` nearest the given offsets (and its kind, when it is not a whole word). When `text` does not occur at all, correct `text` to the characters at the offsets.")
_code("span-whitespace-edge", ERROR, "Spans", "A span starts or ends with whitespace",
      "Spans start at their first character and end after their last one.",
      '{"start": 39, "end": 45, "text": " ليبيا"}',
      "Move the boundary past the whitespace.")
_code("span-splits-character", ERROR, "Spans", "A span boundary separates a combining mark from its base letter",
      "A boundary never falls between a letter and its combining marks (harakat, shadda): the mark belongs to the letter before it.",
      "a span ending between ب and its shadda U+0651",
      "Move the boundary after the combining marks.")

# ---------------------------------------------------------------- sentences and entities
_code("id-duplicate", ERROR, "Annotations", "Two sentences or two entities have the same id",
      "Sentence ids are unique among sentences and entity ids among entities of a file.",
      '{"id": "e3", ...}, {"id": "e3", ...}',
      "Give one of them a new id.")
_code("sentence-order", ERROR, "Annotations", "Sentences are not in text order",
      "Sentences are listed by their start offset.",
      '[{"id": "s2", "start": 50, ...}, {"id": "s1", "start": 0, ...}]',
      "Reorder them (`akhbar fmt` does not reorder, by design).")
_code("sentence-overlap", ERROR, "Annotations", "Two sentences overlap",
      "Every character belongs to at most one sentence.",
      '{"id": "s1", "start": 0, "end": 60}, {"id": "s2", "start": 55, ...}',
      "Move the boundary so that one ends where the next may start.")
_code("sentence-gap", ERROR, "Annotations", "Non-whitespace text is outside every sentence",
      "Sentences together cover every non-whitespace character (the headline is a sentence too).",
      "text 'عنوان\\nنص.' with one sentence covering only the headline",
      "Add a sentence for the uncovered text or extend a neighbour.")
_code("entity-outside-sentence", ERROR, "Annotations", "An entity is not inside exactly one sentence",
      "A mention never crosses a sentence boundary and never lies between sentences.",
      "an entity from offset 55 to 70 across sentences ending at 60",
      "Fix the entity's offsets or the sentence boundary.")
_code("parent-missing", ERROR, "Annotations", "An entity's parent does not exist",
      "`parent` is the id of another entity of the same file.",
      '{"id": "e4", "parent": "e99", ...}',
      "Set `parent` to the entity the message names, the smallest one whose span contains this one; when it says none contains it, drop `parent`.")
_code("parent-not-containing", ERROR, "Annotations", "An entity is not inside its parent",
      "A nested mention lies inside the span of its parent, and is not the parent itself.",
      '{"id": "e4", "start": 10, "end": 20, "parent": "e3"}  (e3 spans 12..30)',
      "Set `parent` to the entity the message names (the smallest one containing this one), or drop `parent` when none does; if the parent is right, fix the offsets.")
_code("parent-cycle", ERROR, "Annotations", "Entities are each other's parents",
      "Following `parent` links from any entity ends at a top-level entity.",
      '{"id": "e1", "parent": "e2"}, {"id": "e2", "parent": "e1"}',
      "Drop the `parent` of the outer entity.")
_code("entity-nesting-too-deep", ERROR, "Annotations", "Entities are nested deeper than the cap",
      f"A chain of `parent` links is at most {MAX_ENTITY_DEPTH} entities long (an outermost one and {MAX_ENTITY_DEPTH - 1} levels inside it); real news needs 4 or 5. The `ner` config writes one tag sequence per level, so the cap keeps the dataset's size linear in the text. Reported once per file, at the first entity too deep.",
      f'{MAX_ENTITY_DEPTH + 1} entities, each the parent of the next',
      "Flatten the chain: `parent` names the entity that immediately contains a mention.")
_code("entity-partial-overlap", ERROR, "Annotations", "Two entities overlap without one containing the other",
      "Mentions nest or are disjoint; crossing spans cannot be encoded as nested IOB tags.",
      "e1 spans 0..10, e2 spans 5..15",
      "Fix the boundaries so that one contains the other or they are apart.")
_code("entities-share-a-word", ERROR, "Annotations", "Two entities of one nesting level share a word",
      "The `ner` config of the dataset tags whole words: a mention expands to every word it touches (clitics stay in their word), and each word gets one tag per nesting level. Levels come from `parent`: an entity without `parent` is outermost, a nested one is one level below its parent. Two entities of the same level that touch the same word cannot both be tagged, so the dataset build refuses the corpus. The usual causes: a nested mention whose `parent` is missing, or two mentions written as one word.",
      "text «الأمريكيةالفرنسية» (one written word), with\n"
      '{"id": "e8", "start": 60, "end": 69, "label": "NORP", "text": "الأمريكية"},\n{"id": "e9", "start": 69, "end": 77, "label": "NORP", "text": "الفرنسية"}',
      "Follow the message. When the inner span is a whole word (or words) of the outer one, the nesting is right: set `parent` on the inner one. When it is part of a word (تونس inside التونسي), it is no mention at all: do not set `parent` (that only hides the problem); delete it, or move it to one of the whole-word occurrences the message lists (`akhbar find TEXT` shows them all). When two outermost mentions are written as one word, restore the space with `akhbar revise` (a new text version) or keep only one.")
_code("entity-duplicate", ERROR, "Annotations", "Two entities have the same span and label",
      "Each mention is annotated once.",
      '{"id": "e1", "start": 0, "end": 5, "label": "GPE"}, {"id": "e2", "start": 0, "end": 5, "label": "GPE"}',
      "The usual mistake is the wrong occurrence: the message lists the occurrences of the same text that no entity of this label covers; move the duplicate's offsets to the one meant. When it lists none, delete the duplicate.")
_code("entity-same-span-labels", WARNING, "Annotations", "Two entities have the same span and different labels",
      "One span, one label (guidelines, Nesting). A warning, not an error: imported corpora carry such pairs on purpose (Wojood's nested columns give a DATE and a TIME on one word), and with `parent` the dataset tags both. A pair declared legitimate in `same_span_pairs` of `schema/labels.yaml` is not reported (none is, today). Without `parent`, `entities-share-a-word` is reported as well.",
      '{"id": "e1", "start": 0, "end": 5, "label": "GPE"}, {"id": "e2", "start": 0, "end": 5, "label": "LOC"}',
      "Keep the entity with the right label and delete the other (the message names both).")
_code("review-pending", ERROR, "Annotations", "An annotation still waits for a person's review",
      "`akhbar revise` sets `review` on an annotation it could not carry across a text revision with certainty. The annotation is not accepted until someone checks it and removes the field.",
      '{"id": "e7", ..., "review": "the text under this entity changed in version 2"}',
      "Check the annotation against the text, correct it, then delete `review`.")
_code("entity-proclitic-inside", WARNING, "Guidelines", "An entity starts with an attached proclitic",
      "Span rule 2: و ف ب ك ل stay outside the span. Reported only when the rest of the word is itself annotated with the same label in the document («وبنغازي» beside a GPE «بنغازي»), because many names begin with the same letters (بغداد، لبنان، فلسطين، كندا، واشنطن). Also «للظواهري» beside «الظواهري»: rule 4, the span is لظواهري.",
      '{"id": "e9", "label": "GPE", "text": "وبنغازي"}  (and a GPE "بنغازي" elsewhere)',
      "Set `start` (and `text`) as the message says: after the proclitic.")
_code("entity-punctuation-edge", WARNING, "Guidelines", "An entity starts or ends with punctuation",
      "Span rule 5: no quotation mark, bracket or punctuation at either end. A closing bracket or quote opened inside the span, a percent sign and the full stop of a one-letter abbreviation (U.S.) are allowed.",
      '{"label": "ORG", "text": "«داعش»"}',
      "Move the boundary the message names past the punctuation (`«داعش»` → `داعش`).")
_code("entity-splits-parent-word", WARNING, "Guidelines", "A nested entity is part of a word of its parent",
      "A nested mention is a word (or words) of its parent, possibly after a proclitic. «تونس» inside the NORP «التونسي» is part of an adjective, not a mention of Tunisia; setting `parent` on it only silences `entities-share-a-word`.",
      '{"id": "e2", "label": "GPE", "text": "تونس", "parent": "e1"}  (e1 is the NORP "التونسي")',
      "Delete the inner entity, or move it to a whole-word mention of the name (`akhbar find TEXT`).")
_code("sentence-holds-several", WARNING, "Guidelines", "A sentence holds a sentence end followed by another sentence",
      "Split at a full stop, question or exclamation mark that ends a sentence (guidelines, Sentences). Reported when such a mark (and any closing quote) is followed by whitespace and a letter, digit or opening quote; a one-letter abbreviation (د. ، U.S.), an ellipsis and a mark inside a quotation (a quoted speech of two sentences stays in its sentence) are not sentence ends.",
      '{"id": "s2", "start": 53, "end": 449}  (text "… في ليبيا. وأكد المصدر …")',
      "Split the sentence where the message says: end it after the mark and start a new one at the next word (renumbering the ids after it is optional).")
_code("annotators-missing", WARNING, "Guidelines", "No annotator is recorded",
      "A file with annotations names who made them (`annotators`): the annotations are licensed for attribution.",
      '{"annotators": [], "sentences": [ ... ], "entities": [ ... ]}',
      'Add yourself: `{"id": "<your GitHub name>", "role": "annotator"}`.')
_code("check-skipped", WARNING, "Annotations", "A check could not run on part of a file",
      "The validator reports every independent problem in one run. A check is skipped only where its input is unusable, and this says which and why: the span checks when the pinned text cannot be trusted, and an item whose id, offsets or text are unusable.",
      '{"id": "e1", "start": "3", "end": 9, ...}  (left out of the span checks)',
      "Fix the problems the message points to; the skipped checks then run.")
_code("not-annotated", WARNING, "Annotations", "A document is not annotated yet",
      "Both `sentences` and `entities` are empty: the document is in the corpus but contributes no annotations.",
      '{"sentences": [], "entities": []}',
      "Annotate the document (see docs/contributing.md).")
_code("not-canonical", WARNING, "Annotations", "A file is not in canonical form",
      "`akhbar fmt` would rewrite the file (key order, one annotation per line). Never an error: only review diffs suffer.",
      '{"entities": [{"start": 0, "id": "e1", ...}], ...}',
      "Run `akhbar fmt PATH`.")

# ---------------------------------------------------------------- corpus
_code("document-id-duplicate", ERROR, "Corpus", "Two documents have the same id",
      "Document ids are unique in the corpus.",
      "corpus/a/document.yaml and corpus/b/document.yaml both with id: a",
      "Give each document its own id (equal to its folder name).")
_code("source-duplicate", ERROR, "Corpus", "The same seed was ingested twice",
      "Two documents with the same `source.sha256` are the same article counted twice, and could land in different splits.",
      "corpus/a and corpus/b both from seeds/x.txt",
      "Remove one of the two documents.")

_code("index-mismatch", ERROR, "Corpus", "The corpus index disagrees with the documents",
      "`corpus/.index/` lists every document with its seed, seed sha256 (and `#` and the document's place in the seed) and the sha256 of text version 1, so that `akhbar ingest` and `akhbar import` find duplicates without rescanning the corpus. Each row is in two shard files, `seed/<xx>.tsv` and `text/<xx>.tsv`, named by the first two hex digits of the seed's and of the text's sha256; rows may come in any order (`akhbar ingest` appends). A row that differs from its document.yaml, a row without a document, a document without a row, an id listed twice, a row in the wrong shard, or a file that is not a shard would let a duplicate in. A corpus without the folder is not checked; `akhbar import --rebuild-index` rewrites it from the documents.",
      "corpus/.index/text/3f.tsv: pud-n01001\tseeds/ar_pud.conllu\t<an old sha256>\t…  (the seed was replaced)",
      "Rebuild the index from the documents: `akhbar import --rebuild-index` (one scan of the corpus).")
_code("index-legacy", WARNING, "Corpus", "The corpus has the single-file index of release 0.2.0",
      "Release 0.2.0 kept the index in one file, `corpus/index.tsv`, searched from end to end by every ingest. It is replaced by the sharded `corpus/.index/` and is no longer read or checked; a corpus with it is still valid.",
      "corpus/index.tsv",
      "Run `akhbar import --rebuild-index` (the next `akhbar ingest` or `akhbar import` does the same): it writes `corpus/.index/` from the documents and removes `corpus/index.tsv`.")
