"""`croissant.json`: MLCommons Croissant 1.0 metadata of a built dataset folder.

The dataset folder holds `data/<config>/<split>-*.parquet` (written by the
build). The Croissant file describes every Parquet file as a `cr:FileObject`
with its real sha256, one `cr:FileSet` per config, and one `cr:RecordSet`
per config whose fields are typed from that config's `datasets.Features`
(the same objects the Parquet files were cast to), plus a `split` field read
from the file name. Dataset-level metadata comes from `CITATION.cff` (title,
authors, licence, release date, citation) and from the corpus itself
(documents, annotators), together with the Responsible-AI (RAI) properties
that apply. Offsets in the data are Unicode code points, 0-based, end
exclusive.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..cite import bibtex, load_citation
from ..format.atomic import atomic_write
from ..format.labels import label_names
from .manifest import file_sha256

__all__ = ["CROISSANT_FILE", "CONTEXT", "corpus_facts", "FactsCounter", "field_for_feature", "croissant_metadata", "write_croissant"]

CROISSANT_FILE = "croissant.json"
_LICENSE_URLS = {"CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
                 "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
                 "CC-BY-SA-3.0": "https://creativecommons.org/licenses/by-sa/3.0/"}

# The JSON-LD context of Croissant 1.0 (as published with the specification).
CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

# Arrow/datasets value types and the schema.org type a Croissant field declares for them.
_VALUE_TYPES = {
    "string": "sc:Text",
    "large_string": "sc:Text",
    "bool": "sc:Boolean",
    "float16": "sc:Float",
    "float32": "sc:Float",
    "float64": "sc:Float",
    "date32": "sc:Date",
    "date64": "sc:Date",
}
_PARQUET = "application/x-parquet"


# Annotator handles that name an AI model rather than a person (docs/format.md, "annotators"): the
# Croissant file lists them among the machine annotation tools, as it does the `tool` role.
AI_MODEL_HANDLE_PREFIXES = ("claude-ai-",)

def _data_type(dtype: str) -> str:
    if dtype in _VALUE_TYPES:
        return _VALUE_TYPES[dtype]
    if dtype.startswith(("int", "uint")):
        return "sc:Integer"
    if dtype.startswith("timestamp"):
        return "sc:DateTime"
    raise ValueError(f"no Croissant data type for the feature type {dtype!r}")


def field_for_feature(record_set: str, name: str, feature, file_set: str, path: tuple[str, ...] = ()) -> dict:
    """The `cr:Field` for one column (or sub-column) of a `datasets` feature.

    `Value` maps to its schema.org type; `ClassLabel` to `sc:Integer` (the
    stored index) with the names in the description; a list (`List`,
    `Sequence`, `LargeList`) to a `repeated` field of its item type (a list
    of lists too, its depth stated in the description, as Croissant 1.0 has
    no array shape); a dict of features to a field with `subField`s read by
    JSON path.
    """
    import datasets  # imported here: the build needs it anyway, the rest of akhbar does not

    field_id = "/".join((record_set, *path, name))
    out: dict = {"@type": "cr:Field", "@id": field_id, "name": field_id}
    item, depth = feature, 0
    while isinstance(item, (datasets.List, datasets.LargeList, datasets.Sequence, list)):
        depth += 1
        item = item[0] if isinstance(item, list) else item.feature
    repeated = depth > 0
    if depth > 1 and isinstance(item, dict):
        raise ValueError(f"{field_id}: a list of lists of records has no Croissant 1.0 field type")
    column = path[0] if path else name
    source: dict = {"fileSet": {"@id": file_set}, "extract": {"column": column}}
    if path:
        source["transform"] = {"jsonPath": ".".join((*path[1:], name))}
    if isinstance(item, dict):
        out["description"] = f"{'A list of records' if repeated else 'A record'} with the sub-fields below."
        out["subField"] = [
            field_for_feature(record_set, sub, subfeature, file_set, (*path, name)) for sub, subfeature in item.items()
        ]
        out["source"] = source
    elif isinstance(item, datasets.ClassLabel):
        out["dataType"] = "sc:Integer"
        out["description"] = "Class index into: " + ", ".join(f"{i}={n}" for i, n in enumerate(item.names))
        out["source"] = source
    elif isinstance(item, datasets.Value):
        out["dataType"] = _data_type(item.dtype)
        out["source"] = source
    else:
        raise ValueError(f"{field_id}: no Croissant 1.0 field type for {type(item).__name__}")
    if depth > 1:  # Croissant 1.0 has no array depth (1.1's arrayShape): say it in words
        out["description"] = (f"A list of lists ({depth} levels) of values. " + out.get("description", "")).strip()
    if repeated:
        out["repeated"] = True
    return out


def _split_field(config: str, file_set: str) -> dict:
    return {
        "@type": "cr:Field",
        "@id": f"{config}/split",
        "name": f"{config}/split",
        "description": "The split (train, validation or test), from the Parquet file's name.",
        "dataType": "sc:Text",
        "source": {
            "fileSet": {"@id": file_set},
            "extract": {"fileProperty": "filename"},
            "transform": {"regex": r"^([a-z]+)-.*\.parquet$"},
        },
    }


def _license_url(spdx: str) -> str:
    """The canonical URL of an SPDX licence (Creative Commons' own page where known)."""
    return _LICENSE_URLS.get(spdx) or f"https://spdx.org/licenses/{spdx}.html"


def corpus_facts(documents) -> dict:
    """What the RAI statements say about the documents of a dataset, from (Document, Annotations) pairs.

    Counts documents, entity mentions and PERS mentions, the annotators by
    role, the documents whose publisher or publication date is unknown, and
    the documents under each SPDX licence (of the annotations or the text).
    """
    counter = FactsCounter()
    for document, ann in documents:
        counter.add(document, ann)
    return counter.facts()


class FactsCounter:
    """`corpus_facts` one document at a time: `add` each (Document, Annotations), then `facts()`."""

    def __init__(self) -> None:
        self._facts = {"documents": 0, "entities": 0, "persons": 0, "annotators": {}, "unknown_publisher": 0,
                       "unknown_date": 0, "licenses": {}, "adjudicated": 0, "imported": 0}
        self._roles: dict[str, set] = {}

    def add(self, document, ann) -> None:
        facts = self._facts
        facts["documents"] += 1
        for spdx in (document.license.annotations, document.license.text_spdx):
            if spdx is not None:
                facts["licenses"][spdx] = facts["licenses"].get(spdx, 0) + 1
        facts["adjudicated"] += any(a.role == "adjudicator" for a in ann.annotators)
        facts["imported"] += any(a.role == "import" for a in ann.annotators)
        facts["unknown_publisher"] += document.source.publisher is None
        facts["unknown_date"] += document.source.published is None
        facts["entities"] += len(ann.entities)
        facts["persons"] += sum(e.label == "PERS" for e in ann.entities)
        for annotator in ann.annotators:
            self._roles.setdefault(annotator.role, set()).add(annotator.id)

    def facts(self) -> dict:
        return {**self._facts, "annotators": {role: sorted(ids) for role, ids in sorted(self._roles.items())}}


def _rai(facts: dict) -> dict:
    """The Croissant RAI properties, stated from the corpus facts; nothing is claimed that the corpus does not record."""
    n = facts["documents"]
    roles = facts["annotators"]
    who = "; ".join(f"{role}: {', '.join(ids)}" for role, ids in roles.items()) or "none recorded"
    double = "reviewer" in roles or "adjudicator" in roles
    rai = {
        "rai:dataCollection": (
            "Maintainers add news articles from seed files (plain UTF-8 text kept byte for byte in seeds/) with "
            "`akhbar ingest`, or documents of an existing corpus with `akhbar import` (the source file kept byte "
            f"for byte in seeds/; {facts.get('imported', 0)} document(s) here), which record the file's sha256 and the "
            "source metadata that is known (document.yaml `source`: publisher, url, citation, note). "
            f"Of the {n} document(s), {facts['unknown_publisher']} have no known publisher and "
            f"{facts['unknown_date']} no known publication date (left null in document.yaml, never guessed)."
        ),
        "rai:dataCollectionType": ["Manual Human Curation"] + (["Secondary Data Analysis"] if facts.get("imported") else []),
        "rai:dataCollectionMissingData": (
            "Publisher, publication date and URL are null in document.yaml wherever the seed file did not "
            "state them; they are unknown, not withheld."
        ),
        "rai:dataCollectionRawData": "The raw seed files, unchanged, in seeds/ of the source repository.",
        "rai:dataPreprocessingProtocol": [
            "At ingest only: a UTF-8 BOM is removed, CRLF and CR become LF and the text is put in Unicode NFC; "
            "each change is recorded in the text version's note. A text version is immutable afterwards; a "
            "correction makes a new version and the annotations are carried over and re-checked.",
        ],
        "rai:dataAnnotationProtocol": (
            "Stand-off annotation of every sentence and of named-entity mentions in the "
            f"{len(label_names())} entity types of the "
            "Wojood scheme (schema/labels.yaml), nested mentions linked to their parent, following "
            "docs/guidelines.md. Spans are exact code-point offsets over one text version, checked by "
            "`akhbar validate` (text equals slice, sentence coverage, nesting)."
        ),
        "rai:annotationsPerItem": (
            "One annotated version per document. "
            + (f"{facts.get('adjudicated', 0)} document(s) were annotated in two independent passes and adjudicated (the "
               "agreement before adjudication is in the dataset card; the passes are kept in the source "
               "repository under annotation-passes/)." if facts.get("adjudicated") else
               "reviewed by a second annotator." if double else "No double annotation or review is recorded yet, "
               "so no inter-annotator agreement can be reported.")
        ),
        "rai:annotatorDemographics": [
            f"Not recorded. Annotators are identified only by a handle and a role ({who}); the datasheet says "
            "what each handle is: a person, a tool, or an AI model (handles starting with "
            f"{' or '.join(AI_MODEL_HANDLE_PREFIXES)}: instances of an AI model, not people)."
        ],
        "rai:dataAnnotationPlatform": ["Plain annotations.json files edited in a text editor or any offset-aware tool, "
                                       "checked with `akhbar validate`."],
        "rai:personalSensitiveInformation": [
            f"News texts name people ({facts['persons']} PERS mention(s) in this release), as published; in the "
            "news these are mostly public figures, including leaders of armed groups. Texts refer to nationality, "
            "religious and political affiliation (NORP) and to political violence and terrorism. No personal data "
            "beyond what the articles published is added."
        ],
        "rai:dataBiases": [
            f"Very small ({n} document(s), {facts['entities']} entity mention(s)): the topics, sources, dialects "
            "and period are not representative of Arabic news; all texts are Modern Standard Arabic news prose."
        ],
        "rai:dataUseCases": [
            "Development and evaluation of Arabic named-entity recognition (flat and nested) and sentence "
            "segmentation, and testing of tools that read stand-off, versioned annotations. Too small to train or "
            "benchmark a general model on its own."
        ],
        "rai:dataLimitations": [
            "Licences differ by document (the documents config's license column): a text under its publisher's "
            "rights is distributed with the annotations for non-commercial research only; a share-alike text "
            "(CC BY-SA) carries share-alike annotations. "
            + (f"{facts.get('adjudicated', 0)} document(s) were annotated twice and adjudicated; the others are one "
               "pass. " if facts.get("adjudicated") else "Annotations are one pass by the recorded annotators. ")
            + "Annotations may contain errors; report them as issues."
        ],
        "rai:dataReleaseMaintenancePlan": (
            "Semantic versions: MAJOR for a change to the format or the tag set, MINOR for added documents or "
            "annotations, PATCH for corrections. Every release is described in CHANGELOG.md and states its "
            "corpus fingerprint; text versions are never changed once released."
        ),
    }
    machines = sorted({*roles.get("tool", ()), *(i for ids in roles.values() for i in ids
                                                 if i.startswith(AI_MODEL_HANDLE_PREFIXES))})
    if machines:
        rai["rai:machineAnnotationTools"] = machines
    return rai


def croissant_metadata(
    dataset_dir: Path,
    features_by_config: dict,
    version: str,
    *,
    facts: dict | None = None,
    citation: dict | None = None,
    fingerprint: str | None = None,
    name: str = "akhbar",
) -> dict:
    """The Croissant 1.0 JSON-LD of a built dataset folder, as a dict.

    Every `data/<config>/*.parquet` file of the configs in `features_by_config`
    ({config: datasets.Features}) is listed with its sha256; a config without
    Parquet files is an error (ValueError). `citation` defaults to the packaged
    CITATION.cff; `facts` (from `corpus_facts`) adds the Responsible-AI
    statements; `fingerprint` (the corpus fingerprint) is stated in the
    description.
    """
    dataset_dir = Path(dataset_dir)
    citation = citation if citation is not None else load_citation()
    work = {**citation, **(citation.get("preferred-citation") or {})}
    distribution, record_sets = [], []
    for config, features in features_by_config.items():
        files = sorted((dataset_dir / "data" / config).glob("*.parquet"))
        if not files:
            raise ValueError(f"{dataset_dir / 'data' / config}: no Parquet files for config {config!r}")
        file_set = f"parquet-files-{config}"
        for path in files:
            rel = path.relative_to(dataset_dir).as_posix()
            distribution.append({
                "@type": "cr:FileObject",
                "@id": rel,
                "name": rel,
                "description": f"Parquet file of the {config} config.",
                "contentUrl": rel,
                "contentSize": f"{path.stat().st_size} B",
                "encodingFormat": _PARQUET,
                "sha256": file_sha256(path),
            })
        distribution.append({
            "@type": "cr:FileSet",
            "@id": file_set,
            "name": file_set,
            "description": f"The Parquet files of the {config} config, one or more per split.",
            "encodingFormat": _PARQUET,
            "includes": f"data/{config}/*.parquet",
        })
        # The split is in the file name; a config that also stores it as a column needs no second field.
        fields = [] if "split" in features else [_split_field(config, file_set)]
        fields += [field_for_feature(config, column, feature, file_set) for column, feature in features.items()]
        record_sets.append({
            "@type": "cr:RecordSet",
            "@id": config,
            "name": config,
            "description": f"One record per row of the {config} config.",
            "field": fields,
        })

    description = work.get("abstract") or citation.get("abstract") or work["title"]
    if fingerprint:
        description = f"{description} Corpus fingerprint (sha256): {fingerprint}."
    authors = [
        {"@type": "sc:Organization", "name": a["name"]} if "name" in a
        else {"@type": "sc:Person", "name": " ".join(a.get(k, "") for k in ("given-names", "family-names")).strip()}
        for a in work["authors"]
    ]
    licence = work.get("license") or citation.get("license")
    if facts is not None and facts.get("licenses"):  # the licences the documents actually use
        used = [_license_url(spdx) for spdx in sorted(facts["licenses"])]
        licence = used[0] if len(used) == 1 else used
    elif isinstance(licence, list):  # CITATION.cff may list several SPDX ids
        licence = [_license_url(spdx) for spdx in licence] if len(licence) > 1 else _license_url(licence[0])
    else:
        licence = _LICENSE_URLS.get(licence, licence)
    metadata = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "name": name,
        "description": description,
        "version": version,
        "license": licence,
        "creator": authors if len(authors) > 1 else authors[0],
        "citeAs": bibtex(citation),
        "inLanguage": "ar",
        "keywords": list(citation.get("keywords") or work.get("keywords") or []),
    }
    if work.get("date-released"):
        metadata["datePublished"] = work["date-released"]
    if work.get("url"):
        metadata["url"] = work["url"]
    if facts is not None:
        metadata.update(_rai(facts))
    metadata["distribution"] = distribution
    metadata["recordSet"] = record_sets
    return metadata


def write_croissant(dataset_dir: Path, features_by_config: dict, version: str, **kwargs) -> Path:
    """Write `croissant.json` into the dataset folder (atomically); return its path. Arguments as `croissant_metadata`."""
    metadata = croissant_metadata(dataset_dir, features_by_config, version, **kwargs)
    path = Path(dataset_dir) / CROISSANT_FILE
    atomic_write(path, json.dumps(metadata, ensure_ascii=False, indent=2) + "\n")
    return path
