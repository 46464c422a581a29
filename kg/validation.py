"""SHACL validation of the graph against ``ontology/shapes.ttl``, with reports for people and tools.

How validation runs (the decisions, measured and tested in ``tests/test_shapes.py``):

- The data graph is the **ontology merged with the data** (``border-kg.ttl``, ``vocab.ttl`` and
  the data files), validated by pyshacl with ``inference="none"``. SHACL follows
  ``rdfs:subClassOf`` in the data graph, so with the ontology merged in, ``sh:targetClass
  bk:Actor`` reaches a node typed only ``bk:EthnicArmedOrganization`` and ``sh:class bk:Actor``
  accepts it; without the ontology both would silently miss it. The merge also brings the SKOS
  vocabularies, which the shapes use to check that a value is a concept of the right scheme.
- No RDFS inference: it would type every ``bk:imposedBy`` value as a ``bk:State`` and every
  ``bk:agent`` as a ``bk:Actor`` (``rdfs:range``), so those ``sh:class`` checks could never fail;
  it is also about twice as slow.
- Warnings and infos do not break conformance (``allow_warnings``/``allow_infos``): a graph
  *conforms* when it has no ``sh:Violation``.
- Beyond SHACL, :func:`validate` checks every quote against its source's archived text
  (:mod:`kg.quotes`); a missing quote is a violation in the same report.
- Shapes pyshacl cannot run (a ``sh:sparql`` query that does not parse…) are
  :class:`ValidationRunError`, exit 2, never a traceback.

pyshacl and rdflib are imported inside the functions: importing this module is cheap.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import KgError
from kg.namespaces import PREFIXES

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph
    from rdflib.term import Node

SH = PREFIXES["sh"]

#: Severities from most to least serious, by their short names (the local name of sh:Violation…).
SEVERITIES: tuple[str, ...] = ("Violation", "Warning", "Info")


class ValidationRunError(KgError):
    """pyshacl could not run the shapes (a broken shape, not bad data). One line, for exit code 2."""


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL validation result.

    IRIs are given in full (``render_text`` shortens them with the project prefixes).
    ``result_path`` is the property IRI for a simple path, or a SPARQL property-path expression
    with ``<IRI>`` terms for a complex one (``<…#hasSide>/<…#sideCountry>``); ``None`` for a
    node-level constraint. ``value`` is an IRI, a literal in N-Triples form (``"x"^^<…#date>``),
    or ``None``. ``severity`` is ``"Violation"``, ``"Warning"`` or ``"Info"``.
    ``constraint_component`` is the full IRI (``http://www.w3.org/ns/shacl#MinCountConstraintComponent``).
    """

    focus_node: str
    result_path: str | None
    constraint_component: str
    severity: str
    message: str
    source_shape: str
    value: str | None


@dataclass(frozen=True)
class ValidationOutcome:
    """Whether the graph conforms (no violations) and every result, sorted: violations first,
    then warnings and infos, each by focus node, path, component, shape, value and message."""

    conforms: bool
    results: list[ValidationResult]

    def counts(self) -> dict[str, int]:
        """Number of results per severity, every severity present (``{"Violation": 0, …}``)."""
        counts = dict.fromkeys(SEVERITIES, 0)
        for result in self.results:
            counts[result.severity] = counts.get(result.severity, 0) + 1
        return counts


# ---------------------------------------------------------------------------------- validating


def validate(data_files: list[Path] | None = None) -> ValidationOutcome:
    """Validate the project graph, or the given data files together with the ontology.

    ``None`` validates what ``kg.paths.graph_files()`` lists (ontology + every data file).
    Otherwise the ontology files (without the shapes) are merged with ``data_files``.
    A file that cannot be read raises :class:`kg.rdf_io.GraphInputError`; shapes pyshacl
    cannot use raise :class:`ValidationRunError`.
    """
    from kg import paths, rdf_io

    if data_files is None:
        files = paths.graph_files()
    else:
        files = list(dict.fromkeys([*paths.ontology_files(), *(Path(f) for f in data_files)]))
    shapes = rdf_io.load_shapes()
    graph = rdf_io.load_graph(files)
    outcome = validate_graph(graph, shapes)
    from kg.quotes import check_quotes

    missing = check_quotes(graph)
    if not missing:
        return outcome
    return ValidationOutcome(conforms=False, results=sorted([*outcome.results, *missing], key=_sort_key))


def validate_graph(data_graph: Graph, shapes_graph: Graph | None = None,
                   focus_nodes: list[Any] | None = None) -> ValidationOutcome:
    """Validate an rdflib graph that already holds the ontology (see the module docstring).

    ``shapes_graph`` defaults to the project's shapes. With ``focus_nodes``, only those nodes
    are checked (against everything in the graph): what ``kg add`` writes. The data graph is
    not modified.
    """
    import pyshacl
    from pyshacl.errors import ReportableRuntimeError

    if shapes_graph is None:
        from kg import rdf_io

        shapes_graph = rdf_io.load_shapes()
    try:
        conforms, report, _ = pyshacl.validate(
            data_graph,
            shacl_graph=shapes_graph,
            inference="none",
            advanced=False,
            allow_warnings=True,
            allow_infos=True,
            **({"focus_nodes": focus_nodes} if focus_nodes is not None else {}),
        )
    except ReportableRuntimeError as error:
        raise ValidationRunError(" ".join(str(error.message).split())) from None
    except Exception as error:
        # a shape the libraries cannot run (a sh:sparql query that does not parse…) is bad
        # input; an error of our own is a bug and goes on
        if type(error).__module__.split(".")[0] not in ("pyparsing", "rdflib", "pyshacl"):
            raise
        reason = " ".join(str(error).split()) or type(error).__name__
        raise ValidationRunError(f"{type(error).__name__} in a shape: {reason}") from None
    if isinstance(report, Exception):  # pyshacl returns a ValidationFailure instead of a report
        reason = " ".join(str(getattr(report, "message", report)).split())
        raise ValidationRunError(reason or type(report).__name__)
    results = _read_report(report, shapes_graph)
    return ValidationOutcome(conforms=bool(conforms), results=results)


def _read_report(report: Graph, shapes_graph: Graph) -> list[ValidationResult]:
    from rdflib import RDF, URIRef

    sh = lambda name: URIRef(SH + name)  # noqa: E731
    found: set[ValidationResult] = set()
    # only the report's own results: pyshacl also types the nested sh:detail results (why a
    # sh:node or sh:or failed) as sh:ValidationResult
    top = [n for r in report.subjects(RDF.type, sh("ValidationReport")) for n in report.objects(r, sh("result"))]
    for node in top:
        one = lambda name: report.value(node, sh(name))  # noqa: E731, B023
        path = one("resultPath")
        value = one("value")
        messages = sorted(str(m) for m in report.objects(node, sh("resultMessage")))
        found.add(
            ValidationResult(
                focus_node=term_string(one("focusNode")),
                result_path=None if path is None else path_string(report, path),
                constraint_component=term_string(one("sourceConstraintComponent")),
                severity=_local_name(str(one("resultSeverity"))),
                message=" ".join(messages),
                source_shape=_shape_string(shapes_graph, report, one("sourceShape")),
                value=None if value is None else term_string(value),
            )
        )
    return sorted(found, key=_sort_key)


def _sort_key(result: ValidationResult) -> tuple[Any, ...]:
    rank = SEVERITIES.index(result.severity) if result.severity in SEVERITIES else len(SEVERITIES)
    return (
        rank,
        result.focus_node,
        result.result_path or "",
        result.constraint_component,
        result.source_shape,
        result.value or "",
        result.message,
    )


# ---------------------------------------------------------------------------------- a change


#: How many links out from a changed node the shapes can look: a shape on the node, a nested
#: shape (``sh:node``) on a value, and the class of that value's values (``sh:class``).
#: ``tests/test_shapes.py`` checks that validating a change this way gives the full verdict.
REACH = 3


def validate_change(base: Any, added: Graph, shapes_graph: Graph | None = None) -> tuple[ValidationOutcome, Graph, set[str]]:
    """Validate the triples ``added`` to the graph in ``base`` (a pyoxigraph store of the
    hand-written graph, ontology included), looking only at what the change can affect.

    The focus nodes are the subjects of ``added``, the objects it gives a link that a shape
    follows backwards (``sh:inversePath``), and the nodes pointing at a node it gives a new
    type (their ``sh:class`` checks may change). Around them, the data graph holds what their
    constraints reach: the ontology, ``added``, and from each focus node (and each node that
    links to it backwards) every triple up to :data:`REACH` links out. That part is validated
    whole and the results on the focus nodes kept (those the full validation of the graph with
    the change finds there). Returns the outcome, that data graph (for the ``*-violation``
    queries) and the focus nodes."""
    import pyoxigraph as ox
    from rdflib import RDF, URIRef

    from kg import paths, rdf_io

    if shapes_graph is None:
        shapes_graph = rdf_io.load_shapes()
    inverse = {str(o) for o in shapes_graph.objects(None, URIRef(SH + "inversePath")) if isinstance(o, URIRef)}
    focus = {str(s) for s in added.subjects() if isinstance(s, URIRef)}
    focus |= {str(o) for s, p, o in added if str(p) in inverse and isinstance(o, URIRef)}
    retyped = {str(s) for s in added.subjects(RDF.type) if isinstance(s, URIRef)}
    for node in sorted(retyped):
        if next(iter(base.quads_for_pattern(ox.NamedNode(node), None, None)), None) is not None:
            focus |= {q.subject.value for q in base.quads_for_pattern(None, None, ox.NamedNode(node))
                      if isinstance(q.subject, ox.NamedNode)}
    starts = set(focus)
    for predicate in inverse:
        for node in focus:
            starts |= {q.subject.value for q in base.quads_for_pattern(None, ox.NamedNode(predicate), ox.NamedNode(node))}
    # links out of a node: the graph's, and the change's own
    added_objects: dict[str, list[Any]] = {}
    for s, _p, o in added:
        if isinstance(o, URIRef):
            added_objects.setdefault(str(s), []).append(ox.NamedNode(str(o)))
    quads: list[Any] = []
    seen = set(starts)
    frontier = [ox.NamedNode(n) for n in sorted(starts)]
    for _ in range(REACH):
        following = []
        for node in frontier:
            targets = list(added_objects.get(node.value, []))
            for quad in base.quads_for_pattern(node, None, None, ox.DefaultGraph()):
                quads.append(quad)
                targets.append(quad.object)
            for target in targets:
                if isinstance(target, (ox.NamedNode, ox.BlankNode)) and target.value not in seen:
                    seen.add(target.value)
                    following.append(target)
        frontier = following
    data = rdf_io.load_graph(paths.ontology_files())
    data.parse(data=ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads],
                                 format=ox.RdfFormat.N_TRIPLES) or b"", format="nt")
    for triple in added:
        data.add(triple)
    # every node of that part, then the focus nodes' results: pyshacl's focus_nodes mode drops
    # some results of nested shapes (sh:or, sh:node, sh:qualifiedValueShape) on those nodes
    whole = validate_graph(data, shapes_graph)
    results = [r for r in whole.results if r.focus_node in focus]
    return ValidationOutcome(not any(r.severity == "Violation" for r in results), results), data, focus


# ---------------------------------------------------------------------------------- terms


def term_string(term: Node | None) -> str:
    """An IRI as itself, a literal in N-Triples form, a blank node as ``_:id``."""
    from rdflib import BNode, Literal

    if term is None:
        return ""
    if isinstance(term, Literal):
        return term.n3()
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def path_string(graph: Graph, path: Node) -> str:
    """A SHACL path as text: the IRI of a predicate path, else a SPARQL property path.

    ``graph`` holds the path's blank nodes (a report graph or a shapes graph).
    """
    from rdflib import URIRef

    if isinstance(path, URIRef):
        return str(path)
    return _path_expression(graph, path)


def _path_expression(graph: Graph, path: Node) -> str:
    from rdflib import RDF, URIRef
    from rdflib.collection import Collection

    sh = lambda name: URIRef(SH + name)  # noqa: E731
    if isinstance(path, URIRef):
        return f"<{path}>"
    if graph.value(path, RDF.first) is not None:
        return "/".join(_grouped(graph, p) for p in Collection(graph, path))
    inverse = graph.value(path, sh("inversePath"))
    if inverse is not None:
        return "^" + _grouped(graph, inverse)
    alternatives = graph.value(path, sh("alternativePath"))
    if alternatives is not None:
        return "|".join(_grouped(graph, p) for p in Collection(graph, alternatives))
    for name, mark in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
        inner = graph.value(path, sh(name))
        if inner is not None:
            return _grouped(graph, inner) + mark
    return f"_:{path}"


def _grouped(graph: Graph, path: Node) -> str:
    """A path expression, in parentheses unless it is a single IRI."""
    from rdflib import URIRef

    text = _path_expression(graph, path)
    return text if isinstance(path, URIRef) else f"({text})"


def _shape_string(shapes_graph: Graph, report: Graph, shape: Node | None) -> str:
    """A shape's IRI; for an unnamed shape, ``[sh:path …]`` (stable across runs) or ``_:id``."""
    from rdflib import BNode, URIRef

    if isinstance(shape, BNode):
        for graph in (shapes_graph, report):
            path = graph.value(shape, URIRef(SH + "path"))
            if path is not None:
                return f"[<{SH}path> {_grouped(graph, path)}]"
    return term_string(shape)


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


# ---------------------------------------------------------------------------------- rendering


def shorten(text: str | None) -> str:
    """An IRI as a prefixed name (``bk:date``), and every ``<IRI>`` inside a path or literal too.

    IRIs outside the project prefixes (:data:`kg.namespaces.PREFIXES`) stay as they are.
    """
    if not text:
        return ""
    if not text.startswith(('"', "_:", "(", "^", "[", "<")) and "://" in text:
        return _prefixed(text) or text
    return re.sub(r"<([^<>\s]+)>", lambda m: _prefixed(m.group(1)) or m.group(0), text)


def _prefixed(iri: str) -> str | None:
    best: tuple[str, str] | None = None
    for name, namespace in PREFIXES.items():
        if iri.startswith(namespace) and (best is None or len(namespace) > len(best[1])):
            best = (name, namespace)
    if best is None:
        return None
    local = iri[len(best[1]):]
    if not re.fullmatch(r"[A-Za-z0-9_]([A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?|", local):
        return None
    return f"{best[0]}:{local}"


def _shorten_in_text(text: str) -> str:
    """Project IRIs inside free text (a SPARQL constraint's message names nodes) as prefixed names."""
    namespaces = "|".join(re.escape(ns) for ns in sorted(PREFIXES.values(), key=len, reverse=True))
    pattern = rf"(?:{namespaces})(?:[A-Za-z0-9_\-.]*[A-Za-z0-9_\-])?"
    return re.sub(pattern, lambda m: _prefixed(m.group(0)) or m.group(0), text)


def summary_line(outcome: ValidationOutcome) -> str:
    """``Conforms: 0 violations, 3 warnings, 0 infos.`` or ``Does not conform: …``."""
    counts = outcome.counts()
    words = {"Violation": "violation", "Warning": "warning", "Info": "info"}
    parts = [
        f"{n} {words.get(severity, severity.lower())}{'' if n == 1 else 's'}"
        for severity, n in counts.items()
    ]
    head = "Conforms" if outcome.conforms else "Does not conform"
    return f"{head}: {', '.join(parts)}."


def render_text(outcome: ValidationOutcome) -> str:
    """A report for people: one block per result, then the summary line."""
    blocks = []
    for result in outcome.results:
        lines = [f"{result.severity}: {shorten(result.focus_node)}", f"  {_shorten_in_text(result.message)}"]
        if result.result_path is not None:
            lines.append(f"  path:      {shorten(result.result_path)}")
        if result.value is not None and result.value != result.focus_node:
            lines.append(f"  value:     {shorten(result.value)}")
        lines.append(f"  component: {shorten(result.constraint_component)}")
        lines.append(f"  shape:     {shorten(result.source_shape)}")
        blocks.append("\n".join(lines))
    blocks.append(summary_line(outcome))
    return "\n\n".join(blocks) + "\n"


def render_json(outcome: ValidationOutcome) -> str:
    """``{"conforms": …, "results": [{…}, …]}`` with full IRIs, in the outcome's (sorted) order."""
    from kg.output import json_text

    document = {"conforms": outcome.conforms, "results": [asdict(r) for r in outcome.results]}
    return json_text(document) + "\n"
