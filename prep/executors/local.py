"""Shard tasks in this process (one worker) or a pool of worker processes (several; how they
start: executors/workers.py)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import TYPE_CHECKING

from prep.executors import Task
from prep.executors.workers import start_worker_server, worker_context, worker_count
from prep.processes.lifetime import init_local_worker, kill_trees
from prep.processes.stopping import WAKE_EVERY

if TYPE_CHECKING:
    from prep.config import Config
    from prep.sources import Shard


class LocalExecutor:
    def __init__(self, workers: int, warm_up: Callable[[], None], preload: tuple[str, ...] = ()):
        self.workers = worker_count(workers)
        self.warm_up = warm_up
        self.preload = preload
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
            # each shard as it ends (FIRST_EXCEPTION would return only once all are done, unless one
            # fails); a wait of a bounded time, so that this thread runs the handler of a signal that
            # reached another thread of the process (Ctrl-C: processes/stopping.py) without delay
            done, pending = wait(pending, timeout=WAKE_EVERY, return_when=FIRST_COMPLETED)
            for future in done:
                future.result()  # re-raise a worker's failure here, in the driver
                if on_done:
                    on_done(futures[future].index)
        return [future.result() for future in futures]

    def start(self) -> None:
        if self.workers > 1:
            if start_worker_server(self.workers, self.preload):  # the pool itself would wait for the server
                return
            pool = self._ensure_pool()
            for _ in range(self.workers):
                pool.submit(self.warm_up)

    def release(self) -> None:
        self.close()

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # a forked worker takes the fork server's directory and environment: it is given the
            # driver's, as a spawned one would have them
            self._pool = ProcessPoolExecutor(self.workers, mp_context=worker_context(self.workers, self.preload),
                                             initializer=init_local_worker,
                                             initargs=(os.getpid(), os.getcwd(), dict(os.environ)))
        return self._pool

    def close(self, wait: bool = True) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None

    def abort(self) -> None:
        if self._pool is not None:
            # the pool has no public call for it before Python 3.14 (terminate_workers); shutdown
            # alone lets the running tasks run to their end, which takes as long as a shard does
            kill_trees(process.pid for process in list((self._pool._processes or {}).values()))
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
