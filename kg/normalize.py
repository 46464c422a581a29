"""The one canonical Turtle writer.

Every Turtle file the project writes goes through :func:`turtle_bytes`, so the same graph always
gives the same bytes: reviews show real changes only and ``kg fmt --check`` can fail a build
when a file is not in that form. The form is rdflib's ``longturtle`` (one subject per block,
predicates and objects sorted) with exactly the project's prefixes from
:data:`kg.namespaces.PREFIXES` and blank nodes canonically labelled when there are any.
Comments and the original prefix names are not kept: documentation belongs in ``rdfs:comment``
or ``skos:definition``, where tools can see it.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from rdflib import BNode, Graph, Literal

from kg.namespaces import PREFIXES
from kg.rdf_io import parse_file

# Whitespace followed by a line break inside a literal would be changed by stripping trailing
# whitespace from output lines; only graphs without such a literal get the stripping.
_SPACE_BEFORE_BREAK = re.compile(r"[ \t]\r?\n")


def with_project_prefixes(graph: Graph) -> Graph:
    """A copy of ``graph`` bound to exactly the project's prefixes (rdflib's defaults and the
    source file's own prefix names dropped)."""
    out = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        out.bind(prefix, iri, override=True, replace=True)
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


def normalized_file_bytes(path: Path) -> bytes:
    """What ``path`` looks like in normalized form (raises ``GraphInputError`` if unreadable)."""
    return turtle_bytes(parse_file(path))


def format_file(path: Path, check: bool = False) -> bool:
    """Normalize one Turtle file in place; return whether it was (``check``: would be) changed.

    With ``check`` nothing is written.
    """
    path = Path(path)
    wanted = normalized_file_bytes(path)
    if path.read_bytes() == wanted:
        return False
    if not check:
        atomic_write(path, wanted)
    return True


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so readers see the old file or the new one, never half.

    The temporary file lives in the same folder (``os.replace`` is atomic only within one file
    system) and is synced before the rename; an existing file's permissions are kept.
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every platform can open a folder)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
