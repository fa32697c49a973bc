"""A run from inputs to outputs: plan shards, map stages over them, reduce, write, resume.

    extract (map)  -> template lines (reduce) -> finish + dedup features (map)
                   -> duplicate groups (reduce) -> write parts (map) -> manifest

Each phase's results live in the work directory, so a run that is stopped resumes where it
was: a finished shard task or reduce is never computed twice.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from prep import __version__
from prep.clean import CorpusLines, corpus_lines
from prep.clean.rules import check_pattern, resolve_rules
from prep.config import Config
from prep.dedup.groups import ShardFeatures, group_documents
from prep.executors import make_executor
from prep.schema import empty_output
from prep.sinks.manifest import build_manifest
from prep.sinks.parquet import write_part
from prep.sources import InputError, Plan, discover, plan_shards
from prep.tasks import EXTRACT, FINISH, WRITE, extract_task, finish_task, write_task
from prep.workdir import WorkDir, replace_dir, temp_path, write_json_atomic

Log = Callable[[str], None]


class UsageError(Exception):
    """Bad usage or config: nothing was written (exit code 2)."""


class RunFailed(Exception):
    """The run could not be done (exit code 1)."""


@dataclass
class RunResult:
    manifest: dict
    out: Path
    resumed_shards: int = 0
    notes: list[str] = field(default_factory=list)


def run(config: Config, inputs: list[Path] | None, out: Path | None, *, overwrite: bool = False,
        log: Log = lambda message: None) -> RunResult:
    roots = list(inputs) if inputs else list(config.input.paths)
    out = Path(out) if out is not None else config.output.dir
    _check_rules(config)
    try:
        files, problems, ignored = discover(roots)
    except InputError as err:
        raise UsageError(str(err)) from None
    work = WorkDir(out)
    fingerprint = _fingerprint(config, roots, files)
    _check_output(work, fingerprint, overwrite)
    out.mkdir(parents=True, exist_ok=True)
    with _locked(work):
        _check_output(work, fingerprint, overwrite)  # again, now that no one else can change it
        notes = _prepare(work, fingerprint, overwrite)
        for note in notes:
            log(note)
        return _run_locked(config, roots, files, problems, ignored, work, fingerprint, notes, log)


def _run_locked(config, roots, files, problems, ignored, work: WorkDir, fingerprint: str,
                notes: list[str], log: Log) -> RunResult:
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    if work.plan_file.exists():
        plan = Plan.from_dict(json.loads(work.plan_file.read_text()))
    else:
        plan = plan_shards(files, problems, config, work.chunks)
        write_json_atomic(work.plan_file, plan.to_dict())
    shards = plan.shards
    log(f"planned {sum(s.records for s in shards)} records from {len(plan.files)} files in {len(shards)} shards")
    lap("plan")
    resumed = sum(work.done_file(WRITE, s.index).exists() for s in shards)
    executor = make_executor(config)
    try:
        extracted = executor.map(extract_task, shards, config, work.out)
        lap("extract")
        if not work.spread_file.exists():
            keys = [work.shard_file(EXTRACT, s.index, "keys.parquet") for s in shards]
            corpus = corpus_lines(pl.scan_parquet(keys), config) if keys else CorpusLines.empty()
            _write_frame(corpus.template, work.template_file)
            _write_frame(corpus.spread, work.spread_file)  # written last: marks the reduce done
        lap("template_lines")
        finished = executor.map(finish_task, shards, config, work.out)
        lap("clean")
        if not work.decisions_file.exists():
            features = [ShardFeatures(str(work.shard_file(FINISH, s.index, "meta.parquet")),
                                      str(work.shard_file(FINISH, s.index, "sig.npy")),
                                      str(work.shard_file(FINISH, s.index, "bands.npy"))) for s in shards]
            _write_frame(group_documents(features, config.dedup).sort("order"), work.decisions_file)
        lap("dedup")
        written = executor.map(write_task, shards, config, work.out)
        lap("write")
    finally:
        executor.close()
    outputs = _publish(work, config, written)
    manifest = build_manifest(config=config, roots=roots, plan=plan, ignored=ignored, extracted=extracted,
                              finished=finished, written=written, outputs=outputs, timings=timings,
                              fingerprint=fingerprint)
    write_json_atomic(work.manifest, manifest)
    shutil.rmtree(work.root, ignore_errors=True)
    return RunResult(manifest, work.out, resumed, notes)


def _publish(work: WorkDir, config: Config, written: list[dict]) -> dict[str, list[dict]]:
    """Move the staged tables into place; a table with no rows still gets one empty part."""
    outputs = {}
    for table in ("corpus", "dropped"):
        entries = {e["file"]: e for stats in written for t, e in stats["parts"].items() if t == table}
        staged = work.staged(table)
        staged.mkdir(parents=True, exist_ok=True)
        if not entries:
            entry = write_part(empty_output(table == "dropped"), staged / "part-00000.parquet", config, table)
            entries[entry["file"]] = entry
        replace_dir(staged, work.out / table)
        outputs[table] = [{**entries[name], "file": f"{table}/{name}"} for name in sorted(entries)]
    return outputs


def _write_frame(frame: pl.DataFrame, path: Path) -> None:
    tmp = temp_path(path)
    frame.write_parquet(tmp)
    tmp.replace(path)


def _check_rules(config: Config) -> None:
    try:
        for rule in resolve_rules(config.clean.rules):
            check_pattern(rule.pattern)
    except ValueError as err:
        raise UsageError(f"config: rule pattern: {err}") from None


def _fingerprint(config: Config, roots: list[Path], files) -> str:
    """What must be unchanged for an unfinished run to be resumed."""
    identity = {
        "prep": __version__,
        "config": config.sha256(),
        "roots": [str(r) for r in roots],
        "files": [(f.source_path, f.size, f.mtime_ns) for f in files],
    }
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


def _check_output(work: WorkDir, fingerprint: str, overwrite: bool) -> None:
    if overwrite:
        return
    if work.manifest.exists():
        raise UsageError(f"{work.out} already holds a finished run; pass --overwrite to replace it")
    if work.run_file.exists():
        previous = json.loads(work.run_file.read_text()).get("fingerprint")
        if previous != fingerprint:
            raise UsageError(f"{work.out} holds an unfinished run of other inputs or another config; "
                             "pass --overwrite to discard it")


def _prepare(work: WorkDir, fingerprint: str, overwrite: bool) -> list[str]:
    """Clear what an overwrite replaces, decide resume, and record this run's fingerprint."""
    notes = []
    previous = json.loads(work.run_file.read_text()).get("fingerprint") if work.run_file.exists() else None
    if overwrite:
        if work.manifest.exists():
            work.manifest.unlink()  # first: a crash from here on leaves nothing that looks complete
            notes.append(f"overwriting the finished run in {work.out}")
        for table in ("corpus", "dropped"):
            shutil.rmtree(work.out / table, ignore_errors=True)
    if previous == fingerprint:
        notes.append(f"resuming the unfinished run in {work.out}")
    elif work.root.exists():
        shutil.rmtree(work.root)
        if previous is not None:
            notes.append(f"discarding an unfinished run of other inputs or config in {work.out}")
    write_json_atomic(work.run_file, {"fingerprint": fingerprint, "prep": __version__})
    return notes


class _locked:
    """An exclusive lock on the output directory for the whole run (released if the process dies)."""

    def __init__(self, work: WorkDir):
        self.work = work
        self.handle = None

    def __enter__(self):
        self.handle = open(self.work.lock_file, "a")  # noqa: SIM115 - held for the run
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise RunFailed(f"another prep run is writing to {self.work.out} (lock {self.work.lock_file} "
                            "is held); wait for it to finish") from None
        return self

    def __exit__(self, *exc):
        # the file stays: unlinking it would let a waiting run lock a file nobody else sees
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()
