"""The title column holds the document's own headline: a site's name at either end of a page's
title comes off when the page's host or the site's other titles say it is the site, and only
then. Generated pages, through the real CLI."""

from __future__ import annotations

import json

import pytest

from tests import badinputs as bad
from tests.conftest import read_table, run_prep

# (url, title as the page gives it, title expected)
RECORDS = [
    ("https://cloud.google.com/learn/what-is-cloud-computing", "What is Cloud Computing? | Google Cloud",
     "What is Cloud Computing?"),
    ("https://www.theverge.com/tech/1", "The new phones are here - The Verge", "The new phones are here"),
    ("https://www.bbc.co.uk/news/1", "Storm closes the harbour - BBC News", "Storm closes the harbour"),
    ("https://news.com.au/story/1", "Floods reach the coast – news.com.au", "Floods reach the coast"),
    ("https://www.valleyherald.example/a", "Valley Herald :: Council approves the budget",
     "Council approves the budget"),
    ("https://artlyst.com/reviews/1", "Best exhibitions of the year – Artlyst - Artlyst",
     "Best exhibitions of the year"),
    # the site's brand, which its host does not spell, on each of its pages
    ("https://vh-online.example/1", "Bridge reopens after repairs — The Valley Times", "Bridge reopens after repairs"),
    ("https://vh-online.example/2", "Farmers count the cost of the drought — The Valley Times",
     "Farmers count the cost of the drought"),
    ("https://vh-online.example/3", "School year starts late — The Valley Times", "School year starts late"),
    # nothing says the part is the site: kept whole
    ("https://tv-reviews.example/finale", "Breaking Bad - The Finale", "Breaking Bad - The Finale"),
    ("https://tv-reviews.example/other", "Ten shows to watch this winter", "Ten shows to watch this winter"),
    ("https://www.citydesk.example/x", "Covid-19 - what we know so far", "Covid-19 - what we know so far"),
    # one page of a site puts a word at the end that its other page does not: no brand
    ("https://sport.example/1", "Final score - Rovers", "Final score - Rovers"),
    ("https://sport.example/2", "Transfer news", "Transfer news"),
]


@pytest.fixture(scope="module")
def titles(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("titles")
    crawl = root / "crawl"
    crawl.mkdir()
    with (crawl / "pages.jsonl").open("w") as stream:
        for i, (url, title, _) in enumerate(RECORDS):
            html = bad.page(" ".join(bad.story(100 + i + k) for k in range(3)), title=title)
            stream.write(json.dumps({"url": url, "html": html}) + "\n")
    folder = crawl / "weekly"  # HTML files without a URL: the site is the folder they are in
    folder.mkdir()
    for i, title in enumerate(["Harbour works begin | Herald Weekly", "Mayor resigns | Herald Weekly",
                               "Budget passes | Herald Weekly"]):
        (folder / f"{i}.html").write_text(bad.page(bad.story(200 + i) + " " + bad.story(300 + i), title=title))
    lone = crawl / "lone"
    lone.mkdir()
    finale = bad.page(bad.story(400) + " " + bad.story(401), title="Breaking Bad - The Finale")
    (lone / "finale.html").write_text(finale)
    result = run_prep("run", "crawl", "--out", "out", cwd=root)
    assert result.returncode == 0, result.stderr
    both = read_table(root / "out", "corpus").vstack(read_table(root / "out", "dropped"))
    return {row["url"] or row["source_path"]: row["title"] for row in both.iter_rows(named=True)}


@pytest.mark.parametrize("url,given,expected", RECORDS, ids=[r[1] for r in RECORDS])
def test_a_title_loses_the_site_s_name_only_when_the_host_or_the_site_s_titles_name_it(titles, url, given,
                                                                                         expected):
    assert titles[url] == expected


def test_a_brand_repeated_by_a_folder_s_pages_comes_off_and_a_lone_title_stays_whole(titles):
    assert titles["crawl/weekly/0.html"] == "Harbour works begin"
    assert titles["crawl/weekly/1.html"] == "Mayor resigns"
    assert titles["crawl/lone/finale.html"] == "Breaking Bad - The Finale"
