"""Parquet files with a text or html column (and optional id/url/title/date columns)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import polars as pl

from prep.config import Config, InputConfig
from prep.sources.discover import InputFile
from prep.sources.jsonl import from_mapping
from prep.sources.raw import sha256_hex, too_large_reason
from prep.sources.records import record


class MissingColumn(ValueError):
    """The file has neither the configured text nor html column: no record can be formed."""


def wanted_columns(file: InputFile, fields: InputConfig) -> list[str]:
    names = pl.read_parquet_schema(file.path).names()
    if fields.text_field not in names and fields.html_field not in names:
        raise MissingColumn(f"no column '{fields.html_field}' or '{fields.text_field}' "
                            f"(columns: {', '.join(names) or 'none'})")
    optional = (fields.id_field, fields.url_field, fields.title_field, fields.date_field)
    return [n for n in (fields.html_field, fields.text_field, *optional) if n and n in names]


def count_rows(file: InputFile) -> int:
    return pl.scan_parquet(file.path).select(pl.len()).collect().item()


def read_parquet_rows(file: InputFile, start: int, stop: int, config: Config) -> Iterator[dict[str, Any]]:
    columns = wanted_columns(file, config.input)
    frame = pl.scan_parquet(file.path).select(columns).slice(start, stop - start).collect()
    limit = config.limits.max_record_bytes
    for index, row in enumerate(frame.iter_rows(named=True), start):
        # a row has no raw bytes of its own: its canonical JSON stands for them
        raw = json.dumps(row, sort_keys=True, default=str, ensure_ascii=False).encode()
        if len(raw) > limit:
            yield record(file, index, sha256_hex(raw), drop_reason=too_large_reason(limit))
        else:
            yield from_mapping(file, index, sha256_hex(raw), row, config.input)
