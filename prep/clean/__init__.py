"""Text stages: from extracted text to the article alone, every removed line recorded with its rule.

Order matters and is fixed: named line rules (rules.py) first, then lines the site repeats on
many pages (boilerplate.py), the document's title, the headlines of other stories
(headlines.py), and last the chrome model (model.py) for the chrome no rule names: the named
stages go first so that a removal carries the most specific reason there is.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from prep.clean.boilerplate import find_template_lines, mark_template_lines
from prep.clean.headlines import mark_foreign_headlines
from prep.clean.lines import assemble, split_lines
from prep.clean.model import load_model, mark_model_chrome
from prep.clean.rules import apply_rules, resolve_rules
from prep.clean.shapes import headline_shaped
from prep.clean.spread import line_spread
from prep.config import Config

TITLE_MAX_WORDS = 25


@dataclass(frozen=True)
class CorpusLines:
    """What the corpus-wide reduce learns about lines from every document's line keys."""

    template: pl.DataFrame  # (site, key): lines a site repeats on many of its pages
    spread: pl.DataFrame    # (key, sites): lines found on more than one site

    @classmethod
    def empty(cls) -> CorpusLines:
        return cls(pl.DataFrame(schema={"site": pl.String, "key": pl.UInt64}),
                   pl.DataFrame(schema={"key": pl.UInt64, "sites": pl.UInt32}))


def corpus_lines(keys: pl.LazyFrame, config: Config) -> CorpusLines:
    """The reduce over all shards' `line_keys`."""
    empty = CorpusLines.empty()
    template = (find_template_lines(keys, config.clean.boilerplate) if config.clean.boilerplate.enabled
                else empty.template)
    return CorpusLines(template, line_spread(keys) if config.clean.model.enabled else empty.spread)


def first_pass(docs: pl.DataFrame, config: Config) -> pl.DataFrame:
    """Extracted documents (with `text`) to their lines, marked by the named line rules.

    What can be decided one document at a time; the corpus-wide template lines come next.
    """
    lines = split_lines(docs.filter(pl.col("text").is_not_null()).select("order", "text"))
    return apply_rules(lines, resolve_rules(config.clean.rules))


def named_stages(docs: pl.DataFrame, lines: pl.DataFrame, corpus: CorpusLines,
                 config: Config) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The stages between the line rules and the chrome model: (docs with titles, lines)."""
    if config.clean.boilerplate.enabled:
        lines = mark_template_lines(lines, docs, corpus.template)
    docs = docs.with_columns(title=_titles(docs, lines))
    if config.clean.headlines.enabled:
        lines = mark_foreign_headlines(lines, docs.select("order", "title"), config.clean.headlines)
    return docs, lines


def finish_documents(docs: pl.DataFrame, lines: pl.DataFrame, corpus: CorpusLines,
                     config: Config) -> pl.DataFrame:
    """Docs (DOC_SCHEMA) and their rule-marked lines to docs with `text` and `removed`."""
    docs, lines = named_stages(docs, lines, corpus, config)
    if config.clean.model.enabled:
        lines = mark_model_chrome(lines, docs.select("order", "title", "extractor"), corpus.spread,
                                  config.clean.model.threshold, load_model(config.clean.model.path))
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
