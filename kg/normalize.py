"""The one canonical Turtle writer.

Every Turtle file the project writes goes through :func:`turtle_bytes`, so the same graph always
gives the same bytes: reviews show real changes only and ``kg fmt --check`` can fail a build
when a file is not in that form. The form is rdflib's ``longturtle`` (one subject per block,
predicates and objects sorted) with exactly the project's prefixes from
:data:`kg.namespaces.PREFIXES` and blank nodes canonically labelled when there are any.
Comments and the original prefix names are not kept: documentation belongs in ``rdfs:comment``
or ``skos:definition``, where tools can see it. So that nothing is lost without a word,
:func:`comment_lines` finds the comments a rewrite would drop (``kg fmt`` refuses to drop them
unless told to). Files are written by :func:`kg.files.write_bytes` (atomic, keeps links and modes,
never writes a special or read-only file).
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import BNode, Graph, Literal

from kg.files import write_bytes
from kg.namespaces import PREFIXES
from kg.rdf_io import parse_file, parse_into

#: Turtle lexemes in which a "#" is not a comment (strings, IRIs, escapes), then comments.
_TURTLE_LEXEMES = re.compile(
    r'''(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
              |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
     |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
     |(?P<escape>\\.)
     |(?P<comment>\#[^\r\n]*)
     |[^"'<\\#]+|.''',
    re.VERBOSE | re.DOTALL,
)

# Whitespace followed by a line break inside a literal would be changed by stripping trailing
# whitespace from output lines; only graphs without such a literal get the stripping.
_SPACE_BEFORE_BREAK = re.compile(r"[ \t]\r?\n")


def with_project_prefixes(graph: Graph) -> Graph:
    """``graph`` bound to exactly the project's prefixes (rdflib's defaults and the source
    file's own prefix names dropped): a copy, unless ``graph`` has no prefixes bound at all
    (an export's graph of a million triples is not copied)."""
    out = graph if not any(True for _ in graph.namespaces()) else Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        out.bind(prefix, iri, override=True, replace=True)
    if out is not graph:
        out += graph
    return out


def turtle_bytes(graph: Graph) -> bytes:
    """The normalized Turtle serialization of ``graph`` (UTF-8)."""
    out = with_project_prefixes(graph)
    has_bnodes = any(isinstance(term, BNode) for triple in out for term in triple)
    text = out.serialize(format="longturtle", canon=has_bnodes, encoding="utf-8").decode("utf-8")
    if not any(isinstance(o, Literal) and _SPACE_BEFORE_BREAK.search(o) for o in out.objects()):
        # longturtle leaves spaces at the end of some lines around collections and object lists
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text.rstrip("\n").encode("utf-8") + b"\n"


def normalized_file_bytes(path: Path, data: bytes | None = None) -> bytes:
    """What ``path`` (its content ``data``, if already read) looks like in normalized form
    (raises ``GraphInputError`` if unreadable)."""
    if data is None:
        return turtle_bytes(parse_file(path))
    return turtle_bytes(parse_into(Graph(bind_namespaces="none"), path, data))


def comment_lines(text: str) -> list[int]:
    """The lines of Turtle ``text`` that hold a comment (which normalizing would drop)."""
    lines = []
    for match in _TURTLE_LEXEMES.finditer(text):
        if match.lastgroup == "comment":
            lines.append(text.count("\n", 0, match.start()) + 1)
    return lines


def format_file(path: Path, check: bool = False) -> bool:
    """Normalize one Turtle file in place; return whether it was (``check``: would be) changed.

    With ``check`` nothing is written.
    """
    path = Path(path)
    wanted = normalized_file_bytes(path)
    if path.read_bytes() == wanted:
        return False
    if not check:
        write_bytes(path, wanted)
    return True


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically: :func:`kg.files.write_bytes` (kept for callers
    of this older name)."""
    write_bytes(path, data)
