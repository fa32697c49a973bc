"""Mojibake in HTML is undone before the page is parsed, where it can still be read: the parser
drops the C1 controls of UTF-8 read as Latin-1 ("weâ\\x80\\x99ve"), and what it leaves ("weâve")
says nothing of what it was. Through the real CLI, HTML files and JSONL records with HTML."""

from __future__ import annotations

import json
from pathlib import Path

from tests import badinputs as bad
from tests.conftest import read_table, run_prep


def mangled(text: str, codec: str) -> str:
    """`text` as a page shows it once its UTF-8 was decoded with `codec` upstream."""
    return text.encode("utf-8").decode(codec)


SAID = "We said that we’ve been here before, and it’s true: the café stays open."


def test_mojibake_in_a_page_is_undone_before_extraction(tmp_path: Path):
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    for codec in ("latin-1", "cp1252"):  # C1 controls for Latin-1; visible characters for cp1252
        body = f"{mangled(SAID, codec)} {bad.story(1)}</p><p>{bad.story(2)}"
        page = bad.page(body, title=mangled("It’s the harbour’s day", codec))
        (crawl / f"{codec}.html").write_bytes(page.encode("utf-8"))
        with (crawl / f"{codec}.jsonl").open("w") as stream:
            stream.write(json.dumps({"url": f"https://news.example/{codec}", "html": page.replace("1", "3")}) + "\n")
    result = run_prep("run", "crawl", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    docs = read_table(tmp_path / "out", "corpus").vstack(read_table(tmp_path / "out", "dropped"))
    assert docs.height == 4
    for row in docs.iter_rows(named=True):
        assert SAID in row["text"], (row["source_path"], row["text"][:200])
        assert row["title"] == "It’s the harbour’s day", row["source_path"]
