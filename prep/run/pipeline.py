"""A run from inputs to outputs: plan shards, map stages over them, reduce, write, resume.

    extract (map)  -> template lines (reduce) -> finish + dedup features (map)
                   -> duplicate groups (reduce) -> write parts (map) -> manifest

Each phase's results live in the work directory, so a run that is stopped resumes where it
was: a finished shard task or reduce is never computed twice; a run that finished already is
not done again (the same command again is a no-op).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from prep.clean import CorpusLines, corpus_lines
from prep.clean.sitetitles import empty_brands, site_brands
from prep.config import Config
from prep.dedup.earlier import EarlierError, EarlierOutput, open_earlier, stage_earlier
from prep.dedup.groups import group_documents
from prep.dedup.store import TABLE as SIGNATURES
from prep.dedup.store import write_empty_signatures
from prep.executors import EngineUnavailable, Executor, make_executor
from prep.executors.workers import EARLY_START_BYTES
from prep.files import write_atomic, write_frame, write_json_atomic
from prep.processes.crashpoints import crash_point
from prep.run import FORK_SERVER_PRELOAD, rundir
from prep.run.errors import RunFailed, UsageError
from prep.run.manifest import Invocation, build_manifest, html_extraction
from prep.run.partial import records_done
from prep.run.progress import Progress, Silent
from prep.run.tasks import EXTRACT, FINISH, WRITE, extract_task, finish_task, shard_features, write_task
from prep.run.validate import check_config
from prep.run.warmup import warm_up
from prep.run.workdir import WorkDir
from prep.schema import empty_output
from prep.sinks.parquet import footer_metadata, write_part
from prep.sources import Discovery, InputChanged, InputError, Plan, PlanningFailed, discover, plan_shards
from prep.sources.compression import file_sha256

Log = Callable[[str], None]
# runs of at least this many records (earlier outputs' documents included) let the workers go
# during the dedup reduce: by then each holds hundreds of MB (libraries, compiled kernels, what
# its allocator kept of its largest shard) that would add to the reduce's; smaller runs keep
# them, as starting them again would cost more time than the reduce itself takes
RELEASE_WORKERS_FROM = 250_000
PHASES = {EXTRACT: "extract", FINISH: "clean", WRITE: "write"}  # shard phases: work folder, name


@dataclass
class RunResult:
    manifest: dict
    out: Path
    notes: list[str] = field(default_factory=list)
    up_to_date: bool = False  # the output held this very run, finished: nothing was done


def run(config: Config, inputs: list[Path] | None, out: Path | None, *, overwrite: bool = False,
        log: Log = lambda message: None, progress: Progress | None = None,
        command: list[str] | None = None) -> RunResult:
    """Run, resume or (when the output holds it finished already) find up to date the run of
    `config` on `inputs` (else input.paths) into `out` (else output.dir). `command` is the
    command line the manifest records."""
    started = datetime.now(UTC)
    roots = list(inputs) if inputs else list(config.input.paths)
    out = Path(out) if out is not None else config.output.dir
    check_config(config)
    try:
        found = discover(roots)
    except InputError as err:
        if inputs:
            raise UsageError(str(err)) from None
        raise UsageError(f"{err} (no INPUT was given, so input.paths of the config was read): name the files or "
                         "folders to read, e.g. `prep run crawl/`, or set [input] paths in a --config file") from None
    rundir.check_paths(roots, out, found.reached)
    try:
        earlier = open_earlier(config.dedup.against, config.dedup, out, roots)
    except EarlierError as err:
        raise UsageError(str(err)) from None
    work = WorkDir(out)
    fingerprint = rundir.fingerprint(config, roots, found.files, earlier)
    if not overwrite and (finished := _finished_already(work, fingerprint)) is not None:
        return RunResult(finished, out, up_to_date=True)
    rundir.check_not_foreign(work, overwrite)
    try:
        # before writing anything: a Ray cluster may be out of reach
        executor = make_executor(config.run, warm_up, FORK_SERVER_PRELOAD)
    except EngineUnavailable as err:
        raise UsageError(str(err)) from None
    # what ran, as the manifest records it: the inputs and output directory used, however given
    effective = config.model_copy(update={"input": config.input.model_copy(update={"paths": roots}),
                                          "output": config.output.model_copy(update={"dir": out})})
    invocation = Invocation(command or [], started)
    try:
        out.mkdir(parents=True, exist_ok=True)
        with rundir.Locked(work):  # from here on, no other run can change the directory
            rundir.check_output(work, fingerprint, overwrite)
            notes = rundir.prepare(work, fingerprint, overwrite, PHASES)
            for note in notes:
                log(note)
            return _run_locked(effective, roots, found, earlier, work, fingerprint, notes, log, progress or Silent(),
                               executor, invocation)
    except BaseException:  # a failure, or Ctrl-C: the running tasks are not waited for
        executor.abort()
        raise
    finally:
        executor.close()


def _finished_already(work: WorkDir, fingerprint: str) -> dict | None:
    """The manifest of the output's finished run when it is this run (same inputs and config):
    running the same command again, as a scheduler retrying a job does, then does nothing. Read
    under the lock: a run replacing that output (--overwrite) is not taken for finished."""
    if not work.layout.manifest.exists():
        return None
    with rundir.Locked(work):
        manifest = rundir.read_json(work.layout.manifest)
        if manifest.get("status") != "complete" or manifest.get("run_fingerprint") != fingerprint:
            return None
        # a finished run's work directory is left only by a crash while it was being removed
        shutil.rmtree(work.root, ignore_errors=True)
        return manifest


def _run_locked(config: Config, roots: list[Path], found: Discovery, earlier: list[EarlierOutput], work: WorkDir,
                fingerprint: str, notes: list[str], log: Log, progress: Progress, executor: Executor,
                invocation: Invocation) -> RunResult:
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now
        progress.finish(name)

    def partial(phase: str) -> Callable[[], dict[int, int]]:
        return lambda: records_done(work.root / phase)

    if sum(f.size for f in found.files) > EARLY_START_BYTES:
        executor.start()  # workers start while the driver plans
    try:
        progress.start("plan")
        plan = _plan(config, found, work)
        shards = plan.shards
        log(f"planned {sum(s.records for s in shards)} records from {len(plan.files)} files in {len(shards)} shards")
        lap("plan")
        extracted = executor.map(extract_task, shards, config, work.out,
                                 on_done=progress.start("extract", shards, partial(EXTRACT)))
        lap("extract")
        if (html := html_extraction(extracted))["pages"]:
            log(f"extract: trafilatura took {html['trafilatura_seconds']:.1f} s over {html['pages']:,} HTML pages "
                "(summed over the parser processes)")
        progress.start("template_lines")
        if not work.spread_file.exists():
            keys = [work.shard_file(EXTRACT, s.index, "keys.arrow") for s in shards]
            corpus = corpus_lines(pl.scan_ipc(keys), config.clean) if keys else CorpusLines.empty()
            docs = [work.shard_file(EXTRACT, s.index, "docs.arrow") for s in shards]
            write_frame(site_brands(pl.scan_ipc(docs).select("site", "title")) if docs else empty_brands(),
                        work.brands_file)
            write_frame(corpus.template, work.template_file)
            write_frame(corpus.spread, work.spread_file)  # written last: marks the reduce done
            crash_point("template-written")
        lap("template_lines")
        finished = executor.map(finish_task, shards, config, work.out,
                                on_done=progress.start("clean", shards, partial(FINISH)))
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
        written = executor.map(write_task, shards, config, work.out,
                               on_done=progress.start("write", shards, partial(WRITE)))
        lap("write")
        executor.close(wait=False)  # every map is done: the workers exit while the outputs are published
    except InputChanged as err:
        raise RunFailed(str(err)) from None
    outputs = rundir.publish(work, written, lambda table, path: _write_empty(table, path, config))
    manifest = build_manifest(config=config, roots=roots, plan=plan, found=found, extracted=extracted,
                              finished=finished, written=written, outputs=outputs, timings=timings,
                              fingerprint=fingerprint, against=_against_entries(work, earlier),
                              invocation=invocation)
    write_json_atomic(work.layout.manifest, manifest)  # last: a manifest means the run is complete
    crash_point("manifest-written")
    shutil.rmtree(work.root, ignore_errors=True)
    return RunResult(manifest, work.out, notes)


def _plan(config: Config, found: Discovery, work: WorkDir) -> Plan:
    """The run's plan: the one written by the run being resumed, else made and written now. A
    plan that cannot be written whole (a full disk) fails the run and leaves no part of it."""
    if work.plan_file.exists():
        plan = Plan.from_dict(json.loads(work.plan_file.read_text()))
        _check_same_content(plan, work)
        return plan
    try:
        plan = plan_shards(found.files, found.problems, config, work.chunks)
        # ASCII JSON: a file name that is not UTF-8 (held as lone surrogates) is kept as \udcNN escapes
        write_atomic(work.plan_file, json.dumps(plan.to_dict()).encode())
    except (PlanningFailed, OSError) as err:
        shutil.rmtree(work.chunks, ignore_errors=True)
        raise RunFailed(f"planning failed: {err}; nothing of the plan is kept: make room and run the same "
                        "command again") from None
    crash_point("plan-written")
    return plan


def _check_same_content(plan: Plan, work: WorkDir) -> None:
    """Before resuming, compare the sha256 the run already has of its inputs with the files as
    they are now: an edit that kept a file's size and modification time would otherwise resume
    into output made of two versions of it. The plan holds the hash of multi-record files, a
    finished extract task that of its one-document files (hashed when read)."""
    known = {f.source_path: f.sha256 for f in plan.files if f.sha256}
    for shard in plan.shards:
        done = work.done_file(EXTRACT, shard.index)
        if done.exists():
            known.update({f["source_path"]: f["sha256"] for f in json.loads(done.read_text())["files"] if f["sha256"]})
    paths = {piece.file.source_path: piece.file.path for shard in plan.shards for piece in shard.slices}
    for source_path, sha256 in known.items():
        try:
            now = file_sha256(paths[source_path]) if source_path in paths else sha256
        except OSError as err:
            raise RunFailed(f"input {source_path} cannot be read again ({err.strerror or err}); run again with "
                            "--overwrite once the inputs are stable") from None
        if now != sha256:
            raise RunFailed(f"input {source_path} changed since the unfinished run planned it (its content, not "
                            "its size or modification time); run again with --overwrite to start afresh")


def _against_entries(work: WorkDir, earlier: list[EarlierOutput]) -> list[dict]:
    """The earlier outputs, each with how many new documents were dropped as copies of its own."""
    if not earlier:
        return []
    dropped = (pl.scan_ipc(work.decisions_file).filter(pl.col("against").is_not_null())
               .group_by("against", "dup_reason").len().sort("against", "dup_reason").collect())
    return [{**output.identity(), "dropped": {reason: n for k, reason, n in dropped.iter_rows() if k == index}}
            for index, output in enumerate(earlier)]


def _write_empty(table: str, path: Path, config: Config) -> dict:
    if table == SIGNATURES:
        return write_empty_signatures(path, config.dedup, config.output, footer_metadata(config))
    return write_part(empty_output(), path, table, config.output, footer_metadata(config))
