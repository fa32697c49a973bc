"""A gzip file inflated member by member, knowing where each member starts.

WARC files are gzipped one record per member, so that a reader can seek to any record's
member and inflate from there: that is how a big .warc.gz is cut into shards. Python's gzip
module hides member boundaries, and the WARC library's own inflation swallows a corrupt or
cut-off stream without a word and has no bound on how much a small file may inflate; this
reader reports both precisely and stops a gzip bomb like every other gzip input does.
"""

from __future__ import annotations

import zlib
from collections import deque
from typing import BinaryIO

from prep.config import LimitsConfig
from prep.sources.compression import GzipBomb

_BLOCK = 1 << 16


class GzipBroken(ValueError):
    """The gzip stream breaks off or is corrupt; the message says where.

    Not an EOFError on purpose: the WARC library takes EOFError as the normal end of a file,
    and a cut-off file would then look complete.
    """


class GzipMembers:
    """A readable, tellable stream of the inflated bytes of a gzip file, from the member at `start`.

    `tell()` counts inflated bytes from `start`; `locate()` maps such a position to the file
    offset of the member it lies in, and says whether that member begins exactly there (a later
    reader can then start at it).
    """

    def __init__(self, raw: BinaryIO, limits: LimitsConfig, start: int = 0):
        raw.seek(start)
        self._raw = raw
        self._ratio, self._floor = limits.max_compression_ratio, limits.max_record_bytes
        self._start = start
        self._input = b""            # compressed bytes read from the file, not yet inflated
        self._input_at = start       # file offset of the first of them
        self._inflater = zlib.decompressobj(31)  # 31: a gzip container
        self._in_member = False
        self._member_at = start      # file offset of the member being inflated
        self._starts: deque[tuple[int, int]] = deque()  # (inflated position, file offset) of members
        self._inflated = 0
        self._output = b""
        self._position = 0

    def tell(self) -> int:
        return self._position

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes (all that are left when negative), fewer when fewer are inflated at
        once: a break further on in the file then surfaces only when the reader gets there."""
        if not self._output:
            self._output = self._inflate()
        while size < 0 and (piece := self._inflate()):
            self._output += piece
        if size < 0:
            size = len(self._output)
        data, self._output = self._output[:size], self._output[size:]
        self._position += len(data)
        return data

    def peek(self, size: int) -> bytes:
        """The next bytes `read` will return (up to `size`, fewer near the end), without reading them."""
        if not self._output:
            self._output = self._inflate()
        return self._output[:size]

    def locate(self, position: int) -> tuple[int, bool]:
        """(file offset of the member inflated `position` lies in, whether that member begins
        exactly there: a reader can start at it). Positions must be asked for in increasing
        order: earlier members are forgotten."""
        while len(self._starts) > 1 and self._starts[1][0] <= position:
            self._starts.popleft()
        inflated, offset = self._starts[0]
        return offset, inflated == position

    def _inflate(self) -> bytes:
        """The next inflated bytes, b"" at the end of the file."""
        while True:
            if not self._input:
                self._input = self._raw.read(_BLOCK)
                if not self._input:
                    if self._in_member:
                        raise GzipBroken(f"truncated gzip (member at byte {self._member_at})")
                    return b""
            if not self._in_member:
                self._begin_member()
                if not self._input:
                    continue
            try:
                out = self._inflater.decompress(self._input, _BLOCK)
            except zlib.error as err:
                raise GzipBroken(f"corrupt gzip ({err}) (member at byte {self._member_at})") from None
            rest = self._inflater.unused_data if self._inflater.eof else self._inflater.unconsumed_tail
            self._input_at += len(self._input) - len(rest)
            self._input = rest
            if self._inflater.eof:
                self._inflater = zlib.decompressobj(31)
                self._in_member = False
            if out:
                self._count(len(out))
                return out

    def _begin_member(self) -> None:
        """Note where the next member starts; zero bytes padding the end of a file are no member."""
        padding = len(self._input) - len(self._input.lstrip(b"\0"))
        self._input_at += padding
        self._input = self._input[padding:]
        if self._input:
            self._in_member = True
            self._member_at = self._input_at
            self._starts.append((self._inflated, self._input_at))

    def _count(self, size: int) -> None:
        self._inflated += size
        compressed = max(1, self._input_at - self._start)
        if self._inflated > self._floor and self._inflated > self._ratio * compressed:
            raise GzipBomb(f"gzip bomb: {self._inflated} bytes inflated from {compressed}, "
                           f"over max_compression_ratio ({self._ratio:g})")
