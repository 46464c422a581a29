"""The merged graph (ontology + data) in the usual RDF formats, byte-for-byte reproducible.

The triples come from Oxigraph (:func:`kg.store.layers`: the files parsed by pyoxigraph, the
resolution kept with the store), so literals are written in Oxigraph's canonical form
(``"52000000"^^xsd:decimal`` for a file's ``52000000.0``: the same value). Each writer fixes an
order so that two exports of the same graph are identical and diffs between releases show real
changes only:

- ``nt``: N-Triples lines as Oxigraph writes them, sorted, no rdflib (when the graph has no
  blank nodes, whose labels Oxigraph makes up per process: then rdflib labels them canonically);
- ``ttl``: the canonical Turtle of :mod:`kg.normalize`;
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

import re
from typing import TYPE_CHECKING

from kg.namespaces import BASE, PREFIXES

if TYPE_CHECKING:  # rdflib only where a writer needs it: N-Triples goes without it
    from rdflib import Graph

#: The names of the graphs in TriG exports: the hand-written graph and the derived resolution.
GRAPH_IRI = BASE + "graph"
RESOLUTION_GRAPH_IRI = BASE + "graph/resolution"


def canonical(graph: Graph) -> Graph:
    """``graph`` with blank nodes relabelled canonically (unchanged if it has none)."""
    from rdflib import BNode
    from rdflib.compare import to_canonical_graph

    if any(isinstance(term, BNode) for triple in graph for term in triple):
        return to_canonical_graph(graph)
    return graph


def to_turtle(graph: Graph) -> bytes:
    from kg.normalize import turtle_bytes

    return turtle_bytes(graph)


def to_ntriples(graph: Graph) -> bytes:
    text = canonical(graph).serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return "".join(line + "\n" for line in lines).encode("utf-8")


def to_jsonld(graph: Graph) -> bytes:
    from kg.normalize import with_project_prefixes

    compact = with_project_prefixes(canonical(graph))
    document = json.loads(compact.serialize(format="json-ld", context=dict(PREFIXES), encoding="utf-8"))
    return (json.dumps(_sorted_arrays(document), indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def to_trig(graph: Graph, resolution: Graph) -> bytes:
    """The project's prefixes once, then each graph's canonical Turtle body in a graph block, in
    a fixed order (rdflib's TriG writer orders graphs by hash, which changes between runs)."""
    from kg.normalize import turtle_bytes

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


#: a blank node as the subject or the object of an N-Triples line (not inside a literal)
_BLANK = re.compile(rb"^_:|[ \t]_:[^ \t]+[ \t]*\.[ \t]*$", re.M)


def export_layers(hand: bytes, resolution: bytes, fmt: str) -> tuple[bytes, int]:
    """The graph's two layers (N-Triples, from :func:`kg.store.layers`) as ``fmt``, and the
    number of triples. N-Triples of a graph without blank nodes is Oxigraph's own lines,
    deduplicated and sorted; everything else goes through rdflib."""
    lines = set(hand.splitlines())
    lines.update(resolution.splitlines())
    lines.discard(b"")
    if fmt == "nt" and not _BLANK.search(hand) and not _BLANK.search(resolution):
        return b"".join(line + b"\n" for line in sorted(lines)), len(lines)
    from rdflib import Graph

    if fmt == "trig":
        graph = Graph(bind_namespaces="none").parse(data=hand, format="nt")
        derived = Graph(bind_namespaces="none").parse(data=resolution, format="nt")
        return to_trig(graph, derived), len(lines)
    # one graph of both layers, parsed once (no copy into a merged graph)
    merged = Graph(bind_namespaces="none").parse(data=hand + b"\n" + resolution, format="nt")
    return WRITERS[fmt](merged), len(merged)


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
