"""Records to documents: HTML through trafilatura (main text, title, url, date), text as it is."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version

import polars as pl

from prep.clean.extract.page import parse_page, warm_up
from prep.clean.extract.sandbox import CallFailed, CallTimeout, ChildDied, IsolatedWorker
from prep.config import ExtractConfig
from prep.schema import DOC_SCHEMA
from prep.text.dates import iso_dates
from prep.text.repair import repaired


@dataclass
class Extraction:
    """A shard's documents (DOC_SCHEMA plus `text`, null when the record was dropped), how many
    HTML pages went to trafilatura and the seconds it spent on them, and how many `published`
    values were given but could not be read as a date (left null, or the capture date)."""

    docs: pl.DataFrame
    pages: int = 0
    trafilatura_seconds: float = 0.0
    unreadable_dates: int = 0


def _uncounted(records: int) -> None:
    """The progress callback of a caller that does not count."""


def extract(records: pl.DataFrame, options: ExtractConfig, timeout: float,
            on_pages: Callable[[int], None] = _uncounted) -> Extraction:
    """One document per record. Text records pass through as they are; only HTML records are
    handed, one at a time, to the parser process, which gets `timeout` seconds for each.
    `on_pages(1)` is called after each page: a shard of pages takes minutes, and whoever
    watches the run is told how far it is."""
    readable = pl.col("drop_reason").is_null()
    docs = records.with_columns(
        text=pl.when(readable & (pl.col("kind") != "html")).then(pl.col("content")),
        extractor=pl.lit("text"),
    )
    pages = docs.with_row_index("row").filter(readable & (pl.col("kind") == "html"))
    seconds = 0.0
    if not pages.is_empty():
        extracted = []
        for rec in pages.iter_rows(named=True):
            extracted.append(_extract_html(rec, options, timeout))
            on_pages(1)
        seconds = sum(page.pop("seconds", 0.0) for page in extracted)
        found = pl.DataFrame(extracted, schema={"text": pl.String, "title": pl.String, "url": pl.String,
                                                "published": pl.String, "extractor": pl.String,
                                                "drop_reason": pl.String})
        rows = pages["row"]
        docs = docs.with_columns(
            docs[name].scatter(rows, found[name]) for name in ("text", "extractor", "drop_reason"))
        docs = docs.with_columns(
            docs[name].scatter(rows, found[name].fill_null(pages[name])) for name in ("title", "url", "published"))
    # the record's own date (input field, else HTML metadata); a crawled page without one
    # takes the date it was fetched
    given = docs["published"]
    read = iso_dates(given)
    unreadable = int((given.is_not_null() & (given.str.strip_chars() != "") & read.is_null()).sum())
    docs = docs.with_columns(
        published=pl.coalesce(read, iso_dates(docs["captured"])),
        site=site_of(pl.col("url"), pl.col("source_path")),
    ).select(*DOC_SCHEMA.names(), "text").cast({**DOC_SCHEMA, "text": pl.String()})
    return Extraction(docs, pages.height, seconds, unreadable)


def start_parser() -> None:
    """Start this process's parser process now, while the caller reads the pages it will parse."""
    _parser_process().start()


@functools.cache
def _parser_process() -> IsolatedWorker:
    """The process that parses this process's HTML: started at the first page, reused for the
    next ones, replaced after a page that hung or crashed it."""
    return IsolatedWorker(warm_up=warm_up)


@functools.cache
def _extractor_name() -> str:
    """Read from the installed package's metadata (the parser process imports trafilatura, this
    one does not), once: reading it costs milliseconds, a page's share of a second."""
    return f"trafilatura {version('trafilatura')}"


def _extract_html(rec: dict, options: ExtractConfig, limit: float) -> dict:
    """Extract one page in the parser process, within the time limit; a page that overruns or
    breaks the parser is dropped with the reason, and the run goes on. `seconds`: the time
    trafilatura spent on it."""
    extractor = _extractor_name()
    # mojibake is undone in the page before it is parsed: its C1 controls ("weâ\x80\x99ve" for
    # "we’ve") are dropped by the parser, and what is left ("weâve") no longer says what it was
    html = repaired(rec["content"])
    try:
        found = _parser_process().call(parse_page, html, rec["url"], _trafilatura_options(options),
                                       options.recall_fallback, timeout=limit)
    except CallTimeout:  # the page held trafilatura for the whole limit
        return {"extractor": extractor, "drop_reason": f"extract_timeout: over {limit:g} s", "seconds": limit}
    except (CallFailed, ChildDied) as err:  # trafilatura/lxml give up on some malformed pages
        return {"extractor": extractor, "drop_reason": f"extract_failed: {err}"}
    if "drop_reason" in found:
        return {"extractor": extractor, **found}
    # what the record itself says (input fields) comes first; `extract` fills the gaps
    return {
        "extractor": extractor,
        "text": found["text"],
        "title": rec["title"] or found["title"],
        "url": rec["url"] or found["url"],
        "published": rec["published"] or found["date"],
        "seconds": found["seconds"],
    }


def _trafilatura_options(options: ExtractConfig) -> dict:
    return {"favor_precision": options.favor_precision, "favor_recall": options.favor_recall,
            "include_tables": options.include_tables, "include_comments": options.include_comments}


_HOST = r"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?\[?([^/?#:\]]+)"


def site_of(url: pl.Expr, source_path: pl.Expr) -> pl.Expr:
    """The site a page belongs to: its URL's host, else the folder it was read from."""
    host = url.str.extract(_HOST, 1).str.to_lowercase().str.strip_prefix("www.")
    folder = pl.when(source_path.str.contains("/")).then(source_path.str.replace(r"/[^/]*$", "")).otherwise(
        pl.lit("."))
    return pl.when(host.is_not_null() & (host != "")).then(host).otherwise(pl.lit("folder:") + folder)
