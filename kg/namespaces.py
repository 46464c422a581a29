"""IRIs of the project, as plain strings so the read path needs no rdflib.

Everything border-kg mints lives under ``BASE``. It is a w3id.org-style permanent-identifier
prefix; the redirect is not registered yet, so the IRIs are names, not (yet) dereferenceable.

- ``ONTOLOGY``: classes and properties (prefix ``bk:``)
- ``VOCAB``: SKOS concepts: event types, precisions, statuses, attributions (prefix ``bkv:``)
- ``ID``: the things the data talks about: actors, places, events, claims, sources (``bkr:``)
- ``SHAPES``: SHACL shapes (prefix ``bksh:``)
"""

BASE = "https://w3id.org/border-kg/"
ONTOLOGY = BASE + "ontology#"
VOCAB = BASE + "vocab/"
ID = BASE + "id/"
SHAPES = BASE + "shapes#"

#: The fixed prefix map used for every file the project writes and every query it runs.
PREFIXES: dict[str, str] = {
    "bk": ONTOLOGY,
    "bkv": VOCAB,
    "bkr": ID,
    "bksh": SHAPES,
    "dcterms": "http://purl.org/dc/terms/",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def sparql_prologue() -> str:
    """PREFIX lines for every project prefix, so queries can use them without declaring them."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
