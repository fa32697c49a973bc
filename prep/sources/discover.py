"""Turn the inputs given by the user into a sorted list of files to read."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from prep.sources.base import FileProblem, InputFile, format_of, supported
from prep.sources.names import source_name


class InputError(ValueError):
    """An input the user named cannot be used at all (bad usage: exit code 2)."""


@dataclass
class Discovery:
    """Everything found under the inputs, each path in exactly one list."""

    files: list[InputFile] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)            # unsupported file types in folders
    aliases: list[dict[str, str]] = field(default_factory=list)  # {path, same_as}: a file or folder reached twice
    # where each folder, file and broken symlink found leads ({real path: source path}): the
    # output directory must be none of them, nor inside one, whatever links lead there
    reached: dict[str, str] = field(default_factory=dict)


def discover(inputs: list[Path]) -> Discovery:
    """Files to read (inputs in the order given, each folder's files sorted), and what was not read.

    Folders are walked recursively, following symlinks but never the same folder twice: a
    folder reached again (`latest -> 2024-11-21`, or a link back to an ancestor) is listed as an
    alias of the path it was first walked by, like a file reached twice.
    Files inside folders with an unsupported extension are ignored (and listed); a file named
    directly must be supported. A file reached twice (named twice, or through a symlink) is
    read once and the other path listed as its alias. Anything that is not a regular file
    (a FIFO, a device) is never opened: reading it could block or never end.
    """
    found = Discovery()
    seen_real: dict[str, str] = {}
    for given in inputs:
        if not given.exists():
            if given.is_symlink():
                raise InputError(f"input {given}: broken symlink or symlink loop")
            raise InputError(f"input not found: {given}")
        root_name = source_name(Path(os.path.abspath(given)).name or "/")
        if given.is_dir():
            for path, source_path in _walk(given, root_name, found):
                fmt = format_of(path)
                if fmt is None:
                    found.ignored.append(source_path)
                    continue
                _add(found, seen_real, path, source_path, fmt)
        else:
            fmt = format_of(given)
            if fmt is None:
                raise InputError(f"input {given}: unsupported format; supported: {supported()}")
            _add(found, seen_real, given, root_name, fmt)
    by_name: dict[str, str] = {}
    for f in found.files:
        if f.source_path in by_name:
            raise InputError(f"inputs {by_name[f.source_path]} and {f.path} both map to source path "
                             f"{f.source_path}; give their common parent folder instead")
        by_name[f.source_path] = f.path
    return found


def _add(found: Discovery, seen_real: dict[str, str], path: Path, source_path: str,
         fmt: tuple[str, str | None]) -> None:
    real = os.path.realpath(path)
    found.reached.setdefault(real, source_path)
    if real in seen_real:
        if seen_real[real] != source_path:
            found.aliases.append({"path": source_path, "same_as": seen_real[real]})
        return
    seen_real[real] = source_path
    try:
        st = path.stat()
    except OSError as err:
        found.problems.append(FileProblem(source_path, f"cannot stat: {err.strerror or err}"))
        return
    if not stat.S_ISREG(st.st_mode):
        found.problems.append(FileProblem(source_path, f"not a regular file ({_kind(st.st_mode)})"))
        return
    found.files.append(InputFile(str(path), source_path, fmt[0], fmt[1], st.st_size, st.st_mtime_ns))


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket")):
        if test(mode):
            return name
    return "special file"


def _walk(root: Path, root_name: str, found: Discovery) -> Iterator[tuple[Path, str]]:
    """Yield (path, root_name/relative path) for every non-folder entry under root, sorted, loop-safe."""
    visited: dict[str, str] = {}  # real path of each folder walked: its source path
    problems = found.problems

    def walk_dir(folder: Path, rel: str) -> Iterator[tuple[Path, str]]:
        real = os.path.realpath(folder)
        found.reached.setdefault(real, rel)
        if real in visited:  # a link to a folder walked already (a sibling, an ancestor): its files are read once
            found.aliases.append({"path": rel, "same_as": visited[real]})
            return
        visited[real] = rel
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:
            problems.append(FileProblem(rel, f"cannot list folder: {err.strerror or err}"))
            return
        for entry in entries:
            entry_rel = f"{rel}/{source_name(entry.name)}"
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
                exists = is_dir or os.path.exists(entry.path)
            except OSError as err:
                what = "symlink loop" if err.errno == errno.ELOOP else "cannot resolve"
                problems.append(FileProblem(entry_rel, f"{what}: {err.strerror or err}"))
                continue
            if is_dir:
                yield from walk_dir(Path(entry.path), entry_rel)
            elif exists:
                yield Path(entry.path), entry_rel
            elif entry.is_symlink():
                found.reached.setdefault(os.path.realpath(entry.path), entry_rel)
                problems.append(FileProblem(entry_rel, "broken symlink or symlink loop"))

    yield from walk_dir(root, root_name)
