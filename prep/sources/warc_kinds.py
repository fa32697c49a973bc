"""Which WARC records are documents, of which kind, and why the others are not: the counts the
manifest keeps."""

from __future__ import annotations

from email.message import Message

from warcio.recordloader import ArcWarcRecord

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
NO_WHOLE_PAGE = frozenset({"204", "205", "206"})  # no content, reset content, a part of the page


def skip_reason(rec: ArcWarcRecord) -> tuple[str | None, str | None, str]:
    """(why the record is no document, None when it is one; the charset its headers declare;
    the document's kind, html or text).

    A document is an HTML page served whole: a `response` with a 2xx status other than 204, 205
    and 206 and an HTML Content-Type (from the HTTP headers, else the crawler's
    WARC-Identified-Payload-Type), or a `resource` record of HTML; or the text of a page, a
    `conversion` record of text/plain, as Common Crawl's WET files hold (the whole visible
    text of the page, which the text stages clean). Redirects and error pages are not the
    article (a redirect's target is a record of its own when it was captured); a revisit has
    no body of its own; requests, metadata and warcinfo describe the crawl.
    """
    kind = rec.rec_type or "no WARC-Type"
    if kind == "conversion":
        media, charset = _content_type(rec.content_type)
        if media not in TEXT_TYPES:
            return f"{kind}: {media or 'no content type'}", None, "text"
        return None, charset, "text"
    if kind == "response" and rec.http_headers is not None:
        status = rec.http_headers.get_statuscode()
        if not status.startswith("2") or status in NO_WHOLE_PAGE:
            return f"response: status {status or 'missing'}", None, "html"
        media, charset = _content_type(rec.http_headers.get_header("Content-Type")
                                       or rec.rec_headers.get_header("WARC-Identified-Payload-Type"))
    elif kind in ("response", "resource"):
        media, charset = _content_type(rec.content_type)
    else:
        return kind, None, "html"
    if media not in HTML_TYPES:
        return f"{kind}: {media or 'no content type'}", None, "html"
    return None, charset, "html"


def _content_type(value: str | None) -> tuple[str | None, str | None]:
    """(media type, charset) of a Content-Type header value, parsed as the email package does."""
    if not value:
        return None, None
    header = Message()
    header["Content-Type"] = value
    return header.get_content_type(), header.get_content_charset()
