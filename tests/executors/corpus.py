"""A generated news crawl of a few thousand short documents: several sites, each with template
lines, HTML pages among the JSONL records, exact copies and reworded copies."""

from __future__ import annotations

import json
import random
from pathlib import Path

from tests.badinputs import page
from tests.review.corpus import paragraphs, reworded, title

SITES = ("herald", "courier", "post", "times", "gazette")


def story(seed: int, site: str) -> str:
    return "\n\n".join([title(seed), f"Read more from the {site.capitalize()} every morning",
                        *paragraphs(seed, 3), f"© 2026 {site.capitalize()} Media. All rights reserved."])


def write_news(path: Path, documents: int, seed: int = 7) -> None:
    """`documents` JSONL records; about one in ten is a copy (exact or reworded) of an earlier one,
    one in fifty is HTML."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as stream:
        for i in range(documents):
            site = SITES[i % len(SITES)]
            record = {"id": f"n{i}", "url": f"https://{site}.example/{i}", "published": f"2026-11-{1 + i % 28:02d}"}
            roll = rng.random()
            if i > 20 and roll < 0.05:
                record["text"] = story(rng.randrange(i), site)
            elif i > 20 and roll < 0.1:
                record["text"] = reworded(story(rng.randrange(i), site), i)
            elif roll > 0.98:
                record["html"] = page("\n\n".join(paragraphs(i, 3)), title=title(i))
            else:
                record["text"] = story(i, site)
            stream.write(json.dumps(record) + "\n")
