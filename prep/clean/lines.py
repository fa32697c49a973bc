"""Documents as lines and back: the form every text stage works on.

A document is split into its non-blank lines, each normalised (Unicode NFC, odd spaces to one
space, zero-width and control characters gone); `blank_before` remembers where paragraphs broke, so the
cleaned text keeps the document's own layout when it is put back together.
"""

from __future__ import annotations

import polars as pl

from prep.clean.linestats import EMOJI_CHARS, measure
from prep.schema import LINE_SCHEMA, REMOVED_LINE
from prep.text.repair import SUSPECT, repaired_texts

# line breaks of any convention; a text without OTHER_BREAK breaks at "\n" alone
BREAK = "\\r\\n|[\\n\\r\\u2028\\u2029]"
OTHER_BREAK = "[\\r\\u2028\\u2029]"
# read as one space: tab, vertical tab, form feed, U+001C to U+001F, and the Unicode spaces
SPACE = "[ \\t\\x0b\\x0c\\x1c-\\x1f\\xa0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000]"
ODD_SPACE = "[\\t\\x0b\\x0c\\x1c-\\x1f\\xa0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000]"  # a space other than " "
# dropped: control characters (NUL, escape, ...: what is left of binary junk or a broken
# encoding, never text) and zero-width characters; C1 controls are cp1252 punctuation by then
# (prep.text.repair), but for five it leaves undefined
INVISIBLE = "[\\x00-\\x08\\x0e-\\x1b\\x7f-\\x9f\\xad\\u200b-\\u200d\\u2060\\ufeff]"
# what any of the steps below looks for (mojibake, combining marks, other breaks, invisible
# characters, odd or doubled spaces, emoji): most texts hold none, and one search of the whole
# text then spares each of its lines every other search (none of the steps adds any of these
# to a text that had none)
UNUSUAL = "|".join((SUSPECT, r"\p{M}", OTHER_BREAK, INVISIBLE, ODD_SPACE, "  ", EMOJI_CHARS))


def split_lines(docs: pl.DataFrame) -> pl.DataFrame:
    """(order, text) rows to LINE_SCHEMA rows, one per non-blank line, in document order.

    Texts with signs of mojibake are repaired first (prep.text.repair), and a text holding
    combining marks is put in Unicode NFC (only then can NFC change it). Each line is then
    measured once (linestats.py). Only the texts with anything UNUSUAL go through the searches
    for it."""
    texts = docs["text"].fill_null("")
    rows = texts.str.contains(UNUSUAL).arg_true()
    texts = texts.scatter(rows, _breaks_as_newlines(_nfc_where_needed(repaired_texts(texts.gather(rows)))))
    unusual = pl.zeros(len(texts), dtype=pl.Boolean, eager=True).scatter(rows, True)
    lines = (
        pl.DataFrame({"order": docs["order"], "line": texts, "unusual": unusual})
        .lazy()
        .with_columns(pl.col("line").str.split("\n"))
        .with_columns(raw=pl.int_ranges(0, pl.col("line").list.len()))
        .explode("line", "raw")
        .collect()
    )
    lines = (
        lines.with_columns(line=_normalised(lines["line"], lines["unusual"]))
        .lazy()
        .filter(pl.col("line") != "")
        .with_columns(line_no=pl.int_range(pl.len()).over("order").cast(pl.Int32),
                      blank_before=(pl.col("raw") - pl.col("raw").shift(1).over("order") > 1).fill_null(False),
                      rule=pl.lit(None, dtype=pl.String))
        .collect()
    )
    return pl.concat([lines, measure(lines["line"], lines["unusual"])], how="horizontal").select(
        LINE_SCHEMA.names()).cast(dict(LINE_SCHEMA))


def _breaks_as_newlines(texts: pl.Series) -> pl.Series:
    other_breaks = texts.str.contains(OTHER_BREAK).arg_true()
    return texts.scatter(other_breaks, texts.gather(other_breaks).str.replace_all(BREAK, "\n"))


def _normalised(lines: pl.Series, unusual: pl.Series) -> pl.Series:
    """Invisible characters dropped, runs of spaces as one plain space, stripped: each replacement
    made only in the lines that need it (most need none, and a replacement copies the line);
    only `unusual` lines can need one."""
    rows = unusual.arg_true()
    some = lines.gather(rows)
    invisible = some.str.contains(INVISIBLE).arg_true()
    some = some.scatter(invisible, some.gather(invisible).str.replace_all(INVISIBLE, ""))
    odd = some.str.contains(f" {SPACE}|{ODD_SPACE}").arg_true()
    some = some.scatter(odd, some.gather(odd).str.replace_all(SPACE + "+", " "))
    return lines.scatter(rows, some).str.strip_chars(" ")


def _nfc_where_needed(texts: pl.Series) -> pl.Series:
    """NFC of the texts that hold a combining mark (only there can it change anything)."""
    needs = texts.str.contains(r"\p{M}").arg_true()
    return texts.scatter(needs, texts.gather(needs).str.normalize("NFC")) if len(needs) else texts


def assemble(lines: pl.DataFrame) -> pl.DataFrame:
    """(order, text, removed, words) per document from its lines (in document order), `rule`
    null meaning kept; `words` counts the words of the text."""
    kept = (
        lines.lazy().filter(pl.col("rule").is_null())
        .group_by("order", maintain_order=True)
        .agg(pl.concat_str(pl.when(pl.col("blank_before")).then(pl.lit("\n\n")).otherwise(pl.lit("\n")),
                           pl.col("line")).str.join("").str.strip_chars_start("\n").alias("text"),
             pl.col("words").sum().cast(pl.Int64).alias("words"))
    )
    removed = (
        lines.lazy().filter(pl.col("rule").is_not_null())
        .group_by("order", maintain_order=True)
        .agg(pl.struct("line", "rule").alias("removed"))
    )
    orders = lines.lazy().select("order").unique()
    return (
        orders.join(kept, on="order", how="left").join(removed, on="order", how="left")
        .with_columns(pl.col("text").fill_null(""), pl.col("words").fill_null(0),
                      pl.col("removed").fill_null(pl.lit([], dtype=pl.List(REMOVED_LINE))))
        .sort("order")
        .collect()
    )
