"""Where dedup's data is kept: each shard's features as work files between the map and the
reduce, and the kept documents' signatures as the table dedup/signatures/ of a finished run.

The table is what a later run reads to deduplicate against this output (`prep run --against
OUT`) without recomputing anything. Only kept documents are written: a dropped duplicate is
represented by the document kept for its group, and groups are built around that document (the
centre), never around a dropped member, so a later document is compared with the same documents
a single run over both inputs would compare it with. The MinHash parameters are in the footer
key `prep.signature`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from prep.config import DedupConfig, OutputConfig
from prep.dedup.features import Features, signature_params
from prep.files import atomic_path, write_frame
from prep.schema import SIGNATURE_DOCS, signature_schema
from prep.sinks.parquet import write_parquet

TABLE = "signatures"
PARAMS_KEY = "prep.signature"


@dataclass(frozen=True)
class ShardFeatures:
    """Where one shard's dedup features lie in the work directory: its documents' metadata
    (Arrow), signatures (uint32[docs, num_perm]) and LSH band keys (uint64[bands, docs], one
    row per band so that the reduce reads one band at a time), the arrays as .npy files."""

    meta: str
    signatures: str
    bands: str

    @classmethod
    def in_folder(cls, folder: Path, name: str) -> ShardFeatures:
        return cls(str(folder / f"{name}.meta.arrow"), str(folder / f"{name}.sig.npy"),
                   str(folder / f"{name}.bands.npy"))

    def save(self, features: Features) -> None:
        """Write the features atomically (a crash never leaves half a file behind)."""
        write_frame(features.meta, Path(self.meta))
        for array, path in ((features.signatures, self.signatures), (features.bands, self.bands)):
            with atomic_path(Path(path)) as tmp, open(tmp, "wb") as stream:
                np.save(stream, array)

    def band(self, band: int) -> np.ndarray:
        """One band's keys, copied out of a mapping that is closed at once: the reduce holds one
        band of every shard at a time, never all of them."""
        return np.array(np.load(self.bands, mmap_mode="r")[band])

    def paths(self) -> tuple[str, str, str]:
        return self.meta, self.signatures, self.bands


def write_signatures(features: ShardFeatures, kept: pl.Series, path: Path, dedup: DedupConfig,
                     output: OutputConfig, footer: dict[str, str]) -> dict:
    """One part: the features of the documents whose `order` is in `kept`, in input order.
    `footer` is the run's Parquet footer metadata (prep/sinks/parquet.py)."""
    meta = pl.read_ipc(features.meta).with_row_index("row").filter(pl.col("order").is_in(kept.implode()))
    sigs = np.load(features.signatures, mmap_mode="r")[meta["row"].to_numpy()]
    schema = signature_schema(dedup.num_perm)
    frame = meta.select(*list(schema.names())[:-1], signature=pl.Series(sigs, dtype=schema["signature"]))
    return _write(frame, path, dedup, output, footer)


def write_empty_signatures(path: Path, dedup: DedupConfig, output: OutputConfig, footer: dict[str, str]) -> dict:
    return _write(pl.DataFrame(schema=signature_schema(dedup.num_perm)), path, dedup, output, footer)


def _write(frame: pl.DataFrame, path: Path, dedup: DedupConfig, output: OutputConfig,
           footer: dict[str, str]) -> dict:
    schema = signature_schema(dedup.num_perm)
    metadata = {**footer, "prep.table": TABLE, "prep.columns": json.dumps(SIGNATURE_DOCS),
                PARAMS_KEY: json.dumps(signature_params(dedup), sort_keys=True)}
    return write_parquet(frame.select(schema.names()).cast(dict(schema)), path, output, metadata)


def read_params(path: Path) -> dict | None:
    """The MinHash parameters a signatures part was made with (None when it names none)."""
    import pyarrow.parquet as pq

    raw = (pq.read_metadata(path).metadata or {}).get(PARAMS_KEY.encode())
    return json.loads(raw) if raw else None
