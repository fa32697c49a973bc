"""How the local pool's worker processes start: forked from a fork server (multiprocessing's
forkserver) that has imported, once, the modules the run names (its stages, with polars and
numba) after executors/preload.py. A worker started on its own spends over a second of CPU on
that, on the cores the first tasks need. Never plain fork from the driver: polars' thread pool
does not survive a fork. Where there is no fork server, workers are spawned.

Light on purpose: the command starts the fork server before it imports the pipeline.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

EARLY_START_BYTES = 16 << 20  # inputs smaller than this are planned before any worker starts
DRIVER_PID = "PREP_DRIVER_PID"


def worker_count(workers: int) -> int:
    """0 means one worker per core this process may use."""
    if workers:
        return workers
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


_server_failed = False  # the fork server could not start here: workers are spawned


def worker_context(workers: int, preload: Sequence[str] = ()) -> multiprocessing.context.BaseContext:
    """The fork server's context, with the server started (without waiting for it to be ready:
    the first worker forked waits) after importing `preload`; the spawn context where there is
    no fork server or it cannot start (its socket's path under a long TMPDIR is too long for a
    Unix socket)."""
    global _server_failed
    share_cores(workers)
    if "forkserver" in multiprocessing.get_all_start_methods() and not _server_failed:
        from multiprocessing import forkserver

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["prep.executors.preload", *preload])  # no effect once the server runs
        try:
            with _server_environment():
                forkserver.ensure_running()
        except OSError:
            _server_failed = True
        else:
            return context
    return multiprocessing.get_context("spawn")


@contextmanager
def _server_environment() -> Iterator[None]:
    """What the server is started with. It runs as `python -c`, which puts the working directory
    first on its sys.path, where a `prep` folder would shadow the package: PYTHONSAFEPATH
    leaves it out. DRIVER_PID names this process, which the server ends with (preload.py)."""
    given = {name: os.environ.get(name) for name in ("PYTHONSAFEPATH", DRIVER_PID)}
    os.environ.update({"PYTHONSAFEPATH": "1", DRIVER_PID: str(os.getpid())})
    try:
        yield
    finally:
        for name, value in given.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value


def share_cores(workers: int) -> None:
    """Give each of `workers` workers its share of polars threads (unless the user set how many)
    instead of every worker starting one per core. polars reads this when it is imported: the
    fork server's value holds for every worker forked from it."""
    cores = os.cpu_count() or 1
    os.environ.setdefault("POLARS_MAX_THREADS", str(max(1, cores // workers)))


def start_worker_server(workers: int, preload: Sequence[str] = ()) -> bool:
    """Start the fork server for a pool of `workers`; False where workers are spawned instead."""
    return worker_context(workers, preload).get_start_method() == "forkserver"


def start_early(inputs: Iterable[Path], workers: int, preload: Sequence[str] = ()) -> None:
    """Start the fork server at once for a run that will use several workers on inputs of some
    size, so that its imports overlap the driver's own imports and planning."""
    count = worker_count(workers)
    if count > 1 and input_bytes(inputs, EARLY_START_BYTES) > EARLY_START_BYTES:
        start_worker_server(count, preload)


def input_bytes(inputs: Iterable[Path], enough: int) -> int:
    """The inputs' size in bytes, counted until it passes `enough`; what cannot be read counts 0
    (the run reports it)."""
    total = 0
    for root in inputs:
        for folder, _, names in os.walk(root) if os.path.isdir(root) else [("", [], [root])]:
            for name in names:
                try:
                    total += os.stat(os.path.join(folder, name)).st_size
                except OSError:
                    continue
                if total > enough:
                    return total
    return total
