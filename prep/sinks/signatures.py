"""dedup/signatures/: the dedup features of the kept documents, so that a later run can be deduplicated
against this output (`prep run --against OUT`) without recomputing them.

Only kept documents are written: a dropped duplicate is represented by the document kept for
its group, and groups are built around that document (the centre), never around a dropped
member, so a later document is compared with the same documents a single run over both inputs
would compare it with. The MinHash parameters are in the footer key `prep.signature`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl

from prep.config import Config
from prep.dedup.features import signature_params
from prep.dedup.groups import ShardFeatures
from prep.schema import SIGNATURE_DOCS, signature_schema
from prep.sinks.parquet import footer_metadata, write_parquet

TABLE = "signatures"
PARAMS_KEY = "prep.signature"


def write_signatures(features: ShardFeatures, kept: pl.Series, path: Path, config: Config) -> dict:
    """One part: the features of the documents whose `order` is in `kept`, in input order."""
    meta = pl.read_ipc(features.meta).with_row_index("row").filter(pl.col("order").is_in(kept.implode()))
    sigs = np.load(features.signatures, mmap_mode="r")[meta["row"].to_numpy()]
    schema = signature_schema(config.dedup.num_perm)
    frame = meta.select(*list(schema.names())[:-1], signature=pl.Series(sigs, dtype=schema["signature"]))
    return _write(frame, path, config)


def write_empty_signatures(path: Path, config: Config) -> dict:
    return _write(pl.DataFrame(schema=signature_schema(config.dedup.num_perm)), path, config)


def _write(frame: pl.DataFrame, path: Path, config: Config) -> dict:
    schema = signature_schema(config.dedup.num_perm)
    metadata = {**footer_metadata(config, TABLE, SIGNATURE_DOCS),
                PARAMS_KEY: json.dumps(signature_params(config.dedup), sort_keys=True)}
    return write_parquet(frame.select(schema.names()).cast(dict(schema)), path, config, metadata)


def read_params(path: Path) -> dict | None:
    """The MinHash parameters a signatures part was made with (None when it names none)."""
    import pyarrow.parquet as pq

    raw = (pq.read_metadata(path).metadata or {}).get(PARAMS_KEY.encode())
    return json.loads(raw) if raw else None
