"""A declared stage of the pipeline: a function over frames with its own config section.

A stage says what it is called, which config section(s) it is handed, which columns it reads
and which it adds (or fills in); a pipeline is an ordered list of stages, checked before a run
(`check`): every column a stage reads must be there from the start or added by a stage
before it. Columns are named `<frame>.<column>`: `docs.title`, `lines.rule`, `corpus.template`.
A stage is handed its sections, never the whole config; one whose first section has
`enabled = false` is skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl


class StageOrderError(ValueError):
    """A stage reads a column that no stage before it adds."""


@dataclass
class Frames:
    """What stages pass along: one row per document, and (from the line split on) one row per
    line, with the corpus-wide evidence a reduce gathered (None before it)."""

    docs: pl.DataFrame
    lines: pl.DataFrame | None = None
    corpus: Any = None


@dataclass(frozen=True)
class Stage:
    name: str
    apply: Callable[..., Frames]  # apply(frames, *sections) -> frames
    reads: tuple[str, ...]
    adds: tuple[str, ...]
    sections: tuple[str, ...] = ()  # dotted paths into the config: "clean.headlines", "limits"
    doc: str = field(default="", compare=False)

    def settings(self, config: Any) -> list[Any]:
        """The stage's sections of `config`."""
        found = []
        for path in self.sections:
            value = config
            for part in path.split("."):
                value = getattr(value, part)
            found.append(value)
        return found

    def enabled(self, config: Any) -> bool:
        settings = self.settings(config)
        return not settings or getattr(settings[0], "enabled", True)


def check(stages: Sequence[Stage], available: Iterable[str]) -> None:
    """Raise StageOrderError unless each stage's reads are available when it runs."""
    have = set(available)
    for stage in stages:
        missing = sorted(set(stage.reads) - have)
        if missing:
            raise StageOrderError(f"stage {stage.name!r} reads {', '.join(missing)}, which no stage before it adds")
        have |= set(stage.adds)


def run(stages: Sequence[Stage], frames: Frames, config: Any) -> Frames:
    """The stages in order, each enabled one handed its sections of `config`."""
    for stage in stages:
        if stage.enabled(config):
            frames = stage.apply(frames, *stage.settings(config))
    return frames
