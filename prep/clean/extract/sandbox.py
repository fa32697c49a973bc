"""Calls made in a child process that can be killed: the one sure way to stop a call that hangs.

A Python-level timeout (a signal, a thread) cannot interrupt a library stuck in C code, and a
crash in C (a parser's stack overflow) takes its whole process down. Running such calls in a
child process bounds both: on overrun the child is killed, on a crash only the child dies, and
a fresh child is started for the next call. The standard library's pools cannot kill one
running call (concurrent.futures only cancels calls not yet started), so this is hand-rolled
on a multiprocessing pipe.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from importlib.machinery import ModuleSpec
from multiprocessing.connection import Connection
from typing import Any

from prep.processes.lifetime import init_worker


class CallTimeout(Exception):
    """The call overran its time; the child running it was killed."""


class ChildDied(Exception):
    """The child died during the call (e.g. killed by a signal after a crash in C code)."""


class CallFailed(Exception):
    """The call raised an exception in the child; the message names its type and text."""


class IsolatedWorker:
    """One child process that runs calls one at a time, started when first needed.

    `warm_up` runs in the child before it counts as started (imports, caches), so that the
    first call's time limit measures the call and not the child's start.
    """

    def __init__(self, warm_up: Callable[[], None] | None = None, start_timeout: float = 120.0):
        self.warm_up = warm_up
        self.start_timeout = start_timeout
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self._ready = False

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def call(self, fn: Callable[..., Any], *args: Any, timeout: float) -> Any:
        """fn(*args) in the child, within `timeout` seconds of wall-clock time."""
        conn = self._ensure_started()
        try:
            conn.send((fn, args))
            if not conn.poll(timeout):
                self.close()
                raise CallTimeout(f"over {timeout:g} s")
            status, value = conn.recv()
        except (EOFError, OSError):
            raise ChildDied(self._reap()) from None
        if status == "error":
            raise CallFailed(value)
        return value

    def start(self) -> None:
        """Start the child without waiting for it, so that its start-up (imports, warm-up)
        overlaps the caller's own work; the first call waits for it to be ready."""
        if self._process is None:
            self._spawn()

    def _ensure_started(self) -> Connection:
        if self._process is not None and not self._process.is_alive():
            self.close()  # died while idle (e.g. the OOM killer): no call was lost, start another
        if self._process is None:
            self._spawn()
        if not self._ready:
            self._await_ready()
        return self._conn

    def _spawn(self) -> None:
        context = multiprocessing.get_context("spawn")  # not fork: this process may run threads
        parent_end, child_end = context.Pipe()
        tied = threading.current_thread() is threading.main_thread()
        process = context.Process(target=_serve, args=(child_end, os.getpid(), tied, self.warm_up),
                                  daemon=True, name="prep-isolated")
        with _main_not_rerun():
            process.start()
        child_end.close()
        self._process, self._conn, self._ready = process, parent_end, False

    def _await_ready(self) -> None:
        try:
            if not self._conn.poll(self.start_timeout):
                self.close()
                raise ChildDied(f"the helper process did not start within {self.start_timeout:g} s")
            self._conn.recv()
        except (EOFError, OSError):
            raise ChildDied(self._reap()) from None
        self._ready = True

    def _reap(self) -> str:
        """Wait for a dead child and say how it ended."""
        process = self._process
        self.close()
        code = process.exitcode if process is not None else None
        if code is not None and code < 0:
            return f"the helper process was killed by {signal.Signals(-code).name}"
        return f"the helper process exited with code {code}"

    def close(self) -> None:
        """Stop the child (killing it if busy); the next call starts a new one."""
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
        self._process, self._conn, self._ready = None, None, False


@contextlib.contextmanager
def _main_not_rerun() -> Iterator[None]:
    """A spawned child runs the parent's main script again before its target; for the `prep`
    command that is the whole command line (typer, rich, pydantic, polars), which a
    child that only parses pages never uses. multiprocessing leaves a main module alone when it
    is a package's `__main__` (as under `python -m`), so the script passes for one while the
    child is started."""
    main = sys.modules["__main__"]
    if getattr(main, "__spec__", None) is not None:
        yield
        return
    main.__spec__ = ModuleSpec("__main__", None)
    try:
        yield
    finally:
        main.__spec__ = None


def _serve(conn: Connection, parent_pid: int, tied: bool, warm_up: Callable[[], None] | None) -> None:
    init_worker(parent_pid, tied)
    if warm_up is not None:
        warm_up()
    conn.send(("ready", None))
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):  # the parent closed the pipe (a reset, on a socket pair) or died
            return
        try:
            reply = ("ok", fn(*args))
        except Exception as err:  # reported to the caller, who decides what it means
            reply = ("error", f"{type(err).__name__}: {err}")
        try:
            conn.send(reply)
        except OSError:  # the parent gave up waiting (a timeout) and closed the pipe: nobody to tell
            return
