"""The documents a report shows in full: a fixed, repeatable sample of corpus/.

Half of the sample (rounded up) is drawn from documents cleaning removed lines from, shown
first, the rest from the others, so a reader can judge both what was cut and what was left.
doc_ids are hashes, so taking the smallest is a random draw that is the same every time.
"""

from __future__ import annotations

import polars as pl

from prep.review.stats import WORDS
from prep.sinks.output import RunOutput


def sample_documents(run: RunOutput, size: int, docs: dict[str, str]) -> list[dict]:
    """Up to `size` corpus documents with their paragraphs and removed lines (with rule docs)."""
    if size <= 0:
        return []
    corpus = run.table("corpus")
    ids = corpus.select("doc_id", cut=pl.col("removed").list.len() > 0).collect()
    cut = ids.filter("cut").sort("doc_id").head((size + 1) // 2)["doc_id"]
    rest = ids.filter(~pl.col("doc_id").is_in(cut.implode())).sort("doc_id").head(size - len(cut))["doc_id"]
    chosen = pl.concat([cut, rest])
    rows = (corpus.filter(pl.col("doc_id").is_in(chosen.implode()))
            .select("doc_id", "title", "url", "published", "source_path", "source_index", "text", "removed",
                    "cluster_size", words=pl.col("text").str.count_matches(WORDS))
            .sort(pl.col("removed").list.len() == 0, "doc_id").collect().to_dicts())
    for row in rows:
        row["paragraphs"] = [p.split("\n") for p in row.pop("text").split("\n\n") if p]
        row["removed"] = [{**r, "doc": docs.get(r["rule"], "")} for r in row["removed"]]
        row["words_before"] = row["words"] + sum(len(r["line"].split()) for r in row["removed"])
    return rows
