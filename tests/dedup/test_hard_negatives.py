"""What must never merge: other stories that share a site's template, a topic, a quoted
statement, a digest of their ledes, or (when short) a stock sentence. And what must: copies
of a short text that differ only in whitespace or quotes."""

from pathlib import Path

import numpy as np

from prep.config import DedupConfig
from prep.dedup.lsh import candidate_pairs
from tests.dedup.helpers import docs_frame, group_texts, sentences, write_features

HEADER = "Home | News | World | Business | Sport | Opinion\n\nSubscribe to the Valley Courier for the latest local news"
FOOTER = ("Sign up for the Valley Courier newsletter and get the day's top stories in your inbox every morning.\n\n"
          "The Valley Courier is an independent newsroom. Support local journalism by subscribing today.")
STOCK = "The investigation is ongoing and anyone with information is asked to contact the police on the usual number."


def assert_all_apart(got) -> None:
    assert got["cluster_id"].n_unique() == got.height, got


def test_stories_sharing_a_site_template_stay_apart(tmp_path: Path):
    texts = [f"{HEADER}\n\n{' '.join(sentences(500 + i, 10))}\n\n{FOOTER}" for i in range(6)]
    shards = write_features(docs_frame(texts), DedupConfig(), tmp_path, 1000)
    assert len(candidate_pairs(shards, np.arange(6), DedupConfig().bands)) > 0  # LSH proposes, verification refuses
    assert_all_apart(group_texts(texts, tmp_path))


def test_stories_on_one_topic_stay_apart(tmp_path: Path):
    topic = "river flood bridge storm water rain council road closed rescue warning valley".split()
    texts = [" ".join(sentences(600 + i, 10, vocab=topic)) for i in range(6)]
    assert_all_apart(group_texts(texts, tmp_path))


def test_stories_quoting_one_statement_stay_apart(tmp_path: Path):
    statement = '"' + " ".join(sentences(700, 2)) + '"'
    texts = [" ".join(sentences(710 + i, 4) + [statement] + sentences(720 + i, 4)) for i in range(4)]
    assert_all_apart(group_texts(texts, tmp_path))


def test_a_digest_of_ledes_stays_apart_from_the_stories(tmp_path: Path):
    stories = [sentences(800 + i, 8) for i in range(5)]
    digest = "Today's top stories.\n\n" + "\n\n".join(" ".join(s[:2]) for s in stories)
    assert_all_apart(group_texts([" ".join(s) for s in stories] + [digest], tmp_path))


def test_short_documents_sharing_a_stock_sentence_stay_apart(tmp_path: Path):
    texts = [f"{' '.join(sentences(900 + i, 1, words=6))} {STOCK}" for i in range(8)]
    assert_all_apart(group_texts(texts, tmp_path))
    (tmp_path / "unguarded").mkdir()  # they are alike by Jaccard: only the minimum size keeps them apart
    merged = group_texts(texts, tmp_path / "unguarded", DedupConfig(min_shingles=1))
    assert merged["cluster_id"].n_unique() < len(texts)


def test_short_copies_differing_in_spacing_or_quotes_still_group(tmp_path: Path):
    short = 'Police said the "road is closed" after the storm.'
    texts = [short, short.replace(" ", "  ").replace('"', "\u201c", 1).replace('"', "\u201d"), "  " + short + "\n"]
    got = group_texts(texts, tmp_path, DedupConfig(keep="first"))
    assert got["cluster_id"].to_list() == ["d000"] * 3
    assert got["dup_reason"].to_list() == [None, "exact_duplicate", "exact_duplicate"]


def story_text(seed: int, paragraphs: int = 5) -> str:
    return "\n\n".join(" ".join(sentences(seed * 10 + k, 2)) for k in range(paragraphs))


def site_dump(seed: int, menu: list[str], related: list[str]) -> str:
    """A page's whole visible text, as a naive scraper gives it: a menu, the article, a list of
    other stories and a footer."""
    return "\n".join([*menu, f"Headline number {seed}", story_text(seed), "Related stories", *related,
                      "Privacy Policy", "Contact us"])


MENU = [f"Section {name}" for name in "News World Business Markets Tech Science Health Sport Culture Travel "
        "Opinion Video Podcasts Weather Local Politics Climate Money Cars Homes Jobs Food Style Books".split()]
RELATED = [" ".join(s.rstrip(".").split()[:9]).title() for s in sentences(5000, 12)]


def test_two_stories_of_one_site_sharing_its_chrome_stay_apart_while_a_syndicated_copy_groups(tmp_path: Path):
    """Dumps of two different stories of one site share its menu and related list; the signature
    of their prose keeps them apart, and the copy of one on another site (its own chrome, the
    prose reworded in places) still joins it."""
    first, second = site_dump(1, MENU, RELATED), site_dump(2, MENU, RELATED)
    reworded = story_text(1).replace(" river ", " stream ").replace(" budget ", " plan ")
    copy = "\n".join(["Home", "Wire", reworded, "Share this story", "Advertisement"])
    got = group_texts([first, second, copy], tmp_path)
    assert got["cluster_id"].to_list()[0] != got["cluster_id"].to_list()[1]
    assert got["cluster_id"].to_list()[2] == got["cluster_id"].to_list()[0]
