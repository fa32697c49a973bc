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


# where a run read and wrote: recorded in the manifest, never in a part file, whose bytes must
# not depend on them (the same inputs copied elsewhere, or written to another directory)
WHERE = (("input", "paths"), ("output", "dir"))


def settings_json(config: Config) -> str:
    """The config's settings that decide the output (Config.to_json), without where the run
    read and wrote: the `prep.config` of every part file, the same for two runs of the same
    inputs and options."""
    settings = json.loads(config.to_json())
    for section, key in WHERE:
        settings[section].pop(key, None)
    return json.dumps(settings, sort_keys=True, separators=(",", ":"))


def settings_sha256(config: Config) -> str:
    return hashlib.sha256(settings_json(config).encode()).hexdigest()


def footer_metadata(config: Config) -> dict[str, str]:
    """Key-value metadata that lets a reader of a file alone know what made it and what it
    means; the writer of each table fills in `prep.table` and `prep.columns` (its column docs)."""
    return {
        "prep.table": "",
        "prep.version": __version__,
        "prep.config": settings_json(config),
        "prep.config_sha256": settings_sha256(config),
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
