"""How local workers start: forked from a fork server that imported prep once, yet with the
driver's directory and environment as of when the pool starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from prep.config import Config
from prep.executors.local import LocalExecutor
from prep.executors.workers import input_bytes, start_worker_server
from prep.run import FORK_SERVER_PRELOAD
from prep.run.warmup import warm_up
from prep.sources import Shard
from tests.conftest import PREP
from tests.dedup.helpers import sentences


def what_the_worker_sees(shard: Shard, config: Config, out: Path) -> dict:
    import polars as pl

    time.sleep(0.05)  # long enough for both workers to take a shard
    return {"pid": os.getpid(), "parent": os.getppid(), "cwd": os.getcwd(),
            "marker": os.environ.get("PREP_TEST_MARKER"), "preloaded": "prep.executors.preload" in sys.modules,
            "polars_threads": pl.thread_pool_size()}


def test_workers_come_preloaded_from_the_server_with_the_drivers_directory_and_environment(tmp_path: Path,
                                                                                             monkeypatch):
    assert start_worker_server(2, FORK_SERVER_PRELOAD)  # as the command does, before it changes anything
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PREP_TEST_MARKER", "set after the server started")
    executor = LocalExecutor(2, warm_up)
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


def _news_input(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "news.jsonl").open("w") as f:
        for i in range(8):
            f.write(json.dumps({"id": f"r{i}", "text": " ".join(sentences(7000 + i, 8))}) + "\n")
    (folder / "shards.toml").write_text("[run]\nshard_records = 2\n")


def _run_with_two_workers(cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(PREP), "run", "news.jsonl", "--out", "out", "-c", "shards.toml", "-w", "2"],
                          cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})})


def test_a_prep_folder_in_the_working_directory_does_not_shadow_the_package_in_the_workers(tmp_path: Path):
    _news_input(tmp_path)
    (tmp_path / "prep").mkdir()  # e.g. a run's output folder named prep
    (tmp_path / "prep" / "tasks.py").write_text("raise ImportError('the wrong prep')\n")
    result = _run_with_two_workers(tmp_path)
    assert result.returncode == 0, result.stderr
    assert pl.read_parquet(tmp_path / "out" / "corpus").height == 8


def test_workers_are_spawned_where_the_fork_server_cannot_start(tmp_path: Path):
    _news_input(tmp_path)
    long_tmp = tmp_path / ("t" * 120)  # too long a path for the server's Unix socket
    long_tmp.mkdir()
    result = _run_with_two_workers(tmp_path, {"TMPDIR": str(long_tmp)})
    assert result.returncode == 0, result.stderr
    assert pl.read_parquet(tmp_path / "out" / "corpus").height == 8


def test_a_refused_run_leaves_no_fork_server_behind(tmp_path: Path):
    """The server starts before the run's checks; when they refuse the run, it ends with prep
    instead of finishing its imports with prep's output pipes still open."""
    line = json.dumps({"id": "r", "text": " ".join(sentences(7100, 40))}) + "\n"
    with (tmp_path / "big.jsonl").open("w") as f:  # over the size that starts the server early
        f.write(line * (17_000_000 // len(line) + 1))
    (tmp_path / "out" / "corpus").mkdir(parents=True)  # a folder no prep run wrote: refused
    process = subprocess.Popen([str(PREP), "run", "big.jsonl", "--out", "out", "-w", "2"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 2, err
    deadline = time.monotonic() + 1.0
    while left := _running_in_group(process.pid):  # the group prep led: prep and its fork server
        assert time.monotonic() < deadline, f"the fork server outlived the refused run: {left}"
        time.sleep(0.01)


def _running_in_group(group: int) -> list[int]:
    """Processes of the group that have not ended (a zombie has, its parent just has not reaped it)."""
    running = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            state, _, pgrp = (proc / "stat").read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError):
            continue
        if int(pgrp) == group and state != "Z":
            running.append(int(proc.name))
    return running


# A fork server (its preload imported) forks a worker and dies before the worker's initializer
# runs, as when the run is killed while the pool is starting: the worker must end, not live on
# as init's child, taking tasks still in the pipe.
ORPHANED_WORKER = """
import os, sys, time
import prep.executors.preload
from prep.processes.lifetime import init_local_worker
marker = sys.argv[1]
if os.fork():
    os._exit(0)  # the server dies first
server = prep.executors.preload.SERVER_PID
while os.getppid() == server:
    time.sleep(0.01)
with open(marker + ".pid", "w") as f:
    f.write(str(os.getpid()))
init_local_worker(int(sys.argv[2]), os.getcwd(), dict(os.environ))
open(marker, "w").write("the worker lived on")
"""


@pytest.mark.skipif(sys.platform != "linux", reason="helper lifetimes are tied by a Linux call")
def test_a_worker_whose_server_died_before_it_started_ends(tmp_path: Path):
    marker = tmp_path / "survived"
    env = {**os.environ, "PREP_DRIVER_PID": str(os.getpid())}  # the server's driver: this process
    subprocess.run([sys.executable, "-c", ORPHANED_WORKER, str(marker), str(os.getpid())], env=env, check=True,
                   timeout=60)
    deadline = time.monotonic() + 30
    while not (tmp_path / "survived.pid").exists():
        assert time.monotonic() < deadline, "the worker never started"
        time.sleep(0.05)
    time.sleep(0.05)
    pid = int((tmp_path / "survived.pid").read_text())
    while Path(f"/proc/{pid}").exists() and not marker.exists():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert not marker.exists()
