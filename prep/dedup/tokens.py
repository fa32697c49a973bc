"""Documents to token hashes, the input of MinHash.

Text is compared after a normalisation that makes copies differing only in case, quotes,
dashes or whitespace identical. Scripts written without spaces between words (Chinese,
Japanese, Thai, ...) are tokenised into characters, everything else into words; shingles
are then runs of consecutive tokens (see minhash.py).
"""

from __future__ import annotations

import numpy as np
import polars as pl
import xxhash

_NO_SPACE_SCRIPTS = r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Tibetan}]"
NO_SPACE_SHARE = 0.3  # of a text's letters, above which it is tokenised into characters


def normalized(text: pl.Expr) -> pl.Expr:
    """Case, compatibility forms, quotes, dashes and whitespace folded away."""
    return (
        text.str.normalize("NFKC").str.to_lowercase()
        .str.replace_all(r"[‘’‚‛′`´]", "'")
        .str.replace_all(r"[“”„‟″«»]", '"')
        .str.replace_all(r"[‐‑‒–—―−]", "-")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )


def tokens(texts: pl.Series, *, is_normalized: bool = False) -> pl.DataFrame:
    """(doc, token, char_tokens) rows: tokens of each text in order; `doc` is the row number.

    Pass `is_normalized=True` for texts already through `normalized`, to skip doing it twice.
    """
    frame = pl.DataFrame({"text": texts}).with_row_index("doc")
    if not is_normalized:
        frame = frame.with_columns(text=normalized(pl.col("text")))
    letters = pl.col("text").str.count_matches(r"[\p{L}\p{N}]")
    no_space = pl.col("text").str.count_matches(_NO_SPACE_SCRIPTS)
    return (
        frame.with_columns(char_tokens=(no_space > NO_SPACE_SHARE * letters) & (no_space > 0))
        .select("doc", "char_tokens",
                token=pl.when(pl.col("char_tokens"))
                .then(pl.col("text").str.extract_all(r"[\p{L}\p{N}]"))
                .otherwise(pl.col("text").str.extract_all(r"[\p{L}\p{N}]+")))
        .explode("token")
        .drop_nulls("token")
    )


def token_hash(token: str) -> int:
    """64-bit hash of one token; the reference the vectorised path must match."""
    return xxhash.xxh3_64_intdigest(token.encode("utf-8"))


def hash_tokens(column: pl.Series) -> np.ndarray:
    """Hash a column of tokens, each distinct token once."""
    distinct = column.unique()
    hashes = pl.Series(np.fromiter((token_hash(t) for t in distinct), dtype=np.uint64, count=len(distinct)))
    lookup = pl.DataFrame({"token": distinct, "hash": hashes})
    return pl.DataFrame({"token": column}).join(lookup, on="token", how="left",
                                                maintain_order="left")["hash"].to_numpy()
