"""Control characters in input text, which a training corpus never wants.

C1 controls (U+0080 to U+009F) in text nearly always stand for the cp1252 punctuation of a
page decoded as Latin-1 somewhere upstream ("don\\x92t" for "don’t"): they become that
punctuation. The separators (tab, line breaks, U+001C to U+001F, which Python reads as line
breaks) are spaces in a one-line field such as a title; every other control character (NUL,
escape, the C1 codes cp1252 leaves undefined) is dropped. The text's lines get the same
treatment in prep.clean.lines, whose compiled splitter reads separators as breaks or spaces.
"""

from __future__ import annotations

import re

import polars as pl

C1 = "[\x80-\x9f]"
# every character str.isspace() takes; spelt out, so that Python's and polars' (Rust's) regex
# engines read the class the same way
SPACES = ("[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
DROPPED = "[\x00-\x08\x0e-\x1b\x7f-\x9f]"  # after C1 became cp1252: the codes it leaves undefined

_C1_AS_CP1252 = {code: bytes([code]).decode("cp1252") for code in range(0x80, 0xA0)
                 if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
_C1, _SPACES, _DROPPED = re.compile(C1), re.compile(SPACES + "+"), re.compile(DROPPED)


def cp1252_punctuation(text: str) -> str:
    """C1 controls as the cp1252 characters they stand for."""
    return text.translate(_C1_AS_CP1252) if _C1.search(text) else text


def texts_with_cp1252_punctuation(texts: pl.Series) -> pl.Series:
    """`cp1252_punctuation` of the texts that have C1 controls (few: the rest are left as they are)."""
    needs = texts.str.contains(C1).fill_null(False)
    if not needs.any():
        return texts
    rows = needs.arg_true()
    return texts.scatter(rows, [cp1252_punctuation(text) for text in texts.gather(rows)])


def one_line(text: str) -> str:
    """A field's text on one line: C1 as cp1252, other controls dropped, runs of spaces and
    separators as one space, stripped."""
    return _SPACES.sub(" ", _DROPPED.sub("", cp1252_punctuation(text))).strip(" ")
