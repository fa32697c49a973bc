"""Layout of a run's output directory, and writing files so that no reader sees half of one.

Everything a run computes goes to `<out>/.prep/` first; each shard task's results are complete
once its `.done.json` exists (written last), which is what lets an interrupted run resume
without redoing finished shards. Only at the end are corpus/ and dropped/ moved into place and
manifest.json written: a directory with a manifest holds a complete run.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class WorkDir:
    out: Path

    @property
    def root(self) -> Path:
        return self.out / ".prep"

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
        return self.root / "template.parquet"

    @property
    def spread_file(self) -> Path:
        return self.root / "spread.parquet"

    @property
    def decisions_file(self) -> Path:
        return self.root / "decisions.parquet"

    def shard_file(self, phase: str, shard: int, name: str) -> Path:
        return self.root / phase / f"shard-{shard:05d}.{name}"

    def done_file(self, phase: str, shard: int) -> Path:
        return self.shard_file(phase, shard, "done.json")

    def staged(self, table: str) -> Path:
        """Where a table's parts are written before the run is complete."""
        return self.root / "final" / table

    @property
    def manifest(self) -> Path:
        return self.out / "manifest.json"

    @property
    def lock_file(self) -> Path:
        return self.out / ".prep.lock"


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary name in the same folder, flush to disk, then rename into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(tmp, path)


def write_json_atomic(path: Path, obj: Any) -> None:
    write_atomic(path, (json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode())


def temp_path(path: Path) -> Path:
    """A temporary name next to `path`, for writers that take a path (rename it into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


def replace_dir(staged: Path, final: Path) -> None:
    """Move a finished folder into place, replacing what was there."""
    if final.exists():
        shutil.rmtree(final)
    os.replace(staged, final)
