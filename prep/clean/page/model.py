"""The page model: finds the article among the lines of a page dump.

A page dump is a text document holding a page's whole visible text (menus, footers, related
lists, cookie and share bars, the article somewhere among them), as scrapers and WET files give
it. Such a document is recognised by its shape alone (prep/clean/dumps.py: at least `min_lines`
lines, at least `min_short_share` of them short lines without a sentence end), which costs one
pass over the measured line columns; the article text of an ordinary document (paragraphs with
a few chrome lines) is never judged here, and costs next to nothing.

For each line of a page dump, a gradient-boosted tree ensemble (trained by
python -m prep.training.page, shipped as an .npz and walked by prep/clean/chrome/trees.py)
gives the probability that it is chrome, from what features.py describes: every line of the
document as split, also those a named rule took, since the page's layout is the evidence.
A still-kept line is removed (rule `page_chrome`) at `threshold`, and a line of `long_words`
words or more, a sentence of the article if anything, only at `long_threshold`; the page's
title, right above the article, is spared (`title_rescued`). The chrome model (prep/clean/chrome/)
leaves page dumps to this one: it was trained on articles with a few chrome lines, and takes
the fragments of a dump's sentences (split at inline links) for menu labels.
"""

from __future__ import annotations

import json
import zipfile
from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np
import polars as pl

from prep.clean import linestats as ls
from prep.clean.chrome.trees import predict_logit
from prep.clean.dumps import dump_rows
from prep.clean.page.features import line_features
from prep.config import PageModelConfig
from prep.files import read_user_file
from prep.stage import Frames

RULE = "page_chrome"
MODEL_FILE = "page_model.npz"
MAX_MODEL_BYTES = 64 << 20
TREE_ARRAYS = ("roots", "feature", "threshold", "left", "right", "missing_left", "value", "leaf")
TEXT_WORDS = 8        # the article opens with a kept line this long ...
TITLE_REACH = 6       # ... and its title stands at most this many lines above it ...
RESCUE_BELOW = 0.98   # ... unless the model is all but sure it is chrome
TITLE_MAX_WORDS = 25


@cache
def load_model(path: Path | None = None) -> dict:
    """The model at `path`, or the one shipped with prep, ready to evaluate."""
    import io

    raw = (read_user_file(path, MAX_MODEL_BYTES) if path is not None
           else files("prep.clean.page").joinpath(MODEL_FILE).read_bytes())
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as arrays:
            meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
            ensemble = {"baseline": float(meta["baseline"]),
                        **{name: arrays[f"tree_{name}"] for name in TREE_ARRAYS}}
            word_model = {"weights": arrays["word_weights"].astype(np.float64), "bias": float(meta["word_bias"])}
    except (zipfile.BadZipFile, KeyError, EOFError, UnicodeDecodeError) as err:
        raise ValueError(f"not a page model: {err}") from None
    return {"meta": meta, "names": tuple(meta["names"]), "ensemble": ensemble, "word_model": word_model}


def save_model(path: Path, meta: dict, ensemble: dict, word_weights: np.ndarray) -> None:
    """Write a model `load_model` reads: the trees' arrays, the word weights (float16) and `meta`
    (names, baseline, word_bias, ...) as JSON."""
    arrays = {f"tree_{name}": np.asarray(ensemble[name]) for name in TREE_ARRAYS}
    arrays["word_weights"] = word_weights.astype(np.float16)
    arrays["meta"] = np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    with open(path, "wb") as stream:
        np.savez_compressed(stream, **arrays)


def probabilities(lines: pl.DataFrame, spread: pl.DataFrame, model: dict) -> np.ndarray:
    """The chrome probability of each line of `lines` (whole documents, in document order)."""
    x, names = line_features(lines, spread, model["word_model"])
    if tuple(names) != model["names"]:
        raise ValueError("the page model was trained on other features; retrain it (python -m prep.training.page)")
    return 1 / (1 + np.exp(-predict_logit(x, model["ensemble"])))


def removals(lines: pl.DataFrame, p: np.ndarray, config: PageModelConfig) -> np.ndarray:
    """Which lines the policy removes: still kept, and p at least `threshold`, or `long_threshold`
    for a line of `long_words` words or more. A line without a letter or digit ("}", "|") goes
    only with the lines on both sides of it (or the document's edge): a code block's closing
    brace stays with its code, a menu's separator goes with its menu."""
    long = lines["words"].to_numpy() >= config.long_words
    needed = np.where(long, config.long_threshold, config.threshold)
    taken = lines["rule"].is_null().to_numpy() & (p >= needed)
    wordless = lines["line"].str.contains(r"^[^\p{L}\p{N}]*$").to_numpy()
    if wordless.any():
        gone = taken | lines["rule"].is_not_null().to_numpy()
        orders = lines["order"].to_numpy()
        same_before = np.r_[False, orders[1:] == orders[:-1]]
        same_after = np.r_[orders[1:] == orders[:-1], False]
        before = ~same_before | np.r_[False, gone[:-1]]
        after = ~same_after | np.r_[gone[1:], False]
        taken &= ~wordless | (before & after)
    return taken


def title_rescued(lines: pl.DataFrame, p: np.ndarray, taken: np.ndarray) -> np.ndarray:
    """`taken` with each document's title given back: of the headline-shaped lines the model took
    with p under RESCUE_BELOW within TITLE_REACH lines above the first kept line of TEXT_WORDS
    words or more (the article's opening), the one it found least chrome-like (a byline stands
    there too). A page dump's title stands right above
    its article, and the title is the one line whose loss no gain elsewhere makes up for."""
    words, flags = lines["words"].to_numpy(), lines["flags"].to_numpy()
    headline = ((words >= 2) & (words <= TITLE_MAX_WORDS) & ((flags & ls.CAPITAL_START) != 0)
                & ((flags & (ls.ENDS_STATEMENT | ls.LIST_ITEM)) == 0))
    candidate = headline & taken & (p < RESCUE_BELOW)
    opening = ~taken & lines["rule"].is_null().to_numpy() & (words >= TEXT_WORDS)
    orders = lines["order"].to_numpy()
    starts = np.flatnonzero(np.r_[True, orders[1:] != orders[:-1]])
    ends = np.r_[starts[1:], len(orders)]
    taken = taken.copy()
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        first = np.flatnonzero(opening[start:end])
        if not len(first):
            continue
        top = start + int(first[0])
        near = max(start, top - TITLE_REACH) + np.flatnonzero(candidate[max(start, top - TITLE_REACH):top])
        if len(near):
            taken[near[np.argmin(p[near])]] = False
    return taken


def stage(frames: Frames, config: PageModelConfig) -> Frames:
    """`rule` set on the lines of page dumps the model takes for chrome, their titles spared."""
    lines = frames.lines
    rows = dump_rows(lines, frames.docs.select("order", "extractor"), config)
    if not rows.any():
        return frames
    at = np.flatnonzero(rows)
    dumps = lines[at]
    p = probabilities(dumps, frames.corpus.spread, load_model(config.path))
    taken = pl.Series(at[title_rescued(dumps, p, removals(dumps, p, config))], dtype=pl.UInt32)
    return Frames(frames.docs, lines.with_columns(rule=lines["rule"].scatter(taken, RULE)), frames.corpus)
