"""The keep rule: which member of a duplicate group is kept (`dedup.keep`), as a rank over all
documents. Deterministic: ties go to the smaller doc_id (or the input order)."""

from __future__ import annotations

import numpy as np
import polars as pl

from prep.text.dates import utc_instants


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
