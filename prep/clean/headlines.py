"""Headlines of other stories interleaved in an article's body.

Scraped pages weave teasers for other stories ("Russia-China Strengthen Their Ties") between
an article's paragraphs. They look like the article's own subheadings, so shape alone cannot
tell them apart; what can is cohesion: a subheading shares words with the paragraphs it
introduces and with the article, a foreign headline shares (almost) none.
"""

from __future__ import annotations

import polars as pl

from prep.clean.shapes import headline_shaped
from prep.clean.words import content_words
from prep.config import HeadlinesConfig

RULE = "foreign_headline"
_LOCAL_SPAN = 2  # kept lines after a candidate that it would introduce


def mark_foreign_headlines(lines: pl.DataFrame, titles: pl.DataFrame, config: HeadlinesConfig) -> pl.DataFrame:
    """Set `rule` on kept lines judged to be other stories' headlines.

    `titles` holds (order, title) so a repeat of the document's own title is never a candidate.
    """
    kept = (lines.filter(pl.col("rule").is_null())
            .with_columns(k=pl.int_range(pl.len()).over("order"))
            .join(titles, on="order", how="left"))
    candidates = kept.filter(
        (pl.col("k") > 0)
        & headline_shaped(pl.col("line"), config.max_words)
        & (pl.col("title").is_null() | (pl.col("line") != pl.col("title")))
    ).select("order", "k", "line_no")
    if candidates.is_empty():
        return lines
    words = content_words(kept, ["order", "k"])
    cand_words = words.join(candidates, on=["order", "k"], how="semi")
    # a word is shared with the article when another kept line (or the title) has it too
    lines_per_word = words.group_by("order", "word").agg(lines_with_word=pl.len())
    title_words = content_words(titles.filter(pl.col("title").is_not_null())
                                .rename({"title": "line"}), ["order"]).with_columns(in_title=pl.lit(True))
    following = pl.concat([words.with_columns(pl.col("k") - step) for step in range(1, _LOCAL_SPAN + 1)])
    following = following.unique().with_columns(local=pl.lit(True))
    scored = (
        cand_words
        .join(lines_per_word, on=["order", "word"], how="left")
        .join(title_words, on=["order", "word"], how="left")
        .join(following, on=["order", "k", "word"], how="left")
        .group_by("order", "k")
        .agg(n=pl.len(),
             shared=((pl.col("lines_with_word") > 1) | pl.col("in_title").fill_null(False)).sum(),
             local=pl.col("local").fill_null(False).sum())
    )
    foreign = (
        scored.filter(
            (pl.col("n") >= config.min_content_words)
            & (pl.col("shared") / pl.col("n") <= config.max_cohesion)
            & (pl.col("local") / pl.col("n") <= config.max_local_cohesion))
        .join(candidates, on=["order", "k"])
        .select("order", "line_no", flag=pl.lit(True))
    )
    return (lines.join(foreign, on=["order", "line_no"], how="left")
            .with_columns(rule=pl.when(pl.col("flag")).then(pl.lit(RULE)).otherwise(pl.col("rule")))
            .drop("flag"))
