"""Shapes of lines that several stages look at, as polars expressions."""

from __future__ import annotations

import polars as pl

_CLOSERS = r"""["'”’»)\]]*$"""
_SENTENCE_END = r"[.!?…]" + _CLOSERS
_STATEMENT_END = r"[.:;,…]" + _CLOSERS  # a headline may ask or exclaim, it does not end like this
_LIST_MARK = r"^(?:[-*•·▪►–—]\s|\d{1,3}[.)]\s|\(?[a-z]\)\s)"
_CAPITAL_START = r"""^["'“‘(]?[\p{Lu}\p{Lt}\p{N}]"""


def word_count(line: pl.Expr) -> pl.Expr:
    return line.str.count_matches(r"\S+")


def ends_like_sentence(line: pl.Expr) -> pl.Expr:
    return line.str.contains(_SENTENCE_END)


def is_list_item(line: pl.Expr) -> pl.Expr:
    return line.str.contains(_LIST_MARK)


def headline_shaped(line: pl.Expr, max_words: int) -> pl.Expr:
    """Short, starts with a capital or digit, no statement-final punctuation, not a list item.

    Titles, subheadings and other stories' headlines all have this shape; the stages that use
    it decide between them by position and by what the line shares with the article.
    """
    words = word_count(line)
    return (
        (words >= 2) & (words <= max_words)
        & line.str.contains(_CAPITAL_START)
        & ~line.str.contains(_STATEMENT_END)
        & ~is_list_item(line)
    )
