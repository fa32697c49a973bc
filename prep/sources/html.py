"""HTML files (.html, .htm, .xhtml, optionally compressed): one page each, extracted later."""

from __future__ import annotations

from pathlib import Path

from prep.sources.base import InputFile, Planned, ReadSettings, Slice, SliceRecords, register
from prep.sources.documents import read_document
from prep.sources.plan import ShardFiller


class HtmlReader:
    format = "html"
    suffixes = (".html", ".htm", ".xhtml")
    page_files = True
    hashed_when_planned = False
    compressible = True

    def plan(self, file: InputFile, filler: ShardFiller, settings: ReadSettings, chunk_dir: Path) -> Planned:
        filler.add(Slice(file, 0, 1), pages=1)
        return Planned(1)

    def read(self, piece: Slice, settings: ReadSettings) -> SliceRecords:
        return read_document(piece.file, settings.limits, html=True)


register(HtmlReader())
