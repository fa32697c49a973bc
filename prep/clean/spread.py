"""How many sites a line appears on across the corpus.

Menu labels and footer links ("Privacy Policy", "Pricing", "Log in") recur on pages of many
different sites, while an article's own lines seldom do; the chrome model uses this count.
Computed in the same corpus-wide reduce as the site template lines, from the same line keys.
"""

from __future__ import annotations

import polars as pl

from prep.clean.keyslices import ROWS_PER_SLICE, key_slices


def line_spread(keys: pl.LazyFrame, rows_per_slice: int = ROWS_PER_SLICE) -> pl.DataFrame:
    """(key, sites) for line keys found on more than one site (one site is the default)."""
    spread = [part.group_by("key").agg(sites=pl.col("site").n_unique()).filter(pl.col("sites") > 1)
              .collect(engine="streaming") for part in key_slices(keys, rows_per_slice)]
    return pl.concat(spread).sort("key")
