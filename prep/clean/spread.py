"""How many sites a line appears on across the corpus.

Menu labels and footer links ("Privacy Policy", "Pricing", "Log in") recur on pages of many
different sites, while an article's own lines seldom do; the chrome model uses this count.
Computed in the same corpus-wide reduce as the site template lines, from the same line keys.
"""

from __future__ import annotations

import polars as pl

from prep.clean.keyslices import ROWS_PER_SLICE, key_slices, repeated


def line_spread(keys: pl.LazyFrame, rows_per_slice: int = ROWS_PER_SLICE) -> pl.DataFrame:
    """(key, sites) for line keys found on more than one site (one site is the default)."""
    spread = []
    for part in key_slices(keys, rows_per_slice):
        shared = repeated(part.select("key"), 2).select("key")  # most keys: one line, one site
        spread.append(part.join(shared.lazy(), on="key", how="semi")
                      .group_by("key").agg(sites=pl.col("site").n_unique()).filter(pl.col("sites") > 1)
                      .collect(engine="streaming"))
    return pl.concat(spread).sort("key")
