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
