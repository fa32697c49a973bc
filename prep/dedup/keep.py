"""Keep rules: which member of a duplicate group is kept (`dedup.keep`), as a rank over all
documents, lowest kept. Deterministic: ties go to the smaller doc_id (or the input order).

To add a rule: a KeepRule in KEEP_RULES; `dedup.keep` takes its name, `prep explain` its `why`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from prep.text.dates import utc_instants


@dataclass(frozen=True)
class KeepRule:
    name: str
    order: Callable[[pl.DataFrame], pl.DataFrame]  # the documents' metadata (with `i`), best first
    why: Callable[[dict], str]  # why the kept document was kept, from its row as `prep explain` reads it


def _longest(meta: pl.DataFrame) -> pl.DataFrame:
    return meta.sort(["text_len", "doc_id"], descending=[True, False])


def _first(meta: pl.DataFrame) -> pl.DataFrame:
    return meta.sort("order")


def _newest(meta: pl.DataFrame) -> pl.DataFrame:
    """Latest `published` first, undated last."""
    return meta.with_columns(published=utc_instants(meta["published"])).sort(
        ["published", "doc_id"], descending=[True, False], nulls_last=True)


KEEP_RULES = {rule.name: rule for rule in (
    KeepRule("longest", _longest, lambda kept: "the kept document has the longest cleaned text of the group "
             f"({kept['chars']:,} characters); ties go to the smaller doc_id"),
    KeepRule("first", _first, lambda kept: "the kept document comes first in input order "
             f"({kept['source_path']} #{kept['source_index']})"),
    KeepRule("newest", _newest, lambda kept: "the kept document has the latest publication date "
             f"({kept['published'] or 'none'}); undated documents come last, ties go to the smaller doc_id"),
)}


def keep_rank(meta: pl.DataFrame, keep: str) -> np.ndarray:
    """Rank of every document under the keep rule: in each group the lowest rank is kept."""
    order = KEEP_RULES[keep].order(meta.with_row_index("i"))["i"].to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank
