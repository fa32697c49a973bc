"""The chrome model's line features that read the whole document: how short its lines run, and
how many of its lines look like a given one."""

import math

import polars as pl
import pytest

from prep.clean.chrome.features import DENSE, MAX_WORDS, line_features
from tests.clean.helpers import lines_of

PARAGRAPHS = [
    "The council approved the transport budget on Monday after a long debate.",
    "Bus services will run every ten minutes on the main routes next year.",
    "Opposition members said the plan relied on optimistic forecasts of fares.",
]
SUBHEADINGS = ["How The Plan Works", "What Comes Next"]  # one style: 3-4 words, capitalised, no end mark
MENU_LABEL = "our services"                              # a style of its own: 2 words, lower case


def features(text: str) -> dict[str, dict[str, float]]:
    docs = pl.DataFrame({"order": [0], "title": [None], "extractor": ["text"]},
                        schema={"order": pl.Int64, "title": pl.String, "extractor": pl.String})
    frame = line_features(lines_of(text), docs)
    return {row["line"]: row for row in frame.iter_rows(named=True)}


def document() -> str:
    return "\n\n".join([PARAGRAPHS[0], SUBHEADINGS[0], PARAGRAPHS[1], MENU_LABEL, SUBHEADINGS[1], PARAGRAPHS[2]])


def test_the_new_features_are_inputs_of_the_model():
    assert {"doc_short_share", "style_siblings"} <= set(DENSE)


def test_lines_of_one_style_count_each_other_and_a_line_unlike_the_rest_counts_none():
    got = features(document())
    for heading in SUBHEADINGS:
        assert got[heading]["style_siblings"] == pytest.approx(math.log1p(1))
    for paragraph in PARAGRAPHS:
        assert got[paragraph]["style_siblings"] == pytest.approx(math.log1p(2))
    assert got[MENU_LABEL]["style_siblings"] == 0.0


def test_the_short_share_is_the_documents_not_the_lines():
    got = features(document())
    assert [row["doc_short_share"] for row in got.values()] == pytest.approx([3 / 6] * 6)
    prose = features("\n\n".join(PARAGRAPHS))
    assert [row["doc_short_share"] for row in prose.values()] == [0.0] * 3


def test_a_list_mark_or_an_end_mark_makes_another_style():
    text = "\n\n".join([PARAGRAPHS[0], "- How The Plan Works", "What Comes Next?", "What Comes Next", PARAGRAPHS[1]])
    got = features(text)
    assert got["- How The Plan Works"]["style_siblings"] == 0.0
    assert got["What Comes Next?"]["style_siblings"] == 0.0
    assert got["What Comes Next"]["style_siblings"] == 0.0


def test_lines_too_long_to_judge_still_count_in_the_documents_figures():
    long_paragraph = " ".join(["word"] * (MAX_WORDS + 5)) + "."
    got = features("\n\n".join([PARAGRAPHS[0], long_paragraph, "Short Label"]))
    assert long_paragraph not in got
    assert got["Short Label"]["doc_short_share"] == pytest.approx(1 / 3)
    # the paragraph's sibling is the long line: both run past eight words and end a sentence
    assert got[PARAGRAPHS[0]]["style_siblings"] == pytest.approx(math.log1p(1))
