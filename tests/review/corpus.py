"""A small crawl with everything `inspect`, `explain` and `report` describe: chrome lines of
several rules, a site template line, text that looks like markup, exact copies, a story
syndicated to three other sites, short and empty records, an unreadable JSON line, a truncated
gzip file and a Parquet file without a text column."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import polars as pl

WORDS = ("the council said on monday that a new bridge over the river would open next spring after "
         "years of delay while residents of the valley asked for more buses and safer roads near the "
         "school and the hospital officials added that the budget for water and power repairs grew "
         "because storms damaged the harbour and farmers lost crops to floods in the north").split()

CHROME = {
    "breadcrumb": "Home > World > Europe",
    "share": "Share on Facebook",
    "subscribe": "Subscribe to our newsletter",
    "caption": "File photo shows the old bridge during the flood.",
    "copyright": "© 2025 Valley Herald. All rights reserved.",
}
TEMPLATE_LINE = "The Coast Courier is an independent newsroom serving the coast since 1921"
# text that looks like markup (HTML here, rich's in "[Advertisement]"): shown, never run
MARKUP_LINE = ("Readers wrote that <script>alert(1)</script> & <b>bold</b> claims about the bridge budget were "
               "wrong, the council said on monday after the vote on the harbour repairs.")


def paragraphs(seed: int, n: int = 6) -> list[str]:
    """n paragraphs of made-up news prose; different seeds share next to no word 3-grams."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        sentences = []
        for _ in range(3):
            words = [rng.choice(WORDS) for _ in range(rng.randint(14, 22))] + [f"w{rng.randint(0, 10**6)}"]
            sentences.append(" ".join(words).capitalize() + ".")
        out.append(" ".join(sentences))
    return out


def title(seed: int) -> str:
    rng = random.Random(-seed - 1)
    return " ".join(w.capitalize() for w in rng.sample(sorted(set(WORDS)), 7))


def article(seed: int, chrome: list[str]) -> str:
    body = paragraphs(seed)
    lines = [title(seed), *chrome[:1], *body[:3], *chrome[1:2], *body[3:], *chrome[2:]]
    return "\n\n".join(lines) + "\n"


def reworded(text: str, seed: int) -> str:
    """A light syndication edit: one paragraph dropped, a few words swapped."""
    rng = random.Random(seed)
    parts = text.split("\n\n")
    parts.pop(4)
    words = "\n\n".join(parts).split(" ")
    for _ in range(12):
        words[rng.randrange(len(words))] = rng.choice(WORDS)
    return " ".join(words)


def write_crawl(root: Path) -> Path:
    """Write the crawl under root/crawl and return that folder."""
    crawl = root / "crawl"
    herald, courier, post = crawl / "herald", crawl / "courier", crawl / "post"
    for folder in (herald, courier, post):
        folder.mkdir(parents=True)
    chrome = list(CHROME.values())
    for n in range(6):  # the Valley Herald: every page carries chrome of five named rules
        (herald / f"story-{n}.txt").write_text(article(100 + n, chrome), encoding="utf-8")
    for n in range(5):  # the Coast Courier: a line its template repeats on every page
        (courier / f"story-{n}.txt").write_text(article(200 + n, [TEMPLATE_LINE]), encoding="utf-8")
    # story 100 syndicated: an exact copy, and reworded copies on two other sites
    (courier / "wire-100.txt").write_text(article(100, [TEMPLATE_LINE]), encoding="utf-8")
    (post / "wire-100.txt").write_text(reworded(article(100, []), 1), encoding="utf-8")
    (post / "wire-100-b.txt").write_text(reworded(article(100, []), 2), encoding="utf-8")
    (post / "wire-101.txt").write_text(article(101, ["Share on Facebook"]), encoding="utf-8")  # exact copy
    (post / "brief.txt").write_text("Storm warning tonight.\n", encoding="utf-8")  # too short
    records = [
        {"id": "feed-1", "url": "https://post.example/feed-1", "published": "2025-03-01",
         "text": article(300, ["Share on Facebook", "[Advertisement]"]) + "\n" + MARKUP_LINE},
        {"id": "feed-2", "url": "https://post.example/feed-2", "published": "2025-03-02",
         "text": article(301, [])},
        {"id": "feed-empty", "text": "Share on Facebook\n\nSubscribe to our newsletter"},
    ]
    lines = [json.dumps(r) for r in records] + ['{"id": "broken", "text": ']
    (post / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    packed = gzip.compress("\n".join(json.dumps({"id": f"z{i}", "text": article(400 + i, [])})
                                     for i in range(3)).encode())
    (post / "archive.jsonl.gz").write_bytes(packed[: len(packed) // 2])  # truncated in transfer
    pl.DataFrame({"body": ["a table with no text column"]}).write_parquet(post / "export.parquet")  # file error
    return crawl
