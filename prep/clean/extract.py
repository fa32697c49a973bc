"""Records to documents: HTML through trafilatura (main text, title, url, date), text as it is."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import polars as pl

from prep.config import Config, ExtractConfig
from prep.schema import DOC_SCHEMA


class ExtractTimeout(Exception):
    pass


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
        row["published"] = iso_date(row["published"])
        row["site"] = site_of(row["url"], rec["source_path"])
        rows.append(row)
    return pl.DataFrame(rows, schema={**DOC_SCHEMA, "text": pl.String()})


def _extract_html(rec: dict, config: Config) -> dict:
    import trafilatura  # heavy: imported by the workers that meet HTML only

    extractor = f"trafilatura {trafilatura.__version__}"
    options = _trafilatura_options(config.extract)
    try:
        with time_limit(config.limits.extract_timeout_seconds):
            doc = trafilatura.bare_extraction(rec["content"], url=rec["url"], with_metadata=True, **options)
            if config.extract.recall_fallback and not options["favor_recall"]:
                doc = _more_complete(doc, trafilatura.bare_extraction(
                    rec["content"], url=rec["url"], with_metadata=True, **{**options, "favor_recall": True}),
                    config.extract.recall_fallback)
    except ExtractTimeout:
        return {"extractor": extractor, "drop_reason":
                f"extract_timeout: over {config.limits.extract_timeout_seconds:g} s"}
    except Exception as err:  # trafilatura/lxml give up on some malformed pages
        return {"extractor": extractor, "drop_reason": f"extract_failed: {type(err).__name__}: {err}"}
    if doc is None:
        return {"extractor": extractor, "text": ""}
    return {
        "extractor": extractor,
        "text": doc.text or "",
        "title": rec["title"] or doc.title,
        "url": rec["url"] or doc.url,
        "published": rec["published"] or doc.date,
    }


def _more_complete(doc, recall_doc, ratio: float):
    """The recall-favouring extraction when it found much more text: the default one then
    missed part of the article (the text stages remove what it brought along)."""
    if recall_doc is None or not recall_doc.text:
        return doc
    if doc is None or not doc.text or len(recall_doc.text.split()) > ratio * len(doc.text.split()):
        return recall_doc
    return doc


def _trafilatura_options(options: ExtractConfig) -> dict:
    return {"favor_precision": options.favor_precision, "favor_recall": options.favor_recall,
            "include_tables": options.include_tables, "include_comments": options.include_comments}


@contextmanager
def time_limit(seconds: float):
    """Interrupt the block after `seconds` (a real-time alarm; only possible on the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise ExtractTimeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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
