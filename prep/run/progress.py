"""How far a run is: a live display per phase on a terminal, plain lines elsewhere.

The pipeline calls `start(phase, shards, partial)` when a phase begins, which returns the
callback the executor calls with each finished shard's index, and `finish(phase)` when it
ends. Map phases count records and show their rate: the records of the shards done, plus what
`partial` says of the shards still running (their tasks write it as they go: run/partial.py),
so that a phase of a few long shards moves while they run, not only when each ends. Reduce
phases have no count. A thread of the progress display looks at the running phase a few times
a second: on a terminal it redraws it, in a log it writes a line every `interval` seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from rich.console import Console
from rich.progress import BarColumn, ProgressColumn, SpinnerColumn, Task, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.text import Text

from prep.sources import Shard

ShardDone = Callable[[int], None]
Partial = Callable[[], dict[int, int]]  # {shard index: records done so far} of the running shards
LOG_INTERVAL = 30.0  # seconds between two log lines of a phase
LOOK_EVERY = 0.25    # seconds between two looks at the running phase


class Progress(Protocol):
    def __enter__(self) -> Progress: ...

    def __exit__(self, *exc: object) -> None: ...

    def start(self, phase: str, shards: Sequence[Shard] = (), partial: Partial | None = None) -> ShardDone: ...

    def finish(self, phase: str) -> None: ...


def _ignore(index: int) -> None:
    """The callback of a phase nobody watches."""


class Silent:
    """No progress at all (--quiet, and the default for callers of the pipeline)."""

    def __enter__(self) -> Silent:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def start(self, phase: str, shards: Sequence[Shard] = (), partial: Partial | None = None) -> ShardDone:
        return _ignore

    def finish(self, phase: str) -> None:
        pass


class _Phase:
    """Records and shards done in one phase, since when. The executor's callback (the main
    thread) and the display's thread both read and change it."""

    def __init__(self, name: str, shards: Sequence[Shard], partial: Partial | None):
        self.name = name
        self.records = {s.index: s.records for s in shards}
        self.partial = partial
        self.done: set[int] = set()
        self.began = self.reported = time.perf_counter()
        self._lock = threading.Lock()

    @property
    def counted(self) -> bool:
        return bool(self.records)

    @property
    def total(self) -> int:
        return sum(self.records.values())

    def shard_done(self, index: int) -> None:
        with self._lock:
            self.done.add(index)

    def records_done(self) -> int:
        running = self.partial() if self.partial is not None else {}
        with self._lock:
            done = set(self.done)
        return (sum(self.records.get(i, 0) for i in done)
                + sum(min(n, self.records[i]) for i, n in running.items() if i in self.records and i not in done))

    def describe(self, finished: bool = False) -> str:
        seconds = time.perf_counter() - self.began
        if not self.counted:
            return f"done in {seconds:.1f} s" if finished else f"running for {seconds:.0f} s"
        done = self.total if finished else self.records_done()
        rate = f" ({done / seconds:,.0f} records/s)" if seconds > 0 else ""
        if finished:
            return f"{self.total:,} records in {seconds:.1f} s{rate}"
        return (f"{done:,}/{self.total:,} records ({len(self.done)}/{len(self.records)} shards) "
                f"after {seconds:.1f} s{rate}")


class _Looker:
    """A thread that calls `look` every LOOK_EVERY seconds until stopped."""

    def __init__(self, look: Callable[[], None]):
        self.look = look
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="prep-progress", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(LOOK_EVERY):
            self.look()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


class Logged:
    """Plain lines for logs that are files: a line per finished shard at debug level, a line for
    the running phase every `interval` seconds (records done, shards done, rate) and one when it
    ends."""

    def __init__(self, info: Callable[[str], None], debug: Callable[[str], None], interval: float = LOG_INTERVAL):
        self.info, self.debug, self.interval = info, debug, interval
        self.current: _Phase | None = None
        self._looker = _Looker(self._look)

    def __enter__(self) -> Logged:
        self._looker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._looker.stop()

    def start(self, phase: str, shards: Sequence[Shard] = (), partial: Partial | None = None) -> ShardDone:
        current = self.current = _Phase(phase, shards, partial)

        def done(index: int) -> None:
            current.shard_done(index)
            self.debug(f"{phase}: shard {index} done, {current.describe()}")
        return done

    def _look(self) -> None:
        current = self.current
        if current is not None and time.perf_counter() - current.reported >= self.interval:
            current.reported = time.perf_counter()
            self.info(f"{current.name}: {current.describe()}")

    def finish(self, phase: str) -> None:
        current, self.current = self.current, None
        if current is not None and current.name == phase:
            self.info(f"{phase}: {current.describe(finished=True)}")


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
        self.phases: dict[str, tuple[int, _Phase]] = {}  # phase: (its row, its count)
        self._looker = _Looker(self._look)

    def __enter__(self) -> Live:
        self.display.start()
        self._looker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._looker.stop()
        self.display.stop()

    def start(self, phase: str, shards: Sequence[Shard] = (), partial: Partial | None = None) -> ShardDone:
        current = _Phase(phase, shards, partial)
        task = self.display.add_task(phase, total=current.total if shards else None, counted=current.counted)
        self.phases[phase] = (task, current)

        def done(index: int) -> None:
            current.shard_done(index)
            self.display.update(task, completed=current.records_done())
        return done

    def _look(self) -> None:
        for task, current in list(self.phases.values()):
            if current.counted:
                self.display.update(task, completed=current.records_done())

    def finish(self, phase: str) -> None:
        if phase not in self.phases:
            return
        task, current = self.phases.pop(phase)
        self.display.update(task, total=current.total or 1, completed=current.total or 1)
        self.display.stop_task(task)
