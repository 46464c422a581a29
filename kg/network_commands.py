"""``kg network actors|places|route``: the graph as networks, and what only a graph algorithm answers.

A thin layer over :mod:`kg.network` (which imports networkx: only when a command runs, never
when ``kg --help`` lists the commands). Files are written whole or not at all
(:func:`kg.files.write_output`: atomic, never a special file); ``--out -`` (the default) writes
to standard output.

Exit codes: 0 done; 1 a name that matches nothing (or several things), a graph that does not
load, an output file that cannot be written; 2 a usage error (a bad date or format).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kg.lookup_commands import Printer, _emit_json, _graph, _label, _resolve, _run, answer_lines, as_of_option, \
    known_at_option

NETWORK_FORMATS = ("summary", "summary-json", "graphml", "gexf", "json")
#: the state whose pressure `kg network actors` follows unless --state says otherwise
DEFAULT_STATE = "https://w3id.org/border-kg/id/china"


def out_option(f: Any) -> Any:
    return click.option("--out", "-o", "out", default="-", show_default=True,
                        type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
                        help="File to write (replaced whole); - for standard output.")(f)


def format_option(f: Any) -> Any:
    return click.option("--format", "-f", "fmt", type=click.Choice(NETWORK_FORMATS), default="summary",
                        show_default=True,
                        help="summary (for people), summary-json, or the network itself: GraphML or GEXF "
                             "(Gephi, Cytoscape, yEd) or node-link JSON (networkx, d3).")(f)


def check_output(out: Path) -> None:
    """Refuse a file that must not be written (a device, a FIFO, a read-only file) before any
    work is done (:func:`kg.files.writable_target`)."""
    from kg.files import is_stdout, writable_target

    if not is_stdout(out):
        writable_target(out)


def write_output(out: Path, data: bytes, what: str) -> None:
    """``data`` to standard output (``-``) or to ``out``, through the one safe writer."""
    from kg.errors import display_path
    from kg.files import write_output as write

    if write(out, data) is not None:
        click.echo(f"wrote {what} to {display_path(out)}", err=True)


def _network_call(build: Any) -> Any:
    from kg.errors import KgError
    from kg.network import NetworkError

    try:
        return _run(build)
    except NetworkError as error:
        raise KgError(str(error)) from None


@click.group("network")
def network_group() -> None:
    """The graph as networks for Gephi, Cytoscape and networkx, and the questions only a graph
    algorithm answers: who is central, who is one hop from China's pressure, which armed groups
    lie between the camps, and which places a truck passes on the way to a crossing.

    \b
    Examples:
      kg network actors --as-of 2024-11-25
      kg network actors --format gexf --out actors.gexf
      kg network places --format graphml --out places.graphml
      kg network route Muse --as-of 2024-11-25
    """


# ---------------------------------------------------------------------------- actors


@network_group.command("actors")
@as_of_option
@known_at_option
@format_option
@click.option("--state", "state_name", default=None,
              help="The state whose pressure to follow (default: China); any name or IRI.")
@out_option
def actors_command(as_of: str, known_at: str | None, fmt: str, state_name: str | None, out: Path) -> None:
    """Actors and their relations as of a date: pressure, threats, talks, visits, invitations,
    handovers, attacks and captures (events up to the date), organs and posts, and each
    actor's resolved alignment (towards the regime). Edges carry the date with its precision,
    the event or claim and its sources.

    The summary lists each camp on the date, the most connected actors (neighbours, and
    betweenness: how often an actor lies on the shortest paths between two others), the
    components, who is one hop from the state's pressure (pressure, threats, closures aimed at
    them, drills, by the state, its organs or office holders) and which armed groups lie on the
    paths between actors of different camps.
    """
    from kg import network
    from kg.lookup import attach_sources

    check_output(out)
    graph = _graph(known_at)
    state = _resolve(graph, state_name, ["actor"], "actor").iri if state_name else DEFAULT_STATE
    net = _network_call(lambda: network.actor_network(graph, as_of))
    if fmt in ("graphml", "gexf", "json"):
        write_output(out, network.serialize(net, fmt), f"{net.number_of_nodes()} actors and "
                                                       f"{net.number_of_edges()} relations as {fmt}")
        return
    summary = _run(lambda: attach_sources(graph, network.actor_summary(net, state)))
    summary["known_at"] = known_at
    if fmt == "summary-json":
        _write_json(out, summary)
        return
    write_output(out, _actor_text(summary).encode("utf-8"), "the summary")


def _write_json(out: Path, data: Any) -> None:
    import json

    if str(out) == "-":
        _emit_json(data)
        return
    write_output(out, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), "the summary")


def _actor_text(s: dict[str, Any]) -> str:
    p = Printer(s["references"])
    kinds = ", ".join(f"{k} {n}" for k, n in s["edges_by_kind"].items())
    known = f", as known on {s['known_at']}" if s.get("known_at") else ""
    p.line(p.style(f"Actor network as of {s['as_of']}{known}", bold=True))
    p.line(f"{s['nodes']} actors, {s['edges']} relations ({kinds}); {len(s['components'])} components")
    p.section("Camps on the date (resolved alignment; states, their organs and office holders apart)")
    p.table(["camp", "actors"], [[c, ", ".join(names)] for c, names in s["camps"].items()])
    p.section("Most connected (neighbours; betweenness: share of shortest paths through it)")
    p.table(["actor", "kind", "camp", "neighbours", "relations", "betweenness"],
            [[n["label"], n["kind"], n["camp"], str(n["degree"]), str(n["relations"]), f"{n['betweenness']:.3f}"]
             for n in s["centrality"] if n["degree"]][:15])
    p.section("Components")
    for i, component in enumerate(s["components"], start=1):
        names = ", ".join(c["label"] for c in component)
        p.line(f"  {i}. {len(component)} actor{'s' if len(component) > 1 else ''}: {names}"
               + ("  (no relation on record)" if len(component) == 1 else ""))
    state = s["state"]
    side = f" (with {', '.join(x for x in state['side'] if x != state['label'])})" if len(state["side"]) > 1 else ""
    p.section(f"One hop from {state['label']}'s pressure{side}")
    p.table(["actor", "camp", "how (pressure, threats, closures, drills)", "src"],
            [[h["label"], h["camp"], "; ".join(f"{b['relation']} {b['when']}".strip() for b in h["by"]),
              p.marks([x for b in h["by"] for x in b["sources"]])] for h in s["one_hop_from_pressure"]],
            f"nobody: no pressure by {state['label']} on record by {s['as_of']}")
    p.section("Armed groups between the camps (shortest paths between actors of different camps)")
    p.table(["armed group", "camp", "paths", "share", "between"],
            [[b["label"], b["camp"], f"{b['paths']:g}", f"{b['share']:.2f}", "; ".join(b["between"])]
             for b in s["bridges"]], "none: no armed group lies between two camps")
    p.sources()
    return "\n".join(p.lines) + "\n"


# ---------------------------------------------------------------------------- places


@network_group.command("places")
@as_of_option
@known_at_option
@format_option
@out_option
def places_command(as_of: str, known_at: str | None, fmt: str, out: Path) -> None:
    """Places and crossings as of a date: what lies in what, the two sides of each crossing,
    gates, and roads (bk:onRouteTo). Nodes carry coordinates (lon/lat) when known and who
    holds each place on the date (for crossings also open/closed), from the resolution.

    The summary counts them and lists, for each crossing with roads on record, the places on
    its routes and the places every route passes through.
    """
    from kg import network

    check_output(out)
    graph = _graph(known_at)
    net = _network_call(lambda: network.place_network(graph, as_of))
    if fmt in ("graphml", "gexf", "json"):
        write_output(out, network.serialize(net, fmt), f"{net.number_of_nodes()} places and "
                                                       f"{net.number_of_edges()} links as {fmt}")
        return
    summary = network.place_summary(net)
    summary["known_at"] = known_at
    if fmt == "summary-json":
        _write_json(out, summary)
        return
    p = Printer([])
    roles = ", ".join(f"{k} {n}" for k, n in summary["edges_by_role"].items())
    p.line(p.style(f"Place network as of {summary['as_of']}", bold=True))
    p.line(f"{summary['nodes']} places and crossings ({summary['crossings']} crossings, {summary['located']} with "
           f"coordinates), {summary['edges']} links ({roles}); {summary['components']} components")
    p.section("Roads to crossings (kg network route CROSSING shows who holds each place)")
    p.table(["crossing", "places on its routes", "on every route"],
            [[r["label"], ", ".join(r["route_places"]), ", ".join(r["on_every_route"])] for r in summary["routes"]],
            "no roads on record")
    write_output(out, ("\n".join(p.lines) + "\n").encode("utf-8"), "the summary")


# ---------------------------------------------------------------------------- route exposure

ROUTE_JSON = """
\b
JSON: {"crossing": ref, "as_of", "known_at",
  "places": [{"iri", "label", "kind", "hops", "on_every_route": bool,
              "control", "presence", ("status" for a crossing): {"state", "answers"}}],
  "routes": [[ref, ...]] (each from where the road starts to the crossing),
  "segments": [{"from", "to", "from_control", "to_control", "same_hands": bool, "sources"}],
  "on_every_route": [ref], "references": [...]}
An aspect is as in kg crossing --json: {"state": "resolved"|"disputed"|"unknown"|"none",
"answers": [ANSWER]}.
"""


@network_group.command("route", epilog=ROUTE_JSON)
@click.argument("crossing")
@as_of_option
@known_at_option
@click.option("--json", "as_json", is_flag=True, help="Print the data as JSON (shape: below).")
def route_command(crossing: str, as_of: str, known_at: str | None, as_json: bool) -> None:
    """Route exposure: every place on the roads to CROSSING (bk:onRouteTo, followed back from
    the crossing's towns), who holds each on the date (the resolved answer, disputes shown),
    each route from where it starts, each road segment with who holds its two ends, and the
    places every route passes through: what a truck would pass under whose control.

    \b
    Examples:
      kg network route Muse --as-of 2024-11-25
      kg network route Kanpiketi --as-of 2024-11-25 --json
    """
    from kg import network

    graph = _graph(known_at)
    entity = _resolve(graph, crossing, ["crossing"], "crossing")
    card = _network_call(lambda: network.route_exposure(graph, entity.iri, as_of))
    if as_json:
        _emit_json(card)
        return
    p = Printer(card["references"])
    known = f", as known on {known_at}" if known_at else ""
    p.line(p.style(f"Routes to {card['crossing']['label']} as of {as_of}{known}", bold=True))
    p.line("Who holds each place on the date: the resolved answer (kg place NAME shows the claims).")
    if not card["routes"]:
        p.line("")
        p.line(p.style("No road to this crossing is on record (bk:onRouteTo).", dim=True))
    p.section("Places, farthest first")
    rows = []
    for place in card["places"]:
        name = place["label"] + (" *" if place["on_every_route"] else "")
        for aspect in ("control", "presence", "status"):
            if aspect not in place or (aspect == "presence" and place[aspect]["state"] == "none"):
                continue
            for line, sources in answer_lines(aspect, place[aspect]):
                label = {"control": "held by", "presence": "seen there", "status": "open/closed"}[aspect]
                rows.append([name, str(place["hops"]) if name else "", label, line, p.marks(sources)])
                name = ""
    p.table(["place", "hops", "aspect", "answer", "src"], rows, "nothing on record")
    if card["on_every_route"]:
        p.line(f"  * on every route: {', '.join(_label(x) for x in card['on_every_route'])}")
    p.section("Routes")
    for i, route in enumerate(card["routes"], start=1):
        p.line(f"  {i}. " + " → ".join(_label(x) for x in route))
    if not card["routes"]:
        p.line(p.style("  none", dim=True))
    p.section("Road segments")
    p.table(["from", "to", "held at the start", "held at the end", "", "src"],
            [[s["from"]["label"], s["to"]["label"], s["from_control"], s["to_control"],
              "same hands" if s["same_hands"] else "", p.marks(s["sources"])] for s in card["segments"]], "none")
    p.sources()
    p.echo()
