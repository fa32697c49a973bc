"""What a worker does before its first task: import the stages and load their compiled kernels,
on a document of a few words, once per process; the executors are handed `warm_up`."""

from __future__ import annotations

import contextlib
import functools
import threading

import polars as pl

from prep.clean import CorpusLines, finish_documents, first_pass
from prep.config import Config
from prep.dedup.features import compute_features
from prep.filter import filter_documents
from prep.schema import DOC_SCHEMA


@functools.cache
def warm_up() -> None:
    """Import what the tasks use and load their compiled kernels, on a document of a few words
    (once per process)."""
    config = Config()
    docs = pl.DataFrame({"order": [0], "doc_id": ["0"], "text": ["Warm Up\n\nA few words, to load the kernels."],
                         "published": [None], "extractor": ["text"]},
                        schema={"order": pl.Int64, "doc_id": pl.String, "text": pl.String, "published": pl.String,
                                "extractor": pl.String})
    lines = first_pass(docs, config)
    meta = docs.drop("text").with_columns(
        **{name: pl.lit(None, dtype) for name, dtype in DOC_SCHEMA.items() if name not in docs.columns})
    cleaned = finish_documents(meta.select(DOC_SCHEMA.names()).cast(dict(DOC_SCHEMA)).with_columns(
        site=pl.lit("warm")), lines, CorpusLines.empty(), config)
    filtered = filter_documents(cleaned.with_columns(text=pl.lit("A few words to load the kernels.")), config)
    compute_features(filtered, config.dedup)


@functools.cache
def warm_up_beside() -> threading.Thread:
    """warm_up() in a thread of its own (started once per process), for a shard of HTML pages:
    the pages then wait only for the parser process to start, not also for this process's
    imports and kernels (about a second), and this process mostly waits for the parser anyway.
    Join it before the first pass, which would otherwise load the same kernels beside it."""
    thread = threading.Thread(target=_warm_up_quietly, name="prep-warm-up", daemon=True)
    thread.start()
    return thread


def _warm_up_quietly() -> None:
    """It only saves time: a failure is left for the stage that meets it to report."""
    with contextlib.suppress(Exception):
        warm_up()


