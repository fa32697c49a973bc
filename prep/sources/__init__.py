"""Sources: find input files, plan shards, and read a shard into a frame of records."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from prep.config import Config
from prep.schema import RECORD_SCHEMA
from prep.sources.discover import Discovery, FileProblem, InputError, InputFile, discover
from prep.sources.documents import read_document
from prep.sources.jsonl import read_lines, records_from_lines
from prep.sources.jsonl_frame import records_frame
from prep.sources.parquet import read_parquet_rows
from prep.sources.plan import FileInfo, Plan, Shard, Slice, plan_shards
from prep.sources.raw import file_sha256, sha256_hex
from prep.sources.records import record
from prep.sources.warc_slices import read_slice as read_warc_slice

__all__ = ["Discovery", "FileInfo", "FileProblem", "InputChanged", "InputError", "InputFile", "Plan", "Shard",
           "ShardRecords", "discover", "plan_shards", "read_shard"]


class InputChanged(RuntimeError):
    """An input file changed (or vanished) after the run planned it: the run cannot be consistent."""


@dataclass
class ShardRecords:
    """A shard's records (RECORD_SCHEMA plus `order`), and what reading its files taught us."""

    frame: pl.DataFrame
    files: list[FileInfo] = field(default_factory=list)       # one-document files, now hashed
    problems: list[FileProblem] = field(default_factory=list)  # files that gave no record


def read_shard(shard: Shard, config: Config) -> ShardRecords:
    """Every record the plan promised for the shard: read, or a dropped row saying why not."""
    frames: list[pl.DataFrame] = []
    documents: list[dict[str, Any]] = []  # one-document files, framed together (a frame per file costs more)
    schema = {**RECORD_SCHEMA, "order": pl.Int64()}
    out = ShardRecords(pl.DataFrame())
    base = shard.first_order
    for piece in shard.slices:
        file = piece.file
        check_unchanged(file)
        first, base = base, base + piece.stop - piece.start
        if file.format not in ("jsonl", "parquet", "warc"):
            try:
                documents.extend({**record, "order": first} for record in read_document(file, config))
                out.files.append(FileInfo(file.source_path, file.format, file.size, 1, file_sha256(file.path)))
            except OSError as err:
                out.problems.append(FileProblem(file.source_path, f"cannot read: {err.strerror or err}"))
            continue
        if file.format == "warc":  # reads what it can and reports where the file breaks itself
            got = read_warc_slice(file, piece.start, piece.stop, piece.offset, piece.chunk, config)
        else:
            got = _read_slice(piece, config)
        frame = got if isinstance(got, pl.DataFrame) else pl.DataFrame(got, schema=RECORD_SCHEMA)
        if documents:  # the one-document files before this slice, in their place
            frames.append(pl.DataFrame(documents, schema=schema))
            documents = []
        frames.append(frame.with_columns(order=pl.col("source_index") - piece.start + first))
    if documents:
        frames.append(pl.DataFrame(documents, schema=schema))
    out.frame = pl.concat(frames).cast(schema) if frames else pl.DataFrame(schema=schema)
    return out


def check_unchanged(file: InputFile) -> None:
    """Refuse to read a file that is not the one planned: its records would not match the plan."""
    try:
        st = os.stat(file.path)
    except OSError as err:
        raise InputChanged(f"input {file.source_path} vanished during the run ({err.strerror or err})") from None
    if (st.st_size, st.st_mtime_ns) != (file.size, file.mtime_ns):
        raise InputChanged(f"input {file.source_path} changed during the run (size or modification time); "
                           "run again with --overwrite once the inputs are stable")


def _read_slice(piece: Slice, config: Config) -> list[dict[str, Any]] | pl.DataFrame:
    """The slice's records; those that cannot be read become dropped rows, so none goes missing."""
    got: list[dict[str, Any]] = []
    try:
        if piece.file.format == "jsonl":
            lines = list(read_lines(piece.file, piece.stop - piece.start, config, piece.offset, piece.chunk))
            fast = records_frame(piece.file, piece.start, lines, config.input)
            if fast is not None and fast.height == piece.stop - piece.start:
                return fast
            got.extend(records_from_lines(piece.file, piece.start, lines, config))
        else:
            got.extend(read_parquet_rows(piece.file, piece.start, piece.stop, config))
    except Exception as err:  # any failure mid-file (I/O error, corrupt Parquet page) costs its records only
        reason = f"unreadable: {type(err).__name__}: {err}"
    else:
        reason = "unreadable: record not found when the file was read again"
    no_bytes = sha256_hex(b"")  # nothing of these records could be read
    got.extend(record(piece.file, index, no_bytes, drop_reason=reason)
               for index in range(piece.start + len(got), piece.stop))
    return got
