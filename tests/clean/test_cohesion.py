"""cohesion() against a plain-Python statement of what it measures, on random documents."""

from __future__ import annotations

import re

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.clean.cohesion import LOCAL_SPAN, MIN_LETTERS, STOPWORDS, cohesion

STOP = set(STOPWORDS)
# content words and their plurals, stopwords, short words, words ending in a double s
VOCABULARY = ["attack", "attacks", "city", "cities", "council", "councils", "press", "glass", "vote",
              "votes", "the", "and", "with", "it", "is", "go", "ox", "Mayor", "MAYORS", "budget", "bus"]


def content_words(text: str) -> set[str]:
    words = set()
    for word in re.findall(r"[a-z]+", text.lower()):
        if len(word) < MIN_LETTERS or word in STOP:
            continue
        words.add(word[:-1] if word.endswith("s") and word[-2] != "s" else word)
    return words


def reference(docs: list[tuple[str | None, list[str]]]) -> list[tuple[int, int, int]]:
    rows = []
    for title, lines in docs:
        words = [content_words(line) for line in lines]
        title_words = content_words(title or "")
        for i, own in enumerate(words):
            holders = [title_words] + [w for j, w in enumerate(words) if j != i]
            near = set().union(*words[i + 1:i + 1 + LOCAL_SPAN])
            rows.append((len(own), sum(any(word in h for h in holders) for word in own), len(own & near)))
    return rows


line_text = st.lists(st.sampled_from(VOCABULARY), max_size=12).map(" ".join)
documents = st.lists(st.tuples(st.none() | line_text, st.lists(line_text, min_size=1, max_size=6)),
                     min_size=1, max_size=5)


@settings(max_examples=200, deadline=None)
@given(documents)
def test_cohesion_counts_what_its_docstring_says(docs):
    orders, lines = [], []
    for order, (_, doc_lines) in enumerate(docs):
        orders += [order] * len(doc_lines)
        lines += doc_lines
    kept = pl.DataFrame({"order": orders, "line": lines}, schema={"order": pl.Int64, "line": pl.String})
    titles = pl.DataFrame({"order": list(range(len(docs))), "title": [t for t, _ in docs]},
                          schema={"order": pl.Int64, "title": pl.String})
    got = cohesion(kept, pl.Series([True] * len(lines)), titles)
    assert list(got.iter_rows()) == reference(docs)


def test_lines_not_targeted_are_zero():
    kept = pl.DataFrame({"order": [0, 0, 0], "line": ["council budget vote", "council budget", "budget"]})
    got = cohesion(kept, pl.Series([False, True, False]))
    assert list(got.iter_rows()) == [(0, 0, 0), (2, 2, 1), (0, 0, 0)]
