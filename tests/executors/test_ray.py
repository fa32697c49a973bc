"""The Ray engine through the real CLI, on a local cluster: the same bytes as the local engine,
a worker that dies is retried, a killed driver resumes; and its error paths."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path

import duckdb
import pytest

from prep.config import Config
from prep.executors import EngineUnavailable, make_executor
from prep.run.warmup import warm_up
from prep.sources import Shard
from tests.behaviour.test_faults import done_files, finish, outputs, start_prep
from tests.conftest import read_table, run_prep
from tests.executors.corpus import write_news

DOCUMENTS = 1500
SHARDS = "[run]\nshard_records = 300\n"  # five shards


@pytest.fixture(scope="module")
def news(tmp_path_factory) -> Path:
    """The generated crawl, and the local engine's output of it in `local/`."""
    root = tmp_path_factory.mktemp("ray")
    write_news(root / "news.jsonl", DOCUMENTS)
    (root / "shards.toml").write_text(SHARDS)
    result = run_prep("run", "news.jsonl", "--out", "local", "-c", "shards.toml", "-w", "2", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def sha256s(out: Path) -> dict[str, str]:
    manifest = json.loads((out / "manifest.json").read_text())
    return {o["file"]: o["sha256"] for table in ("corpus", "dropped", "signatures") for o in manifest["outputs"][table]}


def test_ray_engine_writes_the_local_engines_bytes(news: Path, ray_cluster: str):
    result = run_prep("run", "news.jsonl", "--out", "ray", "-c", "shards.toml", "--engine", "ray",
                      "--address", ray_cluster, cwd=news)
    assert result.returncode == 0, result.stderr
    expected = outputs(news / "local")
    assert len(expected) == 15 and outputs(news / "ray") == expected  # five parts in each of the three tables
    assert sha256s(news / "ray") == sha256s(news / "local")
    for table in ("corpus", "dropped"):
        assert read_table(news / "ray", table).equals(read_table(news / "local", table))
        query = f"SELECT * FROM read_parquet('{{}}/{table}/*.parquet') ORDER BY doc_id"
        assert (duckdb.sql(query.format(news / "ray")).fetchall()
                == duckdb.sql(query.format(news / "local")).fetchall())
    dropped = read_table(news / "ray", "dropped")["drop_reason"]
    assert dropped.eq("near_duplicate").sum() > 50 and dropped.eq("exact_duplicate").sum() > 50


def test_a_killed_driver_resumes_and_a_dead_worker_is_retried(news: Path, ray_cluster: str):
    args = ("run", "news.jsonl", "--out", "resumed", "-c", "shards.toml", "--engine", "ray",
            "--address", ray_cluster)
    out = news / "resumed"
    before: dict[str, int] = {}
    for point, reused in (("template-written", None), ("decisions-written", "extract 5, clean 0, write 0")):
        code, err = finish(start_prep(*args, cwd=news, crash_at=point))  # kill -9 of the driver
        assert code == -signal.SIGKILL, f"{point}: {err}"
        if reused:
            assert f"reusing 5 finished shard tasks ({reused})" in err
        after = done_files(out)
        assert {name: after.get(name) for name in before} == before, f"{point}: finished work was redone"
        before = after
    assert len(before) == 10 and not (out / "manifest.json").exists()
    marker = news / "worker-died"
    code, err = finish(start_prep(*args, cwd=news, crash_at="write-data:2", crash_once=marker))
    assert code == 0, err
    assert marker.exists()  # a worker died with shard 2's parts staged, and Ray ran the task again
    assert "reusing 10 finished shard tasks (extract 5, clean 5, write 0)" in err
    assert outputs(out) == outputs(news / "local")


def test_address_without_the_ray_engine_is_refused(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Headline\n\nSome words of a story that is long enough to keep.")
    result = run_prep("run", "a.txt", "--out", "out", "--address", "127.0.0.1:6379", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        'prep: error: config: run.address (--address) is for the ray engine: set run.engine = "ray" '
        "or pass --engine ray"]
    assert not (tmp_path / "out").exists()


def test_an_unreachable_cluster_stops_the_run_before_it_writes(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Headline\n\nSome words of a story that is long enough to keep.")
    result = run_prep("run", "a.txt", "--out", "out", "--engine", "ray", "--address", "127.0.0.1:9",
                      cwd=tmp_path, timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "prep: error: cannot reach a Ray cluster at 127.0.0.1:9: Connection refused"]
    assert not (tmp_path / "out").exists()


def test_without_ray_installed_the_engine_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # what `import ray` finds when it is not installed
    config = Config.model_validate({"run": {"engine": "ray"}})
    needs = r"^the ray engine needs the ray extra: pip install 'prep-corpus\[ray\]'$"
    with pytest.raises(EngineUnavailable, match=needs):
        make_executor(config.run, warm_up)


def note_attempt(shard: Shard, config: Config, out: Path) -> dict:
    """A task that records each of its runs, and whose shard 1 is bad input."""
    with (out / f"attempts-{shard.index}").open("a") as stream:
        stream.write("ran\n")
    if shard.index == 1:
        raise ValueError("shard 1 is bad")
    return {"shard": shard.index}


def test_results_come_in_shard_order_and_a_raising_task_is_not_retried(tmp_path: Path, ray_cluster: str):
    shards = [Shard(index, index * 10, ()) for index in range(4)]
    executor = make_executor(Config.model_validate({"run": {"engine": "ray", "workers": 2}}).run, warm_up)
    try:
        finished: list[int] = []
        results = executor.map(note_attempt, shards[2:] + shards[:1], Config(), tmp_path, on_done=finished.append)
        assert results == [{"shard": 2}, {"shard": 3}, {"shard": 0}] and sorted(finished) == [0, 2, 3]
        with pytest.raises(ValueError, match="^shard 1 is bad$"):
            executor.map(note_attempt, shards, Config(), tmp_path)
    finally:
        executor.close()
    assert (tmp_path / "attempts-1").read_text() == "ran\n"  # bad input fails once, never in a loop
