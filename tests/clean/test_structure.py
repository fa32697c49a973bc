from prep.clean.structure import mark_trailing_fragments
from tests.clean.helpers import lines_of, verdicts

BODY = ("The council approved the new budget on Monday after a long debate among its members.\n\n"
        "Opponents said the plan would raise local taxes for most families in the district.")


def test_short_lines_after_the_last_sentence_are_footer():
    got = verdicts(mark_trailing_fragments(lines_of(BODY + "\n\nMore at The Daily Planet\n\nPlanet TV")))
    assert got["More at The Daily Planet"] == "trailing_fragment"
    assert got["Planet TV"] == "trailing_fragment"
    assert list(got.values())[:2] == [None, None]


def test_subheadings_between_paragraphs_are_kept():
    text = BODY + "\n\nWhat Happens Next\n\nThe budget goes to a final vote next month, officials said."
    assert set(verdicts(mark_trailing_fragments(lines_of(text))).values()) == {None}


def test_a_closing_list_is_kept():
    text = BODY + "\n\n- Two cups of flour\n- One egg"
    assert set(verdicts(mark_trailing_fragments(lines_of(text))).values()) == {None}


def test_documents_without_sentences_are_left_alone():
    text = "Headline One\n\nHeadline Two\n\nHeadline Three"
    assert set(verdicts(mark_trailing_fragments(lines_of(text))).values()) == {None}
