"""Documents as lines and back: the form every text stage works on.

A document is split into its non-blank lines, each normalised (Unicode NFC, odd spaces to one
space, zero-width characters gone); `blank_before` remembers where paragraphs broke, so the
cleaned text keeps the document's own layout when it is put back together.
"""

from __future__ import annotations

import polars as pl

from prep.schema import LINE_SCHEMA, REMOVED_LINE

_ODD_SPACE = r"[\t\x0b\x0c\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
_INVISIBLE = r"[\u00ad\u200b-\u200d\u2060\ufeff]"


def split_lines(docs: pl.DataFrame) -> pl.DataFrame:
    """(order, text) rows to LINE_SCHEMA rows, one per non-blank line."""
    return (
        docs.lazy()
        .select("order", pl.col("text").str.replace_all("\r\n?", "\n").str.split("\n").alias("line"))
        .explode("line")
        .with_columns(raw_no=pl.int_range(pl.len()).over("order"), line=normalize(pl.col("line")))
        .filter(pl.col("line") != "")
        .with_columns(
            blank_before=(pl.col("raw_no") - pl.col("raw_no").shift(1).over("order")).fill_null(1) > 1,
            line_no=pl.int_range(pl.len()).over("order").cast(pl.Int32),
            rule=pl.lit(None, dtype=pl.String),
        )
        .select(LINE_SCHEMA.names())
        .collect()
        .cast(dict(LINE_SCHEMA))
    )


def normalize(line: pl.Expr) -> pl.Expr:
    return (
        line.str.normalize("NFC")
        .str.replace_all(_INVISIBLE, "")
        .str.replace_all(_ODD_SPACE, " ")
        .str.replace_all(" {2,}", " ")
        .str.strip_chars()
    )


def assemble(lines: pl.DataFrame) -> pl.DataFrame:
    """(order, text, removed) per document from its lines, `rule` null meaning kept."""
    kept = (
        lines.lazy().filter(pl.col("rule").is_null()).sort("order", "line_no")
        .group_by("order", maintain_order=True)
        .agg(pl.concat_str(pl.when(pl.col("blank_before")).then(pl.lit("\n\n")).otherwise(pl.lit("\n")),
                           pl.col("line")).str.join("").str.strip_chars_start("\n").alias("text"))
    )
    removed = (
        lines.lazy().filter(pl.col("rule").is_not_null()).sort("order", "line_no")
        .group_by("order", maintain_order=True)
        .agg(pl.struct("line", "rule").alias("removed"))
    )
    orders = lines.lazy().select("order").unique()
    return (
        orders.join(kept, on="order", how="left").join(removed, on="order", how="left")
        .with_columns(pl.col("text").fill_null(""),
                      pl.col("removed").fill_null(pl.lit([], dtype=pl.List(REMOVED_LINE))))
        .sort("order")
        .collect()
    )
