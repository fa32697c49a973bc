"""Parquet files with a text or html column (and optional id/url/title/date columns).

Rows are read row group by row group (pyarrow), so that a corrupt page costs the records of its
group only. A row has no raw bytes of its own: its canonical JSON stands for them (source_sha256, the size
limit). Its fields are read as JSON Lines records' are (jsonl.from_mapping).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq

from prep.config import FieldNames
from prep.schema import RECORD_SCHEMA
from prep.sources.base import InputFile, Planned, ReadSettings, Slice, SliceRecords, Unplannable, register
from prep.sources.compression import sha256_hex, too_large_reason
from prep.sources.jsonl import fill_slice, from_mapping
from prep.sources.plan import ShardFiller
from prep.sources.records import record


class MissingColumn(Unplannable):
    """The file has neither the configured text nor html column: no record can be formed."""


class ParquetReader:
    format = "parquet"
    suffixes = (".parquet",)
    page_files = False
    hashed_when_planned = True
    compressible = False  # Parquet compresses its own pages

    def plan(self, file: InputFile, filler: ShardFiller, settings: ReadSettings, chunk_dir: Path) -> Planned:
        handle = pq.ParquetFile(file.path)
        fields = settings.fields(file)
        pages = fields.html_field in wanted_columns(handle, fields)
        total = handle.metadata.num_rows
        start = 0
        while start < total:
            stop = min(total, start + filler.room(pages))
            filler.add(Slice(file, start, stop), pages=(stop - start) * pages)
            start = stop
        return Planned(total)

    def read(self, piece: Slice, settings: ReadSettings) -> SliceRecords:
        """The slice's rows, read row group by row group: a corrupt group costs its own rows only,
        whatever the shard size."""
        rows: list[dict[str, Any]] = []
        try:
            handle = pq.ParquetFile(piece.file.path)
            columns = wanted_columns(handle, settings.fields(piece.file))
        except Exception as err:  # noqa: BLE001 - a file that cannot be opened again costs its slice's records
            return SliceRecords(pl.DataFrame(fill_slice(rows, piece, f"unreadable: {type(err).__name__}: {err}"),
                                             schema=RECORD_SCHEMA))
        first = 0
        for group in range(handle.num_row_groups):
            size = handle.metadata.row_group(group).num_rows
            start, stop = max(piece.start, first), min(piece.stop, first + size)
            if start < stop:
                rows.extend(_group_rows(piece.file, handle, group, columns, first, start, stop, settings))
            first += size
        reason = "unreadable: record not found when the file was read again"
        return SliceRecords(pl.DataFrame(fill_slice(rows, piece, reason), schema=RECORD_SCHEMA))


def wanted_columns(handle: pq.ParquetFile, fields: FieldNames) -> list[str]:
    names = handle.schema_arrow.names
    if fields.text_field not in names and fields.html_field not in names:
        raise MissingColumn(f"no column '{fields.html_field}' or '{fields.text_field}' "
                            f"(columns: {', '.join(names) or 'none'})")
    optional = (fields.id_field, fields.url_field, fields.title_field, fields.date_field)
    return [n for n in (fields.html_field, fields.text_field, *optional) if n and n in names]


def _group_rows(file: InputFile, handle: pq.ParquetFile, group: int, columns: list[str], first: int, start: int,
                stop: int, settings: ReadSettings) -> list[dict[str, Any]]:
    """Records start..stop-1 of the file, all in row group `group` (whose first row is `first`)."""
    try:
        table = handle.read_row_group(group, columns=columns).slice(start - first, stop - start)
        return list(_rows(file, start, pl.from_arrow(table), settings))
    except Exception as err:  # noqa: BLE001 - a corrupt page costs its row group's records only
        message = " ".join(str(err).split())  # pyarrow's messages run over several lines
        reason = f"unreadable: corrupt Parquet row group {group} ({type(err).__name__}: {message})"
        no_bytes = sha256_hex(b"")  # nothing of these records could be read
        return [record(file, index, no_bytes, drop_reason=reason) for index in range(start, stop)]


def _rows(file: InputFile, start: int, frame: pl.DataFrame, settings: ReadSettings) -> Iterator[dict[str, Any]]:
    limit = settings.limits.max_record_bytes
    for index, row in enumerate(frame.iter_rows(named=True), start):
        raw = json.dumps(row, sort_keys=True, default=str, ensure_ascii=False).encode()
        if len(raw) > limit:
            yield record(file, index, sha256_hex(raw), drop_reason=too_large_reason(limit))
        else:
            yield from_mapping(file, index, sha256_hex(raw), row, settings.fields(file))


register(ParquetReader())
