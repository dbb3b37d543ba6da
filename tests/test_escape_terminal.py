"""Card text printed to a terminal or a CI log stays one line of inert text."""

from model_index.escape.terminal import printable


def test_controls_that_act_on_a_terminal_are_written_as_escapes():
    assert printable("a\x1b[31mred\x07") == "a\\x1b[31mred\\x07"


def test_a_newline_cannot_start_a_ci_command_line():
    shown = printable("bad value\n::error file=x::owned\r")
    assert "\n" not in shown and "\r" not in shown
    assert shown == "bad value\\n::error file=x::owned\\r"


def test_bidirectional_overrides_and_separators_are_visible():
    assert printable("abc\u202edcba\u2028x\u2066") == "abc\\u202edcba\\u2028x\\u2066"


def test_undecodable_file_name_bytes_show_as_bytes():
    assert printable(b"card-\xff.md".decode("utf-8", "surrogateescape")) == "card-\\xff.md"


def test_ordinary_text_tabs_and_non_ascii_letters_are_kept():
    text = "Top 1 Accuracy\t80.05% · Ünïcödé 模型"
    assert printable(text) == text
