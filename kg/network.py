"""The graph as networks (networkx), as of a date, and the questions only a graph algorithm answers.

Two projections, both ``networkx.MultiDiGraph`` with full IRIs as node ids and only strings,
numbers and booleans as attributes (so GraphML, GEXF and node-link JSON keep them all):

- :func:`actor_network`: actors (publishers left out) linked by what the library query
  ``actor-relations`` returns up to the date (events between two actors, organs, posts) and by
  each actor's **resolved** alignment on the date (``kg.lookup.resolved``: the same answer as
  ``kg actor``), drawn from the actor to whom it is aligned with or against. Each node carries its
  camp (:func:`camp`); each edge its relation, role, date with precision, the event or claim, and
  its sources.
- :func:`place_network`: places and crossings linked by the library query ``place-links``
  (containment, crossing sides, gates, routes), each node with its coordinates when known and
  who holds it on the date (control, and open/closed for crossings, from the resolution).

Algorithms on them: :func:`actor_summary` (degree, betweenness, components, who is one hop from
a state's pressure, which armed groups lie between the camps), :func:`place_summary` and
:func:`route_exposure` (every place on the routes to a crossing and who holds each; the places
every route passes through).

Nothing here decides a status: holders, open/closed and alignment are read from the resolution
through :mod:`kg.lookup`. networkx is imported here and nowhere on the lookups' path.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import Any

import networkx as nx

from kg.lookup import BK, Graph, all_of, attach_sources, ref, resolved, split, text
from kg.namespaces import ONTOLOGY, PREFIXES, VOCAB
from kg.pictures.scene import coordinates

FORMATS = ("graphml", "gexf", "json")

RDF_TYPE = PREFIXES["rdf"] + "type"
NEWS = ONTOLOGY + "NewsOrganization"
PERSON = ONTOLOGY + "Person"
STATE = ONTOLOGY + "State"
REGIME = ONTOLOGY + "MilitaryRegime"
ARMED_GROUP_KINDS = {ONTOLOGY + k for k in ("ArmedGroup", "EthnicArmedOrganization", "BorderGuardForce",
                                            "StateArmedForce")}
CROSSING_KINDS = {ONTOLOGY + k for k in ("BorderCrossing", "OfficialBorderCrossing", "MinorBorderGate")}
#: which of several asserted types names a node's kind (the first that applies)
KIND_ORDER = [ONTOLOGY + k for k in ("MilitaryRegime", "EthnicArmedOrganization", "BorderGuardForce",
                                     "StateArmedForce", "ParallelGovernment", "GovernmentBody", "State", "Person",
                                     "OfficialBorderCrossing", "MinorBorderGate", "BorderCrossing", "Town",
                                     "Village", "AdministrativeRegion", "InformalRegion", "Country")]

#: event types by which a state coerces: "one hop from China's pressure"
COERCION = {VOCAB + t for t in ("Pressure", "Threat", "BorderClosure", "MilitaryDrill")}

#: resolved alignment -> camp; a military regime is the regime's camp; states, their organs and
#: office holders are "state" (outside the camps)
ALIGNMENT_CAMPS = {VOCAB + "AntiRegime": "anti-regime", VOCAB + "JuntaAligned": "regime",
                   VOCAB + "Neutral": "neutral"}
CAMPS = ("anti-regime", "regime", "neutral")

#: the roles of place-links drawn as edges, and what the route graph is made of
ROUTE_ROLE = "on route to"
SIDE_SETTLEMENT = "side settlement"
SIDE_GATE = "side gate"
GATE_OF = "gate of"



class NetworkError(Exception):
    """A network that cannot be built or written (one line)."""


# ---------------------------------------------------------------------------- helpers


def _put(attrs: dict[str, Any], **values: Any) -> dict[str, Any]:
    """Set only the values that say something (GraphML and GEXF cannot write None)."""
    for name, value in values.items():
        if value is None or value == "" or value == []:
            continue
        attrs[name] = " ".join(value) if isinstance(value, list) else value
    return attrs


def _short(iri: str) -> str:
    from kg.names import compact_iri

    return compact_iri(iri)


def _entities(graph: Graph, kind: str) -> list[Any]:
    return sorted((e for e in graph.names.entities.values() if kind in e.kinds), key=lambda e: e.iri)


def _kind(entity: Any) -> tuple[str, str]:
    """The most telling asserted type of an entity: (IRI, label)."""
    types = sorted(entity.types.items())
    preferred = sorted((t for t in types if t[0] in KIND_ORDER), key=lambda t: KIND_ORDER.index(t[0]))
    iri, label = (preferred or types or [("", "")])[0]
    return iri, label or (_short(iri) if iri else "")


def answer_text(aspect: dict[str, Any]) -> str:
    """One line for a resolved aspect: "Ridge Army (full control)", "disputed: A / B", "no report"."""
    state, answers = aspect["state"], aspect["answers"]
    if state == "none" or not answers:
        return "no report"

    def one(a: dict[str, Any]) -> str:
        who = ", ".join(w["label"] for w in a["who"] if w)
        value = (a["value"] or {}).get("label", "")
        return f"{who} ({value})" if who and value else who or value

    if state == "disputed":
        return "disputed: " + " / ".join(one(a) for a in sorted(answers, key=lambda a: a["rank"] or 0))
    if state == "unknown":
        return f"unknown since {answers[0]['until']} (last reported: {one(answers[0])})"
    return one(answers[0])


def _holders(aspect: dict[str, Any]) -> list[str]:
    return sorted({w["iri"] for a in aspect["answers"] for w in a["who"] if w}) if aspect["state"] in (
        "resolved", "disputed") else []


# ---------------------------------------------------------------------------- actors


def camp(kinds: Iterable[str], alignment: dict[str, Any], state_side: bool) -> str:
    """An actor's camp on the date: "regime" (a military regime, or junta-aligned), "anti-regime",
    "neutral", "state" (a state, its organs and office holders), "disputed" (sources disagree on
    the date) or "unknown" (no alignment holds on the date)."""
    if REGIME in kinds:
        return "regime"
    if state_side:
        return "state"
    if alignment["state"] == "disputed":
        return "disputed"
    if alignment["state"] == "resolved" and alignment["answers"]:
        value = (alignment["answers"][0]["value"] or {}).get("iri", "")
        return ALIGNMENT_CAMPS.get(value, "unknown")
    return "unknown"


def actor_network(graph: Graph, as_of: str) -> nx.MultiDiGraph:
    """Actors and their relations up to ``as_of`` (see the module docstring)."""
    net = nx.MultiDiGraph(name=f"border-kg actors as of {as_of}", as_of=as_of, projection="actors")
    actors = [e for e in _entities(graph, "actor") if NEWS not in e.types]
    rows = graph.library("actor-relations", as_of=as_of)
    iris = [e.iri for e in actors]
    labels = graph.labels([*iris, *(text(r["relation"]) for r in rows), *(x for r in rows for x in split(r["through"]))])
    # organs and office holders of a state are on the state's side
    organ_of = {text(r["from"]): text(r["to"]) for r in rows if text(r["role"]) == "organ"}
    post_in = {text(r["from"]): text(r["to"]) for r in rows if text(r["role"]) == "post"}
    kinds = {e.iri: set(e.types) for e in actors}

    def parents(iri: str) -> list[str]:
        """The organization an organ belongs to or a person holds a post in, upwards."""
        chain, up = [], organ_of.get(iri) or post_in.get(iri)
        while up and up not in chain and up != iri:
            chain.append(up)
            up = organ_of.get(up) or post_in.get(up)
        return chain

    def state_of(iri: str) -> str | None:
        return next((x for x in [iri, *parents(iri)] if STATE in kinds.get(x, ())), None)

    alignments: dict[str, dict[str, Any]] = {}
    for entity in actors:
        answer = resolved(graph, as_of, about=entity.iri).get(entity.iri, {})
        alignments[entity.iri] = answer.get("alignment", {"state": "none", "answers": []})
    camps = {e.iri: camp(e.types, alignments[e.iri], state_of(e.iri) is not None) for e in actors}
    for iri in camps:
        # an organ or office holder with no alignment of its own is in its organization's camp
        if camps[iri] == "unknown":
            camps[iri] = next((camps[x] for x in parents(iri) if camps.get(x, "unknown") != "unknown"), "unknown")
    for entity in actors:
        kind_iri, kind_label = _kind(entity)
        alignment = alignments[entity.iri]
        net.add_node(entity.iri, **_put(
            {"label": entity.label, "kind": kind_label, "kind_iri": kind_iri,
             "camp": camps[entity.iri],
             "alignment_state": alignment["state"],
             "armed_group": bool(ARMED_GROUP_KINDS & set(entity.types))},
            alignment=" / ".join((a["value"] or {}).get("label", "") for a in alignment["answers"]),
            state=state_of(entity.iri)))
    for r in rows:
        source, target = text(r["from"]), text(r["to"])
        if source not in net or target not in net:
            continue
        role, relation, item = text(r["role"]), text(r["relation"]), text(r["item"])
        kind = role if role in ("organ", "post") else "event"
        name = {"organ": "organ of", "post": "holds a post in"}.get(role, labels.get(relation, _short(relation)))
        edge_id = f"{_short(item)} {role} {_short(source)} {_short(target)}"
        net.add_edge(source, target, key=edge_id, **_put(
            {"id": edge_id, "relation": name, "relation_iri": relation, "role": role, "kind": kind, "item": item},
            label=text(r["label"]), date=text(r["date"]), when=text(r["when"]),
            coercive=relation in COERCION or None,
            through=split(r["through"]), through_labels=", ".join(labels[p] for p in split(r["through"])),
            places=split(r["places"]), sources=split(r["sources"])))
    _alignment_edges(graph, net, alignments)
    return net


def _alignment_edges(graph: Graph, net: nx.MultiDiGraph, alignments: dict[str, dict[str, Any]]) -> None:
    """An edge from each actor to whom its resolved alignment (each side, if disputed) is towards."""
    holding = {a["period"]: (actor, aspect["state"], a) for actor, aspect in alignments.items()
               if aspect["state"] in ("resolved", "disputed") for a in aspect["answers"]}
    supported = graph.describe(holding, [BK + "supportedBy"])
    claims = {p: all_of(props, BK + "supportedBy") for p, props in supported.items()}
    towards = graph.describe([c for cs in claims.values() for c in cs], [BK + "alignedWith"])
    for period in sorted(holding):
        actor, state, answer = holding[period]
        targets = sorted({w for c in claims.get(period, []) for w in all_of(towards.get(c, {}), BK + "alignedWith")})
        for target in targets:
            if target not in net or target == actor:
                continue
            value = answer["value"] or {}
            when = f"{answer['since_kind']} {answer['since']}" if answer["since"] else ""
            edge_id = f"{_short(period)} alignment {_short(actor)} {_short(target)}"
            net.add_edge(actor, target, key=edge_id, **_put(
                {"id": edge_id, "relation": value.get("label", "alignment"), "relation_iri": value.get("iri", ""),
                 "role": "alignment", "kind": "alignment", "item": period, "state": state},
                label=f"{value.get('label', '')} towards {net.nodes[target]['label']}" + (f", {when}" if when else ""),
                date=answer["since"][:10] if answer["since"][:1].isdigit() else None, when=when,
                sources=answer["sources"]))


def undirected(net: nx.MultiDiGraph, kinds: Sequence[str] | None = None) -> nx.Graph:
    """The simple undirected graph of ``net`` (every node kept), with only edges of ``kinds``."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(net.nodes(data=True)))
    for u, v, data in sorted(net.edges(data=True), key=lambda e: (e[0], e[1])):
        if kinds is None or data.get("kind") in kinds:
            simple.add_edge(u, v)
    return simple


RELATION_KINDS = ("event", "organ", "post")


def state_side(net: nx.MultiDiGraph, state: str) -> list[str]:
    """The state, its organs and its office holders."""
    return sorted(n for n, d in net.nodes(data=True) if n == state or d.get("state") == state)


def one_hop_from_pressure(net: nx.MultiDiGraph, state: str) -> list[dict[str, Any]]:
    """Actors the state (its organs and office holders count) coerced (pressure, threats, closures
    aimed at them, drills) by the date: the ego network of radius one on coercive edges."""
    side = set(state_side(net, state))
    found: dict[str, list[dict[str, Any]]] = {}
    for u, v, data in net.edges(data=True):
        if u in side and v not in side and data.get("coercive"):
            found.setdefault(v, []).append({"relation": data["relation"], "when": data.get("when", ""),
                                           "item": data["item"], "sources": data.get("sources", "").split()})
    return [{"iri": n, "label": net.nodes[n]["label"], "camp": net.nodes[n]["camp"],
             "by": sorted(found[n], key=lambda x: (x["when"], x["item"]))}
            for n in sorted(found, key=lambda n: net.nodes[n]["label"])]


def bridges(net: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Armed groups that lie between the camps: for every pair of actors in two different camps
    (anti-regime, regime, neutral), the share of their shortest paths (over every recorded
    relation, hostile or not; alignment edges left out, since they define the camps) that pass
    through the group; summed over the pairs. Groups with a share above zero, highest first."""
    simple = undirected(net, RELATION_KINDS)
    members = {n: d["camp"] for n, d in simple.nodes(data=True) if d.get("camp") in CAMPS}
    through: dict[str, float] = {}
    pairs = 0
    camps_linked: dict[str, set[tuple[str, str]]] = {}
    for s, t in combinations(sorted(members), 2):
        if members[s] == members[t]:
            continue
        pairs += 1
        if not nx.has_path(simple, s, t):
            continue
        paths = list(nx.all_shortest_paths(simple, s, t))
        for node in {n for p in paths for n in p[1:-1]}:
            share = sum(node in p[1:-1] for p in paths) / len(paths)
            through[node] = through.get(node, 0.0) + share
            camps_linked.setdefault(node, set()).add(tuple(sorted((members[s], members[t]))))
    out = []
    for node, score in through.items():
        data = net.nodes[node]
        if not data.get("armed_group") or score <= 0:
            continue
        out.append({"iri": node, "label": data["label"], "camp": data["camp"], "paths": round(score, 6),
                    "share": round(score / pairs, 6) if pairs else 0.0,
                    "between": [f"{a} / {b}" for a, b in sorted(camps_linked[node])]})
    return sorted(out, key=lambda x: (-x["paths"], x["label"]))


def actor_summary(net: nx.MultiDiGraph, state: str) -> dict[str, Any]:
    """Degree, betweenness, components, one hop from the state's pressure, bridges between camps."""
    simple = undirected(net, (*RELATION_KINDS, "alignment"))
    betweenness = nx.betweenness_centrality(simple, normalized=True)
    components = sorted((sorted(c, key=lambda n: net.nodes[n]["label"]) for c in nx.connected_components(simple)),
                        key=lambda c: (-len(c), net.nodes[c[0]]["label"]))
    kinds: dict[str, int] = {}
    for _u, _v, data in net.edges(data=True):
        kinds[data["kind"]] = kinds.get(data["kind"], 0) + 1
    nodes = [{"iri": n, "label": d["label"], "kind": d.get("kind", ""), "camp": d["camp"],
              "degree": simple.degree(n), "relations": net.in_degree(n) + net.out_degree(n),
              "betweenness": round(betweenness[n], 6)} for n, d in net.nodes(data=True)]
    nodes.sort(key=lambda x: (-x["degree"], -x["betweenness"], x["label"]))
    return {
        "as_of": net.graph["as_of"],
        "nodes": net.number_of_nodes(),
        "edges": net.number_of_edges(),
        "edges_by_kind": dict(sorted(kinds.items())),
        "camps": {c: sorted(net.nodes[n]["label"] for n, d in net.nodes(data=True) if d["camp"] == c)
                  for c in sorted({d["camp"] for _n, d in net.nodes(data=True)})},
        "centrality": nodes,
        "components": [[{"iri": n, "label": net.nodes[n]["label"]} for n in c] for c in components],
        "state": {"iri": state, "label": net.nodes[state]["label"] if state in net else _short(state),
                  "side": [net.nodes[n]["label"] for n in state_side(net, state)]},
        "one_hop_from_pressure": one_hop_from_pressure(net, state),
        "bridges": bridges(net),
    }


# ---------------------------------------------------------------------------- places


def place_network(graph: Graph, as_of: str) -> nx.MultiDiGraph:
    """Places and crossings linked by containment, sides, gates and routes; each node with its
    coordinates (when known) and who holds it on ``as_of``."""
    net = nx.MultiDiGraph(name=f"border-kg places as of {as_of}", as_of=as_of, projection="places")
    rows = graph.library("place-links")
    entities = {e.iri: e for e in _entities(graph, "place") + _entities(graph, "crossing")}
    nodes = sorted({*entities, *(text(r[c]) for r in rows for c in ("from", "to"))})
    located = coordinates(graph, nodes)
    board = resolved(graph, as_of)  # every crossing in one query
    labels = graph.labels(nodes)
    for iri in nodes:
        entity = entities.get(iri)
        kind_iri, kind_label = _kind(entity) if entity else ("", "")
        is_crossing = bool(entity and "crossing" in entity.kinds)
        answers = board.get(iri) if is_crossing and iri in board else resolved(graph, as_of, about=iri).get(iri, {})
        control = answers.get("control", {"state": "none", "answers": []})
        attrs = _put({"label": entity.label if entity else labels.get(iri, _short(iri)), "kind": kind_label,
                      "kind_iri": kind_iri, "crossing": is_crossing,
                      "control": answer_text(control), "control_state": control["state"]},
                     holders=_holders(control))
        if iri in located:
            attrs.update(lon=located[iri]["lon"], lat=located[iri]["lat"])
        if is_crossing:
            status = answers.get("status", {"state": "none", "answers": []})
            _put(attrs, status=answer_text(status), status_state=status["state"], imposers=_holders(status))
        net.add_node(iri, **attrs)
    for r in rows:
        role, relation = text(r["role"]), text(r["relation"])
        source, target, via = text(r["from"]), text(r["to"]), text(r["via"])
        edge_id = " ".join(_short(x) for x in (source, target, via) if x) + f" {role}"
        net.add_edge(source, target, key=edge_id, **_put(
            {"id": edge_id, "relation": role, "relation_iri": relation, "role": role},
            via=via, side_country=text(r["side_country"]), sources=split(r["sources"])))
    return net


def route_graph(net: nx.MultiDiGraph) -> nx.DiGraph:
    """The roads: ``bk:onRouteTo`` edges, each leading on to the crossing whose side settlement
    or gate the road reaches (so routes end at crossings), and from a gate to its crossing.
    A side settlement that no road reaches (the far side's town) is not a route."""
    roads = nx.DiGraph()
    for u, v, data in net.edges(data=True):
        if data["role"] == ROUTE_ROLE:
            roads.add_edge(u, v)
    on_roads = set(roads)
    for u, v, data in net.edges(data=True):
        if data["role"] in (SIDE_SETTLEMENT, SIDE_GATE) and v in on_roads:
            roads.add_edge(v, u)
        elif data["role"] == GATE_OF and u in on_roads:
            roads.add_edge(u, v)
    return roads


def on_every_route(roads: nx.DiGraph, origins: Sequence[str], target: str) -> list[str]:
    """Places every route from an origin to ``target`` passes through: removing one leaves no
    origin (other than itself) connected to the target."""
    found = []
    for node in sorted(n for n in roads if n != target):
        others = [o for o in origins if o != node]
        if not others and node in origins:
            found.append(node)
            continue
        pruned = roads.subgraph(n for n in roads if n != node)
        if others and not any(nx.has_path(pruned, o, target) for o in others):
            found.append(node)
    return found


def route_exposure(graph: Graph, crossing: str, as_of: str) -> dict[str, Any]:
    """For a crossing and a date: every place on the routes to it, who holds each on the date
    (the resolution), every route as a list of places, each road segment with who holds its two
    ends, and the places every route passes through."""
    net = place_network(graph, as_of)
    if crossing not in net:
        raise NetworkError(f"{_short(crossing)} is not in the place network")
    roads = route_graph(net)
    roads.add_node(crossing)
    upstream = nx.ancestors(roads, crossing)
    sub = roads.subgraph(upstream | {crossing}).copy()
    # only what leads to this crossing: drop roads into other crossings met on the way
    origins = sorted(n for n in sub if sub.in_degree(n) == 0 and n != crossing)
    routes = sorted((p for o in origins for p in nx.all_simple_paths(sub, o, crossing)),
                    key=lambda p: [net.nodes[n]["label"] for n in p])
    every = on_every_route(sub, origins, crossing) if origins else []
    hops = {n: nx.shortest_path_length(sub, n, crossing) for n in sub}
    answers = {n: resolved(graph, as_of, about=n).get(n, {}) for n in sorted(sub)}
    labels = graph.labels(sub)

    def aspect(n: str, name: str) -> dict[str, Any]:
        return answers[n].get(name, {"state": "none", "answers": []})

    places = []
    for n in sorted(sub, key=lambda n: (-hops[n], net.nodes[n]["label"])):
        entry = {"iri": n, "label": net.nodes[n]["label"] or labels.get(n, _short(n)),
                 "kind": net.nodes[n].get("kind", ""), "hops": hops[n], "on_every_route": n in every,
                 "control": aspect(n, "control"), "presence": aspect(n, "presence")}
        if net.nodes[n].get("crossing"):
            entry["status"] = aspect(n, "status")
        places.append(entry)
    segment_sources = {(u, v): sorted({s for _a, _b, d in net.edges(u, data=True)
                                        if _b == v for s in d.get("sources", "").split()}) for u, v in sub.edges}
    segments = [{"from": ref(u, {u: net.nodes[u]["label"]}), "to": ref(v, {v: net.nodes[v]["label"]}),
                 "from_control": answer_text(aspect(u, "control")), "to_control": answer_text(aspect(v, "control")),
                 "same_hands": bool(_holders(aspect(u, "control"))) and _holders(aspect(u, "control"))
                 == _holders(aspect(v, "control")) and aspect(u, "control")["state"] == "resolved"
                 and aspect(v, "control")["state"] == "resolved",
                 "sources": segment_sources.get((u, v), [])}
                for u, v in sorted(sub.edges, key=lambda e: (-hops[e[0]], net.nodes[e[0]]["label"], net.nodes[e[1]]["label"]))]
    card = {
        "crossing": ref(crossing, {crossing: net.nodes[crossing]["label"]}),
        "as_of": as_of,
        "known_at": graph.known_at,
        "places": places,
        "routes": [[ref(n, {n: net.nodes[n]["label"]}) for n in p] for p in routes],
        "segments": segments,
        "on_every_route": [ref(n, {n: net.nodes[n]["label"]}) for n in every],
    }
    return attach_sources(graph, card)


def place_summary(net: nx.MultiDiGraph) -> dict[str, Any]:
    """Counts, components, and for each crossing the places on its routes and those on every route."""
    simple = undirected(net)
    roles: dict[str, int] = {}
    for _u, _v, data in net.edges(data=True):
        roles[data["role"]] = roles.get(data["role"], 0) + 1
    roads = route_graph(net)
    crossings = []
    for n, data in sorted(net.nodes(data=True), key=lambda x: x[1]["label"]):
        if not data.get("crossing") or n not in roads:
            continue
        upstream = nx.ancestors(roads, n)
        sub = roads.subgraph(upstream | {n})
        origins = sorted(x for x in sub if sub.in_degree(x) == 0 and x != n)
        on_routes = [x for x in upstream if any(e[2]["role"] == ROUTE_ROLE for e in net.edges(x, data=True))]
        if not on_routes:
            continue
        crossings.append({"iri": n, "label": data["label"],
                          "route_places": sorted(net.nodes[x]["label"] for x in upstream),
                          "on_every_route": [net.nodes[x]["label"] for x in on_every_route(sub, origins, n)]})
    return {
        "as_of": net.graph["as_of"],
        "nodes": net.number_of_nodes(),
        "edges": net.number_of_edges(),
        "edges_by_role": dict(sorted(roles.items())),
        "located": sum(1 for _n, d in net.nodes(data=True) if "lon" in d),
        "crossings": sum(1 for _n, d in net.nodes(data=True) if d.get("crossing")),
        "components": nx.number_connected_components(simple),
        "routes": crossings,
    }


# ---------------------------------------------------------------------------- files


def serialize(net: nx.MultiDiGraph, fmt: str) -> bytes:
    """GraphML, GEXF (1.2) or node-link JSON, the same bytes for the same network."""
    if fmt == "graphml":
        buffer = io.BytesIO()
        nx.write_graphml(net, buffer, encoding="utf-8", prettyprint=True, named_key_ids=True)
        return buffer.getvalue()
    if fmt == "gexf":
        buffer = io.BytesIO()
        nx.write_gexf(net, buffer, encoding="utf-8", prettyprint=True, version="1.2draft")
        # the writer stamps today's date; the network's date is the one that means something
        return re.sub(rb'lastmodifieddate="[0-9-]+"', f'lastmodifieddate="{net.graph["as_of"]}"'.encode(),
                      buffer.getvalue(), count=1)
    if fmt == "json":
        data = nx.node_link_data(net, edges="edges")
        return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    raise NetworkError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def parse(data: bytes, fmt: str) -> nx.MultiDiGraph:
    """A network written by :func:`serialize`, read back by networkx."""
    if fmt == "graphml":
        return nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    if fmt == "gexf":
        read = nx.read_gexf(io.BytesIO(data))
        if read.is_multigraph():
            return read
        # a file without parallel edges reads as a DiGraph: keys are the edge ids
        net = nx.MultiDiGraph()
        net.graph.update(read.graph)
        net.add_nodes_from(read.nodes(data=True))
        net.add_edges_from((u, v, d.get("id"), d) for u, v, d in read.edges(data=True))
        return net
    if fmt == "json":
        return nx.node_link_graph(json.loads(data), edges="edges")
    raise NetworkError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


__all__ = ["FORMATS", "NetworkError", "actor_network", "actor_summary", "bridges", "camp", "one_hop_from_pressure",
           "parse", "place_network", "place_summary", "route_exposure", "serialize"]
