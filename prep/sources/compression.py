"""Bounded reading of raw bytes: a record never costs more memory than the configured limit,
and a compressed file never more work than its size justifies."""

from __future__ import annotations

import gzip
import hashlib
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from prep.config import LimitsConfig
from prep.sources.decode import Unreadable

_CHUNK = 1 << 20


class TooLarge(ValueError):
    """A record over max_record_bytes (reading stopped there)."""

    def __init__(self, limit: int):
        super().__init__(too_large_reason(limit))


class GzipBomb(ValueError):
    """A gzip stream that inflates far beyond what real text does."""


_READ_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error, GzipBomb, OSError)


def too_large_reason(limit: int) -> str:
    return f"too_large: record exceeds max_record_bytes ({limit})"


@dataclass(frozen=True)
class Line:
    """One non-blank line of a line-based file, as read.

    `data` is None for a line over the size limit (its hash is in `sha256`); `problem` is set
    on the last line of a stream that broke off (a truncated or corrupt gzip, a gzip bomb).
    """

    offset: int
    data: bytes | None
    sha256: str | None = None
    problem: str | None = None


class _GuardedGzip:
    """A gzip stream that stops with GzipBomb once it has inflated past `floor` bytes and more
    than `ratio` times the compressed bytes read so far. Real text inflates 3 to 20 times;
    a bomb (zeros, one repeated byte) about 1000 times, and would otherwise cost minutes of
    decompression for a few megabytes on disk."""

    def __init__(self, raw: BinaryIO, ratio: float, floor: int):
        self._raw = raw
        self._stream = gzip.GzipFile(fileobj=raw, mode="rb")
        self._ratio, self._floor = ratio, floor
        self._inflated = 0

    def read(self, size: int = -1) -> bytes:
        return self._count(self._stream.read(size))

    def read1(self, size: int = -1) -> bytes:
        return self._count(self._stream.read1(size))

    def readline(self, size: int = -1) -> bytes:
        return self._count(self._stream.readline(size))

    def _count(self, data: bytes) -> bytes:
        self._inflated += len(data)
        if self._inflated > self._floor:
            compressed = max(1, self._raw.tell())
            if self._inflated > self._ratio * compressed:
                raise GzipBomb(f"gzip bomb: {self._inflated} bytes inflated from {compressed}, "
                               f"over max_compression_ratio ({self._ratio:g})")
        return data

    def __enter__(self) -> _GuardedGzip:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stream.close()
        self._raw.close()


def open_binary(path: str, gzipped: bool, limits: LimitsConfig) -> BinaryIO:
    raw = open(path, "rb")  # noqa: SIM115 - handed to the caller, closed by it
    if not gzipped:
        return raw
    return _GuardedGzip(raw, limits.max_compression_ratio, limits.max_record_bytes)  # type: ignore[return-value]


def read_whole(path: str, gzipped: bool, limits: LimitsConfig) -> bytes:
    """The file's (decompressed) bytes; TooLarge past the record limit, Unreadable for a broken gzip."""
    parts: list[bytes] = []
    size = 0
    with open_binary(path, gzipped, limits) as stream:
        while size <= limits.max_record_bytes:
            try:
                # read1: what inflates before a break is counted, so the break's position is exact
                chunk = stream.read1(min(_CHUNK, limits.max_record_bytes + 1 - size))
            except _READ_ERRORS as err:
                raise Unreadable(f"{_stream_problem(err)} at byte {size}") from None
            if not chunk:
                return b"".join(parts)
            parts.append(chunk)
            size += len(chunk)
    raise TooLarge(limits.max_record_bytes)


def iter_lines(stream: BinaryIO, limit: int, offset: int = 0) -> Iterator[Line]:
    """Non-blank lines of a stream (without their newline), starting at byte `offset`."""
    position = offset
    while True:
        start = position
        try:
            line = stream.readline(limit + 1)
        except _READ_ERRORS as err:
            yield Line(start, b"", problem=f"{_stream_problem(err)} at byte {start}")
            return
        if not line:
            return
        position += len(line)
        if len(line) > limit and not line.endswith(b"\n"):
            digest = hashlib.sha256(line)
            while not line.endswith(b"\n"):
                try:
                    line = stream.readline(_CHUNK)
                except _READ_ERRORS as err:
                    yield Line(start, b"", problem=f"{_stream_problem(err)} at byte {position}")
                    return
                if not line:
                    break
                position += len(line)
                digest.update(line.rstrip(b"\r\n"))
            yield Line(start, None, sha256=digest.hexdigest())
            continue
        stripped = line.rstrip(b"\r\n")
        if stripped.strip():
            yield Line(start, stripped)


def _stream_problem(err: Exception) -> str:
    if isinstance(err, EOFError):
        return "truncated gzip"
    if isinstance(err, (gzip.BadGzipFile, zlib.error)):
        return f"corrupt gzip ({err})"
    if isinstance(err, GzipBomb):
        return str(err)
    if isinstance(err, OSError):
        return f"read error ({err.strerror or err})"
    return f"read error ({err})"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: str) -> str:
    """sha256 of a file's bytes as stored."""
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
