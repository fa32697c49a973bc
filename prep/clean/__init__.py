"""Text stages: from extracted text to the article alone, every removed line recorded with its rule.

Order matters and is fixed: named line rules (rules.py) first, then lines the site repeats on
many pages (boilerplate.py), the document's title, the headlines of other stories
(headlines.py), and last the chrome model (model.py) for the chrome no rule names: the named
stages go first so that a removal carries the most specific reason there is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from prep.clean.boilerplate import find_template_lines, mark_template_lines
from prep.clean.chrome.features import kept_lines
from prep.clean.chrome.model import load_model, mark_model_chrome
from prep.clean.cohesion import cohesion
from prep.clean.headlines import mark_foreign_headlines
from prep.clean.lines import assemble, split_lines
from prep.clean.rules import apply_rules, resolve_rules, spare_titles
from prep.clean.shapes import title_shaped
from prep.clean.spread import line_spread
from prep.config import Config

TITLE_SEARCH = 3  # a plain-text document's title is looked for among its first kept lines


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
    rules = resolve_rules(config.clean.rules)
    return spare_titles(apply_rules(lines, rules), docs.select("order", "extractor"), rules)


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
    return (
        docs.join(texts, on="order", how="left")
        .with_columns(pl.col("text").fill_null(""), pl.col("words").fill_null(0),
                      pl.col("removed").fill_null(pl.lit([], dtype=texts.schema["removed"])))
        .with_columns(drop_reason=pl.when(pl.col("drop_reason").is_not_null()).then(pl.col("drop_reason"))
                      .when(pl.col("text") == "").then(pl.lit("empty"))
                      .when(pl.col("words") < config.limits.min_words).then(pl.lit("too_short"))
                      .otherwise(None))
        .drop("words")
        .sort("order")
    )


def _titles(docs: pl.DataFrame, lines: pl.DataFrame) -> pl.Series:
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


def _cap_length(lines: pl.DataFrame, max_chars: int) -> pl.DataFrame:
    """Cut documents longer than max_chars: the line that crosses the limit is cut at a space
    (its rest recorded as removed), the lines after it removed; rule `max_text_chars`."""
    kept = np.flatnonzero(lines["rule"].is_null().to_numpy())
    if not len(kept):
        return lines
    orders = lines["order"].to_numpy()[kept]
    first = np.r_[True, orders[1:] != orders[:-1]]
    # characters each kept line adds to the assembled text: its separator ("\n" or "\n\n", none
    # for a document's first line) and itself
    separator = np.where(first, 0, np.where(lines["blank_before"].to_numpy()[kept], 2, 1))
    size = lines["chars"].to_numpy().astype(np.int64)[kept] + separator
    running = np.cumsum(size)
    starts = np.flatnonzero(first)
    end = running - np.repeat(running[starts] - size[starts], np.diff(np.r_[starts, len(kept)]))
    over = end > max_chars
    if not over.any():
        return lines
    crossing = over & (end - size + separator < max_chars)  # its separator fits, some of it too
    rule = lines["rule"].to_numpy().copy()
    rule[kept[over & ~crossing]] = "max_text_chars"
    texts = lines["line"].to_list()
    rests: list[tuple[int, str]] = []
    for at in np.flatnonzero(crossing):
        i = kept[at]
        room = max_chars - int(end[at] - size[at] + separator[at])
        cut = texts[i].rfind(" ", 0, room + 1)
        head = texts[i][:cut if cut > 0 else room].rstrip()
        rests.append((i, texts[i][len(head):].strip()))
        texts[i] = head
    cut_lines = lines.with_columns(line=pl.Series(texts, dtype=pl.String),
                                   rule=pl.Series(rule.tolist(), dtype=pl.String))
    rests = [(i, rest) for i, rest in rests if rest]
    if not rests:
        return cut_lines
    remainders = (lines[[i for i, _ in rests]]
                  .with_columns(line=pl.Series([r for _, r in rests], dtype=pl.String),
                                rule=pl.lit("max_text_chars"), blank_before=pl.lit(False)))
    return pl.concat([cut_lines, remainders]).sort("order", "line_no", "rule", nulls_last=False,
                                                    maintain_order=True)
