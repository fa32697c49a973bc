"""Shard tasks run once: a done task is not run again, and a run whose inputs another run of
the same task deleted (after finishing it) takes that run's results."""

from pathlib import Path

import pytest

from prep.config import Config
from prep.files import write_json_atomic
from prep.run.tasks import _runs_once
from prep.run.workdir import WorkDir
from prep.sources.plan import Shard

SHARD = Shard(index=3, first_order=0, slices=())


def test_a_done_task_returns_its_statistics_without_running(tmp_path: Path):
    calls = []
    task = _runs_once("finish")(lambda shard, config, work: calls.append(shard) or {"ran": True})
    write_json_atomic(WorkDir(tmp_path).done_file("finish", SHARD.index), {"ran": "before"})
    assert task(SHARD, Config(), tmp_path) == {"ran": "before"}
    assert calls == []


def test_inputs_deleted_by_a_run_of_the_same_task_that_finished_give_its_statistics(tmp_path: Path):
    def body(shard, config, work):  # another run of this task finishes while this one reads
        write_json_atomic(work.done_file("write", shard.index), {"kept": 7})
        (work.root / "finish" / "gone.arrow").read_bytes()

    assert _runs_once("write")(body)(SHARD, Config(), tmp_path) == {"kept": 7}


def test_a_missing_input_of_a_task_nobody_finished_is_an_error(tmp_path: Path):
    def body(shard, config, work):
        (work.root / "finish" / "gone.arrow").read_bytes()

    with pytest.raises(FileNotFoundError):
        _runs_once("write")(body)(SHARD, Config(), tmp_path)
