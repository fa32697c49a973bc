"""Each input format, read through the real readers into the record schema."""

import gzip
import json
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from prep.config import Config
from prep.schema import RECORD_SCHEMA
from prep.sources import discover, plan_shards, read_shard
from prep.sources.records import doc_id
from tests import badinputs as bad


def read_all(paths: list[Path], tmp_path: Path, config: Config | None = None) -> pl.DataFrame:
    config = config or Config()
    found = discover(paths)
    files, problems = found.files, found.problems
    plan = plan_shards(files, problems, config, tmp_path / "chunks")
    frames = [read_shard(shard, config).frame for shard in plan.shards]
    return pl.concat(frames) if frames else pl.DataFrame(schema=RECORD_SCHEMA)


def test_txt_and_gzipped_html(tmp_path: Path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Headline\n\nBody text.", encoding="utf-8")
    with gzip.open(tmp_path / "in" / "b.html.gz", "wt", encoding="utf-8") as f:
        f.write("<html><body><p>Hello</p></body></html>")
    frame = read_all([tmp_path / "in"], tmp_path)
    assert frame.schema == {**RECORD_SCHEMA, "order": pl.Int64}
    assert frame["source_path"].to_list() == ["in/a.txt", "in/b.html.gz"]
    assert frame["kind"].to_list() == ["text", "html"]
    assert frame["content"][0] == "Headline\n\nBody text."
    assert "<p>Hello</p>" in frame["content"][1]
    assert frame["source_index"].to_list() == [0, 0]
    assert frame["order"].to_list() == [0, 1]


def test_jsonl_fields_are_configurable(tmp_path: Path):
    path = tmp_path / "news.jsonl"
    rows = [{"body": "first text", "uid": 7, "link": "https://a.example/x", "headline": "T1", "date": "2024-05-01"},
            {"page": "<p>second</p>", "uid": "b"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    config = Config.model_validate({"input": {"text_field": "body", "html_field": "page", "id_field": "uid",
                                              "url_field": "link", "title_field": "headline",
                                              "date_field": "date"}})
    frame = read_all([path], tmp_path, config)
    assert frame["kind"].to_list() == ["text", "html"]
    assert frame["content"].to_list() == ["first text", "<p>second</p>"]
    assert frame["source_id"].to_list() == ["7", "b"]
    assert frame["url"].to_list() == ["https://a.example/x", None]
    assert frame["title"].to_list() == ["T1", None]
    assert frame["published"].to_list() == ["2024-05-01", None]
    assert frame["source_index"].to_list() == [0, 1]


def test_jsonl_bad_records_are_dropped_with_a_reason(tmp_path: Path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine"}\n{not json\n[1, 2]\n{"text": 42}\n{"other": "x"}\n')
    frame = read_all([path], tmp_path)
    assert frame["drop_reason"].to_list()[0] is None
    reasons = frame["drop_reason"].to_list()[1:]
    assert reasons[0].startswith("unreadable: invalid JSON")
    assert reasons[1] == "unreadable: a JSON list, not an object"
    assert reasons[2] == "unreadable: field 'text' is a int, not a string"
    assert reasons[3] == "unreadable: no 'html' or 'text' field"


def test_gzipped_jsonl_is_split_across_shards_in_order(tmp_path: Path):
    path = tmp_path / "big.jsonl.gz"
    with gzip.open(path, "wt") as f:
        for i in range(25):
            f.write(json.dumps({"text": f"doc {i}"}) + "\n")
    config = Config.model_validate({"run": {"shard_records": 10}})
    found = discover([path])
    files, problems = found.files, found.problems
    plan = plan_shards(files, problems, config, tmp_path / "chunks")
    assert [s.records for s in plan.shards] == [10, 10, 5]
    frames = [read_shard(s, config).frame for s in plan.shards]
    assert pl.concat(frames)["content"].to_list() == [f"doc {i}" for i in range(25)]
    assert pl.concat(frames)["order"].to_list() == list(range(25))


def test_plain_jsonl_shards_start_at_their_byte_offset(tmp_path: Path):
    path = tmp_path / "big.jsonl"
    path.write_text("".join(json.dumps({"text": f"doc {i}"}) + "\n" for i in range(7)))
    config = Config.model_validate({"run": {"shard_records": 3}})
    found = discover([path])
    files, problems = found.files, found.problems
    plan = plan_shards(files, problems, config, tmp_path / "chunks")
    assert [(s.slices[0].start, s.slices[0].stop) for s in plan.shards] == [(0, 3), (3, 6), (6, 7)]
    assert plan.shards[1].slices[0].offset == len((json.dumps({"text": "doc 0"}) + "\n").encode()) * 3
    assert read_shard(plan.shards[2], config).frame["content"].to_list() == ["doc 6"]


def test_parquet_with_text_or_html_column(tmp_path: Path):
    path = tmp_path / "rows.parquet"
    pl.DataFrame({"text": ["a b c", None], "html": [None, "<p>x</p>"], "id": [1, 2]}).write_parquet(path)
    frame = read_all([path], tmp_path)
    assert frame["kind"].to_list() == ["text", "html"]
    assert frame["content"].to_list() == ["a b c", "<p>x</p>"]
    assert frame["source_id"].to_list() == ["1", "2"]
    assert frame["source_format"].to_list() == ["parquet", "parquet"]


def test_parquet_without_the_configured_column_is_a_file_error(tmp_path: Path):
    path = tmp_path / "rows.parquet"
    pl.DataFrame({"body": ["x"]}).write_parquet(path)
    found = discover([path])
    files, problems = found.files, found.problems
    plan = plan_shards(files, problems, Config(), tmp_path / "chunks")
    assert plan.shards == []
    assert len(plan.problems) == 1
    assert "no column 'html' or 'text'" in plan.problems[0].reason
    assert "body" in plan.problems[0].reason


@pytest.mark.parametrize("shard_records", [5000, 100, 37])
def test_a_corrupt_row_group_costs_its_own_rows_only_whatever_the_shard_size(tmp_path: Path, shard_records: int):
    path = tmp_path / "rows.parquet"
    bad.parquet_with_a_corrupt_row_group(path, rows=1000, group=100, damaged=3)
    frame = read_all([path], tmp_path, Config.model_validate({"run": {"shard_records": shard_records}}))
    assert frame["source_index"].to_list() == list(range(1000))
    dropped = frame.filter(pl.col("drop_reason").is_not_null())
    assert dropped["source_index"].to_list() == list(range(300, 400))
    assert dropped["drop_reason"].str.starts_with("unreadable: corrupt Parquet row group 3 (").all()
    kept = frame.filter(pl.col("drop_reason").is_null())
    assert kept["content"].to_list() == [f"{bad.story(i)} Row {i}." for i in range(1000) if not 300 <= i < 400]


def test_doc_id_is_stable_and_distinct():
    assert doc_id("a/b.txt", 0, "00") == doc_id("a/b.txt", 0, "00")
    ids = {doc_id("a/b.txt", 0, "00"), doc_id("a/b.txt", 1, "00"), doc_id("a/c.txt", 0, "00"),
           doc_id("a/b.txt", 0, "01")}
    assert len(ids) == 4
    assert all(len(i) == 32 for i in ids)


@pytest.mark.parametrize("encoding,text", [("utf-16", "Grüße aus Köln"), ("utf-8-sig", "naïve café")])
def test_text_with_byte_order_mark_is_decoded(tmp_path: Path, encoding: str, text: str):
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(encoding))
    assert read_all([path], tmp_path)["content"].to_list() == [text]


def test_latin1_without_declaration_is_decoded(tmp_path: Path):
    path = tmp_path / "a.txt"
    text = "Le café de la gare était fermé à cause de la grève générale des cheminots français."
    path.write_bytes(text.encode("latin-1"))
    assert read_all([path], tmp_path)["content"].to_list() == [text]


def test_binary_file_with_a_text_name_is_dropped(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_bytes(bytes(range(256)) * 20)
    frame = read_all([path], tmp_path)
    assert frame["drop_reason"][0].startswith("unreadable: binary content")


@pytest.mark.parametrize("text,charset", [("Мэр открыл новый мост через реку.", "koi8_r"),
                                          ("Burmistrz otworzył nowy most.", "iso8859_2")])
def test_a_declared_charset_decodes_what_detection_gets_wrong(text: str, charset: str):
    from prep.sources.decode import decode

    data = f"<html><body><p>{text}</p></body></html>".encode(charset)
    assert text not in decode(data, html=True)
    assert text in decode(data, html=True, declared=charset)
    meta = f'<html><head><meta charset="{charset}"></head><body><p>{text}</p></body></html>'.encode(charset)
    assert text in decode(meta, html=True)


def test_latin1_labels_mean_windows_1252_as_in_browsers():
    from prep.sources.decode import decode

    text = "\u201cWe will rebuild\u201d \u2014 the mayor\u2019s promise."
    page = f'<html><head><meta charset="iso-8859-1"></head><body><p>{text}</p></body></html>'.encode("cp1252")
    assert text in decode(page, html=True)
    assert text in decode(page.replace(b"iso-8859-1", b"utf-8x"), html=True, declared="US-ASCII")


def test_parquet_dates_are_iso_and_a_blank_html_column_gives_way_to_text(tmp_path: Path):
    path = tmp_path / "rows.parquet"
    pl.DataFrame({"html": ["", "<p>page</p>"], "text": ["the article as text", None],
                  "published": [datetime(2023, 11, 14, 22, 13, 20), None]}).write_parquet(path)
    frame = read_all([path], tmp_path)
    assert frame["kind"].to_list() == ["text", "html"]
    assert frame["content"].to_list() == ["the article as text", "<p>page</p>"]
    assert frame["published"].to_list() == ["2023-11-14T22:13:20", None]
    for value, iso in ((datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), "2024-01-02T03:04:05+00:00"),
                       (date(2024, 5, 1), "2024-05-01")):
        dated = tmp_path / iso / "dated.parquet"
        dated.parent.mkdir()
        pl.DataFrame({"text": ["x"], "published": [value]}).write_parquet(dated)
        assert read_all([dated], dated.parent)["published"].to_list() == [iso]
