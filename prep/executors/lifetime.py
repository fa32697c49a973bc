"""Helper processes never outlive the run that started them.

If a run is killed (SIGKILL, the OOM killer), its worker processes and their parser processes
would otherwise live on as orphans. On Linux the kernel can kill a child when its parent dies
(prctl PR_SET_PDEATHSIG); the standard library has no call for it, hence ctypes. A worker
forked by the fork server is the run's grandchild, and the server itself lives as long as any
worker does: such a worker watches the run's process itself (`die_with`).
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import sys
import threading
import time

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
    from prep.offline import forbid_network

    if tied:
        die_with_parent(parent_pid)
    forbid_network()


def die_with(pid: int) -> None:
    """SIGKILL this process when process `pid`, not necessarily its parent, ends: a daemon thread
    waits on a pidfd (Linux 5.3+), or else looks twice a second."""
    try:
        watched = os.pidfd_open(pid)
    except ProcessLookupError:  # ended already
        os.kill(os.getpid(), signal.SIGKILL)
    except (AttributeError, OSError):
        watched = None

    def watch() -> None:
        if watched is not None:
            select.select([watched], [], [])
        else:
            while _exists(pid):
                time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name=f"die-with-{pid}", daemon=True).start()


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        pass
    return True


def init_local_worker(driver_pid: int, cwd: str, environ: dict[str, str]) -> None:
    """init_worker for a worker of the local pool, whose parent is the fork server it was forked
    from (or the driver, where workers are spawned): it ends with the driver, and takes the
    driver's working directory and environment as of when the pool started (the fork server's
    date from its own start)."""
    from prep.crashpoints import run_by

    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(environ)
    run_by(driver_pid)
    init_worker(os.getppid())
    if os.getppid() != driver_pid:
        die_with(driver_pid)
