"""Small WARC files written with warcio, as crawlers write them: the WARC tests' fixtures."""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.badinputs import gzip_bomb


@dataclass
class Capture:
    """One fetch of a URL: the records a crawler writes for it."""

    url: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: str = "200 OK"
    date: str = "2024-05-01T12:00:00Z"
    headers: list[tuple[str, str]] = field(default_factory=list)
    request: bool = True    # a request record before the response (as Common Crawl and wget write)
    metadata: bool = False  # a metadata record after it (as Common Crawl writes)


def html_page(title: str, paragraphs: list[str], head: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>{title}</title>{head}</head><body><nav>Home | World | Sport</nav>"
            f"<article><h1>{title}</h1>{body}</article><footer>Contact us</footer></body></html>")


def chunked(data: bytes, size: int = 100) -> bytes:
    """`data` in HTTP/1.1 chunked transfer encoding."""
    parts = [b"%x\r\n%s\r\n" % (len(data[i:i + size]), data[i:i + size]) for i in range(0, len(data), size)]
    return b"".join(parts) + b"0\r\n\r\n"


class Warc:
    """Build a WARC file record by record; `records` counts the records written."""

    def __init__(self, gzipped: bool = True):
        self.stream = BytesIO()
        self.writer = WARCWriter(self.stream, gzip=gzipped, warc_version="1.1")
        self.records = 0

    def warcinfo(self, name: str = "crawl.warc.gz") -> Warc:
        self._write(self.writer.create_warcinfo_record(name, {"software": "tests", "format": "WARC/1.1"}))
        return self

    def capture(self, cap: Capture) -> Warc:
        date = {"WARC-Date": cap.date}
        if cap.request:
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example")], is_http_request=True)
            self._write(self.writer.create_warc_record(cap.url, "request", payload=BytesIO(b""),
                                                       http_headers=request, warc_headers_dict=date))
        headers = StatusAndHeaders(cap.status, [("Content-Type", cap.content_type), *cap.headers],
                                   protocol="HTTP/1.1")
        self._write(self.writer.create_warc_record(cap.url, "response", payload=BytesIO(cap.body),
                                                   http_headers=headers, warc_headers_dict=date))
        if cap.metadata:
            self._write(self.writer.create_warc_record(cap.url, "metadata", payload=BytesIO(b"fetchTimeMs: 12\r\n"),
                                                       warc_content_type="application/warc-fields",
                                                       warc_headers_dict=date))
        return self

    def resource(self, url: str, body: bytes, content_type: str = "text/html",
                 date: str = "2024-05-02T08:30:00Z") -> Warc:
        self._write(self.writer.create_warc_record(url, "resource", payload=BytesIO(body),
                                                   warc_content_type=content_type,
                                                   warc_headers_dict={"WARC-Date": date}))
        return self

    def conversion(self, url: str, text: str, date: str = "2024-05-03T10:00:00Z") -> Warc:
        """A page's text as Common Crawl's WET files hold it."""
        self._write(self.writer.create_warc_record(url, "conversion", payload=BytesIO(text.encode()),
                                                   warc_content_type="text/plain",
                                                   warc_headers_dict={"WARC-Date": date}))
        return self

    def revisit(self, url: str) -> Warc:
        self._write(self.writer.create_revisit_record(url, "sha1:AAAA", url, "2024-04-01T00:00:00Z"))
        return self

    def bytes(self) -> bytes:
        return self.stream.getvalue()

    def save(self, path: Path) -> Path:
        path.write_bytes(self.bytes())
        return path

    def _write(self, rec) -> None:
        self.writer.write_record(rec)
        self.records += 1


def as_one_gzip_stream(path: Path, warc: bytes) -> Path:
    """The WARC records inflated and gzipped again as one stream (`gzip file.warc`): not seekable."""
    path.write_bytes(gzip.compress(gzip.decompress(warc)))
    return path


def append_bomb(path: Path, megabytes: int) -> None:
    """Append a gzipped response record whose page is `megabytes` MB of zero bytes: a gzip bomb."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    header = (b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://bomb.example/\r\n"
              b"WARC-Date: 2024-05-01T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
              b"Content-Length: %d\r\n\r\n" % (len(http) + (megabytes << 20)))
    member = path.with_name(path.name + ".member")
    gzip_bomb(member, inflated=megabytes << 20, prefix=header + http)
    with open(path, "ab") as stream:
        stream.write(member.read_bytes())
    member.unlink()


def member_starts(data: bytes) -> list[int]:
    """Where each gzip member of a file gzipped record by record starts (and where the last ends)."""
    starts, position = [0], 0
    while position < len(data):
        inflater = zlib.decompressobj(31)
        inflater.decompress(data[position:])
        position = len(data) - len(inflater.unused_data)
        starts.append(position)
    return starts
