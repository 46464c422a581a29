"""Writing rows as a table, JSON, CSV, TSV or SPARQL JSON results, for any command.

In the manner of sqlite-utils: a command gets ``--format`` from :func:`format_option` and hands
column names and rows to :func:`write`. Cells may be :class:`kg.params.Term` (query results),
plain Python values, or ``None`` (unbound / empty).

- ``table``: aligned text for people; IRIs shortened to project prefixes (``bkr:kia``); control
  characters neutralized (:mod:`kg.terminal`); fitted to the terminal's width when printed on
  one (long cells cut with "…"), full text when piped.
- ``json``: a plain list of objects, values as JSON scalars (full IRIs, numbers as numbers);
  characters that could act on a terminal are written as JSON escapes (the same data).
- ``csv`` / ``tsv``: a header row, then values (full IRIs, literals' lexical forms).
- ``srj``: SPARQL 1.1 Query Results JSON, which other SPARQL tools read.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

import click

from kg import terminal
from kg.namespaces import PREFIXES
from kg.params import XSD_BOOLEAN, XSD_DOUBLE, XSD_INTEGER, Term

FORMATS = ("table", "json", "csv", "tsv", "srj")

Cell = Any  # Term | str | int | float | bool | None


def format_option(default: str = "table") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--format/-f`` for a command, passed to the function as ``fmt``."""
    return click.option(
        "--format", "-f", "fmt", type=click.Choice(FORMATS), default=default, show_default=True,
        help="Output format: aligned table, JSON list of objects, CSV, TSV, or SPARQL JSON results.",
    )


def write(fmt: str, columns: Sequence[str], rows: Iterable[Sequence[Cell]], stream: TextIO,
          boolean: bool | None = None) -> None:
    """Write ``rows`` (or an ASK ``boolean``) to ``stream`` in ``fmt``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    WRITERS[fmt](list(columns), [list(row) for row in rows], stream, boolean)


def render(fmt: str, columns: Sequence[str], rows: Iterable[Sequence[Cell]],
           boolean: bool | None = None) -> str:
    """The same as :func:`write`, as a string."""
    buffer = io.StringIO()
    write(fmt, columns, rows, buffer, boolean)
    return buffer.getvalue()


# ---------------------------------------------------------------------------- cell helpers


def compact(iri: str) -> str:
    """``bkr:kia`` for an IRI under a project prefix (the longest match), else the IRI."""
    best = ""
    for name, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = name
    if best:
        local = iri[len(PREFIXES[best]):]
        if local and all(c.isalnum() or c in "_-." for c in local):
            return f"{best}:{local}"
    return iri


def plain(cell: Cell) -> str:
    """The text of a cell for CSV/TSV: full IRI, literal lexical form, empty for None."""
    if cell is None:
        return ""
    if isinstance(cell, Term):
        return cell.value
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return str(cell)


def readable(cell: Cell) -> str:
    """The text of a cell for a table: IRIs, and IRIs listed inside strings, shortened."""
    if cell is None:
        return ""
    if isinstance(cell, Term) and cell.kind == "uri":
        return compact(cell.value)
    text = plain(cell)
    if any(ns in text for ns in PREFIXES.values()):
        text = " ".join(compact(word) for word in text.split(" "))
    return terminal.cell(text)


def json_text(data: Any, indent: int | None = 2) -> str:
    """``data`` as JSON text, Unicode kept, but with every character that could act on a
    terminal (C1 controls, bidi overrides, undecodable bytes) escaped: the same data, safe to print."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


#: JSON already escapes C0 controls; these it would write raw.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")


def json_value(cell: Cell) -> Any:
    """A JSON scalar: full IRI or string; numbers and booleans as such; None as null."""
    if isinstance(cell, Term):
        return cell.python
    return cell


def to_term(cell: Cell) -> Term | None:
    """A term for SPARQL JSON results, also for plain Python cells."""
    if cell is None or isinstance(cell, Term):
        return cell
    if isinstance(cell, bool):
        return Term.literal("true" if cell else "false", XSD_BOOLEAN)
    if isinstance(cell, int):
        return Term.literal(str(cell), XSD_INTEGER)
    if isinstance(cell, float):
        return Term.literal(repr(cell), XSD_DOUBLE)
    return Term.literal(str(cell))


# ---------------------------------------------------------------------------- writers


def aligned(columns: Sequence[str], rows: Sequence[Sequence[str]], rule: bool = True,
            right: Sequence[int] = (), width: int | None = None) -> list[str]:
    """Text columns padded to a common width, two spaces apart: the header, a rule of dashes
    (unless ``rule`` is false), then the rows. Columns whose index is in ``right`` are
    right-aligned. Given ``width`` (a terminal's), the widest columns are narrowed until the
    table fits (words kept whole while they can be) and their cells wrapped onto several lines.
    The one table layout of every command. Cells must already be safe text
    (:func:`kg.terminal.cell`)."""
    natural = [max([terminal.width(name)] + [terminal.width(row[i]) for row in rows])
               for i, name in enumerate(columns)]
    widths, gap = natural, 2
    if width is not None and len(columns) * (_NARROWEST + 1) - 1 > width:
        return records(columns, rows, width)
    if width is not None and sum(natural) + gap * (len(natural) - 1) > width:
        words = [max([3] + [terminal.longest_word(row[i]) for row in rows]) for i in range(len(columns))]
        if sum(min(n, w) for n, w in zip(natural, words, strict=True)) + 2 * (len(natural) - 1) > width:
            gap = 1  # tight: one space between columns before breaking words
        widths = terminal.fit_widths(natural, width, words, gap=gap)
    space = " " * gap

    def lines(cells: Sequence[str]) -> list[str]:
        pieces = [terminal.wrap(c, w) if w < natural[i] else [c]
                  for i, (c, w) in enumerate(zip(cells, widths, strict=True))]
        return [space.join(terminal.pad(piece[k] if k < len(piece) else "", w, right=i in right)
                           for i, (piece, w) in enumerate(zip(pieces, widths, strict=True))).rstrip()
                for k in range(max(len(piece) for piece in pieces))]

    header = lines(columns) + ([space.join("-" * w for w in widths)] if rule else [])
    return header + [line for row in rows for line in lines(row)]


#: the narrowest a column gets before a table too wide for the terminal is shown as records
_NARROWEST = 4


def records(columns: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """Rows as records, one ``name  value`` line per column (values wrapped), for tables with
    more columns than the terminal can show side by side (as ``psql``'s expanded display)."""
    label = min(max(terminal.width(c) for c in columns), max(8, width // 3))
    out: list[str] = []
    for number, row in enumerate(rows, start=1):
        head = f"-[ {number} ]"
        out.append(head + "-" * max(0, width - terminal.width(head)))
        for name, value in zip(columns, row, strict=True):
            pieces = terminal.wrap(value, max(1, width - label - 2)) if value else [""]
            out.append(f"{terminal.pad(terminal.truncate(name, label), label)}  {pieces[0]}".rstrip())
            out.extend(f"{' ' * label}  {piece}".rstrip() for piece in pieces[1:])
    return out


def _table(columns: list[str], rows: list[list[Cell]], out: TextIO, boolean: bool | None) -> None:
    if boolean is not None:
        out.write(("true" if boolean else "false") + "\n")
        return
    fit = terminal.terminal_width() if out is sys.stdout else None
    for line in aligned([terminal.cell(c) for c in columns], [[readable(c) for c in row] for row in rows],
                        width=fit):
        out.write(line + "\n")


def _json(columns: list[str], rows: list[list[Cell]], out: TextIO, boolean: bool | None) -> None:
    if boolean is not None:
        out.write(json_text(boolean))
    else:
        objects = [{name: json_value(c) for name, c in zip(columns, row, strict=True)}
                   for row in rows]
        out.write(json_text(objects))
    out.write("\n")


def _delimited(delimiter: str) -> Callable[[list[str], list[list[Cell]], TextIO, bool | None], None]:
    def writer(columns: list[str], rows: list[list[Cell]], out: TextIO,
               boolean: bool | None) -> None:
        table = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        if boolean is not None:
            table.writerows([["boolean"], ["true" if boolean else "false"]])
            return
        table.writerow(columns)
        table.writerows([plain(c) for c in row] for row in rows)
    return writer


def _srj(columns: list[str], rows: list[list[Cell]], out: TextIO, boolean: bool | None) -> None:
    if boolean is not None:
        document: dict[str, Any] = {"head": {}, "boolean": boolean}
    else:
        bindings = []
        for row in rows:
            binding = {}
            for name, cell in zip(columns, row, strict=True):
                term = to_term(cell)
                if term is not None:
                    binding[name] = srj_term(term)
            bindings.append(binding)
        document = {"head": {"vars": columns}, "results": {"bindings": bindings}}
    out.write(json_text(document))
    out.write("\n")


def srj_term(term: Term) -> dict[str, str]:
    """One RDF term in SPARQL 1.1 Query Results JSON."""
    if term.kind == "uri":
        return {"type": "uri", "value": term.value}
    if term.kind == "bnode":
        return {"type": "bnode", "value": term.value}
    value: dict[str, str] = {"type": "literal", "value": term.value}
    if term.lang:
        value["xml:lang"] = term.lang
    elif term.datatype:
        value["datatype"] = term.datatype
    return value


WRITERS: dict[str, Callable[[list[str], list[list[Cell]], TextIO, bool | None], None]] = {
    "table": _table,
    "json": _json,
    "csv": _delimited(","),
    "tsv": _delimited("\t"),
    "srj": _srj,
}
