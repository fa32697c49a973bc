"""A run from inputs to outputs: plan shards, map stages over them, reduce, write, resume.

    extract (map)  -> template lines (reduce) -> finish + dedup features (map)
                   -> duplicate groups (reduce) -> write parts (map) -> manifest

Each phase's results live in the work directory, so a run that is stopped resumes where it
was: a finished shard task or reduce is never computed twice.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from prep import __version__
from prep.clean import CorpusLines, corpus_lines
from prep.config import Config
from prep.crashpoints import crash_point
from prep.dedup.earlier import EarlierError, EarlierOutput, open_earlier, stage_earlier
from prep.dedup.groups import group_documents, load_kernels
from prep.executors import EngineUnavailable, Executor, make_executor
from prep.executors.workers import EARLY_START_BYTES
from prep.progress import Progress, Silent
from prep.schema import empty_output
from prep.sinks.manifest import build_manifest, html_extraction
from prep.sinks.parquet import write_part
from prep.sinks.signatures import TABLE as SIGNATURES
from prep.sinks.signatures import write_empty_signatures
from prep.sources import Discovery, InputChanged, InputError, Plan, discover, plan_shards
from prep.tasks import EXTRACT, FINISH, WRITE, extract_task, finish_task, shard_features, write_task
from prep.validate import check_config
from prep.workdir import PUBLISHED, WorkDir, replace_dir, write_frame, write_json_atomic

Log = Callable[[str], None]
# runs of at least this many records (earlier outputs' documents included) let the workers go
# during the dedup reduce: by then each holds hundreds of MB (libraries, compiled kernels, what
# its allocator kept of its largest shard) that would add to the reduce's; smaller runs keep
# them, as starting them again would cost more time than the reduce itself takes
RELEASE_WORKERS_FROM = 250_000
TABLES = ("corpus", "dropped", SIGNATURES)
EMPTY_PART = "part-00000.parquet"


class UsageError(Exception):
    """Bad usage or config: nothing was written (exit code 2)."""


class RunFailed(Exception):
    """The run could not be done (exit code 1)."""


@dataclass
class RunResult:
    manifest: dict
    out: Path
    notes: list[str] = field(default_factory=list)


def run(config: Config, inputs: list[Path] | None, out: Path | None, *, overwrite: bool = False,
        log: Log = lambda message: None, progress: Progress | None = None) -> RunResult:
    roots = list(inputs) if inputs else list(config.input.paths)
    out = Path(out) if out is not None else config.output.dir
    check_config(config)
    try:
        found = discover(roots)
    except InputError as err:
        raise UsageError(str(err)) from None
    _check_paths(roots, out)
    try:
        earlier = open_earlier(config.dedup.against, config.dedup, out, roots)
    except EarlierError as err:
        raise UsageError(str(err)) from None
    work = WorkDir(out)
    fingerprint = _fingerprint(config, roots, found.files, earlier)
    _check_not_foreign(work, overwrite)
    try:
        executor = make_executor(config)  # before writing: a Ray cluster may be out of reach
    except EngineUnavailable as err:
        raise UsageError(str(err)) from None
    try:
        out.mkdir(parents=True, exist_ok=True)
        with _locked(work):  # from here on, no other run can change the directory
            _check_output(work, fingerprint, overwrite)
            notes = _prepare(work, fingerprint, overwrite)
            for note in notes:
                log(note)
            return _run_locked(config, roots, found, earlier, work, fingerprint, notes, log, progress or Silent(),
                               executor)
    finally:
        executor.close()


def _run_locked(config: Config, roots: list[Path], found: Discovery, earlier: list[EarlierOutput], work: WorkDir,
                fingerprint: str, notes: list[str], log: Log, progress: Progress, executor: Executor) -> RunResult:
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now
        progress.finish(name)

    if sum(f.size for f in found.files) > EARLY_START_BYTES:
        executor.start()  # workers start while the driver plans
    try:
        if work.plan_file.exists():
            plan = Plan.from_dict(json.loads(work.plan_file.read_text()))
        else:
            plan = plan_shards(found.files, found.problems, config, work.chunks)
            write_json_atomic(work.plan_file, plan.to_dict())
            crash_point("plan-written")
        shards = plan.shards
        log(f"planned {sum(s.records for s in shards)} records from {len(plan.files)} files in {len(shards)} shards")
        lap("plan")
        if sum(s.records for s in shards) > 1 and config.dedup.near and not work.decisions_file.exists():
            threading.Thread(target=_load_kernels, name="load-kernels", daemon=True).start()
        extracted = executor.map(extract_task, shards, config, work.out, on_done=progress.start("extract", shards))
        lap("extract")
        if (html := html_extraction(extracted))["pages"]:
            log(f"extract: trafilatura took {html['trafilatura_seconds']:.1f} s over {html['pages']:,} HTML pages "
                "(summed over the parser processes)")
        progress.start("template_lines")
        if not work.spread_file.exists():
            keys = [work.shard_file(EXTRACT, s.index, "keys.arrow") for s in shards]
            corpus = corpus_lines(pl.scan_ipc(keys), config) if keys else CorpusLines.empty()
            write_frame(corpus.template, work.template_file)
            write_frame(corpus.spread, work.spread_file)  # written last: marks the reduce done
            crash_point("template-written")
        lap("template_lines")
        finished = executor.map(finish_task, shards, config, work.out, on_done=progress.start("clean", shards))
        lap("clean")
        progress.start("dedup")
        if not work.decisions_file.exists():
            if sum(s.records for s in shards) + sum(e.documents for e in earlier) >= RELEASE_WORKERS_FROM:
                executor.release()
            features = [shard_features(work, s.index) for s in shards]
            if earlier:
                log(f"deduplicating against {len(earlier)} earlier output{'s' if len(earlier) > 1 else ''} "
                    f"({sum(e.documents for e in earlier)} documents)")
            staged = stage_earlier(earlier, config.dedup, work.against)
            write_frame(group_documents(features, config.dedup, staged).sort("order"), work.decisions_file)
            crash_point("decisions-written")
        lap("dedup")
        written = executor.map(write_task, shards, config, work.out, on_done=progress.start("write", shards))
        lap("write")
        executor.close(wait=False)  # every map is done: the workers exit while the outputs are published
    except InputChanged as err:
        raise RunFailed(str(err)) from None
    outputs = _publish(work, config, written)
    manifest = build_manifest(config=config, roots=roots, plan=plan, found=found, extracted=extracted,
                              finished=finished, written=written, outputs=outputs, timings=timings,
                              fingerprint=fingerprint, against=_against_entries(work, earlier))
    write_json_atomic(work.manifest, manifest)  # last: a manifest means the run is complete
    crash_point("manifest-written")
    shutil.rmtree(work.root, ignore_errors=True)
    return RunResult(manifest, work.out, notes)


def _load_kernels() -> None:
    """load_kernels() for a thread of its own: it only saves time, so a failure is left for the
    reduce to meet (and report) when it loads them itself."""
    with contextlib.suppress(Exception):
        load_kernels()


def _publish(work: WorkDir, config: Config, written: list[dict]) -> dict[str, list[dict]]:
    """Move the staged tables into place, each with one rename; a table with no rows still gets
    one empty part. Safe to repeat after a crash half-way: a table already moved stays."""
    outputs = {}
    for table in TABLES:
        entries = {e["file"]: e for stats in written for t, e in stats["parts"].items() if t == table}
        staged, final = work.staged(table), work.published(table)
        if staged.exists() or not final.exists():
            staged.mkdir(parents=True, exist_ok=True)
            for path in staged.iterdir():  # what writers stopped by a crash left behind
                if path.name not in entries:
                    path.unlink()
            if not entries:
                entries = {EMPTY_PART: _write_empty(table, staged / EMPTY_PART, config)}
            final.parent.mkdir(parents=True, exist_ok=True)
            replace_dir(staged, final)
            crash_point(f"published:{table}")
        elif not entries:  # moved by the run that crashed: describe the empty part it wrote
            entries = {EMPTY_PART: _describe_part(final / EMPTY_PART)}
        missing = sorted(name for name in entries if not (final / name).is_file())
        if missing:
            raise RunFailed(f"{final} lacks {', '.join(missing)}; run again with --overwrite")
        folder = final.relative_to(work.out).as_posix()
        outputs[table] = [{**entries[name], "file": f"{folder}/{name}"} for name in sorted(entries)]
    return outputs


def _write_empty(table: str, path: Path, config: Config) -> dict:
    if table == SIGNATURES:
        return write_empty_signatures(path, config)
    return write_part(empty_output(table == "dropped"), path, config, table)


def _against_entries(work: WorkDir, earlier: list[EarlierOutput]) -> list[dict]:
    """The earlier outputs, each with how many new documents were dropped as copies of its own."""
    if not earlier:
        return []
    dropped = (pl.scan_ipc(work.decisions_file).filter(pl.col("against").is_not_null())
               .group_by("against", "dup_reason").len().sort("against", "dup_reason").collect())
    return [{**output.identity(), "dropped": {reason: n for k, reason, n in dropped.iter_rows() if k == index}}
            for index, output in enumerate(earlier)]


def _describe_part(path: Path) -> dict:
    with open(path, "rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    rows = pl.scan_parquet(path).select(pl.len()).collect().item()
    return {"file": path.name, "rows": rows, "bytes": path.stat().st_size, "sha256": digest}



def _fingerprint(config: Config, roots: list[Path], files, earlier: list[EarlierOutput]) -> str:
    """What must be unchanged for an unfinished run to be resumed."""
    identity = {
        "prep": __version__,
        "config": config.sha256(),
        "roots": [str(r) for r in roots],
        "files": [(f.source_path, f.size, f.mtime_ns) for f in files],
    }
    if earlier:
        identity["against"] = [e.identity() for e in earlier]
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


def _check_paths(roots: list[Path], out: Path) -> None:
    """The output directory and the inputs must not overlap: a run would read its own output, or
    replace its own input."""
    out_real = Path(os.path.realpath(out))
    if out.exists() and not out.is_dir():
        raise UsageError(f"output {out} exists and is not a directory")
    for root in roots:
        root_real = Path(os.path.realpath(root))
        if root.is_dir() and out_real.is_relative_to(root_real):
            raise UsageError(f"output directory {out} is inside input {root}: a later run would read this "
                             "run's output as input; choose an --out outside the inputs")
        if root_real.is_relative_to(out_real):
            raise UsageError(f"input {root} is inside the output directory {out}, which a run replaces; "
                             "choose another --out")


def _check_not_foreign(work: WorkDir, overwrite: bool) -> None:
    """Never replace corpus/ or dropped/ folders that no prep run wrote, unless told to."""
    if overwrite or work.manifest.exists() or work.run_file.exists():
        return
    for table in TABLES:
        if work.published(table).exists():
            raise UsageError(f"{work.out} holds a {PUBLISHED[table]}/ folder that no prep run wrote (no manifest.json, "
                             "no unfinished run); pass --overwrite to replace it")


def _check_output(work: WorkDir, fingerprint: str, overwrite: bool) -> None:
    """A finished run is never replaced, nor an unfinished one of other inputs discarded, unasked."""
    if overwrite:
        return
    if work.manifest.exists():
        same = _read_json(work.manifest).get("run_fingerprint") == fingerprint
        # a finished run's work directory is left only by a crash while it was being removed
        shutil.rmtree(work.root, ignore_errors=True)
        which = "of the same inputs and config" if same else "of other inputs or config"
        raise UsageError(f"{work.out} already holds a finished run {which}; pass --overwrite to replace it")
    previous = _read_json(work.run_file).get("fingerprint")
    if previous is not None and previous != fingerprint:
        raise UsageError(f"{work.out} holds an unfinished run of other inputs or config; run that command "
                         "again to resume it, or pass --overwrite to discard it")


def _prepare(work: WorkDir, fingerprint: str, overwrite: bool) -> list[str]:
    """Clear what an overwrite replaces, decide resume, and record this run's fingerprint."""
    notes = []
    previous = _read_json(work.run_file).get("fingerprint")
    if overwrite:
        if work.manifest.exists():
            work.manifest.unlink()  # first: a crash from here on leaves nothing that looks complete
            notes.append(f"overwriting the finished run in {work.out}")
        work.report.unlink(missing_ok=True)  # the report of the run being replaced
        for table in TABLES:
            shutil.rmtree(work.published(table), ignore_errors=True)
    if previous == fingerprint and not overwrite:
        done = {phase: len(list((work.root / phase).glob("*.done.json"))) for phase in (EXTRACT, FINISH, WRITE)}
        notes.append(f"resuming the unfinished run in {work.out} (same inputs and config): reusing "
                     f"{sum(done.values())} finished shard tasks (extract {done[EXTRACT]}, "
                     f"clean {done[FINISH]}, write {done[WRITE]})")
    elif work.root.exists():
        shutil.rmtree(work.root)
        if previous is not None:
            notes.append(f"discarding the unfinished run in {work.out}")
    write_json_atomic(work.run_file, {"fingerprint": fingerprint, "prep": __version__})
    return notes


def _read_json(path: Path) -> dict:
    """A small JSON file of ours, or {} when it is missing or unreadable."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


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
