"""Record rows as sources emit them, and the doc_id every record gets."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from prep.sources.base import InputFile
from prep.text.repair import one_line


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
