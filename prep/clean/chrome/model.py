"""The chrome model: catches chrome no named rule describes (menu labels, calls to action, site
slogans, author blurbs, teasers for other pages) from what a line looks like, where it stands,
what it shares with the article, how many sites repeat it, and its first words.

It is a gradient-boosted tree ensemble over prep's line features (features.py) plus the log
of how many sites carry the line and two linear scores of the line's words: one learnt on all
lines, one on labels (lines of at most LABEL_WORDS words), because the words that give a menu
label away ("Pricing", "Industries") are not those that give a promotional sentence away.
It is trained on the development pages by python -m prep.training.chrome and shipped
as JSON in the package; trees.py evaluates it, so no training library is needed.
It never judges a plain-text document's first kept line nor its title line (see `titles` in
prep/clean/titles.py), nor a headline-shaped first line of an extracted page: the article's
title is the one line whose loss no gain elsewhere makes up for; nor a line without a letter
or digit (a code block's closing brace). A line of `long_words` words or more, a sentence of
the article if anything, is removed only at `long_threshold`.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np
import polars as pl

from prep.clean.chrome.features import DENSE, line_features
from prep.clean.chrome.trees import as_arrays, predict_logit
from prep.clean.chrome.wordscore import weight_table, word_scores
from prep.clean.dumps import dump_rows
from prep.config import ChromeModelConfig, PageModelConfig
from prep.files import read_user_file
from prep.stage import Frames

RULE = "chrome_model"
LABEL_WORDS = 4
MAX_MODEL_BYTES = 64 << 20  # the shipped model is about 1.3 MB
WORD_SCORES = {"label_word_score": "label_words", "word_score": "words"}  # input: its word model in the JSON
INPUTS = (*DENSE, "log_sites", *WORD_SCORES)
# a line without a letter or a digit ("}", "|", "—") is never judged: it holds no text to save
# or to lose, and in an article it is a closing brace of a code block or a table's rule
WORDLESS = r"^[^\p{L}\p{N}]*$"


@cache
def load_model(path: Path | None = None) -> dict:
    """The model at `path`, or the one shipped with prep, ready to evaluate."""
    source = path if path is not None else files("prep.clean.chrome").joinpath("chrome_model.json")
    text = (read_user_file(path, MAX_MODEL_BYTES).decode("utf-8") if path is not None
            else source.read_text(encoding="utf-8"))
    model = json.loads(text)
    if tuple(model["inputs"]) != INPUTS:
        raise ValueError(f"chrome model {source} was trained on other features; retrain it")
    model["word_tables"] = {name: weight_table(model[key]["weights"]) for name, key in WORD_SCORES.items()}
    model["ensemble"] = as_arrays(model["trees"])
    return model


def stage(frames: Frames, config: ChromeModelConfig, page: PageModelConfig) -> Frames:
    """`rule` set on the lines the model gives at least `config.threshold` of being chrome; the
    page dumps the page model judges (prep/clean/page/) are left to it."""
    docs = frames.docs.select("order", "title", "extractor")
    if page.enabled:
        dumps = dump_rows(frames.lines, docs, page)
        if dumps.any():
            judged = mark_model_chrome(frames.lines.filter(pl.Series(~dumps)), docs, frames.corpus.spread, config,
                                       load_model(config.path))
            rule = frames.lines["rule"].scatter(pl.Series(np.flatnonzero(~dumps), dtype=pl.UInt32), judged["rule"])
            return Frames(frames.docs, frames.lines.with_columns(rule=rule), frames.corpus)
    lines = mark_model_chrome(frames.lines, docs, frames.corpus.spread, config, load_model(config.path))
    return Frames(frames.docs, lines, frames.corpus)


def judged_lines(lines: pl.DataFrame, docs: pl.DataFrame, spread: pl.DataFrame) -> pl.DataFrame:
    """The lines the model judges, with their features and log_sites (all of INPUTS but the word
    scores). `docs` holds (order, title, extractor) of the lines' documents."""
    plain, first = pl.col("from_html") == 0, pl.col("k") == 0
    the_title = ((first & pl.col("title_shaped") & ~plain)
                 | (plain & (first | (pl.col("line") == pl.col("title")).fill_null(False))))
    return (line_features(lines, docs)
            .join(docs.select("order", "title"), on="order", how="left", maintain_order="left")
            .filter(~the_title & pl.col("line").str.contains(WORDLESS).not_())
            .drop("title")
            .join(spread, on="key", how="left", maintain_order="left")
            .with_columns(log_sites=pl.col("sites").fill_null(1).cast(pl.Float64).log1p()))


def chrome_probabilities(lines: pl.DataFrame, docs: pl.DataFrame, spread: pl.DataFrame,
                         model: dict) -> pl.DataFrame:
    """(order, line_no, line, probability) of every line the model judges."""
    return probabilities(judged_lines(lines, docs, spread), model)


def probabilities(inputs: pl.DataFrame, model: dict) -> pl.DataFrame:
    """(order, line_no, line, probability) of the lines `judged_lines` gave."""
    if inputs.is_empty():
        return inputs.select("order", "line_no", "line", probability=pl.lit(None, pl.Float64))
    inputs = inputs.with_columns(**{name: word_scores(inputs["line"], model["word_tables"][name], model[key]["bias"])
                                    for name, key in WORD_SCORES.items()})
    logit = predict_logit(inputs.select(INPUTS).to_numpy(), model["ensemble"])
    return inputs.select("order", "line_no", "line", probability=pl.Series(1 / (1 + np.exp(-logit))))


def mark_model_chrome(lines: pl.DataFrame, docs: pl.DataFrame, spread: pl.DataFrame,
                      config: ChromeModelConfig, model: dict) -> pl.DataFrame:
    """`rule` set on the lines the model gives at least `config.threshold` of being chrome, or
    `config.long_threshold` for a line of `config.long_words` words or more: a full sentence is
    removed only on strong evidence. In text extracted from HTML the extractor has taken most of
    the page's chrome away already, and what the model takes there is article about as often as
    chrome (tests/benchmarks/clean_bench.py --cv 5 --config with html_threshold 0.5): a line goes only at
    `config.html_threshold`, and a line of `long_words` words or more never."""
    long = pl.col("line").str.count_matches(" ", literal=True) + 1 >= config.long_words
    html = pl.col("extractor") != "text"
    needed = (pl.when(html & long).then(None)
              .when(html).then(config.html_threshold)
              .when(long).then(config.long_threshold)
              .otherwise(config.threshold))
    flagged = (chrome_probabilities(lines, docs, spread, model)
               .join(docs.select("order", "extractor"), on="order", how="left", maintain_order="left")
               .filter(pl.col("probability") >= needed)  # null (never) filters the line out
               .select("order", "line_no", flag=pl.lit(True)))
    if flagged.is_empty():
        return lines
    return (lines.join(flagged, on=["order", "line_no"], how="left", maintain_order="left")
            .with_columns(rule=pl.when(pl.col("flag")).then(pl.lit(RULE)).otherwise(pl.col("rule")))
            .drop("flag"))
