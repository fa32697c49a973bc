"""Shard tasks on a Ray cluster: the local engine's tasks, scheduled by Ray instead of a pool.

A task reads its inputs from and writes its results to the work directory, so only a shard's
description goes to a worker and a few statistics come back; every node must therefore see
the input and output paths at the same place (one machine, or a shared filesystem).

Ray retries a task whose worker died (a crash, the OOM killer, a lost node); a task that raised
is not retried, since the same shard would raise again. A retried task starts afresh: its
files are written atomically and its done file last, as for a resumed local run.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from prep.executors import EngineUnavailable, Task
from prep.processes.stopping import WAKE_EVERY

if TYPE_CHECKING:
    from prep.config import Config
    from prep.sources import Shard

RETRIES = 3               # times a task whose worker died is started again
CONNECT_TIMEOUT = 10.0    # seconds to reach a cluster's address before giving up
FORWARDED = ("POLARS_MAX_THREADS",)  # besides PREP_*: what the driver's environment tells workers


class RayExecutor:
    """Connects when made, so that an unreachable cluster stops the run before it writes anything."""

    def __init__(self, workers: int, address: str | None):
        try:
            import ray
        except ImportError:
            raise EngineUnavailable("the ray engine needs the ray extra: pip install 'prep-corpus[ray]'") from None
        self.workers = workers
        self._ray = ray
        self._owner = not ray.is_initialized()  # else a caller's connection, which it closes itself
        if self._owner:
            _connect(ray, address)

    def map(self, task: Task, shards: Sequence[Shard], config: Config, out: Path,
            on_done: Callable[[int], None] | None = None) -> list[dict]:
        ray = self._ray
        remote = ray.remote(_run_in).options(num_cpus=1, max_retries=RETRIES, retry_exceptions=False,
                                             runtime_env={"env_vars": _worker_env()})
        config_ref, cwd = ray.put(config), os.getcwd()
        limit = self.workers or len(shards)  # 0: as many at once as the cluster has CPUs for
        waiting = list(range(len(shards)))[::-1]
        running: dict = {}
        results: list[dict] = [{}] * len(shards)
        try:
            while waiting or running:
                while waiting and len(running) < limit:
                    i = waiting.pop()
                    running[remote.remote(cwd, task, shards[i], config_ref, out)] = i
                ready, _ = ray.wait(list(running), num_returns=1, timeout=WAKE_EVERY)  # see stopping.py
                if not ready:
                    continue
                i = running.pop(ready[0])
                results[i] = _result(ray, ready[0])
                if on_done:
                    on_done(shards[i].index)
        finally:
            for ref in running:  # after a failure: what the others would compute is not wanted now
                ray.cancel(ref)
        return results

    def start(self) -> None:
        """Nothing to do: Ray starts its workers on demand, and the connection is made already."""

    def release(self) -> None:
        """Nothing to do: Ray keeps or ends its idle worker processes by its own policy."""

    def close(self, wait: bool = True) -> None:
        """Stop the local cluster this run started, or leave the one it joined (disconnect only).
        Not before the run ends (`wait=False`): stopping a cluster blocks, and may fail."""
        if not wait:
            return
        if self._owner and self._ray.is_initialized():
            self._ray.shutdown()

    def abort(self) -> None:
        """`map` cancelled its running tasks on its way out; the cluster goes as at the end of a run."""
        self.close()


def _connect(ray, address: str | None) -> None:
    """A cluster at `address` (host:port, ray://host:port or auto), or a new local one."""
    if address and address != "auto":
        _check_reachable(address)
    # a cluster of the run's own gets no dashboard: nothing of a run needs it
    options = {"address": address} if address else {"address": "local", "include_dashboard": False}
    try:
        ray.init(**options, log_to_driver=False, logging_level=logging.ERROR)
    except (ConnectionError, RuntimeError, ValueError) as err:
        where = f"at {address}" if address else "locally"
        raise EngineUnavailable(f"cannot start or reach a Ray cluster {where}: {err}") from None


def _check_reachable(address: str) -> None:
    """Ray waits on an unreachable address for minutes; a plain connection says at once."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        raise EngineUnavailable(f"--address {address!r} is not host:port, ray://host:port or auto")
    try:
        socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT).close()
    except OSError as err:
        raise EngineUnavailable(f"cannot reach a Ray cluster at {address}: {err.strerror or err}") from None


def _worker_env() -> dict[str, str]:
    """What workers inherit from the driver's environment, as local workers do: prep's own
    variables and polars' thread count; one polars thread per task unless the driver sets it,
    since each task holds one CPU of its node."""
    env = {name: value for name, value in os.environ.items() if name.startswith("PREP_") or name in FORWARDED}
    env.setdefault("POLARS_MAX_THREADS", "1")
    return env


def _run_in(cwd: str, task: Task, shard: Shard, config: Config, out: Path) -> dict:
    """Run the task in the driver's directory: relative input and output paths mean the same."""
    os.chdir(cwd)
    return task(shard, config, out)


def _result(ray, ref) -> dict:
    """The task's statistics, or its own exception, not Ray's wrapping of it."""
    try:
        return ray.get(ref)
    except ray.exceptions.RayTaskError as err:
        if isinstance(err.cause, Exception):
            raise err.cause from None
        raise
