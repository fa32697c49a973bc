"""Files that hold one document each (text.py, html.py): the file is the record."""

from __future__ import annotations

from prep.config import LimitsConfig
from prep.sources.base import FileInfo, FileProblem, InputFile, SliceRecords
from prep.sources.compression import TooLarge, file_sha256, read_whole, sha256_hex
from prep.sources.decode import Unreadable, decode
from prep.sources.records import record


def read_document(file: InputFile, limits: LimitsConfig, html: bool) -> SliceRecords:
    """The file's one record, and the file hashed; a file that cannot be opened is a problem."""
    try:
        rows = [_record(file, limits, html)]
        info = FileInfo(file.source_path, file.format, file.size, 1, file_sha256(file.path))
    except OSError as err:
        return SliceRecords([], problem=FileProblem(file.source_path, f"cannot read: {err.strerror or err}"))
    return SliceRecords(rows, file=info)


def _record(file: InputFile, limits: LimitsConfig, html: bool) -> dict:
    kind = "html" if html else "text"
    try:
        data = read_whole(file.path, file.codec, limits)
    except (TooLarge, Unreadable) as err:
        # a record whose content cannot be had is identified by the bytes stored on disk
        reason = str(err) if isinstance(err, TooLarge) else f"unreadable: {err}"
        return record(file, 0, file_sha256(file.path), kind=kind, drop_reason=reason)
    sha = sha256_hex(data)
    try:
        return record(file, 0, sha, content=decode(data, html=html), kind=kind)
    except Unreadable as err:
        return record(file, 0, sha, kind=kind, drop_reason=f"unreadable: {err}")
