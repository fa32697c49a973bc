"""Layout of a run's work directory, `<out>/.prep/`, where everything a run computes goes first.

Each shard task's results are complete once its `.done.json` exists (written last), which is
what lets an interrupted run resume without redoing finished shards. Only at the end are the
tables moved into place (prep/run/rundir.py) and manifest.json written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from prep.sinks.layout import OutputLayout


@dataclass(frozen=True)
class WorkDir:
    out: Path

    @property
    def layout(self) -> OutputLayout:
        return OutputLayout(self.out)

    @property
    def root(self) -> Path:
        return self.layout.work

    @property
    def run_file(self) -> Path:
        return self.root / "run.json"

    @property
    def plan_file(self) -> Path:
        return self.root / "plan.json"

    @property
    def chunks(self) -> Path:
        return self.root / "chunks"

    @property
    def template_file(self) -> Path:
        return self.root / "template.arrow"

    @property
    def brands_file(self) -> Path:
        return self.root / "brands.arrow"

    @property
    def spread_file(self) -> Path:
        return self.root / "spread.arrow"

    @property
    def decisions_file(self) -> Path:
        return self.root / "decisions.arrow"

    @property
    def against(self) -> Path:
        """The earlier outputs' signatures, as dedup features (see prep/dedup/earlier.py)."""
        return self.root / "against"

    def shard_file(self, phase: str, shard: int, name: str) -> Path:
        return self.root / phase / f"shard-{shard:05d}.{name}"

    def done_file(self, phase: str, shard: int) -> Path:
        return self.shard_file(phase, shard, "done.json")

    def progress_file(self, phase: str, shard: int) -> Path:
        """How far the shard's running task is (run/partial.py)."""
        return self.shard_file(phase, shard, "progress")

    def staged(self, table: str) -> Path:
        """Where a table's parts are written before the run is complete."""
        return self.root / "final" / table

    @property
    def lock_file(self) -> Path:
        return self.out / ".prep.lock"
