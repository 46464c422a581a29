"""The networks of ``kg network`` on a made-up world whose answers are worked out by hand
(tests/fixtures/network/world.ttl says what is in it), the files Gephi and networkx read, and
the command.

As of 2024-11-01 the actor network is (alignment edges from the resolution):

    organ   Northland Army -> Northland            post   Envoy Ng -> Northland
    e1 pressure  Northland -> Ridge (through the envoy)
    e2 threat    Northland Army -> Valley
    e3 talks     Northland -> Lake (through the envoy)
    e4 attack    Ridge -> Junta           e5 attack  Valley -> Militia
    e6 talks     Lake -> Junta
    e7 ceasefire Junta -- Valley (co-agents), Northland -> Junta and -> Valley (participant)
    alignment    Ridge, Valley (anti-regime), Militia (junta-aligned), Lake (neutral) -> Junta
    (e8, a capture on 2024-12-01, comes later)

15 edges among 10 actors (the exile government and Southland have none).
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg import network, paths
from kg.cli import main
from kg.lookup import Graph
from kg.store import open_store

HERE = Path(__file__).parent
WORLD = HERE / "fixtures" / "network" / "world.ttl"
BKR = "https://w3id.org/border-kg/id/"
AS_OF = "2024-11-01"


def nw(name: str) -> str:
    return BKR + "nw-" + name


@pytest.fixture(scope="module")
def graph() -> Graph:
    files = [f for f in paths.turtle_files("ontology") if f.name != paths.SHAPES_FILE] + [WORLD]
    return Graph(store=open_store(files))


@pytest.fixture(scope="module")
def actors(graph: Graph) -> nx.MultiDiGraph:
    return network.actor_network(graph, AS_OF)


@pytest.fixture(scope="module")
def places(graph: Graph) -> nx.MultiDiGraph:
    return network.place_network(graph, AS_OF)


def edges(net: nx.MultiDiGraph) -> set[tuple[str, str, str, str]]:
    return {(u.removeprefix(BKR + "nw-"), v.removeprefix(BKR + "nw-"), d["relation"], d["role"])
            for u, v, d in net.edges(data=True)}


# ---------------------------------------------------------------------------- actors


def test_actor_nodes_and_edges(actors: nx.MultiDiGraph) -> None:
    assert sorted(n.removeprefix(BKR + "nw-") for n in actors) == [
        "envoy", "exile", "junta", "lake", "militia", "north", "north-army", "ridge", "south", "valley"]
    assert actors.number_of_edges() == 15
    assert edges(actors) == {
        ("north-army", "north", "organ of", "organ"), ("envoy", "north", "holds a post in", "post"),
        ("north", "ridge", "pressure", "target"), ("north-army", "valley", "threat", "target"),
        ("north", "lake", "talks", "target"), ("ridge", "junta", "attack", "target"),
        ("valley", "militia", "attack", "target"), ("lake", "junta", "talks", "target"),
        ("junta", "valley", "ceasefire agreement", "co-agent"),
        ("north", "junta", "ceasefire agreement", "participant"),
        ("north", "valley", "ceasefire agreement", "participant"),
        ("ridge", "junta", "anti-regime", "alignment"), ("valley", "junta", "anti-regime", "alignment"),
        ("militia", "junta", "junta-aligned", "alignment"), ("lake", "junta", "neutral", "alignment"),
    }
    assert not any("nw-e8" in d["item"] for _u, _v, d in actors.edges(data=True)), "a later event counts"


def test_actor_edge_attributes(actors: nx.MultiDiGraph) -> None:
    (pressure,) = [d for _u, _v, d in actors.edges(data=True) if d["item"] == nw("e1")]
    assert pressure == {
        "id": "bkr:nw-e1 target bkr:nw-north bkr:nw-ridge", "relation": "pressure",
        "relation_iri": "https://w3id.org/border-kg/vocab/Pressure", "role": "target", "kind": "event",
        "item": nw("e1"), "label": "Northland pressures Ridge Army", "date": "2024-03-01", "when": "2024-03-01",
        "coercive": True, "through": nw("envoy"), "through_labels": "Envoy Ng", "sources": nw("source-a")}
    (threat,) = [d for _u, _v, d in actors.edges(data=True) if d["item"] == nw("e2")]
    assert threat["when"] == "2024-04" and threat["date"] == "2024-04-01"  # month precision kept
    (talks,) = [d for _u, _v, d in actors.edges(data=True) if d["item"] == nw("e3")]
    assert talks["sources"] == f"{nw('source-a')} {nw('source-b')}" and "coercive" not in talks
    (lake,) = [d for u, _v, d in actors.edges(data=True) if d["kind"] == "alignment" and u == nw("lake")]
    assert lake["state"] == "resolved" and lake["when"] == "since 2022-01-01" and lake["sources"] == nw("source-b")


def test_camps(actors: nx.MultiDiGraph) -> None:
    camps = {n.removeprefix(BKR + "nw-"): d["camp"] for n, d in actors.nodes(data=True)}
    assert camps == {"north": "state", "north-army": "state", "envoy": "state", "south": "state",
                     "junta": "regime", "militia": "regime", "ridge": "anti-regime", "valley": "anti-regime",
                     "lake": "neutral", "exile": "unknown"}


def test_summary_by_hand(actors: nx.MultiDiGraph) -> None:
    summary = network.actor_summary(actors, nw("north"))
    assert summary["nodes"] == 10 and summary["edges"] == 15
    assert summary["edges_by_kind"] == {"alignment": 4, "event": 9, "organ": 1, "post": 1}
    # three components: everyone linked, and two actors with no relation
    assert [[x["label"] for x in c] for c in summary["components"][1:]] == [["Exile Government"], ["Southland"]]
    assert len(summary["components"][0]) == 8
    central = {n["label"]: n for n in summary["centrality"]}
    assert central["Northland"]["degree"] == 6 and central["Junta"]["degree"] == 5
    # Northland lies on 10 pairs' shortest paths (all six of the envoy's, Ridge-Army,
    # Lake-Army, half of Ridge-Lake, Ridge-Valley, Lake-Valley, Junta-Army): 10 / (9*8/2)
    assert central["Northland"]["betweenness"] == pytest.approx(10 / 36, abs=1e-6)
    assert central["Envoy Ng"]["betweenness"] == 0 and central["Northland Army"]["betweenness"] == 0
    # pressure and the threat (by its army), not the talks
    hop = summary["one_hop_from_pressure"]
    assert [(h["label"], [b["relation"] for b in h["by"]]) for h in hop] == [
        ("Ridge Army", ["pressure"]), ("Valley Army", ["threat"])]
    assert summary["state"]["side"] == ["Envoy Ng", "Northland", "Northland Army"]


def test_bridges_by_hand(actors: nx.MultiDiGraph) -> None:
    """Cross-camp pairs (8): Ridge-Junta, Valley-Junta, Valley-Militia, Junta-Lake are direct;
    Ridge-Militia goes through Valley on both shortest paths (via Northland or the Junta);
    Ridge-Lake and Valley-Lake through Northland or the Junta (half each); Militia-Lake through
    Valley, then Northland or the Junta. So Valley 1 + 1 = 2 paths, the Junta 4 x 1/2 = 2."""
    found = {b["label"]: (b["paths"], b["share"]) for b in network.bridges(actors)}
    assert found == {"Junta": (2.0, 0.25), "Valley Army": (2.0, 0.25)}


# ---------------------------------------------------------------------------- places and routes


def test_place_nodes_and_edges(places: nx.MultiDiGraph) -> None:
    assert places.number_of_nodes() == 15
    summary = network.place_summary(places)
    # 5 routes; 5 crossings x 2 side countries; 1 side region; 2 side settlements; 5 on the border;
    # South State in Southland, and Capital, Mid A, Mid B, Gate Town in South State
    assert summary["edges_by_role"] == {"on border": 5, "on route to": 5, "part of": 5, "side country": 10,
                                        "side region": 1, "side settlement": 2}
    assert summary["edges"] == 28 and summary["located"] == 5 and summary["crossings"] == 5
    main_crossing = places.nodes[nw("crossing")]
    assert main_crossing["control"] == "Ridge Army (full control)" and main_crossing["status"] == "Northland (closed)"
    assert places.nodes[nw("capital")]["lon"] == 97.0 and places.nodes[nw("capital")]["lat"] == 23.5
    assert places.nodes[nw("mid-b")]["control_state"] == "disputed"
    assert summary["routes"] == [{"iri": nw("crossing"), "label": "Main crossing",
                                  "route_places": ["Capital", "Gate Town", "Hamlet", "Mid A", "Mid B"],
                                  "on_every_route": ["Gate Town"]}]


def test_route_exposure_by_hand(graph: Graph) -> None:
    """Capital -> Mid A -> Gate Town, Capital -> Mid B -> Gate Town, Hamlet -> Mid B: three routes
    to the Main crossing, all through Gate Town. Capital and Mid A: the Junta; Mid B disputed
    (Ridge and Militia, same day); Gate Town and the crossing: Ridge; Hamlet: no report."""
    card = network.route_exposure(graph, nw("crossing"), AS_OF)
    assert [[x["label"] for x in r] for r in card["routes"]] == [
        ["Capital", "Mid A", "Gate Town", "Main crossing"],
        ["Capital", "Mid B", "Gate Town", "Main crossing"],
        ["Hamlet", "Mid B", "Gate Town", "Main crossing"]]
    assert [x["label"] for x in card["on_every_route"]] == ["Gate Town"]
    held = {p["label"]: (p["hops"], network.answer_text(p["control"])) for p in card["places"]}
    assert held == {
        "Capital": (3, "Junta (full control)"), "Hamlet": (3, "no report"), "Mid A": (2, "Junta (full control)"),
        "Mid B": (2, "disputed: Hill Militia (full control) / Ridge Army (full control)"),
        "Gate Town": (1, "Ridge Army (full control)"), "Main crossing": (0, "Ridge Army (full control)")}
    assert [p["label"] for p in card["places"]][:2] == ["Capital", "Hamlet"]  # farthest first
    same = {(s["from"]["label"], s["to"]["label"]): s["same_hands"] for s in card["segments"]}
    assert same == {("Capital", "Mid A"): True, ("Capital", "Mid B"): False, ("Hamlet", "Mid B"): False,
                    ("Mid A", "Gate Town"): False, ("Mid B", "Gate Town"): False,
                    ("Gate Town", "Main crossing"): True}
    status = next(p for p in card["places"] if p["label"] == "Main crossing")["status"]
    assert status["state"] == "resolved" and status["answers"][0]["value"]["label"] == "closed"
    assert card["references"] and card["references"][0]["url"].startswith("https://")


def test_route_exposure_of_a_crossing_without_roads(graph: Graph) -> None:
    card = network.route_exposure(graph, nw("river"), AS_OF)
    assert card["routes"] == [] and card["on_every_route"] == [] and [p["label"] for p in card["places"]] == [
        "River crossing"]


def test_on_every_route_by_hand() -> None:
    roads = nx.DiGraph([("a", "c"), ("b", "c"), ("c", "d"), ("d", "x"), ("e", "x")])
    assert network.on_every_route(roads, ["a", "b", "e"], "x") == []
    assert network.on_every_route(roads, ["a", "b"], "x") == ["c", "d"]
    assert network.on_every_route(roads, ["a"], "x") == ["a", "c", "d"]


# ---------------------------------------------------------------------------- files


def _same(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    assert sorted((n, sorted(d.items())) for n, d in a.nodes(data=True)) == \
        sorted((n, sorted(d.items())) for n, d in b.nodes(data=True))
    assert sorted((u, v, k, sorted(d.items())) for u, v, k, d in a.edges(keys=True, data=True)) == \
        sorted((u, v, k, sorted(d.items())) for u, v, k, d in b.edges(keys=True, data=True))


@pytest.mark.parametrize("fmt", network.FORMATS)
@pytest.mark.parametrize("which", ["actors", "places"])
def test_files_read_back_equal(fmt: str, which: str, actors: nx.MultiDiGraph, places: nx.MultiDiGraph) -> None:
    net = actors if which == "actors" else places
    data = network.serialize(net, fmt)
    assert network.serialize(net, fmt) == data, "not deterministic"
    _same(net, network.parse(data, fmt))


def test_gexf_carries_the_date_not_today(actors: nx.MultiDiGraph) -> None:
    assert b'lastmodifieddate="2024-11-01"' in network.serialize(actors, "gexf")


def test_point() -> None:
    from kg.pictures.scene import point

    assert point("POINT(97.9 23.97)") == (97.9, 23.97)
    assert point("point ( -1.5  2 )") == (-1.5, 2.0)
    assert point("LINESTRING(1 2, 3 4)") is None and point(None) is None


# ---------------------------------------------------------------------------- the command (shipped data)


def test_network_actors_summary_on_shipped_data(runner: CliRunner) -> None:
    result = runner.invoke(main, ["network", "actors", "--as-of", "2024-11-25"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "One hop from China's pressure" in out and "Kachin Independence Army" in out
    assert "Armed groups between the camps" in out and "Sources" in out


def test_network_actors_summary_json(runner: CliRunner) -> None:
    result = runner.invoke(main, ["network", "actors", "--as-of", "2024-11-25", "--format", "summary-json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    hop = {h["label"] for h in data["one_hop_from_pressure"]}
    assert "Kachin Independence Army" in hop
    assert data["references"] and all(r["url"] for r in data["references"])


def test_network_files_from_the_command(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "actors.graphml"
    result = runner.invoke(main, ["network", "actors", "--as-of", "2024-11-25", "--format", "graphml", "-o", str(out)])
    assert result.exit_code == 0 and "wrote" in result.stderr
    net = network.parse(out.read_bytes(), "graphml")
    assert BKR + "kia" in net and net.nodes[BKR + "kia"]["camp"] == "anti-regime"
    result = runner.invoke(main, ["network", "places", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["multigraph"] is True


def test_network_route_on_shipped_data(runner: CliRunner) -> None:
    result = runner.invoke(main, ["network", "route", "Muse", "--as-of", "2024-11-25", "--json"])
    assert result.exit_code == 0, result.output
    card = json.loads(result.stdout)
    assert [x["label"] for x in card["routes"][0]][:4] == ["Mandalay", "Nawnghkio", "Kyaukme", "Lashio"]
    lashio = next(p for p in card["places"] if p["label"] == "Lashio")
    assert lashio["control"]["answers"][0]["who"][0]["iri"] == BKR + "mndaa"
    assert "Lashio" in [x["label"] for x in card["on_every_route"]]


@pytest.mark.parametrize("args, code", [
    (["network", "route", "Nowhere-at-all"], 1),
    (["network", "actors", "--as-of", "yesterday"], 2),
    (["network", "actors", "--format", "png"], 2),
    (["network", "actors", "--state", "Atlantis"], 1),
])
def test_network_errors(runner: CliRunner, args: list[str], code: int) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == code and "Traceback" not in result.output
