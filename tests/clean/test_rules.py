"""Every named rule: lines it must remove, and real article lines it must leave alone."""

import polars as pl
import pytest

from prep.clean import first_pass
from prep.clean.rules import CATALOGUE, apply_rules, check_pattern, resolve_rules, table_rows
from prep.config import Config, RuleConfig
from tests.clean.helpers import lines_of, verdicts

REMOVE = {
    "exit_mobile_version": ["Exit mobile version", "Exit the mobile version"],
    "more_news": ["More News at Daily Planet", "Latest stories", "Related articles", "Top headlines",
                  "More stories from World Desk"],
    "read_more": ["Read more", "Read more »", "Read the full story", "Continue reading",
                  "Click here"],
    "related_label": ["Related: Flood warnings issued across the region", "You may also like",
                      "Also read: Markets rally", "Recommended for you", "Don't miss", "Most read"],
    "share": ["Share", "Share on Facebook", "Share this article", "Tweet", "Email this story",
              "Facebook Twitter LinkedIn WhatsApp"],
    "follow": ["Follow us on Twitter", "Join our Telegram channel for updates", "Like us on Facebook",
               "Join the Facebook group"],
    "subscribe": ["Subscribe now", "Sign up for our newsletter", "Get our daily newsletter",
                  "Get the best stories delivered to your inbox every morning."],
    "app_promo": ["Download our app", "Get the free News app", "Watch us on Roku", "Daily Planet News Roku"],
    "cookie_notice": ["We use cookies to improve your experience.", "Accept all cookies",
                      "This site uses cookies. By continuing you agree to our cookie policy."],
    "site_links": ["Privacy Policy", "Terms of Use", "Contact us", "About us | Careers | Advertise"],
    "advertisement": ["Advertisement", "ADVERTISEMENT", "- Advertisement -", "Sponsored content",
                      "Story continues below advertisement", "Advertiser Disclosure",
                      "AdvertisementAdvertisement"],
    "copyright": ["© 2024 Daily Planet", "Copyright 2023 Acme Media. All rights reserved.",
                  "All Rights Reserved"],
    "alternate_address": ["Our website can also be accessed at the following alternate addresses:",
                          "Use our mirror sites if the main domain is blocked"],
    "breadcrumb": ["News / World / Asia", "Home > Politics", "Home » Sport » Football",
                   "News   /   Region   /   Military   /   Country"],
    "caption": ["File photo shows a convoy of vehicles on a desert road.", "Photo: Jane Doe/Agency",
                "Image credit: Getty Images", "File photo of protesters outside the court.",
                "(Photo by John Smith/Agency)", "Credit: Reuters"],
    "login": ["Log in", "Sign in", "Register", "Log in / Register"],
    "tags_label": ["Tags: economy, inflation, rates", "Filed under: Politics"],
    "comments_prompt": ["Leave a comment", "12 Comments", "Join the conversation"],
    "skip_link": ["Skip to content", "Back to top", "Menu", "Back to blog", "Back to all articles"],
}

KEEP = [
    "The central bank said it would keep rates unchanged until inflation eased.",
    "Subscription revenue at the company rose 20% in the quarter, the filing showed.",
    "He shared the photo with reporters after the hearing ended on Tuesday.",
    "Photographers gathered outside the court as the verdict was read.",
    "The share price fell 3% in early trading.",
    "Read the full statement, the minister told parliament, and you will see the plan.",
    "Why Investors Are Worried About Rising Rates",
    "1. High-Protein, Balanced Meals Are Here to Stay",
    "- Two cups of flour",
    "Plant-Forward Eating Gets a Seasonal Twist",
    "Follow-up talks are planned for next week in Geneva.",
    "The app, released in March, was downloaded 2 million times.",
    "Copyright law experts said the ruling would be appealed to a higher court soon.",
    "Home prices rose for the third month in a row, data showed.",
    "More than 200 people were evacuated from the area on Sunday night.",
    "Related charges were dropped last year, according to court documents.",
    "The ceasefire held through the night, officials said.",
    "Back to the Future",
    "Join the Club",
]


def test_every_catalogue_rule_has_examples_and_compiles():
    assert set(REMOVE) == {rule.name for rule in CATALOGUE}
    for rule in CATALOGUE:
        check_pattern(rule.pattern)


@pytest.mark.parametrize("name,line", [(n, line) for n, lines in REMOVE.items() for line in lines])
def test_rule_removes_chrome(name: str, line: str):
    got = verdicts(apply_rules(lines_of(line), resolve_rules({})))
    assert got[line.replace("   ", " ")] == name


@pytest.mark.parametrize("line", KEEP)
def test_article_lines_are_kept(line: str):
    assert verdicts(apply_rules(lines_of(line), resolve_rules({}))) == {line: None}


def test_word_limit_protects_long_lines():
    long_line = "Share " + "word " * 30
    assert verdicts(apply_rules(lines_of(long_line), resolve_rules({})))[long_line.strip()] is None


def test_rules_can_be_disabled_retuned_and_added():
    rules = resolve_rules({"caption": RuleConfig(enabled=False),
                           "my_footer": RuleConfig(pattern=r"^brought to you by\b", max_words=6)})
    got = verdicts(apply_rules(lines_of("Photo: Jane Doe\nBrought to you by Acme"), rules))
    assert got == {"Photo: Jane Doe": None, "Brought to you by Acme": "my_footer"}


def test_a_new_rule_needs_a_pattern():
    with pytest.raises(ValueError, match="needs a 'pattern'"):
        resolve_rules({"mystery": RuleConfig()})


def test_invalid_pattern_is_reported():
    with pytest.raises(ValueError):
        check_pattern("(unclosed")


def first_pass_of(*texts: str, extractor: str = "text") -> pl.DataFrame:
    docs = pl.DataFrame({"order": list(range(len(texts))), "text": list(texts), "extractor": [extractor] * len(texts)},
                        schema={"order": pl.Int64, "text": pl.String, "extractor": pl.String})
    return first_pass(docs, Config())


BODY = "The council approved the budget on Monday after a long debate, officials said."


@pytest.mark.parametrize("title,rule", [("Recommended: Ten Noteworthy Books for the Summer", "related_label"),
                                        ("Photos: Storm Hits the Coast", "caption"),
                                        ("Read Next: Markets Rally Again", "read_more"),
                                        ("About - State of AI Newsletter", "site_links")])
def test_a_plain_text_title_that_reads_like_a_label_is_kept(title: str, rule: str):
    assert verdicts(first_pass_of(f"{title}\n\n{BODY}")) == {title: None, BODY: None}
    # the same line anywhere else in the document is still judged by the rules
    assert verdicts(first_pass_of(f"{BODY}\n\n{title}")) == {BODY: None, title: rule}


@pytest.mark.parametrize("line,rule", [("Skip to content", "skip_link"), ("Share on Facebook", "share"),
                                       ("News / World / Asia", "breadcrumb")])
def test_chrome_no_headline_reads_like_is_removed_from_the_first_line(line: str, rule: str):
    assert verdicts(first_pass_of(f"{line}\n\n{BODY}"))[line] == rule


def test_only_plain_text_first_lines_are_spared():
    line = "Recommended: Ten Noteworthy Books for the Summer"
    assert verdicts(first_pass_of(f"{line}\n\n{BODY}", extractor="trafilatura 2.0"))[line] == "related_label"
    assert verdicts(first_pass_of(f"{line.lower()}.\n\n{BODY}"))[f"{line.lower()}."] == "related_label"


def test_rows_of_a_table_are_left_to_the_article():
    table = "Rank | State | Score\n1 | Utah | 92\n2 | Ohio | 88"
    got = verdicts(apply_rules(lines_of(f"{BODY}\n\n{table}\n\n{BODY}\n\nNews | World | Asia"), resolve_rules({})))
    assert got["Rank | State | Score"] is None and got["1 | Utah | 92"] is None
    # a trail of the same shape with no table around it is still a breadcrumb
    assert got["News | World | Asia"] == "breadcrumb"


def test_a_line_is_a_table_row_only_next_to_a_row_of_as_many_cells_in_its_own_document():
    lines = lines_of("A | B | C\nSome text here.\nD | E", "F | G")
    assert table_rows(lines).to_list() == [False, False, False, False]
    assert table_rows(lines_of("A | B | C\nD | E | F\nG | H")).to_list() == [True, True, False]
