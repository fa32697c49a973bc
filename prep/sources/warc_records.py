"""WARC and ARC files read record by record with warcio (warc.py plans and reads them with this).

Every WARC record of a file has a number, `source_index`: its position among all the records
of the file, counting from 0, whatever their type (warcinfo, request, response, metadata, ...),
so that `warcio index` or any WARC reader finds it again. Only HTML pages become documents
(prep.sources.warc_kinds); every other record is counted, by its kind, in the manifest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, BinaryIO

from warcio.archiveiterator import ARCIterator, WARCIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from prep.config import LimitsConfig
from prep.sources.base import InputFile, Unplannable
from prep.sources.compression import GzipBomb, StreamBroken, guarded, sha256_hex, too_large_reason
from prep.sources.gzmembers import GzipBroken, GzipMembers
from prep.sources.warc_kinds import skip_reason

GZIP_MAGIC = b"\x1f\x8b"
_BLOCK = 1 << 16
_NOTHING = sha256_hex(b"")

class NotWarc(Unplannable):
    """The file's first record is neither WARC nor ARC: no record of it can be read."""


class _Truncated(ValueError):
    """A record whose block ends before its Content-Length: the file was cut off."""


class _Invalid(ValueError):
    """Bytes that do not form a WARC record where one should start."""


@dataclass(frozen=True)
class Entry:
    """One WARC record as a run sees it.

    `skipped` says why the record is no document (None for a document). A document has its
    HTTP body in `body`, or the reason it cannot be read in `problem`. `offset` is where a
    reader can start at this record: its byte offset in a plain file, the offset of the gzip
    member it begins in a gzipped one, None where no member begins with it. `stored_at` is the
    record's place in the file as stored, its provenance: its own byte offset in a plain file,
    the offset of the gzip member it lies in in a gzipped one. `record_id` is its WARC-Record-ID
    (none for ARC records, which have no id of their own).
    """

    index: int
    skipped: str | None = None
    url: str | None = None
    captured: str | None = None
    charset: str | None = None
    body: bytes | None = None
    sha256: str = _NOTHING
    problem: str | None = None
    offset: int | None = None
    stored_at: int | None = None
    record_id: str | None = None
    kind: str = "html"  # of a document: an HTML page, or the text of one (a WET conversion record)


def iter_entries(file: InputFile, limits: LimitsConfig, offset: int = 0, first_index: int = 0) -> Iterator[Entry]:
    """The file's records from the one at `offset` (numbered `first_index`) to its end.

    Reading stops at the first record that cannot be read whole (a cut-off or corrupt file, a
    gzip bomb, a read error): that record is the last entry, a document with the reason as its
    `problem`, whatever its type, so that where the file breaks is always in dropped/. Raises
    NotWarc when the file is no WARC or ARC file at all.
    """
    try:
        raw = open(file.path, "rb")  # noqa: SIM115 - closed below, after the last entry
    except OSError as err:
        yield Entry(first_index, problem=_unreadable(err))
        return
    with raw:
        yield from _entries(raw, file, limits, offset, first_index)


def _entries(raw: BinaryIO, file: InputFile, limits: LimitsConfig, offset: int, index: int) -> Iterator[Entry]:
    arc = _is_arc(file)
    try:
        stream = _warc_stream(raw, file.codec, offset, limits)
        # one format per file: a line of text would pass for an ARC record header
        records = (ARCIterator if arc else WARCIterator)(stream, arc2warc=arc)
    except Exception as err:
        yield Entry(index, problem=_unreadable(err))
        return
    while True:
        try:
            rec = next(records)
        except StopIteration:
            return
        except Exception as err:
            _check_first(index, err)
            yield Entry(index, problem=_unreadable(err))
            return
        position = records.offset  # where this record starts in the (inflated) stream
        if isinstance(stream, GzipMembers):
            stored_at, exact = stream.locate(position)
            seek: int | None = stored_at if exact else None
        elif stream is raw:
            seek = stored_at = position
        else:  # zstd, bzip2, xz: one stream, no place to start at but its beginning
            seek = stored_at = None
        try:
            entry = _read_record(rec, index, limits, arc)
        except Exception as err:
            _check_first(index, err)
            yield Entry(index, url=_header(rec, "WARC-Target-URI"), captured=_header(rec, "WARC-Date"),
                        problem=_unreadable(err), stored_at=stored_at)
            return
        entry = replace(entry, offset=seek, stored_at=stored_at)
        try:
            # the WARC library ends a record by reading on to the next record's first line: a
            # stream that breaks there breaks in the next record, and this one, read whole, stands
            records.read_to_end()
        except Exception as err:
            yield entry
            yield Entry(index + 1, problem=_unreadable(err))
            return
        yield entry
        index += 1


def _check_first(index: int, err: Exception) -> None:
    """A file whose very first record is no record is no WARC (or ARC) file at all."""
    if index == 0 and isinstance(err, (ArchiveLoadFailed, _Invalid)):
        raise NotWarc(f"not a WARC or ARC file ({_message(err)})") from None


def _is_arc(file: InputFile) -> bool:
    name = file.path.lower()
    return (name.rsplit(".", 1)[0] if file.codec else name).endswith(".arc")


def _warc_stream(raw: BinaryIO, codec: str | None, offset: int, limits: LimitsConfig) -> BinaryIO | GzipMembers:
    """The WARC bytes from `offset`, inflated when they are gzipped, whatever the file's name.

    The WARC library inflates a gzip stream it is given by itself, with no bound on how much,
    so gzip is recognised here by its magic bytes and inflated with the bomb guard, and a WARC
    gzipped twice is refused. A WARC compressed with another codec is inflated as one stream
    (its shards read chunk files, as for a file gzipped as one stream).
    """
    if codec not in (None, "gzip"):
        return guarded(raw, codec, limits)
    raw.seek(offset)
    gzipped = raw.read(2) == GZIP_MAGIC
    raw.seek(offset)
    if not gzipped:
        return raw
    stream = GzipMembers(raw, limits, offset)
    if stream.peek(2) == GZIP_MAGIC:
        raise GzipBroken("gzip inside gzip: a WARC file is gzipped once")
    return stream


def _read_record(rec: ArcWarcRecord, index: int, limits: LimitsConfig, arc: bool) -> Entry:
    """Read one record to its end: a document's body (bounded), any record's completeness."""
    declared = _header(rec, "Content-Length")
    if declared is None or not declared.strip().isdigit():
        raise _Invalid(f"invalid WARC record: Content-Length {declared!r}")
    skipped, charset, kind = skip_reason(rec)
    payload = _Payload(rec.raw_stream)
    # the payload as stored: after the HTTP headers of a response, the whole block of a resource
    stored = rec.payload_length if rec.payload_length >= 0 else rec.length
    entry = Entry(index, skipped, _header(rec, "WARC-Target-URI"), _header(rec, "WARC-Date"), charset,
                  record_id=None if arc else _header(rec, "WARC-Record-ID"), kind=kind)
    body = None
    limit = limits.max_record_bytes
    if skipped is None and stored <= limit:
        rec.raw_stream = payload  # content_stream() undoes chunking and gzip/deflate/br through it
        body = rec.content_stream().read(limit + 1)
    payload.drain()
    if payload.size < stored:
        raise _Truncated(f"truncated WARC record: {payload.size} of {stored} payload bytes")
    if skipped is not None:
        return entry
    if body is None or len(body) > limit:
        return replace(entry, sha256=payload.sha256(), problem=too_large_reason(limit))
    return replace(entry, sha256=payload.sha256(), body=body)


class _Payload:
    """A record's payload as stored, passed through to the decoder, hashed and counted."""

    def __init__(self, stream: Any):
        self._stream = stream
        self._digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = _BLOCK) -> bytes:
        return self._seen(self._stream.read(size))

    def readline(self, size: int = _BLOCK) -> bytes:
        return self._seen(self._stream.readline(size))

    def drain(self) -> None:
        while self.read(_BLOCK):
            pass

    def sha256(self) -> str:
        return self._digest.hexdigest()

    def _seen(self, data: bytes) -> bytes:
        self._digest.update(data)
        self.size += len(data)
        return data


def _header(rec: ArcWarcRecord, name: str) -> str | None:
    return rec.rec_headers.get_header(name)


def _unreadable(err: Exception) -> str:
    if isinstance(err, (GzipBroken, GzipBomb, StreamBroken, _Truncated, _Invalid, ArchiveLoadFailed)):
        return f"unreadable: {_message(err)}"
    if isinstance(err, OSError):
        return f"unreadable: read error ({err.strerror or err})"
    return f"unreadable: {type(err).__name__}: {_message(err)}"


def _message(err: Exception, limit: int = 300) -> str:
    """The error's message on one line, cut short: the WARC library quotes the bad line whole."""
    text = " ".join(str(err).split())
    return text if len(text) <= limit else text[:limit] + " ..."
