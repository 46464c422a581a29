"""What the graph holds, counted: the numbers a reviewer checks after adding an article.

Counted by Oxigraph (SPARQL aggregates) on a store of the hand-written triples only (no
derived resolution): built with the on-disk store and kept next to it as a table (same content
key), so ``kg stats`` on a warm store reads a small file; on an in-memory graph it is counted
there. Subclasses are followed through the ontology's ``rdfs:subClassOf``, so a
``bk:ControlClaim`` counts as a claim. The shapes are counted from their own file.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from kg.namespaces import ONTOLOGY, PREFIXES

Row = dict[str, Any]

#: Longest name shown in a table row.
NAME_WIDTH = 80

_PREFIXES = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
DEFINED_QUERY = _PREFIXES + """
SELECT (COUNT(DISTINCT ?class) AS ?classes) (COUNT(DISTINCT ?property) AS ?properties) WHERE {
  { VALUES ?type { owl:Class rdfs:Class } ?class a ?type FILTER (isIRI(?class)) }
  UNION
  { VALUES ?type { owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty rdf:Property }
    ?property a ?type FILTER (isIRI(?property)) }
}"""
INSTANCES_QUERY = "SELECT ?type (COUNT(*) AS ?n) WHERE { ?s a ?type FILTER (!isBlank(?type)) } GROUP BY ?type"
#: members of a class tree (instances of ?root or a subclass), counted by one property's values
GROUPED_QUERY = _PREFIXES + """
SELECT ?value (COUNT(DISTINCT ?node) AS ?n) WHERE {
  { SELECT DISTINCT ?node WHERE { ?class rdfs:subClassOf* %s FILTER (isIRI(?class)) ?node a ?class } }
  OPTIONAL { ?node %s ?value }
} GROUP BY ?value"""
MEMBERS_QUERY = _PREFIXES + """
SELECT (COUNT(DISTINCT ?node) AS ?n) WHERE { ?class rdfs:subClassOf* %s FILTER (isIRI(?class)) ?node a ?class }"""
NAMES_QUERY = _PREFIXES + """
SELECT ?x ?p ?name WHERE { %s ?x ?p ?name FILTER (?p IN (skos:prefLabel, rdfs:label, dcterms:title) && isLiteral(?name)) }"""
SHAPES_QUERY = _PREFIXES + """
SELECT (COUNT(DISTINCT ?node) AS ?nodes) (COUNT(DISTINCT ?property) AS ?properties) WHERE {
  { ?node a sh:NodeShape } UNION { ?property a sh:PropertyShape } UNION { ?x sh:property ?property }
}"""


def compact(iri: str) -> str:
    """``bk:Town`` for a project IRI, the full IRI otherwise."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def graph_stats(store: Any) -> dict[str, Any]:
    """All counts of the hand-written triples in ``store`` as plain data (the ``--json`` output
    without the file list and the shapes)."""
    def one(query: str) -> Any:
        return next(iter(store.query(query)))

    defined = one(DEFINED_QUERY)
    instances = Counter({row["type"]: int(row["n"].value) for row in store.query(INSTANCES_QUERY)})
    claims = _grouped(store, ONTOLOGY + "Claim", "prov:wasDerivedFrom")
    return {
        "triples": len(store),
        "defined": {"classes": int(defined["classes"].value), "properties": int(defined["properties"].value)},
        "instances_by_class": _rows(instances, {}),
        "claims": int(one(MEMBERS_QUERY % f"<{ONTOLOGY}Claim>")["n"].value),
        "claims_by_source": _disambiguated(store, _rows(claims, _names(store, claims), "(no source)")),
        "claims_by_attribution": _named(store, _grouped(store, ONTOLOGY + "Claim", "bk:attribution"),
                                        "(no attribution)"),
        "events": int(one(MEMBERS_QUERY % f"<{ONTOLOGY}Event>")["n"].value),
        "events_by_type": _named(store, _grouped(store, ONTOLOGY + "Event", "bk:eventType"), "(no type)"),
    }


def shape_counts(shapes: Any) -> dict[str, int]:
    """Node and property shapes defined in a store holding the shapes file."""
    row = next(iter(shapes.query(SHAPES_QUERY)))
    return {"node_shapes": int(row["nodes"].value), "property_shapes": int(row["properties"].value)}


def _grouped(store: Any, root: str, predicate: str) -> Counter[Any]:
    """How many members of ``root``'s class tree have each value of ``predicate`` (None: no
    value); a node with two values counts twice."""
    rows = store.query(GROUPED_QUERY % (f"<{root}>", predicate))
    return Counter({row["value"]: int(row["n"].value) for row in rows})


def _named(store: Any, counts: Counter[Any], missing: str) -> list[Row]:
    return _rows(counts, _names(store, counts), missing)


def _names(store: Any, counts: Counter[Any]) -> dict[Any, str]:
    """A human name for each IRI: its English (or untagged) prefLabel, label or title."""
    import pyoxigraph as ox

    iris = [node for node in counts if isinstance(node, ox.NamedNode)]
    found: dict[str, dict[str, list[tuple[str, bool]]]] = {}
    for start in range(0, len(iris), 500):
        values = "VALUES ?x { " + " ".join(str(node) for node in iris[start:start + 500]) + " }"
        for row in store.query(NAMES_QUERY % values):
            name = row["name"]
            english = (name.language or "en").lower().startswith("en")
            found.setdefault(row["x"].value, {}).setdefault(row["p"].value, []).append((name.value, english))
    out: dict[Any, str] = {}
    order = [PREFIXES["skos"] + "prefLabel", PREFIXES["rdfs"] + "label", PREFIXES["dcterms"] + "title"]
    for node in iris:
        by_property = found.get(node.value, {})
        literals = next((by_property[p] for p in order if by_property.get(p)), [])
        english = [text for text, is_english in literals if is_english]
        out[node] = min(english or [text for text, _ in literals]) if literals else compact(node.value)
    return out


def _disambiguated(store: Any, rows: list[Row]) -> list[Row]:
    """Add the title to sources that share a label: web pages are often labelled by their
    publisher alone ("The Irrawaddy")."""
    shared = {name for name, n in Counter(row["name"] for row in rows).items() if n > 1}
    iris = [row["iri"] for row in rows if row["name"] in shared and row["iri"]]
    titles: dict[str, list[str]] = {}
    if iris:
        values = "VALUES ?x { " + " ".join(f"<{iri}>" for iri in iris) + " }"
        for row in store.query(_PREFIXES + f"SELECT ?x ?title WHERE {{ {values} ?x dcterms:title ?title }}"):
            titles.setdefault(row["x"].value, []).append(row["title"].value)
    for row in rows:
        if titles.get(row["iri"] or ""):
            row["name"] = f"{row['name']}: {sorted(titles[row['iri']])[0]}"
    return sorted(rows, key=lambda row: (-row["count"], row["name"], row["iri"] or ""))


def _rows(counts: Counter[Any], names: dict[Any, str], missing: str = "") -> list[Row]:
    """Rows sorted by count (descending), then name; blank nodes left out."""
    import pyoxigraph as ox

    rows = []
    for node, count in counts.items():
        if isinstance(node, ox.BlankNode):
            continue
        if node is None:
            name, iri = missing, None
        elif isinstance(node, ox.NamedNode):
            name, iri = names.get(node) or compact(node.value), node.value
        else:
            name, iri = node.value, None
        rows.append({"name": name, "iri": iri, "count": count})
    return sorted(rows, key=lambda row: (-row["count"], row["name"], row["iri"] or ""))


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


def _table(heading: str, rows: list[Row], width: int | None = None) -> list[str]:
    from kg.output import aligned
    from kg.terminal import cell

    cells = [[cell(_clip(row["name"])), str(row["count"])] for row in rows]
    fit = None if width is None else width - 2
    return ["  " + line for line in aligned([heading, "count"], cells, right=[1], width=fit)]


def _clip(text: str, limit: int = NAME_WIDTH) -> str:
    """Long names cut for the table (``--json`` keeps them whole)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
