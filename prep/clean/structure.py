"""Rules that judge a line by where it stands in the document."""

from __future__ import annotations

import polars as pl

from prep.clean.shapes import ends_like_sentence, is_list_item, word_count

TRAILING_MAX_WORDS = 10
_BODY_MIN_WORDS = 8


def mark_trailing_fragments(lines: pl.DataFrame) -> pl.DataFrame:
    """Short non-sentences after the article's last sentence are the site's footer, not the article.

    A subheading introduces text that follows it; a short line with nothing of the article
    after it ("More News at ...", an app link, a share label) introduces nothing.
    """
    kept = pl.col("rule").is_null()
    words = word_count(pl.col("line"))
    body = kept & (words >= _BODY_MIN_WORDS) & ends_like_sentence(pl.col("line"))
    last_body = pl.when(body).then(pl.col("line_no")).max().over("order")
    fragment = (kept & (pl.col("line_no") > last_body) & (words <= TRAILING_MAX_WORDS)
                & ~ends_like_sentence(pl.col("line")) & ~is_list_item(pl.col("line")))
    return lines.with_columns(rule=pl.when(fragment).then(pl.lit("trailing_fragment")).otherwise(pl.col("rule")))
