"""Split the input into shards: the units of parallel work, of resume, and of output parts.

Records keep the global order of the input (roots as given, files sorted, records in file
order), whatever the shard size. Gzipped line files are cut into chunk files here, once, so
that each shard can start reading at its own first record. WARC files are cut by WARC record
(documents and skipped records alike, so that record numbers are positions in the file); a
shard starts at its first record's byte offset, or at the gzip member that record begins, and
only a slice of a file gzipped as one stream needs a chunk file.
"""

from __future__ import annotations

import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from prep.config import Config
from prep.sources.discover import FileProblem, InputFile
from prep.sources.jsonl import scan_lines, write_chunk
from prep.sources.linestarts import record_starts
from prep.sources.parquet import MissingColumn, count_rows, wanted_columns
from prep.sources.raw import Line, file_sha256
from prep.sources.warc import Entry, NotWarc, iter_entries
from prep.sources.warc_slices import write_chunk as write_warc_chunk

MULTI_RECORD = {"jsonl", "parquet", "warc"}


@dataclass(frozen=True)
class Slice:
    """Records start..stop-1 of one file; where a shard starts reading it."""

    file: InputFile
    start: int
    stop: int
    offset: int = 0
    chunk: str | None = None


@dataclass(frozen=True)
class Shard:
    index: int
    first_order: int
    slices: tuple[Slice, ...]
    pages: int = 0  # of its records, those planned as HTML pages

    @property
    def records(self) -> int:
        return sum(s.stop - s.start for s in self.slices)

    def parts(self, size: int, first_size: int | None = None) -> list[Shard]:
        """The shard cut between its slices into consecutive parts to read one after the other:
        each part takes slices until it holds at least `size` records (the first part: at least
        `first_size`, by default `size`; the last may hold fewer). Parts are for reading only:
        they carry no page count."""
        parts: list[Shard] = []
        taken: list[Slice] = []
        first = self.first_order
        wanted = size if first_size is None else first_size
        for piece in self.slices:
            taken.append(piece)
            if sum(s.stop - s.start for s in taken) >= wanted:
                parts.append(Shard(self.index, first, tuple(taken)))
                first += parts[-1].records
                taken, wanted = [], size
        if taken:
            parts.append(Shard(self.index, first, tuple(taken)))
        return parts


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


@dataclass
class Plan:
    shards: list[Shard] = field(default_factory=list)
    files: list[FileInfo] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Plan:
        shards = [Shard(s["index"], s["first_order"],
                        tuple(Slice(**{**sl, "file": InputFile(**sl["file"])}) for sl in s["slices"]), s["pages"])
                  for s in data["shards"]]
        return cls(shards, [FileInfo(**f) for f in data["files"]],
                   [FileProblem(**p) for p in data["problems"]])


TAIL_MIN_PAGES = 6  # the smallest shard the tapering below makes


class _ShardFiller:
    """Closes a shard at `records` records or at `pages` HTML pages, whichever comes first: a
    page costs hundreds of times a text record to extract, so a shard of pages holds fewer,
    and the pages of a folder are spread over the workers instead of filling one shard.

    Where the pages still to come are known (HTML files: one page each), the last shards
    taper: a shard opened with P pages left takes at most half of them (and no fewer than
    TAIL_MIN_PAGES). A page's cost is not predictable from its size, so the workers' last
    shards would otherwise end seconds apart, one worker idle while the other finishes; the
    sizes depend on the input only, never on the number of workers.
    """

    def __init__(self, records: int, pages: int):
        self.capacity = records
        self.page_capacity = pages
        self.page_limit = pages
        self.shards: list[Shard] = []
        self.open: list[Slice] = []
        self.order = 0
        self.filled = 0
        self.pages = 0

    def pages_ahead(self, count: int) -> None:
        """`count` pages are left to add, this one included: sets the page limit of a shard
        that has none yet."""
        if not self.pages:
            self.page_limit = min(self.page_capacity, max(TAIL_MIN_PAGES, -(-count // 2)))

    def room(self, pages: bool = False) -> int:
        """Records the open shard can still take; pages: when every record is a page."""
        records = self.capacity - self.filled
        return min(records, self.page_room()) if pages else records

    def page_room(self) -> int:
        return self.page_limit - self.pages

    def add(self, piece: Slice, pages: int = 0) -> None:
        self.open.append(piece)
        self.filled += piece.stop - piece.start
        self.pages += pages
        if self.filled >= self.capacity or self.pages >= self.page_limit:
            self.close()

    def close(self) -> None:
        if self.open:
            self.shards.append(Shard(len(self.shards), self.order, tuple(self.open), self.pages))
            self.order += self.filled
        self.open, self.filled, self.pages, self.page_limit = [], 0, 0, self.page_capacity


def plan_shards(files: list[InputFile], problems: list[FileProblem], config: Config,
                chunk_dir: Path) -> Plan:
    filler = _ShardFiller(config.run.shard_records, config.run.shard_pages)
    plan = Plan(problems=list(problems))
    # a file's sha256 is computed in a thread while its records are counted (hashlib and file
    # reads release the GIL): planning a large file costs one read of it, not two in a row
    html_left = sum(file.format == "html" for file in files)
    with ThreadPoolExecutor(1) as hasher:
        for file in files:
            digest = hasher.submit(file_sha256, file.path) if file.format in MULTI_RECORD else None
            warc = None
            try:
                if file.format == "jsonl":
                    records = _plan_lines(file, filler, config, chunk_dir)
                elif file.format == "parquet":
                    records = _plan_rows(file, filler, config)
                elif file.format == "warc":
                    warc = _plan_warc(file, filler, config, chunk_dir)
                    records = warc["documents"]
                elif file.format == "html":
                    filler.pages_ahead(html_left)
                    html_left -= 1
                    filler.add(Slice(file, 0, 1), pages=1)
                    records = 1
                else:
                    filler.add(Slice(file, 0, 1))
                    records = 1
            except (OSError, MissingColumn, NotWarc) as err:
                plan.problems.append(FileProblem(file.source_path, _describe(err)))
                continue
            except Exception as err:  # a corrupt Parquet footer and the like: the file is unusable
                plan.problems.append(FileProblem(file.source_path, f"cannot read {file.format}: {err}"))
                continue
            sha = digest.result() if digest is not None else None
            plan.files.append(FileInfo(file.source_path, file.format, file.size, records, sha, warc))
    filler.close()
    plan.shards = filler.shards
    return plan


def _plan_rows(file: InputFile, filler: _ShardFiller, config: Config) -> int:
    pages = config.input.html_field in wanted_columns(file, config.input)
    total = count_rows(file)
    start = 0
    while start < total:
        stop = min(total, start + filler.room(pages))
        filler.add(Slice(file, start, stop), pages=(stop - start) * pages)
        start = stop
    return total


def _first_record_is_page(file: InputFile, config: Config) -> bool:
    """Whether a line file holds HTML pages, judged by its first record (shard sizes only
    depend on it: a wrong guess costs speed, never a record)."""
    first = next(scan_lines(file, config), None)
    try:
        record = json.loads(first.data) if first is not None and first.data is not None else None
    except ValueError:
        return False
    return isinstance(record, dict) and record.get(config.input.html_field) is not None


def _plan_lines(file: InputFile, filler: _ShardFiller, config: Config, chunk_dir: Path) -> int:
    pages = _first_record_is_page(file, config)
    if not file.gzipped:
        return _plan_plain_lines(file, filler, config, pages)
    pending: list[Line] = []
    start = index = 0
    offset = None

    def emit(stop: int) -> None:  # a gzipped file's slice is read from a chunk file of its lines
        chunk_dir.mkdir(parents=True, exist_ok=True)
        chunk = str(chunk_dir / f"chunk-{len(filler.shards):05d}-{len(filler.open):05d}.parquet")
        write_chunk(pending, chunk)
        filler.add(Slice(file, start, stop, offset or 0, chunk), pages=(stop - start) * pages)

    for index, line in enumerate(scan_lines(file, config), 1):
        if offset is None:
            offset = line.offset
        pending.append(line)
        if index - start == filler.room(pages):
            emit(index)
            pending, start, offset = [], index, None
    if index > start:
        emit(index)
    return index


def _plan_plain_lines(file: InputFile, filler: _ShardFiller, config: Config, pages: bool) -> int:
    """An uncompressed line file: each slice starts at its first record's byte offset."""
    start = total = 0
    offset = None
    for starts in record_starts(file.path, config.limits.max_record_bytes):
        taken = 0
        while taken < len(starts):
            if offset is None:
                offset = int(starts[taken])
            count = min(filler.room(pages) - (total - start), len(starts) - taken)
            taken += count
            total += count
            if total - start == filler.room(pages):
                filler.add(Slice(file, start, total, offset), pages=(total - start) * pages)
                start, offset = total, None
    if total > start:
        filler.add(Slice(file, start, total, offset), pages=(total - start) * pages)
    return total


def _plan_warc(file: InputFile, filler: _ShardFiller, config: Config, chunk_dir: Path) -> dict:
    """Cut a WARC file into slices of records, and count its documents and skipped records."""
    skipped: Counter[str] = Counter()
    documents = start = index = slice_documents = 0
    offset: int | None = None
    pending: list[Entry] = []  # the documents of a slice that cannot be sought to

    def emit(stop: int) -> None:
        chunk = None
        if offset is None:
            chunk_dir.mkdir(parents=True, exist_ok=True)
            chunk = str(chunk_dir / f"chunk-{len(filler.shards):05d}-{len(filler.open):05d}.parquet")
            write_warc_chunk(pending, chunk)
        filler.add(Slice(file, start, stop, offset or 0, chunk), pages=slice_documents)

    for entry in iter_entries(file, config):
        if entry.index == start:
            offset = entry.offset
        if entry.skipped is not None:
            skipped[entry.skipped] += 1
        else:
            documents += 1
            slice_documents += 1
            if offset is None:
                pending.append(entry)
        index = entry.index + 1
        if index - start == filler.room() or slice_documents == filler.page_room():  # documents are pages
            emit(index)
            pending, start, slice_documents = [], index, 0
    if index > start:
        emit(index)
    return {"records": index, "documents": documents, "skipped": dict(sorted(skipped.items()))}


def _describe(err: Exception) -> str:
    if isinstance(err, OSError):
        return f"cannot read: {err.strerror or err}"
    return str(err)
