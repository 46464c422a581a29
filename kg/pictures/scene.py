"""The data each picture shows, read through :mod:`kg.lookup` (no plotting library here).

- :func:`map_scene`: every crossing and gate with its coordinates, its resolved control,
  presence and open/closed on the date (``status_board``), how it is located, both sides'
  towns; the roads between located places; the crossings that cannot be placed.
- :func:`strips`: for the official crossings, the resolved answers over time. The resolution's
  periods only start and end on a few dates, so the board is asked (``kg.lookup.resolved``) on
  each of those dates and holds until the next one: the strips are the board, sampled where it
  can change, never a second reading of the claims.
- :func:`timeline_scene`: the same for one crossing, place or actor, with the claims behind the
  answers (their fate on the date: counts, superseded, expired, ended, deprecated) and the events.

Dates are ISO strings (``YYYY-MM-DD``); the pictures turn them into axis positions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from kg.lookup import BK, GEO, OFFICIAL, PROV_SOURCE, Graph, all_of, attach_sources, explained_claims, first, \
    resolved, status_board, text, timeline, values_block
from kg.names import Entity
from kg.pictures.style import Palette, control_class, holder_label, status_class, status_label

RESOLVED_HOLDERS = "SELECT DISTINCT ?holder WHERE { ?period bk:resolvedHolder ?holder }"
PERIOD_DATES = """
SELECT ?subject ?from ?until WHERE {
  %s
  ?period bk:periodOf ?subject .
  OPTIONAL { ?period bk:resolvedFrom ?from }
  OPTIONAL { ?period bk:resolvedUntil ?until }
}"""
KIND_NAMES = {OFFICIAL: "official crossing", BK + "MinorBorderGate": "minor gate", BK + "BorderCrossing": "crossing"}
NONE = {"state": "none", "answers": []}


def palette(graph: Graph) -> Palette:
    """Every holder the resolution knows, in one fixed order (a holder keeps its colour)."""
    return Palette(text(r["holder"]) for r in graph.select(RESOLVED_HOLDERS))


def days(a: str, b: str) -> int:
    return (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days


def shift(date: str, by_days: int) -> str:
    return (dt.date.fromisoformat(date) + dt.timedelta(days=by_days)).isoformat()


_POINT = re.compile(r"POINT\s*\(\s*(-?[0-9.]+)\s+(-?[0-9.]+)\s*\)", re.I)


def point(wkt: str | None) -> tuple[float, float] | None:
    """(lon, lat) of a ``POINT(lon lat)`` WKT literal (GeoSPARQL's order), else None."""
    match = _POINT.search(wkt or "")
    return (float(match.group(1)), float(match.group(2))) if match else None


def coordinates(graph: Graph, iris: Iterable[str]) -> dict[str, dict[str, Any]]:
    """iri -> {"lon", "lat", "precision", "sources"} for those with a POINT geometry."""
    iris = list(dict.fromkeys(iris))
    geometries = graph.describe(iris, [GEO + "hasGeometry"])
    props = graph.describe([g for p in geometries.values() for g in all_of(p, GEO + "hasGeometry")],
                           [GEO + "asWKT", BK + "coordinatePrecision", PROV_SOURCE])
    labels = graph.labels(t.value for p in props.values() for t in p.get(BK + "coordinatePrecision", []))
    out: dict[str, dict[str, Any]] = {}
    for iri in iris:
        for geometry in all_of(geometries.get(iri, {}), GEO + "hasGeometry"):
            p = props.get(geometry, {})
            lonlat = point(first(p, GEO + "asWKT"))
            if lonlat and iri not in out:
                precision = first(p, BK + "coordinatePrecision")
                out[iri] = {"lon": lonlat[0], "lat": lonlat[1], "precision": labels.get(precision or "", ""),
                            "sources": all_of(p, PROV_SOURCE)}
    return out


# ---------------------------------------------------------------------------- the map


def map_scene(graph: Graph, as_of: str) -> dict[str, Any]:
    """Crossings and gates on the date, located; roads; what cannot be placed; the sources."""
    board = status_board(graph, as_of, include_all=True)
    crossings = [c["iri"] for c in board["crossings"]]
    sides = graph.describe(crossings, [BK + "hasSide"])
    side_iris = sorted({s for p in sides.values() for s in all_of(p, BK + "hasSide")})
    side_props = graph.describe(side_iris, [BK + "sideCountry", BK + "sideSettlement", BK + "sideGate"])
    towns = {t for p in side_props.values() for k in (BK + "sideSettlement", BK + "sideGate") for t in all_of(p, k)}
    links = graph.library("place-links")
    roads = [(text(r["from"]), text(r["to"]), r) for r in links if text(r["role"]) == "on route to"]
    road_places = {x for u, v, _r in roads for x in (u, v)}
    located = coordinates(graph, [*crossings, *towns, *road_places])
    labels = graph.labels([*towns, *road_places, *(c for p in side_props.values() for c in all_of(p, BK + "sideCountry"))])
    colours = palette(graph)
    markers, unlocated = [], []
    for crossing in board["crossings"]:
        iri = crossing["iri"]
        side_list = sorted(all_of(sides.get(iri, {}), BK + "hasSide"))
        where = located.get(iri)
        via = iri
        if where is None:
            for side in side_list:
                for key in (BK + "sideGate", BK + "sideSettlement"):
                    for town in all_of(side_props.get(side, {}), key):
                        if where is None and town in located:
                            where, via = located[town], town
        side_names = []
        for side in side_list:
            p = side_props.get(side, {})
            country = labels.get(first(p, BK + "sideCountry") or "", "")
            settlements = ", ".join(labels.get(t, t) for t in all_of(p, BK + "sideSettlement"))
            side_names.append({"country": country, "towns": settlements})
        side_names.sort(key=lambda s: (s["towns"] == "", s["country"]))
        entry = {
            "iri": iri, "label": crossing["label"], "official": crossing["official"],
            "kind": KIND_NAMES.get((crossing["kind"] or {}).get("iri", ""), "crossing"),
            "control": crossing["control"], "presence": crossing["presence"], "status": crossing["status"],
            "control_class": control_class(crossing["control"]), "status_class": status_class(crossing["status"]),
            "fill": colours.fill(crossing["control"]),
            "holder": holder_label(crossing["control"]), "open_closed": status_label(crossing["status"]),
            "sides": side_names,
        }
        if where is None:
            unlocated.append(entry)
            continue
        entry["location"] = {"lon": where["lon"], "lat": where["lat"], "precision": where["precision"],
                             "via": None if via == iri else {"iri": via, "label": labels.get(via, via)},
                             "sources": where["sources"]}
        markers.append(entry)
    # roads: from each located place to the next located place along bk:onRouteTo
    onward: dict[str, list[str]] = {}
    for u, v, _r in roads:
        onward.setdefault(u, []).append(v)
    road_sources = {(u, v): text(r["sources"]).split() for u, v, r in roads}
    lines = []
    for start in sorted(p for p in road_places if p in located):
        frontier, seen = list(onward.get(start, [])), {start}
        while frontier:
            node = frontier.pop(0)
            if node in seen:
                continue
            seen.add(node)
            if node in located:
                lines.append({"from": start, "to": node})
            else:
                frontier.extend(onward.get(node, []))
    sources_of_roads = sorted({s for ss in road_sources.values() for s in ss})
    road_towns = []
    for iri in sorted(p for p in road_places if p in located):
        control = resolved(graph, as_of, about=iri).get(iri, {}).get("control", NONE)
        road_towns.append({"iri": iri, "label": labels.get(iri, iri), "lon": located[iri]["lon"],
                           "lat": located[iri]["lat"], "control": control, "fill": colours.fill(control),
                           "holder": holder_label(control), "location_sources": located[iri]["sources"]})
    held = {w["iri"]: w["label"] for m in [*markers, *road_towns] for a in m["control"]["answers"] for w in a["who"]}
    scene = {
        "as_of": as_of, "known_at": graph.known_at,
        "markers": markers, "unlocated": unlocated, "towns": road_towns,
        "roads": [{**line, "from_point": (located[line["from"]]["lon"], located[line["from"]]["lat"]),
                   "to_point": (located[line["to"]]["lon"], located[line["to"]]["lat"])} for line in lines],
        "road_sources": {"sources": sources_of_roads},
        "holders": [{"iri": h, "label": held[h], "colour": colours.colour(h)} for h in sorted(held, key=lambda h: held[h])],
    }
    return attach_sources(graph, scene)


# ---------------------------------------------------------------------------- over time


def _key(aspect: dict[str, Any]) -> tuple[Any, ...]:
    return (aspect["state"], tuple(sorted(((a["value"] or {}).get("iri", ""), tuple(w["iri"] for w in a["who"]),
                                           a.get("until", "") if aspect["state"] == "unknown" else "")
                                          for a in aspect["answers"])))


def breakpoints(graph: Graph, subjects: Sequence[str]) -> list[str]:
    """Every date on which a resolved period of the subjects starts or ends."""
    if not subjects:
        return []
    found = set()
    for row in graph.select(PERIOD_DATES % values_block("subject", subjects)):
        for name in ("from", "until"):
            if row[name] is not None:
                found.add(text(row[name])[:10])
    return sorted(found)


def window(dates: Iterable[str], as_of: str, since: str | None) -> tuple[str, str]:
    """The span a chart covers: from ``since`` (else a little before the first date) to ``as_of``."""
    dates = [d for d in dates if d and d <= as_of]
    start = since or (shift(min(dates), -30) if dates else shift(as_of, -365))
    if start >= as_of:
        start = shift(as_of, -365)
    return start, as_of


def sample(graph: Graph, dates: Sequence[str], about: str | None = None) -> dict[str, dict[str, Any]]:
    """The resolved answers on each date: date -> subject -> entry (``kg.lookup.resolved``)."""
    return {d: resolved(graph, d, about=about) for d in dates}


def _segments(samples: dict[str, dict[str, Any]], dates: Sequence[str], end: str, subject: str,
              aspect: str, colours: Palette) -> list[dict[str, Any]]:
    """Merge the sampled answers of one subject and aspect into spans of one answer each."""
    spans: list[dict[str, Any]] = []
    for i, date in enumerate(dates):
        until = dates[i + 1] if i + 1 < len(dates) else end
        answer = samples[date].get(subject, {}).get(aspect, NONE)
        if spans and spans[-1]["key"] == _key(answer):
            spans[-1]["to"] = until
            continue
        spans.append({"from": date, "to": until, "key": _key(answer), "answer": answer})
    out = []
    for span in spans:
        answer = span.pop("answer")
        span.pop("key")
        if aspect == "status":
            kind = status_class(answer)
            label = status_label(answer)
        else:
            kind = control_class(answer)
            label = holder_label(answer) if aspect != "alignment" else _alignment_label(answer)
        out.append({**span, "state": answer["state"], "class": kind, "label": label,
                    "fills": _fills(answer, aspect, colours), "sources": sorted({s for a in answer["answers"]
                                                                                 for s in a["sources"]})})
    return out


def _alignment_label(answer: dict[str, Any]) -> str:
    names = [(a["value"] or {}).get("label", "") for a in answer["answers"]]
    if answer["state"] == "none" or not names:
        return "no report"
    if answer["state"] == "disputed":
        return "disputed: " + " / ".join(names)
    if answer["state"] == "unknown":
        return f"unknown (last: {names[0]})"
    return names[0]


def _fills(answer: dict[str, Any], aspect: str, colours: Palette) -> list[str]:
    """One fill per side: a holder's colour (control, presence), the status colour (status)."""
    from kg.pictures.style import ALIGNMENT_FILLS, STATUS_FILLS, UNKNOWN_FILL, status_value_class

    if answer["state"] in ("none",) or not answer["answers"]:
        return []
    if answer["state"] == "unknown":
        return [UNKNOWN_FILL]
    fills = []
    for a in answer["answers"]:
        if aspect == "status":
            fills.append(STATUS_FILLS[status_value_class((a["value"] or {}).get("iri", ""))])
        elif aspect == "alignment":
            fills.append(ALIGNMENT_FILLS.get((a["value"] or {}).get("iri", ""), UNKNOWN_FILL))
        else:
            fills.append(colours.colour(a["who"][0]["iri"]) if len(a["who"]) == 1 else colours.fill(
                {"state": "resolved", "answers": [a]}))
    return fills


def strips(graph: Graph, as_of: str, since: str | None = None, include_all: bool = False) -> dict[str, Any]:
    """Held by and open/closed of every official crossing (every crossing with ``include_all``)
    from ``since`` to ``as_of``."""
    board = status_board(graph, as_of, include_all)
    subjects = [c["iri"] for c in board["crossings"]]
    start, end = window(breakpoints(graph, subjects), as_of, since)
    dates = sorted({start, *(d for d in breakpoints(graph, subjects) if start < d < end)})
    samples = sample(graph, dates)
    colours = palette(graph)
    rows = []
    for crossing in board["crossings"]:
        rows.append({"iri": crossing["iri"], "label": crossing["label"], "official": crossing["official"],
                     "lanes": {aspect: _segments(samples, dates, end, crossing["iri"], aspect, colours)
                               for aspect in ("control", "status")}})
    holders = _legend_holders(samples, colours)
    return attach_sources(graph, {"as_of": as_of, "since": start, "known_at": graph.known_at, "crossings": rows,
                                  "holders": holders})


def _legend_holders(samples: dict[str, dict[str, Any]], colours: Palette) -> list[dict[str, str]]:
    """Every holder (or actor seen there) that appears in the samples, for the legend."""
    seen: dict[str, str] = {}
    for entries in samples.values():
        for entry in entries.values():
            for aspect in ("control", "presence"):
                for a in entry.get(aspect, NONE)["answers"]:
                    for w in a["who"]:
                        seen[w["iri"]] = w["label"]
    return [{"iri": h, "label": seen[h], "colour": colours.colour(h)} for h in sorted(seen, key=lambda h: seen[h])]


_CLAIM_LINKS = {"crossing": [BK + "place", BK + "crossing"], "place": [BK + "place"], "actor": [BK + "actor"]}


def timeline_scene(graph: Graph, entity: Entity, as_of: str, since: str | None = None) -> dict[str, Any]:
    """One crossing, place or actor over time: its resolved answers per aspect, the claims
    behind them with what became of each by ``as_of``, and its events."""
    iri = entity.iri
    kind = "crossing" if "crossing" in entity.kinds else "actor" if "actor" in entity.kinds else "place"
    aspects = {"crossing": ("control", "presence", "status"), "place": ("control", "presence"),
               "actor": ("alignment",)}[kind]
    claims = [c for c in explained_claims(graph, iri, as_of, _CLAIM_LINKS[kind]) if c["aspect"] in aspects]
    dated = graph.describe([c["claim"] for c in claims], [BK + "validFrom", BK + "observedOn", BK + "validUntil"])
    items = timeline(graph, entity)["items"]
    events = [i for i in items if i["kind"] == "event" and i["date"] and i["date"] <= as_of]
    points = breakpoints(graph, [iri])
    claim_dates = [first(dated.get(c["claim"], {}), BK + "validFrom") or first(dated.get(c["claim"], {}), BK + "observedOn")
                   for c in claims]
    start, end = window([*points, *(d for d in claim_dates if d), *(e["date"] for e in events)], as_of, since)
    dates = sorted({start, *(d for d in points if start < d < end)})
    samples = sample(graph, dates, about=iri)
    colours = palette(graph)
    lanes = {aspect: _segments(samples, dates, end, iri, aspect, colours) for aspect in aspects}
    lanes = {a: spans for a, spans in lanes.items() if a != "presence" or any(s["state"] != "none" for s in spans)}
    claim_rows = []
    for claim in claims:
        p = dated.get(claim["claim"], {})
        begin = first(p, BK + "validFrom") or first(p, BK + "observedOn")
        claim_rows.append({
            "iri": claim["claim"], "label": claim["label"], "aspect": claim["aspect"], "fate": claim["fate"],
            "value": (claim["value"] or {}).get("label", ""), "who": (claim["who"] or {}).get("label", ""),
            "who_iri": (claim["who"] or {}).get("iri", ""),
            "from": begin, "observed": first(p, BK + "validFrom") is None and begin is not None,
            "stated_until": first(p, BK + "validUntil"), "effective_until": claim["effective_until"],
            "since": claim["since"], "sources": claim["sources"]})
    return attach_sources(graph, {
        "iri": iri, "label": entity.label, "kind": kind, "as_of": as_of, "since": start, "known_at": graph.known_at,
        "lanes": lanes, "claims": claim_rows,
        "events": [{"iri": e["iri"], "label": e["label"], "date": e["date"], "when": e["when"],
                    "type": (e["type"] or {}).get("label", ""), "sources": e["sources"]} for e in events
                   if e["date"] >= start],
        "holders": _legend_holders(samples, colours),
        "palette": {c["who_iri"]: colours.colour(c["who_iri"]) for c in claim_rows if c["who_iri"]},
    })
