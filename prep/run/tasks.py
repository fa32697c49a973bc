"""The three per-shard map tasks of a run. Each writes its results into the work directory and
then a `.done.json` with its statistics; a task whose done file exists is not run again.

Tasks are plain top-level functions of (shard, config, output dir) so any executor (a local
process pool, Ray) can run them, and they never depend on which worker ran the one before.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa

from prep.clean import CorpusLines, finish_documents, first_pass
from prep.clean.boilerplate import line_keys
from prep.clean.extract.readahead import read_and_extract
from prep.clean.extract.records import extract, start_parser
from prep.config import Config
from prep.dedup.features import compute_features
from prep.dedup.store import TABLE as SIGNATURES
from prep.dedup.store import ShardFeatures, write_signatures
from prep.executors import Task
from prep.files import write_frame, write_json_atomic
from prep.filter import filter_documents, shard_stats
from prep.processes.crashpoints import crash_point
from prep.run.partial import RecordsDone
from prep.run.warmup import warm_up_beside
from prep.run.workdir import WorkDir
from prep.schema import DOC_SCHEMA, split_drop_reason
from prep.sinks.parquet import footer_metadata, write_part
from prep.sources import Shard, read_shard

EXTRACT, FINISH, WRITE = "extract", "finish", "write"


def _done(work: WorkDir, phase: str, shard: int) -> dict | None:
    path = work.done_file(phase, shard)
    return json.loads(path.read_text()) if path.exists() else None


def _runs_once(phase: str) -> Callable[[Callable[[Shard, Config, WorkDir], dict]], Task]:
    """Make `body(shard, config, work)` a shard task of `phase` that runs once: when the task is
    done, its statistics are returned without running it. A run of the task can also find its
    input files deleted under it by another run of the same task that finished first (a task of
    a killed driver still running on a Ray cluster when a resumed run starts it again): it then
    returns what that run recorded."""
    def wrap(body: Callable[[Shard, Config, WorkDir], dict]) -> Task:
        @functools.wraps(body)
        def task(shard: Shard, config: Config, out: Path) -> dict:
            work = WorkDir(out)
            if (done := _done(work, phase, shard.index)) is not None:
                return done
            try:
                return body(shard, config, work)
            except FileNotFoundError:
                if (done := _done(work, phase, shard.index)) is not None:
                    return done
                raise
        return task
    return wrap


def _finish(work: WorkDir, phase: str, shard: int, stats: dict) -> dict:
    """Mark the shard's task done: its done file is written last, once all its results are."""
    crash_point(f"{phase}-data:{shard}")
    write_json_atomic(work.done_file(phase, shard), stats)
    crash_point(f"{phase}-done:{shard}")
    return stats


def _discard(*paths: Path | str) -> None:
    """Remove a shard's work files once the task that reads them is done: they are never read
    again (a finished task is not run again), and a million-document run would otherwise keep
    every intermediate copy of the corpus on disk until it ends."""
    for path in paths:
        Path(path).unlink(missing_ok=True)


def shard_features(work: WorkDir, shard: int) -> ShardFeatures:
    return ShardFeatures.in_folder(work.root / FINISH, f"shard-{shard:05d}")


@_runs_once(EXTRACT)
def extract_task(shard: Shard, config: Config, work: WorkDir) -> dict:
    """Read the shard's records, extract text, split lines, apply the named line rules. The pages
    extracted so far are counted in the shard's progress file (run/partial.py)."""
    pages_done = RecordsDone(work.progress_file(EXTRACT, shard.index))
    if shard.pages:
        start_parser()
        warming = warm_up_beside()
        records, extraction = read_and_extract(shard, config, pages_done)
        warming.join()
    else:
        records = read_shard(shard, config)
        extraction = extract(records.frame, config.extract, config.limits.extract_timeout_seconds, pages_done)
    docs = extraction.docs
    lines = first_pass(docs, config)
    write_frame(docs.drop("text"), work.shard_file(EXTRACT, shard.index, "docs.arrow"))
    write_frame(lines, work.shard_file(EXTRACT, shard.index, "lines.arrow"))
    write_frame(line_keys(lines, docs), work.shard_file(EXTRACT, shard.index, "keys.arrow"))
    stats = {"records": docs.height,
             "html_pages": extraction.pages,
             "trafilatura_seconds": extraction.trafilatura_seconds,
             "unreadable_dates": extraction.unreadable_dates,
             "files": [asdict(f) for f in records.files],
             "problems": [asdict(p) for p in records.problems]}
    return _finish(work, EXTRACT, shard.index, stats)


@_runs_once(FINISH)
def finish_task(shard: Shard, config: Config, work: WorkDir) -> dict:
    """Finish cleaning with the corpus-wide template lines, filter, then compute dedup features."""
    docs = pl.read_ipc(work.shard_file(EXTRACT, shard.index, "docs.arrow")).cast(dict(DOC_SCHEMA))
    lines = pl.read_ipc(work.shard_file(EXTRACT, shard.index, "lines.arrow"))
    sites = docs.lazy().select("site").unique()
    corpus = CorpusLines(
        template=pl.scan_ipc(work.template_file).join(sites, on="site", how="semi").collect(),
        spread=pl.scan_ipc(work.spread_file)
        .join(pl.read_ipc(work.shard_file(EXTRACT, shard.index, "keys.arrow")).lazy().select("key").unique(),
              on="key", how="semi").collect(),
        brands=pl.scan_ipc(work.brands_file).join(sites, on="site", how="semi").collect())
    cleaned = finish_documents(docs, lines, corpus, config)
    filtered = filter_documents(cleaned, config)
    write_frame(filtered, work.shard_file(FINISH, shard.index, "docs.arrow"))
    candidates = filtered.filter(pl.col("drop_reason").is_null())
    features = compute_features(candidates, config.dedup)
    shard_features(work, shard.index).save(features)
    removed = cleaned.select(pl.col("removed").explode().struct.field("*")).drop_nulls("rule")
    stats = {
        "removed_lines": dict(Counter(removed["rule"].to_list())),
        "removed_chars": int(removed["line"].str.len_chars().sum() or 0),
        "kept_chars": int(cleaned["text"].str.len_chars().sum() or 0),
        **shard_stats(filtered),
    }
    _finish(work, FINISH, shard.index, stats)
    _discard(*(work.shard_file(EXTRACT, shard.index, name) for name in ("docs.arrow", "lines.arrow", "keys.arrow")),
             work.progress_file(EXTRACT, shard.index))  # read by the driver during the extract phase only
    return stats


@_runs_once(WRITE)
def write_task(shard: Shard, config: Config, work: WorkDir) -> dict:
    """Apply the dedup decisions and write the shard's corpus, dropped and signatures parts."""
    cleaned = pl.read_ipc(work.shard_file(FINISH, shard.index, "docs.arrow"))
    decisions = _shard_decisions(work, shard)
    rows = split_drop_reason(
        cleaned.join(decisions, on="order", how="left")
        .with_columns(
            cluster_id=pl.col("cluster_id").fill_null(pl.col("doc_id")),
            cluster_size=pl.col("cluster_size").fill_null(1),
            drop_reason=pl.coalesce("drop_reason", "dup_reason"))
        .sort("order")
    )
    name = f"part-{shard.index:05d}.parquet"
    footer = footer_metadata(config)
    parts = {}
    for table, frame in (("corpus", rows.filter(pl.col("drop_reason").is_null())),
                         ("dropped", rows.filter(pl.col("drop_reason").is_not_null()))):
        if frame.height:
            path = work.staged(table) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            parts[table] = write_part(frame, path, table, config.output, footer)
    kept = rows.filter(pl.col("drop_reason").is_null())["order"]
    if len(kept):  # every kept document has dedup features: it reached dedup and stayed
        path = work.staged(SIGNATURES) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        parts[SIGNATURES] = write_signatures(shard_features(work, shard.index), kept, path, config.dedup, config.output,
                                             footer)
    reasons = rows["drop_reason"].drop_nulls().to_list()
    stats = {"parts": parts, "kept": rows.height - len(reasons), "drop_reasons": dict(Counter(reasons))}
    _finish(work, WRITE, shard.index, stats)
    features = shard_features(work, shard.index)
    _discard(work.shard_file(FINISH, shard.index, "docs.arrow"), features.meta, features.signatures, features.bands)
    return stats


def _shard_decisions(work: WorkDir, shard: Shard) -> pl.DataFrame:
    """The shard's rows of the dedup decisions (sorted by order): the file is mapped, not read,
    so each of a million-document run's tasks touches its own rows only."""
    # not closed here: the frame's buffers may still point into the mapping, which lives as long as they do
    table = pa.ipc.open_file(pa.memory_map(str(work.decisions_file))).read_all()
    first, last = np.searchsorted(table.column("order").to_numpy(),
                                  [shard.first_order, shard.first_order + shard.records])
    return pl.from_arrow(table.slice(first, last - first))
