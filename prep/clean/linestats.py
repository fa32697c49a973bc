"""What every stage asks of a line's shape, measured once per line in one compiled pass.

Words, capitalised words, letters, digits, how the line ends, whether it is a list item:
rules, the title test, the headline detector and the chrome model all look at these. Asked
of polars one regular expression at a time they would cost a pass over every line each; the
kernel below reads each line's bytes once (see prep/textscan.py for why it is compiled).
"""

from __future__ import annotations

import unicodedata
from functools import cache

import numpy as np
import polars as pl
from numba import njit

from prep.text.tokens import FNV_OFFSET, FNV_PRIME, decode_utf8, hash_code, lower_table, utf8_buffer

# columns of the stats array, and their names as frame columns
STATS = ("words", "chars", "letters", "upper", "digits", "cap_words", "flags")
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

# bits of the code point table; the four highest equal their `flags` bits on purpose
_UPPER, _LOWER, _DIGIT, _LETTER, _CLOSER, _OPENER, _BULLET = 1, 2, 4, 8, 16, 32, 64
_TABLE_FLAGS = SEPARATORS | PARENTHESIS | CURRENCY | EMOJI


@cache
def _table() -> np.ndarray:
    """Bits of every code point of the Basic Multilingual Plane."""
    table = np.zeros(0x10000, dtype=np.uint16)
    for code in range(0x10000):
        category = unicodedata.category(chr(code))
        if category in ("Lu", "Lt"):
            table[code] = _UPPER | _LETTER
        elif category[0] == "L":
            table[code] = (_LOWER if category == "Ll" else 0) | _LETTER
        elif category[0] == "N":
            table[code] = _DIGIT
    for chars, bit in (("\"'”’»)]", _CLOSER), ("\"'“‘(", _OPENER), ("-*•·▪►–—", _BULLET),
                       ("|•·»›▸►→←", SEPARATORS), ("()", PARENTHESIS), ("$€£¥%", CURRENCY)):
        for ch in chars:
            table[ord(ch)] |= bit
    table[0x2600:0x27C0] |= EMOJI
    return table


def line_stats(lines: pl.Series) -> pl.DataFrame:
    """One row per line: the STATS columns (Int32) and `key` (see `measure`)."""
    return measure(*utf8_buffer(lines))


def measure(data: np.ndarray, spans: np.ndarray) -> pl.DataFrame:
    """STATS (Int32) and `key` (UInt64) of the lines data[spans[i, 0]:spans[i, 1]].

    `key` identifies a line up to case and digits ('© 2024' and '© 2025' share it): the
    FNV-1a hash of its lowercased text with every run of digits read as one '0'."""
    out = np.zeros((len(spans), len(STATS)), dtype=np.int32)
    keys = np.zeros(len(spans), dtype=np.uint64)
    _stats(data, spans, _table(), lower_table(), out, keys)
    return pl.DataFrame({**{name: out[:, i] for i, name in enumerate(STATS)}, "key": keys})


def has(flag: int) -> pl.Expr:
    return (pl.col("flags") & flag) != 0


@njit(cache=True, inline="always")
def _bits(code, table):
    if code < 0x10000:
        return table[code]
    if 0x1F300 <= code <= 0x1FAFF:
        return np.uint16(EMOJI)
    return np.uint16(_LETTER)  # other code points beyond the BMP: letters of rarer scripts


@njit(cache=True)
def _stats(data, spans, table, lower_case, out, keys):
    prime = np.uint64(FNV_PRIME)
    for t in range(spans.shape[0]):
        start, end = spans[t, 0], spans[t, 1]
        key = np.uint64(FNV_OFFSET)
        in_digits = False
        if start == end:
            keys[t] = key
            continue
        words = chars = letters = upper = lower = digits = cap_words = flags = 0
        in_word = False
        word_started = False  # the current word has met its first letter or digit
        first = second = third = -1
        first_bits = 0
        last_significant = -1
        previous = -1
        i = start
        while i < end:
            if data[i] < 0x80:  # ASCII, most of any text: no decoding, lowercased by arithmetic
                code, size = np.int64(data[i]), 1
                lowered = code + 32 if 65 <= code <= 90 else code
                bits = table[code]
            else:
                code, size = decode_utf8(data, i)
                lowered = lower_case[code] if code < 0x10000 else code
                bits = _bits(code, table)
            flags |= bits & _TABLE_FLAGS
            chars += 1
            if chars <= 3:
                if chars == 1:
                    first = code
                    first_bits = bits
                elif chars == 2:
                    second = code
                else:
                    third = code
            if code == 32:
                in_word = False
                if previous == 58 and i - start >= 2:
                    flags |= INNER_COLON
            else:
                if not in_word:
                    words += 1
                    in_word = True
                    word_started = False
                if not word_started and (bits & (_LETTER | _DIGIT)):
                    word_started = True
                    if bits & (_UPPER | _DIGIT):
                        cap_words += 1
            if bits & _LETTER:
                letters += 1
                if bits & _UPPER:
                    upper += 1
                elif bits & _LOWER:
                    lower += 1
            elif bits & _DIGIT:
                digits += 1
            if not (bits & _CLOSER):
                last_significant = code
            if bits & _DIGIT:
                if not in_digits:
                    key = (key ^ np.uint64(48)) * prime
                in_digits = True
            else:
                in_digits = False
                key = hash_code(key, lowered, prime)
            previous = code
            i += size
        if last_significant == 46 or last_significant == 33 or last_significant == 63 or last_significant == 0x2026:
            flags |= ENDS_SENTENCE
        if last_significant == 46 or last_significant == 58 or last_significant == 59 or last_significant == 44 \
                or last_significant == 0x2026:
            flags |= ENDS_STATEMENT
        if last_significant == 58:
            flags |= ENDS_COLON
        if last_significant == 63:
            flags |= ENDS_QUESTION
        # a capital (or digit) first, after at most one opening quote or bracket
        lead = second if (first_bits & _OPENER) else first
        if lead >= 0 and (_bits(lead, table) & (_UPPER | _DIGIT)):
            flags |= CAPITAL_START
        if ((first_bits & _BULLET) and second == 32) \
                or (48 <= first <= 57 and _list_number(data, start, end)) \
                or (first == 40 and 97 <= second <= 122 and third == 41) \
                or (97 <= first <= 122 and second == 41):
            flags |= LIST_ITEM
        if letters >= 2 and lower == 0:
            flags |= ALL_CAPS
        out[t, 0] = words
        out[t, 1] = chars
        out[t, 2] = letters
        out[t, 3] = upper
        out[t, 4] = digits
        out[t, 5] = cap_words
        out[t, 6] = flags
        keys[t] = key


@njit(cache=True)
def _list_number(data, start, end):
    """`\\d{1,3}[.)] ` at the start of data[start:end]."""
    i = start
    while i < end and i - start < 3 and 48 <= data[i] <= 57:
        i += 1
    return i + 1 < end and (data[i] == 46 or data[i] == 41) and data[i + 1] == 32
