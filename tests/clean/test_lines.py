import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from prep.clean import lines as lines_module
from prep.clean.lines import assemble, split_lines
from tests.clean.helpers import lines_of


def test_lines_are_normalised_and_blank_lines_remembered():
    lines = lines_of("Title\u00a0 here\n\n\nFirst  para.\nSecond\u200b line.\r\n\r\nThird.")
    assert lines["line"].to_list() == ["Title here", "First para.", "Second line.", "Third."]
    assert lines["blank_before"].to_list() == [False, True, False, True]
    assert lines["line_no"].to_list() == [0, 1, 2, 3]


def test_assemble_keeps_layout_and_lists_removed_lines_in_order():
    lines = lines_of("Head\n\nA.\nB.\n\nC.").with_columns(
        rule=pl.when(pl.col("line").is_in(["B.", "Head"])).then(pl.lit("x")).otherwise(None))
    out = assemble(lines)
    assert out["text"].to_list() == ["A.\n\nC."]
    assert out["removed"].to_list() == [[{"line": "Head", "rule": "x"}, {"line": "B.", "rule": "x"}]]


def test_assemble_of_a_fully_removed_document_is_empty():
    lines = lines_of("only chrome").with_columns(rule=pl.lit("x"))
    out = assemble(lines)
    assert out["text"].to_list() == [""]
    assert out["removed"].to_list() == [[{"line": "only chrome", "rule": "x"}]]


def test_long_documents_are_cut_at_a_space_and_the_rest_recorded():
    from prep.clean.limits import _cap_length

    lines = lines_of("alpha beta gamma delta\n\nsecond line here", "short one")
    out = assemble(_cap_length(lines, max_chars=12))
    assert out["text"].to_list() == ["alpha beta", "short one"]
    assert out["removed"].to_list()[0] == [{"line": "gamma delta", "rule": "max_text_chars"},
                                           {"line": "second line here", "rule": "max_text_chars"}]


def test_a_single_long_word_is_cut_where_the_limit_falls():
    from prep.clean.limits import _cap_length

    out = assemble(_cap_length(lines_of("abcdefghijklmnop"), max_chars=5))
    assert out["text"].to_list() == ["abcde"]


def test_normalisation_of_breaks_spaces_and_invisible_characters():
    lines = lines_of("a\r\nb\rc\n\n\n  d\t\u00a0e\u200b f  \n\u2003\ng\u00adh")
    assert lines["line"].to_list() == ["a", "b", "c", "d e f", "gh"]
    assert lines["blank_before"].to_list() == [False, False, False, True, True]
    assert lines["line_no"].to_list() == [0, 1, 2, 3, 4]


def test_control_characters_are_dropped_separators_are_spaces_and_c1_is_cp1252():
    lines = lines_of("\x00Nul\x00 in text\x7f\n\x00\n\x07\ndon\x92t stop\x97ever \x93quoted\x94\x85\x81\n"
                     "one\x1ctwo\x1fthree\u2028four")
    assert lines["line"].to_list() == ["Nul in text", "don’t stop—ever “quoted”…", "one two three", "four"]
    assert lines["blank_before"].to_list() == [False, True, False, False]  # a line of controls only is blank


def test_mojibake_and_terminal_escapes_are_undone():
    lines = lines_of("It\u00e2\u20ac\u2122s a caf\u00c3\u00a9\n\x1b[31mred\x1b[0m alert\nDone.\u00c2 Next",
                     "Caf\u00e9 \u201cdéjà vu\u201d… ﬁne")  # no sign of mojibake: left as it is
    assert lines["line"].to_list() == ["It’s a café", "red alert", "Done. Next", "Café “déjà vu”… ﬁne"]


def test_decomposed_accents_are_composed():
    assert lines_of("cafe\u0301")["line"].to_list() == ["caf\u00e9"]


def test_keys_ignore_case_and_digits():
    keys = lines_of("© 2024 Daily Planet\n\n© 1999 DAILY planet\n\nSomething else")["key"].to_list()
    assert keys[0] == keys[1] != keys[2]


_piece = st.sampled_from(["word", "Word", "WORD", "12", "Ⅻ", " ", "  ", "\t", "\xa0", "\u3000", "\n", "\n\n", "\r\n",
                          "\r", "\u2028", "\x85", "\x00", "\x1b", "\u200b", "\xad", "e\u0301", "é", "itâ€™s",
                          "Don\x92t",
                          "Â ", "🙂", "☀", ": ", ".", "?", "!", "\"", "(", ")", "- ", "• ", "|", "$", "İ", "Σ"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(_piece, max_size=30).map("".join), min_size=1, max_size=5))
def test_texts_without_anything_unusual_skip_only_searches_that_find_nothing(monkeypatch, texts):
    """split_lines searches only the texts with anything UNUSUAL for it: the lines are those
    of searching every text."""
    docs = pl.DataFrame({"order": range(len(texts)), "text": texts}, schema={"order": pl.Int64, "text": pl.String})
    got = split_lines(docs)
    with monkeypatch.context() as patch:
        patch.setattr(lines_module, "UNUSUAL", "")  # every text unusual: every search made
        expected = split_lines(docs)
    assert_frame_equal(got, expected)
