"""Applying the named line rules (catalogue.py) to a document's lines.

Matching lowercased text instead of asking the engine to ignore case, and ASCII word
boundaries, keep polars' regex engine on its fastest path: the catalogue costs a few
microseconds per line.

A plain-text document opens with its title, and a title can be a labelled headline
("Recommended: Ten Books for Summer", "About - State of AI Newsletter", "Photos: Storm Hits the
Coast") that the label rules marked `spares_title` would take for a teaser or a caption; see
`spare_titles`. A bare label ("Read more", "Related Articles") is removed wherever it stands.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import polars as pl

from prep.clean.catalogue import CATALOGUE, Rule
from prep.clean.linestats import SEPARATORS, has
from prep.clean.shapes import title_shaped
from prep.config import RuleConfig
from prep.stage import Frames

STAGE = "rules"
LABELLED_HEADLINE = r"^\S.{0,40}?(:|\s[-–—])\s+\S+\s+\S+\s+\S"  # "Label: Three Words Headline"


def stage(frames: Frames, overrides: dict[str, RuleConfig]) -> Frames:
    """`rule` set on each line the first matching named rule takes; a plain-text document's
    labelled-headline title spared (`spare_titles`)."""
    rules = resolve_rules(overrides)
    lines = spare_titles(apply_rules(frames.lines, rules), frames.docs.select("order", "extractor"), rules)
    return Frames(frames.docs, lines, frames.corpus)


def resolve_rules(overrides: dict[str, RuleConfig]) -> list[Rule]:
    """The catalogue with the config's overrides applied and its extra rules appended."""
    known = {rule.name: rule for rule in CATALOGUE}
    for name, override in overrides.items():
        if name not in known and override.pattern is None:
            raise ValueError(f"clean.rules.{name}: not a built-in rule, so it needs a 'pattern'")
    rules = []
    for rule in (*CATALOGUE, *(Rule(n, "", 12) for n in overrides if n not in known)):
        override = overrides.get(rule.name)
        enabled = rule.enabled if override is None or override.enabled is None else override.enabled
        if not enabled:
            continue
        if override is not None:
            rule = replace(rule, pattern=override.pattern or rule.pattern,
                           max_words=override.max_words or rule.max_words,
                           needs=None if override.pattern else rule.needs)
        rules.append(rule)
    return rules


def apply_rules(lines: pl.DataFrame, rules: list[Rule]) -> pl.DataFrame:
    """Name, in `rule`, the first rule that matches each still-kept line.

    Each rule's pattern only meets the lines short enough for it and still kept (most article
    lines are longer than any rule's limit); rows of a table only meet the rules that judge
    tables."""
    if not rules or lines.is_empty():
        return lines
    rule = lines["rule"]
    words = lines["words"]
    outside_tables = ~table_rows(lines)
    short = (rule.is_null() & (words <= max(r.max_words for r in rules))).arg_true()
    low = pl.Series(dtype=pl.String, values=[None] * len(lines)).scatter(
        short, lines["line"].gather(short).str.to_lowercase())
    for r in rules:
        judged = rule.is_null() & (words <= r.max_words)
        candidates = (judged if r.judges_tables else judged & outside_tables).arg_true()
        if r.needs and not candidates.is_empty():  # the cheap test first, the rule's own on what passes
            candidates = candidates.filter(low.gather(candidates).str.contains(r.needs))
        if candidates.is_empty():
            continue
        hit = low.gather(candidates).str.contains(_ascii_boundaries(r.pattern))
        rule = rule.scatter(candidates.filter(hit), r.name)
    return lines.with_columns(rule=rule)


def table_rows(lines: pl.DataFrame) -> pl.Series:
    """Lines that are rows of a table ("Rank | State | Score" over "1 | Utah | 92"): a run of
    adjacent lines of one document with as many '|' cells, three or more lines long or holding
    a figure. Two stacked menus ("Home | News | Sport" over "About | Careers | Jobs") are no
    table: they have neither."""
    # only lines with a separator (measured already, see linestats) are counted: most have none
    with_bars = lines.select(has(SEPARATORS)).to_series().arg_true()
    cells = np.zeros(len(lines), dtype=np.int64)
    cells[with_bars.to_numpy()] = lines["line"].gather(with_bars).str.count_matches("|", literal=True)
    orders = lines["order"].to_numpy()
    # runs of equal (document, cells): a new run wherever either changes
    new_run = np.r_[True, (orders[1:] != orders[:-1]) | (cells[1:] != cells[:-1])]
    run = np.cumsum(new_run) - 1
    length = np.bincount(run)
    figures = np.bincount(run, weights=lines["digits"].to_numpy() > 0) > 0
    table = (length >= 2) & ((length >= 3) | figures)
    return pl.Series("table_row", (cells > 0) & table[run])


def spare_titles(lines: pl.DataFrame, docs: pl.DataFrame, rules: list[Rule]) -> pl.DataFrame:
    """Give plain-text documents back a title that a `spares_title` rule took.

    The title is a plain-text document's first line that the other rules leave: when it is
    headline-shaped and a label followed by a headline of three or more words ("Recommended:
    Ten Books for Summer"), the label rule's verdict is lifted and the other rules judge it
    again. `docs` holds (order, extractor)."""
    sparing = [r.name for r in rules if r.spares_title]
    if not sparing or lines.is_empty():
        return lines
    labelled = lines["rule"].is_in(sparing).fill_null(False).to_numpy()
    if not labelled.any():
        return lines
    # each document's first line that is kept or taken by a sparing rule (line frames are in
    # document order), where a sparing rule took it
    open_rows = np.flatnonzero(labelled | lines["rule"].is_null().to_numpy())
    orders = lines["order"].to_numpy()[open_rows]
    firsts = open_rows[np.r_[True, orders[1:] != orders[:-1]]]
    plain = docs.filter(pl.col("extractor") == "text")["order"].implode()
    at = (lines.with_row_index("at")[firsts[labelled[firsts]]]
          .filter(pl.col("order").is_in(plain) & title_shaped() & pl.col("line").str.contains(LABELLED_HEADLINE))
          ["at"])
    if at.is_empty():
        return lines
    others = [r for r in rules if not r.spares_title]
    rejudged = apply_rules(lines[at].with_columns(rule=pl.lit(None, dtype=pl.String)), others)
    return lines.with_columns(rule=lines["rule"].scatter(at, rejudged["rule"]))


def _ascii_boundaries(pattern: str) -> str:
    return pattern.replace(r"\b", r"(?-u:\b)")


def check_pattern(pattern: str) -> None:
    """Raise ValueError when polars' regex engine would reject the pattern."""
    try:
        pl.Series([""]).str.contains(_ascii_boundaries(pattern))
    except pl.exceptions.ComputeError as err:
        # polars' message: "regex error: regex parse error:", the pattern with a caret under
        # the fault, "error: <what is wrong>", then the expression it was in
        lines = str(err).splitlines()
        what = next((line.strip() for line in lines if line.strip().startswith("error:")), lines[0])
        raise ValueError(f"invalid regular expression {pattern!r}: {what.removeprefix('error: ')}") from None
