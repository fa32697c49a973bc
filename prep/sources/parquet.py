"""Parquet files with a text or html column (and optional id/url/title/date columns).

A row has no raw bytes of its own: its canonical JSON stands for them (source_sha256, the size
limit). Its fields are read as JSON Lines records' are (jsonl.from_mapping).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from prep.config import InputConfig
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
        pages = settings.fields.html_field in wanted_columns(file, settings.fields)
        total = pl.scan_parquet(file.path).select(pl.len()).collect().item()
        start = 0
        while start < total:
            stop = min(total, start + filler.room(pages))
            filler.add(Slice(file, start, stop), pages=(stop - start) * pages)
            start = stop
        return Planned(total)

    def read(self, piece: Slice, settings: ReadSettings) -> SliceRecords:
        rows: list[dict[str, Any]] = []
        try:
            rows.extend(_rows(piece.file, piece.start, piece.stop, settings))
        except Exception as err:  # noqa: BLE001 - a corrupt page costs its records only
            reason = f"unreadable: {type(err).__name__}: {err}"
        else:
            reason = "unreadable: record not found when the file was read again"
        return SliceRecords(pl.DataFrame(fill_slice(rows, piece, reason), schema=RECORD_SCHEMA))


def wanted_columns(file: InputFile, fields: InputConfig) -> list[str]:
    names = pl.read_parquet_schema(file.path).names()
    if fields.text_field not in names and fields.html_field not in names:
        raise MissingColumn(f"no column '{fields.html_field}' or '{fields.text_field}' "
                            f"(columns: {', '.join(names) or 'none'})")
    optional = (fields.id_field, fields.url_field, fields.title_field, fields.date_field)
    return [n for n in (fields.html_field, fields.text_field, *optional) if n and n in names]


def _rows(file: InputFile, start: int, stop: int, settings: ReadSettings) -> Iterator[dict[str, Any]]:
    columns = wanted_columns(file, settings.fields)
    frame = pl.scan_parquet(file.path).select(columns).slice(start, stop - start).collect()
    limit = settings.limits.max_record_bytes
    for index, row in enumerate(frame.iter_rows(named=True), start):
        raw = json.dumps(row, sort_keys=True, default=str, ensure_ascii=False).encode()
        if len(raw) > limit:
            yield record(file, index, sha256_hex(raw), drop_reason=too_large_reason(limit))
        else:
            yield from_mapping(file, index, sha256_hex(raw), row, settings.fields)


register(ParquetReader())
