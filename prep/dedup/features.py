"""The map side of dedup: per shard, what the global grouping needs to know of each document.

For each document: an exact key (hash of its token sequence), a MinHash signature and its
LSH band keys. The reduce (groups.py) reads these back from the work directory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from prep.config import DedupConfig
from prep.dedup.minhash import HASH_SCHEME, SCHEME, text_signatures

# the parameters two runs' signatures must share to be compared (band keys are recomputed)
COMPARABLE = ("num_perm", "seed", "ngram", "char_ngram", "scheme", "hash")


@dataclass
class Features:
    meta: pl.DataFrame       # order, doc_id, exact_key, text_len, published, shingles
    signatures: np.ndarray   # uint32[docs, num_perm], rows aligned with meta
    bands: np.ndarray        # uint64[bands, docs]: one row per band, for band-at-a-time reduce


def compute_features(docs: pl.DataFrame, config: DedupConfig) -> Features:
    """`docs` holds order, doc_id, text, published of the documents that reach dedup."""
    sigs, sizes, keys = text_signatures(docs["text"], config.ngram, config.char_ngram, config.num_perm, config.seed)
    exact = [f"{hi:016x}{lo:016x}" for hi, lo in keys.tolist()]
    meta = docs.select("order", "doc_id", exact_key=pl.Series(exact, dtype=pl.String),
                       text_len=pl.col("text").str.len_chars().cast(pl.Int64), published="published")
    return Features(meta.with_columns(shingles=pl.Series(sizes)), sigs, band_keys(sigs, config.bands))


def signature_params(config: DedupConfig) -> dict:
    """How signatures were made: what a later run checks before comparing its own with them."""
    return {"num_perm": config.num_perm, "seed": config.seed, "ngram": config.ngram,
            "char_ngram": config.char_ngram, "scheme": SCHEME, "hash": HASH_SCHEME, "bands": config.bands}


def band_keys(sigs: np.ndarray, bands: int) -> np.ndarray:
    """One 64-bit key per band and document; equal keys mean equal band values.

    Bands of up to two 32-bit values are packed exactly; wider bands are folded with the
    murmur3 finaliser (a collision then needs 2^-64 luck, and verification catches it anyway).
    """
    n, num_perm = sigs.shape
    rows = num_perm // bands
    parts = sigs.reshape(n, bands, rows).astype(np.uint64)
    if rows <= 2:
        keys = parts[:, :, 0] if rows == 1 else (parts[:, :, 0] << np.uint64(32)) | parts[:, :, 1]
    else:
        keys = np.zeros((n, bands), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for r in range(rows):
                keys = _fmix64(keys ^ parts[:, :, r]) + np.uint64(r + 1)
    return np.ascontiguousarray(keys.T)


def _fmix64(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))
