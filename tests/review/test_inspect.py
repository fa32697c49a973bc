"""`prep inspect` on a real run: its figures agree with what DuckDB and polars read from the files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import run_prep
from tests.review.conftest import FinishedRun
from tests.review.corpus import CHROME, TEMPLATE_LINE
from tests.review.readers import query, read_all


@pytest.fixture(scope="module")
def facts(finished_run: FinishedRun) -> dict:
    result = run_prep("inspect", "out", "--json", "--top", "50", cwd=finished_run.root)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def screen(finished_run: FinishedRun) -> str:
    result = run_prep("inspect", "out", cwd=finished_run.root)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_counts_and_gates(facts: dict, finished_run: FinishedRun):
    rows = read_all(finished_run.out)
    assert facts["counts"]["records_read"] == rows.height
    assert facts["counts"]["kept"] == rows.filter(pl.col("drop_reason").is_null()).height
    assert [(g["gate"], g["passed"]) for g in facts["gates"]] == [
        ("min_docs_kept", True), ("max_drop_rate", True), ("max_errors", True)]
    assert facts["file_errors"] == [{"path": "crawl/post/export.parquet",
                                     "reason": facts["file_errors"][0]["reason"]}]
    assert "no column" in facts["file_errors"][0]["reason"]


def test_drop_reasons_match_the_dropped_table(facts: dict, finished_run: FinishedRun):
    expected = dict(query(finished_run.out, "SELECT regexp_extract(drop_reason, '^([a-z_]+)', 1), count(*) "
                                            "FROM docs WHERE drop_reason IS NOT NULL GROUP BY 1"))
    assert {r["reason"]: r["records"] for r in facts["drop_reasons"]} == expected
    assert set(expected) == {"exact_duplicate", "near_duplicate", "unreadable", "empty", "too_short"}
    unreadable = next(r for r in facts["drop_reasons"] if r["reason"] == "unreadable")
    assert any(e.startswith("unreadable: truncated gzip at byte") for e in unreadable["examples"])
    counts = [r["records"] for r in facts["drop_reasons"]]
    assert counts == sorted(counts, reverse=True)


def test_removal_rules_match_the_removed_lines(facts: dict, finished_run: FinishedRun):
    expected = {rule: (lines, chars, docs) for rule, lines, chars, docs in query(
        finished_run.out, "SELECT r.rule, count(*), sum(length(r.line)), count(DISTINCT doc_id) "
                          "FROM docs, unnest(removed) AS t(r) GROUP BY 1")}
    got = {r["rule"]: (r["lines"], r["chars"], r["docs"]) for r in facts["removal_rules"]["top"]}
    assert got == expected
    assert {"breadcrumb", "share", "subscribe", "caption", "copyright", "site_boilerplate"} <= set(got)
    by_rule = {r["rule"]: r for r in facts["removal_rules"]["top"]}
    assert by_rule["share"]["examples"][0]["line"] == CHROME["share"]
    assert by_rule["share"]["examples"][0]["count"] == expected["share"][0]  # every share line is that one
    assert by_rule["site_boilerplate"]["examples"][0]["line"] == TEMPLATE_LINE
    assert "share buttons" in by_rule["share"]["doc"]
    manifest = json.loads((finished_run.out / "manifest.json").read_text())
    assert {rule: lines for rule, (lines, _, _) in got.items()} == manifest["counts"]["removed_lines_by_rule"]


def test_largest_duplicate_group(facts: dict, finished_run: FinishedRun):
    groups = facts["duplicate_groups"]
    largest = groups["largest"][0]
    members = read_all(finished_run.out).filter(pl.col("cluster_id") == largest["cluster_id"])
    assert largest["size"] == members.height == 4
    assert (largest["exact"], largest["near"]) == (1, 2)
    assert largest["min_similarity"] == pytest.approx(members["similarity"].min())
    assert largest["source_path"] == "crawl/herald/story-0.txt"
    (in_groups,) = query(finished_run.out, "SELECT count(*) FROM docs WHERE cluster_size > 1")[0]
    assert groups["documents"] == in_groups
    assert {s["size"]: s["groups"] for s in groups["sizes"]} == {2: 1, 4: 1}


def test_length_distribution(facts: dict, finished_run: FinishedRun):
    corpus = pl.read_parquet(finished_run.out / "corpus" / "*.parquet")
    after = [len(text.split()) for text in corpus["text"]]
    before = [words + sum(len(r["line"].split()) for r in removed)
              for words, removed in zip(after, corpus["removed"].to_list(), strict=True)]
    assert before != after  # cleaning cut lines from some of them
    quantiles = {q["stage"]: q for q in facts["lengths"]["quantiles"]}
    for stage, words in (("before", before), ("after", after)):
        got = quantiles[stage]
        assert (got["docs"], got["min"], got["max"]) == (len(words), min(words), max(words))
        assert got["mean"] == pytest.approx(sum(words) / len(words), abs=0.05)
        assert got["min"] <= got["p10"] <= got["median"] <= got["p90"] <= got["max"]
    histogram = facts["lengths"]["histogram"]
    assert sum(b["after"] for b in histogram) == sum(b["before"] for b in histogram) == corpus.height


def test_terminal_tables(screen: str, facts: dict):
    for title in ("Drop reasons", "Removal rules", "Largest duplicate groups", "Document length in words",
                  "Files that yielded no record"):
        assert title in screen
    share = next(r for r in facts["removal_rules"]["top"] if r["rule"] == "share")
    assert f"{share['lines']}× Share on Facebook" in screen
    assert "✓ max_drop_rate: drop_rate" in screen
    assert "1× [Advertisement]" in screen  # corpus text is not read as rich markup
    largest = facts["duplicate_groups"]["largest"][0]
    assert largest["cluster_id"][:12] in screen
    assert "\x1b[" not in screen  # piped: no colour codes


def test_top_limits_the_tables(finished_run: FinishedRun):
    result = run_prep("inspect", "out", "--json", "--top", "2", "--examples", "1", cwd=finished_run.root)
    facts = json.loads(result.stdout)
    assert len(facts["removal_rules"]["top"]) == 2 and facts["removal_rules"]["total"] == 7
    assert all(len(r["examples"]) == 1 for r in facts["removal_rules"]["top"])
    assert len(facts["duplicate_groups"]["largest"]) == 2


def test_not_a_finished_run(tmp_path: Path, finished_run: FinishedRun):
    assert "is not a directory" in run_prep("inspect", "nowhere", cwd=tmp_path).stderr
    empty = run_prep("inspect", tmp_path, cwd=tmp_path)
    assert empty.returncode == 2 and "holds no prep run: no manifest.json" in empty.stderr
    unfinished = tmp_path / "unfinished"
    (unfinished / ".prep").mkdir(parents=True)
    result = run_prep("inspect", unfinished, cwd=tmp_path)
    assert result.returncode == 2 and "holds an unfinished run" in result.stderr
    broken = tmp_path / "broken"
    shutil.copytree(finished_run.out, broken)
    next((broken / "corpus").glob("*.parquet")).unlink()
    result = run_prep("inspect", broken, cwd=tmp_path)
    assert result.returncode == 2 and "part files that are missing" in result.stderr
