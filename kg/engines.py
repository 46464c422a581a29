"""Running SPARQL on rdflib or Oxigraph, with results in one engine-neutral form.

Two separate code paths, chosen by name: :class:`OxigraphEngine` only ever calls
``pyoxigraph.Store.query`` on a store read by pyoxigraph's parser, and never imports rdflib, so
asking for Oxigraph cannot quietly run rdflib's SPARQL engine (as oxrdflib does for prepared
queries). rdflib is imported only inside :class:`RdflibEngine`.

Results become :class:`Result`: variable names and rows of :class:`kg.params.Term` (``None``
for unbound), normalised so both engines' rows compare equal (plain strings without
``xsd:string``, canonical numbers).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kg.params import Term, bind, prologue
from kg.queries import Query

ENGINES = ("oxigraph", "rdflib")
DEFAULT_ENGINE = "oxigraph"

Row = tuple[Term | None, ...]


class EngineError(Exception):
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
    try:
        return prologue(query.text) + bind(query.text, values)
    except ValueError as error:
        raise EngineError(f"{query.name}: {error}") from None


def execute(query: Query, values: dict[str, Term], engine: Engine) -> Result:
    """Run ``query`` with ``values`` bound on ``engine``."""
    return engine.run(prepare(query, values), values)


# ---------------------------------------------------------------------------- Oxigraph


class OxigraphEngine:
    """Oxigraph's SPARQL over a pyoxigraph store (from :func:`kg.store.open_store`)."""

    name = "oxigraph"

    def __init__(self, store: Any) -> None:
        self.store = store

    def run(self, text: str, values: dict[str, Term] | None = None) -> Result:
        """``values`` are already in ``text`` as VALUES blocks; Oxigraph needs nothing more."""
        import pyoxigraph

        started = time.perf_counter()
        try:
            answer = self.store.query(text)
            if isinstance(answer, pyoxigraph.QueryBoolean):
                result = Result([], [], bool(answer))
            elif isinstance(answer, pyoxigraph.QuerySolutions):
                names = [v.value for v in answer.variables]
                rows = [tuple(_from_oxigraph(s[n]) for n in names) for s in answer]
                result = Result(names, rows)
            else:  # QueryTriples
                rows = [(_from_oxigraph(t.subject), _from_oxigraph(t.predicate),
                         _from_oxigraph(t.object)) for t in answer]
                result = Result(["subject", "predicate", "object"], rows)
        except (SyntaxError, OSError, RuntimeError, ValueError, TypeError) as error:
            raise EngineError(_one_line(error)) from None
        result.engine = self.name
        result.seconds = time.perf_counter() - started
        return result


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

    def __init__(self, graph: Any) -> None:
        self.graph = graph

    def run(self, text: str, values: dict[str, Term] | None = None) -> Result:
        started = time.perf_counter()
        try:
            bindings = {name: _to_rdflib(term) for name, term in (values or {}).items()}
            answer = self.graph.query(text, initBindings=bindings)
            if answer.type == "ASK":
                result = Result([], [], bool(answer.askAnswer))
            elif answer.type == "SELECT":
                names = [str(v) for v in answer.vars or []]
                rows = [tuple(_from_rdflib(value) for value in row) for row in answer]
                result = Result(names, rows)
            else:
                rows = [tuple(_from_rdflib(t) for t in triple) for triple in answer]
                result = Result(["subject", "predicate", "object"], rows)
        except Exception as error:  # rdflib raises parser, type and attribute errors alike
            raise EngineError(_one_line(error)) from None
        result.engine = self.name
        result.seconds = time.perf_counter() - started
        return result


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
