"""The reduce side of dedup: exact groups, LSH candidates, verified groups and the keep decision.

Groups never chain: LSH links only propose candidates, and a group is built around the
document the keep rule prefers (its centre); every member is itself verified similar to the
centre, never merely linked to it through other members. Members that are not similar to the
centre form groups of their own, by the same rule, from what is left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
from numba import njit

from prep.config import DedupConfig
from prep.dedup.features import Features
from prep.executors.workers import worker_count
from prep.files import atomic_path, write_frame
from prep.text.dates import utc_instants

CONTAINMENT_MIN_JACCARD = 0.1  # below this the containment estimate is mostly noise
QUICK_VALUES = 64              # signature values of the quick check on LSH candidates ...
QUICK_MIN_EQUAL = 4            # ... of which this many must agree (estimated Jaccard 1/16)
MAX_BUCKET_PAIRS = 64          # a bucket larger than this links its members to its first only
MERGE_BANDS = 16               # candidate pairs of this many bands are merged at once
BAND_THREADS = 2               # bands searched for pairs at once
VERIFY_PAIRS = 50_000          # candidate pairs verified at once (memory: their documents' signatures)


@dataclass(frozen=True)
class ShardFeatures:
    """Where one shard's dedup features lie in the work directory."""

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


def load_kernels() -> None:
    """Load the grouping's compiled kernels (from numba's cache: most of a second) on a tiny
    input, so that a run's driver can do it while its workers are busy rather than during the
    reduce, when they wait for it."""
    two = np.arange(2, dtype=np.int64)
    _bucket_pairs(np.zeros(2, dtype=np.uint64), two, MAX_BUCKET_PAIRS, np.zeros((2, QUICK_VALUES), dtype=np.uint8),
                  QUICK_MIN_EQUAL)
    _jaccard(np.zeros((2, 4), dtype=np.uint16), two, two)  # signatures as _gather_signatures keeps them


def keep_rank(meta: pl.DataFrame, keep: str) -> np.ndarray:
    """Rank of every document under the keep rule: in each group the lowest rank is kept."""
    if keep == "longest":
        by, descending, nulls_last = ["text_len", "doc_id"], [True, False], False
    elif keep == "first":
        by, descending, nulls_last = ["order"], [False], False
    else:  # newest: latest `published` first, undated last
        meta = meta.with_columns(published=utc_instants(meta["published"]))
        by, descending, nulls_last = ["published", "doc_id"], [True, False], True
    order = meta.with_row_index("i").sort(by, descending=descending, nulls_last=nulls_last)["i"].to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank


def similar(jaccard: np.ndarray, size_a: np.ndarray, size_b: np.ndarray, config: DedupConfig) -> np.ndarray:
    """Verified similar: Jaccard over the threshold, or one mostly contained in the other; and
    both long enough that a shared stock sentence cannot make them look alike."""
    smaller = np.maximum(np.minimum(size_a, size_b), 1)
    containment = jaccard * (size_a + size_b) / ((1 + jaccard) * smaller)
    return (smaller >= config.min_shingles) & ((jaccard >= config.threshold) | (
        (containment >= config.containment) & (jaccard >= CONTAINMENT_MIN_JACCARD)))


def group_documents(shards: list[ShardFeatures], config: DedupConfig,
                    earlier: Sequence[Sequence[ShardFeatures]] = ()) -> pl.DataFrame:
    """(order, cluster_id, cluster_size, similarity, dup_reason, against) for every document of `shards`.

    `earlier` holds the kept documents of earlier outputs (the parts of each, in order). They
    take part in the grouping but are never dropped: they rank before every new document (so
    they are the centres of the groups they are in) and never join another's group. A new
    document in the group of an earlier one has `against` = the index of that output, and a
    new document with the doc_id of an earlier one (the same record read again) is its
    exact_duplicate even when cleaning it came out differently this time."""
    fixed = [part for parts in earlier for part in parts]
    sources = [*fixed, *shards]
    metas = [_read_meta(s) for s in sources]
    lengths = [len(m) for m in metas]
    m = sum(lengths[:len(fixed)])
    n = sum(lengths)
    if n == m:
        return pl.DataFrame(schema={"order": pl.Int64, "cluster_id": pl.String, "cluster_size": pl.Int64,
                                    "similarity": pl.Float64, "dup_reason": pl.String, "against": pl.Int32})
    meta = pl.concat(metas)
    del metas
    rank = np.concatenate([keep_rank(meta.head(m), config.keep), m + keep_rank(meta.slice(m), config.keep)])
    owner = np.repeat([k for k, parts in enumerate(earlier) for _ in parts], lengths[:len(fixed)]).astype(np.int64)
    everyone = np.arange(n)
    # exact groups: the best-ranked copy represents its group in near-duplicate search
    rep = _exact_representatives(meta, rank, m, config.exact)
    reps = np.flatnonzero(rep == everyone)
    centre = everyone.copy()         # for each representative: the kept document of its group
    similarity = np.full(n, np.nan)  # to that kept document
    if config.near and len(reps) > 1:
        pairs = _candidate_pairs(sources, reps, config.bands)
        pairs = pairs[pairs[:, 1] >= m]  # two earlier documents are both kept whatever they are
        if len(pairs):
            jaccard = _pair_jaccard(sources, lengths, pairs)
            _cluster(pairs, jaccard, lambda docs: _gather_signatures(sources, lengths, docs),
                     meta["shingles"].to_numpy(), rank, config, centre, similarity, m)
            del pairs, jaccard
    kept = centre[rep]  # every document follows its exact group's representative
    sim = np.where(rep == everyone, similarity, np.where(kept == rep, 1.0, similarity[rep]))
    group_size = np.bincount(kept, minlength=n)
    new = slice(m, n)  # the rows of this run's documents; earlier ones only took part
    kept, sim, is_kept = kept[new], sim[new], (kept == everyone)[new]
    against = np.full(len(kept), -1, dtype=np.int32)
    joined = (kept < m) & ~is_kept
    against[joined] = owner[kept[joined]]
    exact_hi, exact_lo = meta["exact_hi"].to_numpy(), meta["exact_lo"].to_numpy()
    cluster_id = meta["doc_id"].gather(kept)
    copy = (pl.Series((exact_hi[new] == exact_hi[kept]) & (exact_lo[new] == exact_lo[kept]))
            | (meta["doc_id"].slice(m) == cluster_id))
    return (
        pl.DataFrame({"order": meta["order"].slice(m), "cluster_id": cluster_id,
                      "cluster_size": group_size[kept].astype(np.int64),
                      "similarity": np.where(is_kept, np.nan, sim), "kept": is_kept, "copy": copy,
                      "against": against})
        .select("order", "cluster_id", "cluster_size",
                similarity=pl.col("similarity").fill_nan(None),
                dup_reason=pl.when(pl.col("kept")).then(None)
                .when(pl.col("copy")).then(pl.lit("exact_duplicate")).otherwise(pl.lit("near_duplicate")),
                against=pl.when(pl.col("against") >= 0).then("against"))
    )


def _read_meta(features: ShardFeatures) -> pl.DataFrame:
    """A part's document metadata, the 128-bit exact key as two integers (compact, and compared
    without strings)."""
    columns = ["order", "doc_id", "text_len", "published", "shingles"]
    return pl.read_ipc(features.meta, columns=[*columns, "exact_key"]).select(
        *columns,
        exact_hi=pl.col("exact_key").str.slice(0, 16).str.to_integer(base=16, dtype=pl.UInt64),
        exact_lo=pl.col("exact_key").str.slice(16, 16).str.to_integer(base=16, dtype=pl.UInt64))


def _exact_representatives(meta: pl.DataFrame, rank: np.ndarray, m: int, exact: bool) -> np.ndarray:
    """For each document, the best-ranked document of its exact group: its copies (by exact key,
    when exact dedup is on) and, for a new document, an earlier document of the same doc_id.
    The first `m` documents (earlier ones) represent themselves: they are never dropped."""
    n = len(meta)
    everyone = np.arange(n)
    if exact:
        hi, lo = meta["exact_hi"].to_numpy().copy(), meta["exact_lo"].to_numpy().copy()
    else:
        hi, lo = everyone.astype(np.uint64), np.zeros(n, dtype=np.uint64)
    if m:  # a new document read again from an earlier output's input joins that document's group
        same = (meta.slice(m).select("doc_id", i=pl.int_range(m, n))
                .join(meta.head(m).select("doc_id", j=pl.int_range(m), rank=pl.Series(rank[:m]))
                      .sort("rank").unique("doc_id", keep="first"), on="doc_id"))
        new, old = same["i"].to_numpy(), same["j"].to_numpy()
        hi[new], lo[new] = hi[old], lo[old]
    order = np.lexsort((rank, lo, hi))
    starts = np.r_[True, (hi[order][1:] != hi[order][:-1]) | (lo[order][1:] != lo[order][:-1])]
    rep = np.empty(n, dtype=np.int64)
    rep[order] = order[np.flatnonzero(starts)[np.cumsum(starts) - 1]]
    rep[:m] = everyone[:m]
    return rep


def _candidate_pairs(shards: list[ShardFeatures], reps: np.ndarray, bands: int, quick_check: bool = True) -> np.ndarray:
    """Unique (a, b) pairs, a < b, of representatives sharing at least one band key.

    A band at a time in each of up to BAND_THREADS threads, so memory holds that many bands'
    keys and bucket tables for the whole corpus (about 100 bytes a document each), never all
    signatures; a bucket over MAX_BUCKET_PAIRS documents links its members to its first one only.

    Two-row bands (what lets syndicated rewrites at Jaccard 0.3 meet) also match documents
    that merely share a few common phrases; there are far more of those pairs than real ones,
    and their number grows with the square of the corpus. A pair is therefore only kept when
    the first QUICK_VALUES values of the two signatures (8 bits of each, held for every
    document: 64 bytes a document) agree at least QUICK_MIN_EQUAL times: a pair at Jaccard
    0.01 passes once in thousands, a pair at 0.2 misses once in a thousand, and pairs below
    0.1 can never be verified similar anyway."""
    files = [_BandFile(s.bands) for s in shards]
    quick = _quick_sketches(shards)
    docs = reps.astype(np.int64)
    min_equal = min(QUICK_MIN_EQUAL, quick.shape[1]) if quick_check else 0

    def band_pairs(band: int) -> np.ndarray:
        keys = np.concatenate([f.band(band) for f in files])[reps]
        return _bucket_pairs(keys, docs, MAX_BUCKET_PAIRS, quick, min_equal)

    packed = np.empty(0, dtype=np.uint64)
    # bands in threads (the kernel releases the GIL): the workers are idle while the driver groups
    pool = ThreadPoolExecutor(min(worker_count(0), BAND_THREADS))
    try:
        for first in range(0, bands, MERGE_BANDS):  # most pairs recur in many bands: merged as they come
            found = pool.map(band_pairs, range(first, min(first + MERGE_BANDS, bands)))
            packed = _distinct(np.concatenate([packed, *found]))
    finally:
        pool.shutdown(cancel_futures=True)  # on a failure (or Ctrl-C), the bands not begun are not waited for
    return np.stack([(packed >> np.uint64(32)).astype(np.int64),
                     (packed & np.uint64(0xFFFFFFFF)).astype(np.int64)], axis=1)


class _BandFile:
    """One shard's band keys (uint64[bands, docs] in .npy): a band read on demand, from its
    offset in the file; no mapping stays open, so resident memory holds one band at a time."""

    def __init__(self, path: str):
        self.path = path
        with open(path, "rb") as stream:
            major, _ = np.lib.format.read_magic(stream)
            read_header = np.lib.format.read_array_header_1_0 if major == 1 else np.lib.format.read_array_header_2_0
            shape, fortran_order, dtype = read_header(stream)
            if fortran_order or dtype != np.uint64:
                raise ValueError(f"{path}: band keys are not a C-ordered uint64 array")
            self.offset = stream.tell()
        self.docs = shape[1]

    def band(self, band: int) -> np.ndarray:
        return np.fromfile(self.path, dtype=np.uint64, count=self.docs, offset=self.offset + band * self.docs * 8)


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (a plain sort: faster than np.unique's hashing for integers)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _quick_sketches(shards: list[ShardFeatures]) -> np.ndarray:
    """uint8[docs, QUICK_VALUES]: the low 8 bits of each document's first signature values."""
    parts = []
    for shard in shards:
        rows = np.load(shard.signatures, mmap_mode="r")
        parts.append(np.ascontiguousarray(rows[:, :QUICK_VALUES]).astype(np.uint8))
        del rows
    return np.concatenate(parts)


@njit(cache=True, inline="always")
def _quick_match(quick, a, b, min_equal):
    same = 0
    for p in range(quick.shape[1]):
        same += quick[a, p] == quick[b, p]
    return same >= min_equal


@njit(cache=True, nogil=True)
def _buckets(keys):
    """Documents with equal keys, found with a hash table (sorting a million keys per band
    costs more): (heads, following), where `heads` holds the last index of every key found more
    than once and `following[i]` is the previous index with the same key (-1: none)."""
    n = len(keys)
    size, bits = 2, 1
    while size < 2 * n:
        size, bits = size * 2, bits + 1
    # a slot holds a key and 1 + the last index with it (0: empty), side by side: one cache line
    table = np.zeros((size, 2), dtype=np.uint64)
    seen_twice = np.uint64(1) << np.uint64(63)  # flag on the index: the key has more than one
    following = np.full(n, -1, dtype=np.int64)
    multi = np.empty(n // 2 + 1, dtype=np.int64)  # slots of keys found more than once
    found = 0
    for i in range(n):
        key = keys[i]
        slot = np.int64((key * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - bits))
        while table[slot, 1] != 0 and table[slot, 0] != key:
            slot = (slot + 1) & (size - 1)
        last = table[slot, 1]
        if last == 0:
            table[slot, 0] = key
        else:
            following[i] = np.int64(last & ~seen_twice) - 1
            if not last & seen_twice:
                multi[found] = slot
                found += 1
        table[slot, 1] = np.uint64(i + 1) | (seen_twice if last != 0 else np.uint64(0))
    heads = np.empty(found, dtype=np.int64)
    for k in range(found):
        heads[k] = np.int64(table[multi[k], 1] & ~seen_twice) - 1
    return heads, following


@njit(cache=True, nogil=True)
def _bucket_pairs(keys, docs, cap, quick, min_equal):
    """Pairs of documents with equal keys that pass the quick check, packed as (a << 32) | b
    with a < b. Which pairs come out depends only on the keys, never on the order of a bucket."""
    heads, following = _buckets(keys)
    members = np.empty(len(keys), dtype=np.int64)
    out = np.empty(max(len(keys) // 4, 16), dtype=np.uint64)
    count = 0
    for i in heads:
        size = 0
        while i != -1:
            members[size] = docs[i]
            size += 1
            i = following[i]
        head = members[0]
        for k in range(1, size):
            head = min(head, members[k])
        for k in range(size):
            # a bucket over `cap` links its members to its first document only
            for m in range(k + 1, size) if size <= cap else range(1):
                a, b = (members[k], members[m]) if size <= cap else (head, members[k])
                if a == b or not _quick_match(quick, a, b, min_equal):
                    continue
                if count == len(out):
                    out = np.concatenate((out, np.empty(len(out), dtype=np.uint64)))
                out[count] = (np.uint64(min(a, b)) << np.uint64(32)) | np.uint64(max(a, b))
                count += 1
    return out[:count]


def _gather_signatures(shards: list[ShardFeatures], lengths: list[int], docs: np.ndarray) -> np.ndarray:
    """The signatures of `docs` (sorted global indexes), 16 bits of each value kept.

    Read shard by shard from the work files, so that only the documents some candidate pair
    needs are ever in memory. Comparing the low 16 bits of two MinHash values instead of all
    32 mistakes unequal values for equal once in 65,536: a bias on estimated Jaccard far below
    its own noise, for half the memory."""
    bounds = np.concatenate(([0], np.cumsum(lengths)))
    out = None
    for k, shard in enumerate(shards):
        lo, hi = np.searchsorted(docs, [bounds[k], bounds[k + 1]])
        if lo == hi:
            continue
        rows = np.load(shard.signatures, mmap_mode="r")
        if out is None:
            out = np.empty((len(docs), rows.shape[1]), dtype=np.uint16)
        out[lo:hi] = rows[docs[lo:hi] - bounds[k]].astype(np.uint16)
        del rows
    return out


@njit(cache=True, nogil=True)
def _jaccard(sigs, a, b):
    """Estimated Jaccard similarity of each pair of rows (a[i], b[i]): the share of equal values."""
    out = np.empty(len(a))
    width = sigs.shape[1]
    for i in range(len(a)):
        same = 0
        x, y = sigs[a[i]], sigs[b[i]]
        for p in range(width):
            same += x[p] == y[p]
        out[i] = same / width
    return out


def _pair_jaccard(shards: list[ShardFeatures], lengths: list[int], pairs: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of every candidate pair, a block of pairs at a time: memory
    holds the signatures of one block's documents, never those of every candidate."""
    out = np.empty(len(pairs))
    for lo in range(0, len(pairs), VERIFY_PAIRS):
        block = pairs[lo:lo + VERIFY_PAIRS]
        needed = _distinct(block.ravel())
        sigs = _gather_signatures(shards, lengths, needed)
        out[lo:lo + len(block)] = _jaccard(sigs, np.searchsorted(needed, block[:, 0]),
                                           np.searchsorted(needed, block[:, 1]))
    return out


def _cluster(pairs: np.ndarray, jaccard: np.ndarray, signatures: Callable[[np.ndarray], np.ndarray],
             sizes: np.ndarray, rank: np.ndarray, config: DedupConfig, centre: np.ndarray,
             similarity: np.ndarray, fixed: int = 0) -> None:
    """Fill `centre` and `similarity` for representatives that join another's group.

    `jaccard` is the estimate for each candidate pair; `signatures(docs)` reads the signatures
    of sorted documents, for the groups of more than two. Documents below `fixed` (earlier
    ones, best-ranked) never join a group, and no pair joins two of them."""
    a, b = pairs[:, 0], pairs[:, 1]
    ok = similar(jaccard, sizes[a], sizes[b], config)
    a, b, jaccard = a[ok], b[ok], jaccard[ok]
    if len(a) == 0:
        return
    # imported here: the shard tasks import this module for ShardFeatures, never for grouping
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(rank)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    linked = _distinct(np.concatenate([a, b]))
    members = np.bincount(label[linked])
    # a component of two is one verified pair: the better-ranked document is the centre
    pair = members[label[a]] == 2
    head = np.where(rank[a[pair]] < rank[b[pair]], a[pair], b[pair])
    other = np.where(head == a[pair], b[pair], a[pair])
    centre[other] = head
    similarity[other] = jaccard[pair]
    larger = linked[members[label[linked]] > 2]
    if len(larger) == 0:
        return
    needed, sigs = larger, signatures(larger)  # sorted, as `linked` is
    components = pl.DataFrame({"doc": larger, "label": label[larger], "rank": rank[larger]}).sort("label", "rank")
    for group in components.group_by("label", maintain_order=True).agg("doc")["doc"]:
        remaining = group.to_numpy()
        while len(remaining) > 1:
            head, rest = remaining[0], remaining[1:]
            jac = (sigs[np.searchsorted(needed, rest)] == sigs[np.searchsorted(needed, head)]).mean(axis=1)
            joins = similar(jac, sizes[rest], np.full(len(rest), sizes[head]), config) & (rest >= fixed)
            centre[rest[joins]] = head
            similarity[rest[joins]] = jac[joins]
            remaining = rest[~joins]
