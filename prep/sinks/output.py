"""A finished run's output directory, opened for reading: by `inspect`, `explain`, `report`,
`check`, and by a later run deduplicating `--against` it.

Only a directory with a manifest holds a complete run (see layout.py), so that is what is
required; the tables are read through the part files the manifest lists, never a glob, so a
stray file in corpus/ cannot change what is reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from prep.schema import OUTPUT_SCHEMA
from prep.sinks.layout import OutputLayout


class OutputError(Exception):
    """Not a finished run's output: the message says what was found instead (exit code 2)."""


@dataclass(frozen=True)
class RunOutput:
    path: Path
    manifest: dict

    @classmethod
    def open(cls, path: Path) -> RunOutput:
        layout = OutputLayout(Path(path))
        if not layout.out.is_dir():
            raise OutputError(f"{path} is not a directory")
        if not layout.manifest.is_file():
            if layout.work.exists():
                raise OutputError(f"{path} holds an unfinished run (no manifest.json yet); run the same "
                                  "`prep run` command again to finish it")
            raise OutputError(f"{path} holds no prep run: no manifest.json")
        try:
            manifest = json.loads(layout.manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise OutputError(f"cannot read {layout.manifest}: {err}") from None
        if not isinstance(manifest, dict) or manifest.get("status") != "complete" or "outputs" not in manifest:
            raise OutputError(f"{layout.manifest} is not the manifest of a complete prep run")
        output = cls(layout.out, manifest)
        missing = [str(f) for f in output.part_files("corpus") + output.part_files("dropped") if not f.is_file()]
        if missing:
            raise OutputError(f"{path}: the manifest lists part files that are missing: {', '.join(missing[:3])}")
        return output

    def part_files(self, table: str) -> list[Path]:
        return [self.path / part["file"] for part in self.manifest["outputs"].get(table, [])]

    def table(self, table: str) -> pl.LazyFrame:
        """corpus or dropped, with a `part` column naming the file each row is in."""
        files = self.part_files(table)
        schema = OUTPUT_SCHEMA
        if not files:
            return pl.LazyFrame(schema={**schema, "part": pl.String})
        return pl.scan_parquet(files, include_file_paths="part").with_columns(
            pl.col("part").str.strip_prefix(f"{self.path}/"))

    def documents(self) -> pl.LazyFrame:
        """Every record of the run: corpus rows (drop_reason null) and dropped rows."""
        return pl.concat([self.table("corpus"), self.table("dropped")], how="diagonal_relaxed")

    @property
    def config(self) -> dict:
        return self.manifest.get("config", {})
