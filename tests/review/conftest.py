"""One real run shared by the tests of this folder: they read its output and never change its
files (`prep report` adds report.html next to them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import run_prep
from tests.review.corpus import write_crawl

CONFIG = """
[run]
workers = 1
shard_records = 6      # several shards and part files

[gates]
min_docs_kept = 5
max_drop_rate = 0.6
max_errors = 5
"""


@dataclass(frozen=True)
class FinishedRun:
    root: Path    # the working directory the run was started in
    out: Path     # its output directory
    config: Path
    summary: Path  # its --summary-json
    stderr: str


@pytest.fixture(scope="session")
def finished_run(tmp_path_factory: pytest.TempPathFactory) -> FinishedRun:
    root = tmp_path_factory.mktemp("reporting")
    write_crawl(root)
    (root / "prep.toml").write_text(CONFIG)
    result = run_prep("run", "crawl", "--config", "prep.toml", "--out", "out", "--summary-json", "summary.json",
                      cwd=root)
    assert result.returncode == 0, result.stderr
    return FinishedRun(root, root / "out", root / "prep.toml", root / "summary.json", result.stderr)

