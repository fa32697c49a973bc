"""Test-only crash points, so that the fault tests can stop a run at an exact step.

With `PREP_TEST_CRASH_AT=<point>` in the environment, the process that reaches that point
(see the calls of `crash_point`: "plan-written", "extract-done:<shard>", "published:corpus", …)
kills prep's whole process group with SIGKILL, as `kill -9` of the run would: no cleanup, no
`finally`. The fault tests start prep in a session of its own; if prep does not lead its process
group (nor its parent does, nor, for a local worker, the run's driver), only the process
itself is killed, never a caller's shell.
With `PREP_TEST_CRASH_ONCE=<file>` as well, only the first process to reach the point is
killed (it creates the file; the point is passed while the file exists): a retried task or a
resumed run then goes on, as after a worker that died once.
Unset, which it always is outside the tests, a point costs one environment lookup.
"""

from __future__ import annotations

import os
import signal

ENV = "PREP_TEST_CRASH_AT"
ONCE = "PREP_TEST_CRASH_ONCE"
_driver: int | None = None  # the run's driver, when this process is one of its local workers


def crash_point(name: str) -> None:
    if os.environ.get(ENV) != name:
        return
    if marker := os.environ.get(ONCE):
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
    group = os.getpgrp()
    if group in (os.getpid(), os.getppid(), _driver):
        os.killpg(group, signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)


def run_by(driver_pid: int) -> None:
    """Tell a worker which process drove the run: a worker forked by the fork server is the
    driver's grandchild, and the driver leads the group to kill."""
    global _driver
    _driver = driver_pid
