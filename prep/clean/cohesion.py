"""How much a line shares with the article around it.

A subheading or a paragraph shares content words with the rest of its article and with the
lines right after it; another story's headline, a menu label or an ad shares next to nothing.
"""

from __future__ import annotations

import polars as pl

from prep.clean.words import content_words

LOCAL_SPAN = 2  # kept lines after a line that it would introduce


def cohesion(kept: pl.DataFrame, targets: pl.DataFrame, titles: pl.DataFrame | None = None) -> pl.DataFrame:
    """(order, k, n, shared, local) for each target line.

    `kept` holds the document's kept lines numbered `k` per document; `targets` the (order, k)
    to measure. `n` is the line's count of distinct content words, `shared` how many of them
    another kept line (or the title) also has, `local` how many the next LOCAL_SPAN lines have.
    """
    words = content_words(kept, ["order", "k"])
    target_words = words.join(targets.select("order", "k"), on=["order", "k"], how="semi")
    lines_per_word = words.group_by("order", "word").agg(lines_with_word=pl.len())
    following = (pl.concat([words.with_columns(pl.col("k") - step) for step in range(1, LOCAL_SPAN + 1)])
                 .unique().with_columns(local=pl.lit(True)))
    scored = (target_words.join(lines_per_word, on=["order", "word"], how="left")
              .join(following, on=["order", "k", "word"], how="left"))
    in_title = pl.lit(False)
    if titles is not None:
        title_words = content_words(titles.filter(pl.col("title").is_not_null()).rename({"title": "line"}),
                                    ["order"]).with_columns(in_title=pl.lit(True))
        scored = scored.join(title_words, on=["order", "word"], how="left")
        in_title = pl.col("in_title").fill_null(False)
    measured = (scored.group_by("order", "k")
                .agg(n=pl.len(), shared=((pl.col("lines_with_word") > 1) | in_title).sum(),
                     local=pl.col("local").fill_null(False).sum()))
    return (targets.select("order", "k").join(measured, on=["order", "k"], how="left")
            .with_columns(pl.col("n", "shared", "local").fill_null(0).cast(pl.Int64)))
