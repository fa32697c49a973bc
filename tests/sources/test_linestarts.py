"""The compiled record scan that plans uncompressed line files must find exactly the records
the line reader yields, wherever its blocks happen to cut the file."""

import io

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.sources.compression import iter_lines
from prep.sources.linestarts import record_starts

PIECES = [b"{\"text\": \"a\"}", b"x", b" ", b"\t", b"\r", b"\x0b", b"\x0c", b"\n", b"\n", b"\r\n", b"\xc3\xa9",
          b"y" * 9, b"  z  "]


def reader_offsets(data: bytes, limit: int) -> list[int]:
    return [line.offset for line in iter_lines(io.BytesIO(data), limit)]


def scan_offsets(tmp_path, data: bytes, limit: int, block_size: int) -> list[int]:
    path = tmp_path / "lines.jsonl"
    path.write_bytes(data)
    found = list(record_starts(str(path), limit, block_size))
    return np.concatenate(found).tolist() if found else []


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.sampled_from(PIECES), max_size=40), limit=st.integers(1, 12),
       block_size=st.integers(1, 17))
def test_scan_finds_the_records_the_reader_yields(tmp_path_factory, pieces, limit, block_size):
    data = b"".join(pieces)
    tmp_path = tmp_path_factory.mktemp("scan")
    assert scan_offsets(tmp_path, data, limit, block_size) == reader_offsets(data, limit)


def test_blank_and_whitespace_lines_are_not_records_but_long_ones_are(tmp_path):
    data = b"{\"a\": 1}\n\n   \t\r\n" + b" " * 20 + b"\n{\"b\": 2}"
    assert scan_offsets(tmp_path, data, 10, 4) == [0, 16, 37]
    assert reader_offsets(data, 10) == [0, 16, 37]


def test_empty_file_has_no_records(tmp_path):
    assert scan_offsets(tmp_path, b"", 10, 8) == []
