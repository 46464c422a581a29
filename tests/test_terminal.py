"""``kg.terminal``: text made safe for a terminal, widths, wrapping; ``kg.output.json_text``."""

from __future__ import annotations

import json

import pytest

from kg import terminal
from kg.output import aligned, json_text


@pytest.mark.parametrize(("raw", "shown"), [
    ("red \x1b[31mtext", "red \\x1b[31mtext"),
    ("title \x1b]0;pwned\x07", "title \\x1b]0;pwned\\x07"),
    ("csi \x9b2J", "csi \\x9b2J"),
    ("bidi \u202eevil", "bidi \\u202eevil"),
    ("isolate \u2066x\u2069", "isolate \\u2066x\\u2069"),
    ("bad byte \udcff", "bad byte \\udcff"),
    ("Kanpiketi ကန်ပိုက်တီ 甘拜地 😀 e\u0301", "Kanpiketi ကန်ပိုက်တီ 甘拜地 😀 e\u0301"),
])
def test_clean_shows_controls_and_keeps_letters(raw: str, shown: str) -> None:
    assert terminal.clean(raw) == shown


def test_cell_shows_line_breaks() -> None:
    assert terminal.cell("one\ntwo\tthree\r") == "one\\ntwo three\\x0d"
    assert terminal.clean("one\ntwo") == "one\ntwo"


def test_width_counts_wide_and_combining_characters() -> None:
    assert terminal.width("abc") == 3
    assert terminal.width("甘拜地") == 6
    assert terminal.width("e\u0301") == 1


def test_wrap_keeps_words_and_cuts_what_cannot_fit() -> None:
    assert terminal.wrap("Kachin Independence Army", 12) == ["Kachin", "Independence", "Army"]
    assert terminal.wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    assert terminal.wrap("\x1b[2mdim\x1b[0m text", 8) == ["\x1b[2mdim\x1b[0m text"]


def test_aligned_fits_a_width_and_keeps_full_text_otherwise() -> None:
    rows = [["Kachin Independence Army", "2024-11-20"], ["Myanmar military", "<=2024-11-30"]]
    full = aligned(["holder", "since"], rows)
    assert full[2] == "Kachin Independence Army  2024-11-20"
    fitted = aligned(["holder", "since"], rows, width=24)
    assert all(terminal.width(line) <= 24 for line in fitted)
    assert any("2024-11-20" in line for line in fitted) and any("<=2024-11-30" in line for line in fitted)


def test_json_text_escapes_what_json_would_leave_raw() -> None:
    data = {"label": "a\x1b[2J\u202e\x9b\u2028b"}
    text = json_text(data)
    assert all(c not in text for c in "\x1b\u202e\x9b\u2028")
    assert json.loads(text) == data
