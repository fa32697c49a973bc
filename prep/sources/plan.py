"""Split the input into shards: the units of parallel work, of resume, and of output parts.

Records keep the global order of the input (roots as given, files sorted, records in file
order), whatever the shard size. Each file's reader cuts it into slices (prep/sources/base.py);
a shard takes slices until it holds `run.shard_records` records, or `run.shard_pages` HTML
pages, whichever comes first.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl

from prep.config import Config
from prep.files import atomic_path
from prep.sources.base import READERS, FileInfo, FileProblem, InputFile, ReadSettings, Slice, Unplannable
from prep.sources.compression import file_sha256


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


class PlanningFailed(RuntimeError):
    """Planning could not write its own files (a chunk file): the run fails, never the input file,
    whose records would otherwise be half in the plan and half lost."""


TAIL_MIN_PAGES = 6  # the smallest shard the tapering below makes


class ShardFiller:
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

    def state(self) -> tuple:
        """Where the filler stands, for `restore` to go back to."""
        return len(self.shards), list(self.open), self.order, self.filled, self.pages, self.page_limit

    def restore(self, state: tuple) -> None:
        """Forget every slice added since `state`: those of a file that turned out unreadable."""
        shards, self.open, self.order, self.filled, self.pages, self.page_limit = state
        del self.shards[shards:]

    def close(self) -> None:
        if self.open:
            self.shards.append(Shard(len(self.shards), self.order, tuple(self.open), self.pages))
            self.order += self.filled
        self.open, self.filled, self.pages, self.page_limit = [], 0, 0, self.page_capacity


def plan_shards(files: list[InputFile], problems: list[FileProblem], config: Config, chunk_dir: Path) -> Plan:
    """The shards of `files`, each file planned by its reader; a file no record of which can be
    read is a problem instead (`config`: its input, limits and run sections are used)."""
    settings = ReadSettings(config.input, config.limits)
    filler = ShardFiller(config.run.shard_records, config.run.shard_pages)
    plan = Plan(problems=list(problems))
    pages_left = sum(READERS[file.format].page_files for file in files)
    # a file's sha256 is computed in a thread while its records are counted (hashlib and file
    # reads release the GIL): planning a large file costs one read of it, not two in a row
    with ThreadPoolExecutor(1) as hasher:
        for file in files:
            reader = READERS[file.format]
            digest = hasher.submit(file_sha256, file.path) if reader.hashed_when_planned else None
            if reader.page_files:
                filler.pages_ahead(pages_left)
                pages_left -= 1
            before = filler.state()
            try:
                planned = reader.plan(file, filler, settings, chunk_dir)
            except PlanningFailed:
                raise
            except Exception as err:  # noqa: BLE001 - a corrupt file: its reader says what, the run goes on
                filler.restore(before)  # none of its records is read: none of its slices stays planned
                plan.problems.append(FileProblem(file.source_path, _describe(file, err)))
                continue
            sha = digest.result() if digest is not None else None
            plan.files.append(FileInfo(file.source_path, file.format, file.size, planned.records, sha, planned.warc))
    filler.close()
    plan.shards = filler.shards
    return plan


def _describe(file: InputFile, err: Exception) -> str:
    if isinstance(err, OSError):
        return f"cannot read: {err.strerror or err}"
    if isinstance(err, Unplannable):
        return str(err)
    return f"cannot read {file.format}: {err}"


def chunk_path(chunk_dir: Path, filler: ShardFiller) -> str:
    """Where the next slice's chunk file goes (a slice of a file that cannot be sought into)."""
    return str(chunk_dir / f"chunk-{len(filler.shards):05d}-{len(filler.open):05d}.parquet")


def write_chunk(frame: pl.DataFrame, path: str) -> None:
    """Keep a slice's records in a chunk file; PlanningFailed when it cannot be written (a full disk)."""
    try:
        with atomic_path(Path(path)) as tmp:
            frame.write_parquet(tmp, compression="lz4")
    except Exception as err:  # polars reports a full disk as its own error, not an OSError
        raise PlanningFailed(f"cannot write the plan's chunk file {path}: {err}") from None

