"""Lines a site repeats on many of its pages: template chrome, found across the whole corpus.

This stage is a map-reduce: each shard lists the distinct line keys of its documents
(`line_keys`), the reduce finds the keys that recur on enough pages of one site
(`find_template_lines`), and each shard then marks those lines (`mark_template_lines`).

Copies of one story also repeat lines, so a page whose lines mostly recur elsewhere is
treated as a copy and does not count as evidence that a line belongs to the template.
"""

from __future__ import annotations

import polars as pl

from prep.config import BoilerplateConfig

RULE = "site_boilerplate"


def line_keys(lines: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    """(site, order, key): the distinct still-kept lines of each document, with its site."""
    return (
        lines.lazy().filter(pl.col("rule").is_null())
        .select("order", "key")
        .unique()
        .join(docs.lazy().select("order", "site"), on="order")
        .select("site", "order", "key")
        .sort("order", "key")
        .collect()
    )


def find_template_lines(keys: pl.LazyFrame, config: BoilerplateConfig) -> pl.DataFrame:
    """(site, key) of the lines to remove, from all shards' `line_keys`."""
    site_docs = keys.group_by("site").agg(site_docs=pl.col("order").n_unique())
    recurring = (
        keys.group_by("site", "key").agg(docs=pl.len())
        .filter(pl.col("docs") >= config.min_docs)
        .select("site", "key")
    )
    doc_share = (
        keys.join(recurring.with_columns(recurs=pl.lit(1)), on=["site", "key"], how="left")
        .group_by("order").agg(share=pl.col("recurs").fill_null(0).mean())
    )
    evidence = (
        keys.join(recurring, on=["site", "key"], how="semi")
        .join(doc_share.filter(pl.col("share") <= config.max_doc_repeat_share), on="order", how="semi")
        .group_by("site", "key").agg(docs=pl.len())
        .join(site_docs, on="site")
    )
    return (
        evidence.filter(
            (pl.col("site_docs") >= config.min_site_docs)
            & (pl.col("docs") >= config.min_docs)
            & (pl.col("docs") >= config.min_share * pl.col("site_docs")))
        .select("site", "key")
        .sort("site", "key")
        .collect(engine="streaming")  # all shards' lines: more than memory should hold at once
    )


def mark_template_lines(lines: pl.DataFrame, docs: pl.DataFrame, template: pl.DataFrame) -> pl.DataFrame:
    if template.is_empty():
        return lines
    flagged = (
        lines.select("order", "line_no", "key")
        .join(docs.select("order", "site"), on="order")
        .join(template, on=["site", "key"], how="semi")
        .select("order", "line_no", flag=pl.lit(True))
    )
    return (lines.join(flagged, on=["order", "line_no"], how="left", maintain_order="left")
            .with_columns(rule=pl.when(pl.col("rule").is_null() & pl.col("flag")).then(pl.lit(RULE))
                          .otherwise(pl.col("rule")))
            .drop("flag"))
