"""Grouping against earlier outputs: earlier documents rank first and are never dropped, so with
keep = "first" one pass over day 1 then day 2 against day 1 decides as one pass over both."""

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from prep.config import DedupConfig
from prep.dedup.groups import group_documents
from tests.dedup.helpers import sentences, write_features

FIRST = DedupConfig(keep="first")


def frame(texts: list[str], ids: list[str]) -> pl.DataFrame:
    return pl.DataFrame({"order": list(range(len(texts))), "doc_id": ids, "text": texts, "published": None},
                        schema={"order": pl.Int64, "doc_id": pl.String, "text": pl.String, "published": pl.String})


def decide(docs: pl.DataFrame, tmp: Path, config: DedupConfig, earlier: list[pl.DataFrame] = ()) -> pl.DataFrame:
    """Decisions for `docs` (in shards of 3) against the kept documents `earlier` of earlier outputs."""
    staged = [write_features(e, config, tmp / f"earlier-{k}", 1000) for k, e in enumerate(earlier)]
    shards = write_features(docs, config, tmp / "new", 3)
    got = group_documents(shards, config, staged).sort("order")
    return got.with_columns(doc_id=docs["doc_id"], cluster_id=pl.col("cluster_id").fill_null(docs["doc_id"]))


def chain_corpus() -> tuple[list[str], list[str]]:
    """Stories told in overlapping versions: neighbours are near-duplicates, versions two apart are
    not (a chain), plus exact copies and unrelated stories."""
    texts, ids = [], []
    for story in range(6):
        s = sentences(500 + story, 22)
        versions = [" ".join(s[k:k + 10]) for k in (0, 4, 8, 12)]
        for v, text in enumerate([*versions, versions[1].upper()]):
            texts.append(text)
            ids.append(f"s{story}v{v}")
    for i in range(6):
        texts.append(" ".join(sentences(900 + i, 10)))
        ids.append(f"u{i}")
    return texts, ids


@pytest.mark.parametrize("seed", range(6))
def test_day2_against_day1_decides_as_one_pass_over_both_days(tmp_path: Path, seed: int):
    texts, ids = chain_corpus()
    rng = np.random.default_rng(seed)
    day = rng.integers(0, 2, len(texts))
    order = rng.permutation(len(texts))
    day1 = [i for i in order if day[i] == 0]
    day2 = [i for i in order if day[i] == 1]
    pick = lambda idx: frame([texts[i] for i in idx], [ids[i] for i in idx])  # noqa: E731
    both = decide(pick(day1 + day2), tmp_path / "both", FIRST)
    first = decide(pick(day1), tmp_path / "day1", FIRST)
    kept1 = pick(day1).filter(first["dup_reason"].is_null())
    second = decide(pick(day2), tmp_path / "day2", FIRST, [kept1])
    columns = ["doc_id", "cluster_id", "dup_reason", "similarity"]
    assert second.select(columns).equals(both.slice(len(day1)).select(columns))
    assert first.select(columns).equals(both.head(len(day1)).select(columns))
    assert second["dup_reason"].is_not_null().sum() > 0


def test_earlier_documents_are_never_dropped_whatever_the_keep_rule(tmp_path: Path):
    s = sentences(7, 12)
    short, longer = " ".join(s[:10]), " ".join(s + sentences(8, 3))
    for keep in ("longest", "newest"):
        config = DedupConfig(keep=keep)
        got = decide(frame([longer], ["new"]), tmp_path / keep, config, [frame([short], ["old"])])
        assert got.row(0, named=True) | {"similarity": None} == {
            "order": 0, "cluster_id": "old", "cluster_size": 2, "similarity": None, "dup_reason": "near_duplicate",
            "against": 0, "doc_id": "new"}


def test_a_copy_joins_the_first_earlier_output_and_earlier_copies_stay(tmp_path: Path):
    a, b = " ".join(sentences(11, 10)), " ".join(sentences(12, 10))
    got = decide(frame([a, b, " ".join(sentences(13, 10))], ["n0", "n1", "n2"]), tmp_path, FIRST,
                 [frame([a], ["day1-a"]), frame([a.upper(), b], ["day2-a", "day2-b"])])
    assert got["cluster_id"].to_list() == ["day1-a", "day2-b", "n2"]
    assert got["against"].to_list() == [0, 1, None]
    assert got["dup_reason"].to_list() == ["exact_duplicate", "exact_duplicate", None]


@pytest.mark.parametrize("exact", [True, False])
def test_the_same_record_read_again_is_an_exact_duplicate_even_if_cleaned_otherwise(tmp_path: Path, exact: bool):
    s = sentences(21, 10)
    config = DedupConfig(keep="first", exact=exact)
    got = decide(frame([" ".join(s[1:]), " ".join(sentences(22, 10))], ["same", "other"]), tmp_path, config,
                 [frame([" ".join(s)], ["same"])])
    assert got["dup_reason"].to_list() == ["exact_duplicate", None]
    assert got["cluster_id"].to_list() == ["same", "other"]
    assert got["similarity"][0] == 1.0
