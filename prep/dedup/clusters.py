"""Verified groups: which candidate pairs are similar enough, and the groups built from them.

Groups never chain: LSH links only propose candidates, and a group is built around the
document the keep rule prefers (its centre); every member is itself verified similar to the
centre, never merely linked to it through other members. Members that are not similar to the
centre form groups of their own, by the same rule, from what is left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import polars as pl

from prep.config import DedupConfig
from prep.dedup.lsh import distinct
from prep.dedup.store import ShardFeatures

CONTAINMENT_MIN_JACCARD = 0.1  # below this the containment estimate is mostly noise
VERIFY_PAIRS = 50_000          # candidate pairs verified at once (memory: their documents' signatures)


def similar(jaccard: np.ndarray, size_a: np.ndarray, size_b: np.ndarray, config: DedupConfig) -> np.ndarray:
    """Verified similar: Jaccard over the threshold, or one mostly contained in the other; and
    both long enough that a shared stock sentence cannot make them look alike."""
    smaller = np.maximum(np.minimum(size_a, size_b), 1)
    containment = jaccard * (size_a + size_b) / ((1 + jaccard) * smaller)
    return (smaller >= config.min_shingles) & ((jaccard >= config.threshold) | (
        (containment >= config.containment) & (jaccard >= CONTAINMENT_MIN_JACCARD)))


def exact_representatives(meta: pl.DataFrame, rank: np.ndarray, m: int, exact: bool) -> np.ndarray:
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


def gather_signatures(shards: Sequence[ShardFeatures], lengths: list[int], docs: np.ndarray) -> np.ndarray:
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


def jaccard(sigs: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of each pair of rows (a[i], b[i]): the share of equal values."""
    return (sigs[a] == sigs[b]).mean(axis=1)


def pair_jaccard(shards: Sequence[ShardFeatures], lengths: list[int], pairs: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of every candidate pair, a block of pairs at a time: memory
    holds the signatures of one block's documents, never those of every candidate."""
    out = np.empty(len(pairs))
    for lo in range(0, len(pairs), VERIFY_PAIRS):
        block = pairs[lo:lo + VERIFY_PAIRS]
        needed = distinct(block.ravel())
        sigs = gather_signatures(shards, lengths, needed)
        out[lo:lo + len(block)] = jaccard(sigs, np.searchsorted(needed, block[:, 0]),
                                           np.searchsorted(needed, block[:, 1]))
    return out


def cluster(pairs: np.ndarray, jaccard: np.ndarray, signatures: Callable[[np.ndarray], np.ndarray],
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
    linked = distinct(np.concatenate([a, b]))
    label = _components(a, b, len(rank), disjoint=len(linked) == 2 * len(a))
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


def _components(a: np.ndarray, b: np.ndarray, n: int, disjoint: bool) -> np.ndarray:
    """The connected component of each of `n` documents linked by the pairs (a, b). When no
    document is in two pairs (`disjoint`), each pair is a component of its own, and scipy's
    graphs (a fifth of a second to import) are not needed."""
    if disjoint:
        label = np.arange(n, dtype=np.int64)
        label[b] = label[a]
        return label
    # imported here: scipy's sparse graphs are for the reduce alone
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    return connected_components(graph, directed=False)[1]
