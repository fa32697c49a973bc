"""Plain-text files (.txt, .text, optionally compressed): one document each."""

from __future__ import annotations

from pathlib import Path

from prep.sources.base import InputFile, Planned, ReadSettings, Slice, SliceRecords, register
from prep.sources.documents import read_document
from prep.sources.plan import ShardFiller


class TextReader:
    format = "txt"
    suffixes = (".txt", ".text")
    page_files = False
    hashed_when_planned = False
    compressible = True

    def plan(self, file: InputFile, filler: ShardFiller, settings: ReadSettings, chunk_dir: Path) -> Planned:
        filler.add(Slice(file, 0, 1))
        return Planned(1)

    def read(self, piece: Slice, settings: ReadSettings) -> SliceRecords:
        return read_document(piece.file, settings.limits, html=False)


register(TextReader())
