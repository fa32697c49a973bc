"""The output directory over a run's life: what may be replaced, the lock, the run's identity
(fingerprint), resuming an unfinished run, and publishing the finished tables.

A finished run is never replaced, nor an unfinished one of other inputs discarded, unless the
user asks (--overwrite); while a run holds the lock no other run can change the directory.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from pathlib import Path

import polars as pl

from prep import __version__
from prep.config import Config
from prep.dedup.earlier import EarlierOutput
from prep.files import replace_dir, write_json_atomic
from prep.processes.crashpoints import crash_point
from prep.run.errors import RunFailed, UsageError
from prep.run.workdir import WorkDir
from prep.sinks.layout import FOLDERS, TABLES

EMPTY_PART = "part-00000.parquet"


def fingerprint(config: Config, roots: list[Path], files, earlier: list[EarlierOutput]) -> str:
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


def check_paths(roots: list[Path], out: Path, reached: dict[str, str]) -> None:
    """The output directory and the inputs must not overlap: a run would read its own output, or
    replace its own input. `reached`: the real path of every folder, file and broken symlink
    found under the inputs, with its source path; none may lead into the output directory, nor
    hold it, by whatever symlinks."""
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
    for real, source_path in reached.items():
        if Path(real).is_relative_to(out_real) or (out_real.is_relative_to(real) and os.path.isdir(real)):
            raise UsageError(f"input {source_path} reaches the output directory {out} (through a symlink): a run "
                             "would read its own output; choose an --out outside the inputs, or remove the link")


def check_not_foreign(work: WorkDir, overwrite: bool) -> None:
    """Never replace a manifest.json that no prep run wrote (whatever the flags: prep overwrites
    only its own output), nor corpus/ or dropped/ folders that no prep run wrote, unless told to."""
    if work.layout.manifest.exists():
        if not is_prep_manifest(work.layout.manifest):
            raise UsageError(f"{work.out} holds a manifest.json that no prep run wrote; prep replaces only its own "
                             "output, --overwrite or not: choose another --out")
        return
    if overwrite or work.run_file.exists():
        return
    for table in TABLES:
        if work.layout.published(table).exists():
            raise UsageError(f"{work.out} holds a {FOLDERS[table]}/ folder that no prep run wrote (no manifest.json, "
                             "no unfinished run); pass --overwrite to replace it")


def check_output(work: WorkDir, fingerprint: str, overwrite: bool) -> None:
    """A finished run is never replaced, nor an unfinished one of other inputs discarded, unasked."""
    if overwrite:
        return
    if work.layout.manifest.exists():
        same = read_json(work.layout.manifest).get("run_fingerprint") == fingerprint
        # a finished run's work directory is left only by a crash while it was being removed
        shutil.rmtree(work.root, ignore_errors=True)
        which = "of the same inputs and config" if same else "of other inputs or config"
        raise UsageError(f"{work.out} already holds a finished run {which}; pass --overwrite to replace it")
    previous = read_json(work.run_file).get("fingerprint")
    if previous is not None and previous != fingerprint:
        raise UsageError(f"{work.out} holds an unfinished run of other inputs or config; run that command "
                         "again to resume it, or pass --overwrite to discard it")


def prepare(work: WorkDir, fingerprint: str, overwrite: bool, phases: dict[str, str]) -> list[str]:
    """Clear what an overwrite replaces, decide resume, and record this run's fingerprint; the
    notes say what was done. `phases` names the shard phases' folders (folder: name)."""
    notes = []
    previous = read_json(work.run_file).get("fingerprint")
    if overwrite:
        if work.layout.manifest.exists():
            work.layout.manifest.unlink()  # first: a crash from here on leaves nothing that looks complete
            notes.append(f"overwriting the finished run in {work.out}")
        work.layout.report.unlink(missing_ok=True)  # the report of the run being replaced
        for table in TABLES:
            shutil.rmtree(work.layout.published(table), ignore_errors=True)
    if previous == fingerprint and not overwrite:
        done = {name: len(list((work.root / folder).glob("*.done.json"))) for folder, name in phases.items()}
        notes.append(f"resuming the unfinished run in {work.out} (same inputs and config): reusing "
                     f"{sum(done.values())} finished shard tasks ("
                     + ", ".join(f"{name} {count}" for name, count in done.items()) + ")")
    elif work.root.exists():
        shutil.rmtree(work.root)
        if previous is not None:
            notes.append(f"discarding the unfinished run in {work.out}")
    write_json_atomic(work.run_file, {"fingerprint": fingerprint, "prep": __version__})
    return notes


def is_prep_manifest(path: Path) -> bool:
    """Whether a manifest.json is a prep run's: it names the prep version, the run and its outputs."""
    return {"prep_version", "run_fingerprint", "outputs"} <= read_json(path).keys()


def read_json(path: Path) -> dict:
    """A small JSON file of ours, or {} when it is missing or unreadable."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class Locked:
    """An exclusive lock on the output directory for the whole run (released if the process dies).

    The lock file is removed when the lock is released, so a finished output holds none. That
    is safe because it is removed while still locked, and a run that locks the file checks that
    it is still the one at that name: a run that opened it before the removal and locked it
    after finds it gone (or another file there) and starts again on the file now at the name,
    which is the one every later run opens too. Two runs can thus never both hold "the" lock.
    """

    def __init__(self, work: WorkDir):
        self.work = work
        self.handle = None

    def __enter__(self) -> Locked:
        path = self.work.lock_file
        while True:
            self.handle = open(path, "a")  # noqa: SIM115 - held for the run
            try:
                fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self.handle.close()
                raise RunFailed(f"another prep run is writing to {self.work.out} (lock {path} "
                                "is held); wait for it to finish") from None
            try:
                current = os.stat(path).st_ino
            except FileNotFoundError:
                current = None
            if current == os.fstat(self.handle.fileno()).st_ino:
                return self
            self.handle.close()  # removed by the run that held it: lock the file at the name now

    def __exit__(self, *exc) -> None:
        self.work.lock_file.unlink(missing_ok=True)  # while still locked: see the class's docstring
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def publish(work: WorkDir, written: list[dict], write_empty) -> dict[str, list[dict]]:
    """Move the staged tables into place, each with one rename; a table with no rows still gets
    one empty part (`write_empty(table, path)` writes it). Safe to repeat after a crash half-way:
    a table already moved stays."""
    outputs = {}
    for table in TABLES:
        entries = {e["file"]: e for stats in written for t, e in stats["parts"].items() if t == table}
        staged, final = work.staged(table), work.layout.published(table)
        if staged.exists() or not final.exists():
            staged.mkdir(parents=True, exist_ok=True)
            for path in staged.iterdir():  # what writers stopped by a crash left behind
                if path.name not in entries:
                    path.unlink()
            if not entries:
                entries = {EMPTY_PART: write_empty(table, staged / EMPTY_PART)}
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


def _describe_part(path: Path) -> dict:
    with open(path, "rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    rows = pl.scan_parquet(path).select(pl.len()).collect().item()
    return {"file": path.name, "rows": rows, "bytes": path.stat().st_size, "sha256": digest}
