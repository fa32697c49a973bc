"""Locality-sensitive hashing: band keys per document, and the candidate pairs they propose.

A signature of num_perm values is cut into bands of num_perm / bands rows; two documents whose
values agree on a whole band share its key and become a candidate pair. Candidates are only
proposals: verification (clusters.py) decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

if TYPE_CHECKING:
    from prep.dedup.store import ShardFeatures

QUICK_VALUES = 64       # signature values of the quick check on LSH candidates ...
QUICK_MIN_EQUAL = 4     # ... of which this many must agree (estimated Jaccard 1/16)
MAX_BUCKET_PAIRS = 64   # a bucket larger than this links its members to its first only
MERGE_BANDS = 16        # candidate pairs of this many bands are merged at once
BAND_THREADS = 2        # bands searched for pairs at once


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


def candidate_pairs(shards: Sequence[ShardFeatures], reps: np.ndarray, bands: int,
                    quick_check: bool = True) -> np.ndarray:
    """Unique (a, b) pairs, a < b, of representatives sharing at least one band key.

    A band at a time in each of up to BAND_THREADS threads, so memory holds that many bands'
    keys for the whole corpus (8 bytes a document each), never all signatures; a bucket over
    MAX_BUCKET_PAIRS documents links its members to its first one only.

    Two-row bands (what lets syndicated rewrites at Jaccard 0.3 meet) also match documents
    that merely share a few common phrases; there are far more of those pairs than real ones,
    and their number grows with the square of the corpus. A pair is therefore only kept when
    the first QUICK_VALUES values of the two signatures (8 bits of each, held for every
    document: 64 bytes a document) agree at least QUICK_MIN_EQUAL times: a pair at Jaccard
    0.01 passes once in thousands, a pair at 0.2 misses once in a thousand, and pairs below
    0.1 can never be verified similar anyway."""
    quick = _quick_sketches(shards)
    docs = reps.astype(np.int64)
    min_equal = min(QUICK_MIN_EQUAL, quick.shape[1]) if quick_check else 0

    def band_pairs(band: int) -> np.ndarray:
        keys = np.concatenate([s.band(band) for s in shards])[reps]
        return bucket_pairs(keys, docs, MAX_BUCKET_PAIRS, quick, min_equal)

    packed = np.empty(0, dtype=np.uint64)
    # bands in threads (polars and numpy release the GIL): the workers are idle while the driver groups
    pool = ThreadPoolExecutor(BAND_THREADS)
    try:
        for first in range(0, bands, MERGE_BANDS):  # most pairs recur in many bands: merged as they come
            found = pool.map(band_pairs, range(first, min(first + MERGE_BANDS, bands)))
            packed = distinct(np.concatenate([packed, *found]))
    finally:
        pool.shutdown(cancel_futures=True)  # on a failure (or Ctrl-C), the bands not begun are not waited for
    return np.stack([(packed >> np.uint64(32)).astype(np.int64),
                     (packed & np.uint64(0xFFFFFFFF)).astype(np.int64)], axis=1)


def bucket_pairs(keys: np.ndarray, docs: np.ndarray, cap: int, quick: np.ndarray, min_equal: int) -> np.ndarray:
    """Pairs of documents with equal keys that pass the quick check, packed as (a << 32) | b
    with a < b. Which pairs come out depends only on the keys, never on the order of a bucket:
    a bucket of at most `cap` documents gives all its pairs, a larger one pairs its smallest
    document with each of the others.

    Most keys are held by one document: polars finds the shared ones (a hash table, in
    parallel), and only those are sorted into buckets."""
    shared = np.flatnonzero(pl.Series(keys).is_duplicated().to_numpy())
    if not len(shared):
        return np.empty(0, dtype=np.uint64)
    shared = shared[np.argsort(keys[shared], kind="stable")]
    members = docs[shared]
    starts = np.flatnonzero(np.r_[True, keys[shared][1:] != keys[shared][:-1]])
    sizes = np.diff(np.r_[starts, len(shared)])
    bucket = np.repeat(np.arange(len(starts)), sizes)
    position = np.arange(len(shared)) - starts[bucket]
    small = sizes[bucket] <= cap
    # in a small bucket, each member pairs with the members after it
    later = np.where(small, sizes[bucket] - 1 - position, 0)
    first = np.repeat(np.arange(len(shared)), later)
    second = first + 1 + np.arange(len(first)) - np.repeat(np.cumsum(later) - later, later)
    # in a large bucket, the smallest member pairs with every other
    heads = np.minimum.reduceat(members, starts)
    large = np.flatnonzero(~small)
    a = np.concatenate([members[first], heads[bucket[large]]])
    b = np.concatenate([members[second], members[large]])
    a, b = np.minimum(a, b), np.maximum(a, b)
    keep = a != b
    a, b = a[keep], b[keep]
    if min_equal and len(a):
        keep = (quick[a] == quick[b]).sum(axis=1) >= min_equal
        a, b = a[keep], b[keep]
    return (a.astype(np.uint64) << np.uint64(32)) | b.astype(np.uint64)


def distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (a plain sort: faster than np.unique's hashing for integers)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _quick_sketches(shards: Sequence[ShardFeatures]) -> np.ndarray:
    """uint8[docs, QUICK_VALUES]: the low 8 bits of each document's first signature values."""
    parts = []
    for shard in shards:
        rows = np.load(shard.signatures, mmap_mode="r")
        parts.append(np.ascontiguousarray(rows[:, :QUICK_VALUES]).astype(np.uint8))
        del rows
    return np.concatenate(parts) if parts else np.zeros((0, QUICK_VALUES), dtype=np.uint8)
