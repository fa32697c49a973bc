"""Each signal against values computed by hand (the arithmetic is in the comments).

Tokens are spaCy's English tokens as datatrove counts them; every expected token list here was
also checked against datatrove's own `split_into_words` when the test was written.
"""

from __future__ import annotations

import polars as pl
import pytest

from prep.filter.signals import signals, tokens
from prep.schema import SIGNAL_DOCS, SIGNALS_DTYPE


def measure(text: str) -> dict:
    return signals(pl.DataFrame({"text": [text]}))["signals"][0]


def test_every_signal_has_a_doc_with_its_source():
    assert set(SIGNAL_DOCS) == set(SIGNALS_DTYPE.to_schema())
    for name, doc in SIGNAL_DOCS.items():
        if name not in ("chars", "tokens", "lines"):
            assert any(source in doc for source in ("Gopher", "C4", "FineWeb")), name


def test_empty_text_measures_nothing():
    s = measure("")
    assert s["chars"] == s["tokens"] == s["lines"] == s["gopher_words"] == 0
    assert s["gopher_mean_word_length"] == 0.0
    assert s["gopher_alpha_words_ratio"] == 0.0
    assert s["dup_line_frac"] == s["top_2gram_char_frac"] == s["dup_5gram_char_frac"] == 0.0
    assert s["c4_sentences"] == s["c4_lines_kept"] == 0
    assert s["fineweb_line_punct_ratio"] == s["fineweb_list_ratio"] == 0.0


def test_one_word():
    s = measure("Hello")
    assert (s["chars"], s["tokens"], s["lines"], s["gopher_words"]) == (5, 1, 1, 1)
    assert s["gopher_mean_word_length"] == 5.0
    assert s["gopher_alpha_words_ratio"] == 1.0
    assert s["gopher_stop_words"] == 0
    assert s["top_2gram_char_frac"] == 0.0          # no 2-gram in one token
    assert s["c4_lines_kept"] == 0                    # no terminal punctuation
    assert s["fineweb_line_punct_ratio"] == 0.0
    assert s["fineweb_short_line_ratio"] == 1.0       # 5 <= 30 characters
    assert s["fineweb_list_ratio"] == 0.0             # no '\n'


def test_english_sentence():
    text = "The cat sat on the mat."                   # 23 characters
    assert tokens(text) == ["The", "cat", "sat", "on", "the", "mat", "."]
    s = measure(text)
    assert (s["chars"], s["tokens"], s["gopher_words"]) == (23, 7, 6)
    assert s["gopher_mean_word_length"] == pytest.approx(17 / 6)    # 3+3+3+2+3+3
    assert s["gopher_alpha_words_ratio"] == pytest.approx(6 / 7)    # '.' has no letter
    assert s["gopher_stop_words"] == 1                               # 'the' ('The' is not lowercase)
    # every n-gram occurs once: the first one counts ('The cat' = 7 characters, joined by a space)
    assert s["top_2gram_char_frac"] == pytest.approx(7 / 23)
    assert s["top_3gram_char_frac"] == pytest.approx(11 / 23)      # 'The cat sat'
    assert s["top_4gram_char_frac"] == pytest.approx(14 / 23)      # 'The cat sat on'
    assert s["dup_5gram_char_frac"] == 0.0
    assert (s["c4_lines_kept"], s["c4_sentences"]) == (1, 1)
    assert s["fineweb_line_punct_ratio"] == 1.0
    assert s["fineweb_short_line_ratio"] == 1.0


def test_repeated_lines_and_ngrams():
    text = "one two three\none two three\nfour five six"  # 13 + 1 + 13 + 1 + 13 = 41 characters
    s = measure(text)
    assert s["chars"] == 41 and s["tokens"] == 9
    assert s["dup_line_frac"] == pytest.approx(1 / 3)
    assert s["dup_line_char_frac"] == pytest.approx(13 / 41)
    assert s["dup_para_frac"] == 0.0                   # one paragraph (no blank line)
    assert s["top_2gram_char_frac"] == pytest.approx(2 * 7 / 41)   # 'one two' twice (first of the ties)
    assert s["top_3gram_char_frac"] == pytest.approx(2 * 13 / 41)  # 'one two three' twice
    assert s["top_4gram_char_frac"] == pytest.approx(17 / 41)      # all once: 'one two three one'
    assert s["dup_5gram_char_frac"] == 0.0             # the five 5-grams differ
    assert s["fineweb_char_dup_ratio"] == pytest.approx(13 / 39)   # characters without the 2 '\n'
    assert s["fineweb_list_ratio"] == pytest.approx(2 / 9)
    assert s["fineweb_line_punct_ratio"] == 0.0


def test_repeated_paragraphs_and_long_ngrams():
    text = "Para one.\n\nPara one.\n\nPara two."     # 9 + 2 + 9 + 2 + 9 = 31
    s = measure(text)
    assert s["dup_para_frac"] == pytest.approx(1 / 3)
    assert s["dup_para_char_frac"] == pytest.approx(9 / 31)
    assert s["dup_line_frac"] == pytest.approx(1 / 3)  # runs of '\n' cut lines: the blank ones vanish
    spam = " ".join(["buy now"] * 10)                  # 10 * 7 + 9 = 79 characters, 20 tokens
    s = measure(spam)
    # 5-grams (joined without spaces) scanned left to right: positions 0 and 1 are new, 2 repeats 0
    # ('buynowbuynowbuy', 15 characters) and the scan jumps 5 tokens: 7 repeats 1, 12 repeats 0;
    # 17 is past the last 5-gram (15) -> 3 * 15 = 45 characters
    assert s["dup_5gram_char_frac"] == pytest.approx(45 / 79)
    assert s["top_2gram_char_frac"] == pytest.approx(10 * 7 / 79)  # 'buy now' ten times


def test_bullets_ellipses_and_hashes():
    text = "- item one\n- item two\n• item three\nDone..."
    s = measure(text)
    assert s["lines"] == 4 and s["tokens"] == 11
    assert s["gopher_bullet_lines_ratio"] == 0.75
    assert s["gopher_ellipsis_lines_ratio"] == 0.25
    assert s["gopher_ellipsis_ratio"] == pytest.approx(1 / 11)
    assert measure("#one #two three")["gopher_hash_ratio"] == pytest.approx(2 / 5)
    assert measure("wait.... and …")["gopher_ellipsis_ratio"] == pytest.approx(2 / 4)  # '....' holds one '...'


def test_non_latin_text():
    text = "Привет, мир. Как дела?"                 # 22 characters
    assert tokens(text) == ["Привет", ",", "мир", ".", "Как", "дела", "?"]
    s = measure(text)
    assert s["gopher_words"] == 4
    assert s["gopher_mean_word_length"] == 4.0         # 6 + 3 + 3 + 4 = 16
    assert s["gopher_alpha_words_ratio"] == pytest.approx(4 / 7)
    assert s["gopher_stop_words"] == 0
    assert (s["c4_lines_kept"], s["c4_sentences"]) == (1, 2)
    assert s["fineweb_line_punct_ratio"] == 1.0


def test_cjk_text():
    text = "我爱北京。天安门很大。"                    # 11 characters, no spaces
    assert tokens(text) == ["我爱北京。天安门很大", "。"]  # only the final '。' is split off
    s = measure(text)
    assert (s["chars"], s["tokens"], s["gopher_words"]) == (11, 2, 1)
    assert s["gopher_mean_word_length"] == 10.0
    assert s["gopher_alpha_words_ratio"] == 0.5
    assert s["c4_lines_kept"] == 0                     # '。' is not one of C4's end marks
    assert s["fineweb_line_punct_ratio"] == 1.0        # ... but is terminal punctuation for FineWeb


def test_c4_rules():
    assert measure("Hello. World is big. Yes it is!")["c4_sentences"] == 3
    assert measure("Two words.")["c4_lines_kept"] == 0                # fewer than 3 words
    assert measure("A line with no end")["c4_lines_kept"] == 0
    assert measure("Ends with an ellipsis...")["c4_lines_kept"] == 0
    assert measure("Lorem ipsum dolor sit amet.")["c4_lorem_ipsum"] is True
    assert measure("Lorem ipsum dolor sit amet")["c4_lorem_ipsum"] is False   # not a line C4 keeps
    assert measure("Put { braces } in here.")["c4_curly_bracket"] is True
    s = measure("Please enable JavaScript to view it.\nWe use cookies to track you.\nA fine line it is.")
    assert (s["c4_javascript_lines"], s["c4_policy_lines"], s["c4_lines_kept"]) == (1, 1, 1)
    assert measure("See the list of sources here.[12]")["c4_lines_kept"] == 1  # citation marks removed


def test_line_breaks_other_than_newline():
    s = measure("first line\r\nsecond line\rthird")
    assert s["lines"] == 3                              # splitlines: \r\n and \r both end a line


@pytest.mark.parametrize(("text", "expected"), [
    ('He said: "don\'t go" (really)...', ["He", "said", ":", '"', "do", "n't", "go", '"', "(", "really", ")", "..."]),
    ("It's well-known, e.g. U.S. $100, 3.5% of 1,000 people!?",
     ["It", "'s", "well", "-", "known", ",", "e.g.", "U.S.", "$", "100", ",", "3.5", "%", "of", "1,000", "people",
      "!", "?"]),
    ("Mr. Smith went to a/b foo@bar.com http://x.com/a?b=c #tag",
     ["Mr.", "Smith", "went", "to", "a", "/", "b", "foo@bar.com", "http://x.com/a?b=c", "#", "tag"]),
    ("I'm sure they've gone; cannot gonna 5km and/or (Mr. Smith).",
     ["I", "'m", "sure", "they", "'ve", "gone", ";", "can", "not", "gon", "na", "5", "km", "and/or", "(", "Mr.",
      "Smith", ")", "."]),
])
def test_tokens_follow_spacy_english(text, expected):
    assert tokens(text) == expected


def test_documents_already_dropped_get_null_signals():
    docs = pl.DataFrame({"text": ["kept text.", "dropped text."], "drop_reason": [None, "near_duplicate"]})
    out = signals(docs)
    assert out["signals"][0]["chars"] == 10
    assert out["signals"][1] is None
    assert out["signals"].dtype == SIGNALS_DTYPE


def test_null_text_counts_as_empty():
    out = signals(pl.DataFrame({"text": [None, "a"]}, schema={"text": pl.String}))
    assert out["signals"][0]["chars"] == 0
