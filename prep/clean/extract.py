"""Records to documents: HTML through trafilatura (main text, title, url, date), text as it is."""

from __future__ import annotations

import functools
from datetime import datetime
from email.utils import parsedate_to_datetime
from importlib.metadata import version
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import polars as pl

from prep.config import Config, ExtractConfig
from prep.executors.isolated import CallFailed, CallTimeout, ChildDied, IsolatedWorker
from prep.pages import parse_page, warm_up
from prep.schema import DOC_SCHEMA


def extract(records: pl.DataFrame, config: Config) -> pl.DataFrame:
    """One row per record: DOC_SCHEMA plus `text` (null when the record was dropped)."""
    rows = []
    for rec in records.iter_rows(named=True):
        row = {name: rec.get(name) for name in DOC_SCHEMA.names()}
        row["text"] = None
        row["extractor"] = "text"
        if rec["drop_reason"] is None:
            if rec["kind"] == "html":
                row.update(_extract_html(rec, config))
            else:
                row["text"] = rec["content"]
        # the record's own date (input field, else HTML metadata); a crawled page without one
        # takes the date it was fetched
        row["published"] = iso_date(row["published"]) or iso_date(rec.get("captured"))
        row["site"] = site_of(row["url"], rec["source_path"])
        rows.append(row)
    return pl.DataFrame(rows, schema={**DOC_SCHEMA, "text": pl.String()})


@functools.cache
def _parser_process() -> IsolatedWorker:
    """The process that parses this process's HTML: started at the first page, reused for the
    next ones, replaced after a page that hung or crashed it."""
    return IsolatedWorker(warm_up=warm_up)


def _extract_html(rec: dict, config: Config) -> dict:
    """Extract one page in the parser process, within the time limit; a page that overruns or
    breaks the parser is dropped with the reason, and the run goes on."""
    extractor = f"trafilatura {version('trafilatura')}"  # the parser process imports it, not this one
    limit = config.limits.extract_timeout_seconds
    try:
        found = _parser_process().call(parse_page, rec["content"], rec["url"], _trafilatura_options(config.extract),
                                       config.extract.recall_fallback, timeout=limit)
    except CallTimeout:
        return {"extractor": extractor, "drop_reason": f"extract_timeout: over {limit:g} s"}
    except (CallFailed, ChildDied) as err:  # trafilatura/lxml give up on some malformed pages
        return {"extractor": extractor, "drop_reason": f"extract_failed: {err}"}
    if "drop_reason" in found:
        return {"extractor": extractor, **found}
    return {
        "extractor": extractor,
        "text": found["text"],
        "title": rec["title"] or found["title"],
        "url": rec["url"] or found["url"],
        "published": rec["published"] or found["date"],
    }


def _trafilatura_options(options: ExtractConfig) -> dict:
    return {"favor_precision": options.favor_precision, "favor_recall": options.favor_recall,
            "include_tables": options.include_tables, "include_comments": options.include_comments}


def iso_date(value: str | None) -> str | None:
    """An ISO 8601 date or date-time as given, an RFC 2822 date converted, anything else null."""
    if not value:
        return None
    try:
        datetime.fromisoformat(value)
        return value
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def site_of(url: str | None, source_path: str) -> str:
    """The site a page belongs to: its URL's host, else the folder it was read from."""
    if url:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        if host:
            return host
    return "folder:" + str(PurePosixPath(source_path).parent)
