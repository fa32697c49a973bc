"""`make run` and `make clean` as a new user types them, in a copy of the repository's files: run
again, `make run` resumes or does nothing (never discards a run); `make clean` leaves nothing a
next run would refuse."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

VENV = Path(sys.executable).parent.parent  # the installed environment: make must not build one


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    shutil.copy(REPO / "Makefile", tmp_path)
    for folder in ("configs", "seeds"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".gitkeep").touch()
    return tmp_path


def make(target: str, cwd: Path, venv: Path = VENV) -> subprocess.CompletedProcess:
    # -o: the environment counts as installed, whatever the dates of pyproject.toml and its marker
    return subprocess.run(["make", target, f"VENV={venv}", "-o", f"{venv}/.installed"], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_again_does_nothing_and_make_clean_lets_the_next_run_start_afresh(checkout: Path):
    first = make("run", checkout)
    assert first.returncode == 0, first.stderr
    manifest = (checkout / "out" / "manifest.json").read_bytes()
    again = make("run", checkout)
    assert again.returncode == 0, again.stderr
    assert "prep: out is up to date" in again.stderr
    assert (checkout / "out" / "manifest.json").read_bytes() == manifest
    (checkout / "out" / "report.html").write_text("<html></html>")  # as `prep report out` leaves it
    cleaned = make("clean", checkout, venv=checkout / ".venv")  # a venv of the copy's own: not the one in use
    assert cleaned.returncode == 0, cleaned.stderr
    assert [p.name for p in (checkout / "out").iterdir()] == [".gitkeep"]
    after = make("run", checkout)
    assert after.returncode == 0, after.stderr
    assert "wrote out/corpus" in after.stderr
