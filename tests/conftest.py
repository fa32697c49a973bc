"""Shared test helpers. Tests make their own fixtures; the repo's seeds/ is the only file they read."""

from __future__ import annotations

import fcntl
import os
import pty
import shutil
import struct
import subprocess
import sys
import termios
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


def run_in_terminal(*args: str | Path, cwd: Path, timeout: float = 300) -> str:
    """Run `prep` with stdout and stderr on a pseudo-terminal of 40 x 140, as a user at a terminal
    does (rich draws its live display there); what the terminal showed. The run must succeed."""
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 140, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")}
    env |= {"TERM": "xterm-256color", "COLUMNS": "140"}
    with subprocess.Popen([str(PREP), *map(str, args)], cwd=cwd, stdin=child, stdout=child, stderr=child,
                          env=env) as process:
        os.close(child)
        screen = b""
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            screen += chunk
        assert process.wait(timeout=timeout) == 0, screen.decode(errors="replace")
    os.close(main)
    return screen.decode(errors="replace")


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
