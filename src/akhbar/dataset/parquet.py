"""The Parquet policy of the build: compression, encodings, row groups. The one place for a Parquet setting.

`parquet_bytes` is deterministic (the same table gives the same bytes), which
`akhbar build --check` relies on. Changing a setting changes the bytes of
every data file, not the rows.
"""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["ROW_GROUP_BYTES", "ZSTD_LEVEL", "parquet_bytes"]

# Rows per Parquet row group are chosen so a group holds about this much Arrow
# data: large enough to compress well, small enough to stream.
ROW_GROUP_BYTES = 32 << 20
ZSTD_LEVEL = 9
# Columns whose values are unique per row: a dictionary would only cost bytes.
_NO_DICTIONARY = {"text", "title", "text_sha256", "source.sha256", "source.note"}
# Offsets rise within a list (and from row to row): delta encoding stores them in a few bits each.
_DELTA = ("start", "end", "index")


def _leaf_paths(schema: pa.Schema) -> list[str]:
    """Parquet column paths (`entities.list.element.label`) of every leaf of an Arrow schema."""

    def walk(prefix: str, t: pa.DataType):
        if pa.types.is_struct(t):
            for f in t:
                yield from walk(f"{prefix}.{f.name}", f.type)
        elif pa.types.is_list(t) or pa.types.is_large_list(t):
            yield from walk(f"{prefix}.list.element", t.value_type)
        else:
            yield prefix

    return [p for f in schema for p in walk(f.name, f.type)]


def _delta_columns(schema: pa.Schema) -> list[str]:
    return [p for p in _leaf_paths(schema) if p.rsplit(".", 1)[-1] in _DELTA]


def _dictionary_columns(schema: pa.Schema) -> list[str]:
    delta = set(_delta_columns(schema))
    return [p for p in _leaf_paths(schema) if p not in _NO_DICTIONARY and p not in delta]


def parquet_bytes(table: pa.Table) -> bytes:
    """`table` as Parquet bytes: zstd, dictionaries where values repeat, delta-coded offsets, row groups of ~ROW_GROUP_BYTES.

    Deterministic: the same table gives the same bytes.
    """
    per_row = max(1, table.nbytes // max(1, table.num_rows))
    buf = io.BytesIO()
    pq.write_table(
        table,
        buf,
        row_group_size=max(1, ROW_GROUP_BYTES // per_row),
        compression="zstd",
        compression_level=ZSTD_LEVEL,
        use_dictionary=_dictionary_columns(table.schema),
        column_encoding={p: "DELTA_BINARY_PACKED" for p in _delta_columns(table.schema)},
        write_statistics=[p for p in _leaf_paths(table.schema) if p not in _NO_DICTIONARY],
    )
    return buf.getvalue()
