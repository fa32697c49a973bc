"""The reduce of dedup: every document's group and the keep decision, from all shards' features.

Exact copies first (one exact key), then near-duplicates among one representative of each
exact group: LSH candidates (lsh.py), verified and grouped around the document the keep rule
prefers (clusters.py, keep.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from prep.config import DedupConfig
from prep.dedup.clusters import cluster, exact_representatives, gather_signatures, pair_jaccard
from prep.dedup.keep import keep_rank
from prep.dedup.lsh import candidate_pairs
from prep.dedup.store import ShardFeatures


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
    rep = exact_representatives(meta, rank, m, config.exact)
    reps = np.flatnonzero(rep == everyone)
    centre = everyone.copy()         # for each representative: the kept document of its group
    similarity = np.full(n, np.nan)  # to that kept document
    if config.near and len(reps) > 1:
        pairs = candidate_pairs(sources, reps, config.bands)
        pairs = pairs[pairs[:, 1] >= m]  # two earlier documents are both kept whatever they are
        if len(pairs):
            jaccard = pair_jaccard(sources, lengths, pairs)
            cluster(pairs, jaccard, lambda docs: gather_signatures(sources, lengths, docs),
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
