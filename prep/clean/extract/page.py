"""One HTML page to its main text and metadata, as the parser process runs it.

Kept apart from prep.clean (which needs polars) so that a parser process starts quickly: it
imports only this module and trafilatura.

Parsing is safe by construction: trafilatura parses with lxml's HTML parser, which never
resolves entities declared in a DTD nor loads external resources (no network, no files), so
entity bombs and external entities stay inert text. libxml2 also stops at 256 levels of
nesting and at huge text nodes; a page it cut short that way is reported, not kept half-read.
"""

from __future__ import annotations

import re
import time

_HUGE_HINT = re.compile(r",?\s*(use|try) XML_PARSE_HUGE( option)?", re.IGNORECASE)
FLAT_MIN_WORDS = 200   # a line this long holding FLAT_SHARE of a text: its paragraph breaks are lost
FLAT_SHARE = 0.9
FLAT_KEEP_SHARE = 0.8  # a structured text with this share of a flat one's words replaces it


def parse_page(html: str, url: str | None, options: dict, recall_fallback: float = 0) -> dict:
    """{"text", "title", "url", "date", "seconds"} of one page, or {"drop_reason", "seconds"} when it
    cannot be read whole.

    With `recall_fallback`, the page is also extracted favouring recall, and that text is taken
    when it has more than `recall_fallback` times the words: the default extraction then missed
    part of the article (on the development pages it does so on about one page in twenty), and
    the text stages remove the chrome the recall-favouring one brings along. It is also taken
    when the default text is flat (one line: trafilatura fell back to a page's JSON-LD
    `articleBody`, which has no paragraph breaks) and it is not, with most of the words: line by
    line, the text stages can remove what does not belong, and in one line they cannot.

    The page is parsed once: both extractions start from the same lxml tree (trafilatura works
    on a copy of a tree it is given), and the parser's own error log says whether it stopped at
    a safety limit, so no second parse is needed to check. `seconds` is the time trafilatura
    took: what a run reports as spent in trafilatura rather than in prep.
    """
    import trafilatura

    started = time.perf_counter()
    tree = trafilatura.load_html(html)
    problem = parser_limit_problem(trafilatura.utils.HTML_PARSER.error_log)
    doc = None
    if tree is not None and not problem:
        doc = trafilatura.bare_extraction(tree, url=url, with_metadata=True, **options)
        if recall_fallback and not options.get("favor_recall"):
            fuller = trafilatura.bare_extraction(tree, url=url, with_metadata=True,
                                                 **{**options, "favor_recall": True})
            if fuller is not None and fuller.text and (doc is None or _better(fuller.text, doc.text or "",
                                                                              recall_fallback)):
                doc = fuller
            del fuller
    if problem:
        found = {"drop_reason": f"extract_failed: {problem}"}
    elif doc is None:
        found = {"text": "", "title": None, "url": None, "date": None}
    else:
        found = {"text": doc.text or "", "title": doc.title, "url": doc.url, "date": doc.date}
    del tree, doc  # freeing the parse trees is part of trafilatura's time
    return {**found, "seconds": time.perf_counter() - started}


def _better(fuller: str, default: str, ratio: float) -> bool:
    """Whether the recall-favouring text replaces the default one (see `parse_page`)."""
    words = len(default.split())
    more = len(fuller.split())
    return more > ratio * words or (is_flat(default) and not is_flat(fuller) and more >= FLAT_KEEP_SHARE * words)


def is_flat(text: str) -> bool:
    """A long text with (nearly) all its words on one line."""
    longest = max((len(line.split()) for line in text.splitlines()), default=0)
    return longest >= FLAT_MIN_WORDS and longest >= FLAT_SHARE * len(text.split())


def parser_limit_problem(error_log) -> str | None:
    """libxml2's message when the last parse stopped at one of its safety limits."""
    for entry in error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT" or "huge" in entry.message.lower():
            return "HTML parser limit: " + _HUGE_HINT.sub("", entry.message.strip())
    return None


def warm_up() -> None:
    """Import trafilatura and fill its caches, so that a page's time limit measures the page."""
    parse_page("<html><body><article><p>Warm up.</p></article></body></html>", None, {})
