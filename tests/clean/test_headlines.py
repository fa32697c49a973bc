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


STRUCTURED = """Five Habits That Help New Runners Keep Going

Most new runners give up within a month, usually because they start too fast and get hurt.

Start Slower Than Feels Right

Running slowly at first lets your legs adapt, and slower runs feel easier, so you keep running.

{insert}

Plan short runs for busy days, so that a full diary never becomes a reason to skip running.

Track Every Run You Finish

A simple log of each run shows progress that the mirror does not, and progress keeps you going.
"""
ASIDE = "Breathe Through It (or Mutter Profanities Quietly)"


def test_a_structured_articles_terse_heading_is_its_own():
    got = run(STRUCTURED.format(insert=ASIDE), title="Five Habits That Help New Runners Keep Going")
    assert got[ASIDE] is None
    assert got["Start Slower Than Feels Right"] is None and got["Track Every Run You Finish"] is None


def test_teasers_outnumbering_the_subheadings_are_still_removed():
    teasers = ["Tech Giant Unveils Quantum Chip Amid Trade Tensions",
               "Central Bank Holds Interest Rates Steady For Third Month",
               "Football Club Names New Manager After Losing Streak"]
    body = STRUCTURED.format(insert=teasers[0]).replace(
        "Track Every Run You Finish\n\n", "Track Every Run You Finish\n\n"
        "Runners who log their runs stay with the habit longer than runners who do not log them.\n\n"
        f"{teasers[1]}\n\nA log also shows when to rest, because tired legs run slower for several days "
        "after a race.\n\n"
        f"{teasers[2]}\n\n")
    got = run(body, title="Five Habits That Help New Runners Keep Going")
    assert [got[t] for t in teasers] == ["foreign_headline"] * 3
    assert got["Start Slower Than Feels Right"] is None and got["Track Every Run You Finish"] is None


def test_how_many_subheadings_make_an_article_structured_comes_from_the_config():
    text = STRUCTURED.format(insert=ASIDE)
    got = run(text, title="Five Habits That Help New Runners Keep Going", config=HeadlinesConfig(max_subheadings=2))
    assert got[ASIDE] == "foreign_headline"
