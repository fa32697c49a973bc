"""The chrome model's word scores: a learnt weight for each of a line's first words, one table
of weights per word model (model.py has two: one learnt on all lines, one on labels).

A line's words are its first MAX_TOKENS tokens (runs of letters, digits and marks, lowercased),
each as 'w:<word>', and its very first token again as 'first:<word>' (menus and calls to action
are told by how they start); the score is the sum of the weights of its distinct words.
"""

from __future__ import annotations

import numpy as np
import polars as pl

MAX_TOKENS = 12
TOKEN = r"[\p{L}\p{N}\p{M}]+"


def words_of(lines: pl.Series) -> pl.Series:
    """Each line's words (distinct, in order), as a list column."""
    tokens = lines.str.to_lowercase().str.extract_all(TOKEN).list.head(MAX_TOKENS)
    return pl.select(pl.concat_list(tokens.list.eval("w:" + pl.element()),
                                    tokens.list.head(1).list.eval("first:" + pl.element()))
                     .list.unique(maintain_order=True)).to_series()


def line_words(line: str) -> list[str]:
    """The model's words of one line (what training counts)."""
    return words_of(pl.Series([line], dtype=pl.String))[0].to_list()


def weight_table(weights: dict[str, float]) -> pl.DataFrame:
    """(word, weight) for the lookups."""
    return pl.DataFrame({"word": list(weights), "weight": list(weights.values())},
                        schema={"word": pl.String, "weight": pl.Float64})


def word_scores(lines: pl.Series, table: pl.DataFrame, bias: float) -> np.ndarray:
    """bias + the sum of the weights of each line's distinct words."""
    found = (pl.DataFrame({"word": words_of(lines)}).with_row_index("row")
             .explode("word").join(table, on="word", how="inner")
             .group_by("row").agg(pl.col("weight").sum()))
    out = np.full(len(lines), bias, dtype=np.float64)
    out[found["row"].to_numpy()] += found["weight"].to_numpy()
    return out
