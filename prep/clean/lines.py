"""Documents as lines and back: the form every text stage works on.

A document is split into its non-blank lines, each normalised (Unicode NFC, odd spaces to one
space, zero-width characters gone); `blank_before` remembers where paragraphs broke, so the
cleaned text keeps the document's own layout when it is put back together.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from prep.clean.linestats import line_stats
from prep.schema import LINE_SCHEMA, REMOVED_LINE

_ODD_SPACE = r"[\t\x0b\x0c\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
_INVISIBLE = r"[\u00ad\u200b-\u200d\u2060\ufeff]"


def split_lines(docs: pl.DataFrame) -> pl.DataFrame:
    """(order, text) rows to LINE_SCHEMA rows, one per non-blank line, in document order."""
    texts = normalize(docs["text"].fill_null(""))
    parts = texts.str.split("\n")
    counts = parts.list.len().to_numpy().astype(np.int64)
    exploded = pl.DataFrame({"order": docs["order"], "line": parts}).explode("line")
    raw_no = np.arange(len(exploded)) - np.repeat(np.cumsum(counts) - counts, counts)
    keep = (exploded["line"] != "").fill_null(False).to_numpy()
    lines = exploded.filter(keep)
    raw_no = raw_no[keep]
    orders = lines["order"].to_numpy()
    first = np.r_[True, orders[1:] != orders[:-1]] if len(orders) else np.zeros(0, dtype=bool)
    blank_before = ~first & (np.diff(raw_no, prepend=0) > 1)
    starts = np.flatnonzero(first)
    line_no = np.arange(len(orders)) - np.repeat(starts, np.diff(np.r_[starts, len(orders)]))
    return pl.concat([
        lines.with_columns(line_no=pl.Series(line_no, dtype=pl.Int32), blank_before=pl.Series(blank_before),
                           rule=pl.lit(None, dtype=pl.String), key=line_key(pl.col("line"))),
        line_stats(lines["line"]),
    ], how="horizontal").select(LINE_SCHEMA.names()).cast(dict(LINE_SCHEMA))


def normalize(texts: pl.Series) -> pl.Series:
    """Line breaks to \\n, odd spaces to one space, zero-width characters gone, lines stripped;
    Unicode NFC where a text holds combining marks (only then can NFC change it)."""
    needs_nfc = texts.str.contains(r"\p{M}")
    if needs_nfc.any():
        texts = texts.scatter(needs_nfc.arg_true(), texts.filter(needs_nfc).str.normalize("NFC"))
    return (
        texts.str.replace_all("\r\n?", "\n")
        .str.replace_all(_INVISIBLE, "")
        .str.replace_all(_ODD_SPACE, " ")
        .str.replace_all(" {2,}", " ")
        .str.replace_all(" ?\n ?", "\n")
        .str.strip_chars(" ")
    )


def line_key(line: pl.Expr) -> pl.Expr:
    """Lines equal up to case and digits ('© 2024' and '© 2025') share a key."""
    return line.str.to_lowercase().str.replace_all(r"\d+", "0").hash(seed=0)


def assemble(lines: pl.DataFrame) -> pl.DataFrame:
    """(order, text, removed) per document from its lines (in document order), `rule` null meaning kept."""
    kept = (
        lines.lazy().filter(pl.col("rule").is_null())
        .group_by("order", maintain_order=True)
        .agg(pl.concat_str(pl.when(pl.col("blank_before")).then(pl.lit("\n\n")).otherwise(pl.lit("\n")),
                           pl.col("line")).str.join("").str.strip_chars_start("\n").alias("text"))
    )
    removed = (
        lines.lazy().filter(pl.col("rule").is_not_null())
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
