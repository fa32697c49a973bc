"""HTML pages cut shards at `shard_pages` (the last ones smaller), text records at `shard_records`;
records stay in order."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import polars as pl
import pytest

from prep.config import Config
from prep.sources import discover, plan_shards, read_shard
from tests import badinputs as bad
from tests.warcs import Capture, Warc, html_page


def plan(paths: list[Path], tmp_path: Path, records: int = 100, pages: int = 3):
    config = Config.model_validate({"run": {"shard_records": records, "shard_pages": pages}})
    found = discover(paths)
    shards = plan_shards(found.files, found.problems, config, tmp_path / "chunks").shards
    return shards, config


def page(i: int) -> str:
    return html_page(f"Story {i}", [bad.story(i)])


def test_a_folder_of_pages_is_cut_every_shard_pages_files(tmp_path: Path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(7):
        (folder / f"{i}.html").write_text(page(i))
    shards, config = plan([folder], tmp_path)
    assert [s.records for s in shards] == [3, 3, 1]
    assert [s.pages for s in shards] == [3, 3, 1]
    frame = pl.concat(read_shard(s, config).frame for s in shards)
    assert frame["order"].to_list() == list(range(7))
    assert frame["source_path"].to_list() == [f"pages/{i}.html" for i in range(7)]


def test_the_last_shards_of_a_folder_of_pages_taper_so_the_workers_end_together(tmp_path: Path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(40):
        (folder / f"{i:02d}.html").write_text(page(i))
    shards, config = plan([folder], tmp_path, pages=10)
    # each shard opened with P pages left takes at most P/2 of them, and no fewer than 6
    assert [s.pages for s in shards] == [10, 10, 10, 6, 4]
    frame = pl.concat(read_shard(s, config).frame for s in shards)
    assert frame["order"].to_list() == list(range(40))
    few, _ = plan([folder], tmp_path, pages=1000)  # a small folder is spread over workers too
    assert [s.pages for s in few] == [20, 10, 6, 4]


def test_text_files_fill_shards_by_records_and_pages_count_only_themselves(tmp_path: Path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for i in range(5):
        (folder / f"a{i}.txt").write_text(bad.story(i))
    for i in range(4):
        (folder / f"b{i}.html.gz").write_bytes(gzip.compress(page(i).encode()))
    shards, config = plan([folder], tmp_path, records=100, pages=3)
    # five text files and three pages fill the first shard; the fourth page opens the next
    assert [s.records for s in shards] == [8, 1]
    assert [s.pages for s in shards] == [3, 1]
    frame = pl.concat(read_shard(s, config).frame for s in shards)
    assert frame["order"].to_list() == list(range(9))
    assert frame["kind"].to_list() == ["text"] * 5 + ["html"] * 4


@pytest.mark.parametrize("gzipped", [False, True])
def test_jsonl_of_pages_is_cut_by_pages_and_jsonl_of_text_by_records(tmp_path: Path, gzipped: bool):
    suffix = ".jsonl.gz" if gzipped else ".jsonl"
    opener = gzip.open if gzipped else open
    pages_file, texts_file = tmp_path / f"pages{suffix}", tmp_path / f"texts{suffix}"
    with opener(pages_file, "wt") as f:
        f.writelines(json.dumps({"html": page(i), "url": f"https://a.example/{i}"}) + "\n" for i in range(7))
    with opener(texts_file, "wt") as f:
        f.writelines(json.dumps({"text": bad.story(i)}) + "\n" for i in range(7))
    page_shards, config = plan([pages_file], tmp_path / "p", records=5, pages=3)
    text_shards, _ = plan([texts_file], tmp_path / "t", records=5, pages=3)
    assert [s.records for s in page_shards] == [3, 3, 1]
    assert [s.records for s in text_shards] == [5, 2]
    assert [s.pages for s in text_shards] == [0, 0]
    frame = pl.concat(read_shard(s, config).frame for s in page_shards)
    assert frame["url"].to_list() == [f"https://a.example/{i}" for i in range(7)]
    assert frame["order"].to_list() == list(range(7))


def test_parquet_with_an_html_column_is_cut_by_pages(tmp_path: Path):
    with_html, text_only = tmp_path / "pages.parquet", tmp_path / "texts.parquet"
    pl.DataFrame({"html": [page(i) for i in range(7)]}).write_parquet(with_html)
    pl.DataFrame({"text": [bad.story(i) for i in range(7)]}).write_parquet(text_only)
    assert [s.records for s in plan([with_html], tmp_path / "p", records=5)[0]] == [3, 3, 1]
    assert [s.records for s in plan([text_only], tmp_path / "t", records=5)[0]] == [5, 2]


def test_warc_documents_count_as_pages_and_other_records_do_not(tmp_path: Path):
    warc = Warc().warcinfo()
    for i in range(7):
        warc.capture(Capture(f"https://news.example/{i}", page(i).encode(), metadata=True))
    path = warc.save(tmp_path / "crawl.warc.gz")  # warcinfo, then request, response, metadata per page
    shards, config = plan([path], tmp_path, records=1000, pages=3)
    frames = [read_shard(s, config).frame for s in shards]
    assert [f.height for f in frames] == [3, 3, 1]  # documents per shard
    assert pl.concat(frames)["url"].to_list() == [f"https://news.example/{i}" for i in range(7)]
    assert sum(s.records for s in shards) == 1 + 7 * 3
    assert [s.pages for s in shards] == [3, 3, 1]
