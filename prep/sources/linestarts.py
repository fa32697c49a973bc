"""Where the records of an uncompressed line file start, found by a compiled scan of large
blocks: planning a file of gigabytes reads it at disk speed instead of line by line in Python.

The records are exactly the lines `raw.iter_lines` yields: non-blank lines, lines over the size
limit (blank or not), and where a read fails, one line for the failure.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numba import njit

BLOCK = 4 << 20


def record_starts(path: str, limit: int, block_size: int = BLOCK) -> Iterator[np.ndarray]:
    """Byte offsets of the file's records, in order, a block's worth at a time."""
    buffer = np.empty(block_size, dtype=np.uint8)
    starts = np.empty(block_size // 2 + 1, dtype=np.int64)  # a record ending in a block has 2 bytes there
    base = line_start = 0
    content = False
    with open(path, "rb", buffering=0) as stream:
        while True:
            try:
                size = stream.readinto(buffer)
            except OSError:
                yield np.array([line_start])  # iter_lines reports the failure as a line here
                return
            if not size:
                break
            block = buffer[:size]
            count, line_start, content = _scan(block, np.flatnonzero(block == 10), base, limit, line_start,
                                               content, starts)
            base += size
            if count:
                yield starts[:count].copy()
    if line_start < base and (content or base - line_start > limit):
        yield np.array([line_start])  # a last line without a newline


@njit(cache=True)
def _scan(block, newlines, base, limit, line_start, content, starts):
    """Starts of the records whose lines end in `block` (at absolute offset `base`; `newlines`:
    the positions of its newline bytes) into `starts`; returns their count and the start and
    content flag of the line still open."""
    count = 0
    position = 0
    for end in newlines:
        if not content:
            content = _has_content(block, max(position, line_start - base), end)
        if content or base + end - line_start > limit:
            starts[count] = line_start
            count += 1
        line_start = base + end + 1
        position = end + 1
        content = False
    if not content:
        content = _has_content(block, max(position, line_start - base), len(block))
    return count, line_start, content


@njit(cache=True, inline="always")
def _has_content(block, start, end):
    """Whether block[start:end] holds a byte other than bytes.strip()'s whitespace; a record's
    first byte mostly answers it."""
    for i in range(start, end):
        byte = block[i]
        if byte != 32 and not 9 <= byte <= 13:
            return True
    return False
