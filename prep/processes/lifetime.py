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
import time
from collections.abc import Iterable
from pathlib import Path

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
    """What every helper process of a run does first: tie its life to the run, leave Ctrl-C to
    the driver (processes/stopping.py), forbid network.

    The kernel ties a child to the parent *thread* that started it, so a child started by a
    thread that may end before the process does must not be tied (`tied=False`); it still
    ends when its parent closes the pipe to it or dies, as soon as it is idle.
    """
    from prep.processes.offline import forbid_network
    from prep.processes.stopping import ignore_interrupts

    ignore_interrupts()
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


def kill_trees(pids: Iterable[int]) -> None:
    """SIGKILL these processes and all their descendants, at once and quietly.

    Killing a worker alone can catch it starting a parser process: the child, still reading what
    it was started with, then prints an EOFError traceback. So each generation is stopped
    (SIGSTOP: it can start no other process) before its children are looked for, and the whole
    tree is killed once it is known. Linux only (/proc); elsewhere the processes alone are.
    """
    stopped: list[int] = []
    generation = [pid for pid in pids if _signal(pid, signal.SIGSTOP)]
    while generation:
        _wait_stopped(generation)
        stopped += generation
        generation = [pid for pid in _children(set(generation)) if _signal(pid, signal.SIGSTOP)]
    for pid in stopped:
        _signal(pid, signal.SIGKILL)


def _signal(pid: int, signum: int) -> bool:
    try:
        os.kill(pid, signum)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _state(pid: int) -> str | None:
    """The state letter of /proc/<pid>/stat (R, S, T, Z, ...), or None when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def _wait_stopped(pids: list[int], patience: float = 1.0) -> None:
    """SIGSTOP takes effect a moment after it is sent: wait for it (a while at most)."""
    deadline = time.monotonic() + patience
    while any(_state(pid) not in (None, "T", "t", "Z", "X") for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.001)


def _children(parents: set[int]) -> list[int]:
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            parent = int(entry.joinpath("stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent in parents:
            found.append(int(entry.name))
    return found
