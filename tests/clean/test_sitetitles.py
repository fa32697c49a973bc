"""When a title's end names its site: spelt by the host name, or repeated by the site's titles."""

import polars as pl
import pytest

from prep.clean.sitetitles import names_host, site_brands


@pytest.mark.parametrize("part,host", [
    ("Google Cloud", "cloud.google.com"), ("The Verge", "theverge.com"), ("BBC News", "bbc.co.uk"),
    ("CNN", "cnn.com"), ("Fox News", "foxnews.com"), ("The Washington Post", "washingtonpost.com"),
    ("news.com.au", "news.com.au"), ("Wikipedia", "en.wikipedia.org"), ("Süddeutsche", "süddeutsche.de"),
    ("Nationwide Marketing Group", "nationwidegroup.org"), ("Farm Bureau Financial Services", "fbfs.com"),
    ("University of Wisconsin-Stevens Point", "uwsp.edu"),
    ("Metropolitan Development and Housing Agency", "nashville-mdha.org"),
])
def test_a_part_the_host_spells_names_the_site(part: str, host: str):
    assert names_host(part, host)


@pytest.mark.parametrize("part,host", [
    ("The Finale", "tv-reviews.example"), ("Breaking Bad", "amc.com"), ("Apple iPhone 15", "apple.com"),
    ("Climate", "time.com"), ("what we know so far", "citydesk.example"), ("Com", "example.com"),
    ("Los Angeles Times", "latimes.com"),  # the host does not spell it: only the site's titles can tell
])
def test_a_part_the_host_does_not_spell_does_not_name_it(part: str, host: str):
    assert not names_host(part, host)


def test_a_brand_stands_at_one_end_of_several_of_the_site_s_titles_and_of_most_of_them():
    titles = pl.LazyFrame({"site": ["a"] * 3 + ["b"] * 4 + ["c"] * 2, "title": [
        "One | Herald", "Two | Herald", "Three | Herald",
        "Live - Day 1", "Live - Day 2", "Budget passes", "Storm hits",  # 2 of 4: not most of them
        "Same | Brand", "Same | Brand",                                 # one headline, twice
    ]})
    assert site_brands(titles).rows() == [("a", "suffix", "herald")]
