"""Shared test helpers. Tests make their own fixtures; the repo's seeds/ is the only file they read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
PREP = Path(sys.executable).with_name("prep")


def run_prep(*args: str | Path, cwd: Path, timeout: float = 600,
             env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the installed `prep` command as a user would (`env`: more environment variables)."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})}
    return subprocess.run([str(PREP), *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


def alive(pid: int) -> bool:
    """Whether a process of this id exists (a zombie not yet reaped counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def read_table(out: Path, table: str) -> pl.DataFrame:
    return pl.read_parquet(out / table / "*.parquet")


def with_detail(frame: pl.DataFrame) -> pl.DataFrame:
    """drop_reason with its drop_detail, as "<reason>: <detail>", for assertions on both at once."""
    return frame.with_columns(drop_reason=pl.when(pl.col("drop_detail").is_null()).then(pl.col("drop_reason"))
                              .otherwise(pl.col("drop_reason") + ": " + pl.col("drop_detail")))


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
