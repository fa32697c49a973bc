"""Common dump formats: JSON Lines compressed with zstd, bzip2 or xz, JSON files (an array of
records or one object), every compressible format under every codec, each bounded like gzip."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
from pathlib import Path

import polars as pl
import pytest
import zstandard

from prep.config import Config
from prep.sources import discover, plan_shards, read_shard
from tests import badinputs as bad

CODECS = {".gz": lambda data: gzip.compress(data, mtime=0), ".bz2": bz2.compress, ".xz": lzma.compress,
          ".zst": lambda data: zstandard.ZstdCompressor().compress(data)}


def read(paths: list[Path], tmp_path: Path, **sections) -> tuple[pl.DataFrame, object]:
    config = Config.model_validate(sections)
    found = discover(paths)
    plan = plan_shards(found.files, found.problems, config, tmp_path / "chunks")
    frames = [read_shard(s, config).frame for s in plan.shards]
    return (pl.concat(frames) if frames else pl.DataFrame()), plan


def jsonl_bytes(count: int) -> bytes:
    return "".join(json.dumps({"text": bad.story(i), "id": i}) + "\n" for i in range(count)).encode()


@pytest.mark.parametrize("suffix", sorted(CODECS))
def test_compressed_jsonl_is_read_and_cut_into_chunks_like_gzip(tmp_path: Path, suffix: str):
    path = tmp_path / f"dump.jsonl{suffix}"
    path.write_bytes(CODECS[suffix](jsonl_bytes(25)))
    frame, plan = read([tmp_path], tmp_path, run={"shard_records": 10})
    assert frame["content"].to_list() == [bad.story(i) for i in range(25)]
    assert frame["source_id"].to_list() == [str(i) for i in range(25)]
    assert [s.records for s in plan.shards] == [10, 10, 5]
    assert all(s.slices[0].chunk is not None for s in plan.shards)  # no shard inflates the file from its start


@pytest.mark.parametrize("suffix", sorted(CODECS))
@pytest.mark.parametrize("name", ["story.txt", "page.html"])
def test_every_compressible_format_under_every_codec(tmp_path: Path, suffix: str, name: str):
    content = bad.page(bad.story(1)) if name.endswith(".html") else bad.story(1)
    (tmp_path / f"{name}{suffix}").write_bytes(CODECS[suffix](content.encode()))
    frame, _ = read([tmp_path], tmp_path)
    assert frame["content"].to_list() == [content]


@pytest.mark.parametrize("suffix", sorted(CODECS))
def test_a_cut_off_file_keeps_what_came_before_and_says_where_it_broke(tmp_path: Path, suffix: str):
    packed = CODECS[suffix](jsonl_bytes(3000))  # 1.8 MB: two bzip2 blocks, many zstd ones
    (tmp_path / f"cut.jsonl{suffix}").write_bytes(packed[: len(packed) * 2 // 3])
    frame, _ = read([tmp_path], tmp_path)
    codec = {".gz": "gzip", ".zst": "zstd", ".bz2": "bzip2", ".xz": "xz"}[suffix]
    assert frame.height >= 2 and frame["drop_reason"][:-1].is_null().all()
    assert frame["content"][:-1].to_list() == [bad.story(i) for i in range(frame.height - 1)]
    assert frame["drop_reason"][-1].startswith(f"unreadable: truncated {codec} at byte ")


@pytest.mark.parametrize("suffix", sorted(CODECS))
def test_a_bomb_is_stopped_under_every_codec(tmp_path: Path, suffix: str):
    data = (json.dumps({"text": bad.story(1)}) + "\n").encode() + b"a" * (64 << 20)
    (tmp_path / f"bomb.jsonl{suffix}").write_bytes(CODECS[suffix](data))
    frame, _ = read([tmp_path], tmp_path, limits={"max_record_bytes": 1 << 20})
    codec = {".gz": "gzip", ".zst": "zstd", ".bz2": "bzip2", ".xz": "xz"}[suffix]
    assert frame["content"][0] == bad.story(1)
    assert frame["drop_reason"][1].startswith(f"unreadable: {codec} bomb: ")
    assert "over max_compression_ratio" in frame["drop_reason"][1]


@pytest.mark.parametrize("suffix", ["", ".gz", ".zst"])
def test_json_files_hold_an_array_of_records_or_one_record(tmp_path: Path, suffix: str):
    records = [{"text": bad.story(1), "id": "a"}, "not an object", {"html": bad.page(bad.story(2))}]
    (tmp_path / f"array.json{suffix}").write_bytes((CODECS[suffix] if suffix else bytes)(json.dumps(records).encode()))
    (tmp_path / f"one.json{suffix}").write_bytes((CODECS[suffix] if suffix else bytes)(
        json.dumps({"text": bad.story(3)}).encode()))
    (tmp_path / "broken.json").write_text('[{"text": "cut off')
    frame, plan = read([tmp_path], tmp_path, run={"shard_records": 2})
    rows = frame.select("source_path", "source_index", "content", "source_id", "drop_reason", "source_format").rows()
    assert rows == [
        (f"{tmp_path.name}/array.json{suffix}", 0, bad.story(1), "a", None, "json"),
        (f"{tmp_path.name}/array.json{suffix}", 1, None, None, "unreadable: a JSON str, not an object", "json"),
        (f"{tmp_path.name}/array.json{suffix}", 2, bad.page(bad.story(2)), None, None, "json"),
        (f"{tmp_path.name}/one.json{suffix}", 0, bad.story(3), None, None, "json"),
    ]
    assert [(p.path, p.reason.split(" (")[0]) for p in plan.problems] == [
        (f"{tmp_path.name}/broken.json", "invalid JSON")]


def test_field_names_per_input_in_one_run(tmp_path: Path):
    pl.DataFrame({"content": [bad.story(1)], "uid": ["p1"]}).write_parquet(tmp_path / "a.parquet")
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": bad.story(2), "id": "j1"}) + "\n")
    frame, _ = read([tmp_path], tmp_path, input={"fields": [{"match": "*.parquet", "text_field": "content",
                                                             "id_field": "uid"}]})
    assert frame.select("content", "source_id").rows() == [(bad.story(1), "p1"), (bad.story(2), "j1")]
