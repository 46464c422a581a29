"""Running SPARQL on rdflib or Oxigraph, with results in one engine-neutral form.

Two separate code paths, chosen by name: :class:`OxigraphEngine` only ever calls
``pyoxigraph.Store.query`` on a store read by pyoxigraph's parser, and never imports rdflib, so
asking for Oxigraph cannot quietly run rdflib's SPARQL engine (as oxrdflib does for prepared
queries). rdflib is imported only inside :class:`RdflibEngine`.

Results become :class:`Result`: variable names and rows of :class:`kg.params.Term` (``None``
for unbound), normalised so both engines' rows compare equal (plain strings without
``xsd:string``, canonical numbers).

Both engines refuse the same things before they parse (:func:`check_query`): SPARQL Update
("updates are not allowed here") and ``SERVICE`` unless the network is allowed
(:mod:`kg.offline`). Both run the query in :func:`kg.bounded.call`: a time limit
(:data:`DEFAULT_TIMEOUT`, ``kg query --timeout``) and Ctrl-C that works. A syntax error names the
line and column of the user's own text: the prologue of project prefixes and the bound
``VALUES`` blocks are taken out of the engine's position (:func:`execute`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from kg.errors import KgError
from kg.params import Term, bind, insertions, prologue, tokens
from kg.queries import Query

ENGINES = ("oxigraph", "rdflib")
DEFAULT_ENGINE = "oxigraph"
#: Seconds a query may run (``kg query --timeout``; the lookups' library queries too). None: no limit.
DEFAULT_TIMEOUT: float | None = 60.0
#: SPARQL Update operations: refused, this tool only reads.
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE",
                             "ADD", "WITH"})

Row = tuple[Term | None, ...]


class EngineError(KgError):
    """The engine refused or failed the query (syntax error, type error). One line."""


@dataclass
class Result:
    """Rows of a SELECT (or ``boolean`` for ASK; CONSTRUCT/DESCRIBE as ``subject predicate
    object`` rows), plus the engine that produced them and how long it took."""

    variables: list[str]
    rows: list[Row] = field(default_factory=list)
    boolean: bool | None = None
    engine: str = ""
    seconds: float = 0.0

    def as_dicts(self) -> list[dict[str, Term | None]]:
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]

    def keys(self) -> list[tuple[str | None, ...]]:
        """Rows as tuples of N-Triples strings: hashable and sortable, for comparisons."""
        return [tuple(None if t is None else t.n3() for t in row) for row in self.rows]


class Engine(Protocol):
    name: str

    def run(self, text: str, values: dict[str, Term] | None = None) -> Result:
        """Run complete SPARQL text: prologue and ``VALUES`` bindings already in place;
        ``values`` are the same bindings, for an engine that needs them again."""
        ...


def prepare(query: Query, values: dict[str, Term]) -> str:
    """The text an engine runs: parameters bound as VALUES, then the project prefixes."""
    check_query(query.text)
    try:
        return prologue(query.text) + bind(query.text, values)
    except ValueError as error:
        raise EngineError(f"{query.name}: {error}") from None


def execute(query: Query, values: dict[str, Term], engine: Engine) -> Result:
    """Run ``query`` with ``values`` bound on ``engine``; a syntax error's position is the one
    in the query's own text."""
    text = prepare(query, values)
    try:
        return engine.run(text, values)
    except EngineError as error:
        raise EngineError(user_position(str(error), query.text, values)) from None


def check_query(text: str) -> None:
    """Refuse what no command may run: SPARQL Update, and ``SERVICE`` (a request to another
    server) unless the network is allowed. Decided on tokens, so a keyword inside a string,
    IRI or comment is no keyword."""
    from kg.offline import refuse

    first, service = _scan(text)
    if first in UPDATE_KEYWORDS:
        raise EngineError(f"updates are not allowed here ({first} …): kg only reads the graph")
    if service is not None:
        refuse(f"SPARQL SERVICE at {_line_column(text, service)}")


@lru_cache(maxsize=256)
def _scan(text: str) -> tuple[str, int | None]:
    """The query's first keyword after its prologue, and the offset of its first SERVICE."""
    toks = tokens(text)
    first = next((word for word, _ in _after_prologue(toks)), "")
    service = next((offset for kind, tok, offset in toks if kind == "word" and tok.upper() == "SERVICE"), None)
    return first, service


def _after_prologue(toks: list[tuple[str, str, int]]) -> list[tuple[str, int]]:
    """The word tokens after the PREFIX and BASE declarations."""
    index = 0
    while index < len(toks) and toks[index][0] == "word" and toks[index][1].upper() in ("PREFIX", "BASE"):
        index += 3 if toks[index][1].upper() == "PREFIX" else 2
    return [(tok.upper(), offset) for kind, tok, offset in toks[index:] if kind == "word"]


def _line_column(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"line {line}, column {offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


#: Positions in engine messages: Oxigraph "error at L:C:", rdflib "(at char N), (line:L, col:C)".
_OXIGRAPH_AT = re.compile(r"^error at (\d+):(\d+):\s*")
_RDFLIB_AT = re.compile(r"\s*\(at char (\d+)\),\s*\(line:\d+, col:\d+\)")


def user_position(message: str, text: str, values: dict[str, Term]) -> str:
    """``message`` with the engine's position replaced by ``line L, column C`` of ``text``, the
    user's query (the engine saw the prologue on line 1 and VALUES blocks inserted)."""
    ran = prologue(text) + bind(text, values)
    offset = None
    ox = _OXIGRAPH_AT.search(message)
    if ox:
        line, column = int(ox.group(1)), int(ox.group(2))
        starts = [0] + [i + 1 for i, c in enumerate(ran) if c == "\n"]
        if line <= len(starts):
            offset = starts[line - 1] + column - 1
        message = message[ox.end():]
    rl = _RDFLIB_AT.search(message)
    if rl:
        offset = int(rl.group(1))
        message = message[:rl.start()] + message[rl.end():]
    if offset is None:
        return message
    offset -= len(prologue(text))
    for at, inserted in sorted(insertions(text, values).items()):
        if offset < at:
            break
        offset = max(at, offset - len(inserted))
    # past the last token (Oxigraph reports the end of the text): the last token is the culprit
    offset = min(max(offset, 0), max(len(text.rstrip()) - 1, 0))
    return f"{_line_column(text, offset)}: {message.strip()}"


# ---------------------------------------------------------------------------- Oxigraph


class OxigraphEngine:
    """Oxigraph's SPARQL over a pyoxigraph store (from :func:`kg.store.open_store`)."""

    name = "oxigraph"
    #: seconds the query may take (None: no limit)
    timeout: float | None = DEFAULT_TIMEOUT

    def __init__(self, store: Any) -> None:
        self.store = store

    def run(self, text: str, values: dict[str, Term] | None = None) -> Result:
        """``values`` are already in ``text`` as VALUES blocks; Oxigraph needs nothing more."""
        from kg.bounded import call

        check_query(text)
        started = time.perf_counter()
        try:
            result = call(lambda: self._answer(text), self.timeout)
        except (SyntaxError, OSError, RuntimeError, ValueError, TypeError) as error:
            raise EngineError(_one_line(error)) from None
        result.engine = self.name
        result.seconds = time.perf_counter() - started
        return result

    def _answer(self, text: str) -> Result:
        """Evaluate and read every row (Oxigraph evaluates lazily, while rows are read)."""
        import pyoxigraph

        answer = self.store.query(text)
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return Result([], [], bool(answer))
        if isinstance(answer, pyoxigraph.QuerySolutions):
            names = [v.value for v in answer.variables]
            return Result(names, [tuple(_from_oxigraph(s[n]) for n in names) for s in answer])
        rows = [(_from_oxigraph(t.subject), _from_oxigraph(t.predicate), _from_oxigraph(t.object))
                for t in answer]  # QueryTriples
        return Result(["subject", "predicate", "object"], rows)


def _from_oxigraph(term: Any) -> Term | None:
    import pyoxigraph

    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return Term.iri(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return Term.bnode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        return Term.literal(term.value, term.datatype.value, term.language)
    raise EngineError(f"unsupported term in results: {term!r}")


def oxigraph(files: Sequence[Path] | None = None, known_at: str | None = None) -> OxigraphEngine:
    """An Oxigraph engine over ``files`` (default: the project's graph files)."""
    from kg.store import StoreError, open_store

    try:
        return OxigraphEngine(open_store(files, known_at))
    except StoreError as error:
        raise EngineError(str(error)) from None


# ---------------------------------------------------------------------------- rdflib


class RdflibEngine:
    """rdflib's SPARQL engine over an rdflib ``Graph``; for cross-checking and small graphs.

    Parameters reach rdflib twice: as the VALUES blocks in the text (the standard meaning,
    which Oxigraph sees too) and as ``initBindings`` with the same terms. rdflib 7.6 "forgets"
    variables bound outside a FILTER's or BIND's own pattern when it pushes a join's bindings
    inward (a parameter used both in a query and in its sub-select comes out unbound in the
    sub-select's BIND); initBindings are the one kind of binding it never forgets. Both carry
    the same value, so they cannot disagree.
    """

    name = "rdflib"
    #: seconds the query may take (None: no limit)
    timeout: float | None = DEFAULT_TIMEOUT

    def __init__(self, graph: Any) -> None:
        self.graph = graph

    def run(self, text: str, values: dict[str, Term] | None = None) -> Result:
        from kg.bounded import call
        from kg.errors import TimedOut
        from kg.offline import NetworkRefused

        check_query(text)
        started = time.perf_counter()
        try:
            result = call(lambda: self._answer(text, values), self.timeout)
        except (TimedOut, NetworkRefused):
            raise
        except Exception as error:  # rdflib raises parser, type and attribute errors alike
            raise EngineError(_one_line(error)) from None
        result.engine = self.name
        result.seconds = time.perf_counter() - started
        return result

    def _answer(self, text: str, values: dict[str, Term] | None) -> Result:
        bindings = {name: _to_rdflib(term) for name, term in (values or {}).items()}
        answer = self.graph.query(text, initBindings=bindings)
        if answer.type == "ASK":
            return Result([], [], bool(answer.askAnswer))
        if answer.type == "SELECT":
            names = [str(v) for v in answer.vars or []]
            return Result(names, [tuple(_from_rdflib(value) for value in row) for row in answer])
        return Result(["subject", "predicate", "object"], [tuple(_from_rdflib(t) for t in triple) for triple in answer])


def _from_rdflib(term: Any) -> Term | None:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return Term.iri(str(term))
    if isinstance(term, BNode):
        return Term.bnode(str(term))
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype is not None else None
        return Term.literal(str(term), datatype, term.language)
    raise EngineError(f"unsupported term in results: {term!r}")


def _to_rdflib(term: Term) -> Any:
    from rdflib import Literal, URIRef

    if term.kind == "uri":
        return URIRef(term.value)
    if term.kind == "literal":
        return Literal(term.value, lang=term.lang, datatype=URIRef(term.datatype)
                       if term.datatype else None)
    raise EngineError("blank nodes cannot be bound as parameters")


def rdflib(files: Sequence[Path] | None = None, known_at: str | None = None) -> RdflibEngine:
    """An rdflib engine over ``files`` (default: the project's graph files).

    Its graph is the Oxigraph store's content (hand-written triples and the derived resolution)
    read back as N-Triples, so both engines answer over exactly the same triples and only their
    SPARQL evaluation differs, which is what the cross-check is for."""
    import pyoxigraph
    from rdflib import Graph

    from kg.store import StoreError, open_store

    try:
        store = open_store(files, known_at)
    except StoreError as error:
        raise EngineError(str(error)) from None
    data = pyoxigraph.serialize(store, format=pyoxigraph.RdfFormat.N_QUADS) or b""
    graph = Graph(bind_namespaces="none")
    graph.parse(data=data, format="nt")
    return RdflibEngine(graph)


# ---------------------------------------------------------------------------- choosing


def load_engine(name: str, files: Sequence[Path] | None = None, known_at: str | None = None) -> Engine:
    """The engine called ``name``, loaded with ``files`` (as known on ``known_at``). No
    fallback: an unknown name is an error, and each name has its own loader."""
    if name == "oxigraph":
        return oxigraph(files, known_at)
    if name == "rdflib":
        return rdflib(files, known_at)
    raise EngineError(f"unknown engine '{name}' (choose from {', '.join(ENGINES)})")


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 400 else text[:397] + "..."
