"""Test-only crash points, so that the fault tests can stop a run at an exact step.

With `PREP_TEST_CRASH_AT=<point>` in the environment, the process that reaches that point
(see the calls of `crash_point`: "plan-written", "extract-done:<shard>", "published:corpus", …)
kills prep's whole process group with SIGKILL, as `kill -9` of the run would: no cleanup, no
`finally`. The fault tests start prep in a session of its own; if prep does not lead its process
group (nor its parent does, nor, for a worker of the fork server, its grandparent), only the
process itself is killed, never a caller's shell.
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


def crash_point(name: str) -> None:
    if os.environ.get(ENV) != name:
        return
    if marker := os.environ.get(ONCE):
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
    group = os.getpgrp()
    if group in (os.getpid(), os.getppid(), _parent_of(os.getppid())):  # a worker's parent may be the fork server
        os.killpg(group, signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)


def _parent_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None
