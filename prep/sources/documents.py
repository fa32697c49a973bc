"""One-document files: .txt and .html/.htm, each optionally gzipped."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prep.config import Config
from prep.sources.decode import Unreadable, decode
from prep.sources.discover import InputFile
from prep.sources.raw import TooLarge, file_sha256, read_whole, sha256_hex
from prep.sources.records import record


def read_document(file: InputFile, config: Config) -> Iterator[dict[str, Any]]:
    """The file's one record; OSError (the file cannot be opened) is left to the caller."""
    html = file.format == "html"
    kind = "html" if html else "text"
    try:
        data = read_whole(file.path, file.gzipped, config.limits)
    except (TooLarge, Unreadable) as err:
        # a record whose content cannot be had is identified by the bytes stored on disk
        reason = str(err) if isinstance(err, TooLarge) else f"unreadable: {err}"
        yield record(file, 0, file_sha256(file.path), kind=kind, drop_reason=reason)
        return
    sha = sha256_hex(data)
    try:
        yield record(file, 0, sha, content=decode(data, html=html), kind=kind)
    except Unreadable as err:
        yield record(file, 0, sha, kind=kind, drop_reason=f"unreadable: {err}")
