"""Lines a site repeats on many of its pages: template chrome, found across the whole corpus.

This stage is a map-reduce: each shard lists the distinct line keys of its documents
(`line_keys`), the reduce finds the keys that recur on enough pages of one site
(`find_template_lines`), and each shard then marks those lines (`mark_template_lines`).

Copies of one story also repeat lines, so a page whose lines mostly recur elsewhere is
treated as a copy and does not count as evidence that a line belongs to the template.
"""

from __future__ import annotations

import polars as pl

from prep.clean.keyslices import ROWS_PER_SLICE, key_slices, repeated, site_hash, site_key
from prep.config import BoilerplateConfig
from prep.stage import Frames

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


def find_template_lines(keys: pl.LazyFrame, config: BoilerplateConfig,
                        rows_per_slice: int = ROWS_PER_SLICE) -> pl.DataFrame:
    """(site, key) of the lines to remove, from all shards' `line_keys`, one key slice at a time."""
    streaming = {"engine": "streaming"}  # all shards' lines: more than memory should hold at once
    sites = (keys.group_by("site").agg(site_docs=pl.col("order").n_unique())
             .filter(pl.col("site_docs") >= config.min_site_docs)
             .with_columns(site_id=site_hash()).collect(**streaming))
    slices = [part.with_columns(site_key()) for part in key_slices(keys, rows_per_slice)]
    recurring = [repeated(part.select("site_key"), config.min_docs).select("site_key") for part in slices]
    recurring_lines = pl.concat([
        part.join(found.lazy(), on="site_key", how="semi").group_by("order").agg(recurs=pl.len())
        for part, found in zip(slices, recurring, strict=True)
    ]).group_by("order").agg(pl.col("recurs").sum())
    copies = (  # pages whose lines mostly recur elsewhere: copies of one story, not evidence
        keys.group_by("order").agg(lines=pl.len())
        .join(recurring_lines, on="order")
        .filter(pl.col("recurs") > config.max_doc_repeat_share * pl.col("lines"))
        .select("order").collect(**streaming)
    )
    evidence = [
        part.join(found.lazy(), on="site_key", how="semi")
        .join(copies.lazy(), on="order", how="anti")
        .group_by("site", "key").agg(docs=pl.len())
        .join(sites.lazy(), left_on="site", right_on="site_id", suffix="_name")
        .filter((pl.col("docs") >= config.min_docs) & (pl.col("docs") >= config.min_share * pl.col("site_docs")))
        .select(site="site_name", key="key").collect(**streaming)
        for part, found in zip(slices, recurring, strict=True)
    ]
    return pl.concat(evidence).sort("site", "key")


def stage(frames: Frames, config: BoilerplateConfig) -> Frames:
    """`rule` set on the lines the reduce found the document's site repeating."""
    return Frames(frames.docs, mark_template_lines(frames.lines, frames.docs, frames.corpus.template), frames.corpus)


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
