"""Writing files so that no reader ever sees half of one: the only place that renames into place.

Every file is written under a temporary name, flushed to disk and renamed, so a crash (even
SIGKILL or a power cut) leaves either the whole file or none of it under its name.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl

TEMP_MARK = ".tmp-"


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary name next to `path` for a writer to fill; then flush it to disk and
    rename it to `path`. If the writer fails, the temporary file is removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}{TEMP_MARK}{os.getpid()}")
    try:
        yield tmp
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_dir(path.parent)


def write_frame(frame: pl.DataFrame, path: Path) -> None:
    """A work file: Arrow IPC, uncompressed (written once and read back soon; fast both ways)."""
    with atomic_path(path) as tmp:
        frame.write_ipc(tmp, compression="uncompressed")


def write_atomic(path: Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_json_atomic(path: Path, obj: Any) -> None:
    write_atomic(path, (json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode())


def replace_dir(staged: Path, final: Path) -> None:
    """Move a finished folder into place. A reader sees the old folder or the new one, never a
    half-deleted one: the old one is renamed aside before it is removed."""
    aside = final.with_name(f".{final.name}.old")
    shutil.rmtree(aside, ignore_errors=True)
    if final.exists():
        os.replace(final, aside)
    os.replace(staged, final)
    sync_dir(final.parent)
    shutil.rmtree(aside, ignore_errors=True)


def sync_dir(folder: Path) -> None:
    """Make the renames inside `folder` durable (a rename is atomic, but only a synced folder
    keeps it across a power cut)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_user_file(path: Path, max_bytes: int) -> bytes:
    """A file the user named (a model, say): a regular file of at most `max_bytes`, opened without
    blocking (a FIFO would never end, /dev/zero never stop); ValueError says what is wrong."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not a regular file")
        if info.st_size > max_bytes:
            raise ValueError(f"larger than {max_bytes >> 20} MB")
        return stream.read(max_bytes + 1)
