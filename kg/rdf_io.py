"""Reading RDF files into rdflib graphs, with errors a person can act on.

This is the only module of the read path that imports rdflib at import time; commands import
it inside their functions so that ``kg --help`` and light commands stay fast. Every failure to
read input (a missing file, malformed Turtle, bad encoding) becomes a :class:`GraphInputError`
whose message is one line, ``FILE:LINE: reason``, so a command can print it and exit 2 without
a traceback.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Graph

from kg import paths

#: rdflib parser names by file suffix; anything else is read as Turtle.
FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".n3": "n3",
    ".trig": "trig",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
}

_LINE_IN_MESSAGE = re.compile(r"\bline (\d+)\b")


class GraphInputError(Exception):
    """Input the graph cannot be read from. ``str()`` is a single line naming file and line."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.reason = " ".join(str(reason).split()) or "cannot be read"
        location = display_path(self.path) + (f":{line}" if line is not None else "")
        super().__init__(f"{location}: {self.reason}")


def display_path(path: Path) -> str:
    """The path relative to the working directory when it lies below it (shorter messages)."""
    try:
        return os.path.relpath(path) if Path(path).resolve().is_relative_to(Path.cwd()) else str(path)
    except (OSError, ValueError):
        return str(path)


def rdf_format(path: Path) -> str:
    """The rdflib parser name for a file, from its suffix."""
    return FORMATS.get(path.suffix.lower(), "turtle")


def parse_into(graph: Graph, path: Path) -> Graph:
    """Add the triples of one file to ``graph``; raise :class:`GraphInputError` if it cannot."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise GraphInputError(path, "no such file") from None
    except IsADirectoryError:
        raise GraphInputError(path, "is a folder, not a file") from None
    except OSError as error:
        raise GraphInputError(path, error.strerror or str(error)) from None
    try:
        with _quiet_rdflib_terms():
            graph.parse(data=data, format=rdf_format(path), publicID=path.resolve().as_uri())
    except Exception as error:  # rdflib's parsers raise many unrelated types
        raise _input_error(path, data, error) from None
    return graph


def parse_file(path: Path) -> Graph:
    """One file as its own graph (its prefixes bound as written)."""
    return parse_into(Graph(bind_namespaces="none"), path)


def load_graph(files: Iterable[Path]) -> Graph:
    """The union of several files, read in the order given."""
    graph = Graph(bind_namespaces="none")
    for path in files:
        parse_into(graph, path)
    return graph


def load_merged_graph(include_external: bool = True) -> Graph:
    """Ontology + data: the graph every command works on (shapes excluded)."""
    return load_graph(paths.graph_files(include_external=include_external))


def load_shapes() -> Graph:
    """The SHACL shapes; an empty graph when the tree has none yet."""
    shapes = paths.shapes_file()
    return parse_file(shapes) if shapes.exists() else Graph(bind_namespaces="none")


def rdf_files(targets: Iterable[Path], suffixes: tuple[str, ...] = (".ttl",)) -> list[Path]:
    """Files named by ``targets``: files as given, folders expanded to their sorted RDF files."""
    found: list[Path] = []
    for target in targets:
        target = Path(target)
        if target.is_dir():
            found.extend(sorted(p for p in target.rglob("*") if p.suffix in suffixes and p.is_file()))
        else:
            found.append(target)
    return list(dict.fromkeys(found))


@contextmanager
def _quiet_rdflib_terms() -> Iterator[None]:
    """Silence rdflib's per-term warnings while parsing.

    rdflib logs a warning *with a traceback* for every ill-typed literal ("2024-13-45"^^xsd:date)
    and odd IRI. Those are not syntax errors: SHACL reports them properly (sh:datatype), and
    the tracebacks would otherwise leak into command output.
    """
    term_logger = logging.getLogger("rdflib.term")
    previous = term_logger.level
    term_logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        term_logger.setLevel(previous)


def _input_error(path: Path, data: bytes, error: Exception) -> GraphInputError:
    """Turn whatever a parser raised into a one-line error with the line number if known."""
    if isinstance(error, UnicodeDecodeError):
        return GraphInputError(path, "is not valid UTF-8", _line_of_offset(data, error.start))
    reason = getattr(error, "_why", None) or _first_line(str(error)) or type(error).__name__
    return GraphInputError(path, reason, _line_of(error, data))


def _line_of(error: Exception, data: bytes) -> int | None:
    """The 1-based line of a parser error: rdflib's Notation-3 family counts lines (0-based)
    in ``lines``; other parsers mention ``line N`` in their text, or give a byte offset."""
    lines = getattr(error, "lines", None)
    if isinstance(lines, int):
        return lines + 1
    match = _LINE_IN_MESSAGE.search(str(error))
    if match:
        return int(match.group(1))
    for attribute in ("lineno", "line"):
        value = getattr(error, attribute, None)
        if isinstance(value, int):
            return value
    offset = getattr(error, "_i", None)
    if isinstance(offset, int):
        return _line_of_offset(data, offset)
    return None


def _line_of_offset(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def _first_line(text: str) -> str:
    """The parser message without rdflib's 'at line N of <file>:' preamble and context dump."""
    for line in text.splitlines():
        line = line.strip()
        if line and not re.fullmatch(r"at line \d+ of <[^>]*>:", line):
            return line
    return ""
