"""A crawl in WARC files through the installed `prep` command, read back with polars and DuckDB."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests import badinputs as bad
from tests.conftest import read_table, run_prep, with_detail
from tests.warcs import Capture, Warc, html_page

OWN_DATE = '<meta property="article:published_time" content="2023-11-02T08:00:00+00:00">'


def write_crawl(folder: Path) -> dict[str, int]:
    """Two WARC files of a small news crawl; returns the WARC records each holds."""
    folder.mkdir()
    warc = Warc().warcinfo()
    for i in range(5):  # five stories; the first names its own date
        head = OWN_DATE if i == 0 else ""
        warc.capture(Capture(f"https://daily.example/story-{i}", html_page(f"Story {i}", [bad.story(i)], head)
                             .encode(), date=f"2024-05-0{i + 1}T06:00:00Z", metadata=True))
    # the wire copy of story 1 on another site, its last sentence cut, under another site's chrome
    shorter = " ".join(bad.story(1).split()[:-12])
    copy = html_page("Story 1", [shorter]).replace("Home | World | Sport", "Front page | Local")
    warc.capture(Capture("https://herald.example/wire/1", copy.encode(), date="2024-05-06T06:00:00Z"))
    warc.capture(Capture("https://daily.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), content_type="image/png"))
    warc.capture(Capture("https://daily.example/old", b"", status="301 Moved Permanently"))
    warc.save(folder / "crawl.warc.gz")

    later = Warc(gzipped=False)
    for i in range(5, 8):
        later.capture(Capture(f"https://daily.example/story-{i}", html_page(f"Story {i}", [bad.story(i)]).encode(),
                              date="2024-05-09T06:00:00Z"))
    (folder / "cut.warc").write_bytes(later.bytes()[:-150])  # cut inside the last page
    return {"in/crawl.warc.gz": warc.records, "in/cut.warc": later.records}


def run(root: Path, out: str, shard_records: int) -> Path:
    (root / f"{out}.toml").write_text(f"[run]\nshard_records = {shard_records}\n")
    result = run_prep("run", "in", "--out", out, "--config", f"{out}.toml", "--workers", "2", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / out


@pytest.fixture(scope="module")
def crawl_run(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    root = tmp_path_factory.mktemp("warc")
    records = write_crawl(root / "in")
    return run(root, "out", shard_records=4), records


def test_pages_become_documents_with_url_date_and_record_number(crawl_run):
    out, _ = crawl_run
    con = duckdb.connect()
    rows = con.execute(f"""SELECT source_path, source_index, url, published, source_format
                           FROM read_parquet('{out}/*/*.parquet', union_by_name=true)
                           WHERE drop_reason IS NULL ORDER BY source_path, source_index""").fetchall()
    assert rows == [
        ("in/crawl.warc.gz", 2, "https://daily.example/story-0", "2023-11-02", "warc"),  # its own date
        ("in/crawl.warc.gz", 5, "https://daily.example/story-1", "2024-05-02T06:00:00Z", "warc"),  # captured
        ("in/crawl.warc.gz", 8, "https://daily.example/story-2", "2024-05-03T06:00:00Z", "warc"),
        ("in/crawl.warc.gz", 11, "https://daily.example/story-3", "2024-05-04T06:00:00Z", "warc"),
        ("in/crawl.warc.gz", 14, "https://daily.example/story-4", "2024-05-05T06:00:00Z", "warc"),
        ("in/cut.warc", 1, "https://daily.example/story-5", "2024-05-09T06:00:00Z", "warc"),
        ("in/cut.warc", 3, "https://daily.example/story-6", "2024-05-09T06:00:00Z", "warc"),
    ]
    corpus = read_table(out, "corpus")
    assert bad.story(0) in corpus.filter(pl.col("source_index") == 2)["text"][0]
    assert not corpus["text"].str.contains("Home | World").any()


def test_copies_the_break_and_nothing_else_are_dropped(crawl_run):
    out, _ = crawl_run
    corpus, dropped = read_table(out, "corpus"), with_detail(read_table(out, "dropped"))
    reasons = dict(zip(dropped["url"], dropped["drop_reason"], strict=True))
    assert reasons.keys() == {"https://herald.example/wire/1", "https://daily.example/story-7"}
    assert reasons["https://herald.example/wire/1"] == "near_duplicate"
    assert reasons["https://daily.example/story-7"].startswith("unreadable: truncated WARC record: ")
    copy = dropped.filter(pl.col("url") == "https://herald.example/wire/1").row(0, named=True)
    kept = corpus.filter(pl.col("url") == "https://daily.example/story-1").row(0, named=True)
    assert copy["cluster_id"] == kept["doc_id"]


def test_manifest_counts_every_warc_record(crawl_run):
    out, written = crawl_run
    manifest = json.loads((out / "manifest.json").read_text())
    files = {f["source_path"]: f for f in manifest["inputs"]["files"]}
    crawl, cut = files["in/crawl.warc.gz"]["warc"], files["in/cut.warc"]["warc"]
    assert crawl == {"records": written["in/crawl.warc.gz"], "documents": 6, "skipped": {
        "metadata": 5, "request": 8, "response: image/png": 1, "response: status 301": 1, "warcinfo": 1}}
    assert cut == {"records": 6, "documents": 3, "skipped": {"request": 3}}  # the break is the last document
    both = pl.concat([read_table(out, table).select("source_path") for table in ("corpus", "dropped")])
    per_file = dict(both.group_by("source_path").len().iter_rows())
    for path, entry in files.items():
        warc = entry["warc"]
        assert warc["records"] == warc["documents"] + sum(warc["skipped"].values())
        assert entry["records"] == warc["documents"] == per_file[path]
    counts = manifest["counts"]
    assert counts["records_read"] == counts["kept"] + counts["dropped"] == sum(per_file.values())
    assert manifest["dependencies"]["warcio"] != "not installed"


def test_one_shard_or_many_give_the_same_tables(crawl_run):
    out, _ = crawl_run
    whole = run(out.parent, "out-one-shard", shard_records=1000)
    for table in ("corpus", "dropped"):
        assert read_table(whole, table).sort("doc_id").equals(read_table(out, table).sort("doc_id"))
    assert len(list((out / "corpus").glob("*.parquet"))) > len(list((whole / "corpus").glob("*.parquet")))



def test_documents_carry_their_record_id_and_offset_and_other_formats_none(crawl_run, tmp_path: Path):
    from warcio.archiveiterator import ArchiveIterator

    out, _ = crawl_run
    with open(out.parent / "in" / "crawl.warc.gz", "rb") as stream:
        records = ArchiveIterator(stream)
        stored = {i: (rec.rec_headers.get_header("WARC-Record-ID"), records.get_record_offset())
                  for i, rec in enumerate(records)}
    rows = duckdb.connect().execute(f"""SELECT source_index, source_id, source_offset
        FROM read_parquet('{out}/*/*.parquet') WHERE source_path = 'in/crawl.warc.gz' ORDER BY 1""").fetchall()
    assert rows and [(rid, offset) for _, rid, offset in rows] == [stored[i] for i, _, _ in rows]
    assert pl.read_parquet(out / "corpus" / "*.parquet").schema["source_offset"] == pl.Int64
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(bad.story(1))
    assert run_prep("run", "in", "--out", "o", cwd=tmp_path).returncode == 0
    assert read_table(tmp_path / "o", "corpus")["source_offset"].to_list() == [None]


def page_text(i: int) -> str:
    """A page's whole visible text, as a WET conversion record holds it."""
    return "\n".join(["Home", "News", "Sport", f"Harbour story number {i}", bad.story(60 + i), bad.story(70 + i),
                      "Share on Facebook", "Privacy Policy"])


def test_wet_conversion_records_are_text_documents(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    wet = Warc().warcinfo("crawl.warc.wet.gz")
    for i in range(3):
        wet.conversion(f"https://daily.example/wet-{i}", page_text(i))
    wet.resource("https://daily.example/image.png", b"\x89PNG", content_type="image/png")
    wet.save(folder / "CC-MAIN-test.warc.wet.gz")
    result = run_prep("run", "in", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = duckdb.connect().execute(
        f"SELECT url, source_format, extractor, source_index, source_id, published, text "
        f"FROM read_parquet('{tmp_path}/out/*/*.parquet') ORDER BY source_index").fetchall()
    assert [r[0] for r in rows] == [f"https://daily.example/wet-{i}" for i in range(3)]
    assert {(r[1], r[2]) for r in rows} == {("warc", "text")}
    assert [r[3] for r in rows] == [1, 2, 3]  # after the warcinfo record
    assert all(r[4].startswith("<urn:uuid:") for r in rows) and {r[5] for r in rows} == {"2024-05-03T10:00:00Z"}
    kept = pl.read_parquet(tmp_path / "out" / "corpus" / "*.parquet")
    assert kept.height == 3 and all(bad.story(60 + i) in text for i, text in enumerate(kept["text"]))
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    (entry,) = manifest["inputs"]["files"]
    assert entry["records"] == 3
    assert entry["warc"] == {"records": 5, "documents": 3, "skipped": {"resource: image/png": 1, "warcinfo": 1}}
