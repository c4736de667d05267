"""`akhbar build`: the corpus as a Hugging Face dataset folder (card, sharded Parquet, CITATION.cff).

    DIR/README.md                                   the dataset card (features, splits, configs)
    DIR/data/<config>/<split>-<fp>-NNNNN-of-MMMMM.parquet
    DIR/labels/entity_labels.parquet, DIR/labels/ner_tags.parquet   the names of the ClassLabel integers
    DIR/CITATION.cff, DIR/LICENSE.md

The build validates the corpus first and refuses an invalid one; writes a
sibling folder and swaps it in at the end (an interrupted build leaves the
previous DIR as it was); is deterministic (the same corpus gives the same
bytes: `check` compares); and puts the corpus fingerprint `<fp>` in every data
file name, so the card's `configs` change whenever the data can, and
`datasets` (which keys its cache on the card and the file list, not on the
data) never serves rows of an older build.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote
from itertools import islice
from typing import Callable, Iterator

import pyarrow as pa

from ..errors import InvalidDataError
from ..format.atomic import FolderMark, atomic_write, require_outside_data, require_replaceable, staged_folder
from ..format.corpus import repo_root
from ..format.lock import corpus_lock_if_present, hold_lock
from ..validate.gate import require_valid
from .card import GENERATED_MARK, BuildCounts, markdown_text, render_card
from .features import CONFIGS, features, label_tables
from .parquet import TableSpill, parquet_bytes
from .passes import read_agreements
from .croissant import FactsCounter
from .publish import write_release_files
from .rows import CorpusDocument, CorpusScan, rows_of, scan_corpus

__all__ = ["features", "BuildResult", "BUILD_MARK", "BuildSource", "build", "check", "build_into", "scan_for_build",
           "DOCS_PER_SHARD"]

# A shard holds the rows of this many documents in every config: ~4 MB of
# compressed text, so a large corpus streams and loads in parallel, and a small
# one is a single file per split.
DOCS_PER_SHARD = 5_000
FINGERPRINT_CHARS = 12  # of the corpus fingerprint, in every data file name

Progress = Callable[[str, int, int], None]
# A folder is an earlier build, which a build may replace, when its card carries the generated mark.
BUILD_MARK = FolderMark("README.md", GENERATED_MARK, "akhbar build")


@dataclass(frozen=True)
class BuildResult:
    """Where a build wrote and what: the counts the summary prints."""

    out: Path
    counts: BuildCounts


def _version_of(citation: str | None) -> str:
    """The `version` of a CITATION.cff text (the package's when there is none)."""
    import yaml

    from .. import __version__

    if citation is not None:
        data = yaml.safe_load(citation) or {}
        if data.get("version"):
            return str(data["version"])
    return __version__


def _shards(docs: list, size: int) -> list[list]:
    return [docs[i : i + size] for i in range(0, len(docs), size)] or [[]]


@dataclass(frozen=True)
class BuildSource:
    """What the build knows before it makes a row: the corpus scan and the per-document counts of the card and Croissant.

    Made by `scan_for_build` in one pass that holds one document at a time;
    the documents themselves are read again shard by shard.
    """

    scan: CorpusScan
    licenses: dict  # (annotations SPDX, text statement) -> documents
    sources: dict  # (publisher, url, citation, note) -> documents
    annotators: dict  # (handle, role) -> documents
    facts: dict  # croissant.corpus_facts of the annotated documents


def scan_for_build(corpus_dir: Path, progress: Callable[[int, int], None] | None = None) -> BuildSource:
    """The first pass of a build over `corpus_dir`: fingerprint, splits, nesting depth and the per-document counts."""
    licenses: dict = {}
    sources: dict = {}
    annotators: dict = {}
    facts = FactsCounter()

    def visit(d: CorpusDocument) -> None:
        key = (d.document.license.annotations, d.document.license.text)  # the text statement names its SPDX id
        licenses[key] = licenses.get(key, 0) + 1
        src = d.document.source
        where = (src.publisher, src.url, src.citation, src.note)
        sources[where] = sources.get(where, 0) + 1
        for a in d.annotations.annotators:
            annotators[(a.id, a.role)] = annotators.get((a.id, a.role), 0) + 1
        facts.add(d.document, d.annotations)

    scan = scan_corpus(corpus_dir, visit, progress)
    return BuildSource(scan, licenses, sources, annotators, facts.facts())


def build_into(source: BuildSource, out: Path, version: str, citation: str | None = None,
               docs_per_shard: int = DOCS_PER_SHARD, progress: Progress | None = None,
               agreements: tuple = ()) -> BuildCounts:
    """Write the dataset of `source` into the empty folder `out`; returns the counts. No validation here.

    Documents are read again shard by shard, `ROWS_BATCH` at a time: the build
    holds one batch of documents, its rows, and the shard's rows compressed
    (`TableSpill`), never the corpus nor a shard's whole table.
    """
    scan = source.scan
    if not scan.entries:
        raise InvalidDataError("the corpus has no annotated document yet: there is nothing to build")
    feats = features()
    schemas = {c: feats[c].arrow_schema for c in CONFIGS}
    fp = scan.fingerprint[:FINGERPRINT_CHARS]
    levels = max(scan.max_depth + 1, 1)
    counts = BuildCounts(fingerprint=scan.fingerprint, version=version, max_depth=scan.max_depth,
                         unannotated=len(scan.unannotated))
    for c in CONFIGS:
        counts.rows[c], counts.nbytes[c], counts.files[c], counts.file_bytes[c] = {}, {}, {}, 0
        (out / "data" / c).mkdir(parents=True)
    done, total = 0, len(scan.entries)
    for split, entries in scan.by_split().items():
        shards = _shards(entries, docs_per_shard)
        for i, shard in enumerate(shards):
            spills = _shard_spills(scan.documents(shard), levels, schemas, counts, split)
            for c in CONFIGS:
                data, rows, nbytes = spills.pop(c).finish()  # each config's spill is freed once written
                name = f"{split}-{fp}-{i:05d}-of-{len(shards):05d}.parquet"
                atomic_write(out / "data" / c / name, data)
                counts.rows[c][split] = counts.rows[c].get(split, 0) + rows
                counts.nbytes[c][split] = counts.nbytes[c].get(split, 0) + nbytes
                counts.file_bytes[c] += len(data)
                counts.files[c][split] = f"data/{c}/{split}-{fp}-*.parquet"
                del data
            # give the shard's freed Arrow buffers back to the system: the pool would keep them for the next
            # shard, and what it keeps grows with the number of shards (only this pool, no setting changed)
            pa.default_memory_pool().release_unused()
            done += len(shard)
            if progress:
                progress("build", done, total)
    for name, table in label_tables().items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        atomic_write(out / name, parquet_bytes(table))
    names = feats["entities"]["label"].names
    counts.labels = {names[i]: n for i, n in sorted(counts.labels.items())}
    counts.labels_by_split = {s: {names[i]: n for i, n in sorted(c.items())} for s, c in counts.labels_by_split.items()}
    counts.licenses = dict(source.licenses)
    counts.sources = dict(source.sources)
    counts.annotators = dict(source.annotators)
    counts.agreements = agreements
    atomic_write(out / "README.md", render_card(counts, citation))
    _write_extra_files(out, counts, citation)
    # croissant.json, datasheet.md, then SHA256SUMS
    write_release_files(out, source.facts, scan.fingerprint, version, citation)
    return counts


# Rows are made as Python dicts this many documents at a time, then turned into Arrow and spilled: the dicts
# take ~300 KiB per document (the whole 5,000-document shard once took ~600 MB); 250 at a time cost ~80 MiB
# of peak, 50 about 16, for the same CPU time.
ROWS_BATCH = 50


def _shard_spills(documents: Iterator[CorpusDocument], levels: int, schemas: dict, counts: BuildCounts,
                  split: str) -> dict[str, TableSpill]:
    """`{config: spill}` of one shard's rows, made `ROWS_BATCH` documents at a time; counts the entity labels.

    `documents` is read `ROWS_BATCH` at a time, so only one batch of documents
    is alive at once; each batch's Arrow tables go into the configs' spills
    (compressed), which write the same Parquet as the shard's whole table.
    """
    spills = {c: TableSpill(schemas[c]) for c in CONFIGS}
    by_label = counts.labels_by_split.setdefault(split, {})
    while batch := list(islice(documents, ROWS_BATCH)):
        rows = rows_of(batch, levels)
        del batch
        for e in rows["entities"]:
            counts.labels[e["label"]] = counts.labels.get(e["label"], 0) + 1
            by_label[e["label"]] = by_label.get(e["label"], 0) + 1
        for c in CONFIGS:
            spills[c].add(pa.Table.from_pylist(rows.pop(c), schema=schemas[c]))
    return spills


def _write_extra_files(out: Path, counts: BuildCounts, citation: str | None) -> None:
    """Files beside the card and the data: CITATION.cff, LICENSE.md.

    The one place for further release files (a Croissant description, a
    checksum manifest): add them here, after the data and the card exist.
    """
    if citation is not None:
        atomic_write(out / "CITATION.cff", citation)
    lines = ["# Licence of the Akhbar dataset", "",
             "The annotations (sentences, entities) are under the SPDX licence named for each document;",
             "the rights in each text are stated with it (the `license.text` field of the documents config).", ""]
    # `ann` is an SPDX id, which the schema restricts to [A-Za-z0-9.+-]: nothing in it is Markdown
    for (ann, text), n in sorted(counts.licenses.items()):
        lines += [f"## {n} document(s)", "", f"- Annotations: {ann} "
                  f"(https://spdx.org/licenses/{quote(ann, safe='')}.html)", f"- Text: {markdown_text(text)}", ""]
    atomic_write(out / "LICENSE.md", "\n".join(lines))


def _read_citation(corpus_dir: Path) -> str | None:
    cff = repo_root(corpus_dir) / "CITATION.cff"
    return cff.read_bytes().decode("utf-8") if cff.is_file() else None


def build(corpus_dir: Path, out: Path, validate: bool = True, docs_per_shard: int = DOCS_PER_SHARD,
          progress: Progress | None = None, jobs: int = 1) -> BuildResult:
    """Validate `corpus_dir`, build its dataset beside `out` and swap it in; returns what was written.

    Refuses (UsageError) to replace a folder that is not an earlier akhbar build.
    """
    corpus_dir, out = Path(corpus_dir), Path(out)
    require_outside_data(out, corpus_dir)
    require_replaceable(out, BUILD_MARK)
    # The corpus's write lock for the whole build: no akhbar writer changes a file between validation and
    # reading. The lock of the output's parent folder: two builds to one --out take turns, the second waits
    # and then replaces the first's complete folder (or refuses, writer-busy, exit 2, after the lock timeout).
    with corpus_lock_if_present(corpus_dir), hold_lock(out.parent, f"output folder {out}"):
        require_replaceable(out, BUILD_MARK)  # again: another build may have written it meanwhile
        if validate:
            if progress:
                progress("validate", 0, 1)
            require_valid([corpus_dir], corpus_dir, jobs=jobs)
        source = scan_for_build(corpus_dir, (lambda n, t: progress("read", n, t)) if progress else None)
        with staged_folder(out, "building") as tmp:
            citation = _read_citation(corpus_dir)
            counts = build_into(source, tmp, _version_of(citation), citation, docs_per_shard, progress,
                                read_agreements(repo_root(corpus_dir)))
    return BuildResult(out, counts)


def _tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def check(corpus_dir: Path, out: Path, validate: bool = True, docs_per_shard: int = DOCS_PER_SHARD,
          jobs: int = 1) -> list[str]:
    """The files of `out` that differ from a fresh build of `corpus_dir` (missing, extra or changed); [] when up to date."""
    corpus_dir, out = Path(corpus_dir), Path(out)
    if validate:
        require_valid([corpus_dir], corpus_dir, jobs=jobs)
    source = scan_for_build(corpus_dir)
    with tempfile.TemporaryDirectory(prefix="akhbar-check-") as tmp:
        fresh = Path(tmp) / "dataset"
        fresh.mkdir()
        citation = _read_citation(corpus_dir)
        build_into(source, fresh, _version_of(citation), citation, docs_per_shard,
                   agreements=read_agreements(repo_root(corpus_dir)))
        want = _tree(fresh)
    have = _tree(out) if out.is_dir() else {}
    return sorted(name for name in want.keys() | have.keys() if want.get(name) != have.get(name))
