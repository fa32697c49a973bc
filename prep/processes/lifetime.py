"""Helper processes never outlive the run that started them.

If a run is killed (SIGKILL, the OOM killer), its worker processes and their parser processes
would otherwise live on as orphans. On Linux the kernel can kill a child when its parent dies
(prctl PR_SET_PDEATHSIG); the standard library has no call for it, hence ctypes. A worker
forked by the fork server is tied to the server, and the server to the run's driver
(executors/preload.py).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Have the kernel SIGKILL this process when its parent dies (Linux; elsewhere a no-op)."""
    if sys.platform != "linux":
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no libc symbol: live without the safeguard
        return
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)


def init_worker(parent_pid: int, tied: bool = True) -> None:
    """What every helper process of a run does first: tie its life to the run, forbid network.

    The kernel ties a child to the parent *thread* that started it, so a child started by a
    thread that may end before the process does must not be tied (`tied=False`); it still
    ends when its parent closes the pipe to it or dies, as soon as it is idle.
    """
    from prep.processes.offline import forbid_network

    if tied:
        die_with_parent(parent_pid)
    forbid_network()


def init_local_worker(driver_pid: int, cwd: str, environ: dict[str, str]) -> None:
    """init_worker for a worker of the local pool, whose parent is the fork server it was forked
    from (or the driver, where workers are spawned): it takes the driver's working directory and
    environment as of when the pool started (the fork server's date from its own start)."""
    from prep.processes.crashpoints import run_by

    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(environ)
    run_by(driver_pid)
    init_worker(_parent_when_started(driver_pid))


def _parent_when_started(driver_pid: int) -> int:
    """The process this worker was started by: the fork server it was forked from (which
    recorded its pid before forking), else the driver that spawned it. Not `os.getppid()`: if
    that parent was killed before this runs, the worker's parent is already init, and a worker
    tied to init would live on, taking the run's tasks still in the pipe."""
    server = sys.modules.get("prep.executors.preload")
    return server.SERVER_PID if server is not None else driver_pid
