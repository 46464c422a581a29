"""The ontology documents itself: every term has a label and a one-line definition."""

from __future__ import annotations

import rdflib

from kg import paths
from kg.namespaces import ONTOLOGY, sparql_prologue


def ontology_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in paths.graph_files():
        if path.parent.name == "ontology":
            graph.parse(path, format="turtle")
    return graph


def test_every_class_and_property_has_a_label_and_a_definition() -> None:
    graph = ontology_graph()
    rows = graph.query(sparql_prologue() + """
        SELECT ?term ?kind WHERE {
          VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty }
          ?term a ?kind .
          FILTER NOT EXISTS { ?term rdfs:label ?label ; skos:definition ?definition }
        }""")
    terms = graph.query(sparql_prologue() + """
        SELECT (COUNT(DISTINCT ?term) AS ?n) WHERE {
          VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty } ?term a ?kind }""")
    assert int(next(iter(terms))[0]) > 100
    assert [str(row.term) for row in rows] == []


def test_every_concept_is_in_a_scheme_with_a_label_and_a_definition() -> None:
    graph = ontology_graph()
    rows = graph.query(sparql_prologue() + """
        SELECT ?concept WHERE {
          ?concept a skos:Concept .
          FILTER NOT EXISTS { ?concept skos:inScheme ?scheme ; skos:prefLabel ?label ;
                                       skos:definition ?definition . ?scheme a skos:ConceptScheme }
        }""")
    assert [str(row.concept) for row in rows] == []


def test_event_types_carry_event_data_codes() -> None:
    """Every event type has a CAMEO code or ACLED's types: the transfer of seized weapons has
    neither (no CAMEO code fits), and the types added for ACLED imports carry ACLED's only."""
    graph = ontology_graph()
    rows = graph.query(sparql_prologue() + """
        SELECT ?type WHERE {
          ?type skos:inScheme bkv:EventTypeScheme .
          FILTER NOT EXISTS { ?type bk:cameoCode ?code }
          FILTER NOT EXISTS { ?type bk:acledSubEventType ?acled }
        }""")
    assert [str(row.type) for row in rows] == ["https://w3id.org/border-kg/vocab/WeaponsTransfer"]


def test_every_acled_sub_event_type_names_one_event_type() -> None:
    """The importer maps ACLED's 25 sub-event types (acledR's codebook) onto event types: each
    must find exactly one (kg.acled.EventTypes raises otherwise)."""
    from kg import store
    from kg.acled import SUB_EVENT_TYPES, EventTypes

    types = EventTypes.from_store(store.open_store(paths.ontology_files()))
    found = {(event, sub): types.find(event, sub) for event, sub in SUB_EVENT_TYPES}
    assert len(found) == 25 and all(found.values())
    assert found[("Battles", "Armed clash")] == "https://w3id.org/border-kg/vocab/ArmedClash"
    assert found[("Battles", "Non-state actor overtakes territory")] == "https://w3id.org/border-kg/vocab/Capture"
    assert found[("Strategic developments", "Agreement")] == "https://w3id.org/border-kg/vocab/Agreement"
    assert found[("Violence against civilians", "Attack")] == "https://w3id.org/border-kg/vocab/AttackOnCivilians"


def test_the_ontology_is_declared_under_the_base_iri() -> None:
    graph = ontology_graph()
    ontologies = {str(s) for s in graph.subjects(rdflib.RDF.type, rdflib.OWL.Ontology)}
    assert ontologies == {ONTOLOGY.rstrip("#")}
