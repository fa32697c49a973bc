"""Turn the inputs given by the user into a sorted list of files to read."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from prep.sources.formats import SUPPORTED, format_of


class InputError(ValueError):
    """An input the user named cannot be used at all (bad usage: exit code 2)."""


@dataclass(frozen=True)
class InputFile:
    path: str          # where to read it
    source_path: str   # its name in provenance: input root's name / path inside the root
    format: str
    gzipped: bool
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class FileProblem:
    """A file or folder that was found but yields no records; listed in the manifest."""

    path: str
    reason: str


def discover(inputs: list[Path]) -> tuple[list[InputFile], list[FileProblem], list[str]]:
    """Files to read (inputs in the order given, each folder's files sorted), problems, ignored names.

    Folders are walked recursively, following symlinks but never the same folder twice.
    Files inside folders with an unsupported extension are ignored (and listed); a file named
    directly must be supported.
    """
    files: list[InputFile] = []
    problems: list[FileProblem] = []
    ignored: list[str] = []
    seen_real: set[str] = set()
    for given in inputs:
        if not given.exists():
            raise InputError(f"input not found: {given}")
        root_name = Path(os.path.abspath(given)).name or "/"
        if given.is_dir():
            for path, source_path in _walk(given, root_name, problems):
                fmt = format_of(path)
                if fmt is None:
                    ignored.append(source_path)
                    continue
                _add(files, seen_real, path, source_path, fmt, problems)
        else:
            fmt = format_of(given)
            if fmt is None:
                raise InputError(f"input {given}: unsupported format; supported: {SUPPORTED}")
            _add(files, seen_real, given, root_name, fmt, problems)
    by_name: dict[str, str] = {}
    for f in files:
        if f.source_path in by_name:
            raise InputError(f"inputs {by_name[f.source_path]} and {f.path} both map to source path "
                             f"{f.source_path}; give their common parent folder instead")
        by_name[f.source_path] = f.path
    return files, problems, ignored


def _add(files: list[InputFile], seen_real: set[str], path: Path, source_path: str,
         fmt: tuple[str, bool], problems: list[FileProblem]) -> None:
    real = os.path.realpath(path)
    if real in seen_real:  # the same file reached twice (given twice, or through a symlink)
        return
    seen_real.add(real)
    try:
        st = path.stat()
    except OSError as err:
        problems.append(FileProblem(source_path, f"cannot stat: {err.strerror or err}"))
        return
    files.append(InputFile(str(path), source_path, fmt[0], fmt[1], st.st_size, st.st_mtime_ns))


def _walk(root: Path, root_name: str, problems: list[FileProblem]):
    """Yield (path, root_name/relative path) for every file under root, sorted, loop-safe."""
    visited: set[str] = set()

    def walk_dir(folder: Path, rel: str):
        real = os.path.realpath(folder)
        if real in visited:
            problems.append(FileProblem(rel, "symlink loop: folder already visited"))
            return
        visited.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:
            problems.append(FileProblem(rel, f"cannot list folder: {err.strerror or err}"))
            return
        for entry in entries:
            entry_rel = f"{rel}/{entry.name}"
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
                is_file = entry.is_file(follow_symlinks=True)
            except OSError as err:  # e.g. a symlink pointing at itself
                problems.append(FileProblem(entry_rel, f"cannot resolve: {err.strerror or err}"))
                continue
            if is_dir:
                yield from walk_dir(Path(entry.path), entry_rel)
            elif is_file:
                yield Path(entry.path), entry_rel
            elif entry.is_symlink():
                problems.append(FileProblem(entry_rel, "broken symlink"))

    yield from walk_dir(root, root_name)
