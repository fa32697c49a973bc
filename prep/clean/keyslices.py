"""All shards' line keys, cut into slices by key, so a corpus-wide reduce holds one at a time.

The reduces over line keys (site template lines, line spread) group by key: every row of one
key lies in one slice, so a slice can be reduced alone and the slices' results concatenated.
The number of slices grows with the number of rows, which bounds the reduce's memory whatever
the corpus size; the site name is replaced by its 64-bit hash, which groups far cheaper than
a string.

Most line keys occur once in a corpus, so the reduces first count values by sorting a slice's
single 64-bit column (`repeated`) and keep only the rows whose value repeats: a sort of one
column holds far less than a hash group-by over every row of the slice.
"""

from __future__ import annotations

import polars as pl

ROWS_PER_SLICE = 4_000_000  # the driver holds one slice's sort and the group-by of its repeated rows


def key_slices(keys: pl.LazyFrame, rows_per_slice: int = ROWS_PER_SLICE) -> list[pl.LazyFrame]:
    """(site hash, order, key) of `keys`, in slices of about `rows_per_slice` rows."""
    rows = keys.select(pl.len()).collect().item()
    count = max(1, -(-rows // rows_per_slice))
    hashed = keys.select(site_hash(), "order", "key")
    if count == 1:
        return [hashed]
    return [hashed.filter(pl.col("key") % count == number) for number in range(count)]


def site_hash() -> pl.Expr:
    return pl.col("site").hash().alias("site")


def site_key() -> pl.Expr:
    """One 64-bit value per (site hash, line key). Within a site it is the key itself turned by
    one mask, so two lines of a site never share it; across sites, two 64-bit hashes must meet."""
    return (pl.col("site") ^ pl.col("key")).alias("site_key")


def repeated(values: pl.LazyFrame, at_least: int) -> pl.DataFrame:
    """(value, count) of the values of a one-column frame found in at least `at_least` rows."""
    column = values.collect(engine="streaming").to_series()
    return (column.sort().rle().struct.unnest()
            .filter(pl.col("len") >= at_least)
            .select(pl.col("value").alias(column.name), count="len"))
