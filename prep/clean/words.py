"""Content words of lines: what the cohesion measures compare."""

from __future__ import annotations

import polars as pl

# Function words of English; lines in other languages simply keep theirs, which only makes
# the cohesion tests more lenient (more shared words), never harsher.
STOPWORDS = sorted(set("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few first for from
further had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself new no nor not now of off on once one only or other our ours
ourselves out over own said same say says she should so some such than that the their theirs
them themselves then there these they this those through to too two under until up very was we
were what when where which while who whom why will with would you your yours yourself yourselves
""".split()))


def content_words(lines: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Unique (keys..., word) rows: lowercased words of 3+ letters, not function words,
    with a plural or possessive 's' taken off so 'attacks' meets 'attack'."""
    return (
        lines.lazy()
        .select(*keys, word=pl.col("line").str.to_lowercase().str.extract_all(r"\p{L}[\p{L}\p{N}]+"))
        .explode("word")
        .filter(pl.col("word").str.len_chars() >= 3, ~pl.col("word").is_in(STOPWORDS))
        .with_columns(word=pl.col("word").str.replace(r"([^s])s$", "$1"))
        .unique()
        .collect()
    )
