"""Stopping a run on Ctrl-C (SIGINT) or SIGTERM: at once, with one line, and the exit code a
shell gives a process a signal ended (128 + the signal's number: 130, 143).

The driver turns either signal into `Stopped`, raised in its main thread, so that the run
stops its workers and says how to resume instead of waiting for their shards to end. Helper
processes (workers, HTML parsers) ignore SIGINT: a terminal's Ctrl-C reaches every process of
the foreground job, and each would print its own KeyboardInterrupt traceback; the driver
stops them itself, and they die with it in any case (processes/lifetime.py).
"""

from __future__ import annotations

import os
import signal
from types import FrameType

NAMES = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}
# Python runs a signal's handler in the main thread, but the kernel may deliver the signal to any
# thread, and then the main thread runs the handler only once it wakes: its waits for workers
# last at most this many seconds at a time
WAKE_EVERY = 0.25


class Stopped(BaseException):
    """A signal asked the run to stop. A BaseException, as KeyboardInterrupt is, so that no
    `except Exception` on the way takes it for a failure of its own."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    def __str__(self) -> str:
        return f"{NAMES.get(signal.Signals(self.signum), 'stopped')} ({signal.Signals(self.signum).name})"


def stop_on_signals() -> None:
    """From now on, SIGINT and SIGTERM raise Stopped in the main thread; a second one, while the
    run stops, ends the process there and then (its helpers die with it)."""
    seen: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        if seen:
            os._exit(128 + seen[0])
        seen.append(signum)
        raise Stopped(signum)

    for signum in NAMES:
        signal.signal(signum, handler)


def ignore_interrupts() -> None:
    """For a helper process: Ctrl-C is the driver's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
