"""Cost of the filter stages on one shard: language, signals, quality filters (and PII, off by default).

    python tests/benchmarks/filter_speed.py [--data DIR] [--docs 5000] [--runs 5] [--skip-prep-run]

On the first --docs documents of the speed corpus (news_corpus.py, a shard of a run: 5,000 by
default), each stage as a run calls it, with the default sections: its CPU time in ms for the
shard and in microseconds per document (median of --runs; compiled code and models are loaded
before timing, as a run's workers have them loaded after their first shard).

To say what share of a run that is, it also measures `prep run` (as it is, without the filter
stages) on the same documents with one worker: its CPU time per document, taken as the
difference between a run of all --docs documents and a run of a tenth of them (so that the
start-up of the process and of its worker is left out). The speed target: the filter path
costs at most 15% of a run's time.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from prep.config import LanguageConfig, PiiConfig, QualityConfig  # noqa: E402
from prep.filter.language import language  # noqa: E402
from prep.filter.pii import pii  # noqa: E402
from prep.filter.quality import quality  # noqa: E402
from prep.filter.signals import signals  # noqa: E402
from prep.training.wcxb import DEFAULT_DATA  # noqa: E402

PREP = Path(sys.executable).with_name("prep")


def shard(data: Path, docs: int) -> tuple[Path, pl.DataFrame]:
    from tests.benchmarks.filter_agreement import news_corpus

    path = news_corpus(data, docs)
    frame = pl.read_ndjson(path, n_rows=docs).select("text").with_columns(
        pl.lit(None, dtype=pl.String).alias("drop_reason"))
    return path, frame


def time_stages(docs: pl.DataFrame, runs: int) -> dict[str, list[float]]:
    stages = {
        "language": lambda d: language(d, LanguageConfig()),
        "signals": lambda d: signals(d),
        "quality filters": lambda d: quality(d, QualityConfig()),
        "pii (off by default)": lambda d: pii(d, PiiConfig(enabled=True)),
    }
    inputs = {"language": docs, "signals": docs}
    with_signals = signals(language(docs, LanguageConfig()))
    inputs["quality filters"] = with_signals
    inputs["pii (off by default)"] = docs
    for name, stage in stages.items():  # load compiled code and models
        stage(inputs[name].head(20))
    seconds: dict[str, list[float]] = {name: [] for name in stages}
    for _ in range(runs):
        for name, stage in stages.items():
            started = time.process_time()
            stage(inputs[name])
            seconds[name].append(time.process_time() - started)
    return seconds


def prep_cpu(path: Path, docs: int) -> float:
    """CPU seconds of `prep run` (one worker) on the first `docs` records of `path`."""
    with tempfile.TemporaryDirectory() as tmp:
        subset = Path(tmp) / "in.jsonl"
        with open(path, encoding="utf-8") as source, open(subset, "w", encoding="utf-8") as out:
            for i, line in enumerate(source):
                if i >= docs:
                    break
                out.write(line)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        run = subprocess.run([str(PREP), "run", str(subset), "--out", f"{tmp}/out", "--workers", "1"],
                             capture_output=True, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if run.returncode:
            sys.exit(f"prep run failed: {run.stderr[-2000:]}")
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-prep-run", action="store_true")
    args = parser.parse_args()
    path, docs = shard(args.data, args.docs)
    seconds = time_stages(docs, args.runs)
    n = docs.height
    print(f"one shard: {n:,} documents of the speed corpus; CPU time, median of {args.runs} runs")
    total = 0.0
    for name, values in seconds.items():
        median = statistics.median(values)
        if not name.startswith("pii"):
            total += median
        print(f"  {name:<22} {median * 1e3:8.1f} ms  {median * 1e6 / n:8.1f} us/document")
    print(f"  {'language + signals + quality':<22} {total * 1e3:8.1f} ms  {total * 1e6 / n:8.1f} us/document")
    if not args.skip_prep_run:
        small = max(n // 10, 1)
        runs = [(prep_cpu(path, n), prep_cpu(path, small)) for _ in range(3)]
        per_doc = statistics.median((big - little) / (n - small) for big, little in runs)
        print(f"prep run as it is (read, clean, dedup, write; one worker): {per_doc * 1e6:.1f} us/document of CPU")
        print(f"the filter path adds {total / n / per_doc:.1%} to a run's CPU time (target: at most 15%); on the "
              f"100k run of speed_bench.py (two workers) that is {total / n * 100_000 / 2:.1f} s of wall time")


if __name__ == "__main__":
    main()
