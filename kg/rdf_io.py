"""Reading RDF files into rdflib graphs, with errors a person can act on.

This is the only module of the read path that imports rdflib at import time; commands import
it inside their functions so that ``kg --help`` and light commands stay fast. Every failure to
read input (a missing or special file, malformed Turtle, bad encoding) becomes a
:class:`GraphInputError` whose message is one line, ``FILE:LINE[:COLUMN]: reason``, so a
command can print it and exit 2 without a traceback.

Syntax is judged once, by Oxigraph's parser, before rdflib reads a file (about 3 ms for the
whole graph): so a malformed file gets the same message and the same, true, line on this path
and on the Oxigraph path (:mod:`kg.store`), and a file one path accepts the other does not
reject. rdflib's own line counts drift inside multi-line literals.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Graph

from kg import paths
from kg.errors import InputError, display_path  # noqa: F401 - display_path is part of this API
from kg.files import decode, read_bytes

#: One class for unreadable input everywhere (:class:`kg.errors.InputError`); the old name stays.
GraphInputError = InputError

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


def rdf_format(path: Path) -> str:
    """The rdflib parser name for a file, from its suffix."""
    return FORMATS.get(path.suffix.lower(), "turtle")


def parse_into(graph: Graph, path: Path, data: bytes | None = None) -> Graph:
    """Add the triples of one file (``data``: its content, already read) to ``graph``; raise
    :class:`GraphInputError` if it cannot."""
    from kg.offline import NetworkRefused
    from kg.syntax import check_syntax

    path = Path(path)
    if data is None:
        data = read_bytes(path)
    fmt = rdf_format(path)
    check_syntax(path, data)
    if fmt == "json-ld":
        _refuse_remote_contexts(path, data)
    try:
        with _quiet_rdflib_terms():
            graph.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
    except NetworkRefused as error:
        raise GraphInputError(path, str(error)) from None
    except Exception as error:  # rdflib's parsers raise many unrelated types
        raise _input_error(path, data, error) from None
    return graph


def _refuse_remote_contexts(path: Path, data: bytes) -> None:
    """A JSON-LD document whose ``@context`` (or ``@import``) names a remote document would make
    rdflib fetch it: refused unless the network is allowed (:mod:`kg.offline`)."""
    from urllib.parse import urljoin, urlsplit

    from kg.offline import NetworkRefused, refuse

    try:
        document = json.loads(decode(data, path))
    except ValueError as error:
        raise GraphInputError(path, f"is not valid JSON: {error}") from None
    base = path.resolve().as_uri()
    for reference in _context_references(document):
        scheme = urlsplit(urljoin(base, reference)).scheme.lower()
        if scheme != "file":
            try:
                refuse(f"remote JSON-LD context {reference}")
            except NetworkRefused as error:
                raise GraphInputError(path, str(error)) from None


def _context_references(node: object) -> Iterator[str]:
    """Every document a JSON-LD document's contexts refer to (strings in @context, @import)."""
    if isinstance(node, list):
        for item in node:
            yield from _context_references(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                for context in value if isinstance(value, list) else [value]:
                    if isinstance(context, str):
                        yield context
                    elif isinstance(context, dict):
                        if isinstance(context.get("@import"), str):
                            yield context["@import"]
                        yield from _context_references(list(context.values()))
            else:
                yield from _context_references(value)


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


def load_shapes(required: bool = True) -> Graph:
    """The SHACL shapes. Missing shapes are an error (validating against nothing would
    "conform"), or with ``required=False`` an empty graph."""
    shapes = paths.shapes_file()
    if shapes.exists() or shapes.is_symlink():
        return parse_file(shapes)
    if required:
        raise paths.GraphNotFound(f"{paths.describe()}: no shapes file ontology/{paths.SHAPES_FILE}")
    return Graph(bind_namespaces="none")


def rdf_files(targets: Iterable[Path], suffixes: tuple[str, ...] = (".ttl",)) -> list[Path]:
    """Files named by ``targets``: files as given, folders expanded to their sorted RDF files
    (a FIFO or device with such a name in a folder is refused: :func:`kg.paths.find_files`)."""
    found: list[Path] = []
    for target in targets:
        target = Path(target)
        if target.is_dir():
            found.extend(paths.find_files(target, suffixes))
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
