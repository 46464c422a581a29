"""The map's base layer and its projection.

The base layer is a small extract of Natural Earth's 1:10m Admin 0 countries (version 4.1.0,
public domain), as packaged by world-atlas 2.0.2 (ISC licence), committed in
``kg/pictures/geodata/`` with its licence and made by ``tools/make_basemap.py``: the
China-Myanmar boundary (the line Natural Earth's two country polygons share) and the
neighbouring countries clipped to 93.5-102.5 E, 19-29 N. It travels in the package, so the
map needs no network and no tiles.

The projection is equirectangular, scaled by the cosine of the frame's middle latitude: over a
few degrees it keeps shapes and distances close to true, and it is one line of arithmetic that
every renderer (the SVG writer, matplotlib, a reader's own GIS) reproduces exactly.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

GEODATA = Path(__file__).resolve().parent / "geodata"
BASEMAP_FILE = GEODATA / "natural-earth-china-myanmar.geojson"
CITATION = ("Border and countries: Natural Earth 1:10m Admin 0, v4.1.0 (public domain), "
            "via world-atlas 2.0.2 (ISC)")


@lru_cache(maxsize=1)
def basemap() -> dict[str, Any]:
    """The committed extract (a GeoJSON FeatureCollection)."""
    with open(BASEMAP_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def extent() -> tuple[float, float, float, float]:
    """lon_min, lat_min, lon_max, lat_max of the extract."""
    x0, y0, x1, y1 = basemap()["bbox"]
    return float(x0), float(y0), float(x1), float(y1)


def frame_around(points: list[tuple[float, float]], pad: float = 0.7, min_span: float = 3.0) -> tuple[float, float, float, float]:
    """A frame around ``points`` (lon, lat), padded, at least ``min_span`` degrees each way, kept
    inside the extract."""
    x0, y0, x1, y1 = extent()
    if not points:
        return x0, y0, x1, y1
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    a, b, c, d = min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad
    if c - a < min_span:
        mid = (a + c) / 2
        a, c = mid - min_span / 2, mid + min_span / 2
    if d - b < min_span:
        mid = (b + d) / 2
        b, d = mid - min_span / 2, mid + min_span / 2
    return max(a, x0), max(b, y0), min(c, x1), min(d, y1)


@dataclass(frozen=True)
class Projection:
    """lon/lat -> pixels in a box of ``width`` by its natural height, with a margin."""

    frame: tuple[float, float, float, float]
    width: float
    top: float = 0.0

    @property
    def kx(self) -> float:
        x0, y0, x1, y1 = self.frame
        return math.cos(math.radians((y0 + y1) / 2))

    @property
    def scale(self) -> float:
        x0, _y0, x1, _y1 = self.frame
        return self.width / ((x1 - x0) * self.kx)

    @property
    def height(self) -> float:
        _x0, y0, _x1, y1 = self.frame
        return (y1 - y0) * self.scale

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x0, _y0, _x1, y1 = self.frame
        return (round((lon - x0) * self.kx * self.scale, 2), round(self.top + (y1 - lat) * self.scale, 2))

    def inside(self, lon: float, lat: float) -> bool:
        x0, y0, x1, y1 = self.frame
        return x0 <= lon <= x1 and y0 <= lat <= y1
