"""`prep report` on a real run: one self-contained HTML file whose plots, tables and sample agree
with the output files, checked as HTML and, where Chromium is installed, rendered in it."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import polars as pl
import pytest
from lxml import html

from tests.conftest import PREP, run_prep
from tests.review.browser import find_chromium, render
from tests.review.conftest import FinishedRun
from tests.review.corpus import MARKUP_LINE
from tests.review.readers import query, read_all

CHARTS = ("chart-rules", "chart-reasons", "chart-group-sizes", "chart-lengths")
NO_CHROMIUM = ("no Chromium on this machine (Debian: apt-get install chromium; .ci/run installs it): "
               "the report was checked as HTML only, not rendered in a browser")


@pytest.fixture(scope="module")
def report(finished_run: FinishedRun) -> Path:
    result = run_prep("report", "out", cwd=finished_run.root)  # default place: OUT_DIR/report.html
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "prep: wrote out/report.html"
    return finished_run.out / "report.html"


@pytest.fixture(scope="module")
def page(report: Path) -> html.HtmlElement:
    return html.document_fromstring(report.read_text(encoding="utf-8"))


def test_nothing_is_loaded_from_elsewhere(page: html.HtmlElement, report: Path):
    csp = page.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert csp and "default-src 'none'" in csp[0]
    assert not page.xpath("//script | //link | //iframe | //object | //embed | //img")
    for attribute in page.xpath("//@src | //@href | //@xlink:href",
                                namespaces={"xlink": "http://www.w3.org/1999/xlink"}):
        assert attribute.startswith("#"), attribute
    text = report.read_text(encoding="utf-8")
    assert "@import" not in text and not re.search(r"url\(\s*['\"]?(https?:|//)", text)


def test_plots_are_inline_svg_with_their_labels(page: html.HtmlElement, finished_run: FinishedRun):
    charts = {svg.get("id"): svg for svg in page.xpath("//svg[contains(@class, 'chart')]")}
    assert sorted(charts) == sorted(CHARTS)
    rules = {rule for (rule,) in query(finished_run.out, "SELECT DISTINCT r.rule FROM docs, unnest(removed) t(r)")}
    labels = set(charts["chart-rules"].xpath(".//text()"))
    assert rules <= {label.strip() for label in labels}
    reasons = {"exact_duplicate", "near_duplicate", "unreadable", "empty", "too_short"}
    assert reasons <= {t.strip() for t in charts["chart-reasons"].xpath(".//text()")}
    assert "before cleaning" in charts["chart-lengths"].text_content()
    assert len(set(page.xpath("//svg//@id"))) == len(page.xpath("//svg//@id"))  # no id twice in the page


def _table_after(page: html.HtmlElement, section: str) -> list[list[str]]:
    rows = page.xpath(f"//section[@id='{section}']//table[1]/tbody/tr")
    return [[cell.text_content().strip() for cell in row.xpath("./td")] for row in rows]


def test_tables_agree_with_the_files(page: html.HtmlElement, finished_run: FinishedRun):
    rules = page.xpath("//section[@id='rules']//table/tbody/tr")
    expected = dict(query(finished_run.out, "SELECT r.rule, count(*) FROM docs, unnest(removed) t(r) GROUP BY 1"))
    assert {row.xpath("./td[1]/span/text()")[0]: int(row.xpath("./td[2]/text()")[0]) for row in rules} == expected
    reasons = _table_after(page, "reasons")
    dropped = read_all(finished_run.out).filter(pl.col("drop_reason").is_not_null())
    assert sum(int(row[1]) for row in reasons) == dropped.height
    gates = _table_after(page, "gates")
    assert [(row[0], row[1]) for row in gates] == [("min_docs_kept", "passed"), ("max_drop_rate", "passed"),
                                                   ("max_errors", "passed")]
    largest = _table_after(page, "duplicates")[0]
    assert largest[1] == "4" and "crawl/herald/story-0.txt" in largest[5]
    errors = page.xpath("//section[@id='run']//td[@class='mono']/text()")
    assert "crawl/post/export.parquet" in errors


def test_sample_shows_documents_with_their_removed_lines(page: html.HtmlElement, finished_run: FinishedRun):
    corpus = pl.read_parquet(finished_run.out / "corpus" / "*.parquet")
    articles = page.xpath("//section[@id='sample']//article")
    assert len(articles) == corpus.height  # the default sample of 20 takes all 14
    removed = {row["doc_id"]: row["removed"] for row in corpus.iter_rows(named=True)}
    seen_cut = False
    for article in articles:
        doc_id = article.get("id").removeprefix("doc-")
        cuts = article.xpath(".//div[@class='cut']")
        assert [(c.xpath("./span")[0].text, c.xpath("./span")[0].tail) for c in cuts] == [
            (r["rule"], r["line"]) for r in removed[doc_id]]
        seen_cut = seen_cut or bool(cuts)
    assert seen_cut
    first_removed = [bool(article.xpath(".//div[@class='cut']")) for article in articles]
    assert first_removed == sorted(first_removed, reverse=True)  # documents with cut lines come first


def test_text_that_looks_like_markup_is_shown_not_run(page: html.HtmlElement, report: Path):
    assert MARKUP_LINE in page.xpath("//section[@id='sample']")[0].text_content()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report.read_text(encoding="utf-8")


def test_sample_size_and_output_option(finished_run: FinishedRun, tmp_path: Path):
    target = tmp_path / "reports" / "run.html"
    result = run_prep("report", "out", "--output", target, "--sample", "3", cwd=finished_run.root)
    assert result.returncode == 0, result.stderr
    articles = html.document_fromstring(target.read_text()).xpath("//section[@id='sample']//article")
    assert len(articles) == 3
    assert [bool(a.xpath(".//div[@class='cut']")) for a in articles] == [True, True, False]


def test_report_refuses_a_folder_without_a_run(tmp_path: Path):
    result = run_prep("report", tmp_path, cwd=tmp_path)
    assert result.returncode == 2 and "no manifest.json" in result.stderr
    assert not (tmp_path / "report.html").exists()


def test_report_without_the_extra_says_what_to_install(finished_run: FinishedRun, tmp_path: Path):
    """As if matplotlib were not installed: a stand-in package that fails to import comes first."""
    blocker = tmp_path / "blocked" / "matplotlib"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ModuleNotFoundError(\"No module named 'matplotlib'\", "
                                         "name='matplotlib')\n")
    env = {**os.environ, "PYTHONPATH": str(blocker.parent)}
    result = subprocess.run([str(PREP), "report", "out", "--output", tmp_path / "r.html"], cwd=finished_run.root,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "needs the 'report' extra (matplotlib is not installed): pip install 'prep-corpus[report]'" in result.stderr
    assert not (tmp_path / "r.html").exists()


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        pytest.skip(NO_CHROMIUM)
    return found


def test_report_renders_in_chromium_without_errors(chromium: str, report: Path, tmp_path: Path):
    rendered = render(chromium, report, tmp_path)
    assert rendered.loaded
    assert rendered.errors == []
    assert sorted(c["id"] for c in rendered.charts) == sorted(CHARTS)
    for chart in rendered.charts:
        assert chart["width"] > 300 and chart["height"] > 80, chart
    assert len(rendered.dom.xpath("//table")) >= 6
    assert rendered.dom.xpath("//section[@id='sample']//article")


def test_the_browser_check_sees_errors(chromium: str, report: Path, tmp_path: Path):
    """The harness itself: a page that reaches out, and one whose script fails, are both caught."""
    reaching = tmp_path / "reaching.html"
    reaching.write_text(report.read_text().replace("</main>", '<img src="https://example.invalid/p.png"></main>'))
    errors = render(chromium, reaching, tmp_path).errors
    assert any(e.startswith("csp: img-src https://example.invalid") for e in errors), errors
    failing = tmp_path / "failing.html"
    failing.write_text("<html><head><title>t</title></head><body><script>no_such_function();</script></body></html>")
    errors = render(chromium, failing, tmp_path).errors
    assert any("no_such_function is not defined" in e for e in errors), errors


def test_counts_of_one_read_in_the_singular(seeds_copy: Path, tmp_path: Path):
    """The seeds make one group of two copies; the report says so in words, not '1 groups'."""
    assert run_prep("run", seeds_copy, "--out", "out", cwd=tmp_path).returncode == 0
    assert run_prep("report", "out", cwd=tmp_path).returncode == 0
    document = html.document_fromstring((tmp_path / "out" / "report.html").read_text())
    for element in document.xpath("//style | //*[local-name()='svg']"):  # CSS, and plots' axis ticks and labels
        element.drop_tree()
    text = " ".join(document.text_content().split())
    assert "1 group of copies holds 2 documents" in text
    assert not re.search(r"\b1 (groups|files|documents|words)\b", text), re.findall(r".{40}\b1 [a-z]+s\b", text)
