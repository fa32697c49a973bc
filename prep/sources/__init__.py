"""Sources: find input files, plan shards, and read a shard into a frame of records."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from prep.config import Config
from prep.schema import RECORD_SCHEMA
from prep.sources.discover import FileProblem, InputError, InputFile, discover
from prep.sources.documents import read_document
from prep.sources.jsonl import read_lines, records_from_lines
from prep.sources.parquet import read_parquet_rows
from prep.sources.plan import FileInfo, Plan, Shard, plan_shards
from prep.sources.raw import file_sha256

__all__ = ["FileInfo", "FileProblem", "InputError", "InputFile", "Plan", "Shard", "ShardRecords",
           "discover", "plan_shards", "read_shard"]


@dataclass
class ShardRecords:
    """A shard's records (RECORD_SCHEMA plus `order`), and what reading its files taught us."""

    frame: pl.DataFrame
    files: list[FileInfo] = field(default_factory=list)       # one-document files, now hashed
    problems: list[FileProblem] = field(default_factory=list)  # files that gave no record


def read_shard(shard: Shard, config: Config) -> ShardRecords:
    rows: list[dict] = []
    orders: list[int] = []
    out = ShardRecords(pl.DataFrame())
    base = shard.first_order
    for piece in shard.slices:
        file = piece.file
        try:
            if file.format == "jsonl":
                lines = read_lines(file, piece.stop - piece.start, config, piece.offset, piece.chunk)
                got = list(records_from_lines(file, piece.start, lines, config))
            elif file.format == "parquet":
                got = list(read_parquet_rows(file, piece.start, piece.stop, config))
            else:
                got = list(read_document(file, config))
                out.files.append(FileInfo(file.source_path, file.format, file.size, 1,
                                          file_sha256(file.path)))
        except OSError as err:
            out.problems.append(FileProblem(file.source_path, f"cannot read: {err.strerror or err}"))
            got = []
        rows.extend(got)
        orders.extend(base + r["source_index"] - piece.start for r in got)
        base += piece.stop - piece.start
    out.frame = pl.DataFrame(rows, schema=RECORD_SCHEMA).with_columns(
        pl.Series("order", orders, dtype=pl.Int64))
    return out
