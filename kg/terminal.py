"""Text for people: control characters neutralized, widths measured, tables fitted to a terminal.

Data is untrusted: a label may hold ESC sequences (colour, a window title, "clear screen"), C1
controls, bidi overrides that reorder what is shown, or line breaks that break a table.
:func:`clean` shows every such character visibly and harmlessly, as an escape (``\\x1b``,
``\\u202e``), and :func:`cell` also line breaks (``\\n``); letters of every script, combining
marks and emoji are left alone. Every line printed for people goes through it (cards, tables,
search results, reports, error messages); JSON, CSV and exported RDF keep the data as it is.

Imports nothing heavy: it is on the path of every lookup.
"""

from __future__ import annotations

import re
import sys
import unicodedata

#: C0 controls but tab and newline, DEL, C1 controls, the bidi controls (embeddings, overrides,
#: isolates, marks), line/paragraph separators, BOM, and lone surrogates (undecodable bytes).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                     "\u2066-\u2069\ufeff\ud800-\udfff]")
_BREAKS = re.compile("[\t\n]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str) -> str:
    """``text`` with every character that could act on a terminal written as a visible escape.
    Line breaks and tabs are kept (for messages of several lines)."""
    return _UNSAFE.sub(_escape, text)


def cell(text: str) -> str:
    """:func:`clean` for one table cell or one line: line breaks shown as ``\\n``, tabs as spaces."""
    return _BREAKS.sub(lambda m: "\\n" if m.group() == "\n" else " ", clean(text))


def width(text: str) -> int:
    """Columns ``text`` takes on a terminal: wide (CJK) characters count two, combining marks none."""
    if text.isascii():
        return len(text)
    total = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


def truncate(text: str, columns: int) -> str:
    """``text`` cut to at most ``columns`` columns, ending with "…" when cut."""
    if width(text) <= columns:
        return text
    if columns <= 0:
        return ""
    out, used = [], 0
    for char in text:
        size = width(char)
        if used + size > columns - 1:
            break
        out.append(char)
        used += size
    return "".join(out).rstrip() + "…"


def pad(text: str, columns: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``columns`` columns (on the left when ``right``)."""
    fill = " " * max(0, columns - width(text))
    return fill + text if right else text + fill


def stdout_is_terminal() -> bool:
    """Whether standard output is a terminal (False when it is closed or replaced)."""
    try:
        return bool(sys.stdout is not None and sys.stdout.isatty())
    except (ValueError, OSError, AttributeError):
        return False


def terminal_width() -> int | None:
    """The terminal's width in columns when standard output is one, else None (piped: full text)."""
    if not stdout_is_terminal():
        return None
    import shutil

    return max(20, shutil.get_terminal_size().columns)


def fit_widths(natural: list[int], available: int, minimum: list[int] | None = None,
               floor: int = 4, gap: int = 2) -> list[int]:
    """Column widths that fit ``available`` columns (``gap`` spaces between columns), taken
    from the widest columns first: first down to each column's ``minimum`` (its longest word,
    so words are not broken), then, if still too wide, down to ``floor``."""
    widths = list(natural)
    excess = sum(widths) + gap * (len(widths) - 1) - available
    for limits in ([min(n, m) for n, m in zip(natural, minimum or natural, strict=True)],
                   [min(n, floor) for n in natural]):
        while excess > 0:
            candidates = [i for i in range(len(widths)) if widths[i] > limits[i]]
            if not candidates:
                break
            widest = max(candidates, key=lambda i: widths[i])
            widths[widest] -= 1
            excess -= 1
    return widths


def longest_word(text: str) -> int:
    return max((width(word) for word in text.split()), default=0)


def wrap(text: str, columns: int) -> list[str]:
    """``text`` in lines of at most ``columns`` columns, broken at spaces (a longer word is cut
    into pieces). ANSI colour codes take no room."""
    if visible_width(text) <= columns or columns <= 0:
        return [text]
    lines: list[str] = []
    current, used = "", 0
    for word in text.split(" "):
        size = visible_width(word)
        while size > columns:  # a word longer than the line: cut it
            if current:
                lines.append(current)
                current, used = "", 0
            head, word = _split_at(word, columns)
            lines.append(head)
            size = visible_width(word)
        if current and used + 1 + size > columns:
            lines.append(current)
            current, used = "", 0
        current, used = (f"{current} {word}", used + 1 + size) if current else (word, size)
    lines.append(current)
    return lines


_SGR = re.compile(r"\x1b\[[0-9;]*m")


def visible_width(text: str) -> int:
    """:func:`width` without the colour codes (``ESC [ … m``) our own styles add."""
    return width(_SGR.sub("", text)) if "\x1b" in text else width(text)


def _split_at(word: str, columns: int) -> tuple[str, str]:
    used = 0
    for index, char in enumerate(word):
        used += width(char)
        if used > columns:
            return word[:index], word[index:]
    return word, ""
