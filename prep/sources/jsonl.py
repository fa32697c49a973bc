"""JSON Lines files (.jsonl, .ndjson, optionally compressed): one record per non-blank line.

Each line is parsed by the standard json module, whatever the shard it falls in: a record's
fields never depend on its neighbours. A line that is not a JSON object, or whose text field
is not a string, is a dropped row with its reason; so is a line over the size limit, and the
place where a compressed file breaks off. Where a shard starts reading: at its first record's
byte offset in an uncompressed file; a compressed file (any codec) is cut while planning into chunk files
of its lines, so that no shard inflates the file from its start.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from prep.config import FieldNames, LimitsConfig
from prep.sources.base import InputFile, Planned, ReadSettings, Slice, SliceRecords, register
from prep.sources.compression import Line, iter_lines, open_binary, sha256_hex, too_large_reason
from prep.sources.linestarts import record_starts
from prep.sources.plan import ShardFiller, chunk_path, write_chunk
from prep.sources.records import META, NO_META, RecordColumns, record

CHUNK_SCHEMA = pl.Schema({"offset": pl.Int64(), "data": pl.Binary(), "sha256": pl.String(),
                          "problem": pl.String()})


class JsonlReader:
    format = "jsonl"
    suffixes = (".jsonl", ".ndjson")
    page_files = False
    hashed_when_planned = True
    compressible = True

    def plan(self, file: InputFile, filler: ShardFiller, settings: ReadSettings, chunk_dir: Path) -> Planned:
        pages = _first_record_is_page(file, settings)
        if file.codec is not None:
            return Planned(_plan_chunks(file, filler, settings.limits, chunk_dir, pages))
        return Planned(_plan_offsets(file, filler, settings.limits, pages))

    def read(self, piece: Slice, settings: ReadSettings) -> SliceRecords:
        rows = RecordColumns(piece.file)
        try:
            lines = read_lines(piece.file, piece.stop - piece.start, settings.limits, piece.offset, piece.chunk)
            add_lines(rows, piece.start, lines, settings)
        except Exception as err:  # noqa: BLE001 - an I/O error mid-file costs its records only
            reason = f"unreadable: {type(err).__name__}: {err}"
        else:
            reason = "unreadable: record not found when the file was read again"
        no_bytes = sha256_hex(b"")  # nothing of the records left could be read
        for index in range(piece.start + len(rows), piece.stop):
            rows.add(index, no_bytes, drop_reason=reason)
        return SliceRecords(rows.frame())


def fill_slice(rows: list[dict[str, Any]], piece: Slice, reason: str) -> list[dict[str, Any]]:
    """The slice's rows, and a dropped row for each record that could not be read at all."""
    no_bytes = sha256_hex(b"")  # nothing of these records could be read
    return rows + [record(piece.file, index, no_bytes, drop_reason=reason)
                   for index in range(piece.start + len(rows), piece.stop)]


def scan_lines(file: InputFile, limits: LimitsConfig) -> Iterator[Line]:
    """Every record line of the file, from the start (used to plan shards)."""
    with open_binary(file.path, file.codec, limits) as stream:
        yield from iter_lines(stream, limits.max_record_bytes)


def save_lines(lines: Iterable[Line], path: str) -> None:
    """Keep a slice of a compressed file's lines so its shard need not decompress from the start."""
    write_chunk(pl.DataFrame([{"offset": x.offset, "data": x.data, "sha256": x.sha256, "problem": x.problem}
                              for x in lines], schema=CHUNK_SCHEMA), path)


def read_lines(file: InputFile, count: int, limits: LimitsConfig, offset: int = 0,
               chunk: str | None = None) -> Iterator[Line]:
    """`count` lines starting at byte `offset` of an uncompressed file, or from a chunk file."""
    if chunk is not None:
        for row in pl.read_parquet(chunk).iter_rows(named=True):
            yield Line(**row)
        return
    with open(file.path, "rb") as stream:
        stream.seek(offset)
        yield from itertools.islice(iter_lines(stream, limits.max_record_bytes, offset), count)


# a record's content, kind, drop_reason and metadata (in the order of records.META)
Picked = tuple[str | None, str, str | None, tuple[Any, ...]]


def add_lines(rows: RecordColumns, start: int, lines: Iterable[Line], settings: ReadSettings) -> None:
    """The records of `lines` (the first is record `start`) added to `rows`."""
    fields = settings.fields(rows.file)
    limit = settings.limits.max_record_bytes
    for index, line in enumerate(lines, start):
        if line.data is None:
            rows.add(index, line.sha256, drop_reason=too_large_reason(limit))
        elif line.problem is not None:
            rows.add(index, sha256_hex(line.data), drop_reason=f"unreadable: {line.problem}")
        else:
            rows.add(index, sha256_hex(line.data), *from_json_line(line.data, fields))


def from_json_line(line: bytes, fields: FieldNames) -> Picked:
    try:
        obj = json.loads(line)
    except ValueError as err:  # bad JSON, bad UTF-8, an integer of over 4300 digits
        return None, "text", f"unreadable: invalid JSON ({err})", NO_META
    except RecursionError:
        return None, "text", "unreadable: invalid JSON (nested too deeply)", NO_META
    if not isinstance(obj, dict):
        return None, "text", f"unreadable: a JSON {type(obj).__name__}, not an object", NO_META
    return pick(obj, fields)


def from_mapping(file: InputFile, index: int, sha: str, obj: dict[str, Any],
                 fields: FieldNames) -> dict[str, Any]:
    """A record from a Parquet row, read as a JSON object's (`pick`)."""
    content, kind, drop_reason, meta = pick(obj, fields)
    return record(file, index, sha, content=content, kind=kind, drop_reason=drop_reason,
                  **dict(zip(META, meta, strict=True)))


def pick(obj: dict[str, Any], fields: FieldNames) -> Picked:
    """(content, kind, drop_reason, metadata) of a JSON object or a Parquet row: html field first,
    else text field (also when the html field holds only whitespace: a dataset may carry an
    empty html column)."""
    published = obj.get(fields.date_field) if fields.date_field else None
    meta = (
        obj.get(fields.id_field) if fields.id_field else None,
        obj.get(fields.url_field) if fields.url_field else None,
        obj.get(fields.title_field) if fields.title_field else None,
        # a Parquet date or timestamp column: ISO 8601, as dates from every other source
        published.isoformat() if isinstance(published, date) else published,
    )
    blank = None
    for name, kind in ((fields.html_field, "html"), (fields.text_field, "text")):
        value = obj.get(name)
        if isinstance(value, str):
            if value.strip():
                return value, kind, None, meta
            blank = blank or (value, kind)
        elif value is not None:
            return None, kind, f"unreadable: field '{name}' is a {type(value).__name__}, not a string", meta
    if blank is not None:  # dropped as empty after extraction, like any record without text
        return blank[0], blank[1], None, meta
    return None, "text", f"unreadable: no '{fields.html_field}' or '{fields.text_field}' field", meta


def _first_record_is_page(file: InputFile, settings: ReadSettings) -> bool:
    """Whether a line file holds HTML pages, judged by its first record (shard sizes only
    depend on it: a wrong guess costs speed, never a record)."""
    first = next(scan_lines(file, settings.limits), None)
    try:
        obj = json.loads(first.data) if first is not None and first.data is not None else None
    except (ValueError, RecursionError):  # a broken first line is that record's problem, when it is read
        return False
    return isinstance(obj, dict) and obj.get(settings.fields(file).html_field) is not None


def _plan_chunks(file: InputFile, filler: ShardFiller, limits: LimitsConfig, chunk_dir: Path, pages: bool) -> int:
    """A compressed line file: each slice's lines go to a chunk file its shard reads."""
    pending: list[Line] = []
    start = index = 0
    offset = None

    def emit(stop: int) -> None:
        chunk = chunk_path(chunk_dir, filler)
        save_lines(pending, chunk)
        filler.add(Slice(file, start, stop, offset or 0, chunk), pages=(stop - start) * pages)

    for index, line in enumerate(scan_lines(file, limits), 1):
        if offset is None:
            offset = line.offset
        pending.append(line)
        if index - start == filler.room(pages):
            emit(index)
            pending, start, offset = [], index, None
    if index > start:
        emit(index)
    return index


def _plan_offsets(file: InputFile, filler: ShardFiller, limits: LimitsConfig, pages: bool) -> int:
    """An uncompressed line file: each slice starts at its first record's byte offset."""
    start = total = 0
    offset = None
    for starts in record_starts(file.path, limits.max_record_bytes):
        taken = 0
        while taken < len(starts):
            if offset is None:
                offset = int(starts[taken])
            count = min(filler.room(pages) - (total - start), len(starts) - taken)
            taken += count
            total += count
            if total - start == filler.room(pages):
                filler.add(Slice(file, start, total, offset), pages=(total - start) * pages)
                start, offset = total, None
    if total > start:
        filler.add(Slice(file, start, total, offset), pages=(total - start) * pages)
    return total


register(JsonlReader())
