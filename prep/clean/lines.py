"""Documents as lines and back: the form every text stage works on.

A document is split into its non-blank lines, each normalised (Unicode NFC, odd spaces to one
space, zero-width and control characters gone); `blank_before` remembers where paragraphs broke, so the
cleaned text keeps the document's own layout when it is put back together.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import numpy as np
import polars as pl
from numba import njit

from prep.clean.linestats import measure
from prep.schema import LINE_SCHEMA, REMOVED_LINE
from prep.text.repair import repaired_texts
from prep.text.tokens import decode_utf8, utf8_buffer


def split_lines(docs: pl.DataFrame) -> pl.DataFrame:
    """(order, text) rows to LINE_SCHEMA rows, one per non-blank line, in document order.

    One compiled pass (`_split`) normalises and splits all texts at once: line breaks of any
    convention, odd spaces (tabs, no-break and other Unicode spaces, U+001C to U+001F) read as
    one space, runs of spaces folded, lines stripped, zero-width and control characters dropped.
    Before it, texts with signs of mojibake are repaired (prep.text.repair), and a text holding
    combining marks is put in Unicode NFC (only then can NFC change it). Each line is then
    measured once (linestats.py)."""
    texts = _nfc_where_needed(repaired_texts(docs["text"].fill_null("")))
    data, spans = utf8_buffer(texts)
    out = np.empty(len(data), dtype=np.uint8)
    line_spans = np.empty((len(data) // 2 + len(spans) + 1, 2), dtype=np.int64)
    line_doc = np.empty(len(line_spans), dtype=np.int64)
    meta = np.empty((len(line_spans), 2), dtype=np.int64)  # line number, blank line before it
    count = _split(data, spans, out, line_spans, line_doc, meta)
    line_spans, line_doc, meta = line_spans[:count], line_doc[:count], meta[:count]
    orders = docs["order"].to_numpy()[line_doc]
    return pl.concat([
        pl.DataFrame({"order": orders, "line_no": meta[:, 0].astype(np.int32), "line": _strings(out, line_spans),
                      "blank_before": meta[:, 1].astype(bool)}).with_columns(rule=pl.lit(None, dtype=pl.String)),
        measure(out, line_spans),
    ], how="horizontal").select(LINE_SCHEMA.names()).cast(dict(LINE_SCHEMA))


def _strings(data: np.ndarray, spans: np.ndarray) -> pl.Series:
    """The byte ranges (consecutive, as _split writes them) as a string column, via Arrow."""
    import pyarrow as pa

    offsets = np.concatenate(([spans[0, 0]] if len(spans) else [0], spans[:, 1])).astype(np.int64)
    array = pa.LargeStringArray.from_buffers(len(spans), pa.py_buffer(offsets), pa.py_buffer(data))
    return pl.Series(pl.from_arrow(array)).cast(pl.String)


@cache
def _marks() -> np.ndarray:
    """Whether each code point of the Basic Multilingual Plane is a combining mark."""
    return np.array([unicodedata.category(chr(code))[0] == "M" for code in range(0x10000)], dtype=np.bool_)


def _nfc_where_needed(texts: pl.Series) -> pl.Series:
    data, spans = utf8_buffer(texts)
    needs = np.flatnonzero(_has_marks(data, spans, _marks()))
    if len(needs):
        texts = texts.scatter(needs, texts.gather(needs).str.normalize("NFC"))
    return texts


@njit(cache=True)
def _has_marks(data, spans, marks):
    out = np.zeros(spans.shape[0], dtype=np.bool_)
    for t in range(spans.shape[0]):
        i = spans[t, 0]
        while i < spans[t, 1]:
            if data[i] < 0x80:
                i += 1
                continue
            code, size = decode_utf8(data, i)
            if code < 0x10000 and marks[code]:
                out[t] = True
                break
            i += size
    return out


@njit(cache=True, inline="always")
def _is_space(code):
    return code == 32 or code == 9 or code == 11 or code == 12 or 0x1C <= code <= 0x1F or code == 0xA0 \
        or code == 0x1680 or 0x2000 <= code <= 0x200A or code == 0x202F or code == 0x205F or code == 0x3000


@njit(cache=True, inline="always")
def _is_invisible(code):
    """Zero-width characters, and control characters (NUL, escape, ...: what is left of binary
    junk or a broken encoding, never text) but for the line breaks and spaces read before; C1
    controls are cp1252 punctuation by then (prep.text.repair), but for five it leaves undefined."""
    return code < 32 or 0x7F <= code <= 0x9F or code == 0xAD or 0x200B <= code <= 0x200D or code == 0x2060 \
        or code == 0xFEFF


@njit(cache=True)
def _split(data, spans, out, line_spans, line_doc, meta):
    """Write each non-blank, normalised line of each text into `out`, one after the other;
    returns the number of lines."""
    written = 0
    count = 0
    for t in range(spans.shape[0]):
        i, end = spans[t, 0], spans[t, 1]
        raw = 0                # line number in the text as given
        last_raw = -1          # of the last line written, -1 before the first
        start = written
        space = False          # a space is due before the next character
        while i <= end:
            if i < end and 0x21 <= data[i] <= 0x7E:  # printable ASCII, most of any text: copied as it is
                if space:
                    out[written] = 32
                    written += 1
                    space = False
                out[written] = data[i]
                written += 1
                i += 1
                continue
            if i < end:
                code, size = decode_utf8(data, i)
            else:
                code, size = 10, 1  # the end of the text ends its last line
            if code == 10 or code == 13 or code == 0x2028 or code == 0x2029:
                if written > start:
                    line_spans[count, 0] = start
                    line_spans[count, 1] = written
                    line_doc[count] = t
                    meta[count, 0] = 0 if last_raw < 0 else meta[count - 1, 0] + 1
                    meta[count, 1] = 1 if (last_raw >= 0 and raw - last_raw > 1) else 0
                    last_raw = raw
                    count += 1
                start = written
                space = False
                raw += 1
                if code == 13 and i + 1 < end and data[i + 1] == 10:
                    size = 2
            elif _is_space(code):
                space = written > start
            elif not _is_invisible(code):
                if space:
                    out[written] = 32
                    written += 1
                    space = False
                for j in range(size):
                    out[written] = data[i + j]
                    written += 1
            i += size
    return count


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
