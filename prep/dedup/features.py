"""The map side of dedup: per shard, what the global grouping needs to know of each document.

For each document: an exact key (hash of its token sequence), a MinHash signature and its
LSH band keys (lsh.py). The reduce (groups.py) reads these back from the work directory
(store.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from prep.config import DedupConfig
from prep.dedup.lsh import band_keys
from prep.dedup.signatures import HASH_SCHEME, SCHEME, text_signatures

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
