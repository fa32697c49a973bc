"""`prep explain` on a real run: provenance, removed lines, the duplicate group and the keep rule,
checked against the output files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import run_prep
from tests.review.conftest import FinishedRun
from tests.review.readers import query, read_all


@pytest.fixture(scope="module")
def rows(finished_run: FinishedRun) -> pl.DataFrame:
    return read_all(finished_run.out)


def explain_json(finished_run: FinishedRun, query_text: str) -> dict:
    result = run_prep("explain", "out", query_text, "--json", cwd=finished_run.root)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def by_path(rows: pl.DataFrame, path: str, index: int = 0) -> dict:
    return rows.filter(source_path=path, source_index=index).row(0, named=True)


def test_kept_document_with_removed_lines(finished_run: FinishedRun, rows: pl.DataFrame):
    doc = by_path(rows, "crawl/herald/story-2.txt")
    found = explain_json(finished_run, doc["doc_id"])
    assert found["status"] == "kept" and found["drop_reason"] is None
    assert found["part"].startswith("corpus/part-") and found["verdict"].startswith(f"kept in {found['part']}")
    (part,) = query(finished_run.out, f"SELECT filename FROM read_parquet('{finished_run.out}/corpus/*.parquet', "
                                      f"filename=true) WHERE doc_id = '{doc['doc_id']}'")[0]
    assert part.endswith(found["part"])
    assert found["provenance"]["source_sha256"] == doc["source_sha256"]
    assert found["provenance"]["title"] == doc["title"]
    assert [(r["line"], r["rule"]) for r in found["removed"]] == [(r["line"], r["rule"]) for r in doc["removed"]]
    assert {r["rule"] for r in found["removed"]} == {"breadcrumb", "share", "subscribe", "caption", "copyright"}
    assert all(r["doc"] for r in found["removed"])  # every rule is described
    assert found["cleaned_text"] == doc["text"]
    assert found["group"] is None
    assert found["text"]["words_before_cleaning"] - found["text"]["words"] == sum(
        len(r["line"].split()) for r in doc["removed"])


def test_near_duplicate_with_its_group(finished_run: FinishedRun, rows: pl.DataFrame):
    doc = by_path(rows, "crawl/post/wire-100.txt")
    found = explain_json(finished_run, "crawl/post/wire-100.txt")  # a source_path answers too
    assert found["doc_id"] == doc["doc_id"] and found["drop_reason"] == "near_duplicate"
    assert f"near-duplicate of {doc['cluster_id']}" in found["verdict"]
    assert f"similarity {doc['similarity']:.3f} ≥ dedup.threshold 0.3" in found["verdict"]
    group = found["group"]
    members = rows.filter(cluster_id=doc["cluster_id"])
    assert group["size"] == members.height == 4
    similarities = dict(members.select("doc_id", "similarity").rows())
    assert {m["doc_id"]: m["similarity"] for m in group["members"]} == similarities
    kept = group["members"][0]
    assert kept["kept"] and kept["doc_id"] == doc["cluster_id"] and kept["similarity"] is None
    assert {m["drop_reason"] for m in group["members"][1:]} == {"exact_duplicate", "near_duplicate"}
    # the keep rule of the config, and the kept one really is the longest
    assert group["keep"] == "longest" and "longest cleaned text" in group["why_kept"]
    assert kept["chars"] == max(len(t) for t in members["text"])
    assert f"({kept['chars']:,} characters)" in group["why_kept"]


def test_terminal_output(finished_run: FinishedRun, rows: pl.DataFrame):
    doc = by_path(rows, "crawl/post/wire-100.txt")
    result = run_prep("explain", "out", doc["doc_id"][:10], "--text", cwd=finished_run.root)  # a prefix
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"Document {doc['doc_id']}" in out and "DROPPED near_duplicate" in out
    assert f"Duplicate group {doc['cluster_id']} (4 documents)" in out
    assert "Why this one was kept: dedup.keep = \"longest\"" in out
    for member in rows.filter(cluster_id=doc["cluster_id"])["doc_id"]:
        assert member[:16] in out
    assert "Cleaned text" in out and doc["text"].split("\n")[0] in out


def test_removed_lines_table(finished_run: FinishedRun, rows: pl.DataFrame):
    doc = by_path(rows, "crawl/courier/story-1.txt")
    result = run_prep("explain", "out", doc["doc_id"], cwd=finished_run.root)
    assert "Removed lines (1, in document order)" in result.stdout
    assert "site_boilerplate" in result.stdout and "a line the site repeats on many of" in result.stdout


@pytest.mark.parametrize("path,index,verdict", [
    ("crawl/post/brief.txt", 0, "dropped: 3 words after cleaning, fewer than limits.min_words (5)"),
    ("crawl/post/feed.jsonl", 2, "dropped: no text was left after cleaning; all 2 of its lines were removed"),
    ("crawl/post/feed.jsonl", 3, "dropped: unreadable: invalid JSON"),
])
def test_other_drop_reasons(finished_run: FinishedRun, rows: pl.DataFrame, path: str, index: int, verdict: str):
    found = explain_json(finished_run, by_path(rows, path, index)["doc_id"])
    assert found["verdict"].startswith(verdict)


def test_lookup_by_url_and_source_id(finished_run: FinishedRun, rows: pl.DataFrame):
    doc = by_path(rows, "crawl/post/feed.jsonl", 1)
    assert explain_json(finished_run, "https://post.example/feed-2")["doc_id"] == doc["doc_id"]
    assert explain_json(finished_run, "feed-2")["doc_id"] == doc["doc_id"]
    assert explain_json(finished_run, "feed-2")["provenance"]["published"] == "2025-03-02"


def test_unknown_and_ambiguous_ids(finished_run: FinishedRun, rows: pl.DataFrame):
    unknown = run_prep("explain", "out", "no-such-doc", cwd=finished_run.root)
    assert unknown.returncode == 2 and "no document 'no-such-doc' in out" in unknown.stderr
    # 22 doc_ids, 16 hex digits to start with: some digit starts two of them
    first, matches = rows["doc_id"].str.head(1).value_counts(sort=True).row(0)
    assert matches > 1
    ambiguous = run_prep("explain", "out", first, cwd=finished_run.root)
    assert ambiguous.returncode == 2 and f"'{first}' matches {matches} documents" in ambiguous.stderr
    several = run_prep("explain", "out", "crawl/post/feed.jsonl", cwd=finished_run.root)
    assert several.returncode == 2 and "matches 4 documents" in several.stderr
    assert len(several.stderr.strip().splitlines()) == 1


PARAGRAPHS = [
    "The city council approved the new transport budget on Monday after a debate that lasted most of the day.",
    "Under the plan, bus services will run every ten minutes on the main routes, and fares will stay frozen.",
    "Opposition members said the budget relied on optimistic forecasts of ticket sales and fuel prices.",
    "The mayor said the first new routes would open in the spring, with the rest following by the end of 2027.",
]
MENU = ["Pricing", "Industries", "Solutions for Teams", "Book a demo today"]  # what no named rule describes


@pytest.fixture(scope="module")
def paths_run(tmp_path_factory) -> tuple[Path, pl.DataFrame]:
    """A run given a folder inside a folder, a JSONL file and a file of the working directory."""
    root = tmp_path_factory.mktemp("paths")
    (root / "data" / "crawl").mkdir(parents=True)
    lines = ["Council Approves Transport Budget"]
    for paragraph, label in zip(PARAGRAPHS, MENU, strict=True):
        lines += [paragraph, label]
    (root / "data" / "crawl" / "story.txt").write_text("\n\n".join(lines))
    (root / "data" / "more.jsonl").write_text("".join(json.dumps({"text": f"{p} {q}"}) + "\n"
                                                      for p, q in zip(PARAGRAPHS, PARAGRAPHS[1:], strict=False)))
    (root / "single.txt").write_text("\n\n".join(["Buses Every Ten Minutes", *reversed(PARAGRAPHS)]))
    (root / "sub").mkdir()
    result = run_prep("run", "data/crawl", "data/more.jsonl", "single.txt", "--out", "out", cwd=root)
    assert result.returncode == 0, result.stderr
    return root, read_all(root / "out")


@pytest.mark.parametrize("typed,cwd,source", [
    ("data/crawl/story.txt", ".", ("crawl/story.txt", 0)),        # as given to `prep run`
    ("./data/crawl/story.txt", ".", ("crawl/story.txt", 0)),
    ("crawl/story.txt", ".", ("crawl/story.txt", 0)),             # its source_path
    ("{root}/data/crawl/story.txt", ".", ("crawl/story.txt", 0)),  # absolute
    ("../data/crawl/story.txt", "sub", ("crawl/story.txt", 0)),   # from another directory
    ("data/crawl/story.txt", "sub", ("crawl/story.txt", 0)),      # as typed where the run was started
    ("single.txt", ".", ("single.txt", 0)),                       # an input that is a file
    ("data/more.jsonl#1", ".", ("more.jsonl", 1)),                # a file's record N
])
def test_explain_takes_the_path_given_to_prep_run(paths_run, typed: str, cwd: str, source: tuple[str, int]):
    root, rows = paths_run
    result = run_prep("explain", str(root / "out"), typed.format(root=root), "--json", cwd=root / cwd)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["doc_id"] == by_path(rows, *source)["doc_id"]


def test_a_path_to_a_file_of_several_records_lists_them(paths_run):
    root, _ = paths_run
    result = run_prep("explain", "out", "data/more.jsonl", cwd=root)
    assert result.returncode == 2
    assert "'data/more.jsonl' matches 3 documents" in result.stderr and "more.jsonl#2" in result.stderr
    assert "PATH#N" in result.stderr


def test_lines_the_chrome_model_removed_show_its_probability(paths_run):
    root, _ = paths_run
    found = json.loads(run_prep("explain", "out", "data/crawl/story.txt", "--json", cwd=root).stdout)
    by_model = [r for r in found["removed"] if r["rule"] == "chrome_model"]
    assert by_model, found["removed"]
    for removed in found["removed"]:
        if removed["rule"] == "chrome_model":
            low, high = removed["probability"]
            assert 0 <= low <= high <= 1
        else:
            assert removed["probability"] is None
    assert max(r["probability"][1] for r in by_model) >= found["chrome_model"]["threshold"] == 0.5
    assert found["chrome_model"]["model"] == "the model shipped with prep"
    shown = run_prep("explain", "out", "data/crawl/story.txt", cwd=root, env={"COLUMNS": "200"}).stdout
    assert re.search(r"chrome_model p 0\.\d\d(–[01]\.\d\d)?", shown), shown
    assert "p: the chrome model's probability that the line is chrome" in " ".join(shown.split())
