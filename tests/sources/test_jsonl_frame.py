"""The JSONL fast path must give exactly the records the line-by-line path gives, or step aside."""

import json
from pathlib import Path

import polars as pl
import pytest

from prep.config import Config
from prep.schema import RECORD_SCHEMA
from prep.sources import discover
from prep.sources.jsonl import read_lines, records_from_lines
from prep.sources.jsonl_frame import records_frame


def both_paths(tmp_path: Path, rows: list[dict | str]) -> tuple[pl.DataFrame | None, pl.DataFrame]:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    file = discover([path]).files[0]
    config = Config()
    lines = list(read_lines(file, len(rows), config))
    slow = pl.DataFrame(list(records_from_lines(file, 0, lines, config)), schema=RECORD_SCHEMA)
    return records_frame(file, 0, lines, config.input), slow


def test_well_formed_lines_give_the_same_records(tmp_path: Path):
    rows = [{"text": "plain text", "id": 7, "url": " https://a.example/x ", "title": "T", "published": "2024-01-02"},
            {"html": "<p>page</p>", "id": "b", "text": "ignored when html is there"},
            {"text": "", "title": "   "},
            {"other": "no text at all"},
            {"html": None, "text": "fallback to text"},
            {"text": "unicode ✓ “quotes” 東京"},
            {"text": "x", "title": "\x00Nul\x1c and\tescape\x1b \u2028", "url": "\x7f", "id": " a\r\nb "}]
    fast, slow = both_paths(tmp_path, rows)
    assert fast is not None
    assert fast.equals(slow)
    assert slow.select("title", "url", "source_id").row(-1) == ("Nul and escape", None, "a b")  # one line, no controls


def test_c1_controls_in_a_field_take_the_line_by_line_path_and_become_cp1252(tmp_path: Path):
    fast, slow = both_paths(tmp_path, [{"text": "x", "title": "Don\x92t stop\x85"}])
    assert fast is None
    assert slow["title"].to_list() == ["Don’t stop…"]


@pytest.mark.parametrize("rows", [
    [{"text": "fine"}, "{broken"],
    [{"text": "fine"}, {"text": 42}],
    [{"text": "fine", "id": True}],
    [{"text": "fine", "id": 1.5}],
    [{"text": "fine", "url": {"nested": 1}}],
    [[1, 2]],
])
def test_anything_unusual_takes_the_line_by_line_path(tmp_path: Path, rows):
    fast, _ = both_paths(tmp_path, rows)
    assert fast is None


def test_a_blank_html_field_gives_way_to_the_text_field(tmp_path: Path):
    rows = [{"html": "", "text": "the article as text"}, {"html": " \n", "text": None}, {"html": "\x1c", "text": "x"},
            {"html": "\u3000", "text": "\x1f "}, {"html": "<p>page</p>", "text": "y"}]
    fast, slow = both_paths(tmp_path, rows)
    assert fast is not None and fast.equals(slow)
    assert slow["kind"].to_list() == ["text", "html", "text", "html", "html"]
    assert slow["content"].to_list() == ["the article as text", " \n", "x", "\u3000", "<p>page</p>"]
    assert slow["drop_reason"].to_list() == [None] * 5
