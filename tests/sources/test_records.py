"""Records framed field by field (RecordColumns) hold what `record` gives one record at a time."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from prep.sources.base import InputFile
from prep.sources.records import META, RecordColumns, _as_text, fields_as_text, record

FILE = InputFile(path="/in/a.jsonl", source_path="a.jsonl", format="jsonl", codec=None, size=1,
                 mtime_ns=1)
# mojibake, controls, odd spaces, terminal escapes, lone surrogates, numbers, objects
_odd = st.sampled_from(["itâ€™s", "Don\x92t", "\x1b]0;t\x07x", "\x1b[1mB", "Â a", "\x00a\x1cb\tc\u2028d", "  ",
                        "\ud800x", "a\u200bb", "\u3000x\u3000", "\x85", "caf\u00e9"])
_value = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(), st.text(max_size=8),
                   _odd, st.lists(_odd, max_size=3).map("".join), st.lists(st.integers(), max_size=1),
                   st.just({"k": 1}), st.just(date(2024, 1, 2)))


@settings(max_examples=300, deadline=None)
@given(st.lists(_value, max_size=8))
def test_fields_framed_together_are_as_each_alone(values):
    assert fields_as_text(values).to_list() == [_as_text(v) for v in values]


@given(st.lists(st.tuples(st.one_of(st.none(), st.text(max_size=6), _odd), st.sampled_from(["text", "html"]),
                          st.one_of(st.none(), st.just("unreadable: x")), st.tuples(*[_value] * len(META))),
                max_size=5))
@settings(max_examples=100, deadline=None)
def test_record_columns_frame_the_rows_record_gives(rows):
    columns = RecordColumns(FILE)
    for index, (content, kind, reason, meta) in enumerate(rows):
        columns.add(index, f"{index:064x}", content, kind, reason, meta)
    expected = [record(FILE, index, f"{index:064x}", content=content, kind=kind, drop_reason=reason,
                       **dict(zip(META, meta, strict=True)))
                for index, (content, kind, reason, meta) in enumerate(rows)]
    assert columns.frame().to_dicts() == expected
