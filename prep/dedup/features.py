"""The map side of dedup: per shard, what the global grouping needs to know of each document.

For each document: an exact key (hash of the normalised text), a MinHash signature and its
LSH band keys. The reduce (groups.py) reads these back from the work directory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
import xxhash

from prep.config import DedupConfig
from prep.dedup.minhash import signatures
from prep.dedup.tokens import hash_tokens, normalized, tokens


@dataclass
class Features:
    meta: pl.DataFrame       # order, doc_id, exact_key, text_len, published, shingles
    signatures: np.ndarray   # uint32[docs, num_perm], rows aligned with meta
    bands: np.ndarray        # uint64[bands, docs]: one row per band, for band-at-a-time reduce


def exact_keys(norm: pl.Series) -> pl.Series:
    """128-bit hash of each text already through `normalized`: copies differing only in case,
    quotes or spacing meet."""
    return pl.Series("exact_key", [xxhash.xxh3_128_hexdigest(t.encode()) for t in norm], dtype=pl.String)


def compute_features(docs: pl.DataFrame, config: DedupConfig) -> Features:
    """`docs` holds order, doc_id, text, published of the documents that reach dedup."""
    norm = docs.select(normalized(pl.col("text")))["text"]
    meta = docs.select("order", "doc_id", exact_key=exact_keys(norm),
                       text_len=pl.col("text").str.len_chars().cast(pl.Int64), published="published")
    tok = tokens(norm, is_normalized=True)
    counts = np.bincount(tok["doc"].to_numpy(), minlength=len(docs))
    starts = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    per_doc_chars = tok.group_by("doc").agg(pl.col("char_tokens").first()).sort("doc")
    char_docs = np.zeros(len(docs), dtype=bool)
    char_docs[per_doc_chars["doc"].to_numpy()] = per_doc_chars["char_tokens"].to_numpy()
    ngrams = np.where(char_docs, config.char_ngram, config.ngram)
    sigs, sizes = signatures(hash_tokens(tok["token"]), starts, ngrams, config.num_perm, config.seed)
    return Features(meta.with_columns(shingles=pl.Series(sizes)), sigs, band_keys(sigs, config.bands))


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
