"""Which plain-text documents are page dumps: a page's whole visible text, as scrapers and WET
files give it, rather than an article with a few chrome lines.

Told by shape alone, in one pass over the measured line columns: at least `min_lines` lines,
at least `min_short_share` of them short (at most four words, no sentence end): menus,
footers and related lists are runs of short lines. The page model (prep/clean/page/) judges
these documents; the chrome model (prep/clean/chrome/) the others.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from prep.clean import linestats as ls
from prep.config import PageModelConfig


def dump_rows(lines: pl.DataFrame, docs: pl.DataFrame, config: PageModelConfig) -> np.ndarray:
    """Per row of `lines` (in document order), whether its document is a plain-text page dump:
    at least `min_lines` lines, of which at least `min_short_share` are short (at most four
    words, no sentence end). `docs` holds (order, extractor)."""
    orders = lines["order"].to_numpy()
    if not len(orders):
        return np.zeros(0, dtype=bool)
    starts = np.flatnonzero(np.r_[True, orders[1:] != orders[:-1]])
    sizes = np.diff(np.r_[starts, len(orders)])
    short = (lines["words"].to_numpy() <= 4) & ((lines["flags"].to_numpy() & ls.ENDS_SENTENCE) == 0)
    shorts = np.add.reduceat(short.astype(np.int64), starts)
    dump = (sizes >= config.min_lines) & (shorts >= config.min_short_share * sizes)
    if dump.any():
        dump &= np.isin(orders[starts], docs.filter(pl.col("extractor") == "text")["order"].to_numpy())
    return np.repeat(dump, sizes)
