"""Terminal escape sequences never reach the corpus, payload included."""

from prep.text.repair import one_line, repaired

OSC_TITLE = "\x1b]0;payload of a window title\x07"          # ESC ] ... BEL
OSC_LINK = "\x1b]8;;https://payload.example/\x1b\\"        # ESC ] ... ESC \ (a hyperlink)


def test_osc_sequences_go_whole_from_one_line_fields():
    assert one_line(f"Quay{OSC_TITLE} plan") == "Quay plan"
    assert one_line(f"id{OSC_LINK}-7") == "id-7"


def test_osc_sequences_go_whole_from_texts():
    text = f"First line {OSC_LINK}link text\x1b]8;;\x1b\\ here.\nSecond{OSC_TITLE} line, \x1b[1mbold\x1b[0m."
    assert repaired(text) == "First line link text here.\nSecond line, bold."
