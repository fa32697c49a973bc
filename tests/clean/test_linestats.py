import polars as pl
import pytest

from prep.clean import linestats as ls
from prep.clean.lines import split_lines
from tests.clean.helpers import lines_of


def stats(line: str) -> dict:
    return lines_of(line).select(ls.STATS).row(0, named=True)


@pytest.mark.parametrize("line,flag,expected", [
    ("The council met on Monday.", ls.ENDS_SENTENCE, True),
    ("“Is it over?” she asked.", ls.ENDS_SENTENCE, True),
    ("He said “it is over.”", ls.ENDS_SENTENCE, True),
    ("Why Investors Worry", ls.ENDS_SENTENCE, False),
    ("Ingredients:", ls.ENDS_COLON, True),
    ("Ingredients:", ls.ENDS_STATEMENT, True),
    ("Is this the end?", ls.ENDS_QUESTION, True),
    ("“Quoted Headline Here”", ls.CAPITAL_START, True),
    ("1. Preheat the oven", ls.CAPITAL_START, True),
    ("…and then", ls.CAPITAL_START, False),
    ("- Two cups of flour", ls.LIST_ITEM, True),
    ("• One egg", ls.LIST_ITEM, True),
    ("12) Stir well", ls.LIST_ITEM, True),
    ("(b) The second option", ls.LIST_ITEM, True),
    ("2024 was a good year", ls.LIST_ITEM, False),
    ("BREAKING NEWS", ls.ALL_CAPS, True),
    ("Breaking News", ls.ALL_CAPS, False),
    ("Home | About | Contact", ls.SEPARATORS, True),
    ("Price: $40 or 20%", ls.CURRENCY, True),
    ("Price: $40", ls.INNER_COLON, True),
    ("Great day 🙂", ls.EMOJI, True),
])
def test_flags(line: str, flag: int, expected: bool):
    assert bool(stats(line)["flags"] & flag) is expected


def test_counts():
    got = stats("Ünïcode Words, 42 digits and ÉCOLE")
    assert got["words"] == 6
    assert got["cap_words"] == 4  # Ünïcode, Words, 42, ÉCOLE
    assert got["digits"] == 2
    assert got["upper"] == 7  # Ü W É C O L E
    assert got["chars"] == len("Ünïcode Words, 42 digits and ÉCOLE")


def test_split_lines_measures_every_line():
    import polars as pl

    lines = split_lines(pl.DataFrame({"order": [0, 1], "text": ["a b c\n\nd e", ""]},
                                     schema={"order": pl.Int64, "text": pl.String}))
    assert lines["words"].to_list() == [3, 2]
    assert lines["key"].null_count() == 0


def test_key_ignores_case_and_digit_values_in_any_script():
    keys = lines_of("ÉCOLE Paris 2024\nécole paris 1999\nEcole paris 1999\nÉCOLE PARIS 7").get_column("key").to_list()
    assert keys[0] == keys[1] == keys[3]  # case and the value of a run of digits do not count
    assert keys[2] != keys[1]  # an accent does


def test_inner_colon_and_emoji_are_the_regular_expressions_answers():
    lines = pl.Series([": a", "a: b", ": a: b", "::", ":  x", ":", ": ", "x: ", "é: b", "🙂 ok", "☀: sun", "plain"])
    flags = ls._rare_flags(lines, None)
    assert ((flags & ls.INNER_COLON) != 0).to_list() == lines.str.contains(".: ").to_list()
    assert ((flags & ls.EMOJI) != 0).to_list() == lines.str.contains(ls.EMOJI_CHARS).to_list()
