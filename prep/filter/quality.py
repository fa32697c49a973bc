"""Quality filters: the Gopher, C4 and FineWeb rules over the `signals` struct.

    quality(docs, section: QualityConfig) -> docs

Reads `signals` (computed here by prep/filter/signals.py when the column is missing), `drop_reason`
(documents already dropped are not judged), `language` (when present: rules tuned on English
words judge only documents of `section.languages`) and `drop_detail` (kept for documents already
dropped). Adds or updates `drop_reason` ('quality') and `drop_detail`, the first failing rule, e.g.
'gopher_quality: gopher_mean_word_length 2.1 < 3'.

Rules run in the order of FineWeb's pipeline (Gopher repetition, Gopher quality, C4, FineWeb)
and, within a filter, in datatrove's order; each filter applies the rules its section lists in
`rules` (ALL_RULES: every rule of each filter).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from prep.filter.signals import signals as measure_signals

if TYPE_CHECKING:
    from prep.config import QualityConfig


@dataclass(frozen=True)
class Rule:
    filter: str        # gopher_quality, gopher_repetition, c4, fineweb
    setting: str       # the config field holding the threshold (or the switch of a yes/no rule)
    signal: str        # the signals field compared
    op: str            # '<': dropped below the threshold; '>': above it; 'is': dropped when true
    english: bool      # tuned on English words, spacing or punctuation: judges only section.languages


RULES: tuple[Rule, ...] = (
    Rule("gopher_repetition", "max_dup_para_frac", "dup_para_frac", ">", False),
    Rule("gopher_repetition", "max_dup_para_char_frac", "dup_para_char_frac", ">", False),
    Rule("gopher_repetition", "max_dup_line_frac", "dup_line_frac", ">", False),
    Rule("gopher_repetition", "max_dup_line_char_frac", "dup_line_char_frac", ">", False),
    *(Rule("gopher_repetition", f"max_top_{n}gram_char_frac", f"top_{n}gram_char_frac", ">", False)
      for n in (2, 3, 4)),
    *(Rule("gopher_repetition", f"max_dup_{n}gram_char_frac", f"dup_{n}gram_char_frac", ">", False)
      for n in range(5, 11)),
    Rule("gopher_quality", "min_words", "gopher_words", "<", True),
    Rule("gopher_quality", "max_words", "gopher_words", ">", True),
    Rule("gopher_quality", "min_mean_word_length", "gopher_mean_word_length", "<", True),
    Rule("gopher_quality", "max_mean_word_length", "gopher_mean_word_length", ">", True),
    Rule("gopher_quality", "max_hash_ratio", "gopher_hash_ratio", ">", False),
    Rule("gopher_quality", "max_ellipsis_ratio", "gopher_ellipsis_ratio", ">", False),
    Rule("gopher_quality", "max_bullet_lines_ratio", "gopher_bullet_lines_ratio", ">", False),
    Rule("gopher_quality", "max_ellipsis_lines_ratio", "gopher_ellipsis_lines_ratio", ">", False),
    Rule("gopher_quality", "min_alpha_words_ratio", "gopher_alpha_words_ratio", "<", False),
    Rule("gopher_quality", "min_stop_words", "gopher_stop_words", "<", True),
    Rule("c4", "lorem_ipsum", "c4_lorem_ipsum", "is", False),
    Rule("c4", "curly_bracket", "c4_curly_bracket", "is", False),
    Rule("c4", "min_sentences", "c4_sentences", "<", True),
    Rule("fineweb", "min_line_punct_ratio", "fineweb_line_punct_ratio", "<", False),
    Rule("fineweb", "max_short_line_ratio", "fineweb_short_line_ratio", ">", True),
    Rule("fineweb", "max_char_dup_ratio", "fineweb_char_dup_ratio", ">", False),
    Rule("fineweb", "max_list_ratio", "fineweb_list_ratio", ">", True),
)
FILTERS = ("gopher_repetition", "gopher_quality", "c4", "fineweb")
ALL_RULES = {name: [rule.setting for rule in RULES if rule.filter == name] for name in FILTERS}


def quality(docs: pl.DataFrame, section: QualityConfig) -> pl.DataFrame:
    """Judge the documents still kept (drop_reason null) by the enabled rules; see the module doc."""
    if not section.enabled:
        return docs
    if "signals" not in docs.columns:
        docs = measure_signals(docs, section)
    if "drop_reason" not in docs.columns:
        docs = docs.with_columns(pl.lit(None, dtype=pl.String).alias("drop_reason"))
    if "drop_detail" not in docs.columns:
        docs = docs.with_columns(pl.lit(None, dtype=pl.String).alias("drop_detail"))
    detail = failing_rule(section, has_language="language" in docs.columns)
    if detail is None:
        return docs
    judged = pl.col("drop_reason").is_null() & pl.col("signals").is_not_null()
    return (docs.with_columns(pl.when(judged).then(detail).otherwise(None).alias("_quality"))
            .with_columns(pl.when(pl.col("_quality").is_not_null()).then(pl.lit("quality"))
                          .otherwise(pl.col("drop_reason")).alias("drop_reason"),
                          pl.coalesce("_quality", "drop_detail").alias("drop_detail"))
            .drop("_quality"))


def failing_rule(section: QualityConfig, has_language: bool = True) -> pl.Expr | None:
    """An expression over `signals` (and `language`) giving the first failing rule's detail, or null."""
    checks = []
    every_language = "*" in section.languages
    if section.gopher_repetition.enabled and section.gopher_repetition.rules:  # datatrove drops an empty
        # text before any repetition measure
        checks.append(pl.when(pl.col("signals").struct.field("chars") == 0)
                      .then(pl.lit("gopher_repetition: empty text")))
    for rule in RULES:
        family = getattr(section, rule.filter)
        if not family.enabled or rule.setting not in family.rules:
            continue
        threshold = True if rule.op == "is" else getattr(family, rule.setting)
        value = pl.col("signals").struct.field(rule.signal)
        if rule.op == "is":
            fails = value
            text = pl.lit(f"{rule.filter}: {rule.signal}")
        else:
            fails = value < threshold if rule.op == "<" else value > threshold
            shown = value if rule.signal in _INTEGERS else value.round(4)
            text = pl.format(f"{rule.filter}: {rule.signal} {{}} {rule.op} {_number(threshold)}", shown)
        if rule.english and has_language and not every_language:
            fails = fails & pl.col("language").is_in(section.languages)
        checks.append(pl.when(fails).then(text))
    if not checks:
        return None
    return pl.coalesce(checks)


_INTEGERS = {"gopher_words", "gopher_stop_words", "c4_sentences"}


def _number(value: float | int | bool) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def drop_counts(docs: pl.DataFrame) -> dict[str, int]:
    """Documents dropped by each filter ('language' and each of FILTERS), for the manifest and gates."""
    counts = {name: 0 for name in ("language", *FILTERS)}
    if "drop_reason" not in docs.columns:
        return counts
    counts["language"] = int((docs["drop_reason"] == "language").sum())
    if "drop_detail" in docs.columns:
        quality_details = docs.filter(pl.col("drop_reason") == "quality")["drop_detail"]
        names = quality_details.str.extract(r"^(\w+):", 1).value_counts()
        for name, n in names.iter_rows():
            if name in counts:
                counts[name] = int(n)
    return counts


# gate name -> measure over a manifest's counts: counts["filter_drops"] holds drop_counts summed
# over the run, counts["records_read"] the records read (the measures of prep/review/gates.py)
GATE_MEASURES = {
    **{f"{name}_drop_rate": (lambda c, name=name: c.get("filter_drops", {}).get(name, 0) / c["records_read"]
                             if c["records_read"] else 0.0) for name in ("language", *FILTERS)},
    "quality_drop_rate": lambda c: (sum(c.get("filter_drops", {}).get(name, 0) for name in FILTERS) / c["records_read"]
                                    if c["records_read"] else 0.0),
}
