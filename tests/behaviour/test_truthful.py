"""Exit codes, summaries and the manifest tell the truth: a run that read nothing fails and names
every file it could not use, with why; the manifest records what ran (inputs and output as
given, the command line, when); a finished output holds no lock file."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from tests import badinputs as bad
from tests.conftest import run_prep


def test_a_run_that_reads_no_record_fails_and_names_each_file_with_its_reason(tmp_path: Path):
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    for name in ("a", "b"):  # the text is in `content`, a column prep is not told of
        pl.DataFrame({"content": [bad.story(1), bad.story(2)]}).write_parquet(crawl / f"{name}.parquet")
    (crawl / "notes.docx").write_bytes(b"PK\x03\x04 not read")
    (crawl / "more.docx").write_bytes(b"PK\x03\x04 not read either")
    result = run_prep("run", "crawl", "--out", "out", "--summary-json", "summary.json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    for name in ("a", "b"):
        assert any(line.startswith(f"prep: could not read crawl/{name}.parquet: ") and "column" in line
                   for line in lines), result.stderr
    assert ("prep: ignored 2 files of an unsupported type (.docx): crawl/more.docx, crawl/notes.docx"
            in lines), result.stderr
    assert lines[-1] == ("prep: error: no record was read (2 files could not be read; 2 files of an unsupported "
                         "type ignored, listed above); the output is written for inspection: prep inspect out")
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["status"] == "failed" and summary["exit_code"] == 1
    assert summary["error"].startswith("no record was read")
    assert [e["path"] for e in summary["file_errors"]] == ["crawl/a.parquet", "crawl/b.parquet"]
    assert summary["ignored_files"] == {".docx": ["crawl/more.docx", "crawl/notes.docx"]}
    assert (tmp_path / "out" / "manifest.json").is_file()  # written, for `prep inspect` to show why
    again = run_prep("run", "crawl", "--out", "out", cwd=tmp_path)  # the same command: still a failure
    assert again.returncode == 1 and again.stderr.splitlines()[-1] == lines[-1], again.stderr


def test_files_not_read_are_named_in_the_summary_of_a_run_that_read_others(tmp_path: Path):
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    (crawl / "story.txt").write_text(bad.story(3))
    pl.DataFrame({"content": [bad.story(1)]}).write_parquet(crawl / "a.parquet")
    (crawl / "notes.docx").write_bytes(b"PK\x03\x04")
    result = run_prep("run", "crawl", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "prep: read 1 record from 1 file (1 file error): kept 1 (100.0%), dropped 0" in result.stderr
    assert "prep: could not read crawl/a.parquet: " in result.stderr
    assert "prep: ignored 1 file of an unsupported type (.docx): crawl/notes.docx" in result.stderr


def test_the_manifest_records_what_ran_and_the_parts_do_not_depend_on_where(tmp_path: Path):
    (tmp_path / "in").mkdir()
    for i in range(3):
        (tmp_path / "in" / f"{i}.txt").write_text(bad.story(i))
    shutil.copytree(tmp_path / "in", tmp_path / "elsewhere" / "in")
    (tmp_path / "my.toml").write_text('[input]\npaths = ["seeds"]\n[output]\ndir = "out"\n')
    before = datetime.now(UTC).replace(microsecond=0)
    first = run_prep("run", "in", "--out", "result", "-c", "my.toml", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    manifest = json.loads((tmp_path / "result" / "manifest.json").read_text())
    assert manifest["config"]["input"]["paths"] == ["in"]
    assert manifest["config"]["output"]["dir"] == "result"
    invocation = manifest["invocation"]
    assert invocation["command_line"].endswith(" run in --out result -c my.toml")
    assert invocation["cwd"] == str(tmp_path)
    started = datetime.fromisoformat(invocation["started_at"])
    assert started.utcoffset().total_seconds() == 0 and invocation["started_at"].endswith("Z")
    assert before <= started <= datetime.fromisoformat(invocation["finished_at"]) <= datetime.now(UTC)
    # the same inputs from another folder, written elsewhere: the same part files, byte for byte
    second = run_prep("run", str(tmp_path / "elsewhere" / "in"), "--out", "other", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    for table in ("corpus", "dropped", "dedup/signatures"):
        parts = sorted(p.name for p in (tmp_path / "result" / table).iterdir())
        assert parts == sorted(p.name for p in (tmp_path / "other" / table).iterdir())
        for name in parts:
            assert (tmp_path / "result" / table / name).read_bytes() == (tmp_path / "other" / table / name).read_bytes()
    footer = pl.read_parquet_metadata(tmp_path / "result" / "corpus" / "part-00000.parquet")
    assert "paths" not in json.loads(footer["prep.config"])["input"]
    assert footer["prep.config_sha256"] == manifest["config_sha256"]


def test_a_finished_output_holds_no_lock_file(tmp_path: Path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(bad.story(1))
    assert run_prep("run", "in", "--out", "out", cwd=tmp_path).returncode == 0
    assert not (tmp_path / "out" / ".prep.lock").exists()
    assert run_prep("run", "in", "--out", "out", cwd=tmp_path).returncode == 0  # up to date: still none
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["corpus", "dedup", "dropped", "manifest.json"]


def test_published_values_that_are_no_date_are_counted(tmp_path: Path):
    values = ["2024-03-05", "March 5, 2024", "03/05/2024", "2024", "yesterday", "", None]
    (tmp_path / "news.jsonl").write_text("".join(
        json.dumps({"text": bad.story(i), "published": value}) + "\n" for i, value in enumerate(values)))
    result = run_prep("run", "news.jsonl", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["counts"]["published_unreadable"] == 3  # "03/05/2024", "2024", "yesterday"
    assert "prep: dates: 3 published values could not be read as a date (left null)" in result.stderr
    published = pl.read_parquet(tmp_path / "out" / "*" / "*.parquet", columns=["source_index", "published"])
    assert published.sort("source_index")["published"].to_list() == ["2024-03-05", "2024-03-05"] + [None] * 5
