"""What every input format's reader does, and the registry that finds a file's reader.

A Reader owns one format: which file names are its (`suffixes`), how a file of it is cut into
slices of records for the shards (`plan`), and how a slice is read into record rows
(`read`, rows of RECORD_SCHEMA built by prep/sources/records.py, which alone makes doc_id).
Readers register themselves when their module is imported; prep/sources/__init__.py imports
them all. To add a format: a module with a Reader, `register(...)` at its end, and its import
in prep/sources/__init__.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import polars as pl

from prep.config import FieldNames, InputConfig, LimitsConfig

if TYPE_CHECKING:
    from prep.sources.plan import ShardFiller

# file name endings of compressed files, and their codec (prep/sources/compression.py reads them)
CODECS = {".gz": "gzip", ".zst": "zstd", ".zstd": "zstd", ".bz2": "bzip2", ".xz": "xz"}


@dataclass(frozen=True)
class InputFile:
    path: str          # where to read it
    source_path: str   # its name in provenance: input root's name / path inside the root
    format: str
    codec: str | None  # how the file is compressed (gzip, zstd, bzip2, xz), None when it is not
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class FileProblem:
    """A file or folder that was found but yields no records; listed in the manifest."""

    path: str
    reason: str


@dataclass
class FileInfo:
    """One input file as the manifest lists it; single-document files are hashed when read.

    `records` counts the file's records that reach corpus/ or dropped/. For a WARC file those
    are its documents; `warc` then counts all its WARC records: `records` (= documents +
    skipped), `documents`, and `skipped` by WARC type and, for responses and resources, by
    status or content type (e.g. `request`, `response: image/png`, `response: status 301`).
    """

    source_path: str
    format: str
    bytes: int
    records: int
    sha256: str | None = None
    warc: dict | None = None


@dataclass(frozen=True)
class Slice:
    """Records start..stop-1 of one file; where a shard starts reading it."""

    file: InputFile
    start: int
    stop: int
    offset: int = 0
    chunk: str | None = None


@dataclass(frozen=True)
class ReadSettings:
    """The config sections readers are handed: field names and size limits."""

    input: InputConfig
    limits: LimitsConfig

    def fields(self, file: InputFile) -> FieldNames:
        """The field names of a file's records ([input], or its [[input.fields]] entry)."""
        return self.input.names_for(file.source_path)


class Unplannable(ValueError):
    """A reader's word that no record of a file can be read; the message says why, as it is."""


@dataclass
class Planned:
    """What planning learnt of a file: its records, and for WARC files their counts by kind."""

    records: int
    warc: dict | None = None


@dataclass
class SliceRecords:
    """A slice's record rows, and what reading its file taught: a one-document file's info (it
    is hashed when read) or the problem that kept it from yielding any record."""

    rows: list[dict[str, Any]] | pl.DataFrame
    file: FileInfo | None = None
    problem: FileProblem | None = None


class Reader(Protocol):
    format: str                 # the name in source_format: txt, html, jsonl, json, parquet, warc
    suffixes: tuple[str, ...]   # file name endings, lowercase, before any .gz
    page_files: bool            # each file is one HTML page (planning spreads them over shards)
    hashed_when_planned: bool   # the file's sha256 is taken while planning (else when read)
    compressible: bool          # also read compressed (any of CODECS)

    def plan(self, file: InputFile, filler: ShardFiller, settings: ReadSettings, chunk_dir: Path) -> Planned:
        """Add the file's slices to the filler; raise OSError, or ValueError with a message, when
        no record of it can be read."""
        ...

    def read(self, piece: Slice, settings: ReadSettings) -> SliceRecords:
        """Every record of the slice: read, or a row with its drop_reason saying why not."""
        ...


READERS: dict[str, Reader] = {}
_BY_SUFFIX: dict[str, Reader] = {}


def register(reader: Reader) -> Reader:
    READERS[reader.format] = reader
    for suffix in reader.suffixes:
        _BY_SUFFIX[suffix] = reader
    return reader


def format_of(path: Path) -> tuple[str, str | None] | None:
    """(format, codec) for a supported file name, None otherwise."""
    name = path.name.lower()
    codec = CODECS.get(Path(name).suffix)
    if codec is not None:
        name = name[:-len(Path(name).suffix)]
    reader = _BY_SUFFIX.get(Path(name).suffix)
    if reader is None or (codec is not None and not reader.compressible):
        return None
    return reader.format, codec


def supported() -> str:
    """The supported file name endings, for messages."""
    return ", ".join(sorted(_BY_SUFFIX)) + f" (each but .parquet optionally {', '.join(CODECS)})"
