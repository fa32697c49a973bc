"""Throughput and memory: the whole run, dedup alone, datasketch's baseline, and HTML extraction.

    python tests/benchmarks/speed_bench.py [--data DIR] [--sizes 10000,100000,1000000] [--runs 3]
                                           [--skip-html] [--skip-baseline] [--skip-filters-off]

For each size, a JSONL corpus of generated news-sized documents (news_corpus.py: 400-800
words, about 20% near-duplicates, real English word sequences) is made once and cached under
tests/benchmarks/.cache/. Printed per size, as the median of --runs runs:
- `prep run` on it (read, clean, dedup, write) with one worker per core: wall seconds,
  documents/s, MB/s of text, and the largest over the runs of the peak RSS of the whole process
  tree, of its peak PSS (the same with the pages processes share counted once: the workers
  forked from the fork server share its libraries) and of the peak disk use of the output
  directory (work files included, against the size of the input); and the same run without the
  language and quality filters, alternating with it, and the share of the run the filters take;
- dedup alone: signatures (shards in a pool of one worker per core), LSH and groups.
At the smallest size it also times datasketch's own per-shingle `MinHash.update` loop with
`MinHashLSH` over the same documents in one process, the baseline prep's dedup is compared
with. With the WCXB pages (--data), HTML pages/s with one and with all workers, the parallel
efficiency, and the share of the 1-worker run's time spent outside trafilatura (trafilatura's
time as the run itself measures it in its parser process: a loop of the same calls timed apart
varies by more than the share itself on a shared machine).

Data: WCXB development split (CC-BY-4.0, Murrough Foley), read from --data.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from prep.config import Config, DedupConfig  # noqa: E402
from prep.dedup.features import compute_features  # noqa: E402
from prep.dedup.groups import group_documents  # noqa: E402
from prep.dedup.store import ShardFeatures  # noqa: E402
from prep.executors.workers import worker_count  # noqa: E402
from prep.training.wcxb import DEFAULT_DATA  # noqa: E402
from tests.benchmarks.dedup_bench import timed_run  # noqa: E402
from tests.benchmarks.news_corpus import write_corpus  # noqa: E402

CACHE = Path(__file__).resolve().parent / ".cache"
PREP = Path(sys.executable).with_name("prep")


def corpus(data: Path, size: int) -> tuple[Path, int]:
    """The cached corpus of `size` documents and its text bytes (made on first use)."""
    path = CACHE / f"news-{size}.jsonl"
    meta = path.with_suffix(".json")
    if not path.exists() or not meta.exists():
        print(f"  generating {size:,} documents ...", flush=True)
        text_bytes = write_corpus(data, size, path)
        meta.write_text(json.dumps({"docs": size, "text_bytes": text_bytes}))
    return path, json.loads(meta.read_text())["text_bytes"]


# the same run without language identification and quality signals and filters (pii is off
# by default): what they cost is the difference
WITHOUT_FILTERS = "[language]\nenabled = false\n\n[quality]\nenabled = false\n"


def whole_run(path: Path, out: Path, workers: int | None = None,
              config: Path | None = None) -> tuple[float, float, float, float]:
    """(wall seconds, peak RSS MB, peak PSS MB, peak disk MB of `out`) of one `prep run`."""
    args = [str(PREP), "run", str(path), "--out", str(out), "--overwrite"]
    if workers:
        args += ["--workers", str(workers)]
    if config:
        args += ["--config", str(config)]
    with PeakDisk(out) as disk:
        seconds, rss, pss = timed_run(args)
    return seconds, rss, pss, disk.peak / 1e6


class PeakDisk:
    """The largest size a folder's files reach while the block runs, sampled every 100 ms in a
    thread (a run's work files come and go between the samples' reach only when they live
    less than that)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakDisk:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, folder_bytes(self.folder))


def folder_bytes(folder: Path) -> int:
    """Bytes in the files under `folder` (files removed while it is walked count as none)."""
    total = 0
    for root, _, names in os.walk(folder):
        for name in names:
            with contextlib.suppress(OSError):
                total += os.stat(os.path.join(root, name)).st_blocks * 512
    return total


# --- dedup alone ----------------------------------------------------------------------------

def _features(args: tuple[str, str]) -> ShardFeatures:
    texts_file, tmp = args
    feats = compute_features(pl.read_ipc(texts_file), Config().dedup)
    paths = ShardFeatures.in_folder(Path(tmp), Path(texts_file).stem)
    paths.save(feats)
    return paths


def dedup_alone(path: Path, shard: int = 5000) -> float:
    """Seconds for signatures (a pool of one worker per core, shards like a run's) plus the
    global LSH and grouping, on the corpus's texts (cutting them into shard files is not timed)."""
    with tempfile.TemporaryDirectory() as tmp:
        texts = pl.read_ndjson(path).select(
            order=pl.int_range(pl.len(), dtype=pl.Int64), doc_id="id", text="text",
            published=pl.lit(None, dtype=pl.String))
        jobs = []
        for lo in range(0, texts.height, shard):
            texts_file = f"{tmp}/shard-{lo:09d}.arrow"
            texts.slice(lo, shard).write_ipc(texts_file)
            jobs.append((texts_file, tmp))
        del texts
        with ProcessPoolExecutor(worker_count(0), mp_context=get_context("spawn")) as pool:
            list(pool.map(_features, jobs[:worker_count(0)]))  # start every worker, load compiled code: not timed
            start = time.perf_counter()
            shards = list(pool.map(_features, jobs))
        group_documents(shards, Config().dedup)
        return time.perf_counter() - start


def baseline(path: Path, config: DedupConfig) -> tuple[float, int]:
    """datasketch's per-shingle MinHash.update loop and MinHashLSH over the same documents, one
    process; returns (seconds, documents)."""
    from datasketch import MinHash, MinHashLSH

    from tests.dedup.helpers import fold, reference_tokens

    texts = pl.read_ndjson(path)["text"].to_list()
    start = time.perf_counter()
    lsh = MinHashLSH(num_perm=config.num_perm, params=(config.bands, config.num_perm // config.bands))
    sketches = []
    for i, text in enumerate(texts):
        words = reference_tokens(fold(text))
        m = MinHash(num_perm=config.num_perm, seed=config.seed)
        for j in range(max(len(words) - config.ngram + 1, 1)):
            m.update(" ".join(words[j:j + config.ngram]).encode("utf-8"))
        lsh.insert(i, m)
        sketches.append(m)
    for m in sketches:
        lsh.query(m)
    return time.perf_counter() - start, len(texts)


# --- HTML ---------------------------------------------------------------------------------

def html_speed(data: Path, runs: int) -> None:
    pages = sorted((data / "html").glob("*.html.gz"))
    cores = worker_count(0)
    one, many, inside = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        for page in pages:
            (folder / page.name).symlink_to(page.resolve())
        for _ in range(runs):
            one.append(whole_run(folder, Path(tmp) / "one", 1)[0])
            manifest = json.loads((Path(tmp) / "one" / "manifest.json").read_text())
            inside.append(manifest["html_extraction"]["trafilatura_seconds"])
            many.append(whole_run(folder, Path(tmp) / "many", cores)[0])
    one_s, many_s, inside_s = statistics.median(one), statistics.median(many), statistics.median(inside)
    print(f"\nHTML ({len(pages)} WCXB pages, .html.gz files): 1 worker {len(pages) / one_s:.1f} pages/s "
          f"({one_s:.1f} s), {cores} workers {len(pages) / many_s:.1f} pages/s ({many_s:.1f} s); parallel efficiency "
          f"{one_s / many_s / cores:.1%}")
    print(f"  1-worker run: trafilatura {inside_s:.1f} s of its {one_s:.1f} s (timed inside the run, in the parser "
          f"process), so {max(one_s - inside_s, 0) / one_s:.1%} of the time is prep's own")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-html", action="store_true")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--skip-filters-off", action="store_true",
                        help="leave out the same runs without the language and quality filters")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {os.cpu_count()} cores; prep workers: {worker_count(0)}; runs per figure: {args.runs} "
          "(medians)")
    rows = []
    for size in sizes:
        path, text_bytes = corpus(args.data, size)
        with tempfile.TemporaryDirectory() as tmp:
            runs, bare = [], []
            no_filters = Path(tmp) / "no-filters.toml"
            no_filters.write_text(WITHOUT_FILTERS, encoding="utf-8")
            for run in range(args.runs):  # each into a new folder: the disk peak is of this run alone
                runs.append(whole_run(path, Path(tmp) / f"out-{run}"))
                shutil.rmtree(Path(tmp) / f"out-{run}")
                if not args.skip_filters_off:  # alternating, so that both see the machine alike
                    bare.append(whole_run(path, Path(tmp) / f"bare-{run}", config=no_filters)[0])
                    shutil.rmtree(Path(tmp) / f"bare-{run}")
        seconds = statistics.median(r[0] for r in runs)
        rss = max(r[1] for r in runs)
        pss = max(r[2] for r in runs)
        disk = max(r[3] for r in runs)
        dedup = statistics.median(dedup_alone(path) for _ in range(args.runs))
        rows.append((size, seconds, rss, dedup))
        print(f"{size:>9,} docs  prep run {seconds:7.1f} s  {size / seconds:8,.0f} docs/s  "
              f"{text_bytes / 1e6 / seconds:6.1f} MB/s  peak RSS {rss:6.0f} MB (PSS {pss:5.0f} MB)  "
              f"peak disk {disk:6.0f} MB "
              f"({disk * 1e6 / path.stat().st_size:.1f}x the input)  |  dedup alone {dedup:6.1f} s  "
              f"{size / dedup:8,.0f} docs/s", flush=True)
        if bare:
            bare_s = statistics.median(bare)
            print(f"  without language and quality filters: {bare_s:.1f} s, {size / bare_s:,.0f} docs/s; "
                  f"the filters take {(seconds - bare_s) / seconds:.1%} of the run", flush=True)
        if size == sizes[0] and not args.skip_baseline:
            base_seconds, docs = baseline(path, Config().dedup)
            print(f"  datasketch baseline (per-shingle MinHash.update + MinHashLSH, one process): "
                  f"{base_seconds:.1f} s, {docs / base_seconds:,.0f} docs/s; prep dedup alone is "
                  f"{base_seconds / dedup:.0f}x faster")
    if len(rows) > 1:
        (small, small_s, *_), (big, big_s, *_) = rows[-2], rows[-1]
        print(f"time {big:,} docs / time {small:,} docs: {big_s / small_s:.1f}x for {big / small:.0f}x the documents")
    if not args.skip_html:
        html_speed(args.data, args.runs)


if __name__ == "__main__":
    main()
