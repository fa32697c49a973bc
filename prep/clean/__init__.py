"""Text stages: from extracted text to the article alone, every removed line recorded with its rule.

Order matters and is fixed: named line rules (rules.py) first, then lines the site repeats on
many pages (boilerplate.py), trailing footer fragments (structure.py), the document's title,
and last the headlines of other stories (headlines.py), which needs the title and a body
already free of other chrome to judge cohesion.
"""

from __future__ import annotations

import polars as pl

from prep.clean.boilerplate import mark_template_lines
from prep.clean.headlines import mark_foreign_headlines
from prep.clean.lines import assemble
from prep.clean.shapes import headline_shaped
from prep.clean.structure import mark_trailing_fragments
from prep.config import Config

TITLE_MAX_WORDS = 25


def finish_documents(docs: pl.DataFrame, lines: pl.DataFrame, template: pl.DataFrame,
                     config: Config) -> pl.DataFrame:
    """Docs (DOC_SCHEMA) and their rule-marked lines to docs with `text` and `removed`."""
    if config.clean.boilerplate.enabled:
        lines = mark_template_lines(lines, docs, template)
    lines = mark_trailing_fragments(lines)
    docs = docs.with_columns(title=_titles(docs, lines))
    if config.clean.headlines.enabled:
        lines = mark_foreign_headlines(lines, docs.select("order", "title"), config.clean.headlines)
    lines = _cap_length(lines, config.limits.max_text_chars)
    texts = assemble(lines)
    words = pl.col("text").str.count_matches(r"\S+")
    return (
        docs.join(texts, on="order", how="left")
        .with_columns(pl.col("text").fill_null(""),
                      pl.col("removed").fill_null(pl.lit([], dtype=texts.schema["removed"])))
        .with_columns(drop_reason=pl.when(pl.col("drop_reason").is_not_null()).then(pl.col("drop_reason"))
                      .when(pl.col("text") == "").then(pl.lit("empty"))
                      .when(words < config.limits.min_words).then(pl.lit("too_short"))
                      .otherwise(None))
        .sort("order")
    )


def _titles(docs: pl.DataFrame, lines: pl.DataFrame) -> pl.Series:
    """The known title, else for plain text the first kept line when it is headline-shaped."""
    first_lines = (lines.filter(pl.col("rule").is_null()).sort("order", "line_no")
                   .group_by("order").agg(pl.col("line").first().alias("first_line")))
    return (
        docs.select("order", "title", "extractor").join(first_lines, on="order", how="left")
        .select(pl.when(pl.col("title").is_not_null()).then(pl.col("title"))
                .when((pl.col("extractor") == "text") & headline_shaped(pl.col("first_line"), TITLE_MAX_WORDS))
                .then(pl.col("first_line")).otherwise(None).alias("title"))
        ["title"]
    )


def _cap_length(lines: pl.DataFrame, max_chars: int) -> pl.DataFrame:
    """Cut documents longer than max_chars after the last kept line that fits."""
    running = pl.when(pl.col("rule").is_null()).then(pl.col("line").str.len_chars() + 1).otherwise(0)
    over = pl.col("rule").is_null() & (running.cum_sum().over("order", order_by="line_no") > max_chars + 1)
    return lines.with_columns(rule=pl.when(over).then(pl.lit("max_text_chars")).otherwise(pl.col("rule")))
