"""JSON Lines files (.jsonl/.ndjson, optionally gzipped): one record per non-blank line."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from prep.config import Config, InputConfig
from prep.files import atomic_path
from prep.sources.discover import InputFile
from prep.sources.raw import Line, iter_lines, open_binary, sha256_hex, too_large_reason
from prep.sources.records import record

CHUNK_SCHEMA = pl.Schema({"offset": pl.Int64(), "data": pl.Binary(), "sha256": pl.String(),
                          "problem": pl.String()})


def scan_lines(file: InputFile, config: Config) -> Iterator[Line]:
    """Every record line of the file, from the start (used to plan shards)."""
    with open_binary(file.path, file.gzipped, config.limits) as stream:
        yield from iter_lines(stream, config.limits.max_record_bytes)


def write_chunk(lines: Iterable[Line], path: str) -> None:
    """Keep a slice of a gzipped file's lines so its shard need not decompress from the start."""
    frame = pl.DataFrame([{"offset": x.offset, "data": x.data, "sha256": x.sha256, "problem": x.problem}
                          for x in lines], schema=CHUNK_SCHEMA)
    with atomic_path(Path(path)) as tmp:
        frame.write_parquet(tmp, compression="lz4")


def read_lines(file: InputFile, count: int, config: Config, offset: int = 0,
               chunk: str | None = None) -> Iterator[Line]:
    """`count` lines starting at byte `offset` of an uncompressed file, or from a chunk file."""
    if chunk is not None:
        for row in pl.read_parquet(chunk).iter_rows(named=True):
            yield Line(**row)
        return
    with open(file.path, "rb") as stream:
        stream.seek(offset)
        yield from itertools.islice(iter_lines(stream, config.limits.max_record_bytes, offset), count)


def records_from_lines(file: InputFile, start: int, lines: Iterable[Line],
                       config: Config) -> Iterator[dict[str, Any]]:
    for index, line in enumerate(lines, start):
        if line.data is None:
            yield record(file, index, line.sha256,
                         drop_reason=too_large_reason(config.limits.max_record_bytes))
        elif line.problem is not None:
            yield record(file, index, sha256_hex(line.data), drop_reason=f"unreadable: {line.problem}")
        else:
            yield from_json_line(file, index, line.data, config.input)


def from_json_line(file: InputFile, index: int, line: bytes, fields: InputConfig) -> dict[str, Any]:
    sha = sha256_hex(line)
    try:
        obj = json.loads(line)
    except ValueError as err:  # bad JSON, bad UTF-8, an integer of over 4300 digits
        return record(file, index, sha, drop_reason=f"unreadable: invalid JSON ({err})")
    except RecursionError:
        return record(file, index, sha, drop_reason="unreadable: invalid JSON (nested too deeply)")
    if not isinstance(obj, dict):
        return record(file, index, sha, drop_reason=f"unreadable: a JSON {type(obj).__name__}, not an object")
    return from_mapping(file, index, sha, obj, fields)


def from_mapping(file: InputFile, index: int, sha: str, obj: dict[str, Any],
                 fields: InputConfig) -> dict[str, Any]:
    """A record from a JSON object or a Parquet row: html field first, else text field (also
    when the html field holds only whitespace: a dataset may carry an empty html column)."""
    published = obj.get(fields.date_field) if fields.date_field else None
    meta = {
        "source_id": obj.get(fields.id_field) if fields.id_field else None,
        "url": obj.get(fields.url_field) if fields.url_field else None,
        "title": obj.get(fields.title_field) if fields.title_field else None,
        # a Parquet date or timestamp column: ISO 8601, as dates from every other source
        "published": published.isoformat() if isinstance(published, date) else published,
    }
    blank = None
    for name, kind in ((fields.html_field, "html"), (fields.text_field, "text")):
        value = obj.get(name)
        if isinstance(value, str):
            if value.strip():
                return record(file, index, sha, content=value, kind=kind, **meta)
            blank = blank or (value, kind)
        elif value is not None:
            return record(file, index, sha, kind=kind, **meta, drop_reason=(
                f"unreadable: field '{name}' is a {type(value).__name__}, not a string"))
    if blank is not None:  # dropped as empty after extraction, like any record without text
        return record(file, index, sha, content=blank[0], kind=blank[1], **meta)
    return record(file, index, sha, **meta, drop_reason=(
        f"unreadable: no '{fields.html_field}' or '{fields.text_field}' field"))
