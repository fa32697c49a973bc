"""How far a running shard task is, told to the driver through a small file in the work directory.

A shard of HTML pages takes minutes to extract; the driver hears of it only when it ends. The
task therefore writes how many records it has done so far to `<phase>/shard-NNNNN.progress`,
and the driver's progress display reads those files while it waits. A file works for every
engine (a local pool, Ray on a shared filesystem) and needs nothing from the executor; the
stages are handed a plain callback and know of no file either.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

SUFFIX = ".progress"
WRITE_EVERY = 0.2  # seconds between two writes of one task's count: a page takes about a tenth of a second


class RecordsDone:
    """The count of one shard task, written (at most every WRITE_EVERY seconds) as it grows."""

    def __init__(self, path: Path):
        self.path = path
        self.done = 0
        self.written = time.monotonic()
        self._write()  # a task started again (a resumed run) begins from 0, not from its last count

    def __call__(self, records: int) -> None:
        """`records` more records are done."""
        self.done += records
        if time.monotonic() - self.written >= WRITE_EVERY:
            self._write()

    def _write(self) -> None:
        # not atomic_path: no fsync, the count is worth nothing after a crash; a rename still
        # keeps a reader from seeing half a number
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(str(self.done))
        os.replace(tmp, self.path)
        self.written = time.monotonic()


def records_done(folder: Path) -> dict[int, int]:
    """{shard index: records done so far} of the tasks of one phase that started. A finished
    task's file stays (until the work directory goes): removed, it would take the task's
    records off the count before the driver hears that the task ended."""
    found = {}
    try:
        paths = list(folder.glob(f"shard-*{SUFFIX}"))
    except OSError:
        return found
    for path in paths:
        try:
            found[int(path.name[len("shard-"):-len(SUFFIX)])] = int(path.read_text())
        except (OSError, ValueError):  # gone since listed, or being replaced
            continue
    return found
