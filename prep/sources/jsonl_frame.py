"""A slice of well-formed JSON Lines read in one go by polars' JSON reader.

Parsing each line with Python's json module and building a row dict per record costs more
than cleaning the record; polars parses the whole slice at once. It is only the fast path:
when a slice has a line that is broken or over the size limit, a field of an unexpected type,
or anything polars cannot read as the JSON module would, `records_frame` returns None and the
caller reads the slice line by line, with a precise reason for every record that fails.
"""

from __future__ import annotations

import hashlib
import io
import json
import re

import polars as pl

from prep.config import InputConfig
from prep.schema import RECORD_SCHEMA
from prep.sources.discover import InputFile
from prep.sources.raw import Line
from prep.sources.records import doc_id
from prep.text.repair import DROPPED, SPACES, SUSPECT

_TEXT_TYPES = (pl.String, pl.Null)
_META_TYPES = (pl.String, pl.Null, pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32,
               pl.UInt64)  # what str() of a JSON value and polars' cast agree on


def _non_string_text(joined: bytes, fields: InputConfig) -> bool:
    """Whether a text or html field anywhere holds something other than a string or null.

    polars would quietly turn such a value into text ("42"), where the record must be dropped
    with its reason. (A field name spelt with JSON escapes, "t\\u0065xt", escapes this test;
    no writer of JSON Lines does that.)"""
    names = "|".join(re.escape(json.dumps(name)) for name in (fields.html_field, fields.text_field))
    return re.search(rf'(?:{names})\s*:\s*[^"\sn]'.encode(), joined) is not None


def records_frame(file: InputFile, start: int, lines: list[Line], fields: InputConfig) -> pl.DataFrame | None:
    """RECORD_SCHEMA rows for the slice's lines, or None when it needs the line-by-line path."""
    if not lines or any(line.data is None or line.problem is not None for line in lines):
        return None
    joined = b"\n".join(line.data for line in lines)
    if _non_string_text(joined, fields):
        return None
    try:
        parsed = pl.read_ndjson(io.BytesIO(joined), infer_schema_length=None)
    except Exception:  # noqa: BLE001 - whatever polars cannot parse, the JSON module will explain
        return None
    if parsed.height != len(lines):
        return None
    columns = {}
    for name, allowed in ((fields.html_field, _TEXT_TYPES), (fields.text_field, _TEXT_TYPES),
                          (fields.id_field, _META_TYPES), (fields.url_field, _META_TYPES),
                          (fields.title_field, _META_TYPES), (fields.date_field, _META_TYPES)):
        if not name:
            continue
        if name not in parsed.columns:
            columns[name] = pl.lit(None, dtype=pl.String)
        elif parsed.schema[name] not in allowed:
            return None
        else:
            columns[name] = pl.col(name).cast(pl.String)

    metas = [columns[name] for name in (fields.id_field, fields.url_field, fields.title_field, fields.date_field)
             if name]
    if metas and parsed.select(pl.any_horizontal(m.str.contains(SUSPECT).any() for m in metas)).item():
        return None  # mojibake for ftfy to undo, as `_as_text` does

    def meta(name: str | None) -> pl.Expr:
        if not name:
            return pl.lit(None, dtype=pl.String)
        # `one_line`, as `_as_text` reads a field
        value = columns[name].str.replace_all(DROPPED, "").str.replace_all(SPACES + "+", " ").str.strip_chars(" ")
        return pl.when(value != "").then(value)

    html, text = columns[fields.html_field], columns[fields.text_field]
    # a blank html field gives way to a text field with text, as in `from_mapping`; blank as
    # str.strip() has it, which also strips U+001C to U+001F
    def blank(value: pl.Expr) -> pl.Expr:
        return value.str.replace_all("[\x1c-\x1f]", "").str.strip_chars() == ""

    use_text = html.is_not_null() & blank(html) & text.is_not_null() & ~blank(text)
    shas = [hashlib.sha256(line.data).hexdigest() for line in lines]
    indexes = range(start, start + len(lines))
    return parsed.select(
        doc_id=pl.Series([doc_id(file.source_path, i, sha) for i, sha in zip(indexes, shas, strict=True)],
                         dtype=pl.String),
        source_path=pl.lit(file.source_path),
        source_index=pl.Series(indexes, dtype=pl.Int64),
        source_format=pl.lit(file.format),
        source_sha256=pl.Series(shas, dtype=pl.String),
        source_id=meta(fields.id_field),
        content=pl.when(use_text).then(text).otherwise(pl.coalesce(html, text)),
        kind=pl.when(html.is_not_null() & ~use_text).then(pl.lit("html")).otherwise(pl.lit("text")),
        url=meta(fields.url_field),
        title=meta(fields.title_field),
        published=meta(fields.date_field),
        captured=pl.lit(None, dtype=pl.String),
        drop_reason=pl.when(html.is_null() & text.is_null()).then(
            pl.lit(f"unreadable: no '{fields.html_field}' or '{fields.text_field}' field")),
    ).cast(dict(RECORD_SCHEMA))
