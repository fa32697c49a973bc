"""Sources: find input files, plan shards, and read a shard into a frame of records.

One reader per format (text, html, jsonl, json, parquet, warc), each registered in base.py's
registry when imported here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from prep.config import Config
from prep.schema import RECORD_SCHEMA
from prep.sources import html, jsonfile, jsonl, parquet, text, warc  # noqa: F401 - each registers its reader
from prep.sources.base import READERS, FileInfo, FileProblem, InputFile, ReadSettings, Slice
from prep.sources.discover import Discovery, InputError, discover
from prep.sources.plan import Plan, PlanningFailed, Shard, plan_shards

__all__ = ["Discovery", "FileInfo", "FileProblem", "InputChanged", "InputError", "InputFile", "Plan",
           "PlanningFailed", "Shard", "ShardRecords", "Slice", "discover", "plan_shards", "read_shard"]


class InputChanged(RuntimeError):
    """An input file changed (or vanished) after the run planned it: the run cannot be consistent."""


@dataclass
class ShardRecords:
    """A shard's records (RECORD_SCHEMA plus `order`), and what reading its files taught us."""

    frame: pl.DataFrame
    files: list[FileInfo] = field(default_factory=list)       # one-document files, now hashed
    problems: list[FileProblem] = field(default_factory=list)  # files that gave no record


def read_shard(shard: Shard, config: Config) -> ShardRecords:
    """Every record the plan promised for the shard: read by its file's reader, or a dropped row
    saying why not (`config`: its input and limits sections are used)."""
    settings = ReadSettings(config.input, config.limits)
    schema = {**RECORD_SCHEMA, "order": pl.Int64()}
    frames: list[pl.DataFrame] = []
    rows: list[dict[str, Any]] = []  # rows readers gave as dicts, framed together (a frame per file costs more)
    out = ShardRecords(pl.DataFrame())
    base = shard.first_order
    for piece in shard.slices:
        check_unchanged(piece.file)
        first, base = base, base + piece.stop - piece.start
        got = READERS[piece.file.format].read(piece, settings)
        if got.file is not None:
            out.files.append(got.file)
        if got.problem is not None:
            out.problems.append(got.problem)
        if isinstance(got.rows, list):
            rows.extend({**row, "order": row["source_index"] - piece.start + first} for row in got.rows)
            continue
        if rows:  # the rows before this slice, in their place
            frames.append(pl.DataFrame(rows, schema=schema))
            rows = []
        frames.append(got.rows.with_columns(order=pl.col("source_index") - piece.start + first))
    if rows:
        frames.append(pl.DataFrame(rows, schema=schema))
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
