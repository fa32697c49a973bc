"""Test-only crash points, so that the fault tests can stop a run at an exact step.

With `PREP_TEST_CRASH_AT=<point>` in the environment, the process that reaches that point
(see the calls of `crash_point`: "plan-written", "extract-done:<shard>", "published:corpus", …)
kills prep's whole process group with SIGKILL, as `kill -9` of the run would: no cleanup, no
`finally`. The fault tests start prep in a session of its own; if prep does not lead its process
group (nor its parent does), only the process itself is killed, never a caller's shell.
Unset, which it always is outside the tests, a point costs one environment lookup.
"""

from __future__ import annotations

import os
import signal

ENV = "PREP_TEST_CRASH_AT"


def crash_point(name: str) -> None:
    if os.environ.get(ENV) != name:
        return
    group = os.getpgrp()
    if group in (os.getpid(), os.getppid()):
        os.killpg(group, signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)
