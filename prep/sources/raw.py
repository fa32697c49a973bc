"""Bounded reading of raw bytes: a record never costs more memory than the configured limit."""

from __future__ import annotations

import gzip
import hashlib
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from prep.sources.decode import Unreadable

_CHUNK = 1 << 20
_READ_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error, OSError)


class TooLarge(ValueError):
    """A record over max_record_bytes; carries the hash of all its bytes so its id is stable."""

    def __init__(self, limit: int, sha256: str):
        super().__init__(too_large_reason(limit))
        self.sha256 = sha256


def too_large_reason(limit: int) -> str:
    return f"too_large: record exceeds max_record_bytes ({limit})"


@dataclass(frozen=True)
class Line:
    """One non-blank line of a line-based file, as read.

    `data` is None for a line over the size limit (its hash is in `sha256`); `problem` is set
    on the last line of a stream that broke off (a truncated or corrupt gzip).
    """

    offset: int
    data: bytes | None
    sha256: str | None = None
    problem: str | None = None


def open_binary(path: str, gzipped: bool) -> BinaryIO:
    raw = open(path, "rb")  # noqa: SIM115 - handed to the caller, closed by it
    return gzip.GzipFile(fileobj=raw, mode="rb") if gzipped else raw


def read_whole(path: str, gzipped: bool, limit: int) -> bytes:
    """The file's (decompressed) bytes; TooLarge past `limit`, Unreadable for a broken gzip."""
    digest = hashlib.sha256()
    parts: list[bytes] = []
    size = 0
    with open_binary(path, gzipped) as stream:
        while True:
            try:
                chunk = stream.read(_CHUNK)
            except _READ_ERRORS as err:
                raise Unreadable(f"{_stream_problem(err)} at byte {size}") from None
            if not chunk:
                break
            digest.update(chunk)
            size += len(chunk)
            if size <= limit:
                parts.append(chunk)
            else:
                parts.clear()  # keep hashing so the record's id stays stable, drop the bytes
    if size > limit:
        raise TooLarge(limit, digest.hexdigest())
    return b"".join(parts)


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
                except _READ_ERRORS:
                    break
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
    return f"read error ({err})"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: str) -> str:
    """sha256 of a file's bytes as stored."""
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
