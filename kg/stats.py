"""What the graph holds, counted: the numbers a reviewer checks after adding an article.

Counting walks the triples in Python rather than running SPARQL: rdflib's query engine costs
more to start than the whole count (see the performance guide). Subclasses are resolved from the
ontology's ``rdfs:subClassOf``, so a ``bk:ControlClaim`` counts as a claim.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SH, SKOS

from kg.namespaces import ONTOLOGY, PREFIXES

BK_CLAIM = URIRef(ONTOLOGY + "Claim")
BK_EVENT = URIRef(ONTOLOGY + "Event")
BK_ATTRIBUTION = URIRef(ONTOLOGY + "attribution")
BK_EVENT_TYPE = URIRef(ONTOLOGY + "eventType")

CLASS_TYPES = (OWL.Class, RDFS.Class)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)

Row = dict[str, Any]

#: Longest name shown in a table row.
NAME_WIDTH = 80


def compact(iri: str) -> str:
    """``bk:Town`` for a project IRI, the full IRI otherwise."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def label(graph: Graph, node: Any) -> str:
    """A human name for ``node``: its English (or untagged) prefLabel, label or title."""
    for predicate in (SKOS.prefLabel, RDFS.label, DCTERMS.title):
        literals = [o for o in graph.objects(node, predicate) if isinstance(o, Literal)]
        english = [o for o in literals if (o.language or "en").lower().startswith("en")]
        if literals:
            return min(str(o) for o in english or literals)
    return compact(str(node)) if isinstance(node, URIRef) else str(node)


def subclasses(graph: Graph, root: URIRef) -> set[URIRef]:
    """``root`` and every class below it (``rdfs:subClassOf``, transitively)."""
    found = {root}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for child in graph.subjects(RDFS.subClassOf, parent):
            if isinstance(child, URIRef) and child not in found:
                found.add(child)
                frontier.append(child)
    return found


def instances(graph: Graph, root: URIRef) -> set[Any]:
    """Nodes typed with ``root`` or one of its subclasses."""
    return {s for cls in subclasses(graph, root) for s in graph.subjects(RDF.type, cls)}


def graph_stats(graph: Graph, shapes: Graph | None = None) -> dict[str, Any]:
    """All counts as plain data (the ``--json`` output without the file list)."""
    shapes = shapes if shapes is not None else Graph()
    claims = instances(graph, BK_CLAIM)
    events = instances(graph, BK_EVENT)
    return {
        "triples": len(graph),
        "defined": {
            "classes": len(_typed_iris(graph, CLASS_TYPES)),
            "properties": len(_typed_iris(graph, PROPERTY_TYPES)),
            "node_shapes": len(set(shapes.subjects(RDF.type, SH.NodeShape))),
            "property_shapes": len(
                set(shapes.subjects(RDF.type, SH.PropertyShape)) | set(shapes.objects(None, SH.property))
            ),
        },
        "instances_by_class": _rows(
            Counter(o for o in graph.objects(None, RDF.type)),
            name=lambda node: compact(str(node)),
        ),
        "claims": len(claims),
        "claims_by_source": _disambiguated(graph, _grouped(graph, claims, PROV.wasDerivedFrom, "(no source)")),
        "claims_by_attribution": _grouped(graph, claims, BK_ATTRIBUTION, "(no attribution)"),
        "events": len(events),
        "events_by_type": _grouped(graph, events, BK_EVENT_TYPE, "(no type)"),
    }


def render_table(stats: dict[str, Any], width: int | None = None) -> str:
    """The stats as text tables for people (fitted to ``width`` columns when given)."""
    defined = stats["defined"]
    lines = []
    if "root" in stats:
        lines.append(f"Graph at {stats['root']}: {len(stats.get('files', []))} files")
    lines += [
        f"{stats['triples']} triples; defined: {defined['classes']} classes, "
        f"{defined['properties']} properties, {defined['node_shapes']} node shapes, "
        f"{defined['property_shapes']} property shapes",
        "",
    ]
    sections = [
        ("Instances by class", "class", stats["instances_by_class"]),
        (f"Claims by source ({stats['claims']} claims)", "source", stats["claims_by_source"]),
        (f"Claims by attribution ({stats['claims']} claims)", "attribution", stats["claims_by_attribution"]),
        (f"Events by type ({stats['events']} events)", "event type", stats["events_by_type"]),
    ]
    for title, heading, rows in sections:
        lines.append(title)
        lines.extend(_table(heading, rows, width) if rows else ["  (none)"])
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _typed_iris(graph: Graph, types: Iterable[URIRef]) -> set[URIRef]:
    return {s for t in types for s in graph.subjects(RDF.type, t) if isinstance(s, URIRef)}


def _grouped(graph: Graph, nodes: set[Any], predicate: URIRef, missing: str) -> list[Row]:
    """Count ``nodes`` by their value(s) of ``predicate``; a node with two values counts twice."""
    counts: Counter[Any] = Counter()
    for node in nodes:
        values = set(graph.objects(node, predicate))
        counts.update(values or {None})
    return _rows(counts, name=lambda value: missing if value is None else label(graph, value))


def _disambiguated(graph: Graph, rows: list[Row]) -> list[Row]:
    """Add the title to sources that share a label: web pages are often labelled by their
    publisher alone ("The Irrawaddy")."""
    shared = {name for name, n in Counter(row["name"] for row in rows).items() if n > 1}
    for row in rows:
        if row["name"] in shared and row["iri"]:
            titles = sorted(str(t) for t in graph.objects(URIRef(row["iri"]), DCTERMS.title))
            if titles:
                row["name"] = f"{row['name']}: {titles[0]}"
    return sorted(rows, key=lambda row: (-row["count"], row["name"], row["iri"] or ""))


def _rows(counts: Counter[Any], name: Any) -> list[Row]:
    """Rows sorted by count (descending), then name."""
    rows = [
        {"name": name(node), "iri": str(node) if isinstance(node, URIRef) else None, "count": count}
        for node, count in counts.items()
        if not isinstance(node, BNode)
    ]
    return sorted(rows, key=lambda row: (-row["count"], row["name"], row["iri"] or ""))


def _table(heading: str, rows: list[Row], width: int | None = None) -> list[str]:
    from kg.output import aligned
    from kg.terminal import cell

    cells = [[cell(_clip(row["name"])), str(row["count"])] for row in rows]
    fit = None if width is None else width - 2
    return ["  " + line for line in aligned([heading, "count"], cells, right=[1], width=fit)]


def _clip(text: str, limit: int = NAME_WIDTH) -> str:
    """Long names cut for the table (``--json`` keeps them whole)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
