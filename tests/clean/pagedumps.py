"""Generated page dumps: a page's whole visible text as a scraper gives it (a menu, a cookie
notice, a breadcrumb, the article's title and paragraphs, a share bar, a related list, a
footer), each line known to be article or chrome."""

from __future__ import annotations

import random

from tests.badinputs import WORDS, prose

MENU = ["Home", "News", "World", "Business", "Sport", "Culture", "Weather", "Opinion", "Video", "Podcasts",
        "Newsletters", "Log in", "Subscribe", "Search"]
COOKIES = ["We use cookies to improve your experience on our site.", "Accept all", "Manage preferences"]
SHARE = ["Share", "Facebook", "Twitter", "LinkedIn", "Email", "Print"]
FOOTER = ["About us", "Contact", "Careers", "Advertise with us", "Privacy Policy", "Terms of Use",
          "Cookie settings", "Accessibility", "Sitemap", "© 2024 The Daily Harbour. All rights reserved."]


def headline(rng: random.Random) -> str:
    return " ".join(w.capitalize() for w in rng.sample(WORDS, 5))


def page_dump(i: int, paragraphs: int = 6) -> tuple[str, list[str], list[str]]:
    """(text, article lines (title first), chrome lines) of the i-th generated page dump."""
    rng = random.Random(i)
    title = headline(rng)
    body = [" ".join(prose([rng.choice(WORDS) for _ in range(rng.randint(10, 16))]) for _ in range(rng.randint(2, 4)))
            for _ in range(paragraphs)]
    related = [headline(rng) for _ in range(5)]
    top = [*MENU, *COOKIES, "News", "World", "Europe"]
    bottom = [*SHARE, "Related stories", *related, "Most read", *[headline(rng) for _ in range(4)], *FOOTER]
    lines = [*top, title, f"By {rng.choice(['Anna', 'Tom', 'Lea'])} {rng.choice(['Berg', 'Moss', 'Holm'])}",
             *body, *bottom]
    return "\n".join(lines), [title, *body], [*top, *bottom]
