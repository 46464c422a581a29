"""One judge of RDF syntax for both paths: Oxigraph's parser, and its positions.

rdflib's Turtle parser reports the line where it *noticed* a problem, and its count drifts
inside multi-line literals (an undefined prefix on the last line of a 98-line file came out as
line 101); Oxigraph reports where the bad token starts. Both :mod:`kg.rdf_io` (rdflib) and
:mod:`kg.store` (Oxigraph) turn a parse failure into the same :class:`kg.errors.InputError`
through :func:`input_error`, so one malformed file gets one message and one, true, line.
No rdflib here.
"""

from __future__ import annotations

import re
from pathlib import Path

from kg.errors import InputError

_PREFIX = re.compile(r"^Parser error (at line \d+ (column \d+|between columns \d+ and \d+)|"
                     r"between line \d+ column \d+ and line \d+ column \d+):\s*")


def oxigraph_format(path: Path) -> object | None:
    """pyoxigraph's format for a file suffix (Turtle when unknown); None for JSON-LD, which
    rdflib alone reads (pyoxigraph would refuse every remote context)."""
    import pyoxigraph

    suffix = Path(path).suffix.lower()
    if suffix in (".jsonld", ".json"):
        return None
    return {
        ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
        ".nq": pyoxigraph.RdfFormat.N_QUADS,
        ".trig": pyoxigraph.RdfFormat.TRIG,
        ".n3": pyoxigraph.RdfFormat.N3,
        ".rdf": pyoxigraph.RdfFormat.RDF_XML,
        ".owl": pyoxigraph.RdfFormat.RDF_XML,
    }.get(suffix, pyoxigraph.RdfFormat.TURTLE)


def check_syntax(path: Path, data: bytes) -> None:
    """Raise :class:`InputError` (file, line, column, reason) if ``data`` does not parse."""
    import pyoxigraph

    fmt = oxigraph_format(path)
    if fmt is None:
        return
    try:
        for _ in pyoxigraph.parse(input=data, format=fmt, base_iri=Path(path).resolve().as_uri()):
            pass
    except (SyntaxError, ValueError, OSError) as error:
        raise input_error(path, error, data) from None


def input_error(path: Path, error: BaseException, data: bytes | None = None) -> InputError:
    """A pyoxigraph parse (or read) error as one line: ``FILE:LINE:COLUMN: reason``."""
    if data is not None and (isinstance(error, UnicodeDecodeError) or "utf-8" in str(error).lower()):
        from kg.files import decode

        try:
            decode(data or b"", path)
        except InputError as bad:
            return bad
    if isinstance(error, SyntaxError):
        message = error.msg or str(error)
        reason = _PREFIX.sub("", message)
        if error.end_lineno is not None and error.lineno is not None and error.end_lineno > error.lineno \
                and reason.lower().startswith("unexpected end of file"):
            reason += " (what starts here is never closed)"
        return InputError(path, reason[:1].lower() + reason[1:], error.lineno, error.offset)
    return InputError(path, " ".join(str(error).split()) or type(error).__name__)
