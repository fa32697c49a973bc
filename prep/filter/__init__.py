"""Filters: what no one should train on, dropped with a reason, and what every document is
measured by: language, quality signals and the quality filters over them, and PII replaced.

The stages run in the order of STAGES on the cleaned documents, before deduplication (so that
copies of a dropped document do not stand in for it, and redacted text is what is compared),
each declared with its columns and config section (prep/stage.py). Each module's entry function
is `stage(docs, section) -> docs`:
- language.language (section [language]): `language`, `language_score`; drops as 'language';
- signals.signals ([quality]): the `signals` struct (prep/schema.py SIGNAL_DOCS);
- quality.quality ([quality]): drops as 'quality', the failing rule in `drop_detail`;
- pii.pii ([pii], off by default): placeholders in `text`, counts in `pii_replacements`.
docs/filters.md describes the columns, the rules and why the defaults are what they are.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from prep.config import Config
from prep.filter import language, pii, quality, signals
from prep.schema import PII_DTYPE, SIGNALS_DTYPE, split_drop_reason
from prep.stage import Frames, Stage
from prep.stage import run as run_stages


def _on_docs(step: Callable[[pl.DataFrame, object], pl.DataFrame]) -> Callable[[Frames, object], Frames]:
    def apply(frames: Frames, section: object) -> Frames:
        return Frames(step(frames.docs, section), frames.lines, frames.corpus)
    apply.__doc__ = step.__doc__
    return apply


JUDGED = ("docs.text", "docs.drop_reason", "docs.drop_detail")
STAGES: tuple[Stage, ...] = (
    Stage("language", _on_docs(language.language), reads=JUDGED,
          adds=("docs.language", "docs.language_score", "docs.drop_reason", "docs.drop_detail"),
          sections=("language",), doc="documents of the languages not kept, or identified too unsurely"),
    Stage("signals", _on_docs(signals.signals), reads=JUDGED, adds=("docs.signals",), sections=("quality",),
          doc="the quality measures of every document still kept"),
    Stage("quality", _on_docs(quality.quality), reads=(*JUDGED, "docs.signals", "docs.language"),
          adds=("docs.drop_reason", "docs.drop_detail"), sections=("quality",),
          doc="documents failing an enabled Gopher, C4 or FineWeb rule"),
    Stage("pii", _on_docs(pii.pii), reads=JUDGED, adds=("docs.text", "docs.pii_replacements"), sections=("pii",),
          doc="personal data replaced by placeholders"),
)
# the columns the stages add, as a document has them when a stage is off or it was dropped before
DEFAULTS = {"language": pl.String, "language_score": pl.Float64, "signals": SIGNALS_DTYPE,
            "pii_replacements": PII_DTYPE}


def filter_documents(docs: pl.DataFrame, config: Config) -> pl.DataFrame:
    """The cleaned documents through the filter stages, each handed its own section of `config`;
    drop_reason split into drop_reason and drop_detail."""
    docs = split_drop_reason(docs)
    docs = run_stages(STAGES, Frames(docs), config).docs
    missing = {name: pl.lit(None, dtype=dtype) for name, dtype in DEFAULTS.items() if name not in docs.columns}
    return docs.with_columns(**missing)


def shard_stats(docs: pl.DataFrame) -> dict:
    """What the manifest counts of the filters: drops by filter, PII replacements by kind."""
    return {"filter_drops": quality.drop_counts(docs), "pii_replacements": pii.totals(docs)}
