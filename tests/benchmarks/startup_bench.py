"""How long prep takes to start: the first run right after a fresh install, a warm run, `--help`.

    python tests/benchmarks/startup_bench.py [--runs 5]

prep is built and installed (not editable) into a fresh folder, read-only as a system install
is, and run with a home that does not exist and an empty temporary directory, so that nothing
compiled or cached before helps. The seeds are under 32 KB, so the run takes the kernels as plain
Python rather than compiling them (prep/compiled.py): a larger input pays the compilation once.
Targets on a 2-core machine: first run <= 5 s, warm run <= 1.5 s, `prep --help` <= 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TARGETS = {"first run": 5.0, "warm run": 1.5, "--help": 0.5}


def install(into: Path) -> Path:
    site = into / "site"
    source = into / "src"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".venv", ".git", "out", "__pycache__",
                                                                 "*.egg-info", "build", ".cache"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(site), str(source)], check=True)
    for folder, dirs, files in os.walk(site):
        for name in [*dirs, *files]:
            path = os.path.join(folder, name)
            os.chmod(path, os.stat(path).st_mode & 0o555)
    return site


def timed(site: Path, work: Path, *args: str) -> float:
    env = {"PATH": os.environ["PATH"], "HOME": "/nonexistent", "PYTHONPATH": str(site), "TMPDIR": str(work / "tmp"),
           "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from prep.cli import main; main()", *args], cwd=work, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm runs and --help calls to take the median of")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        site = install(root)
        work = root / "work"
        shutil.copytree(REPO / "seeds", work / "seeds")
        (work / "tmp").mkdir()
        figures = {"first run": timed(site, work, "run", "seeds", "--out", "out-0", "--quiet")}
        figures["warm run"] = statistics.median(timed(site, work, "run", "seeds", "--out", f"out-{i + 1}", "--quiet")
                                                for i in range(args.runs))
        figures["--help"] = statistics.median(timed(site, work, "--help") for _ in range(args.runs))
    print(f"prep from a fresh read-only install, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    for name, seconds in figures.items():
        verdict = "ok" if seconds <= TARGETS[name] else "over"
        print(f"{name:<10} {seconds:6.2f} s   (target <= {TARGETS[name]} s: {verdict})")


if __name__ == "__main__":
    main()
