"""Headlines of other stories interleaved in an article's body.

Scraped pages weave teasers for other stories ("Russia-China Strengthen Their Ties") between
an article's paragraphs. They look like the article's own subheadings, so shape alone cannot
tell them apart; what can is cohesion: a subheading shares words with the paragraphs it
introduces and with the article, a foreign headline shares (almost) none. Measured on the
development pages, where articles are full of terse subheadings, the detector is kept strict:
headline style (capitalised words, 6+ words) and a place between two full paragraphs. An article
with subheadings of its own is structured, and its playful or terse headings ("Breathe Through
It (or Mutter Profanities Quietly)") share few words too: there, a low-cohesion headline is only
taken when such headlines outnumber the subheadings that do share the article's words.
"""

from __future__ import annotations

import polars as pl

from prep.clean.chrome.features import kept_lines
from prep.clean.cohesion import cohesion
from prep.clean.shapes import ends_like_sentence, headline_shaped
from prep.config import HeadlinesConfig
from prep.stage import Frames

RULE = "foreign_headline"


def stage(frames: Frames, config: HeadlinesConfig) -> Frames:
    lines = mark_foreign_headlines(frames.lines, frames.docs.select("order", "title"), config)
    return Frames(frames.docs, lines, frames.corpus)


def mark_foreign_headlines(lines: pl.DataFrame, titles: pl.DataFrame, config: HeadlinesConfig) -> pl.DataFrame:
    """Set `rule` on kept lines judged to be other stories' headlines.

    A candidate is a headline-style line (short, capitalised words, no closing punctuation)
    standing between two paragraphs, never the first line nor a repeat of the title; it is
    foreign when it shares next to nothing with the article and with the lines after it, and
    its document has at most `max_subheadings` subheadings of its own or fewer than such
    candidates. `titles` holds (order, title).
    """
    words = pl.col("words")
    paragraph = ends_like_sentence() & (words >= config.min_paragraph_words)
    same_doc_before = pl.col("order").shift(1) == pl.col("order")
    same_doc_after = pl.col("order").shift(-1) == pl.col("order")
    kept = (kept_lines(lines)
            .with_columns(between=(same_doc_before & paragraph.shift(1)).fill_null(False)
                          & (same_doc_after & paragraph.shift(-1)).fill_null(False))
            .join(titles, on="order", how="left", maintain_order="left"))
    # headings: every headline-shaped line between paragraphs; candidates: those in headline style
    heading = ((pl.col("k") > 0) & pl.col("between") & headline_shaped(config.max_words)
               & (pl.col("title").is_null() | (pl.col("line") != pl.col("title"))))
    candidate = heading & (words >= config.min_words) & (pl.col("cap_words") / words >= config.min_capitalised)
    flags = kept.select(heading=heading.fill_null(False), candidate=candidate.fill_null(False))
    if not flags["candidate"].any():
        return lines
    unrelated = ((pl.col("n") > 0) & (pl.col("shared") / pl.col("n") <= config.max_cohesion)
                 & (pl.col("local") / pl.col("n") <= config.max_local_cohesion))
    teaser = pl.col("candidate") & pl.col("unrelated")
    foreign = (
        pl.concat([kept.select("order", "line_no"), flags, cohesion(kept, flags["heading"], titles)],
                  how="horizontal")
        .filter(pl.col("heading"))
        .with_columns(unrelated=unrelated)
        .with_columns(subheadings=((pl.col("n") > 0) & ~pl.col("unrelated")).sum().over("order"),
                      teasers=teaser.sum().over("order"))
        .filter(teaser & ((pl.col("subheadings") <= config.max_subheadings)
                          | (pl.col("subheadings") < pl.col("teasers"))))
        .select("order", "line_no", flag=pl.lit(True))
    )
    return (lines.join(foreign, on=["order", "line_no"], how="left", maintain_order="left")
            .with_columns(rule=pl.when(pl.col("flag")).then(pl.lit(RULE)).otherwise(pl.col("rule")))
            .drop("flag"))
