"""Executors run shard tasks; stages never know which one does, and executors know no stage.

The run hands an executor what its workers must do before their first task (`warm_up`: import
the stages, load compiled code) and which modules a fork server imports once for all of them
(`preload`). Light on purpose (no polars, no pydantic at import): helper processes import
this package.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from prep.config import Config, RunConfig
    from prep.sources import Shard

class EngineUnavailable(Exception):
    """The engine the config names cannot run here: not installed, or its cluster unreachable."""


Task = Callable[["Shard", "Config", Path], dict]


class Executor(Protocol):
    def map(self, task: Task, shards: Sequence[Shard], config: Config, out: Path,
            on_done: Callable[[int], None] | None = None) -> list[dict]:
        """Run `task` on every shard; results in shard order."""
        ...

    def start(self) -> None:
        """Begin starting the workers (and loading their compiled code) without waiting: the
        driver plans the shards meanwhile."""
        ...

    def release(self) -> None:
        """Let the workers on this machine go until the next map starts new ones: a reduce on the
        driver that needs much memory then does not come on top of theirs."""
        ...

    def close(self, wait: bool = True) -> None:
        """Stop the workers; `wait=False` lets those on this machine exit in the background (once
        every map is done, while the driver publishes the outputs)."""
        ...

    def abort(self) -> None:
        """Stop the workers at once, their running tasks unfinished (the run was interrupted:
        a resumed run does those tasks again)."""
        ...


def make_executor(run: RunConfig, warm_up: Callable[[], None], preload: Sequence[str] = ()) -> Executor:
    """The executor of `run.engine`; raises EngineUnavailable when it cannot run. `warm_up` is a
    top-level function a worker runs before its first task; `preload` names modules a local
    fork server imports once, before it forks the workers."""
    if run.engine == "ray":
        from prep.executors.ray import RayExecutor

        return RayExecutor(run.workers, run.address)
    from prep.executors.local import LocalExecutor

    return LocalExecutor(run.workers, warm_up, tuple(preload))
