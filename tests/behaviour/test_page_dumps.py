"""Page dumps (a page's whole visible text: menus, footers, related lists around the article)
through the real `prep` command, read back with polars and DuckDB."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest

from tests.clean.pagedumps import page_dump
from tests.conftest import read_table, run_prep

PAGES = 4


@pytest.fixture(scope="module")
def dumps_run(tmp_path_factory) -> tuple[Path, dict[str, tuple[str, list[str], list[str]]]]:
    work = tmp_path_factory.mktemp("dumps-run")
    pages = {}
    for i in range(PAGES):
        # each page on a site of its own: no site template gives the chrome away
        folder = work / "in" / f"site{i}.example"
        folder.mkdir(parents=True)
        pages[f"page{i}.txt"] = page_dump(100 + i)
        (folder / f"page{i}.txt").write_text(pages[f"page{i}.txt"][0], encoding="utf-8")
    result = run_prep("run", "in", "--out", "out", cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "out", pages


def test_the_article_survives_whole_and_its_page_chrome_goes(dumps_run):
    out, pages = dumps_run
    corpus = read_table(out, "corpus")
    assert corpus.height == PAGES  # no two pages grouped as duplicates through their chrome
    for row in corpus.iter_rows(named=True):
        _, article, chrome = pages[Path(row["source_path"]).name]
        kept = row["text"].splitlines()
        assert all(line in kept for line in article), row["source_path"]  # title and every paragraph
        assert row["title"] == article[0]
        left = [line for line in chrome if line in kept]
        assert len(left) <= 0.2 * len(chrome), left
        assert {r["rule"] for r in row["removed"]} <= {"page_chrome", "chrome_model", "site_boilerplate",
                                                       "foreign_headline"} | _named_rules()


def _named_rules() -> set[str]:
    from prep.clean.catalogue import CATALOGUE

    return {rule.name for rule in CATALOGUE}


def test_duckdb_reads_the_removals_by_rule(dumps_run):
    out, _ = dumps_run
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT r.rule, count(*) FROM read_parquet('{out}/corpus/*.parquet'), unnest(removed) AS t(r) "
        "GROUP BY r.rule ORDER BY 2 DESC").fetchall()
    by_rule = dict(rows)
    assert by_rule.get("page_chrome", 0) >= 0.5 * sum(by_rule.values())
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["removed_lines_by_rule"]["page_chrome"] == by_rule["page_chrome"]


@pytest.mark.parametrize("target", ["fifo", "junk.npz"])
def test_a_page_model_path_that_is_not_a_model_is_refused(tmp_path: Path, target: str):
    if target == "fifo":
        os.mkfifo(tmp_path / "fifo")
    else:
        (tmp_path / target).write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "c.toml").write_text(f'[clean.page]\npath = "{target}"\n', encoding="utf-8")
    result = run_prep("validate-config", "c.toml", cwd=tmp_path, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "clean.page.path: cannot load" in result.stderr
