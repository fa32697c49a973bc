"""The one place where columns are defined: output tables and the work frames between stages.

Output columns are the firm contract of the corpus/ and dropped/ tables; each has a one-line
doc that is also written into the Parquet footer so a reader of the file can learn what a
column means without this code.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

REMOVED_LINE = pl.Struct({"line": pl.String, "rule": pl.String})
# the closed set of drop_reason values; inside a run, a drop_reason is "<reason>" or
# "<reason>: <detail>", split into drop_reason and drop_detail as the tables are written
DROP_REASONS = ("exact_duplicate", "near_duplicate", "empty", "too_short", "unreadable", "too_large",
                "extract_timeout", "extract_failed", "language", "quality")


@dataclass(frozen=True)
class Column:
    name: str
    dtype: pl.DataType
    nullable: bool
    doc: str


OUTPUT_COLUMNS: tuple[Column, ...] = (
    Column("doc_id", pl.String(), False,
           "stable id of the input record: hash of source_path, source_index and source_sha256"),
    Column("text", pl.String(), False, "the cleaned text"),
    Column("title", pl.String(), True,
           "the document's own headline (HTML metadata, or a headline-shaped first line of a text file)"),
    Column("url", pl.String(), True, "source URL when known"),
    Column("published", pl.String(), True,
           "publication date when known (ISO 8601); for a WARC page without a date of its own, the capture date"),
    Column("source_path", pl.String(), False,
           "input file: the input root's name, then the path relative to that root"),
    Column("source_index", pl.Int64(), False,
           "record number inside that file (0 for one-document files; in a WARC file, among records of every type)"),
    Column("source_format", pl.String(), False, "txt, html, jsonl, json, parquet, warc"),
    Column("source_sha256", pl.String(), False,
           "sha256 of the raw record bytes (of a WARC page: its HTTP payload as stored)"),
    Column("source_id", pl.String(), True,
           "the record's own id from the input (id field; a WARC record's WARC-Record-ID), when it has one"),
    Column("source_offset", pl.Int64(), True,
           "byte offset of a WARC record in the file as stored (its own, or its gzip member's); null otherwise"),
    Column("extractor", pl.String(), False, "what turned the record into text, e.g. 'trafilatura 2.3.1' or 'text'"),
    Column("removed", pl.List(REMOVED_LINE), False,
           "every line removed by cleaning, with the name of the rule that removed it"),
    Column("cluster_id", pl.String(), False,
           "doc_id of the document kept for this duplicate group (own doc_id when unique)"),
    Column("cluster_size", pl.Int64(), False, "members in the duplicate group (1 when unique)"),
    Column("similarity", pl.Float64(), True,
           "estimated Jaccard similarity to the kept document (null for the kept one)"),
    Column("drop_reason", pl.String(), True,
           "null in corpus/; in dropped/ why the record is not in corpus/, one of: " + ", ".join(DROP_REASONS)),
    Column("drop_detail", pl.String(), True,
           "null in corpus/; in dropped/ the specifics, when there are any: the parser's message, the limit, "
           "the filter and its measured value"),
)

# dedup/signatures/: the kept documents' dedup features (prep/dedup/store.py), what a later run
# `--against` this output reads instead of recomputing them.
SIGNATURE_DOCS: dict[str, str] = {
    "doc_id": "doc_id of the kept document, as in corpus/",
    "exact_key": "128-bit hash (32 hex digits) of the document's token sequence: copies that differ only in case, "
                 "punctuation or spacing share it",
    "text_len": "characters of the cleaned text",
    "published": "publication date when known (ISO 8601), as in corpus/",
    "shingles": "distinct shingles of the cleaned text: the size of the set the signature summarises",
    "signature": "MinHash signature, num_perm uint32 values: datasketch.MinHash(num_perm, seed, scheme=scheme, "
                 "hashvalues=signature) with the parameters of the footer key prep.signature",
}


def signature_schema(num_perm: int) -> pl.Schema:
    return pl.Schema({"doc_id": pl.String(), "exact_key": pl.String(), "text_len": pl.Int64(),
                      "published": pl.String(), "shingles": pl.Int64(),
                      "signature": pl.Array(pl.UInt32(), num_perm)})


# corpus/ and dropped/ share one schema, so that readers loading both as splits of one dataset
# (HF datasets) can
OUTPUT_SCHEMA = pl.Schema({c.name: c.dtype for c in OUTPUT_COLUMNS})
COLUMN_DOCS: dict[str, str] = {c.name: c.doc for c in OUTPUT_COLUMNS}

# Records as the sources hand them to extraction: provenance plus the raw content.
# `content` is text or HTML as decoded from the input; `kind` says which; `captured` is when a
# crawler fetched the page (WARC-Date), the date of a page that names none; `drop_reason` is set
# when the record could not be read at all (it then flows to dropped/ untouched).
RECORD_SCHEMA = pl.Schema({
    "doc_id": pl.String(),
    "source_path": pl.String(),
    "source_index": pl.Int64(),
    "source_format": pl.String(),
    "source_sha256": pl.String(),
    "source_id": pl.String(),
    "source_offset": pl.Int64(),
    "content": pl.String(),
    "kind": pl.String(),
    "url": pl.String(),
    "title": pl.String(),
    "published": pl.String(),
    "captured": pl.String(),
    "drop_reason": pl.String(),
})

# Documents after extraction: one row per record. `order` is the record's position in the
# whole input (roots in the order given, files sorted, records in file order); `site` groups
# pages of one site for the site-repeated-lines stage.
DOC_SCHEMA = pl.Schema({
    "order": pl.Int64(),
    "doc_id": pl.String(),
    "title": pl.String(),
    "url": pl.String(),
    "published": pl.String(),
    "source_path": pl.String(),
    "source_index": pl.Int64(),
    "source_format": pl.String(),
    "source_sha256": pl.String(),
    "source_id": pl.String(),
    "source_offset": pl.Int64(),
    "extractor": pl.String(),
    "site": pl.String(),
    "drop_reason": pl.String(),
})

# Lines of extracted documents: one row per non-blank line, in document order. `rule` is the
# name of the rule that removed the line, null while it is kept. `blank_before` remembers
# paragraph breaks so the cleaned text keeps the document's own layout. `key` identifies the
# line up to case and digits (for lines repeated across pages); the rest is its shape, measured
# once (prep/clean/linestats.py).
LINE_SCHEMA = pl.Schema({
    "order": pl.Int64(),
    "line_no": pl.Int32(),
    "line": pl.String(),
    "blank_before": pl.Boolean(),
    "rule": pl.String(),
    "key": pl.UInt64(),
    "words": pl.Int32(),
    "chars": pl.Int32(),
    "upper": pl.Int32(),
    "digits": pl.Int32(),
    "cap_words": pl.Int32(),
    "flags": pl.Int32(),
})


def empty_output() -> pl.DataFrame:
    """A zero-row frame with the exact output schema."""
    return pl.DataFrame(schema=OUTPUT_SCHEMA)


def split_drop_reason(frame: pl.DataFrame) -> pl.DataFrame:
    """drop_reason "<reason>: <detail>" as drop_reason and drop_detail."""
    parts = pl.col("drop_reason").str.splitn(": ", 2)
    return frame.with_columns(drop_reason=parts.struct.field("field_0"), drop_detail=parts.struct.field("field_1"))
