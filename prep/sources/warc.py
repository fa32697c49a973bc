"""WARC, ARC and WET files (.warc, .arc, .warc.wet, optionally compressed): each HTML page served
whole is a document, and so is each page's text in a WET file (Common Crawl's text extracts).

Every WARC record of a file has a number, `source_index`: its position among all the records
of the file, counting from 0, whatever their type, so that any WARC reader finds it again;
warc_records.py reads them and warc_kinds.py says which are documents. A big file is cut into
slices by record (documents and skipped records alike); a slice starts at its first record's
byte offset, or at the gzip member that record begins. Where no gzip member begins at that
record (a file gzipped as one stream), planning keeps the slice's documents in a chunk file,
as it does for gzipped JSON Lines, so that no shard inflates the file from its start.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import polars as pl

from prep.sources.base import InputFile, Planned, ReadSettings, Slice, SliceRecords, register
from prep.sources.decode import Unreadable, decode
from prep.sources.plan import ShardFiller, chunk_path, write_chunk
from prep.sources.records import record
from prep.sources.warc_records import Entry, iter_entries

CHUNK_SCHEMA = pl.Schema({"index": pl.Int64(), "url": pl.String(), "captured": pl.String(),
                          "charset": pl.String(), "body": pl.Binary(), "sha256": pl.String(),
                          "problem": pl.String(), "stored_at": pl.Int64(), "record_id": pl.String(),
                          "kind": pl.String()})


class WarcReader:
    format = "warc"
    suffixes = (".warc", ".arc", ".wet")  # Common Crawl's WET files: x.warc.wet.gz
    page_files = False
    hashed_when_planned = True
    compressible = True

    def plan(self, file: InputFile, filler: ShardFiller, settings: ReadSettings, chunk_dir: Path) -> Planned:
        """Cut the file into slices of records, and count its documents and skipped records."""
        skipped: Counter[str] = Counter()
        documents = start = index = slice_documents = 0
        offset: int | None = None
        pending: list[Entry] = []  # the documents of a slice that cannot be sought to

        def emit(stop: int) -> None:
            chunk = None
            if offset is None:
                chunk = chunk_path(chunk_dir, filler)
                save_entries(pending, chunk)
            filler.add(Slice(file, start, stop, offset or 0, chunk), pages=slice_documents)

        for entry in iter_entries(file, settings.limits, first_index=0):
            if entry.index == start:
                offset = entry.offset
            if entry.skipped is not None:
                skipped[entry.skipped] += 1
            else:
                documents += 1
                slice_documents += 1
                if offset is None:
                    pending.append(entry)
            index = entry.index + 1
            if index - start == filler.room() or slice_documents == filler.page_room():  # documents are pages
                emit(index)
                pending, start, slice_documents = [], index, 0
        if index > start:
            emit(index)
        return Planned(documents, {"records": index, "documents": documents, "skipped": dict(sorted(skipped.items()))})

    def read(self, piece: Slice, settings: ReadSettings) -> SliceRecords:
        """The document rows of the slice's records: read from its offset, or from its chunk.
        Reading stops where the file breaks, and that record is a dropped row saying so."""
        if piece.chunk is not None:
            entries: Iterable[Entry] = _read_chunk(piece.chunk)
        else:
            entries = itertools.islice(iter_entries(piece.file, settings.limits, piece.offset, piece.start),
                                       piece.stop - piece.start)
        return SliceRecords([_document(piece.file, entry) for entry in entries if entry.skipped is None])


def _document(file: InputFile, entry: Entry) -> dict[str, Any]:
    """A document's record row; its HTTP charset guides decoding, its capture date is kept for
    a page that names no date of its own."""
    meta = {"kind": entry.kind, "url": entry.url, "captured": entry.captured, "source_id": entry.record_id,
            "source_offset": entry.stored_at}
    if entry.problem is not None:
        return record(file, entry.index, entry.sha256, drop_reason=entry.problem, **meta)
    try:
        content = decode(entry.body or b"", html=entry.kind == "html", declared=entry.charset)
    except Unreadable as err:
        return record(file, entry.index, entry.sha256, drop_reason=f"unreadable: {err}", **meta)
    return record(file, entry.index, entry.sha256, content=content, **meta)


def save_entries(entries: Iterable[Entry], path: str) -> None:
    """Keep a slice's documents when its shard cannot seek to it (a file gzipped as one stream)."""
    write_chunk(pl.DataFrame([{name: getattr(e, name) for name in CHUNK_SCHEMA} for e in entries],
                             schema=CHUNK_SCHEMA), path)


def _read_chunk(path: str) -> Iterator[Entry]:
    for row in pl.read_parquet(path).iter_rows(named=True):
        yield Entry(**row)


register(WarcReader())
