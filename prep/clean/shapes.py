"""Shapes of lines that several stages look at, as polars expressions over a line frame's
measured columns (prep/clean/linestats.py)."""

from __future__ import annotations

import polars as pl

from prep.clean.linestats import CAPITAL_START, ENDS_SENTENCE, ENDS_STATEMENT, LIST_ITEM, has

TITLE_MAX_WORDS = 25


def ends_like_sentence() -> pl.Expr:
    return has(ENDS_SENTENCE)


def is_list_item() -> pl.Expr:
    return has(LIST_ITEM)


def headline_shaped(max_words: int) -> pl.Expr:
    """Short, starts with a capital or digit, no statement-final punctuation, not a list item.

    Titles, subheadings and other stories' headlines all have this shape; the stages that use
    it decide between them by position and by what the line shares with the article.
    """
    words = pl.col("words")
    return (words >= 2) & (words <= max_words) & has(CAPITAL_START) & ~has(ENDS_STATEMENT) & ~is_list_item()


def title_shaped() -> pl.Expr:
    """A line that could be a document's title: headline-shaped, up to TITLE_MAX_WORDS words."""
    return headline_shaped(TITLE_MAX_WORDS)
