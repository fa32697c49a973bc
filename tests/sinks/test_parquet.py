"""Output part files: how they are compressed."""

from __future__ import annotations

import random
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from prep.config import Config
from prep.sinks.parquet import write_parquet


def _text_frame() -> pl.DataFrame:
    rng = random.Random(7)
    words = [f"word{i}" for i in range(400)]
    return pl.DataFrame({"text": [" ".join(rng.choices(words, k=300)) for _ in range(200)]})


def test_zstd_is_written_at_level_1_unless_the_config_names_a_level(tmp_path: Path):
    frame, meta = _text_frame(), {"prep.table": "corpus"}
    written = {}
    for name, output in (("default", {}), ("one", {"compression_level": 1}), ("nine", {"compression_level": 9})):
        write_parquet(frame, tmp_path / f"{name}.parquet", Config.model_validate({"output": output}).output, meta)
        written[name] = (tmp_path / f"{name}.parquet").read_bytes()
    assert written["default"] == written["one"]
    assert len(written["nine"]) < len(written["one"])
    assert pq.read_metadata(tmp_path / "default.parquet").row_group(0).column(0).compression == "ZSTD"
    assert pl.read_parquet(tmp_path / "default.parquet").equals(frame)


def test_other_codecs_keep_their_own_default_level(tmp_path: Path):
    frame, meta = _text_frame(), {"prep.table": "corpus"}
    for name, output in (("default", {"compression": "gzip"}), ("six", {"compression": "gzip", "compression_level": 6}),
                         ("one", {"compression": "gzip", "compression_level": 1})):
        write_parquet(frame, tmp_path / f"{name}.parquet", Config.model_validate({"output": output}).output, meta)
    assert (tmp_path / "default.parquet").read_bytes() == (tmp_path / "six.parquet").read_bytes()
    assert (tmp_path / "default.parquet").read_bytes() != (tmp_path / "one.parquet").read_bytes()
