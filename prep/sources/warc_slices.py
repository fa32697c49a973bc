"""A shard's slice of a WARC file: its documents as record rows, read from the file or from a chunk.

A slice starts at its first record's offset (prep.sources.warc). Where no gzip member begins
at that record (a file gzipped as one stream), planning keeps the slice's documents in a chunk
file, as it does for gzipped JSON Lines, so that no shard inflates the file from its start.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import polars as pl

from prep.config import Config
from prep.files import atomic_path
from prep.sources.decode import Unreadable, decode
from prep.sources.discover import InputFile
from prep.sources.records import record
from prep.sources.warc import Entry, iter_entries

CHUNK_SCHEMA = pl.Schema({"index": pl.Int64(), "url": pl.String(), "captured": pl.String(),
                          "charset": pl.String(), "body": pl.Binary(), "sha256": pl.String(),
                          "problem": pl.String()})


def _document(file: InputFile, entry: Entry) -> dict[str, Any]:
    """A document's record row; its HTTP charset guides decoding, its capture date is kept for
    a page that names no date of its own."""
    meta = {"kind": "html", "url": entry.url, "captured": entry.captured}
    if entry.problem is not None:
        return record(file, entry.index, entry.sha256, drop_reason=entry.problem, **meta)
    try:
        content = decode(entry.body or b"", html=True, declared=entry.charset)
    except Unreadable as err:
        return record(file, entry.index, entry.sha256, drop_reason=f"unreadable: {err}", **meta)
    return record(file, entry.index, entry.sha256, content=content, **meta)


def read_slice(file: InputFile, start: int, stop: int, offset: int, chunk: str | None,
               config: Config) -> list[dict[str, Any]]:
    """The document rows of records start..stop-1: read from `offset`, or from the slice's chunk."""
    if chunk is not None:
        entries: Iterable[Entry] = _read_chunk(chunk)
    else:
        entries = itertools.islice(iter_entries(file, config, offset, start), stop - start)
    return [_document(file, entry) for entry in entries if entry.skipped is None]


def write_chunk(entries: Iterable[Entry], path: str) -> None:
    """Keep a slice's documents when its shard cannot seek to it (a file gzipped as one stream)."""
    frame = pl.DataFrame([{name: getattr(e, name) for name in CHUNK_SCHEMA} for e in entries], schema=CHUNK_SCHEMA)
    with atomic_path(Path(path)) as tmp:
        frame.write_parquet(tmp, compression="lz4")


def _read_chunk(path: str) -> Iterator[Entry]:
    for row in pl.read_parquet(path).iter_rows(named=True):
        yield Entry(**row)
