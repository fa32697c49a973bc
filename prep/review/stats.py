"""What a finished run did, in figures: the facts `prep inspect` prints and `prep report` plots.

Everything is computed from the output tables (polars, lazily: only the columns needed are
read) and the manifest, so it describes exactly what was written. Lengths are in words
(whitespace-separated), the unit of `limits.min_words`; "before cleaning" is the cleaned text
plus the lines cleaning removed.
"""

from __future__ import annotations

import polars as pl

from prep.sinks.output import RunOutput

WORDS = r"\S+"
QUANTILES = {"p10": 0.1, "p25": 0.25, "median": 0.5, "p75": 0.75, "p90": 0.9}
LENGTH_EDGES = (0, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000)
STREAMING = "streaming"  # in batches: the text of a large corpus need not fit in memory


def drop_reasons(run: RunOutput, examples: int = 3) -> pl.DataFrame:
    """(reason, records, share, examples): each drop reason with its count, its share of the
    records read, and for reasons with details a few of them (`unreadable: truncated gzip at
    byte 812`)."""
    read = run.manifest["counts"]["records_read"] or 1
    return (
        run.table("dropped").select(reason="drop_reason", detail="drop_detail").collect()
        .group_by("reason")
        .agg(records=pl.len(),
             examples=(pl.col("reason") + ": " + pl.col("detail")).drop_nulls()
             .unique(maintain_order=True).sort().head(examples))
        .with_columns(share=pl.col("records") / read)
        .sort(["records", "reason"], descending=[True, False])
        .select("reason", "records", "share", "examples")
    )


def removed_lines(run: RunOutput) -> pl.LazyFrame:
    """(doc_id, line, rule): every removed line of every record, corpus and dropped."""
    return (
        run.documents().select("doc_id", "removed").explode("removed").drop_nulls("removed")
        .select("doc_id", pl.col("removed").struct.field("line"), pl.col("removed").struct.field("rule"))
    )


def removal_rules(run: RunOutput, examples: int = 3) -> pl.DataFrame:
    """(rule, lines, chars, docs, examples): what each rule removed, with its most frequent lines
    and how often each was removed."""
    lines = removed_lines(run)
    by_rule = lines.group_by("rule").agg(lines=pl.len(), chars=pl.col("line").str.len_chars().sum(),
                                         docs=pl.col("doc_id").n_unique()).collect(engine=STREAMING)
    common = (
        lines.group_by("rule", "line").agg(count=pl.len()).collect(engine=STREAMING)
        .sort(["rule", "count", "line"], descending=[False, True, False])
        .group_by("rule", maintain_order=True).head(examples)
        .group_by("rule", maintain_order=True).agg(examples=pl.struct("line", "count"))
    )
    return (by_rule.join(common, on="rule", how="left")
            .sort(["lines", "rule"], descending=[True, False]))


def duplicate_groups(run: RunOutput) -> pl.DataFrame:
    """(cluster_id, size, kept_earlier, exact, near, min_similarity, title, source_path): every
    group of two or more copies, largest first. `size` counts every member, the kept document
    included when it belongs to an earlier output the run was deduplicated against
    (`kept_earlier`); title and source_path are the kept document's, null when it is earlier."""
    return (
        run.documents().filter(pl.col("cluster_size") > 1)
        .select("doc_id", "cluster_id", "cluster_size", "drop_reason", "similarity", "title", "source_path")
        .group_by("cluster_id")
        .agg(size=pl.col("cluster_size").max(),
             kept_earlier=(pl.col("doc_id") != pl.col("cluster_id")).all(),
             exact=(pl.col("drop_reason") == "exact_duplicate").sum(),
             near=(pl.col("drop_reason") == "near_duplicate").sum(),
             min_similarity=pl.col("similarity").min(),
             title=pl.col("title").filter(pl.col("doc_id") == pl.col("cluster_id")).first(),
             source_path=pl.col("source_path").filter(pl.col("doc_id") == pl.col("cluster_id")).first())
        .sort(["size", "cluster_id"], descending=[True, False])
        .collect(engine=STREAMING)
    )


def group_sizes(groups: pl.DataFrame) -> pl.DataFrame:
    """(size, groups): how many groups have each size."""
    return groups.group_by("size").agg(groups=pl.len()).sort("size")


def lengths(run: RunOutput) -> pl.DataFrame:
    """(doc_id, before, after): words of every corpus document before and after cleaning."""
    removed_words = pl.col("removed").list.eval(pl.element().struct.field("line").str.count_matches(WORDS)).list.sum()
    return (
        run.table("corpus")
        .select("doc_id", after=pl.col("text").str.count_matches(WORDS).cast(pl.Int64),
                removed=removed_words.fill_null(0).cast(pl.Int64))
        .select("doc_id", before=pl.col("after") + pl.col("removed"), after="after")
        .collect(engine=STREAMING)
    )


def length_quantiles(words: pl.DataFrame) -> pl.DataFrame:
    """(stage, docs, min, p10, ..., max, mean) for `before` and `after`."""
    rows = []
    for stage in ("before", "after"):
        column = words[stage]
        row = {"stage": stage, "docs": words.height}
        if words.height:
            row |= {"min": column.min(), **{k: column.quantile(q, "nearest") for k, q in QUANTILES.items()},
                    "max": column.max(), "mean": round(column.mean(), 1)}
        rows.append(row)
    return pl.DataFrame(rows)


def length_histogram(words: pl.DataFrame) -> pl.DataFrame:
    """(bucket, before, after): documents per length bucket (LENGTH_EDGES), before and after,
    from the first bucket with a document to the last."""
    labels = [f"{lo:,}–{hi - 1:,}" for lo, hi in zip(LENGTH_EDGES, LENGTH_EDGES[1:], strict=False)]
    labels.append(f"{LENGTH_EDGES[-1]:,}+")

    def count(stage: str) -> list[int]:
        bucket = words[stage].cut(list(LENGTH_EDGES[1:]), labels=labels, left_closed=True)
        counts = bucket.value_counts()
        found = dict(zip(counts[bucket.name].cast(pl.String), counts["count"], strict=True))
        return [found.get(label, 0) for label in labels]

    table = pl.DataFrame({"bucket": labels, "before": count("before"), "after": count("after")})
    used = table.with_row_index("i").filter((pl.col("before") + pl.col("after")) > 0)["i"]
    return table.slice(used.min(), used.max() - used.min() + 1) if len(used) else table.clear()
