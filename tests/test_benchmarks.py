"""The benchmark commands under tests/benchmarks/ still start: each imports what it needs from
prep (a module that moved breaks a benchmark without breaking any test) and answers --help.
datatrove_decisions.py runs in datatrove's own environment and is left out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = sorted(p for p in (Path(__file__).parent / "benchmarks").glob("*.py")
                    if p.name not in ("__init__.py", "datatrove_decisions.py"))


@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda p: p.name)
def test_a_benchmark_command_starts(script: Path):
    result = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=300,
                            cwd=script.parents[2])
    assert result.returncode == 0, result.stderr
    if "argparse" in script.read_text(encoding="utf-8"):
        assert "usage:" in result.stdout
