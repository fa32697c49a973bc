import polars as pl

from prep.clean.headlines import mark_foreign_headlines
from prep.config import HeadlinesConfig
from tests.clean.helpers import lines_of, verdicts

ARTICLE = """Flood Waters Rise Across Northern Valley Towns

Heavy rain pushed the river over its banks on Sunday, flooding farms and closing roads across the valley towns.

Emergency crews evacuated hundreds of residents from low-lying streets as the water kept rising overnight.

{insert}

Officials said the river would crest on Tuesday and warned residents not to drive through flooded roads.

Relief Centres Open in Valley Schools and Town Halls

Schools in three towns opened as relief centres, offering beds and meals to families forced from home.
"""
FOREIGN = "Tech Giant Unveils Quantum Chip Amid Trade Tensions"


def run(text: str, title: str | None = None, config: HeadlinesConfig | None = None) -> dict:
    lines = lines_of(text)
    titles = pl.DataFrame({"order": [0], "title": [title]}, schema={"order": pl.Int64, "title": pl.String})
    return verdicts(mark_foreign_headlines(lines, titles, config or HeadlinesConfig()))


def test_unrelated_headline_between_paragraphs_is_removed():
    assert run(ARTICLE.format(insert=FOREIGN))[FOREIGN] == "foreign_headline"


def test_the_articles_own_subheading_and_title_are_kept():
    got = run(ARTICLE.format(insert=FOREIGN), title="Flood Waters Rise Across Northern Valley Towns")
    assert got["Relief Centres Open in Valley Schools and Town Halls"] is None
    assert got["Flood Waters Rise Across Northern Valley Towns"] is None


def test_short_generic_subheadings_are_never_candidates():
    assert run(ARTICLE.format(insert="What Happens Next"))["What Happens Next"] is None


def test_sentence_case_lines_are_not_headline_style():
    line = "Tech giant unveils quantum chip amid trade tensions"
    assert run(ARTICLE.format(insert=line))[line] is None


def test_paragraphs_are_never_candidates():
    got = run(ARTICLE.format(insert="Stock markets in Asia fell sharply on Monday, traders said."))
    assert set(got.values()) == {None}


def test_a_headline_not_between_two_paragraphs_is_left_to_other_stages():
    text = ARTICLE.format(insert=FOREIGN).replace(
        "Emergency crews evacuated hundreds of residents from low-lying streets as the water kept rising overnight.",
        "Crews helped.")
    assert run(text)[FOREIGN] is None


def test_first_line_is_never_a_foreign_headline():
    text = "Quantum Chip Makers Race Ahead In Global Markets\n\n" + ARTICLE.format(insert="")
    assert run(text)["Quantum Chip Makers Race Ahead In Global Markets"] is None


def test_thresholds_come_from_the_config():
    strict = HeadlinesConfig(max_cohesion=0.0, max_local_cohesion=0.0, min_words=12)
    assert run(ARTICLE.format(insert=FOREIGN), config=strict)[FOREIGN] is None
