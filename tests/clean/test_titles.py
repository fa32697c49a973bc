"""The title of a plain-text document: the line the text stages and the chrome model leave alone."""

import polars as pl
import pytest

from prep.clean import CorpusLines, first_pass, stages_until
from prep.config import Config
from prep.schema import DOC_SCHEMA

BODY = [
    "The city council approved the new transport budget on Monday after a long debate.",
    "Bus services will run every ten minutes on the main routes, and fares will stay frozen.",
    "Opposition members said the budget relied on optimistic forecasts of ticket sales.",
]


def titles_of(*texts: str, extractor: str = "text") -> list[str | None]:
    docs = pl.DataFrame([{**{n: None for n in DOC_SCHEMA.names()}, "order": i, "doc_id": str(i),
                          "extractor": extractor, "site": "folder:x", "text": t} for i, t in enumerate(texts)],
                        schema={**DOC_SCHEMA, "text": pl.String})
    config = Config()
    lines = first_pass(docs, config)
    docs = stages_until("chrome_model", docs.drop("text"), lines, CorpusLines.empty(), config).docs
    return docs.sort("order")["title"].to_list()


def test_the_first_line_is_the_title():
    assert titles_of("\n\n".join(["Council Approves Transport Budget", *BODY])) == ["Council Approves Transport Budget"]


@pytest.mark.parametrize("opening", ["Newest Posts", "Shop Garden Supplies", "Where Intelligence Is Put to the Test"])
def test_an_opening_menu_label_is_passed_over_for_the_headline_that_shares_the_article_s_words(opening: str):
    text = "\n\n".join([opening, "Council Approves Transport Budget", *BODY])
    assert titles_of(text) == ["Council Approves Transport Budget"]


def test_a_first_line_sharing_no_word_is_still_the_title_when_no_later_line_does_better():
    text = "\n\n".join(["Mission Accomplished", *BODY])
    assert titles_of(text) == ["Mission Accomplished"]


def test_the_title_is_looked_for_among_the_first_three_kept_lines_only():
    text = "\n\n".join(["Newest Posts", "Shop Garden Supplies", "Gift Ideas", "Council Approves Transport Budget",
                        *BODY])
    assert titles_of(text) == ["Newest Posts"]


def test_a_sentence_is_no_title_and_html_titles_come_from_the_page():
    assert titles_of("\n\n".join(BODY)) == [None]
    assert titles_of("\n\n".join(["Council Approves Transport Budget", *BODY]), extractor="trafilatura 2.3.1") == [None]
