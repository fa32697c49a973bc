"""Executors run shard tasks; stages never know which one does.

Light on purpose (no polars, no pydantic at import): helper processes import this package.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from prep.config import Config
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


def make_executor(config: Config) -> Executor:
    """The executor of `config.run.engine`; raises EngineUnavailable when it cannot run."""
    if config.run.engine == "ray":
        from prep.executors.ray import RayExecutor

        return RayExecutor(config.run.workers, config.run.address)
    from prep.executors.local import LocalExecutor

    return LocalExecutor(config.run.workers)
