"""Shard tasks in this process (one worker) or a pool of worker processes (several)."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from pathlib import Path

from prep.config import Config
from prep.executors import Task
from prep.executors.lifetime import init_worker
from prep.sources import Shard
from prep.tasks import warm_up


def worker_count(workers: int) -> int:
    """0 means one worker per core this process may use."""
    if workers:
        return workers
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class LocalExecutor:
    def __init__(self, workers: int):
        self.workers = worker_count(workers)
        self._pool: ProcessPoolExecutor | None = None

    def map(self, task: Task, shards: Sequence[Shard], config: Config, out: Path,
            on_done: Callable[[int], None] | None = None) -> list[dict]:
        if self.workers == 1 or len(shards) <= 1:
            results = []
            for shard in shards:
                results.append(task(shard, config, out))
                if on_done:
                    on_done(shard.index)
            return results
        pool = self._ensure_pool()
        futures = {pool.submit(task, shard, config, out): shard for shard in shards}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in done:
                future.result()  # re-raise a worker's failure here, in the driver
                if on_done:
                    on_done(futures[future].index)
        return [future.result() for future in futures]

    def start(self) -> None:
        if self.workers > 1:
            pool = self._ensure_pool()
            for _ in range(self.workers):
                pool.submit(warm_up)

    def release(self) -> None:
        self.close()

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # the workers share the cores: each gets its share of polars threads (unless the user
            # set how many), instead of every worker starting one thread per core
            cores = os.cpu_count() or 1
            os.environ.setdefault("POLARS_MAX_THREADS", str(max(1, cores // self.workers)))
            # spawn, not fork: polars' thread pool does not survive a fork
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=init_worker, initargs=(os.getpid(),))
        return self._pool

    def close(self, wait: bool = True) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None
