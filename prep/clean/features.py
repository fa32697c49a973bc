"""What the chrome model knows about a line: its shape, its place, its neighbours, its cohesion
with the article, and its first words.

Only lines of at most MAX_WORDS words are described: longer lines are article text (or, for
the rare long notice, left to the named rules).
"""

from __future__ import annotations

import polars as pl

from prep.clean.cohesion import cohesion
from prep.clean.shapes import ends_like_sentence, is_list_item, word_count

MAX_WORDS = 40
MAX_TOKENS = 12
_END_PUNCT = r"""[.!?…:;,]["'”’»)\]]*$"""

DENSE = (
    "log_words", "short", "ends_sentence", "ends_colon", "ends_question", "no_end_punct", "capital_start",
    "title_ratio", "all_caps", "digit_ratio", "has_url", "has_phone", "separators", "copyright", "list_item",
    "emoji", "inner_colon", "parenthesis", "currency_or_percent", "rel_pos", "first", "last", "near_end",
    "prev_log_words", "next_log_words", "prev_sentence", "next_sentence", "prev_short", "next_short",
    "prev_list_item", "next_list_item", "between_paragraphs", "short_between_paragraphs", "repeated_in_doc",
    "blank_before", "doc_log_lines", "log_content", "no_content", "shared_share", "local_share",
    "short_no_local", "from_html",
)


def _shape(line: pl.Expr) -> dict[str, pl.Expr]:
    words = word_count(line)
    letters = line.str.count_matches(r"\p{L}")
    return {
        "log_words": words.log1p(),
        "short": words <= 3,
        "ends_sentence": ends_like_sentence(line),
        "ends_colon": line.str.contains(r":\W*$"),
        "ends_question": line.str.contains(r"\?\W*$"),
        "no_end_punct": ~line.str.contains(_END_PUNCT),
        "capital_start": line.str.contains(r"^\W*[\p{Lu}\p{N}]"),
        "title_ratio": line.str.count_matches(r"(?:^|\s)\W*\p{Lu}") / words,
        "all_caps": (letters >= 2) & (line == line.str.to_uppercase()),
        "digit_ratio": line.str.count_matches(r"\p{N}") / line.str.len_chars(),
        "has_url": line.str.contains(r"(?i)https?://|www\.|\.(com|org|net|io)\b|\w@\w"),
        "has_phone": line.str.contains(r"\+?\d[\d\s().-]{7,}\d"),
        "separators": line.str.contains(r"[|•·»›▸►→←]"),
        "copyright": line.str.contains(r"(?i)©|copyright|all rights reserved"),
        "list_item": is_list_item(line),
        "emoji": line.str.contains(r"[\x{1F300}-\x{1FAFF}\x{2600}-\x{27BF}]"),
        "inner_colon": line.str.contains(r"\S: \S"),
        "parenthesis": line.str.contains(r"[()]"),
        "currency_or_percent": line.str.contains(r"[$€£¥%]"),
    }


def line_features(lines: pl.DataFrame, docs: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(dense, tokens) for the kept lines of at most MAX_WORDS words.

    `docs` holds (order, title, extractor): titles count as article words for cohesion, and
    text extracted from HTML (where the extractor already dropped most chrome) is told apart
    from plain text.

    dense: order, line_no, k and one Float64 column per name in DENSE; tokens: order, line_no,
    token (the line's first MAX_TOKENS lowercased words as 'w:<word>', and 'first:<word>').
    """
    kept = (lines.filter(pl.col("rule").is_null()).sort("order", "line_no")
            .with_columns(k=pl.int_range(pl.len()).over("order"), n_kept=pl.len().over("order")))
    words = word_count(pl.col("line"))
    sentence = ends_like_sentence(pl.col("line"))
    listed = is_list_item(pl.col("line"))
    context = kept.with_columns(
        prev_words=words.shift(1).over("order").fill_null(0),
        next_words=words.shift(-1).over("order").fill_null(0),
        prev_sentence=sentence.shift(1).over("order").fill_null(False),
        next_sentence=sentence.shift(-1).over("order").fill_null(False),
        prev_list_item=listed.shift(1).over("order").fill_null(False),
        next_list_item=listed.shift(-1).over("order").fill_null(False),
        repeated_in_doc=pl.len().over("order", "line") > 1,
    ).with_columns(
        prev_log_words=pl.col("prev_words").log1p(),
        next_log_words=pl.col("next_words").log1p(),
        prev_short=(pl.col("prev_words") > 0) & (pl.col("prev_words") <= 3),
        next_short=(pl.col("next_words") > 0) & (pl.col("next_words") <= 3),
        between_paragraphs=pl.col("prev_sentence") & pl.col("next_sentence")
        & (pl.col("prev_words") >= 15) & (pl.col("next_words") >= 15),
    )
    targets = context.filter(words <= MAX_WORDS)
    measured = cohesion(kept, targets, docs.select("order", "title"))
    n = pl.col("n")
    dense = (
        targets.join(measured, on=["order", "k"], how="left")
        .join(docs.select("order", from_html=pl.col("extractor") != "text"), on="order", how="left")
        .with_columns(
            **_shape(pl.col("line")),
            rel_pos=pl.col("k") / (pl.col("n_kept") - 1).clip(lower_bound=1),
            first=pl.col("k") == 0,
            last=pl.col("k") == pl.col("n_kept") - 1,
            near_end=pl.col("n_kept") - 1 - pl.col("k") <= 2,
            doc_log_lines=pl.col("n_kept").log1p(),
            log_content=n.log1p(),
            no_content=n == 0,
            shared_share=pl.when(n > 0).then(pl.col("shared") / n).otherwise(0.0),
            local_share=pl.when(n > 0).then(pl.col("local") / n).otherwise(0.0),
        )
        .with_columns(
            short_between_paragraphs=(words <= 8) & pl.col("between_paragraphs"),
            short_no_local=(words <= 8) & (pl.col("local") == 0),
        )
        .select("order", "line_no", "k", *[pl.col(name).cast(pl.Float64) for name in DENSE])
    )
    tokens = (
        targets.select("order", "line_no", word=pl.col("line").str.to_lowercase()
                       .str.extract_all(r"[\p{L}\p{N}]+").list.head(MAX_TOKENS))
        .with_columns(first=pl.lit("first:") + pl.col("word").list.first())
        .explode("word")
        .drop_nulls("word")
        .select("order", "line_no", pl.concat_list(pl.lit("w:") + pl.col("word"), "first").alias("token"))
        .explode("token")
        .unique()
    )
    return dense, tokens
