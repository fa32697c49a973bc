"""Where a run's outputs live in its output directory: the firm layout every reader relies on.

corpus/ and dropped/ hold the two tables; dedup/signatures/ sits one level down so that
`out/*/*.parquet` (how readers take corpus/ and dropped/ together) never picks it up. A
directory with manifest.json holds a complete run; the work of an unfinished one is under
WORK_DIR.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TABLES = ("corpus", "dropped", "signatures")
FOLDERS = {"corpus": "corpus", "dropped": "dropped", "signatures": "dedup/signatures"}
WORK_DIR = ".prep"
MANIFEST = "manifest.json"
REPORT = "report.html"


@dataclass(frozen=True)
class OutputLayout:
    out: Path

    def published(self, table: str) -> Path:
        """Where a table's parts are once the run is complete."""
        return self.out / FOLDERS[table]

    @property
    def manifest(self) -> Path:
        return self.out / MANIFEST

    @property
    def report(self) -> Path:
        """Where `prep report` writes by default: it describes one run, so a run replaces it."""
        return self.out / REPORT

    @property
    def work(self) -> Path:
        """The work directory of a run not finished yet."""
        return self.out / WORK_DIR
