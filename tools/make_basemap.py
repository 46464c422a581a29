"""Make the map's base layer from Natural Earth, as packaged by world-atlas (npm).

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/make_basemap.py package/countries-10m.json > kg/pictures/geodata/natural-earth-china-myanmar.geojson

world-atlas 2.0.2 (ISC licence, Mike Bostock) is Natural Earth's Admin 0 countries, 1:10m,
version 4.1.0, as TopoJSON (public domain data). This script keeps what the border map needs:

- the China-Myanmar boundary: the TopoJSON arcs that China (156) and Myanmar (104) share, that
  is Natural Earth's own line between the two polygons, as one MultiLineString;
- the countries around it (Myanmar, China, India, Laos, Thailand, Bangladesh, Bhutan), clipped
  to the frame (Sutherland-Hodgman on each ring) to shade the two sides.

Coordinates are rounded to 3 decimals (about 100 m, finer than the 1:10m data). Run by hand when
the source changes; the output is committed (with its licence, in the same folder), so the map
works offline. Standard library only.
"""

from __future__ import annotations

import json
import sys
from typing import Any

#: lon_min, lat_min, lon_max, lat_max: the frame the map can show
FRAME = (93.5, 19.0, 102.5, 29.0)
COUNTRIES = {"104": "Myanmar", "156": "China", "356": "India", "418": "Laos", "764": "Thailand",
             "050": "Bangladesh", "064": "Bhutan"}
BORDER = ("104", "156")
DIGITS = 3


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indices: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def polygons(geometry: dict[str, Any]) -> list[list[list[int]]]:
    return [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]


def clip(points: list[tuple[float, float]], frame: tuple[float, float, float, float]) -> list[tuple[float, float]]:
    """Sutherland-Hodgman: the part of a closed ring inside the frame."""
    x0, y0, x1, y1 = frame
    edges = [(lambda p: p[0] >= x0, lambda a, b: _cut_x(a, b, x0)), (lambda p: p[0] <= x1, lambda a, b: _cut_x(a, b, x1)),
             (lambda p: p[1] >= y0, lambda a, b: _cut_y(a, b, y0)), (lambda p: p[1] <= y1, lambda a, b: _cut_y(a, b, y1))]
    out = points
    for inside, cut in edges:
        if not out:
            break
        source, out = out, []
        previous = source[-1]
        for current in source:
            if inside(current):
                if not inside(previous):
                    out.append(cut(previous, current))
                out.append(current)
            elif inside(previous):
                out.append(cut(previous, current))
            previous = current
    return out


def _cut_x(a: tuple[float, float], b: tuple[float, float], x: float) -> tuple[float, float]:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cut_y(a: tuple[float, float], b: tuple[float, float], y: float) -> tuple[float, float]:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def rounded(points: list[tuple[float, float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in points:
        p = [round(x, DIGITS), round(y, DIGITS)]
        if not out or p != out[-1]:
            out.append(p)
    return out


def main(path: str) -> None:
    with open(path, encoding="utf-8") as handle:
        topology = json.load(handle)
    arcs = decode_arcs(topology)
    geometries = {g["id"]: g for g in topology["objects"]["countries"]["geometries"] if g.get("id") in COUNTRIES}
    features = []
    for code in sorted(COUNTRIES, key=lambda c: COUNTRIES[c]):
        shapes = []
        for polygon in polygons(geometries[code]):
            rings = [rounded(clip(ring(arcs, r), FRAME)) for r in polygon]
            rings = [r + [r[0]] for r in rings if len(r) >= 3]
            if rings:
                shapes.append(rings)
        if shapes:
            features.append({"type": "Feature", "properties": {"name": COUNTRIES[code], "iso_n3": code, "role": "country"},
                             "geometry": {"type": "MultiPolygon", "coordinates": shapes}})
    used = [{abs(i) if i >= 0 else ~i for p in polygons(geometries[c]) for r in p for i in r} for c in BORDER]
    shared = sorted(used[0] & used[1])
    features.append({"type": "Feature",
                     "properties": {"name": "China–Myanmar boundary", "role": "border", "between": list(BORDER)},
                     "geometry": {"type": "MultiLineString", "coordinates": [rounded(arcs[i]) for i in shared]}})
    collection = {
        "type": "FeatureCollection",
        "bbox": list(FRAME),
        "source": "Natural Earth 1:10m Admin 0 countries, version 4.1.0, as packaged by world-atlas 2.0.2 "
                  "(https://github.com/topojson/world-atlas); made with tools/make_basemap.py",
        "license": "Natural Earth: public domain (https://www.naturalearthdata.com/about/terms-of-use/); "
                   "world-atlas packaging: ISC licence, Copyright 2013-2019 Michael Bostock",
        "features": features,
    }
    json.dump(collection, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
