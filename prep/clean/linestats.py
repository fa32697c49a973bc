"""What every stage asks of a line's shape, measured once per line.

Words, capitalised words, capitals, digits, how the line ends, whether it is a list item:
rules, the title test, the headline detector and the chrome model all look at these, as
columns of the line frame (and `flags`, bits tested with `has`).
"""

from __future__ import annotations

import polars as pl

# columns measured, besides `key`
STATS = ("words", "chars", "upper", "digits", "cap_words", "flags")
# bits of `flags`
ENDS_SENTENCE = 1       # . ! ? … (then closing quotes or brackets)
ENDS_STATEMENT = 2      # . : ; , …
ENDS_COLON = 4
ENDS_QUESTION = 8
CAPITAL_START = 16      # first letter or digit (after opening quotes/brackets) is a capital or digit
LIST_ITEM = 32          # "- ", "* ", "• ", "1. ", "2) ", "(a) " ...
ALL_CAPS = 64           # two or more letters, none lowercase
SEPARATORS = 128        # | • · » › ▸ ► → ←
PARENTHESIS = 256
CURRENCY = 512          # $ € £ ¥ %
EMOJI = 1024
INNER_COLON = 2048      # "label: value"

SHAPE_WORDS = 60  # lines longer than this are paragraphs: no stage judges their finer shape

_CLOSERS = "\"'”’»)\\]"
# each bit of `flags` and the pattern a line must match for it: measured on every line ...
_EVERY_LINE = {
    ENDS_SENTENCE: f"[.!?…][{_CLOSERS}]*$",
    ENDS_STATEMENT: f"[.:;,…][{_CLOSERS}]*$",
    ENDS_COLON: f":[{_CLOSERS}]*$",
    ENDS_QUESTION: f"\\?[{_CLOSERS}]*$",
    LIST_ITEM: "^(?:[-*•·▪►–—] |[0-9]{1,3}[.)] |\\([a-z]\\)|[a-z]\\))",
    SEPARATORS: "[|•·»›▸►→←]",
}
# ... and on lines of at most SHAPE_WORDS words (EMOJI and INNER_COLON: see _rare_flags)
_SHORT_LINES = {
    CAPITAL_START: "^[\"'“‘(]?[\\p{Lu}\\p{Lt}\\p{N}]",
    PARENTHESIS: "[()]",
    CURRENCY: "[$€£¥%]",
}
EMOJI_CHARS = "[\u2600-\u27bf\U0001F300-\U0001FAFF]"


def measure(lines: pl.Series, unusual: pl.Series | None = None) -> pl.DataFrame:
    """STATS (Int32) and `key` (UInt64) of each line (non-blank, spaces folded, stripped).

    Every line has its words, characters, key, ending, list mark and separators measured; the
    finer shape (capitals, digits, the other flags) only lines of at most SHAPE_WORDS words,
    the ones stages judge by their shape: 0 for longer lines, which are paragraphs, and hold
    most of a text's characters. `unusual` (prep.clean.lines.UNUSUAL) marks the lines that may
    hold an emoji; without it, every line may.

    `key` identifies a line up to case and digits ('© 2024' and '© 2025' share it): a hash of its
    lowercased text with every run of digits read as one '0'. Keys are compared within a run
    only, so any stable 64-bit hash does."""
    line = pl.col("line")
    digits = lines.str.count_matches(r"\p{N}")  # lowercasing keeps every digit a digit, adds none
    frame = pl.DataFrame({"line": lines}).with_columns(
        words=line.str.count_matches(" ", literal=True) + 1,
        chars=line.str.len_chars(),
        key=_digits_folded(lines.str.to_lowercase(), digits).hash(),
        flags=_flags(_EVERY_LINE),
    )
    short = (frame["words"] <= SHAPE_WORDS).arg_true()
    short_lines = lines.gather(short)
    shape = frame[short].select(
        upper=line.str.count_matches("[\\p{Lu}\\p{Lt}]"),
        cap_words=line.str.count_matches(r"(?:^| )[^ \p{L}\p{N}]*[\p{Lu}\p{Lt}\p{N}]"),
        flags=_flags(_SHORT_LINES) + pl.when(line.str.contains(r"\p{L}.*\p{L}") & ~line.str.contains(r"\p{Ll}"))
        .then(ALL_CAPS).otherwise(0)
        + _rare_flags(short_lines, unusual.gather(short) if unusual is not None else None),
    )
    def on_short_lines(values: pl.Series) -> pl.Series:  # a new series each: scatter writes in place
        return pl.zeros(frame.height, dtype=pl.Int64, eager=True).scatter(short, values)

    return pl.DataFrame({
        "words": frame["words"], "chars": frame["chars"],
        "upper": on_short_lines(shape["upper"]),
        "digits": on_short_lines(digits.gather(short)),
        "cap_words": on_short_lines(shape["cap_words"]),
        "flags": frame["flags"].cast(pl.Int64).scatter(short, frame["flags"].gather(short) + shape["flags"]),
        "key": frame["key"],
    }).cast({name: pl.Int32 for name in STATS})


def _digits_folded(lines: pl.Series, digits: pl.Series) -> pl.Series:
    """Each run of digits as one '0', in the lines that have digits (most have none)."""
    with_digits = (digits > 0).arg_true()
    return lines.scatter(with_digits, lines.gather(with_digits).str.replace_all(r"\p{N}+", "0"))


def _rare_flags(lines: pl.Series, unusual: pl.Series | None) -> pl.Series:
    """EMOJI and INNER_COLON of each line, each found by the cheapest search that gives the same
    answer: an emoji only in the lines that may hold one; a colon and a space after the line's
    first character (regex `.: `) by a plain search for ': ', checked again in the lines that
    start with it."""
    rows = unusual.arg_true() if unusual is not None else pl.int_range(len(lines), eager=True)
    emoji = pl.zeros(len(lines), dtype=pl.Boolean, eager=True).scatter(
        rows, lines.gather(rows).str.contains(EMOJI_CHARS))
    colon = lines.str.contains(": ", literal=True)
    leading = (colon & lines.str.starts_with(": ")).arg_true()
    colon = colon.scatter(leading, lines.gather(leading).str.slice(1).str.contains(": ", literal=True))
    return emoji.cast(pl.Int64) * EMOJI + colon.cast(pl.Int64) * INNER_COLON


def _flags(patterns: dict[int, str]) -> pl.Expr:
    line = pl.col("line")
    return pl.sum_horizontal(pl.when(line.str.contains(pattern)).then(bit).otherwise(0)
                             for bit, pattern in patterns.items())


def has(flag: int) -> pl.Expr:
    return (pl.col("flags") & flag) != 0
