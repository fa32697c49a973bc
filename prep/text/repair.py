"""Text as its source meant it: mojibake undone and control characters gone.

Scraped text often went through a wrong decoding upstream: UTF-8 read as cp1252 ("itâ€™s"
for "it’s"), or cp1252 read as Latin-1, which leaves C1 control characters ("don\\x92t").
ftfy (a well-kept library for exactly this) undoes both; it runs only on the lines where a
quick vectorised test finds a sign of it, because it costs far more than that test. HTML is
repaired before it is parsed too (clean/extract/records.py): the parser drops C1 controls, and
the mojibake they were part of can no longer be read after it. Then, in
a one-line field such as a title, the separators (tab, line breaks, U+001C to U+001F, which
Python reads as line breaks) are spaces, and every other control character (NUL, escape, ...)
and zero-width character is dropped; the text's own lines get the same treatment in
prep.clean.lines, whose compiled splitter reads separators as line breaks or spaces. Terminal
escape sequences go whole, payload and all, from texts and fields alike: ftfy removes CSI
sequences (`ESC [ ... m`), and OSC sequences (`ESC ] ... BEL` or `ESC ] ... ESC \\`, which set
window titles and hyperlinks) are removed here.
"""

from __future__ import annotations

import re

import ftfy
import polars as pl

# a C1 control, a terminal escape, "Â " (a no-break space's UTF-8 read as cp1252, the space
# then made plain), or a lead byte of UTF-8 (Â to ï) read as cp1252 or Latin-1 followed by what
# a continuation byte reads as there: where ftfy may have something to undo
SUSPECT = "[\x80-\x9f]|\x1b[\\[\\]]|\u00c2 |[\u00c2-\u00ef][\x80-\xbf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6" \
          "\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]"
# every character str.isspace() takes; spelt out, so that Python's and polars' (Rust's) regex
# engines read the class the same way
SPACES = "[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
# the other controls (U+0085 is a space), and the zero-width characters the text's lines drop
DROPPED = "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\xad\u200b-\u200d\u2060\ufeff]"

# only the encoding fixes: quotes, ligatures, widths, line breaks and control characters are
# prep's own business, the same for every text whether or not it looked suspect
_FIXES = ftfy.TextFixerConfig(unescape_html=False, fix_latin_ligatures=False, fix_character_width=False,
                              uncurl_quotes=False, fix_line_breaks=False, remove_control_chars=False,
                              normalization=None, explain=False)
_SUSPECT, _SPACES, _DROPPED = re.compile(SUSPECT), re.compile(SPACES + "+"), re.compile(DROPPED)
# an operating system command: ESC ], its payload, then BEL or ESC \ (string terminator)
_OSC = re.compile("\x1b\\][^\x07\x1b\n]*(?:\x07|\x1b\\\\)")


def repaired(text: str) -> str:
    """The text with its mojibake undone (ftfy) in the lines that show a sign of any: ftfy
    judges each line on its own anyway, and the others would cost it time for nothing."""
    if not _SUSPECT.search(text):
        return text
    text = _OSC.sub("", text)
    return "\n".join(ftfy.fix_text(line, _FIXES) if _SUSPECT.search(line) else line for line in text.split("\n"))


def repaired_texts(texts: pl.Series) -> pl.Series:
    """`repaired` of each text; a vectorised test picks the few that may need it."""
    suspect = texts.str.contains(SUSPECT).fill_null(False)
    if not suspect.any():
        return texts
    rows = suspect.arg_true()
    return texts.scatter(rows, [repaired(text) for text in texts.gather(rows)])


def one_line(text: str) -> str:
    """A field's text on one line: repaired, controls dropped, runs of spaces and separators
    as one space, stripped."""
    return _SPACES.sub(" ", _DROPPED.sub("", repaired(text))).strip(" ")
