"""What the chrome model knows about a line: its shape, its place, its neighbours, its
cohesion with the article and how many lines of its document look like it (its words are
scored apart, by wordscore.py).

Only lines of at most MAX_WORDS words are described: longer lines are article text (or, for
the rare long notice, left to the named rules). Shapes come from the measured columns of the
line frame (linestats.py); only a few rare patterns are looked for with regular expressions,
and only in the described lines.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from prep.clean import linestats as ls
from prep.clean.cohesion import cohesion
from prep.clean.linestats import has
from prep.clean.shapes import title_shaped

MAX_WORDS = 40

DENSE = (
    "log_words", "short", "ends_sentence", "ends_colon", "ends_question", "no_end_punct", "capital_start",
    "title_ratio", "all_caps", "digit_ratio", "has_url", "has_phone", "separators", "copyright", "list_item",
    "emoji", "inner_colon", "parenthesis", "currency_or_percent", "rel_pos", "first", "last", "near_end",
    "prev_log_words", "next_log_words", "prev_sentence", "next_sentence", "prev_short", "next_short",
    "prev_list_item", "next_list_item", "between_paragraphs", "short_between_paragraphs", "repeated_in_doc",
    "blank_before", "doc_log_lines", "log_content", "no_content", "shared_share", "local_share",
    "short_no_local", "from_html", "doc_short_share", "style_siblings",
)


def _shape() -> dict[str, pl.Expr]:
    line, words = pl.col("line"), pl.col("words")
    return {
        "log_words": words.log1p(),
        "short": words <= 3,
        "ends_sentence": has(ls.ENDS_SENTENCE),
        "ends_colon": has(ls.ENDS_COLON),
        "ends_question": has(ls.ENDS_QUESTION),
        "no_end_punct": ~has(ls.ENDS_STATEMENT) & ~has(ls.ENDS_SENTENCE),
        "capital_start": has(ls.CAPITAL_START),
        "title_ratio": pl.col("cap_words") / words,
        "all_caps": has(ls.ALL_CAPS),
        "digit_ratio": pl.col("digits") / pl.col("chars"),
        "has_url": line.str.contains(r"(?i)https?://|www\.|\.(com|org|net|io)(?-u:\b)|\w@\w"),
        "has_phone": line.str.contains(r"\+?\d[\d\s().-]{7,}\d"),
        "separators": has(ls.SEPARATORS),
        "copyright": line.str.contains(r"(?i)©|copyright|all rights reserved"),
        "list_item": has(ls.LIST_ITEM),
        "emoji": has(ls.EMOJI),
        "inner_colon": has(ls.INNER_COLON),
        "parenthesis": has(ls.PARENTHESIS),
        "currency_or_percent": has(ls.CURRENCY),
    }


def kept_lines(lines: pl.DataFrame) -> pl.DataFrame:
    """The kept lines in document order, numbered `k` within their document, with `n_kept`.

    Line frames are in document order already (split_lines makes them so), which the
    numbering relies on."""
    kept = lines.filter(pl.col("rule").is_null())
    orders = kept["order"].to_numpy()
    if not len(orders):
        return kept.with_columns(k=pl.lit(0, pl.Int64), n_kept=pl.lit(0, pl.Int64))
    first = np.flatnonzero(np.r_[True, orders[1:] != orders[:-1]])
    sizes = np.diff(np.r_[first, len(orders)])
    k = np.arange(len(orders)) - np.repeat(first, sizes)
    return kept.with_columns(k=pl.Series(k, dtype=pl.Int64), n_kept=pl.Series(np.repeat(sizes, sizes), dtype=pl.Int64))


def neighbours(kept: pl.DataFrame) -> pl.DataFrame:
    """The kept lines with what the lines before and after them (in the same document) are."""
    same_doc_before = pl.col("order").shift(1) == pl.col("order")
    same_doc_after = pl.col("order").shift(-1) == pl.col("order")

    def before(expr: pl.Expr, empty) -> pl.Expr:
        return pl.when(same_doc_before).then(expr.shift(1)).otherwise(pl.lit(empty))

    def after(expr: pl.Expr, empty) -> pl.Expr:
        return pl.when(same_doc_after).then(expr.shift(-1)).otherwise(pl.lit(empty))

    sentence, listed = has(ls.ENDS_SENTENCE), has(ls.LIST_ITEM)
    return kept.with_columns(
        prev_words=before(pl.col("words"), 0),
        next_words=after(pl.col("words"), 0),
        prev_sentence=before(sentence, False),
        next_sentence=after(sentence, False),
        prev_list_item=before(listed, False),
        next_list_item=after(listed, False),
    )


def _style(kept: pl.DataFrame) -> pl.DataFrame:
    """Per kept line: the share of its document's lines that are short, and how many other lines
    of its document look like it (length band, ending, capitals, list mark). A prose article's
    short lines are subheadings that share one style, a list's items share another; a menu
    label or a call to action inserted among them often looks like nothing else there."""
    words = pl.col("words")
    band = pl.when(words <= 2).then(0).when(words <= 4).then(1).when(words <= 8).then(2).otherwise(3)
    ending = (pl.when(has(ls.ENDS_SENTENCE)).then(0).when(has(ls.ENDS_COLON)).then(1)
              .when(has(ls.ENDS_QUESTION)).then(2).otherwise(3))
    capitals = (pl.when(has(ls.ALL_CAPS)).then(0).when(pl.col("cap_words") >= words * 0.8).then(1)
                .otherwise(2))
    return kept.select(
        doc_short_share=(words <= 4).mean().over("order"),
        style_siblings=(pl.len().over("order", band, ending, capitals, has(ls.LIST_ITEM)) - 1).log1p(),
    )


def line_features(lines: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    """(dense, tokens) for the kept lines of at most MAX_WORDS words.

    `docs` holds (order, title, extractor): titles count as article words for cohesion, and
    text extracted from HTML (where the extractor already dropped most chrome) is told apart
    from plain text.

    Columns: order, line_no, k, line, key, title_shaped and one Float64 column per name in DENSE.
    """
    kept = neighbours(kept_lines(lines))
    judged = (kept["words"] <= MAX_WORDS).fill_null(False)
    measured = cohesion(kept, judged, docs.select("order", "title"))
    targets = pl.concat([kept, measured, _style(kept)], how="horizontal").filter(judged)
    repeats = targets.group_by("order", "key").agg(repeated_in_doc=pl.len() > 1)
    n = pl.col("n")
    dense = (
        targets.join(repeats, on=["order", "key"], how="left", maintain_order="left")
        .join(docs.select("order", from_html=pl.col("extractor") != "text"), on="order", how="left",
              maintain_order="left")
        .with_columns(
            **_shape(),
            prev_log_words=pl.col("prev_words").log1p(),
            next_log_words=pl.col("next_words").log1p(),
            prev_short=(pl.col("prev_words") > 0) & (pl.col("prev_words") <= 3),
            next_short=(pl.col("next_words") > 0) & (pl.col("next_words") <= 3),
            between_paragraphs=pl.col("prev_sentence") & pl.col("next_sentence")
            & (pl.col("prev_words") >= 15) & (pl.col("next_words") >= 15),
            rel_pos=pl.col("k") / (pl.col("n_kept") - 1).clip(lower_bound=1),
            first=pl.col("k") == 0,
            last=pl.col("k") == pl.col("n_kept") - 1,
            near_end=pl.col("n_kept") - 1 - pl.col("k") <= 2,
            doc_log_lines=pl.col("n_kept").log1p(),
            log_content=n.log1p(),
            no_content=n == 0,
            shared_share=pl.when(n > 0).then(pl.col("shared") / n).otherwise(0.0),
            local_share=pl.when(n > 0).then(pl.col("local") / n).otherwise(0.0),
            title_shaped=title_shaped(),
        )
        .with_columns(
            short_between_paragraphs=(pl.col("words") <= 8) & pl.col("between_paragraphs"),
            short_no_local=(pl.col("words") <= 8) & (pl.col("local") == 0),
        )
        .select("order", "line_no", "k", "line", "key", "title_shaped",
                *[pl.col(name).cast(pl.Float64) for name in DENSE])
    )
    return dense
