"""Earlier outputs a run is deduplicated against (`prep run --against OUT`, `dedup.against`).

An earlier output is read through its dedup/signatures/ (prep/dedup/store.py): the kept
documents' MinHash signatures and exact keys, compared as they are, never recomputed. The
earlier corpus is only read, never rewritten.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from prep.config import DedupConfig
from prep.dedup.features import COMPARABLE, Features, signature_params
from prep.dedup.lsh import band_keys
from prep.dedup.store import TABLE, ShardFeatures, read_params
from prep.sinks.output import OutputError, RunOutput

META_SCHEMA = pl.Schema({"order": pl.Int64(), "doc_id": pl.String(), "exact_key": pl.String(),
                         "text_len": pl.Int64(), "published": pl.String(), "shingles": pl.Int64()})


class EarlierError(ValueError):
    """An earlier output that cannot be used; the message names it and the problem (exit code 2)."""


@dataclass(frozen=True)
class EarlierOutput:
    path: Path
    manifest_sha256: str
    run_fingerprint: str | None
    parts: tuple[Path, ...]
    documents: int

    def identity(self) -> dict:
        """What the manifest records of it, and what a resumed run must find unchanged."""
        return {"path": str(self.path), "manifest_sha256": self.manifest_sha256,
                "run_fingerprint": self.run_fingerprint, "documents": self.documents}


def open_earlier(paths: list[Path], config: DedupConfig, out: Path, roots: list[Path]) -> list[EarlierOutput]:
    """Check that each path holds a finished run with signatures this run can compare with its own,
    and lies apart from this run's output and inputs."""
    return [_open(Path(path), config, out, roots) for path in paths]


def _open(path: Path, config: DedupConfig, out: Path, roots: list[Path]) -> EarlierOutput:
    def problem(text: str) -> EarlierError:
        return EarlierError(f"cannot deduplicate against {path}: {text}")

    real = Path(os.path.realpath(path))
    if real == Path(os.path.realpath(out)):
        raise problem("it is this run's own output directory, which the run replaces")
    for root in roots:
        if root.is_dir() and real.is_relative_to(os.path.realpath(root)):
            raise problem(f"it is inside input {root}, whose files this run reads as input; move it out")
    try:
        run = RunOutput.open(path)
    except OutputError as err:
        raise problem(str(err)) from None
    entries = run.manifest["outputs"].get(TABLE)
    if entries is None:
        raise problem(f"it has no dedup/{TABLE}/ (it was written by a prep without persisted signatures); run it again")
    parts = tuple(path / entry["file"] for entry in entries)
    missing = [str(p) for p in parts if not p.is_file()]
    if missing:
        raise problem(f"the manifest lists {TABLE} parts that are missing: {', '.join(missing[:3])}")
    ours = signature_params(config)
    for part in parts:
        theirs = read_params(part) or {}
        differ = [f"{key}={theirs.get(key)!r} there, {ours[key]!r} here" for key in COMPARABLE
                  if theirs.get(key) != ours[key]]
        if differ:
            raise problem(f"its signatures were made with other MinHash parameters ({'; '.join(differ)}), and "
                          "signatures of different parameters cannot be compared")
    with open(path / "manifest.json", "rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    return EarlierOutput(path, digest, run.manifest.get("run_fingerprint"), parts,
                         sum(entry["rows"] for entry in entries))


def stage_earlier(earlier: list[EarlierOutput], config: DedupConfig, folder: Path) -> list[list[ShardFeatures]]:
    """Each earlier output's signature parts as the work files the dedup reduce reads (band keys
    recomputed for this run's bands), one part in memory at a time; `order` numbers the earlier
    documents in the order the outputs are given, each in its own input order."""
    staged, order = [], 0
    for k, output in enumerate(earlier):
        parts = []
        for j, path in enumerate(output.parts):
            frame = pl.read_parquet(path)
            if frame.is_empty():
                continue
            sigs = np.ascontiguousarray(frame["signature"].to_numpy(), dtype=np.uint32)
            meta = frame.select(pl.int_range(order, order + frame.height).alias("order"),
                                *list(META_SCHEMA.names())[1:]).cast(dict(META_SCHEMA))
            features = ShardFeatures.in_folder(folder, f"against-{k:03d}-{j:05d}")
            features.save(Features(meta, sigs, band_keys(sigs, config.bands)))
            parts.append(features)
            order += frame.height
        staged.append(parts)
    return staged
