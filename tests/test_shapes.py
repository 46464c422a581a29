"""The SHACL shapes (ontology/shapes.ttl), driven by fixtures, and the validation library.

- every ``tests/fixtures/valid/*.ttl`` conforms (validated with the ontology);
- every ``tests/fixtures/invalid/*.ttl`` holds offending data *and* the results it must produce,
  as ``bkt:`` triples::

      bkt:expect bkt:result [ bkt:focusNode bkr:x ; bkt:resultPath bk:date ;
                              bkt:sourceConstraintComponent sh:MinCountConstraintComponent ] .

  ``bkt:resultPath`` may be an IRI or a SHACL path (``( bk:hasSide bk:sideCountry )``); leave it
  out for a node-level result. The test strips the ``bkt:`` triples, validates the rest together
  with the ontology and ``valid/minimal-world.ttl`` (so a fixture holds only its offending nodes),
  and compares the set of (focus node, path, constraint component) of the violations with the
  declared set. If any expectation of a file states ``bkt:severity``, warnings and infos are
  compared too, with severity (default ``sh:Violation``); if any states ``bkt:sourceShape``, the
  shape is compared as well.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Namespace, URIRef

from kg import paths, rdf_io
from kg.validation import (
    SEVERITIES,
    ValidationOutcome,
    path_string,
    render_json,
    render_text,
    validate,
    validate_graph,
)

FIXTURES = Path(__file__).parent / "fixtures"
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))
BASE = FIXTURES / "valid" / "minimal-world.ttl"

BKT = Namespace("https://w3id.org/border-kg/test#")
SH = Namespace("http://www.w3.org/ns/shacl#")
BK = Namespace("https://w3id.org/border-kg/ontology#")
BKR = Namespace("https://w3id.org/border-kg/id/")
BKSH = Namespace("https://w3id.org/border-kg/shapes#")


# ------------------------------------------------------------------------------- helpers


def ontology_files() -> list[Path]:
    return [f for f in paths.turtle_files("ontology") if f.name != paths.SHAPES_FILE]


@cache
def _shapes() -> Graph:
    return rdf_io.load_shapes()


@cache
def _world() -> Graph:
    """Ontology + the minimal valid world: what every invalid fixture is validated with."""
    return rdf_io.load_graph([*ontology_files(), BASE])


def split_fixture(path: Path) -> tuple[Graph, list[dict[str, str | None]]]:
    """The fixture's data without its ``bkt:`` expectations, and the expectations."""
    graph = rdf_io.parse_file(path)
    expectations = []
    for node in graph.objects(BKT.expect, BKT.result):
        path_node = graph.value(node, BKT.resultPath)
        severity = graph.value(node, BKT.severity)
        shape = graph.value(node, BKT.sourceShape)
        expectations.append(
            {
                "focus": str(graph.value(node, BKT.focusNode)),
                "path": None if path_node is None else path_string(graph, path_node),
                "component": str(graph.value(node, BKT.sourceConstraintComponent)),
                "severity": None if severity is None else str(severity).split("#")[-1],
                "shape": None if shape is None else str(shape),
            }
        )
    # drop bkt:expect and everything only reachable from it through blank nodes (results, paths)
    doomed, todo = set(), [BKT.expect]
    while todo:
        subject = todo.pop()
        if subject in doomed:
            continue
        doomed.add(subject)
        todo.extend(o for o in graph.objects(subject) if isinstance(o, BNode))
    for subject in doomed:
        graph.remove((subject, None, None))
    leftover = [t for t in graph if any(str(term).startswith(str(BKT)) for term in t)]
    assert not leftover, f"{path.name}: bkt: triples outside bkt:expect: {leftover[:3]}"
    return graph, expectations


def validate_fixture(path: Path) -> tuple[ValidationOutcome, list[dict[str, str | None]]]:
    data, expectations = split_fixture(path)
    graph = Graph(bind_namespaces="none")
    graph += _world()
    graph += data
    return validate_graph(graph, _shapes()), expectations


def keys(items, with_severity: bool, with_shape: bool) -> set[tuple]:
    out = set()
    for item in items:
        key = (item["focus"], item["path"], item["component"])
        if with_severity:
            key += (item["severity"] or "Violation",)
        if with_shape:
            key += (item["shape"],)
        out.add(key)
    return out


def actual_items(outcome: ValidationOutcome, all_severities: bool) -> list[dict[str, str | None]]:
    return [
        {
            "focus": r.focus_node,
            "path": r.result_path,
            "component": r.constraint_component,
            "severity": r.severity,
            "shape": r.source_shape,
        }
        for r in outcome.results
        if all_severities or r.severity == "Violation"
    ]


# ------------------------------------------------------------------------------- fixtures


@pytest.mark.parametrize("fixture", VALID, ids=lambda p: p.name)
def test_valid_fixture_conforms(fixture: Path) -> None:
    outcome = validate([fixture])
    assert outcome.conforms, render_text(outcome)
    assert not [r for r in outcome.results if r.severity == "Violation"]


def test_minimal_world_is_spotless() -> None:
    """Invalid fixtures are validated with it, so it must add no result of any severity."""
    outcome = validate([BASE])
    assert outcome.results == [], render_text(outcome)


@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.name)
def test_invalid_fixture_gives_exactly_the_declared_results(fixture: Path) -> None:
    outcome, expected = validate_fixture(fixture)
    assert expected, f"{fixture.name} declares no bkt:expect bkt:result"
    with_severity = any(e["severity"] for e in expected)
    with_shape = any(e["shape"] for e in expected)
    if with_shape:
        assert all(e["shape"] for e in expected), "declare bkt:sourceShape on all results or none"
    want = keys(expected, with_severity, with_shape)
    got = keys(actual_items(outcome, with_severity), with_severity, with_shape)
    assert got == want, (
        f"\nmissing (declared, not produced): {sorted(want - got, key=str)}"
        f"\nunexpected (produced, not declared): {sorted(got - want, key=str)}"
        f"\n\n{render_text(outcome)}"
    )
    declares_violation = any((e["severity"] or "Violation") == "Violation" for e in expected)
    assert outcome.conforms is not declares_violation


def test_every_shape_is_exercised_by_an_invalid_fixture() -> None:
    """Each named shape that can produce a result does so in at least one invalid fixture."""
    shapes = _shapes()
    producing = set()
    for shape in set(shapes.subjects()):
        if not isinstance(shape, URIRef) or not str(shape).startswith(str(BKSH)):
            continue
        if (shape, SH.path, None) in shapes or any(
            (shape, p, None) in shapes for p in (SH["or"], SH.sparql, SH["not"], SH["class"])
        ):
            if (None, SH.node, shape) not in shapes:  # scheme helpers report through their user
                producing.add(str(shape))
    exercised = set()
    for fixture in INVALID:
        outcome, _ = validate_fixture(fixture)
        exercised |= {r.source_shape for r in outcome.results}
    assert producing - exercised == set()


# ------------------------------------------------------------------------------- the graph


def test_shipped_graph_conforms() -> None:
    outcome = validate()
    violations = ValidationOutcome(False, [r for r in outcome.results if r.severity == "Violation"])
    assert outcome.conforms, render_text(violations)


def test_warnings_are_not_violations() -> None:
    """Incomplete data (no coordinates, no side settlement, no imposing state) warns only."""
    outcome, _ = validate_fixture(FIXTURES / "invalid" / "warnings-incomplete.ttl")
    assert outcome.conforms
    assert {r.severity for r in outcome.results} == {"Warning", "Info"}
    assert render_text(outcome).rstrip().splitlines()[-1].startswith("Conforms: 0 violations")


# ------------------------------------------------------------------------------- decisions


def _subclass_only_data() -> Graph:
    data, _ = split_fixture(FIXTURES / "invalid" / "subclass-targeting.ttl")
    return data


def test_subclass_targeting_needs_the_ontology_graph() -> None:
    """The pyshacl trap: without the ontology, sh:targetClass bk:Actor misses a node typed only
    bk:EthnicArmedOrganization. validate() merges the ontology, so the node is checked."""
    import pyshacl

    data = _subclass_only_data()
    _, report, _ = pyshacl.validate(data, shacl_graph=_shapes(), inference="none")
    assert (None, SH.focusNode, BKR["unlabelled-armed-group"]) not in report

    merged = Graph()
    merged += rdf_io.load_graph(ontology_files())
    merged += data
    outcome = validate_graph(merged, _shapes())
    assert str(BKR["unlabelled-armed-group"]) in {r.focus_node for r in outcome.results}


def test_rdfs_inference_would_hide_wrong_value_classes() -> None:
    """Why inference is "none": RDFS would type the value of bk:imposedBy as a bk:Actor
    (rdfs:range), and the check that it is one could never fail."""
    import pyshacl

    data, _ = split_fixture(FIXTURES / "invalid" / "status-imposed-by-non-actor.ttl")
    graph = Graph()
    graph += _world()
    graph += data
    component = str(SH.ClassConstraintComponent)
    imposed = (str(BKR["claim-status-imposed-by-town"]), str(BK.imposedBy), component)

    found = {(r.focus_node, r.result_path, r.constraint_component) for r in validate_graph(graph, _shapes()).results}
    assert imposed in found

    _, report, _ = pyshacl.validate(graph, shacl_graph=_shapes(), inference="rdfs", allow_warnings=True)
    results = set(report.subjects(SH.focusNode, BKR["claim-status-imposed-by-town"]))
    assert not any((r, SH.resultPath, BK.imposedBy) in report for r in results)


# ------------------------------------------------------------------------------- the library


def test_results_are_sorted_and_rendered_deterministically() -> None:
    fixture = FIXTURES / "invalid" / "crossing-side-problems.ttl"
    first, _ = validate_fixture(fixture)
    second, _ = validate_fixture(fixture)
    assert render_json(first) == render_json(second)
    assert render_text(first) == render_text(second)
    order = [SEVERITIES.index(r.severity) for r in first.results]
    assert order == sorted(order)

    document = json.loads(render_json(first))
    assert document["conforms"] is False
    assert set(document["results"][0]) == {
        "focus_node", "result_path", "constraint_component", "severity", "message", "source_shape", "value",
    }


def test_render_text_uses_prefixed_names_and_counts() -> None:
    outcome, _ = validate_fixture(FIXTURES / "invalid" / "crossing-sides-same-country.ttl")
    text = render_text(outcome)
    assert "Violation: bkr:crossing-same-country" in text
    assert "path:      bk:hasSide/bk:sideCountry" in text
    assert "component: sh:MinCountConstraintComponent" in text
    assert "shape:     bksh:BorderCrossing-sideCountries" in text
    assert "The crossing's sides are not in two different countries" in text
    assert text.rstrip().splitlines()[-1] == "Does not conform: 1 violation, 0 warnings, 0 infos."


def test_complex_result_paths_are_sparql_paths() -> None:
    outcome, _ = validate_fixture(FIXTURES / "invalid" / "crossing-sides-same-country.ttl")
    (result,) = outcome.results
    assert result.result_path == f"<{BK.hasSide}>/<{BK.sideCountry}>"


def test_unreadable_data_raises_graph_input_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix bk: <https://w3id.org/border-kg/ontology#> .\nbk:a bk:b .\nbk:c bk:d", encoding="utf-8")
    with pytest.raises(rdf_io.GraphInputError) as error:
        validate([broken])
    assert "broken.ttl" in str(error.value)


def test_every_shape_reads_well() -> None:
    """Every named shape has a label; every shape that produces results has a message."""
    shapes = _shapes()
    missing_label, missing_message = [], []
    for shape in set(shapes.subjects()):
        if not isinstance(shape, URIRef) or not str(shape).startswith(str(BKSH)) or shape == URIRef(str(BKSH)):
            continue
        if (shape, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None) not in shapes:
            missing_label.append(shape)
        produces = (shape, SH.path, None) in shapes or (shape, SH["or"], None) in shapes
        if produces and (shape, SH.message, None) not in shapes:
            missing_message.append(shape)
    assert not missing_label and not missing_message, (missing_label, missing_message)


def test_every_class_of_the_ontology_is_reached_by_a_shape() -> None:
    """Each class is targeted by a shape, itself or through a superclass (the ontology is merged
    into the data graph, so sh:targetClass reaches subclasses)."""
    from rdflib import OWL, RDF, RDFS

    ontology = rdf_io.load_graph(ontology_files())
    targeted = set(_shapes().objects(None, SH.targetClass))
    unreached = []
    for cls in ontology.subjects(RDF.type, OWL.Class):
        if not set(ontology.transitive_objects(cls, RDFS.subClassOf)) & targeted:
            unreached.append(cls)
    assert not unreached


def test_broken_shapes_raise_validation_run_error() -> None:
    from kg.validation import ValidationRunError

    shapes = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix bk: <https://w3id.org/border-kg/ontology#> .
        <urn:x:Broken> a sh:NodeShape ; sh:targetClass bk:Event ;
            sh:property [ sh:path bk:date ; sh:minCount "one" ] .""",
        format="turtle",
    )
    with pytest.raises(ValidationRunError):
        validate_graph(_world(), shapes)


def test_unnamed_shapes_are_reported_by_their_path() -> None:
    shapes = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix bk: <https://w3id.org/border-kg/ontology#> .
        <urn:x:S> a sh:NodeShape ; sh:targetClass bk:Event ;
            sh:property [ sh:path bk:demand ; sh:minCount 1 ] .""",
        format="turtle",
    )
    (result,) = validate_graph(_world(), shapes).results
    assert result.source_shape == f"[<{SH.path}> <{BK.demand}>]"
    assert "shape:     [sh:path bk:demand]" in render_text(ValidationOutcome(False, [result]))


# ---------------------------------------------------------------------------- validating a change


@cache
def _world_results() -> tuple[ValidationResult, ...]:
    return tuple(validate_graph(_world(), _shapes()).results)


CHANGES = [p for p in sorted((FIXTURES / "invalid").glob("*.ttl"))] + [
    FIXTURES / "valid" / "claims-edge-cases.ttl", FIXTURES / "valid" / "patterns.ttl"]


@pytest.mark.parametrize("change", CHANGES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_validating_a_change_gives_the_full_verdict(change: Path) -> None:
    """Each fixture added to the minimal world as a change (``kg add``'s check): the results on
    the focus nodes are exactly those of validating the whole graph with the change, no
    result elsewhere differs from the world's own, so the verdict is the full one."""
    from kg.store import parsed
    from kg.validation import validate_change

    added, _ = split_fixture(change)
    outcome, around, focus = validate_change(parsed([*ontology_files(), BASE]), added, _shapes())
    whole = Graph(bind_namespaces="none")
    whole += _world()
    whole += added
    full = validate_graph(whole, _shapes())
    assert outcome.results == [r for r in full.results if r.focus_node in focus]
    assert [r for r in full.results if r.focus_node not in focus] == [
        r for r in _world_results() if r.focus_node not in focus]
    assert outcome.conforms == full.conforms
    assert outcome.conforms if change.parent.name == "valid" else outcome.results  # every invalid one caught
    assert len(around) < len(whole)  # a part of the graph, not all of it
    assert _violation_rows(around, focus) == _violation_rows(whole, focus)  # kg add's queries too


def _violation_rows(graph: Graph, focus: set[str]) -> dict[str, list[tuple]]:
    """Rows of each ``*-violation`` query on ``graph`` that name a focus node."""
    import pyoxigraph

    from kg.engines import OxigraphEngine, execute
    from kg.params import resolve
    from kg.queries import load_all

    store = pyoxigraph.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    engine = OxigraphEngine(store)
    found = {}
    for query in (q for q in load_all() if q.name.endswith("-violation")):
        rows = execute(query, resolve(list(query.params), {}), engine).keys()
        found[query.name] = sorted(r for r in rows if any(c and c.strip("<>") in focus for c in r))
    return found
