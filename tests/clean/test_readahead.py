"""A shard of pages read part by part in a thread gives what reading it whole and then
extracting it gives: the same records, documents and accounting, in the same order."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest

from prep.clean.extract import readahead
from prep.clean.extract.readahead import PART_RECORDS, read_and_extract
from prep.clean.extract.records import extract
from prep.config import Config
from prep.sources import Shard, Slice, discover, read_shard
from tests import badinputs as bad
from tests.warcs import html_page


def pages_shard(tmp_path: Path, count: int):
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(count):
        page = html_page(f"Story {i}", [bad.story(i), bad.story(i + 100)]).encode()
        if i % 3 == 0:
            (folder / f"{i:02d}.html.gz").write_bytes(gzip.compress(page))
        else:
            (folder / f"{i:02d}.html").write_bytes(page)
    (folder / "99.html.gz").write_bytes(b"not gzip at all")  # a record dropped as unreadable
    found = discover([folder])
    shard = Shard(0, 0, tuple(Slice(file, 0, 1) for file in found.files), pages=len(found.files))
    return shard, Config()


@pytest.mark.parametrize("count", [1, PART_RECORDS, 2 * PART_RECORDS + 3])
def test_read_ahead_equals_reading_then_extracting(tmp_path: Path, count: int):
    shard, config = pages_shard(tmp_path, count)
    counted: list[int] = []
    records, extraction = read_and_extract(shard, config, counted.append)
    whole = read_shard(shard, config)
    expected = extract(whole.frame, config.extract, config.limits.extract_timeout_seconds)
    assert records.frame.equals(whole.frame)
    assert records.files == whole.files and records.problems == whole.problems
    assert extraction.docs.equals(expected.docs)
    assert extraction.docs["order"].to_list() == list(range(shard.first_order, shard.first_order + count + 1))
    assert extraction.pages == expected.pages == count == sum(counted)  # each page told as it is done
    assert extraction.docs["drop_reason"].drop_nulls().str.starts_with("unreadable").to_list() == [True]
    assert extraction.docs["text"].drop_nulls().str.contains("Story").all()


def test_parts_cut_between_slices_and_keep_the_order(tmp_path: Path):
    shard, _ = pages_shard(tmp_path, 24)
    parts = shard.parts(10)
    assert [p.records for p in parts] == [10, 10, 5]
    assert [p.first_order for p in parts] == [shard.first_order + n for n in (0, 10, 20)]
    assert tuple(s for p in parts for s in p.slices) == shard.slices
    [whole] = shard.parts(1000)
    assert (whole.first_order, whole.slices) == (shard.first_order, shard.slices)


def test_a_small_first_part_starts_the_parser_early(tmp_path: Path):
    shard, _ = pages_shard(tmp_path, 24)
    parts = shard.parts(10, first_size=1)
    assert [p.records for p in parts] == [1, 10, 10, 4]
    assert [p.first_order for p in parts] == [shard.first_order + n for n in (0, 1, 11, 21)]
    assert tuple(s for p in parts for s in p.slices) == shard.slices


def test_a_failed_extraction_stops_the_reading(tmp_path: Path, monkeypatch):
    shard, config = pages_shard(tmp_path, 20 * PART_RECORDS)
    reads = []

    def slow_read(part, config):
        time.sleep(0.05)
        reads.append(part.first_order)
        return read_shard(part, config)

    def failing_extract(records, options, timeout, on_pages):
        raise RuntimeError("extraction broke")

    monkeypatch.setattr(readahead, "read_shard", slow_read)
    monkeypatch.setattr(readahead, "extract", failing_extract)
    with pytest.raises(RuntimeError, match="extraction broke"):
        read_and_extract(shard, config, lambda pages: None)
    assert 1 <= len(reads) <= 3  # of 21 parts: the reading stopped with the failure
