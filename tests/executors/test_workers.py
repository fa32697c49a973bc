"""How local workers start: forked from a fork server that imported prep once, yet with the
driver's directory and environment as of when the pool starts."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from prep.config import Config
from prep.executors.local import LocalExecutor
from prep.executors.workers import input_bytes, start_worker_server
from prep.sources import Shard


def what_the_worker_sees(shard: Shard, config: Config, out: Path) -> dict:
    import polars as pl

    time.sleep(0.05)  # long enough for both workers to take a shard
    return {"pid": os.getpid(), "parent": os.getppid(), "cwd": os.getcwd(),
            "marker": os.environ.get("PREP_TEST_MARKER"), "preloaded": "prep.executors.preload" in sys.modules,
            "polars_threads": pl.thread_pool_size()}


def test_workers_come_preloaded_from_the_server_with_the_drivers_directory_and_environment(tmp_path: Path,
                                                                                             monkeypatch):
    assert start_worker_server(2)  # as the command does, before it changes anything
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PREP_TEST_MARKER", "set after the server started")
    executor = LocalExecutor(2)
    try:
        seen = executor.map(what_the_worker_sees, [Shard(i, i, ()) for i in range(4)], Config(), tmp_path)
    finally:
        executor.close()
    assert len({s["pid"] for s in seen}) == 2
    assert all(s["preloaded"] for s in seen)  # prep was imported before the fork ...
    assert os.getpid() not in {s["parent"] for s in seen}  # ... by the server, not by this process
    assert {os.path.realpath(s["cwd"]) for s in seen} == {os.path.realpath(tmp_path)}
    assert {s["marker"] for s in seen} == {"set after the server started"}
    # each worker's share of the cores, not one polars thread per core each
    assert {s["polars_threads"] for s in seen} == {int(os.environ["POLARS_MAX_THREADS"])}


def test_input_bytes_counts_files_and_folders_until_it_has_enough(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_bytes(b"x" * 10)
    (tmp_path / "a" / "deeper").mkdir()
    (tmp_path / "a" / "deeper" / "two.txt").write_bytes(b"x" * 20)
    (tmp_path / "three.jsonl").write_bytes(b"x" * 5)
    inputs = [tmp_path / "a", tmp_path / "three.jsonl", tmp_path / "missing"]
    assert input_bytes(inputs, 1000) == 35
    assert 10 < input_bytes(inputs, 10) <= 35  # stops counting once past what it needs
    assert input_bytes([tmp_path / "missing"], 1000) == 0
