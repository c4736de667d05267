"""The Parquet policy of the build: compression, encodings, row groups. The one place for a Parquet setting.

`parquet_bytes` is deterministic (the same table gives the same bytes), which
`akhbar build --check` relies on. Changing a setting changes the bytes of
every data file, not the rows.
"""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["ROW_GROUP_BYTES", "ZSTD_LEVEL", "parquet_bytes", "TableSpill"]

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


def _rows_per_group(nbytes: int, num_rows: int) -> int:
    return max(1, ROW_GROUP_BYTES // max(1, nbytes // max(1, num_rows)))


def _writer_options(schema: pa.Schema) -> dict:
    return dict(
        compression="zstd",
        compression_level=ZSTD_LEVEL,
        use_dictionary=_dictionary_columns(schema),
        column_encoding={p: "DELTA_BINARY_PACKED" for p in _delta_columns(schema)},
        write_statistics=[p for p in _leaf_paths(schema) if p not in _NO_DICTIONARY],
    )


def parquet_bytes(table: pa.Table) -> bytes:
    """`table` as Parquet bytes: zstd, dictionaries where values repeat, delta-coded offsets, row groups of ~ROW_GROUP_BYTES.

    Deterministic: the same table gives the same bytes.
    """
    buf = io.BytesIO()
    pq.write_table(table, buf, row_group_size=_rows_per_group(table.nbytes, table.num_rows),
                   **_writer_options(table.schema))
    return buf.getvalue()


# The batches a spill holds are compressed this fast: ~7x smaller than Arrow, read back twice.
_SPILL_CODEC = ("zstd", 1)


class TableSpill:
    """The batches of one table, kept compressed in memory, written as `parquet_bytes` of their concatenation.

    `add` each batch (a table of the schema, in row order), then `finish()`:
    the same bytes, rows and Arrow `nbytes` as `parquet_bytes` of
    `pa.concat_tables(batches).combine_chunks()`, without ever holding that
    table: the rows per group come from the combined `nbytes`, measured one
    column at a time, and each row group is combined and written on its own.
    """

    def __init__(self, schema: pa.Schema) -> None:
        self.schema = schema
        self._sink = pa.BufferOutputStream()
        options = pa.ipc.IpcWriteOptions(compression=pa.Codec(_SPILL_CODEC[0], compression_level=_SPILL_CODEC[1]))
        self._writer = pa.ipc.new_file(self._sink, schema, options=options)
        self._first: pa.Table | None = None  # a single batch is written as it is, never spilled
        self.batches = 0

    def add(self, table: pa.Table) -> None:
        if self.batches == 1:
            self._writer.write_table(self._first)
            self._first = None
        if self.batches == 0:
            self._first = table
        else:
            self._writer.write_table(table)
        self.batches += 1

    def finish(self) -> tuple[bytes, int, int]:
        """`(Parquet bytes, rows, Arrow nbytes of the combined table)`; the spill is emptied."""
        self._writer.close()
        if self.batches <= 1:
            table = self._first if self._first is not None else self.schema.empty_table()
            self._first = None
            return parquet_bytes(table), table.num_rows, table.nbytes
        spilled = self._sink.getvalue()
        self._sink = None
        nbytes, rows = self._combined_nbytes(spilled)
        group = _rows_per_group(nbytes, rows)
        buf = io.BytesIO()
        with pq.ParquetWriter(buf, self.schema, **_writer_options(self.schema)) as writer:
            reader = pa.ipc.open_file(spilled)
            pending: list[pa.Table] = []
            have = 0
            for k in range(reader.num_record_batches):
                pending.append(pa.Table.from_batches([reader.get_batch(k)]))
                have += pending[-1].num_rows
                while have >= group:  # one row group, combined like the whole table would be, then written
                    table = pa.concat_tables(pending)
                    writer.write_table(table.slice(0, group).combine_chunks(), row_group_size=group)
                    pending, have = [table.slice(group)], have - group
            if have:
                writer.write_table(pa.concat_tables(pending).combine_chunks(), row_group_size=group)
        return buf.getvalue(), rows, nbytes

    def _combined_nbytes(self, spilled) -> tuple[int, int]:
        """The `nbytes` and rows of the spilled batches combined into one chunk, one column in memory at a time."""
        nbytes = rows = 0
        for i in range(len(self.schema)):
            reader = pa.ipc.open_file(spilled, options=pa.ipc.IpcReadOptions(included_fields=[i]))
            column = pa.concat_arrays([reader.get_batch(k).column(0) for k in range(reader.num_record_batches)])
            nbytes += column.nbytes
            rows = len(column)
            del column
        return nbytes, rows
