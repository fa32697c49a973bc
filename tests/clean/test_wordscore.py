import numpy as np
import polars as pl

from prep.clean.chrome.wordscore import MAX_TOKENS, line_words, weight_table, word_scores

LINES = ["Privacy Policy", "Sign up for our NEWSLETTER today", "", "Ünïcode Words and 東京 too, again words",
         " ".join(f"w{i}" for i in range(30)), "Home Home home"]


def test_words_are_lowercased_first_tokens_with_the_first_marked():
    assert line_words("Sign up, NOW!") == ["w:sign", "w:up", "w:now", "first:sign"]
    assert line_words("Home Home home") == ["w:home", "first:home"]
    assert len([w for w in line_words(LINES[4]) if w.startswith("w:")]) == MAX_TOKENS


def test_kernel_scores_equal_the_reference():
    vocabulary = sorted({w for line in LINES for w in line_words(line)})
    rng = np.random.default_rng(0)
    weights = dict(zip(vocabulary, rng.normal(size=len(vocabulary)).round(3), strict=True))
    got = word_scores(pl.Series(LINES), weight_table(weights), bias=-1.5)
    expected = [-1.5 + sum(weights[w] for w in line_words(line)) for line in LINES]
    assert np.allclose(got, expected)


def test_unknown_words_weigh_nothing():
    got = word_scores(pl.Series(["never seen words"]), weight_table({"w:other": 2.0}), bias=0.25)
    assert got.tolist() == [0.25]
