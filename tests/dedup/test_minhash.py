"""The compiled text-to-signature path must give datasketch.MinHash's signatures, bit for bit."""

import numpy as np
import polars as pl
import pytest
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.config import DedupConfig
from prep.dedup.features import PROSE, compute_features
from prep.dedup.signatures import SCHEME, Prose, permutations, text_signatures
from tests.dedup.helpers import (
    datasketch_minhash,
    docs_frame,
    fold,
    reference_tokens,
    sentences,
    shingle_hash_of_tokens,
)

TEXTS = [
    "The quick brown fox jumps over the lazy dog, again and again, until the dog wakes up.",
    "Short text",
    "",
    "東京都は日本の首都です。東京は大きい都市で、多くの人が住んでいます。",
    "กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย",
    "Zwei Wörter und noch ein paar mehr Wörter, damit es genug Schindeln gibt für den Test.",
    "repeat repeat repeat repeat repeat repeat repeat repeat",
    "ＦＵＬＬＷＩＤＴＨ letters and the ﬁ ligature, emoji 🙂 between, naïve café, नमस्ते दुनिया",
    "ÉCOLE Ὀδυσσεύς ПРИВЕТ Straße İstanbul DŽungla",
]


@pytest.mark.parametrize("num_perm,seed,ngram", [(128, 1, 5), (64, 7, 3), (256, 42, 1)])
def test_signatures_equal_datasketch(num_perm: int, seed: int, ngram: int):
    config = DedupConfig(num_perm=num_perm, seed=seed, ngram=ngram, bands=num_perm // 2)
    feats = compute_features(docs_frame(TEXTS), config)
    for i, text in enumerate(TEXTS):
        assert np.array_equal(feats.signatures[i], datasketch_minhash(text, config).hashvalues), text


def test_token_hashes_equal_the_reference():
    sigs, _, _ = text_signatures(pl.Series(["alpha beta gamma"]), 1, 1, 16, 1)
    reference = MinHash(num_perm=16, seed=1, hashfunc=shingle_hash_of_tokens, scheme=SCHEME)
    for token in ["alpha", "beta", "gamma"]:
        reference.update((token,))
    ref = reference.hashvalues
    assert np.array_equal(sigs[0], ref)


def test_permutations_are_datasketchs():
    a, b = permutations(128, 1)
    ref = MinHash(num_perm=128, seed=1, scheme=SCHEME).permutations
    assert np.array_equal(a, ref[0]) and np.array_equal(b, ref[1])


def test_tokens_split_on_punctuation_and_keep_marks():
    assert reference_tokens("naïve, café—it's नमस्ते!") == ["naïve", "café", "it", "s", "नमस्ते"]
    assert reference_tokens("東京は big 町") == ["東", "京", "は", "big", "町"]


def test_folding_lowercases_and_normalises_compatibility_forms():
    assert fold("ＦＵＬＬ ﬁne Straße ÉTÉ") == "full fine straße été"


def test_compatibility_forms_give_the_plain_forms_signature():
    sigs, sizes, keys = text_signatures(pl.Series(["ＦＵＬＬ ﬁne words here", "full fine words here"]), 2, 5, 32, 1)
    assert np.array_equal(sigs[0], sigs[1]) and sizes[0] == sizes[1] and (keys[0] == keys[1]).all()


def test_shingle_counts_are_distinct_shingles():
    feats = compute_features(docs_frame(["a b c d e f", "x x x x x x x x"]), DedupConfig(ngram=2, bands=64))
    assert feats.meta["shingles"].to_list() == [5, 1]


def test_exact_key_ignores_case_punctuation_and_spacing_only():
    feats = compute_features(docs_frame(["He said: “Yes!”  Then left.", "he said yes then left",
                                         "He said yes then right"]), DedupConfig())
    keys = feats.meta["exact_key"].to_list()
    assert keys[0] == keys[1] != keys[2]
    assert all(len(k) == 32 for k in keys)


_piece = st.sampled_from(["word", "Word", "longer", "x" * 30, ".", "!", "?", "…", "。", "！", "？", '"', "'", "”", "’",
                          "»", ")", "]", "」", "』", " ", "  ", "\t", "\u00a0", "\u3000", "\u2028", "\r", "東京", "ﬁ",
                          "ＦＵＬＬ", "é", "🙂", "-", ",", "\u200b"])
_line = st.lists(_piece, max_size=40).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_line, max_size=12).map("\n".join), min_size=1, max_size=6))
def test_prose_found_while_tokenising_is_the_prose_rules_own(texts):
    """The kernel's prose lines (found as it tokenises) are those Prose.of picks as text."""
    series = pl.Series(texts, dtype=pl.String)
    rule = Prose(min_chars=8, long_chars=30, min_words=4)  # small, so that every branch is taken
    found = text_signatures(series, 2, 3, 16, 1, signed=rule)
    reference = text_signatures(series, 2, 3, 16, 1, signed=rule.of(series))
    for got, expected in zip(found, reference, strict=True):
        assert np.array_equal(got, expected)


def test_the_run_signs_the_prose_of_its_documents():
    story = "Headline\n\n" + "\n\n".join(sentences(3, 8)) + "\nMenu\nShare this story on Facebook and Twitter now."
    feats = compute_features(docs_frame([story]), DedupConfig())
    sigs, _, _ = text_signatures(pl.Series([story]), 3, 5, 256, 1, signed=PROSE.of(pl.Series([story])))
    assert np.array_equal(feats.signatures, sigs)
