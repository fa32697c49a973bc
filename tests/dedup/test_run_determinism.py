"""A run's groups and kept documents do not depend on how many shards or workers it used."""

import json
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import read_table, run_prep
from tests.dedup.helpers import sentences


def stories() -> list[str]:
    texts = []
    for i in range(10):
        s = sentences(1000 + i, 10)
        texts += [" ".join(s), " ".join(s[:6] + sentences(1100 + i, 4)), " ".join(s[3:] + sentences(1200 + i, 2)),
                  " ".join(s[:4])]
    return texts


@pytest.mark.slow
def test_groups_are_the_same_whatever_the_shards_and_workers(tmp_path: Path):
    with (tmp_path / "news.jsonl").open("w") as f:
        for i, text in enumerate(stories()):
            f.write(json.dumps({"id": f"r{i}", "text": text}) + "\n")
    (tmp_path / "small.toml").write_text("[run]\nshard_records = 3\n")
    decisions = []
    for name, extra in (("one", ["--workers", "1"]), ("many", ["--workers", "2", "--config", "small.toml"])):
        result = run_prep("run", "news.jsonl", "--out", name, *extra, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        rows = pl.concat([read_table(tmp_path / name, "corpus"), read_table(tmp_path / name, "dropped")],
                         how="diagonal")
        decisions.append(rows.select("source_id", "cluster_id", "cluster_size", "similarity", "drop_reason")
                         .sort("source_id"))
    assert decisions[0].equals(decisions[1])
    assert decisions[0]["drop_reason"].eq("near_duplicate").sum() >= 10


@pytest.mark.slow
def test_html_pages_give_the_same_corpus_whatever_the_shards(tmp_path: Path):
    """Pages cut into shards of two (spread over two workers) clean and group as in one shard:
    lines a site repeats are counted over all its pages, duplicates found across shards."""
    for site in ("a", "b"):
        (tmp_path / "pages" / site).mkdir(parents=True)
    texts = stories()
    for i, text in enumerate(texts[:16]):
        site = "ab"[i % 2]
        body = "".join(f"<p>{s}.</p>" for s in text.split(". "))
        (tmp_path / "pages" / site / f"{i:02d}.html").write_text(
            f"<html><head><title>Story {i}</title></head><body><article><h1>Story {i}</h1>{body}"
            f"<p>Follow site {site} on the network for more stories every day.</p></article></body></html>")
    (tmp_path / "small.toml").write_text("[run]\nshard_pages = 2\n")
    outputs = []
    for name, extra in (("one", ["--workers", "1"]), ("many", ["--workers", "2", "--config", "small.toml"])):
        result = run_prep("run", "pages", "--out", name, *extra, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        manifest = json.loads((tmp_path / name / "manifest.json").read_text())
        assert manifest["html_extraction"]["pages"] == 16
        assert manifest["html_extraction"]["trafilatura_seconds"] > 0
        outputs.append((manifest["counts"], pl.concat([read_table(tmp_path / name, "corpus"),
                                                       read_table(tmp_path / name, "dropped")], how="diagonal")
                        .select("source_path", "text", "removed", "cluster_id", "drop_reason").sort("source_path")))
    # one part per shard of two pages, in the corpus or (a shard whose pages were all copies) in dropped
    parts = {p.name for table in ("corpus", "dropped") for p in (tmp_path / "many" / table).glob("*.parquet")}
    assert len(parts) == 8
    assert outputs[0][1].equals(outputs[1][1])
    assert outputs[0][0] == outputs[1][0]
    assert outputs[0][0]["drop_reasons"].get("near_duplicate", 0) >= 2
    assert outputs[0][0]["removed_lines_by_rule"].get("site_boilerplate", 0) >= 16  # the follow line of each page
