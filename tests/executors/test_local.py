"""The local executor: a pool of worker processes that can be let go between maps."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from prep.config import Config
from prep.executors.local import LocalExecutor
from prep.run import pipeline
from prep.run.warmup import warm_up
from prep.sources import Shard
from tests.conftest import alive
from tests.dedup.helpers import sentences


def worker_pid(shard: Shard, config: Config, out: Path) -> dict:
    time.sleep(0.05)  # long enough for both workers to take a shard
    return {"shard": shard.index, "pid": os.getpid()}


def test_released_workers_exit_and_the_next_map_starts_new_ones(tmp_path: Path):
    executor = LocalExecutor(2, warm_up)
    shards = [Shard(i, i, ()) for i in range(6)]
    try:
        first = executor.map(worker_pid, shards, Config(), tmp_path)
        executor.release()
        second = executor.map(worker_pid, shards, Config(), tmp_path)
    finally:
        executor.close()
    assert [r["shard"] for r in first] == [r["shard"] for r in second] == list(range(6))
    before, after = {r["pid"] for r in first}, {r["pid"] for r in second}
    assert os.getpid() not in before | after
    assert not before & after
    assert not any(alive(pid) for pid in before)


def test_a_run_that_lets_its_workers_go_for_dedup_writes_the_same_bytes(tmp_path: Path, monkeypatch):
    with (tmp_path / "news.jsonl").open("w") as f:
        for i in range(12):
            story = sentences(3000 + i // 3, 10)  # three versions of each of four stories
            f.write(json.dumps({"id": f"r{i}", "text": " ".join(story[i % 3:])}) + "\n")
    config = Config.model_validate({"run": {"workers": 2, "shard_records": 4}})
    events = []
    release, group = LocalExecutor.release, pipeline.group_documents
    monkeypatch.setattr(LocalExecutor, "release", lambda self: (events.append("release"), release(self)))
    monkeypatch.setattr(pipeline, "group_documents", lambda *args: (events.append("group"), group(*args))[1])
    outputs = []
    for name, release_from in (("kept", 12 + 1), ("released", 12)):
        monkeypatch.setattr(pipeline, "RELEASE_WORKERS_FROM", release_from)
        pipeline.run(config, [tmp_path / "news.jsonl"], tmp_path / name)
        outputs.append({p.relative_to(tmp_path / name): p.read_bytes()
                        for p in sorted((tmp_path / name).glob("*/part-*.parquet"))})
    # only the run of at least RELEASE_WORKERS_FROM records let them go, before its reduce
    assert events == ["group", "release", "group"]
    assert outputs[0] == outputs[1]
    corpus = sorted((tmp_path / "released" / "corpus").glob("*.parquet"))
    dropped = pl.read_parquet(tmp_path / "released" / "dropped")
    assert sum(pq.read_metadata(p).num_rows for p in corpus) + dropped.height == 12
    assert dropped["drop_reason"].eq("near_duplicate").sum() == 8


def test_earlier_outputs_documents_count_towards_letting_the_workers_go(tmp_path: Path, monkeypatch):
    """The dedup reduce also holds the documents of the outputs a run deduplicates against."""
    with (tmp_path / "old.jsonl").open("w") as f:
        for i in range(6):
            f.write(json.dumps({"id": f"o{i}", "text": " ".join(sentences(4000 + i, 8))}) + "\n")
    with (tmp_path / "new.jsonl").open("w") as f:
        for i in range(4):
            f.write(json.dumps({"id": f"n{i}", "text": " ".join(sentences(4100 + i, 8))}) + "\n")
    config = Config.model_validate({"run": {"workers": 2, "shard_records": 2}})
    monkeypatch.setattr(pipeline, "RELEASE_WORKERS_FROM", 10)  # 6 earlier documents + 4 records
    pipeline.run(config, [tmp_path / "old.jsonl"], tmp_path / "old")  # 6 records: workers kept
    releases = []
    release = LocalExecutor.release
    monkeypatch.setattr(LocalExecutor, "release", lambda self: (releases.append(self.workers), release(self)))
    against = config.model_copy(update={"dedup": config.dedup.model_copy(update={"against": [tmp_path / "old"]})})
    pipeline.run(against, [tmp_path / "new.jsonl"], tmp_path / "new")
    assert releases == [2]
    assert pl.read_parquet(tmp_path / "new" / "corpus").height == 4
