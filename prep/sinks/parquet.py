"""Output part files: the exact schema, the run's config and column docs in the footer, atomic."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import polars as pl

from prep import __version__
from prep.config import Config, OutputConfig
from prep.files import atomic_path
from prep.schema import COLUMN_DOCS, OUTPUT_SCHEMA

# polars' own zstd default is level 3; level 1 (pyarrow's default) writes a part faster, for a
# somewhat larger file that is still well smaller than snappy's
FAST_ZSTD_LEVEL = 1


def footer_metadata(config: Config) -> dict[str, str]:
    """Key-value metadata that lets a reader of a file alone know what made it and what it
    means; the writer of each table fills in `prep.table` and `prep.columns` (its column docs)."""
    return {
        "prep.table": "",
        "prep.version": __version__,
        "prep.config": config.to_json(),
        "prep.config_sha256": config.sha256(),
        "prep.columns": "",
    }


def write_part(frame: pl.DataFrame, path: Path, table: str, output: OutputConfig, footer: dict[str, str]) -> dict:
    """Write one part file of corpus/ or dropped/ atomically; return its manifest entry."""
    metadata = {**footer, "prep.table": table, "prep.columns": json.dumps(COLUMN_DOCS)}
    return write_parquet(frame.select(OUTPUT_SCHEMA.names()).cast(dict(OUTPUT_SCHEMA)), path, output, metadata)


def write_parquet(frame: pl.DataFrame, path: Path, output: OutputConfig, metadata: dict[str, str]) -> dict:
    """Write a Parquet file atomically; return its manifest entry (name, rows, bytes, sha256)."""
    level = output.compression_level
    if level is None and output.compression == "zstd":
        level = FAST_ZSTD_LEVEL
    with atomic_path(path) as tmp:
        frame.write_parquet(tmp, compression=output.compression, compression_level=level, metadata=metadata)
        with open(tmp, "rb") as stream:
            digest = hashlib.file_digest(stream, "sha256").hexdigest()
    return {"file": path.name, "rows": frame.height, "bytes": path.stat().st_size, "sha256": digest}
