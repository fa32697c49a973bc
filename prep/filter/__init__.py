"""Language identification, quality signals and filters, and PII redaction: stages over document frames.

Each module has one entry function per stage, `stage(docs, section) -> docs`, over a polars frame
with at least `text` (and `drop_reason`, null for the documents still kept):
- language.language(docs, LanguageConfig): `language`, `language_score`; drops as 'language';
- signals.signals(docs, QualityConfig): the `signals` struct (signals.SIGNAL_DOCS);
- quality.quality(docs, QualityConfig): drops as 'quality', the failing rule in `drop_detail`;
- pii.pii(docs, PiiConfig): placeholders in `text`, counts in `pii_replacements`.
sections.py holds their config models. docs/filters.md describes the columns and the defaults.
"""
