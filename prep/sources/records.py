"""Record rows as sources emit them, and the doc_id every record gets."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

import polars as pl

from prep.schema import RECORD_SCHEMA
from prep.sources.base import InputFile
from prep.text.repair import DROPPED, SPACES, SUSPECT, one_line

META = ("source_id", "url", "title", "published")  # the metadata fields a record of a JSON object has
NO_META = (None,) * len(META)


def doc_id(source_path: str, source_index: int, source_sha256: str) -> str:
    """Stable id: the same record (path, position, bytes) always gets it, any other record never.

    128 bits of sha256, so ids from different runs and days can share one table safely.
    """
    key = f"{source_path}\x00{source_index}\x00{source_sha256}".encode()
    return hashlib.sha256(key).hexdigest()[:32]


def record(file: InputFile, index: int, sha256: str, *, content: str | None = None,
           kind: str = "text", drop_reason: str | None = None, source_id: Any = None,
           url: Any = None, title: Any = None, published: Any = None, captured: Any = None,
           source_offset: int | None = None) -> dict[str, Any]:
    """One row of RECORD_SCHEMA; metadata values that are not strings are stringified."""
    return {
        "doc_id": doc_id(file.source_path, index, sha256),
        "source_path": file.source_path,
        "source_index": index,
        "source_format": file.format,
        "source_sha256": sha256,
        "source_id": _as_text(source_id),
        "source_offset": source_offset,
        "content": valid_text(content),
        "kind": kind,
        "url": _as_text(url),
        "title": _as_text(title),
        "published": _as_text(published),
        "captured": _as_text(captured),
        "drop_reason": drop_reason,
    }


class RecordColumns:
    """A slice's records gathered field by field and framed at once: a dict per record, each
    field normalised on its own, cost more than parsing the record's JSON. The values are the
    ones `record` gives (a test compares the two)."""

    def __init__(self, file: InputFile):
        self.file = file
        self.index: list[int] = []
        self.sha256: list[str] = []
        self.content: list[str | None] = []
        self.kind: list[str] = []
        self.drop_reason: list[str | None] = []
        self.meta: tuple[list[Any], ...] = tuple([] for _ in META)

    def add(self, index: int, sha256: str, content: str | None = None, kind: str = "text",
            drop_reason: str | None = None, meta: Sequence[Any] = NO_META) -> None:
        self.index.append(index)
        self.sha256.append(sha256)
        self.content.append(content)
        self.kind.append(kind)
        self.drop_reason.append(drop_reason)
        for column, value in zip(self.meta, meta, strict=True):
            column.append(value)

    def __len__(self) -> int:
        return len(self.index)

    def frame(self) -> pl.DataFrame:
        """The records as RECORD_SCHEMA rows."""
        path, n = self.file.source_path, len(self.index)
        return pl.DataFrame({
            "doc_id": [doc_id(path, index, sha) for index, sha in zip(self.index, self.sha256, strict=True)],
            "source_path": [path] * n,
            "source_index": self.index,
            "source_format": [self.file.format] * n,
            "source_sha256": self.sha256,
            "source_id": fields_as_text(self.meta[0]),
            "source_offset": None,
            "content": _strings(self.content),
            "kind": self.kind,
            "url": fields_as_text(self.meta[1]),
            "title": fields_as_text(self.meta[2]),
            "published": fields_as_text(self.meta[3]),
            "captured": None,
            "drop_reason": self.drop_reason,
        }, schema=RECORD_SCHEMA)


def _strings(texts: list[str | None]) -> pl.Series:
    """`valid_text` of each text, as a column: polars encodes them as UTF-8 anyway, and refuses
    an unpaired surrogate; only then is each text checked alone."""
    try:
        return pl.Series(texts, dtype=pl.String)
    except UnicodeEncodeError:
        return pl.Series([valid_text(text) for text in texts], dtype=pl.String)


def fields_as_text(values: Sequence[Any]) -> pl.Series:
    """`_as_text` of each value, the common case (a string that shows no sign of mojibake)
    computed by polars: control characters dropped, runs of spaces and separators as one space,
    stripped, empty as null; the others by `_as_text` itself."""
    plain: list[str | None] = []
    special: dict[int, str | None] = {}
    for row, value in enumerate(values):
        if type(value) is str and (value.isascii() or encodable(value)):
            plain.append(value)
        else:
            plain.append(None)
            if value is not None:
                special[row] = _as_text(value)
    series = pl.Series(plain, dtype=pl.String)
    suspect = series.str.contains(SUSPECT).fill_null(False).arg_true()
    for row in suspect.to_list():
        special[row] = _as_text(plain[row])
    series = series.str.replace_all(DROPPED, "").str.replace_all(SPACES + "+", " ").str.strip_chars(" ")
    series = series.set(series == "", None)
    if special:
        rows = list(special)
        series = series.scatter(rows, pl.Series([special[row] for row in rows], dtype=pl.String))
    return series


def encodable(text: str) -> bool:
    """Whether the text is valid Unicode to write as UTF-8 (no surrogate a name or a JSON escape
    left unpaired)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _as_text(value: Any) -> str | None:
    """A metadata field (id, url, title, date) as text on one line, without control characters;
    a number or a boolean as JSON spells it (true, 1e+300), an object or a list none."""
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, (bool, int, float)):
        value = json.dumps(value)
    text = valid_text(one_line(str(value)))
    return text or None


_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_text(text: str | None) -> str | None:
    """Text that can be stored: JSON may hold unpaired UTF-16 surrogates (`"\\ud800"`), which no
    UTF-8 writer accepts; each becomes U+FFFD, as an invalid UTF-8 byte does when decoding."""
    if text is None or text.isascii():
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
