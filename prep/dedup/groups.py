"""The reduce side of dedup: exact groups, LSH candidates, verified groups and the keep decision.

Groups never chain: LSH links only propose candidates, and a group is built around the
document the keep rule prefers (its centre); every member is itself verified similar to the
centre, never merely linked to it through other members. Members that are not similar to the
centre form groups of their own, by the same rule, from what is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from prep.config import DedupConfig
from prep.dedup.features import Features
from prep.workdir import atomic_path, write_frame

CONTAINMENT_MIN_JACCARD = 0.1  # below this the containment estimate is mostly noise
MAX_BUCKET_PAIRS = 64          # a bucket larger than this links its members to its first only


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


def keep_rank(meta: pl.DataFrame, keep: str) -> np.ndarray:
    """Rank of every document under the keep rule: in each group the lowest rank is kept."""
    if keep == "longest":
        by, descending, nulls_last = ["text_len", "doc_id"], [True, False], False
    elif keep == "first":
        by, descending, nulls_last = ["order"], [False], False
    else:  # newest: latest `published` first (ISO strings sort by time), undated last
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


def group_documents(shards: list[ShardFeatures], config: DedupConfig) -> pl.DataFrame:
    """(order, cluster_id, cluster_size, similarity, dup_reason) for every document with features."""
    meta = pl.concat([pl.read_ipc(s.meta) for s in shards]) if shards else None
    if meta is None or meta.is_empty():
        return pl.DataFrame(schema={"order": pl.Int64, "cluster_id": pl.String, "cluster_size": pl.Int64,
                                    "similarity": pl.Float64, "dup_reason": pl.String})
    rank = keep_rank(meta, config.keep)
    n = len(meta)
    # exact groups: the best-ranked copy represents its group in near-duplicate search
    exact = meta.select(key="exact_key" if config.exact else pl.int_range(pl.len()).cast(pl.String),
                        rank=pl.Series(rank)).with_row_index("i")
    rep = exact.with_columns(rep=pl.col("i").sort_by("rank").first().over("key"))["rep"].to_numpy()
    reps = np.flatnonzero(rep == np.arange(n))
    centre = np.arange(n)           # for each representative: the kept document of its group
    similarity = np.full(n, np.nan)  # to that kept document
    if config.near and len(reps) > 1:
        sigs = np.concatenate([np.load(s.signatures) for s in shards])
        sizes = meta["shingles"].to_numpy()
        pairs = _candidate_pairs(shards, reps, config.bands)
        _cluster(reps, pairs, sigs, sizes, rank, config, centre, similarity)
    kept = centre[rep]  # every document follows its exact group's representative
    sim = np.where(rep == np.arange(n), similarity, np.where(kept == rep, 1.0, similarity[rep]))
    doc_ids = meta["doc_id"].to_numpy()
    exact_same = meta["exact_key"].to_numpy()
    reason = np.where(kept == np.arange(n), None,
                      np.where(exact_same == exact_same[kept], "exact_duplicate", "near_duplicate"))
    return (
        pl.DataFrame({"order": meta["order"], "cluster_id": doc_ids[kept],
                      "similarity": np.where(kept == np.arange(n), np.nan, sim),
                      "dup_reason": pl.Series(reason.tolist(), dtype=pl.String)})
        .with_columns(cluster_size=pl.len().over("cluster_id").cast(pl.Int64),
                      similarity=pl.col("similarity").fill_nan(None))
        .select("order", "cluster_id", "cluster_size", "similarity", "dup_reason")
    )


def _candidate_pairs(shards: list[ShardFeatures], reps: np.ndarray, bands: int) -> np.ndarray:
    """Unique (a, b) pairs, a < b, of representatives sharing at least one band key."""
    found = []
    for band in range(bands):
        keys = np.concatenate([np.load(s.bands, mmap_mode="r")[band] for s in shards])[reps]
        frame = pl.DataFrame({"key": keys, "doc": reps}).filter(pl.col("key").is_duplicated())
        if frame.is_empty():
            continue
        frame = frame.with_columns(size=pl.len().over("key"), first=pl.col("doc").min().over("key"))
        small = frame.filter(pl.col("size") <= MAX_BUCKET_PAIRS).select("key", "doc")
        both = (small.join(small, on="key", suffix="_b").filter(pl.col("doc") < pl.col("doc_b"))
                .select(a="doc", b="doc_b"))
        star = (frame.filter((pl.col("size") > MAX_BUCKET_PAIRS) & (pl.col("doc") != pl.col("first")))
                .select(a="first", b="doc"))
        for part in (both, star):
            if not part.is_empty():
                found.append((part["a"].to_numpy().astype(np.uint64) << np.uint64(32))
                             | part["b"].to_numpy().astype(np.uint64))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    packed = np.unique(np.concatenate(found))
    return np.stack([(packed >> np.uint64(32)).astype(np.int64),
                     (packed & np.uint64(0xFFFFFFFF)).astype(np.int64)], axis=1)


def _jaccard(sigs: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.empty(len(a))
    for lo in range(0, len(a), 65536):  # bounded temporary memory
        hi = lo + 65536
        out[lo:hi] = (sigs[a[lo:hi]] == sigs[b[lo:hi]]).mean(axis=1)
    return out


def _cluster(reps: np.ndarray, pairs: np.ndarray, sigs: np.ndarray, sizes: np.ndarray, rank: np.ndarray,
             config: DedupConfig, centre: np.ndarray, similarity: np.ndarray) -> None:
    """Fill `centre` and `similarity` for representatives that join another's group."""
    if len(pairs) == 0:
        return
    a, b = pairs[:, 0], pairs[:, 1]
    ok = similar(_jaccard(sigs, a, b), sizes[a], sizes[b], config)
    a, b = a[ok], b[ok]
    if len(a) == 0:
        return
    n = len(rank)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    linked = np.unique(np.concatenate([a, b]))
    components = pl.DataFrame({"doc": linked, "label": label[linked], "rank": rank[linked]}).sort("label", "rank")
    for members in components.group_by("label", maintain_order=True).agg("doc")["doc"]:
        remaining = members.to_numpy()
        while len(remaining) > 1:
            head, rest = remaining[0], remaining[1:]
            jac = (sigs[rest] == sigs[head]).mean(axis=1)
            joins = similar(jac, sizes[rest], np.full(len(rest), sizes[head]), config)
            centre[rest[joins]] = head
            similarity[rest[joins]] = jac[joins]
            remaining = rest[~joins]
