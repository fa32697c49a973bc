"""Documents to what MinHash and the exact key are computed from: lowercased, NFKC-folded text.

Copies differing only in case, compatibility forms (full-width letters, ligatures),
punctuation, quotes, dashes or spacing give the same tokens (prep/textscan.py splits on
everything but letters, digits and marks). Scripts written without spaces between words
(Chinese, Japanese, Thai, ...) are tokenised into characters.
"""

from __future__ import annotations

import polars as pl

NO_SPACE_SHARE = 0.3  # of a text's letters, above which it is shingled by characters
# Characters NFKC changes in ways that matter for words: ligatures, full- and half-width
# forms, super- and subscripts, enclosed and letterlike symbols. Texts without any (nearly all,
# and cleaned text is already NFC) skip the costly normalisation.
_COMPATIBILITY = (r"[\x{00AA}\x{00B2}\x{00B3}\x{00B9}\x{00BA}\x{00BC}-\x{00BE}\x{2070}-\x{209F}"
                  r"\x{2100}-\x{214F}\x{2460}-\x{24FF}\x{3300}-\x{33FF}\x{FB00}-\x{FB4F}\x{FF00}-\x{FFEF}]")


def folded(texts: pl.Series) -> pl.Series:
    """Lowercased texts, NFKC-normalised where they hold compatibility characters."""
    texts = texts.fill_null("")
    needs = texts.str.contains(_COMPATIBILITY)
    if needs.any():
        texts = texts.scatter(needs.arg_true(), texts.filter(needs).str.normalize("NFKC"))
    return texts.str.to_lowercase()
