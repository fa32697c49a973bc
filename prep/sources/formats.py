"""Which input format a file is, judged by its name."""

from __future__ import annotations

from pathlib import Path

SUFFIX_FORMATS = {
    ".txt": "txt", ".text": "txt",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".warc": "warc", ".arc": "warc",
}
SUPPORTED = ", ".join(sorted(SUFFIX_FORMATS)) + " (each optionally .gz)"


def format_of(path: Path) -> tuple[str, bool] | None:
    """(format, gzipped) for a supported file name, None otherwise."""
    name = path.name.lower()
    gzipped = name.endswith(".gz")
    if gzipped:
        name = name[:-3]
    fmt = SUFFIX_FORMATS.get(Path(name).suffix)
    if fmt is None or (gzipped and fmt == "parquet"):
        return None
    return fmt, gzipped
