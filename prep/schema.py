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


# The quality signals of prep/filter/signals.py (the `signals` column), each with its definition
# and source: what an analyst picks thresholds over after a run (docs/filters.md).
GOPHER = "Gopher (Rae et al. 2021, 'Scaling Language Models: Methods, Analysis & Insights from Training Gopher', A1.1)"
SIGNAL_DOCS: dict[str, str] = {
    "chars": "characters (code points) of the text",
    "tokens": "tokens of the text, punctuation tokens included (spaCy English rules, as datatrove)",
    "lines": "lines of the text (Python splitlines)",
    # Gopher quality
    "gopher_words": "words: tokens with at least one character that is not punctuation. Gopher "
                    "quality rule 1 (Rae et al. 2021, A1.1; datatrove GopherQualityFilter)",
    "gopher_mean_word_length": "mean characters per word (words as gopher_words). Gopher quality rule 2",
    "gopher_hash_ratio": "'#' characters per token. Gopher quality rule 3",
    "gopher_ellipsis_ratio": "ellipses ('...' or '…') per token. Gopher quality rule 3",
    "gopher_bullet_lines_ratio": "share of lines starting (after spaces) with '•' or '-'. Gopher quality rule 4",
    "gopher_ellipsis_lines_ratio": "share of lines ending (before spaces) with '...' or '…'. Gopher quality rule 4",
    "gopher_alpha_words_ratio": "share of tokens with at least one letter. Gopher quality rule 5",
    "gopher_stop_words": "how many of the/be/to/of/and/that/have/with occur as tokens (case-sensitive). "
                         "Gopher quality rule 6",
    # Gopher repetition
    "dup_line_frac": "share of lines (text split at runs of '\\n') that repeat an earlier line. Gopher "
                     "repetition (Rae et al. 2021, table A1; datatrove GopherRepetitionFilter)",
    "dup_para_frac": "share of paragraphs (split at 2+ '\\n') that repeat an earlier one. Gopher repetition",
    "dup_line_char_frac": "characters of the repeated lines / characters of the text. Gopher repetition",
    "dup_para_char_frac": "characters of the repeated paragraphs / characters of the text. Gopher repetition",
    **{f"top_{n}gram_char_frac": f"characters of the most frequent token {n}-gram (joined by spaces) times its "
                                 "count / characters of the text. Gopher repetition" for n in (2, 3, 4)},
    **{f"dup_{n}gram_char_frac": f"characters of the token {n}-grams that repeat an earlier one (counted "
                                 "once per place, scanning left to right) / characters of the text. "
                                 "Gopher repetition" for n in range(5, 11)},
    # C4
    "c4_lines_kept": "lines C4's line rules keep: ending in . ? ! \" or ' (not '...'), at least 3 words, no "
                     "word over 1000 characters, no 'javascript', no cookie or terms-of-use phrase. C4 "
                     "(Raffel et al. 2020, 2.2; datatrove C4QualityFilter)",
    "c4_sentences": "sentences in the lines C4 keeps (spaCy sentencizer rules, as datatrove). C4: at least 5",
    "c4_lorem_ipsum": "'lorem ipsum' in a line C4 would keep. C4 drops the document",
    "c4_curly_bracket": "'{' in a line C4 would keep. C4 drops the document",
    "c4_javascript_lines": "lines C4 removes for the word 'javascript'",
    "c4_policy_lines": "lines C4 removes for a cookie or terms-of-use phrase",
    # FineWeb
    "fineweb_line_punct_ratio": "share of lines (split at '\\n', blank ones left out) ending in terminal "
                                "punctuation (of any script). FineWeb (Penedo et al. 2024, 3.3.4; datatrove "
                                "FineWebQualityFilter)",
    "fineweb_short_line_ratio": "share of those lines with at most 30 characters. FineWeb",
    "fineweb_char_dup_ratio": "characters in those lines that repeat an earlier line / characters of the text "
                              "without its '\\n'. FineWeb",
    "fineweb_list_ratio": "'\\n' characters per token. FineWeb",
}

_SIGNAL_INTS = ("chars", "tokens", "lines", "gopher_words", "gopher_stop_words", "c4_lines_kept", "c4_sentences",
               "c4_javascript_lines", "c4_policy_lines")
_SIGNAL_BOOLS = ("c4_lorem_ipsum", "c4_curly_bracket")
SIGNALS_DTYPE = pl.Struct({name: (pl.Int32 if name in _SIGNAL_INTS else pl.Boolean if name in _SIGNAL_BOOLS
                                  else pl.Float64) for name in SIGNAL_DOCS})

PII_KINDS = ("email", "ip", "phone", "card")
PII_DTYPE = pl.Struct({kind: pl.Int32 for kind in PII_KINDS})


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
    Column("language", pl.String(), True,
           "detected language, ISO 639-1 ('und' when none could be told); null for records dropped before"),
    Column("language_score", pl.Float64(), True,
           "the detector's confidence in `language`, 0-1 (share of the text it assigns to the language)"),
    Column("signals", SIGNALS_DTYPE, True,
           "the document's quality measures (Gopher, C4, FineWeb; each field documented in "
           "docs/filters.md); null for records dropped before they were measured"),
    Column("pii_replacements", PII_DTYPE, True,
           "personal data replaced by placeholders, counted by kind (null when the pii stage is off)"),
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
    """drop_reason "<reason>: <detail>" as drop_reason and drop_detail (a frame split before keeps
    its details)."""
    parts = pl.col("drop_reason").str.splitn(": ", 2)
    detail = parts.struct.field("field_1")
    if "drop_detail" in frame.columns:
        detail = pl.coalesce("drop_detail", detail)
    return frame.with_columns(drop_reason=parts.struct.field("field_0"), drop_detail=detail)
