"""``kg export --format geojson|csv``: the board for GIS tools and spreadsheets.

- GeoJSON (RFC 7946): a FeatureCollection with one Point per located crossing or gate
  (``"feature_type": "crossing"``) and per located place (``"place"``), properties flat (strings,
  numbers, booleans: QGIS, Leaflet and kepler.gl read them as columns): who holds it and open or
  closed on the date, since when, last reported, the state of each answer (resolved, disputed,
  unknown, none) and the URLs of the sources. Crossings without coordinates are left out of the
  features and named in the foreign member ``"unlocated"``; ``"as_of"`` and ``"known_at"`` say
  which board it is. Coordinates are those of the crossing, else of its town (``located_at``).
- CSV with HXL hashtags on the second row (the Humanitarian Exchange Language, read by the HDX
  tools): one row per crossing and gate, located or not.

Both are the resolved answers of ``kg status --all`` (:func:`kg.pictures.scene.map_scene`),
never a second reading of the claims. The same graph and date give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from kg.lookup import Graph, resolved
from kg.pictures import scene as scenes
from kg.pictures.style import control_class, holder_label, status_class, status_label

#: column name, HXL hashtag: the second row of the CSV
HXL_COLUMNS = [
    ("crossing", "#loc +name"),
    ("latitude", "#geo +lat"),
    ("longitude", "#geo +lon"),
    ("open/closed", "#status"),
    ("open/closed code", "#status +code"),
    ("held by", "#group"),
    ("open/closed since", "#date +start"),
    ("open/closed since, as reported", "#date +start +reported"),
    ("held since", "#date +start +control"),
    ("last reported", "#date +reported"),
    ("control state", "#status +control"),
    ("kind", "#loc +type"),
    ("located at", "#loc +located"),
    ("sources", "#meta +source"),
    ("id", "#meta +id"),
]


def iso(shown: str) -> str:
    """A date as shown ("late-2024-11", "<=2024-11-30", "mid-2024-10") as its ISO part."""
    match = re.search(r"\d{4}(-\d{2}(-\d{2})?)?", shown or "")
    return match.group(0) if match else ""


def _first(aspect: dict[str, Any], key: str) -> str:
    answers = aspect.get("answers") or []
    return answers[0].get(key, "") if answers and aspect.get("state") in ("resolved", "unknown") else ""


def _urls(sources: list[str], references: dict[str, dict[str, Any]]) -> str:
    urls = []
    for s in sources:
        url = (references.get(s) or {}).get("url") or s
        if url not in urls:
            urls.append(url)
    return " ; ".join(urls)


def _sources(*aspects: dict[str, Any]) -> list[str]:
    return sorted({s for aspect in aspects for a in aspect.get("answers") or [] for s in a["sources"]})


def crossing_properties(m: dict[str, Any], references: dict[str, dict[str, Any]], as_of: str) -> dict[str, Any]:
    control, status, presence = m["control"], m["status"], m["presence"]
    where = m.get("location") or {}
    return {
        "feature_type": "crossing",
        "id": m["iri"],
        "name": m["label"],
        "kind": m["kind"],
        "official": m["official"],
        "as_of": as_of,
        "held_by": m["holder"],
        "held_by_ids": " ".join(w["iri"] for a in control["answers"] for w in a["who"]),
        "control_state": control["state"],
        "control_class": control_class(control),
        "held_since": iso(_first(control, "since")),
        "seen_there": ", ".join(w["label"] for a in presence["answers"] for w in a["who"]),
        "open_closed": status_label(status),
        "status_class": status_class(status),
        "status_state": status["state"],
        "imposed_by": ", ".join(w["label"] for a in status["answers"][:1] for w in a["who"])
        if status["state"] == "resolved" else "",
        "status_since": iso(_first(status, "since")),
        "status_since_reported": _first(status, "since"),
        "last_reported": iso(_first(status, "last_reported") or _first(control, "last_reported")),
        "sides": "; ".join(f"{s['country']}: {s['towns']}" for s in m["sides"] if s["towns"]),
        "located_at": (where.get("via") or {}).get("label", m["label"] if where else ""),
        "coordinate_precision": where.get("precision", ""),
        "source_urls": _urls(_sources(control, status, presence), references),
        "coordinate_source_urls": _urls(where.get("sources", []), references),
    }


def geojson(graph: Graph, as_of: str) -> dict[str, Any]:
    """The FeatureCollection (see the module docstring)."""
    data = scenes.map_scene(graph, as_of)
    references = {r["iri"]: r for r in data["references"]}
    features = []
    for m in sorted(data["markers"], key=lambda m: (not m["official"], m["label"], m["iri"])):
        where = m["location"]
        features.append({"type": "Feature", "id": m["iri"],
                         "geometry": {"type": "Point", "coordinates": [where["lon"], where["lat"]]},
                         "properties": crossing_properties(m, references, as_of)})
    crossing_iris = {m["iri"] for m in [*data["markers"], *data["unlocated"]]}
    places = [e for e in graph.names.entities.values() if "place" in e.kinds and e.iri not in crossing_iris]
    located = scenes.coordinates(graph, sorted(e.iri for e in places))
    names = {e.iri: e.label for e in places}
    controls = {iri: resolved(graph, as_of, about=iri).get(iri, {}).get("control", scenes.NONE) for iri in located}
    place_refs = {s["iri"]: s for s in graph.sources(sorted(
        {s for w in located.values() for s in w["sources"]} | {s for c in controls.values() for s in _sources(c)}))}
    for iri in sorted(located, key=lambda i: (names[i], i)):
        control = controls[iri]
        where = located[iri]
        features.append({"type": "Feature", "id": iri,
                         "geometry": {"type": "Point", "coordinates": [where["lon"], where["lat"]]},
                         "properties": {"feature_type": "place", "id": iri, "name": names[iri], "as_of": as_of,
                                        "held_by": holder_label(control),
                                        "held_by_ids": " ".join(w["iri"] for a in control["answers"] for w in a["who"]),
                                        "control_state": control["state"], "control_class": control_class(control),
                                        "held_since": iso(_first(control, "since")),
                                        "last_reported": iso(_first(control, "last_reported")),
                                        "coordinate_precision": where["precision"],
                                        "source_urls": _urls(_sources(control), place_refs),
                                        "coordinate_source_urls": _urls(where["sources"], place_refs)}})
    return {"type": "FeatureCollection", "as_of": as_of, "known_at": graph.known_at,
            "generator": "border-kg (kg export --format geojson)",
            "unlocated": [{"id": m["iri"], "name": m["label"], "held_by": m["holder"], "open_closed": m["open_closed"]}
                          for m in data["unlocated"]],
            "features": features}


def geojson_bytes(graph: Graph, as_of: str) -> bytes:
    return (json.dumps(geojson(graph, as_of), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def hxl_rows(graph: Graph, as_of: str) -> list[list[str]]:
    """Header, HXL hashtags, then one row per crossing and gate (official first)."""
    data = scenes.map_scene(graph, as_of)
    references = {r["iri"]: r for r in data["references"]}
    rows = [[name for name, _tag in HXL_COLUMNS], [tag for _name, tag in HXL_COLUMNS]]
    for m in sorted([*data["markers"], *data["unlocated"]], key=lambda m: (not m["official"], m["label"], m["iri"])):
        p = crossing_properties(m, references, as_of)
        where = m.get("location") or {}
        rows.append([m["label"], f"{where['lat']:.6f}" if where else "", f"{where['lon']:.6f}" if where else "",
                     p["open_closed"], p["status_class"], p["held_by"], p["status_since"], p["status_since_reported"],
                     p["held_since"], p["last_reported"], p["control_state"], m["kind"], p["located_at"],
                     p["source_urls"], m["iri"]])
    return rows


def hxl_csv_bytes(graph: Graph, as_of: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(hxl_rows(graph, as_of))
    return buffer.getvalue().encode("utf-8")
