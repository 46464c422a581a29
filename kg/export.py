"""The merged graph (ontology + data) in the usual RDF formats, byte-for-byte reproducible.

rdflib iterates triples in hash order, which changes between processes; each writer here fixes
an order so that two exports of the same graph are identical and diffs between releases show
real changes only:

- ``ttl``: the canonical Turtle of :mod:`kg.normalize`;
- ``nt``: N-Triples lines, sorted;
- ``jsonld``: JSON-LD compacted with the project prefixes, keys and arrays sorted (``@list``
  arrays keep their order);
- ``trig``: the hand-written graph as the named graph :data:`GRAPH_IRI` and the derived
  resolution as :data:`RESOLUTION_GRAPH_IRI`, so it can be loaded into a quad store without
  guessing what that store's "default graph" means, and the two layers stay apart.

Every format carries the resolution (kg/derived.py: resolved periods, effective ends), so the
headline question can be answered in plain SPARQL from an export alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from rdflib import BNode, Graph
from rdflib.compare import to_canonical_graph

from kg.namespaces import BASE, PREFIXES
from kg.normalize import turtle_bytes, with_project_prefixes

#: The names of the graphs in TriG exports: the hand-written graph and the derived resolution.
GRAPH_IRI = BASE + "graph"
RESOLUTION_GRAPH_IRI = BASE + "graph/resolution"


def canonical(graph: Graph) -> Graph:
    """``graph`` with blank nodes relabelled canonically (unchanged if it has none)."""
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        return to_canonical_graph(graph)
    return graph


def to_turtle(graph: Graph) -> bytes:
    return turtle_bytes(graph)


def to_ntriples(graph: Graph) -> bytes:
    text = canonical(graph).serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return "".join(line + "\n" for line in lines).encode("utf-8")


def to_jsonld(graph: Graph) -> bytes:
    compact = with_project_prefixes(canonical(graph))
    document = json.loads(compact.serialize(format="json-ld", context=dict(PREFIXES), encoding="utf-8"))
    return (json.dumps(_sorted_arrays(document), indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def to_trig(graph: Graph, resolution: Graph) -> bytes:
    """The project's prefixes once, then each graph's canonical Turtle body in a graph block, in
    a fixed order (rdflib's TriG writer orders graphs by hash, which changes between runs)."""
    prefixes = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
    blocks = []
    for name, part in ((GRAPH_IRI, graph), (RESOLUTION_GRAPH_IRI, resolution)):
        body = turtle_bytes(part).decode("utf-8").splitlines()
        statements = "\n".join(line for line in body if not line.startswith(("PREFIX ", "@prefix "))).strip("\n")
        blocks.append(f"<{name}> {{\n{statements}\n}}\n")
    return (prefixes + "\n" + "\n".join(blocks)).encode("utf-8")


WRITERS: dict[str, Callable[[Graph], bytes]] = {
    "ttl": to_turtle,
    "nt": to_ntriples,
    "jsonld": to_jsonld,
}
FORMATS = (*WRITERS, "trig")


def export_bytes(graph: Graph, fmt: str, resolution: Graph | None = None) -> bytes:
    """``graph`` with its derived ``resolution`` (no blank nodes) serialized as ``fmt``."""
    resolution = resolution if resolution is not None else Graph()
    if fmt == "trig":
        return to_trig(graph, resolution)
    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {sorted(FORMATS)}") from None
    merged = Graph(bind_namespaces="none")
    merged += graph
    merged += resolution
    return writer(merged)


def _sorted_arrays(value: Any, ordered: bool = False) -> Any:
    """Sort every JSON array by its items' JSON text, except the members of ``@list``."""
    if isinstance(value, dict):
        return {key: _sorted_arrays(item, ordered=key == "@list") for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_arrays(item) for item in value]
        if ordered:
            return items
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value
