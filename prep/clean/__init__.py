"""Cleaning: from extracted text to the article alone, every removed line recorded with its rule.

The stages run in the order of STAGES, each declared with the columns it reads and adds and its
config section (prep/stage.py). Named line rules come first, then lines the site repeats on
many pages, then, in a page dump (a page's whole visible text), the page model's choice of the
article's lines (prep/clean/page/), the document's title, the headlines of other stories, and last
the chrome model for the chrome no rule names (in documents that are no page dump): the named
stages go first so that a removal carries the most specific reason there is. The site's name then
comes off the title. The stages before REDUCE_AFTER run per shard before the corpus-wide reduce
(`corpus_lines`: lines a site repeats, lines many sites carry; `sitetitles.site_brands`: the names
a site's titles repeat); the others after it.

To add a stage: write `stage(frames, section) -> Frames` in a module of its own, give it a
config section in prep/config.py, and declare it here in its place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from prep.clean import boilerplate, headlines, limits, rules, sitetitles, titles
from prep.clean.chrome import model
from prep.clean.lines import split_lines
from prep.clean.page import model as page_model
from prep.clean.spread import line_spread
from prep.config import CleanConfig, Config
from prep.schema import LINE_SCHEMA
from prep.stage import Frames, Stage
from prep.stage import run as run_stages

LINE_COLUMNS = tuple(f"lines.{name}" for name in LINE_SCHEMA.names())
SHAPE = ("lines.line", "lines.rule", "lines.words", "lines.flags", "lines.cap_words", "lines.digits", "lines.chars")


def _split(frames: Frames) -> Frames:
    return Frames(frames.docs, split_lines(frames.docs.filter(pl.col("text").is_not_null()).select("order", "text")))


STAGES: tuple[Stage, ...] = (
    Stage("lines", _split, reads=("docs.order", "docs.text"), adds=LINE_COLUMNS,
          doc="documents to their non-blank, normalised lines, each measured once"),
    Stage(rules.STAGE, rules.stage, reads=(*SHAPE, "docs.extractor"), adds=("lines.rule",),
          sections=("clean.rules",), doc="the named line rules (prep/clean/rules.py)"),
    Stage(boilerplate.RULE, boilerplate.stage, reads=("lines.key", "lines.rule", "docs.site", "corpus.template"),
          adds=("lines.rule",), sections=("clean.boilerplate",),
          doc="a line the site repeats on many of its pages (its template)"),
    Stage(page_model.RULE, page_model.stage, reads=(*LINE_COLUMNS, "docs.extractor", "corpus.spread"),
          adds=("lines.rule",), sections=("clean.page",),
          doc="chrome of a page dump (a page's whole visible text) around the article, found by the page model"),
    Stage("titles", titles.mark_titles, reads=(*SHAPE, "docs.title", "docs.extractor"), adds=("docs.title",),
          doc="a plain-text document's title line"),
    Stage(headlines.RULE, headlines.stage, reads=(*SHAPE, "docs.title"), adds=("lines.rule",),
          sections=("clean.headlines",),
          doc="the headline of another story, standing between the article's paragraphs"),
    Stage(model.RULE, model.stage, reads=(*SHAPE, "lines.key", "lines.blank_before", "docs.title", "docs.extractor",
                                          "corpus.spread"),
          adds=("lines.rule",), sections=("clean.model", "clean.page"),
          doc="chrome recognised by the line classifier, which no named rule describes"),
    Stage(sitetitles.STAGE, sitetitles.stage, reads=("docs.title", "docs.site", "corpus.brands"),
          adds=("docs.title",), doc="the site's name taken off the title"),
    Stage(limits.RULE, limits.cap_length, reads=("lines.line", "lines.rule", "lines.chars", "lines.blank_before"),
          adds=("lines.rule",), sections=("limits",), doc="cut: the text went past limits.max_text_chars"),
    Stage("assemble", limits.assemble_documents, reads=("lines.line", "lines.rule", "lines.words",
                                                        "lines.blank_before", "docs.drop_reason"),
          adds=("docs.text", "docs.removed", "docs.drop_reason"), sections=("limits",),
          doc="the cleaned text and the removed lines; empty and too_short documents dropped"),
)
# the stages that remove lines under their own name (the rules stage names each rule instead)
REMOVAL_STAGES = {s.name: s.doc for s in STAGES if "lines.rule" in s.adds and s.name != rules.STAGE}
REDUCE_AFTER = rules.STAGE  # the last stage before the corpus-wide reduce
BEFORE_REDUCE = STAGES[:[s.name for s in STAGES].index(REDUCE_AFTER) + 1]
AFTER_REDUCE = STAGES[len(BEFORE_REDUCE):]


@dataclass(frozen=True)
class CorpusLines:
    """What the corpus-wide reduce learns about lines from every document's line keys."""

    template: pl.DataFrame  # (site, key): lines a site repeats on many of its pages
    spread: pl.DataFrame    # (key, sites): lines found on more than one site
    brands: pl.DataFrame = field(default_factory=sitetitles.empty_brands)  # (site, side, part): sitetitles.py

    @classmethod
    def empty(cls) -> CorpusLines:
        return cls(pl.DataFrame(schema={"site": pl.String, "key": pl.UInt64}),
                   pl.DataFrame(schema={"key": pl.UInt64, "sites": pl.UInt32}))


def corpus_lines(keys: pl.LazyFrame, clean: CleanConfig) -> CorpusLines:
    """The reduce over all shards' `line_keys` (boilerplate.line_keys)."""
    empty = CorpusLines.empty()
    template = (boilerplate.find_template_lines(keys, clean.boilerplate) if clean.boilerplate.enabled
                else empty.template)
    return CorpusLines(template, line_spread(keys) if clean.model.enabled or clean.page.enabled else empty.spread)


def first_pass(docs: pl.DataFrame, config: Config) -> pl.DataFrame:
    """Extracted documents (with `text`) to their lines, marked by the stages before the reduce:
    what can be decided one document at a time. Each stage is handed its own sections of `config`."""
    return run_stages(BEFORE_REDUCE, Frames(docs), config).lines


def finish_documents(docs: pl.DataFrame, lines: pl.DataFrame, corpus: CorpusLines, config: Config) -> pl.DataFrame:
    """Docs (DOC_SCHEMA) and their first-pass lines to docs with `text` and `removed`."""
    return run_stages(AFTER_REDUCE, Frames(docs, lines, corpus), config).docs.sort("order")


def stages_until(name: str, docs: pl.DataFrame, lines: pl.DataFrame, corpus: CorpusLines, config: Config) -> Frames:
    """The stages after the reduce up to (not including) `name`: what a stage sees (the chrome
    model's training reads the lines as the model will)."""
    until = [s.name for s in AFTER_REDUCE].index(name)
    return run_stages(AFTER_REDUCE[:until], Frames(docs, lines, corpus), config)
