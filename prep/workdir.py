"""Layout of a run's output directory, and writing files so that no reader sees half of one.

Everything a run computes goes to `<out>/.prep/` first; each shard task's results are complete
once its `.done.json` exists (written last), which is what lets an interrupted run resume
without redoing finished shards. Only at the end are corpus/, dropped/ and dedup/signatures/ moved into
place and manifest.json written: a directory with a manifest holds a complete run.

Every file is written under a temporary name, flushed to disk and renamed into place, so a
crash (even SIGKILL or a power cut) leaves either the whole file or none of it under its name.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

TEMP_MARK = ".tmp-"
# where each table is published; signatures/ sits one level down so that `out/*/*.parquet`
# (how readers take corpus/ and dropped/ together) never picks it up
PUBLISHED = {"corpus": "corpus", "dropped": "dropped", "signatures": "dedup/signatures"}


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
        return self.root / "template.arrow"

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

    def published(self, table: str) -> Path:
        """Where a table's parts are once the run is complete."""
        return self.out / PUBLISHED[table]

    def staged(self, table: str) -> Path:
        """Where a table's parts are written before the run is complete."""
        return self.root / "final" / table

    @property
    def manifest(self) -> Path:
        return self.out / "manifest.json"

    @property
    def report(self) -> Path:
        """Where `prep report` writes by default: it describes one run, so a run replaces it."""
        return self.out / "report.html"

    @property
    def lock_file(self) -> Path:
        return self.out / ".prep.lock"


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary name next to `path` for a writer to fill; then flush it to disk and
    rename it to `path`. If the writer fails, the temporary file is removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}{TEMP_MARK}{os.getpid()}")
    try:
        yield tmp
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_dir(path.parent)


def write_frame(frame: pl.DataFrame, path: Path) -> None:
    """A work file: Arrow IPC, uncompressed (written once and read back soon; fast both ways)."""
    with atomic_path(path) as tmp:
        frame.write_ipc(tmp, compression="uncompressed")


def write_atomic(path: Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_json_atomic(path: Path, obj: Any) -> None:
    write_atomic(path, (json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode())


def is_temporary(path: Path) -> bool:
    """A file a writer left under its temporary name (it was stopped before renaming it)."""
    return path.name.startswith(".") and TEMP_MARK in path.name


def replace_dir(staged: Path, final: Path) -> None:
    """Move a finished folder into place. A reader sees the old folder or the new one, never a
    half-deleted one: the old one is renamed aside before it is removed."""
    aside = final.with_name(f".{final.name}.old")
    shutil.rmtree(aside, ignore_errors=True)
    if final.exists():
        os.replace(final, aside)
    os.replace(staged, final)
    sync_dir(final.parent)
    shutil.rmtree(aside, ignore_errors=True)


def sync_dir(folder: Path) -> None:
    """Make the renames inside `folder` durable (a rename is atomic, but only a synced folder
    keeps it across a power cut)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
