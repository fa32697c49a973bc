"""How many sites a line appears on across the corpus.

Menu labels and footer links ("Privacy Policy", "Pricing", "Log in") recur on pages of many
different sites, while an article's own lines seldom do; the chrome model uses this count.
Computed in the same corpus-wide reduce as the site template lines, from the same line keys.
"""

from __future__ import annotations

import polars as pl

from prep.clean.boilerplate import line_key


def line_spread(keys: pl.LazyFrame) -> pl.DataFrame:
    """(key, sites) for line keys found on more than one site (one site is the default)."""
    return (keys.group_by("key").agg(sites=pl.col("site").n_unique())
            .filter(pl.col("sites") > 1).sort("key").collect())


def sites_of_lines(lines: pl.DataFrame, spread: pl.DataFrame) -> pl.DataFrame:
    """(order, line_no, sites) for every line."""
    return (lines.select("order", "line_no", key=line_key(pl.col("line")))
            .join(spread, on="key", how="left")
            .select("order", "line_no", sites=pl.col("sites").fill_null(1)))
