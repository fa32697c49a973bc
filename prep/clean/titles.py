"""A plain-text document's title: the headline-shaped line that opens it.

HTML pages have their title from the page's metadata (extraction); a text file's title is one
of its first kept lines. Scraped text files can open with a menu label or a site's slogan, and
those share no word with the article its title introduces.
"""

from __future__ import annotations

import polars as pl

from prep.clean.chrome.features import kept_lines
from prep.clean.cohesion import cohesion
from prep.clean.shapes import title_shaped
from prep.stage import Frames

TITLE_SEARCH = 3  # a plain-text document's title is looked for among its first kept lines


def mark_titles(frames: Frames) -> Frames:
    """docs.title filled in for plain-text documents that have none."""
    return Frames(frames.docs.with_columns(title=titles(frames.docs, frames.lines)), frames.lines, frames.corpus)


def titles(docs: pl.DataFrame, lines: pl.DataFrame) -> pl.Series:
    """The known title; for plain text, the first of its first TITLE_SEARCH kept lines that is
    headline-shaped and shares a word with the rest of the document, else its first kept line
    when headline-shaped. Scraped text files can open with a menu label or a site's slogan, and
    those share no word with the article its title introduces."""
    plain = docs.filter(pl.col("extractor") == "text")["order"]
    kept = (kept_lines(lines).filter(pl.col("order").is_in(plain.implode()))
            .with_columns(candidate=(pl.col("k") < TITLE_SEARCH) & title_shaped()))
    # only a document with a headline-shaped line after its first has a choice to make; cohesion
    # reads every word of a document, so it is measured for those alone
    choosing = kept.filter(pl.col("candidate") & (pl.col("k") > 0))["order"].unique().implode()
    kept = kept.filter((pl.col("candidate") & (pl.col("k") == 0)) | pl.col("order").is_in(choosing))
    measured = pl.concat([kept.select("order", "k", "line", "candidate"),
                          cohesion(kept, kept["candidate"])], how="horizontal")
    chosen = (measured.filter(pl.col("candidate"))
              .with_columns(coheres=pl.col("shared") > 0)
              .filter(pl.col("coheres") | (pl.col("k") == 0))
              .sort("order", "coheres", "k", descending=[False, True, False])
              .group_by("order", maintain_order=True).first()
              .select("order", first_line="line"))
    return (
        docs.select("order", "title", "extractor").join(chosen, on="order", how="left", maintain_order="left")
        .select(pl.when(pl.col("title").is_not_null()).then(pl.col("title"))
                .when(pl.col("extractor") == "text").then(pl.col("first_line"))
                .otherwise(None).alias("title"))
        ["title"]
    )


