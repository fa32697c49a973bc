"""Output every reader loads: corpus/ and dropped/ share one schema, so HF datasets takes them as
two splits of one dataset (or as one); drop_reason is a closed set, the specifics in drop_detail."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from prep.schema import DROP_REASONS, OUTPUT_SCHEMA
from tests import badinputs as bad
from tests.conftest import read_table, run_prep


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory) -> Path:
    """A run with kept records, copies and records that cannot be read."""
    work = tmp_path_factory.mktemp("mixed")
    folder = work / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"story-{i}.txt").write_text(bad.story(i))
    (folder / "copy.txt").write_text(bad.story(0))
    (folder / "feed.jsonl").write_text("\n".join([json.dumps({"text": bad.story(5)}), '{"text": ', "[1, 2]",
                                                  json.dumps({"text": 42})]) + "\n")
    result = run_prep("run", "in", "--out", "out", cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "out"


def test_drop_reasons_are_a_closed_set_and_the_specifics_are_in_drop_detail(mixed_run: Path):
    dropped = read_table(mixed_run, "dropped")
    assert set(dropped["drop_reason"]) <= set(DROP_REASONS)
    feed = dropped.filter(pl.col("source_path") == "in/feed.jsonl")
    details = dict(zip(feed["source_index"], feed["drop_detail"], strict=True))
    assert feed["drop_reason"].to_list() == ["unreadable"] * 3
    assert details[1].startswith("invalid JSON (") and details[2] == "a JSON list, not an object"
    assert details[3] == "field 'text' is a int, not a string"
    corpus = read_table(mixed_run, "corpus")
    assert corpus["drop_reason"].null_count() == corpus["drop_detail"].null_count() == corpus.height
    # grouping by reason gives one row per reason, whatever the messages
    counts = duckdb.connect().execute(
        f"SELECT drop_reason, count(*) FROM read_parquet('{mixed_run}/dropped/*.parquet') GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert counts == [("exact_duplicate", 1), ("unreadable", 3)]


def test_both_tables_have_one_schema_and_load_as_splits_of_one_hf_dataset(mixed_run: Path):
    datasets = pytest.importorskip("datasets")
    assert read_table(mixed_run, "corpus").schema == read_table(mixed_run, "dropped").schema == OUTPUT_SCHEMA
    splits = datasets.load_dataset("parquet", data_files={"corpus": f"{mixed_run}/corpus/*.parquet",
                                                         "dropped": f"{mixed_run}/dropped/*.parquet"})
    assert splits["corpus"].num_rows == 4 and splits["dropped"].num_rows == 4
    assert set(splits["dropped"]["drop_reason"]) == {"exact_duplicate", "unreadable"}
    whole = datasets.load_dataset("parquet", data_files=f"{mixed_run}/*/*.parquet", split="train")
    assert whole.num_rows == 8
    assert pl.from_arrow(whole.data.table).filter(pl.col("drop_reason").is_null()).height == 4


def test_common_dump_formats_with_field_names_per_input_through_the_cli(tmp_path: Path):
    """zstd, bzip2 and xz beside gzip, JSON files, and each input's own field names, in one run."""
    import bz2
    import lzma

    import zstandard

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "dump.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(
        "".join(json.dumps({"text": bad.story(i)}) + "\n" for i in range(3)).encode()))
    (folder / "array.json").write_text(json.dumps([{"text": bad.story(3)}, {"text": bad.story(4)}]))
    (folder / "one.json.bz2").write_bytes(bz2.compress(json.dumps({"text": bad.story(5)}).encode()))
    (folder / "page.html.xz").write_bytes(lzma.compress(bad.page(bad.story(6)).encode()))
    pl.DataFrame({"content": [bad.story(7)], "uid": ["p-7"]}).write_parquet(folder / "rows.parquet")
    (tmp_path / "c.toml").write_text('[[input.fields]]\nmatch = "*.parquet"\ntext_field = "content"\n'
                                     'id_field = "uid"\n')
    result = run_prep("run", "in", "--out", "out", "-c", "c.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["inputs"]["errors"] == [] and manifest["inputs"]["ignored"] == []
    assert manifest["counts"]["records_read"] == manifest["counts"]["kept"] == 8
    corpus = read_table(tmp_path / "out", "corpus")
    for i in range(8):
        assert corpus["text"].str.contains(bad.story(i)[:60], literal=True).any(), i
    formats = duckdb.connect().execute(f"SELECT source_format, count(*) FROM read_parquet('{tmp_path}/out/corpus/"
                                       "*.parquet') GROUP BY 1 ORDER BY 1").fetchall()
    assert formats == [("html", 1), ("json", 3), ("jsonl", 3), ("parquet", 1)]
    assert corpus.filter(pl.col("source_format") == "parquet")["source_id"].to_list() == ["p-7"]
