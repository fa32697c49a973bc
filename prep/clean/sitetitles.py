"""A title is the document's own headline: the site's name it carries is taken off.

Pages name their site in their title ("What is Cloud Computing? | Google Cloud", "Storm
closes the harbour - Valley Herald"). A part before the first or after the last separator
(" | ", " - ", " – ", " — ", " :: ") is taken off when something says it names the site: it
spells the page's host name ("Google Cloud" on cloud.google.com, "The Verge" on
theverge.com, "BBC News" on bbc.co.uk), or it stands at that end of the titles of several of the
site's pages, more than half of those with a title (a brand the whole site repeats). Nothing
else is: "Breaking Bad - The Finale" stays whole where neither says "Breaking Bad" is the site.
No site is named here; the evidence is the run's own pages.

The site's brands are a corpus-wide fact, found in the reduce after extraction (`site_brands`);
the stage runs after the chrome model, which reads a text document's title line as it stands
in the text.
"""

from __future__ import annotations

import polars as pl

from prep.stage import Frames

STAGE = "site_titles"
SEPARATOR = r"(?: \| | - | – | — | :: )"
MAX_SITE_WORDS = 6       # a site's name is short; a longer part is a headline of its own
BRAND_MIN_PAGES = 2      # the titles of a site a brand is on at least, with different headlines
BRAND_SHARE = 0.5        # ... and more than this share of the site's pages with a title
# host labels that name no site: the kinds of domain and of sub-domain
GENERIC_LABELS = frozenset({"www", "m", "amp", "com", "co", "org", "net", "gov", "edu", "ac", "info", "biz"})
FUNCTION_WORDS = frozenset({"of", "and", "the", "for", "in", "at", "on", "a"})  # left out of initials
SIDES = ("suffix", "prefix")
MAX_STRIPS = 3  # parts taken off one side of a title at most
BRANDS_SCHEMA = {"site": pl.String, "side": pl.String, "part": pl.String}


def _split(title: pl.Expr, side: str) -> tuple[pl.Expr, pl.Expr]:
    """(part, headline): the part after the last separator (suffix) or before the first (prefix),
    and the rest; null where the title has no separator."""
    if side == "suffix":
        pattern = rf"^(.*\S){SEPARATOR}(\S.*)$"  # greedy: the last separator
        return title.str.extract(pattern, 2), title.str.extract(pattern, 1)
    pattern = rf"^(.*?\S){SEPARATOR}(\S.*)$"  # lazy: the first separator
    return title.str.extract(pattern, 1), title.str.extract(pattern, 2)


def _key(part: pl.Expr) -> pl.Expr:
    return part.str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()


def _short(part: pl.Expr) -> pl.Expr:
    return part.str.count_matches(r"\S+") <= MAX_SITE_WORDS


def site_brands(titles: pl.LazyFrame) -> pl.DataFrame:
    """(site, side, part): the parts that stand at one end of the titles of at least
    BRAND_MIN_PAGES of a site's pages (with different headlines), and of more than BRAND_SHARE
    of its pages with a title. `titles`: (site, title) of every document."""
    titled = titles.filter(pl.col("title").is_not_null() & (pl.col("title") != ""))
    pages = titled.group_by("site").agg(titled=pl.len())
    found = []
    for side in SIDES:
        part, headline = _split(pl.col("title"), side)
        found.append(titled.select("site", side=pl.lit(side), part=_key(part), headline=_key(headline))
                     .filter(pl.col("part").is_not_null() & _short(pl.col("part")))
                     .group_by("site", "side", "part").agg(pl.col("headline").n_unique()))
    return (pl.concat(found).join(pages, on="site")
            .filter((pl.col("headline") >= BRAND_MIN_PAGES)
                    & (pl.col("headline") > BRAND_SHARE * pl.col("titled")))
            .select("site", "side", "part").sort("site", "side", "part").collect())


def empty_brands() -> pl.DataFrame:
    return pl.DataFrame(schema=BRANDS_SCHEMA)


def names_host(part: str, host: str) -> bool:
    """Whether a title's part spells the site's host name (`host`: lowercase, as docs.site has it):
    it is the host itself ("news.com.au"), or lies within one of its labels ("The Verge" on
    theverge.com), or at least half of its letters are in words or runs found in a label
    ("Google Cloud" on cloud.google.com, "Nationwide Marketing Group" on nationwidegroup.org),
    or its initials are a label ("Farm Bureau Financial Services" on fbfs.com), or a label is
    its first word and one word follows ("BBC News" on bbc.co.uk)."""
    squashed = _letters(part)
    if len(squashed) < 3:
        return False
    if squashed == _letters(host):
        return True
    labels = [label for label in host.split(".")[:-1] if label not in GENERIC_LABELS]  # the last: the TLD
    labels = {piece for label in labels for piece in (label.replace("-", ""), *label.split("-")) if len(piece) >= 3}
    if not labels:
        return False
    words = [_letters(word) for word in part.replace("-", " ").split()]
    words = [word for word in words if word]
    found = sum(len(word) for word in words if len(word) >= 3 and any(word in label for label in labels))
    runs = sum(len(label) for label in labels if label in squashed)
    initials = "".join(word[0] for word in words if word not in FUNCTION_WORDS)
    return (any(squashed in label for label in labels)
            or 2 * max(found, runs) >= len(squashed)
            or (len(words) >= 3 and initials in labels)
            or (len(words) == 2 and words[0] in labels))


def _letters(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _strip(titles: pl.DataFrame, side: str, brands: pl.DataFrame) -> pl.DataFrame:
    """(order, site, title) with the site's name taken off one side of the titles that carry it."""
    part, headline = _split(pl.col("title"), side)
    split = titles.with_columns(part=part, headline=headline)
    candidates = split.filter(pl.col("part").is_not_null() & _short(pl.col("part")))
    if candidates.is_empty():
        return titles
    pairs = candidates.select("site", "part").unique()
    host = pairs.filter(~pl.col("site").str.starts_with("folder:"))
    spelt = host.filter(pl.Series([names_host(p, s) for s, p in host.iter_rows()], dtype=pl.Boolean))
    branded = brands.filter(pl.col("side") == side).select("site", key="part")
    site_named = (candidates.with_columns(key=_key(pl.col("part")))
                  .join(spelt.with_columns(spelt=pl.lit(True)), on=["site", "part"], how="left")
                  .join(branded.with_columns(brand=pl.lit(True)), on=["site", "key"], how="left")
                  .filter(pl.col("spelt") | pl.col("brand"))
                  .select("order", new=pl.col("headline")))
    return (titles.join(site_named, on="order", how="left", maintain_order="left")
            .with_columns(title=pl.coalesce("new", "title")).drop("new"))


def stage(frames: Frames) -> Frames:
    """docs.title without the site's name at either end, where it carries one."""
    docs = frames.docs
    titles = docs.select("order", "site", "title").filter(pl.col("title").is_not_null())
    if titles.is_empty():
        return frames
    for side in SIDES:
        for _ in range(MAX_STRIPS):  # a name can be there twice: "… – Artlyst - Artlyst"
            stripped = _strip(titles, side, frames.corpus.brands)
            if stripped["title"].equals(titles["title"]):
                break
            titles = stripped
    stripped = docs.select("order").join(titles.select("order", "title"), on="order", how="left",
                                         maintain_order="left")
    return Frames(docs.with_columns(title=stripped["title"]), frames.lines, frames.corpus)
