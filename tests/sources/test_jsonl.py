"""One JSON Lines semantics: a record's fields are what its own line says, whatever shares its
shard (broken lines, other records) and whatever the shard size."""

import json
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prep.config import Config
from prep.sources import discover, plan_shards, read_shard

FIELDS = ["doc_id", "source_index", "source_id", "content", "kind", "url", "title", "published", "drop_reason"]


def read_jsonl(tmp_path: Path, lines: list[str], shard_records: int = 5000) -> pl.DataFrame:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = Config.model_validate({"run": {"shard_records": shard_records}})
    found = discover([path])
    plan = plan_shards(found.files, found.problems, config, tmp_path / f"chunks-{shard_records}")
    return pl.concat([read_shard(s, config).frame for s in plan.shards]).sort("source_index")


def test_well_formed_lines_give_their_records(tmp_path: Path):
    rows = [{"text": "plain text", "id": 7, "url": " https://a.example/x ", "title": "T", "published": "2024-01-02"},
            {"html": "<p>page</p>", "id": "b", "text": "ignored when html is there"},
            {"text": "", "title": "   "},
            {"other": "no text at all"},
            {"html": None, "text": "fallback to text"},
            {"text": "unicode ✓ “quotes” 東京"},
            {"text": "x", "title": "\x00Nul\x1c and\tescape\x1b \u2028", "url": "\x7f", "id": " a\r\nb "}]
    got = read_jsonl(tmp_path, [json.dumps(r) for r in rows])
    assert got["kind"].to_list() == ["text", "html", "text", "text", "text", "text", "text"]
    assert got["content"].to_list()[:2] == ["plain text", "<p>page</p>"]
    assert got.select("source_id", "url").row(0) == ("7", "https://a.example/x")
    assert got["drop_reason"].to_list()[3] == "unreadable: no 'html' or 'text' field"
    assert got.select("title", "url", "source_id").row(-1) == ("Nul and escape", None, "a b")  # one line, no controls


def test_c1_controls_in_a_field_become_cp1252(tmp_path: Path):
    got = read_jsonl(tmp_path, [json.dumps({"text": "x", "title": "Don\x92t stop\x85"})])
    assert got["title"].to_list() == ["Don’t stop…"]


def test_a_blank_html_field_gives_way_to_the_text_field(tmp_path: Path):
    rows = [{"html": "", "text": "the article as text"}, {"html": " \n", "text": None}, {"html": "\x1c", "text": "x"},
            {"html": "\u3000", "text": "\x1f "}, {"html": "<p>page</p>", "text": "y"}]
    got = read_jsonl(tmp_path, [json.dumps(r) for r in rows])
    assert got["kind"].to_list() == ["text", "html", "text", "html", "html"]
    assert got["content"].to_list() == ["the article as text", " \n", "x", "\u3000", "<p>page</p>"]
    assert got["drop_reason"].to_list() == [None] * 5


def test_duplicate_keys_take_the_last_value_and_lone_surrogates_become_replacement_characters(tmp_path: Path):
    got = read_jsonl(tmp_path, ['{"text": "A", "text": "B"}', '{"text": "x\\ud800y", "title": "t\\udfff"}'])
    assert got["content"].to_list() == ["B", "x\ufffdy"]
    assert got["title"].to_list() == [None, "t\ufffd"]


def test_metadata_of_other_types_is_written_as_json_spells_it(tmp_path: Path):
    values = [True, False, 7, 1.0, 1e300, {"k": 1}, [1, 2]]
    got = read_jsonl(tmp_path, [json.dumps({"text": "x", "id": value}) for value in values])
    assert got["source_id"].to_list() == ["true", "false", "7", "1.0", "1e+300", None, None]


_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
_value = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=False), _text,
                   st.lists(st.integers(), max_size=2), st.dictionaries(_text, st.integers(), max_size=1))
_record = st.fixed_dictionaries({}, optional={"text": st.one_of(_text, _value), "html": st.one_of(_text, st.none()),
                                              "id": _value, "url": _value, "title": _value, "published": _value})
_line = st.one_of(_record.map(json.dumps), st.sampled_from(['{"text": ', "[1, 2]", '"a string"', "{broken",
                                                            '{"text": "a", "text": 5}', '{"title": "\\ud800"}']))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_line, min_size=1, max_size=12), shard_records=st.sampled_from([1, 2, 5, 5000]))
def test_a_record_reads_the_same_alone_and_among_others_whatever_the_shard_size(tmp_path_factory, lines, shard_records):
    together = read_jsonl(tmp_path_factory.mktemp("together"), lines, shard_records)
    for index, line in enumerate(lines):
        alone = read_jsonl(tmp_path_factory.mktemp("alone"), [line])
        mine = together.filter(pl.col("source_index") == index)
        assert alone.select(FIELDS[2:]).row(0) == mine.select(FIELDS[2:]).row(0), line


def test_a_first_line_nested_too_deeply_is_one_dropped_record_not_a_file_error(tmp_path: Path):
    """Planning looks at the first record (is it a page?): a line nested 100,000 deep must not
    cost the file its other records."""
    frame = read_jsonl(tmp_path, ["[" * 100_000 + "]" * 100_000, json.dumps({"text": "second"}),
                                  json.dumps({"html": "<p>third</p>"})])
    assert frame["drop_reason"].to_list() == ["unreadable: invalid JSON (nested too deeply)", None, None]
    assert frame["content"].to_list() == [None, "second", "<p>third</p>"]
