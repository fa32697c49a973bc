"""manifest.json: what a run read, what it wrote, what it removed and why, with what, and how it
measured up to its quality gates, and what ran: the command line, where, and when (UTC).

The config block holds the settings the run used, its inputs and output directory included as
they were given (on the command line, else by the config). Timestamps and paths live here and
never in the part files, whose footers carry only the settings that decide their bytes
(sinks/parquet.py): two runs of the same inputs and options write the same part files.
"""

from __future__ import annotations

import os
import platform
import shlex
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from prep import __version__
from prep.config import Config
from prep.filter.quality import FILTERS
from prep.review.gates import evaluate, measure_all
from prep.schema import PII_KINDS
from prep.sinks.parquet import settings_sha256
from prep.sources import Discovery, Plan
from prep.sources.names import source_name
from prep.sources.records import encodable

FILTER_DROPS = ("language", *FILTERS)
DEPENDENCIES = ("polars", "datasketch", "trafilatura", "numpy", "numba", "scipy", "pydantic", "typer",
                "lxml", "charset-normalizer", "warcio", "pyarrow", "zstandard", "pycld2")


def dependency_versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in DEPENDENCIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


@dataclass(frozen=True)
class Invocation:
    """The command that ran (its arguments, as given: a name that is no valid UTF-8 escaped as
source paths are) and when this invocation started."""

    command: list[str]
    started: datetime

    def to_dict(self) -> dict:
        return {"command_line": shlex.join(map(source_name, self.command)), "cwd": source_name(os.getcwd()),
                "started_at": _utc(self.started), "finished_at": _utc(datetime.now(UTC))}


def _printable(value: Any) -> Any:
    """The config as JSON writes it, a path that is no valid UTF-8 escaped as source paths are
    (the others as they are: a rule's pattern keeps its backslashes)."""
    if isinstance(value, dict):
        return {key: _printable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_printable(item) for item in value]
    return source_name(value) if isinstance(value, str) and not encodable(value) else value


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def build_manifest(*, config: Config, roots: list[Path], plan: Plan, found: Discovery, extracted: list[dict],
                   finished: list[dict], written: list[dict], outputs: dict[str, list[dict]],
                   timings: dict[str, float], fingerprint: str, against: list[dict],
                   invocation: Invocation) -> dict:
    hashed_when_read = {f["source_path"]: f for stats in extracted for f in stats["files"]}
    problems = [asdict(p) for p in plan.problems] + [p for stats in extracted for p in stats["problems"]]
    failed = {p["path"] for p in problems}
    files = [_file_entry(hashed_when_read.get(f.source_path, asdict(f)))
             for f in plan.files if f.source_path not in failed]
    records = sum(stats["records"] for stats in extracted)
    kept = sum(stats["kept"] for stats in written)
    reasons = sum((Counter(stats["drop_reasons"]) for stats in written), Counter())
    removed_lines = sum((Counter(stats["removed_lines"]) for stats in finished), Counter())
    removed_chars = sum(stats["removed_chars"] for stats in finished)
    kept_chars = sum(stats["kept_chars"] for stats in finished)
    filter_drops = sum((Counter(stats["filter_drops"]) for stats in finished), Counter())
    pii_replacements = sum((Counter(stats["pii_replacements"]) for stats in finished), Counter())
    counts = {
        "files_seen": len(files) + len(problems),
        "files_read": len(files),
        "file_errors": len(problems),
        "records_read": records,
        "kept": kept,
        "dropped": records - kept,
        "drop_reasons": dict(sorted(reasons.items())),
        "removed_lines_by_rule": dict(sorted(removed_lines.items())),
        "removed_chars": removed_chars,
        "kept_chars": kept_chars,
        "filter_drops": {name: filter_drops.get(name, 0) for name in FILTER_DROPS},
        "pii_replacements": {kind: pii_replacements.get(kind, 0) for kind in PII_KINDS},
        # dates given in a `published` field or a page's metadata that are no full date (a
        # year alone, "03/05/2024"): left null, or a WARC page's capture date
        "published_unreadable": sum(stats["unreadable_dates"] for stats in extracted),
    }
    return {
        "prep_version": __version__,
        "status": "complete",
        "run_fingerprint": fingerprint,
        "invocation": invocation.to_dict(),
        "config_sha256": settings_sha256(config),
        "config": _printable(config.model_dump(mode="json")),
        "inputs": {
            "roots": [source_name(str(r)) for r in roots],
            "files": files,
            "errors": problems,
            "ignored": found.ignored,
            "aliases": found.aliases,
        },
        "outputs": outputs,
        "against": against,
        "counts": counts,
        "measures": measure_all(counts),
        "gates": [result.to_dict() for result in evaluate(config.gates, counts)],
        "timings_seconds": timings,
        "html_extraction": html_extraction(extracted),
        "dependencies": dependency_versions(),
    }


def html_extraction(extracted: list[dict]) -> dict:
    """HTML pages handed to trafilatura and the seconds it spent on them, summed over the parser
    processes: set against the run's time, what prep itself costs on HTML input."""
    return {"pages": sum(stats["html_pages"] for stats in extracted),
            "trafilatura_seconds": round(sum(stats["trafilatura_seconds"] for stats in extracted), 3)}


def _file_entry(info: dict) -> dict:
    """An input file's manifest entry: only WARC files have a `warc` section (their record counts)."""
    return {key: value for key, value in info.items() if key != "warc" or value is not None}
