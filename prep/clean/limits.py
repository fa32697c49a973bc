"""The document's size, checked last: text cut at limits.max_text_chars, documents left empty or
shorter than limits.min_words dropped (`empty`, `too_short`)."""

from __future__ import annotations

import numpy as np
import polars as pl

from prep.clean.lines import assemble
from prep.config import LimitsConfig
from prep.stage import Frames

RULE = "max_text_chars"


def cap_length(frames: Frames, limits: LimitsConfig) -> Frames:
    return Frames(frames.docs, _cap_length(frames.lines, limits.max_text_chars), frames.corpus)


def assemble_documents(frames: Frames, limits: LimitsConfig) -> Frames:
    """docs.text and docs.removed from the lines; docs.drop_reason `empty` or `too_short` where
    cleaning left no text, or fewer than limits.min_words words."""
    docs, texts = frames.docs, assemble(frames.lines)
    docs = (
        docs.join(texts, on="order", how="left")
        .with_columns(pl.col("text").fill_null(""), pl.col("words").fill_null(0),
                      pl.col("removed").fill_null(pl.lit([], dtype=texts.schema["removed"])))
        .with_columns(drop_reason=pl.when(pl.col("drop_reason").is_not_null()).then(pl.col("drop_reason"))
                      .when(pl.col("text") == "").then(pl.lit("empty"))
                      .when(pl.col("words") < limits.min_words).then(pl.lit("too_short"))
                      .otherwise(None))
        .drop("words")
        .sort("order")
    )
    return Frames(docs, frames.lines, frames.corpus)


def _cap_length(lines: pl.DataFrame, max_chars: int) -> pl.DataFrame:
    """Cut documents longer than max_chars: the line that crosses the limit is cut at a space
    (its rest recorded as removed), the lines after it removed; rule `max_text_chars`."""
    kept = np.flatnonzero(lines["rule"].is_null().to_numpy())
    if not len(kept):
        return lines
    orders = lines["order"].to_numpy()[kept]
    first = np.r_[True, orders[1:] != orders[:-1]]
    # characters each kept line adds to the assembled text: its separator ("\n" or "\n\n", none
    # for a document's first line) and itself
    separator = np.where(first, 0, np.where(lines["blank_before"].to_numpy()[kept], 2, 1))
    size = lines["chars"].to_numpy().astype(np.int64)[kept] + separator
    running = np.cumsum(size)
    starts = np.flatnonzero(first)
    end = running - np.repeat(running[starts] - size[starts], np.diff(np.r_[starts, len(kept)]))
    over = end > max_chars
    if not over.any():
        return lines
    crossing = over & (end - size + separator < max_chars)  # its separator fits, some of it too
    rule = lines["rule"].to_numpy().copy()
    rule[kept[over & ~crossing]] = RULE
    texts = lines["line"].to_list()
    rests: list[tuple[int, str]] = []
    for at in np.flatnonzero(crossing):
        i = kept[at]
        room = max_chars - int(end[at] - size[at] + separator[at])
        cut = texts[i].rfind(" ", 0, room + 1)
        head = texts[i][:cut if cut > 0 else room].rstrip()
        rests.append((i, texts[i][len(head):].strip()))
        texts[i] = head
    cut_lines = lines.with_columns(line=pl.Series(texts, dtype=pl.String),
                                   rule=pl.Series(rule.tolist(), dtype=pl.String))
    rests = [(i, rest) for i, rest in rests if rest]
    if not rests:
        return cut_lines
    remainders = (lines[[i for i, _ in rests]]
                  .with_columns(line=pl.Series([r for _, r in rests], dtype=pl.String),
                                rule=pl.lit(RULE), blank_before=pl.lit(False)))
    return pl.concat([cut_lines, remainders]).sort("order", "line_no", "rule", nulls_last=False,
                                                    maintain_order=True)
