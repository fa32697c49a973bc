"""prep installed read-only and run by a user without a usable home, as in a non-root container:
every command works, and the compiled kernels find somewhere to cache or go without."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import REPO, SEEDS

# as root (as CI runs), the command runs with every capability dropped: root then reads and
# writes only what the permission bits let the files' owner do, as any non-root user
WITHOUT_CAPABILITIES = ["setpriv", "--bounding-set=-all", "--inh-caps=-all"]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """prep built and installed (not editable) into a folder nobody may write to."""
    target = tmp_path_factory.mktemp("site")
    build = tmp_path_factory.mktemp("build")
    shutil.copytree(REPO, build / "src", ignore=shutil.ignore_patterns(".venv", ".git", "out", "__pycache__",
                                                                        "*.egg-info", "build", ".cache"))
    result = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                             "--target", str(target), str(build / "src")], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    for folder, dirs, files in os.walk(target):
        for name in [*dirs, *files]:
            path = os.path.join(folder, name)
            os.chmod(path, os.stat(path).st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    os.chmod(target, 0o555)
    return target


def as_user_without_home(installed: Path, work: Path, *args: str, tmpdir: Path | None = None
                         ) -> subprocess.CompletedProcess:
    """`prep ARGS` from the read-only install, in `work`, with a HOME that does not exist and
    cannot be made; when this test runs as root, without root's power over permissions."""
    no_home = work.parent / "read-only"
    no_home.mkdir(exist_ok=True)
    os.chmod(no_home, 0o555)
    env = {"PATH": os.environ["PATH"], "HOME": str(no_home / "home"), "PYTHONPATH": str(installed),
           "PYTHONDONTWRITEBYTECODE": "1", "TMPDIR": str(tmpdir or work / "tmp"), "PYTHONWARNINGS": "ignore"}
    (tmpdir or work / "tmp").mkdir(exist_ok=True)
    drop = WITHOUT_CAPABILITIES if os.getuid() == 0 else []
    return subprocess.run([*drop, sys.executable, "-c", "from prep.cli import main; main()", *args], cwd=work,
                          env=env, capture_output=True, text=True, timeout=600)


def test_every_command_works_from_a_read_only_install_without_a_home(installed: Path, tmp_path: Path):
    work = tmp_path / "work"
    shutil.copytree(SEEDS, work / "seeds")
    (work / "gates.toml").write_text("[gates]\nmin_docs_kept = 1\n")

    def prep(*args: str) -> subprocess.CompletedProcess:
        result = as_user_without_home(installed, work, *args)
        assert result.returncode == 0, (args, result.stderr)
        return result

    assert "Usage" in prep("--help").stdout
    assert prep("--version").stdout.startswith("prep ")
    prep("validate-config", "gates.toml")
    prep("run", "seeds", "--out", "out", "--config", "gates.toml")
    corpus = pl.read_parquet(work / "out" / "corpus" / "*.parquet")
    assert corpus.height == 1
    assert "Records" in prep("inspect", "out").stdout
    prep("explain", "out", corpus["doc_id"][0])
    prep("check", "out")
    prep("report", "out", "--output", "report.html")
    assert (work / "report.html").stat().st_size > 0


def test_kernels_compile_without_any_cache_when_nothing_can_be_written(installed: Path, tmp_path: Path):
    work = tmp_path / "work"
    shutil.copytree(SEEDS, work / "seeds")
    unwritable = tmp_path / "unwritable"
    unwritable.mkdir()
    os.chmod(unwritable, 0o555)
    result = as_user_without_home(installed, work, "run", "seeds", "--out", "out2", tmpdir=unwritable)
    assert result.returncode == 0, result.stderr
    assert pl.read_parquet(work / "out2" / "corpus" / "*.parquet").height == 1
