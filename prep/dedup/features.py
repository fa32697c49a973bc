"""The map side of dedup: per shard, what the global grouping needs to know of each document.

For each document: an exact key (hash of its whole token sequence), a MinHash signature of its
prose and the signature's LSH band keys (lsh.py). The reduce (groups.py) reads these back from
the work directory (store.py).

Why the prose: chrome that cleaning missed (a site's menu and footer, its lists of related
headlines) is the same on every page of the site, so two different stories of one site that
both kept it share those lines and can look like near-duplicates at the low similarity
syndication needs. Chrome is made of labels and headlines; an article of sentences. So a
document is signed by its prose lines (ending like a sentence and PROSE_MIN_CHARS long, or
LONG_LINE_CHARS long whatever their end), and by its whole text only when it has too little
prose (fewer than PROSE_MIN_WORDS words) for a signature to mean anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from prep.config import DedupConfig
from prep.dedup.lsh import band_keys
from prep.dedup.signatures import HASH_SCHEME, SCHEME, Prose, text_signatures

# the parameters two runs' signatures must share to be compared (band keys are recomputed)
COMPARABLE = ("num_perm", "seed", "ngram", "char_ngram", "scheme", "hash", "view")
VIEW = "prose-lines-v1"  # what of a document is signed; a change to PROSE changes it
PROSE_MIN_CHARS = 40
LONG_LINE_CHARS = 150
PROSE_MIN_WORDS = 60
PROSE = Prose(min_chars=PROSE_MIN_CHARS, long_chars=LONG_LINE_CHARS, min_words=PROSE_MIN_WORDS)


@dataclass
class Features:
    meta: pl.DataFrame       # order, doc_id, exact_key, text_len, published, shingles
    signatures: np.ndarray   # uint32[docs, num_perm], rows aligned with meta
    bands: np.ndarray        # uint64[bands, docs]: one row per band, for band-at-a-time reduce


def compute_features(docs: pl.DataFrame, config: DedupConfig) -> Features:
    """`docs` holds order, doc_id, text, published of the documents that reach dedup."""
    sigs, sizes, keys = text_signatures(docs["text"], config.ngram, config.char_ngram, config.num_perm, config.seed,
                                        signed=PROSE)
    exact = [f"{hi:016x}{lo:016x}" for hi, lo in keys.tolist()]
    meta = docs.select("order", "doc_id", exact_key=pl.Series(exact, dtype=pl.String),
                       text_len=pl.col("text").str.len_chars().cast(pl.Int64), published="published")
    return Features(meta.with_columns(shingles=pl.Series(sizes)), sigs, band_keys(sigs, config.bands))


def signature_params(config: DedupConfig) -> dict:
    """How signatures were made: what a later run checks before comparing its own with them."""
    return {"num_perm": config.num_perm, "seed": config.seed, "ngram": config.ngram,
            "char_ngram": config.char_ngram, "scheme": SCHEME, "hash": HASH_SCHEME, "view": VIEW,
            "bands": config.bands}
