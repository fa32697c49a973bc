"""The vectorised signatures must be datasketch.MinHash's, bit for bit."""

import numpy as np
import polars as pl
import pytest
from datasketch import MinHash

from prep.config import DedupConfig
from prep.dedup.features import compute_features
from prep.dedup.minhash import SCHEME, permutations, shingle_hash_of_tokens
from prep.dedup.tokens import tokens
from tests.dedup.helpers import docs_frame

TEXTS = [
    "The quick brown fox jumps over the lazy dog, again and again, until the dog wakes up.",
    "Short text",
    "",
    "東京都は日本の首都です。東京は大きい都市で、多くの人が住んでいます。",
    "กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย",
    "Zwei Wörter und noch ein paar mehr Wörter, damit es genug Schindeln gibt für den Test.",
    "repeat repeat repeat repeat repeat repeat repeat repeat",
]


def reference(text: str, config: DedupConfig) -> np.ndarray:
    """datasketch's own per-shingle loop over the same tokens."""
    tok = tokens(pl.Series([text]))
    words = tok["token"].to_list()
    width = config.char_ngram if (len(tok) and tok["char_tokens"][0]) else config.ngram
    width = min(width, len(words))
    m = MinHash(num_perm=config.num_perm, seed=config.seed, hashfunc=shingle_hash_of_tokens, scheme=SCHEME)
    for i in range(len(words) - width + 1 if words else 0):
        m.update(tuple(words[i:i + width]))
    return m.hashvalues


@pytest.mark.parametrize("num_perm,seed,ngram", [(128, 1, 5), (64, 7, 3), (256, 42, 1)])
def test_signatures_equal_datasketch(num_perm: int, seed: int, ngram: int):
    config = DedupConfig(num_perm=num_perm, seed=seed, ngram=ngram, bands=num_perm // 2)
    feats = compute_features(docs_frame(TEXTS), config)
    for i, text in enumerate(TEXTS):
        assert np.array_equal(feats.signatures[i], reference(text, config)), text


def test_permutations_are_datasketchs():
    a, b = permutations(128, 1)
    ref = MinHash(num_perm=128, seed=1, scheme=SCHEME).permutations
    assert np.array_equal(a, ref[0]) and np.array_equal(b, ref[1])


def test_scripts_without_spaces_use_character_tokens():
    tok = tokens(pl.Series(["東京は大きい", "Tokyo is big"]))
    first = tok.filter(pl.col("doc") == 0)
    assert first["char_tokens"].all() and first["token"].to_list() == list("東京は大きい")
    assert tok.filter(pl.col("doc") == 1)["token"].to_list() == ["tokyo", "is", "big"]


def test_shingle_counts_are_distinct_shingles():
    feats = compute_features(docs_frame(["a b c d e f", "x x x x x x x x"]), DedupConfig(ngram=2, bands=64))
    assert feats.meta["shingles"].to_list() == [5, 1]
