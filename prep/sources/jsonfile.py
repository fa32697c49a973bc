"""JSON files (.json, optionally compressed): an array of records, or one record (an object).

A JSON file cannot be read a record at a time (a break anywhere spoils the whole document), so
it is read whole, bounded by max_record_bytes, and parsed while planning; a file that is too
large, broken or neither an array nor an object is a file error, with the reason. Planning
keeps each slice's records in a chunk file, each as its canonical JSON (keys sorted), which
stands for its raw bytes (source_sha256), as a Parquet row's does; shards read them as JSON
Lines records are read (jsonl.py): an element that is not an object, or whose text field is
not a string, is a dropped row with its reason.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from prep.sources.base import InputFile, Planned, ReadSettings, Slice, SliceRecords, Unplannable, register
from prep.sources.compression import Line, TooLarge, read_whole, sha256_hex
from prep.sources.decode import Unreadable
from prep.sources.jsonl import JsonlReader, save_lines
from prep.sources.plan import ShardFiller, chunk_path


class JsonReader:
    format = "json"
    suffixes = (".json",)
    page_files = False
    hashed_when_planned = True
    compressible = True

    def plan(self, file: InputFile, filler: ShardFiller, settings: ReadSettings, chunk_dir: Path) -> Planned:
        records = _records(file, settings)
        pages = bool(records) and isinstance(records[0], dict) and records[0].get(
            settings.fields(file).html_field) is not None
        start = 0
        while start < len(records):
            stop = min(len(records), start + filler.room(pages))
            chunk = chunk_path(chunk_dir, filler)
            save_lines((_line(index, records[index], settings.limits.max_record_bytes)
                        for index in range(start, stop)), chunk)
            filler.add(Slice(file, start, stop, 0, chunk), pages=(stop - start) * pages)
            start = stop
        return Planned(len(records))

    def read(self, piece: Slice, settings: ReadSettings) -> SliceRecords:
        return JsonlReader().read(piece, settings)  # from the slice's chunk file


def _records(file: InputFile, settings: ReadSettings) -> list[Any]:
    """The file's records: the elements of its array, or its one object."""
    try:
        data = read_whole(file.path, file.codec, settings.limits)
    except TooLarge:
        raise Unplannable(f"a JSON file is read whole: larger than max_record_bytes "
                          f"({settings.limits.max_record_bytes}); split it, or write it as JSON Lines") from None
    except Unreadable as err:
        raise Unplannable(f"unreadable: {err}") from None
    try:
        document = json.loads(data)
    except ValueError as err:
        raise Unplannable(f"invalid JSON ({err})") from None
    except RecursionError:
        raise Unplannable("invalid JSON (nested too deeply)") from None
    if isinstance(document, dict):
        return [document]
    if isinstance(document, list):
        return document
    raise Unplannable(f"a JSON {type(document).__name__}, neither an array of records nor one record")


def _line(index: int, value: Any, limit: int) -> Line:
    """A record as a line of its chunk file: its canonical JSON (None past the size limit)."""
    data = json.dumps(value, sort_keys=True, ensure_ascii=False).encode()
    return Line(index, data) if len(data) <= limit else Line(index, None, sha256=sha256_hex(data))


register(JsonReader())
