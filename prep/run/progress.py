"""How far a run is: a live display per phase on a terminal, one plain line per phase elsewhere.

The pipeline calls `start(phase, shards)` when a phase begins, which returns the callback the
executor calls with each finished shard's index, and `finish(phase)` when it ends. Map phases
count records (a shard's records at a time) and show their rate; reduce phases have no count.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Protocol

from rich.console import Console
from rich.progress import BarColumn, ProgressColumn, SpinnerColumn, Task, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.text import Text

from prep.sources import Shard

ShardDone = Callable[[int], None]


class Progress(Protocol):
    def start(self, phase: str, shards: Sequence[Shard] = ()) -> ShardDone: ...

    def finish(self, phase: str) -> None: ...


def _ignore(index: int) -> None:
    """The callback of a phase nobody watches."""


class Silent:
    """No progress at all (--quiet, and the default for callers of the pipeline)."""

    def start(self, phase: str, shards: Sequence[Shard] = ()) -> ShardDone:
        return _ignore

    def finish(self, phase: str) -> None:
        pass


class Logged:
    """Plain lines for logs that are files: a line per finished shard at debug level, a line per
    phase every `interval` seconds while it runs and one when it ends, with records and rate."""

    def __init__(self, info: Callable[[str], None], debug: Callable[[str], None], interval: float = 30.0):
        self.info, self.debug, self.interval = info, debug, interval
        self.phases: dict[str, _Count] = {}

    def start(self, phase: str, shards: Sequence[Shard] = ()) -> ShardDone:
        count = self.phases[phase] = _Count({s.index: s.records for s in shards})

        def done(index: int) -> None:
            count.advance(index)
            self.debug(f"{phase}: shard {index} done, {count.describe()}")
            if time.perf_counter() - count.reported >= self.interval:
                count.reported = time.perf_counter()
                self.info(f"{phase}: {count.describe()}")
        return done

    def finish(self, phase: str) -> None:
        if phase in self.phases:
            self.info(f"{phase}: {self.phases.pop(phase).describe(finished=True)}")


class _Count:
    """Records and shards done in one phase, since when."""

    def __init__(self, records: dict[int, int]):
        self.records = records
        self.began = self.reported = time.perf_counter()
        self.shards_done = self.records_done = 0

    def advance(self, index: int) -> None:
        self.shards_done += 1
        self.records_done += self.records.get(index, 0)

    def describe(self, finished: bool = False) -> str:
        seconds = time.perf_counter() - self.began
        if not self.records:
            return f"done in {seconds:.1f} s"
        total = sum(self.records.values())
        done = total if finished else self.records_done
        rate = f" ({done / seconds:,.0f} records/s)" if seconds > 0 else ""
        if finished:
            return f"{total:,} records in {seconds:.1f} s{rate}"
        return (f"{done:,}/{total:,} records ({self.shards_done}/{len(self.records)} shards) "
                f"after {seconds:.1f} s{rate}")


class _CountColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        if not task.fields.get("counted"):
            return Text("")
        return Text(f"{task.completed:,.0f}/{task.total:,.0f} records", style="progress.download")


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        # rich estimates speed from several updates; a phase of one shard has a single one
        speed = task.finished_speed or task.speed or (task.completed / task.elapsed if task.elapsed else None)
        if not task.fields.get("counted") or not speed:
            return Text("")
        return Text(f"{speed:,.0f} records/s", style="progress.data.speed")


class Live:
    """A rich display on a terminal: one row per phase, kept on screen when the phase ends.
    Used as a context manager around the run; log lines printed to the same console appear
    above it."""

    def __init__(self, console: Console):
        self.display = RichProgress(SpinnerColumn(finished_text="[green]✓"), TextColumn("{task.description:<15}"),
                                    BarColumn(), _CountColumn(), _RateColumn(), TimeElapsedColumn(),
                                    console=console)
        self.tasks: dict[str, tuple[int, int]] = {}  # phase: (task, records)

    def __enter__(self) -> Live:
        self.display.start()
        return self

    def __exit__(self, *exc) -> None:
        self.display.stop()

    def start(self, phase: str, shards: Sequence[Shard] = ()) -> ShardDone:
        records = {s.index: s.records for s in shards}
        total = sum(records.values())
        task = self.display.add_task(phase, total=total if shards else None, counted=bool(shards))
        self.tasks[phase] = (task, total)
        return lambda index: self.display.advance(task, records.get(index, 0))

    def finish(self, phase: str) -> None:
        if phase not in self.tasks:
            return
        task, total = self.tasks.pop(phase)
        self.display.update(task, total=total or 1, completed=total or 1)
        self.display.stop_task(task)
