"""Every named rule: lines it must remove, and real article lines it must leave alone."""

import polars as pl
import pytest

from prep.clean import first_pass
from prep.clean.catalogue import CATALOGUE
from prep.clean.rules import apply_rules, check_pattern, resolve_rules, spare_titles, table_rows
from prep.config import Config, RuleConfig
from tests.clean.helpers import lines_of, verdicts

REMOVE = {
    "exit_mobile_version": ["Exit mobile version", "Exit the mobile version"],
    "more_news": ["More News at Daily Planet", "Latest stories", "Related articles", "Top headlines",
                  "More stories from World Desk", "Recent posts:"],
    "read_more": ["Read more", "Read more »", "Read the full story", "Continue reading",
                  "Click here", "Watch »", "See more..."],
    "read_more_teaser": ["Read next: Markets rally again", "READ MORE: The best cleaning apps to run your business",
                         "Watch: How the storm hit the coast"],
    "related_label": ["Related: Flood warnings issued across the region", "You may also like",
                      "Also read: Markets rally", "Recommended for you", "Don't miss", "Most read",
                      "You may also like these", "Other articles you may find interesting", "Other related articles...",
                      "More by the author:", "View all posts by Jane Doe", "Recent stories by John Smith",
                      "More posts by Dr. Jane Doe:",
                      "Most read articles", "People also like", "Related blogs", "More like this"],
    "post_nav": ["Next article:", "Previous Post", "Next post: Markets rally again", "← Previous Next →",
                 "Random post"],
    "share": ["Share", "Share on Facebook", "Share this article", "Tweet", "Email this story",
              "Facebook Twitter LinkedIn WhatsApp", "Share Post."],
    "reader_prompt": ["Like this:", "No responses yet", "Like it? Share it!",
                      "All comments are moderated before being published.", "Pin this for later!",
                      "Did you make this recipe? Leave a rating below.", "Support my work!"],
    "follow": ["Follow us on Twitter", "Join our Telegram channel for updates", "Like us on Facebook",
               "Join the Facebook group", "Join our Discord server", "Follow us", "Connect with Us",
               "Join our mailing list", "Find us on Instagram", "Like our Facebook page"],
    "subscribe": ["Subscribe now", "Sign up for our newsletter", "Get our daily newsletter",
                  "Get the best stories delivered to your inbox every morning.", "Newsletters", "Weekly newsletter",
                  "Newsletter Sign Up", "Newsletter: the week in charts"],
    "call_to_action": ["Start free trial", "Start your 7-day free trial", "Book a demo", "Get a free quote today.",
                       "Schedule a Free Call", "Try for free", "Check price at Amazon", "View on eBay",
                       "Try our analytics for free. No card required.", "Buy now"],
    "app_promo": ["Download our app", "Get the free News app", "Watch us on Roku", "Daily Planet News Roku",
                  "Get it on Google Play", "Download on the App Store"],
    "cookie_notice": ["We use cookies to improve your experience.", "Accept all cookies",
                      "This site uses cookies. By continuing you agree to our cookie policy."],
    "site_links": ["Privacy Policy", "Terms of Use", "Contact us", "About us | Careers | Advertise",
                   "Cookie Policy", "Advertising Policy", "Do Not Sell or Share My Personal Information"],
    "official_site_banner": ["An official website of the United States government", "Official websites use .gov",
                             "Secure .gov websites use HTTPS"],
    "advertisement": ["Advertisement", "ADVERTISEMENT", "- Advertisement -", "Sponsored content",
                      "Story continues below advertisement", "Advertiser Disclosure",
                      "AdvertisementAdvertisement", "Advertisement - Advertisement", "Affiliate disclosure:"],
    "copyright": ["© 2024 Daily Planet", "Copyright 2023 Acme Media. All rights reserved.",
                  "All Rights Reserved", "2025 © Acme Media"],
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
    "Find the right support group",
    "Connect with the alumni community",
    "Advertising revenue fell sharply in the quarter.",
    "Other articles have covered the election since.",
    "Other articles in the series covered the election.",
    "More stories from the front line reached the capital on Friday!",
    "More by luck than judgement",
    "You may also like the way the new model handles corners.",
    "Most read books of the decade were published after 2015, the survey found.",
    "Next, the article explains how the vote was counted.",
    "Previous studies found no such link.",
    "The next story in the collection is set in Lagos.",
    "What do you think the council should do about it?",
    "Readers who like this kind of story will enjoy the sequel.",
    "Book a call with your doctor if the symptoms last longer than a week.",
    "Buy now, pay later services have grown quickly since 2020.",
    "Start a free trial before committing to a yearly plan, she advised.",
    "The price at Amazon was lower than in stores.",
    "The cookie policy debate in Brussels dragged on for months.",
    "He told reporters here's how you know the plan worked: sales doubled.",
    "Here's how you know:",
    "Recent stories by Reuters confirmed this.",
    "More stories by women are needed.",
    "Latest posts by the agency were deleted.",
    "There's a 14-day free trial, no credit card required.",
    "Like this",
    "What do you think?",
    "Return policy",
    "Shipping Policy",
    "Refund policy - 30 days",
    "2024 saw record filings by © holders, the office said.",
    "Read more: How to reduce taxable income",
    "Source: Bureau of Labor Statistics",
    "Best Amazon Alexa hub",
    "How to Publish an App to the App Store",
    "Where to watch: Apple TV",
    "Amazon Alexa",
    "Newsletters are booming, and more people are paying for them.",
    "The newsletter is published once a month.",
    "Join Us in Kansas City for the Cybersecurity Event!",
    "Join me inside the design studio",
    "Watch",
    "View",
]


def test_every_catalogue_rule_has_examples_and_compiles():
    assert set(REMOVE) == {rule.name for rule in CATALOGUE}
    for rule in CATALOGUE:
        check_pattern(rule.pattern)


@pytest.mark.parametrize("name,line", [(n, line) for n, lines in REMOVE.items() for line in lines])
def test_rule_removes_chrome(name: str, line: str):
    got = verdicts(apply_rules(lines_of(line), resolve_rules({name: RuleConfig(enabled=True)})))
    assert got[line.replace("   ", " ")] == name


def test_a_rule_that_is_off_by_default_is_switched_on_in_the_config():
    teaser = "Read next: Markets rally again"
    assert verdicts(apply_rules(lines_of(teaser), resolve_rules({}))) == {teaser: None}
    assert "read_more_teaser" not in {rule.name for rule in resolve_rules({})}
    tuned = resolve_rules({"read_more_teaser": RuleConfig(max_words=20)})  # tuning alone leaves it off
    assert "read_more_teaser" not in {rule.name for rule in tuned}
    on = resolve_rules({"read_more_teaser": RuleConfig(enabled=True)})
    assert verdicts(apply_rules(lines_of(teaser), on)) == {teaser: "read_more_teaser"}
    assert "read_more" in {rule.name for rule in resolve_rules({"read_more": RuleConfig(max_words=4)})}


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


def test_invalid_pattern_is_reported_with_what_is_wrong():
    with pytest.raises(ValueError, match=r"invalid regular expression '\(unclosed': unclosed group$"):
        check_pattern("(unclosed")


def first_pass_of(*texts: str, extractor: str = "text") -> pl.DataFrame:
    docs = pl.DataFrame({"order": list(range(len(texts))), "text": list(texts), "extractor": [extractor] * len(texts)},
                        schema={"order": pl.Int64, "text": pl.String, "extractor": pl.String})
    return first_pass(docs, Config())


BODY = "The council approved the budget on Monday after a long debate, officials said."


@pytest.mark.parametrize("title,rule", [("Recommended: Ten Noteworthy Books for the Summer", "related_label"),
                                        ("Photos: Storm Hits the Coast", "caption"),
                                        ("About - State of AI Newsletter", "site_links")])
def test_a_plain_text_title_that_reads_like_a_label_is_kept(title: str, rule: str):
    assert verdicts(first_pass_of(f"{title}\n\n{BODY}")) == {title: None, BODY: None}
    # the first line the other rules leave is the title
    assert verdicts(first_pass_of(f"Skip to content\n\n{title}\n\n{BODY}")) == {
        "Skip to content": "skip_link", title: None, BODY: None}
    # the same line anywhere else in the document is still judged by the rules
    assert verdicts(first_pass_of(f"{BODY}\n\n{title}")) == {BODY: None, title: rule}


@pytest.mark.parametrize("line,rule", [("Skip to content", "skip_link"), ("Share on Facebook", "share"),
                                       ("News / World / Asia", "breadcrumb"), ("Read more", "read_more"),
                                       ("Related Articles", "more_news"), ("Photo: Reuters", "caption"),
                                       ("Sign up for our newsletter", "subscribe"),
                                       ("Tags: Economy, Inflation, Rates", "tags_label")])
def test_chrome_that_is_no_labelled_headline_is_removed_from_the_first_line(line: str, rule: str):
    assert verdicts(first_pass_of(f"{line}\n\n{BODY}"))[line] == rule


def test_a_teaser_title_is_spared_when_the_teaser_rule_is_on():
    title = "Read Next: Markets Rally Again"
    config = Config.model_validate({"clean": {"rules": {"read_more_teaser": {"enabled": True}}}})
    docs = pl.DataFrame({"order": [0, 1], "text": [f"{title}\n\n{BODY}", f"{BODY}\n\n{title}"],
                         "extractor": ["text", "text"]},
                        schema={"order": pl.Int64, "text": pl.String, "extractor": pl.String})
    got = first_pass(docs, config).select("order", "line", "rule").rows()
    assert got == [(0, title, None), (0, BODY, None), (1, BODY, None), (1, title, "read_more_teaser")]


def test_only_plain_text_first_lines_are_spared():
    line = "Recommended: Ten Noteworthy Books for the Summer"
    assert verdicts(first_pass_of(f"{line}\n\n{BODY}", extractor="trafilatura 2.0"))[line] == "related_label"
    assert verdicts(first_pass_of(f"{line.lower()}.\n\n{BODY}"))[f"{line.lower()}."] == "related_label"


def test_a_spared_title_is_still_judged_by_the_other_rules():
    rules = resolve_rules({"my_footer": RuleConfig(pattern=r"noteworthy books", max_words=12)})
    docs = pl.DataFrame({"order": [0], "extractor": ["text"]}, schema={"order": pl.Int64, "extractor": pl.String})
    line = "Recommended: Ten Noteworthy Books for the Summer"
    got = verdicts(spare_titles(apply_rules(lines_of(f"{line}\n\n{BODY}"), rules), docs, rules))
    assert got[line] == "my_footer"


def test_a_header_row_over_rows_of_figures_is_left_to_the_article():
    table = "Rank | State | Score\n1 | Utah | 92\n2 | Ohio | 88"
    got = verdicts(apply_rules(lines_of(f"{BODY}\n\n{table}\n\n{BODY}\n\nNews | World | Asia"), resolve_rules({})))
    assert got["Rank | State | Score"] is None
    # a trail of the same shape with no table around it is still a breadcrumb
    assert got["News | World | Asia"] == "breadcrumb"


def test_stacked_menus_are_no_table():
    menus = "Home | News | Sport\nAbout us | Careers | Advertise"
    got = verdicts(apply_rules(lines_of(f"{BODY}\n\n{menus}"), resolve_rules({})))
    assert got == {BODY: None, "Home | News | Sport": "breadcrumb", "About us | Careers | Advertise": "site_links"}


def test_only_the_rules_a_header_row_looks_like_spare_tables():
    table = "© 2024 Daily Planet | All rights reserved\nPrivacy Policy | Terms of Use"
    assert verdicts(apply_rules(lines_of(table), resolve_rules({})))["© 2024 Daily Planet | All rights reserved"] \
        == "copyright"


@pytest.mark.parametrize("text,rows", [
    ("A | B | C\n1 | 2 | 3\nG | H", [True, True, False]),          # a row of figures makes it a table
    ("A | B | C\nD | E | F\nG | H | I", [True, True, True]),        # so do three rows
    ("A | B | C\nD | E | F\nG | H", [False, False, False]),        # two rows of words: menus
    ("A | B | C\nSome text, 2024.\nD | E | F", [False, False, False]),
])
def test_table_rows(text: str, rows: list[bool]):
    assert table_rows(lines_of(text)).to_list() == rows


def test_rows_of_different_documents_make_no_table():
    assert table_rows(lines_of("A | B\n1 | 2", "3 | 4")).to_list() == [True, True, False]
    assert table_rows(lines_of("A | 1", "B | 2", "C | 3")).to_list() == [False, False, False]
