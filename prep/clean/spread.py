"""How many sites a line appears on across the corpus.

Menu labels and footer links ("Privacy Policy", "Pricing", "Log in") recur on pages of many
different sites, while an article's own lines seldom do; the chrome model uses this count.
Computed in the same corpus-wide reduce as the site template lines, from the same line keys.
"""

from __future__ import annotations

import polars as pl


def line_spread(keys: pl.LazyFrame) -> pl.DataFrame:
    """(key, sites) for line keys found on more than one site (one site is the default)."""
    return (keys.group_by("key").agg(sites=pl.col("site").n_unique())
            .filter(pl.col("sites") > 1).sort("key").collect(engine="streaming"))
