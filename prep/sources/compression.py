"""Bounded reading of raw bytes: a record never costs more memory than the configured limit,
and a compressed file never more work than its size justifies.

Compressed files are read with maintained libraries: gzip, bzip2 and xz with the standard
library, zstd with python-zstandard; each codec's stream is guarded alike (the bomb guard,
max_compression_ratio; a cut-off or corrupt stream named as such).
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import lzma
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import zstandard

from prep.config import LimitsConfig
from prep.sources.decode import Unreadable

_CHUNK = 1 << 20


class TooLarge(ValueError):
    """A record over max_record_bytes (reading stopped there)."""

    def __init__(self, limit: int):
        super().__init__(too_large_reason(limit))


class GzipBomb(ValueError):
    """A compressed stream that inflates far beyond what real text does (gzip or any other codec)."""


class StreamBroken(ValueError):
    """A compressed stream that breaks off or is corrupt, or inflates like a bomb; the message
    says which, in the codec's name (`truncated zstd`, `corrupt bzip2 (...)`, `gzip bomb: ...`)."""


# what each codec raises for a cut-off or corrupt stream (bzip2 says "Invalid data stream" as an
# OSError without an errno)
_CORRUPT = (gzip.BadGzipFile, zlib.error, lzma.LZMAError, zstandard.ZstdError)
_READ_ERRORS = (StreamBroken, OSError)


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


class _ZstdFrames(io.RawIOBase):
    """The inflated bytes of a file of zstd frames; EOFError where the file ends inside a frame.

    python-zstandard's stream reader takes a cut-off file as ended without a word, so frames
    are inflated here with its decompression objects, fed a little input at a time: a zstd block
    may inflate 30,000 times, and what one call returns must stay small for the bomb guard.
    """

    _FEED = 1 << 10

    def __init__(self, raw: BinaryIO):
        self._raw = raw
        self._inflater: Any = None  # the frame being inflated, None between frames
        self._input = b""
        self._output = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._output:
            if not self._input:
                self._input = self._raw.read(_CHUNK)
                if not self._input:
                    if self._inflater is not None:
                        raise EOFError("the file ends inside a zstd frame")
                    return 0
            if self._inflater is None:
                self._inflater = zstandard.ZstdDecompressor().decompressobj()
            piece, self._input = self._input[:self._FEED], self._input[self._FEED:]
            self._output = memoryview(self._inflater.decompress(piece))
            if self._inflater.eof:
                self._input = self._inflater.unused_data + self._input
                self._inflater = None
        size = min(len(buffer), len(self._output))
        buffer[:size] = self._output[:size]
        self._output = self._output[size:]
        return size


def _inflating(raw: BinaryIO, codec: str) -> BinaryIO:
    """A file object of the inflated bytes, as the standard library or python-zstandard reads them."""
    if codec == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    if codec == "bzip2":
        return bz2.BZ2File(raw)  # type: ignore[return-value]
    if codec == "xz":
        return lzma.LZMAFile(raw)  # type: ignore[return-value]
    if codec == "zstd":
        return io.BufferedReader(_ZstdFrames(raw))  # type: ignore[return-value]
    raise ValueError(f"unknown codec {codec}")


class _Guarded:
    """A compressed stream that stops with StreamBroken once it has inflated past `floor` bytes
    and more than `ratio` times the compressed bytes read so far (real text inflates 3 to 20
    times; a bomb, zeros or one repeated byte, about 1000 times, and would otherwise cost
    minutes of work for a few megabytes on disk), or where it breaks off or is corrupt."""

    def __init__(self, raw: BinaryIO, codec: str, ratio: float, floor: int):
        self._raw, self._codec = raw, codec
        self._stream = _inflating(raw, codec)
        self._ratio, self._floor = ratio, floor
        self._inflated = 0

    def read(self, size: int = -1) -> bytes:
        return self._count(lambda: self._stream.read(size))

    def read1(self, size: int = -1) -> bytes:
        return self._count(lambda: self._stream.read1(size))

    def readline(self, size: int = -1) -> bytes:
        return self._count(lambda: self._stream.readline(size))

    def tell(self) -> int:
        """Inflated bytes read so far."""
        return self._inflated

    def _count(self, read: Callable[[], bytes]) -> bytes:
        try:
            data = read()
        except EOFError:
            raise StreamBroken(f"truncated {self._codec}") from None
        except _CORRUPT as err:
            raise StreamBroken(f"corrupt {self._codec} ({err})") from None
        except OSError as err:
            if err.errno is not None:  # the disk, not the data
                raise
            raise StreamBroken(f"corrupt {self._codec} ({err})") from None
        self._inflated += len(data)
        if self._inflated > self._floor:
            compressed = max(1, self._raw.tell())
            if self._inflated > self._ratio * compressed:
                raise StreamBroken(f"{self._codec} bomb: {self._inflated} bytes inflated from {compressed}, "
                                   f"over max_compression_ratio ({self._ratio:g})")
        return data

    def __enter__(self) -> _Guarded:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stream.close()
        self._raw.close()


def open_binary(path: str, codec: str | None, limits: LimitsConfig) -> BinaryIO:
    """The file's bytes, inflated (and guarded) when `codec` names how it is compressed."""
    raw = open(path, "rb")  # noqa: SIM115 - handed to the caller, closed by it
    return raw if codec is None else guarded(raw, codec, limits)


def guarded(raw: BinaryIO, codec: str, limits: LimitsConfig) -> BinaryIO:
    """The inflated bytes of an open compressed file, guarded (see _Guarded)."""
    return _Guarded(raw, codec, limits.max_compression_ratio, limits.max_record_bytes)  # type: ignore[return-value]


def read_whole(path: str, codec: str | None, limits: LimitsConfig) -> bytes:
    """The file's (decompressed) bytes; TooLarge past the record limit, Unreadable for a broken stream."""
    parts: list[bytes] = []
    size = 0
    with open_binary(path, codec, limits) as stream:
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
    if isinstance(err, (StreamBroken, GzipBomb)):
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
