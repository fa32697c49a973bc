"""Language identification: `language` and `language_score` for every document, and the keep rule.

    language(docs, section: LanguageConfig) -> docs

Reads `text` and `drop_reason` (documents already dropped are not identified: null language);
adds `language` (ISO 639-1 code; 'und' when no language could be determined: no letters, or
a script CLD2 does not know) and `language_score` (0-1, see `detect`), and drops documents
whose language is not in `section.keep` (when it is not empty) or whose score is below
`section.min_score`: drop_reason 'language', drop_detail e.g. 'ru 0.98' (the language and its score).

The detector is CLD2 (pycld2, Apache-2.0; its model is compiled into the wheel, it runs offline):
among the libraries compared by tests/benchmarks/language_bench.py it is the fastest by far at
an accuracy like fastText's on documents of a few hundred characters; docs/filters.md has the
figures. It reads the first `section.sample_chars` characters of each text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from prep.config import LanguageConfig

UNDETERMINED = "und"
# CLD2 codes that are not ISO 639-1, or name a script variant
_CODES = {"iw": "he", "jw": "jv", "zh-Hant": "zh", "sr-ME": "sr", "xxx": UNDETERMINED, "un": UNDETERMINED}
# characters CLD2 refuses ('invalid UTF-8'): C0 controls but tab and newlines, DEL and C1 controls
_REFUSED = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"


def detect(texts: pl.Series, sample_chars: int = 300) -> pl.DataFrame:
    """language, language_score of each text (null text: 'und', 0).

    language is the first language CLD2 names (it ranks up to three); language_score is the share
    of the sample's text that CLD2 assigns to it (its 'percent'), halved when CLD2 reports the
    result as unreliable (too little text, or languages it cannot tell apart there): a clear page
    of one language scores 0.95-0.99, a page half of which CLD2 cannot read much less."""
    import pycld2

    samples = texts.fill_null("").str.slice(0, sample_chars).str.replace_all(_REFUSED, " ").to_list()
    languages, scores = [], []
    detect_one = pycld2.detect
    for sample in samples:
        try:
            reliable, _, details = detect_one(sample, bestEffort=True)
        except pycld2.error:  # still refused: take the letters alone
            reliable, _, details = detect_one(_letters(sample), bestEffort=True)
        # the first language CLD2 names ('un' leads when most of the sample is not scored, e.g. a
        # Russian manual page's options and capitalised headings)
        code, percent = UNDETERMINED, 0
        for _, found, share, _ in details:
            found = _CODES.get(found, found)
            if found != UNDETERMINED and not found.startswith("xx-"):
                code, percent = found, share
                break
        languages.append(code)
        scores.append(0.0 if code == UNDETERMINED else percent / (100 if reliable else 200))
    return pl.DataFrame({"language": languages, "language_score": scores},
                        schema={"language": pl.String, "language_score": pl.Float64})


def _letters(text: str) -> str:
    return re.sub(r"[^\w\s]", " ", text)


def language(docs: pl.DataFrame, section: LanguageConfig) -> pl.DataFrame:
    """Identify the language of the documents still kept and apply the keep rule (module doc)."""
    if not section.enabled:
        return docs
    if "drop_reason" not in docs.columns:
        docs = docs.with_columns(pl.lit(None, dtype=pl.String).alias("drop_reason"))
    if "drop_detail" not in docs.columns:
        docs = docs.with_columns(pl.lit(None, dtype=pl.String).alias("drop_detail"))
    judged = docs["drop_reason"].is_null()
    found = detect(docs["text"].filter(judged), section.sample_chars)
    rows = judged.arg_true()
    docs = docs.with_columns(
        pl.Series("language", [None] * docs.height, dtype=pl.String).scatter(rows, found["language"]),
        pl.Series("language_score", [None] * docs.height, dtype=pl.Float64).scatter(rows, found["language_score"]))
    drop = pl.col("drop_reason").is_null() & pl.col("language").is_not_null() & _rejected(section)
    return docs.with_columns(
        pl.when(drop).then(pl.lit("language")).otherwise(pl.col("drop_reason")).alias("drop_reason"),
        pl.when(drop).then(pl.format("{} {}", pl.col("language"), pl.col("language_score").round(2)))
        .otherwise(pl.col("drop_detail")).alias("drop_detail"))


def _rejected(section: LanguageConfig) -> pl.Expr:
    rejected = pl.lit(False)
    if section.keep:
        rejected = rejected | ~pl.col("language").is_in(section.keep)
    if section.min_score > 0:
        rejected = rejected | (pl.col("language_score") < section.min_score)
    return rejected
