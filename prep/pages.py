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

_HUGE_HINT = re.compile(r",?\s*(use|try) XML_PARSE_HUGE( option)?", re.IGNORECASE)


def parse_page(html: str, url: str | None, options: dict, recall_fallback: float = 0) -> dict:
    """{"text", "title", "url", "date"} of one page, or {"drop_reason"} when it cannot be read whole.

    With `recall_fallback`, the page is also extracted favouring recall, and that text is taken
    when it has more than `recall_fallback` times the words: the default extraction then missed
    part of the article (on the development pages it does so on about one page in twenty), and
    the text stages remove the chrome the recall-favouring one brings along.
    """
    import trafilatura

    problem = parser_limit_problem(html)
    if problem:
        return {"drop_reason": f"extract_failed: {problem}"}
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, **options)
    if recall_fallback and not options.get("favor_recall"):
        fuller = trafilatura.bare_extraction(html, url=url, with_metadata=True, **{**options, "favor_recall": True})
        if fuller is not None and fuller.text and (
                doc is None or len(fuller.text.split()) > recall_fallback * len((doc.text or "").split())):
            doc = fuller
    if doc is None:
        return {"text": "", "title": None, "url": None, "date": None}
    return {"text": doc.text or "", "title": doc.title, "url": doc.url, "date": doc.date}


def parser_limit_problem(html: str) -> str | None:
    """libxml2's message when it stopped parsing the page at one of its safety limits."""
    from lxml import etree
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(collect_ids=False, default_doctype=False, no_network=True)
    try:
        try:
            etree.fromstring(html, parser)
        except ValueError:  # a str with an encoding declaration: lxml wants bytes
            etree.fromstring(html.encode("utf-8", "surrogatepass"), parser)
    except etree.Error:  # e.g. an empty document: nothing was cut short
        pass
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT" or "huge" in entry.message.lower():
            return "HTML parser limit: " + _HUGE_HINT.sub("", entry.message.strip())
    return None


def warm_up() -> None:
    """Import trafilatura and fill its caches, so that a page's time limit measures the page."""
    parse_page("<html><body><article><p>Warm up.</p></article></body></html>", None, {})
