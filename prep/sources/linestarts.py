"""Where the records of an uncompressed line file start, found block by block with numpy:
planning a file of gigabytes reads it at disk speed instead of line by line in Python.

The records are exactly the lines `raw.iter_lines` yields: non-blank lines, lines over the size
limit (blank or not), and where a read fails, one line for the failure.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

BLOCK = 4 << 20
_WHITESPACE = np.zeros(256, dtype=bool)
_WHITESPACE[list(b" \t\n\r\x0b\x0c")] = True  # what bytes.strip() strips


def record_starts(path: str, limit: int, block_size: int = BLOCK) -> Iterator[np.ndarray]:
    """Byte offsets of the file's records, in order, a block's worth at a time."""
    buffer = np.empty(block_size, dtype=np.uint8)
    base = line_start = 0     # where the block and the line still open begin in the file
    content = False           # whether the open line has shown a non-blank byte yet
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
            ends = np.flatnonzero(block == 10)
            if len(ends):
                starts = np.r_[line_start - base, ends[:-1] + 1]  # the first may lie in an earlier block
                found = _has_content(block, np.maximum(starts, 0), ends)
                found[0] |= content
                records = found | (ends - starts > limit)
                if records.any():
                    yield starts[records] + base
                line_start, content = base + ends[-1] + 1, False
            tail = block[max(line_start - base, 0):]
            content = content or bool(tail.tobytes().strip())
            base += size
    if line_start < base and (content or base - line_start > limit):
        yield np.array([line_start])  # a last line without a newline


def _has_content(block: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """For each line block[start:end], whether it holds a non-blank byte: its first byte mostly
    tells; the few lines that begin with whitespace are looked at whole."""
    nonempty = starts < ends
    found = nonempty & ~_WHITESPACE[block[np.minimum(starts, len(block) - 1)]]
    for k in np.flatnonzero(nonempty & ~found):
        found[k] = bool(block[starts[k]:ends[k]].tobytes().strip())
    return found
