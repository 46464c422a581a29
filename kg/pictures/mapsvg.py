"""The map: one drawing, written as SVG (by hand), PNG (matplotlib) or an offline HTML page.

:func:`drawing` turns a :func:`kg.pictures.scene.map_scene` into a list of primitives in pixels
(paths, symbols, texts, each with its classes and tooltip); :func:`to_svg` and :func:`to_png`
write the same list, so the PNG and the SVG show the same thing.

Why SVG by hand rather than folium or a JavaScript map library: the page must work offline in
an e-mail attachment, the markers must carry their meaning in classes and ``data-`` attributes
that tests, screen readers and stylesheets can read, and tooltips (``<title>``) need no script.
There are no tiles: the base layer is the committed Natural Earth extract
(:mod:`kg.pictures.basemap`).

Every marker: ``<g class="marker status-… control-… official|gate" id="marker-…" data-iri=…
data-status=… data-control=… data-holder=…>`` holding one symbol (shape = open/closed, fill =
holder) and a ``<title>`` with the resolved answers and their source numbers.
"""

from __future__ import annotations

import html
import io
import math
from dataclasses import dataclass, field
from typing import Any

from kg.pictures import style
from kg.pictures.basemap import CITATION, Projection, basemap, frame_around

WIDTH = 820
LEGEND_TOP_GAP = 18
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
HATCH = "url(#hatch-disputed)"


@dataclass
class Shape:
    """A polygon or polyline in pixels (several rings or parts)."""

    parts: list[list[tuple[float, float]]]
    closed: bool
    fill: str = "none"
    stroke: str = "none"
    width: float = 1.0
    dash: str = ""
    cls: str = ""
    clip: bool = True


@dataclass
class Symbol:
    """A marker: a shape centred on (x, y), radius r."""

    shape: str
    x: float
    y: float
    r: float
    fill: str
    stroke: str = style.INK
    width: float = 1.2
    dash: str = ""
    cls: str = ""
    ident: str = ""
    title: str = ""
    data: dict[str, str] = field(default_factory=dict)
    hatch: bool = False


@dataclass
class Text:
    x: float
    y: float
    text: str
    size: float = 11.0
    anchor: str = "start"
    colour: str = style.INK
    weight: str = "normal"
    italic: bool = False
    halo: bool = True
    cls: str = ""
    spacing: float = 0.0


@dataclass
class Drawing:
    width: float
    height: float
    map_height: float
    title: str
    description: str
    items: list[Any]


# ---------------------------------------------------------------------------- geometry


def symbol_points(shape: str, r: float) -> list[tuple[float, float]]:
    """The outline of a marker shape around (0, 0); a circle as 24 points."""
    if shape == "square":
        s = r * 0.88
        return [(-s, -s), (s, -s), (s, s), (-s, s)]
    if shape == "triangle":
        return [(0.0, -r * 1.15), (r * 1.05, r * 0.75), (-r * 1.05, r * 0.75)]
    if shape == "diamond":
        return [(0.0, -r * 1.25), (r * 1.05, 0.0), (0.0, r * 1.25), (-r * 1.05, 0.0)]
    return [(round(r * math.cos(2 * math.pi * i / 24), 3), round(r * math.sin(2 * math.pi * i / 24), 3))
            for i in range(24)]


def _inside(point: tuple[float, float], ring: list[list[float]]) -> bool:
    x, y = point
    found = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            found = not found
    return found


def label_point(polygons: list[list[list[list[float]]]], frame: tuple[float, float, float, float]) -> tuple[float, float] | None:
    """A point well inside a country and the frame: of a 24 x 24 grid of the frame's inner part,
    the point inside the country nearest the middle of those inside."""
    x0, y0, x1, y1 = frame
    grid = [(x0 + (x1 - x0) * (i + 0.5) / 24, y0 + (y1 - y0) * (j + 0.5) / 24) for i in range(2, 22) for j in range(2, 22)]
    inside = [p for p in grid if any(_inside(p, poly[0]) and not any(_inside(p, hole) for hole in poly[1:])
                                     for poly in polygons)]
    if len(inside) < 12:
        return None
    mx, my = sum(p[0] for p in inside) / len(inside), sum(p[1] for p in inside) / len(inside)
    return min(inside, key=lambda p: ((p[0] - mx) ** 2 + (p[1] - my) ** 2, p))


def _text_width(text: str, size: float) -> float:
    return len(text) * size * 0.58


# ---------------------------------------------------------------------------- the drawing


def drawing(scene: dict[str, Any], width: float = WIDTH) -> Drawing:
    """The map of a :func:`kg.pictures.scene.map_scene` as primitives in pixels."""
    points = [(m["location"]["lon"], m["location"]["lat"]) for m in scene["markers"]]
    points += [(t["lon"], t["lat"]) for t in scene["towns"]]
    frame = frame_around(points)
    project = Projection(frame, width)
    map_height = round(project.height, 2)
    items: list[Any] = []
    base = basemap()
    countries = [f for f in base["features"] if f["properties"]["role"] == "country"]
    fills = {"Myanmar": "#fbfaf4", "China": "#f1efe6"}
    for feature in countries:
        name = feature["properties"]["name"]
        parts = [[project(x, y) for x, y in ring] for polygon in feature["geometry"]["coordinates"] for ring in polygon]
        items.append(Shape(parts, True, fill=fills.get(name, "#f4f4f4"), stroke="#c8c8c8", width=0.6,
                           cls=f"country country-{name.lower()}"))
    for feature in base["features"]:
        if feature["properties"]["role"] == "border":
            parts = [[project(x, y) for x, y in line] for line in feature["geometry"]["coordinates"]]
            items.append(Shape(parts, False, stroke=style.BORDER_INK, width=2.2, dash="7,3", cls="border-line"))
    for road in scene["roads"]:
        items.append(Shape([[project(*road["from_point"]), project(*road["to_point"])]], False, stroke="#8c6d46",
                           width=2.4, cls="road"))
    for feature in countries:
        name = feature["properties"]["name"]
        at = label_point(feature["geometry"]["coordinates"], frame)
        if at:
            x, y = project(*at)
            big = name in ("Myanmar", "China")
            items.append(Text(x, y, name.upper(), size=17 if big else 12, anchor="middle",
                              colour="#8a8a8a" if big else "#aaaaaa", weight="bold" if big else "normal",
                              halo=False, cls="country-label", spacing=3 if big else 1.5))
    placed: list[tuple[float, float, float, float]] = []
    for town in scene["towns"]:
        x, y = project(town["lon"], town["lat"])
        kind = style.control_class(town["control"])
        items.append(Symbol("circle", x, y, 3.6, town["fill"] if kind != "disputed" else style.DISPUTED_FILL,
                            width=0.9, cls=f"town control-{kind}", hatch=kind == "disputed",
                            title=f"{town['label']}: {town['holder']} (as of {scene['as_of']})"))
    # markers: several at one point are spread on a short row
    groups: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for marker in sorted(scene["markers"], key=lambda m: (not m["official"], m["label"])):
        x, y = project(marker["location"]["lon"], marker["location"]["lat"])
        groups.setdefault((round(x / 8), round(y / 8)), []).append(marker)
    numbers = {r["iri"]: r["n"] for r in scene["references"]}
    labels: list[tuple[float, float, float, list[Text]]] = []
    for members in groups.values():
        for i, marker in enumerate(members):
            x, y = project(marker["location"]["lon"], marker["location"]["lat"])
            x += (i - (len(members) - 1) / 2) * 17
            status, control = marker["status_class"], marker["control_class"]
            shape, dash = style.MARKERS[status]
            r = 8.0 if marker["official"] else 6.2
            fill = HATCH if control == "disputed" else marker["fill"]
            kind = "official" if marker["official"] else "gate"
            items.append(Symbol(shape, x, y, r, fill, stroke=style.INK, width=1.6 if status == "closed" else 1.2,
                                dash=dash, cls=f"marker {kind} status-{status} control-{control}",
                                ident="marker-" + marker["iri"].rsplit("/", 1)[-1], title=_tooltip(marker, numbers),
                                data={"iri": marker["iri"], "status": status, "control": control,
                                      "holder": " ".join(w["iri"] for a in marker["control"]["answers"] for w in a["who"]),
                                      "label": marker["label"]},
                                hatch=control == "disputed"))
        first_x, first_y = project(members[0]["location"]["lon"], members[0]["location"]["lat"])
        offset = (len(members) - 1) / 2 * 17 + 12
        texts = []
        for marker in members:
            texts.append(Text(0, 0, marker["label"], size=11.5 if marker["official"] else 10.5,
                              weight="bold" if marker["official"] else "normal", cls="marker-label"))
            sides = [s for s in marker["sides"] if s["towns"]]
            if sides:
                texts.append(Text(0, 0, " ↔ ".join(f"{s['towns']} ({s['country']})" for s in sides), size=9.2,
                                  colour="#555555", cls="side-label"))
        labels.append((first_x, first_y, offset, texts))
    # obstacles: every marker and town dot; labels take the first free place around their marker
    for item in items:
        if isinstance(item, Symbol):
            placed.append((item.x - item.r - 1, item.y - item.r - 1, item.x + item.r + 1, item.y + item.r + 1))
    for x, y, offset, texts in sorted(labels, key=lambda t: (t[1], t[0])):
        height = sum(t.size + 2 for t in texts) + 4
        w = max(_text_width(t.text, t.size) for t in texts)
        candidates = []
        for dy in (0.0, 0.6, -0.6, 1.2, -1.2, 1.9, -1.9, 2.6, -2.6):
            candidates.append((x + offset, y - height / 2 + dy * height))
            candidates.append((x - offset - w, y - height / 2 + dy * height))
        chosen = candidates[0]
        for left, top in candidates:
            box = (left, top, left + w, top + height)
            if box[0] >= 2 and box[2] <= width - 2 and box[1] >= 2 and not any(_overlap(box, o) for o in placed):
                chosen = (left, top)
                break
        left, top = chosen
        placed.append((left, top, left + w, top + height))
        cursor = top + 1
        for t in texts:
            cursor += t.size + 1
            items.append(Text(left, cursor, t.text, size=t.size, weight=t.weight, colour=t.colour, cls=t.cls))
            cursor += 1
    for town in scene["towns"]:
        x, y = project(town["lon"], town["lat"])
        box = (x + 6, y - 4, x + 6 + _text_width(town["label"], 9.5), y + 8)
        if not any(_overlap(box, other) for other in placed):
            items.append(Text(x + 6, y + 3.5, town["label"], size=9.5, italic=True, colour="#5a4a35", cls="town-label"))
            placed.append(box)
    legend_items, legend_height = _legend(scene, map_height + LEGEND_TOP_GAP, width)
    items.extend(legend_items)
    title = f"China–Myanmar border crossings as of {scene['as_of']}"
    if scene.get("known_at"):
        title += f", as known on {scene['known_at']}"
    description = (f"{len(scene['markers'])} crossings and gates placed at their coordinates, coloured by who holds "
                   f"them and shaped by whether they are open, partially open, closed, disputed or unknown; "
                   f"{len(scene['unlocated'])} without coordinates listed below the map.")
    return Drawing(width, round(map_height + LEGEND_TOP_GAP + legend_height, 2), map_height, title, description, items)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _tooltip(marker: dict[str, Any], numbers: dict[str, int]) -> str:
    def marks(aspect: dict[str, Any]) -> str:
        found = sorted({numbers[s] for a in aspect["answers"] for s in a["sources"] if s in numbers})
        return "".join(f"[{n}]" for n in found)

    lines = [f"{marker['label']} ({marker['kind']})"]
    lines.append(f"held by: {marker['holder']} {marks(marker['control'])}".rstrip())
    if marker["presence"]["answers"]:
        seen = ", ".join(w["label"] for a in marker["presence"]["answers"] for w in a["who"])
        lines.append(f"seen there: {seen} {marks(marker['presence'])}".rstrip())
    lines.append(f"open/closed: {marker['open_closed']} {marks(marker['status'])}".rstrip())
    sides = "; ".join(f"{s['country']}: {s['towns'] or '?'}" for s in marker["sides"])
    if sides:
        lines.append(f"sides: {sides}")
    where = marker["location"]
    via = f" at {where['via']['label']}" if where.get("via") else ""
    location_marks = "".join(f"[{numbers[s]}]" for s in where["sources"] if s in numbers)
    lines.append(f"placed{via}: {where['lat']:.4f} N, {where['lon']:.4f} E ({where['precision'] or 'precision not given'}) "
                 f"{location_marks}".rstrip())
    return "\n".join(lines)


def _legend(scene: dict[str, Any], top: float, width: float) -> tuple[list[Any], float]:
    """The legend band: holders, control fills, marker shapes, lines, what is not on the map,
    and the sources. Returns the items and the band's height."""
    items: list[Any] = []
    y = top
    items.append(Text(12, y, "Held by (fill)", size=11, weight="bold", cls="legend-heading"))
    y += 6
    x = 12.0
    entries = [(h["label"], h["colour"], "held") for h in scene["holders"]]
    entries += [("contested", style.CONTESTED_FILL, "contested"), ("disputed", HATCH, "disputed"),
                ("unknown (expired)", style.UNKNOWN_FILL, "unknown"), ("no report", style.NONE_FILL, "none")]
    row_y = y + 12
    for label, fill, kind in entries:
        w = 22 + _text_width(label, 10)
        if x + w > width - 10:
            x, row_y = 12.0, row_y + 18
        items.append(Symbol("square", x + 6, row_y, 6, fill, width=1.0, cls=f"legend legend-control control-{kind}",
                            hatch=fill == HATCH))
        items.append(Text(x + 16, row_y + 4, label, size=10, cls="legend-text"))
        x += w + 14
    y = row_y + 26
    items.append(Text(12, y, "Open or closed (marker)", size=11, weight="bold", cls="legend-heading"))
    x, row_y = 12.0, y + 18
    for kind in style.STATUS_CLASSES:
        shape, dash = style.MARKERS[kind]
        label = style.STATUS_NAMES[kind]
        w = 22 + _text_width(label, 10)
        if x + w > width - 10:
            x, row_y = 12.0, row_y + 18
        items.append(Symbol(shape, x + 7, row_y, 6.5, "#ffffff", dash=dash, cls=f"legend legend-status status-{kind}"))
        items.append(Text(x + 18, row_y + 4, label, size=10, cls="legend-text"))
        x += w + 14
    row_y += 20
    items.append(Shape([[(12, row_y), (40, row_y)]], False, stroke=style.BORDER_INK, width=2.2, dash="7,3",
                       cls="legend legend-border", clip=False))
    items.append(Text(46, row_y + 4, "international border", size=10, cls="legend-text"))
    items.append(Shape([[(190, row_y), (218, row_y)]], False, stroke="#8c6d46", width=2.4, cls="legend legend-road",
                       clip=False))
    items.append(Text(224, row_y + 4, "road on record (bk:onRouteTo), drawn straight between located places", size=10, cls="legend-text"))
    row_y += 18
    items.append(Symbol("square", 19, row_y, 8.0, "#ffffff", cls="legend legend-size"))
    items.append(Symbol("square", 40, row_y, 6.2, "#ffffff", cls="legend legend-size"))
    items.append(Text(52, row_y + 4, "official crossing (large), minor gate or other crossing (small)", size=10,
                      cls="legend-text"))
    y = row_y + 24
    if scene["unlocated"]:
        missing = "; ".join(f"{m['label']} ({m['holder']}; {m['open_closed']})" for m in scene["unlocated"])
        for line in _wrap(f"Not on the map, no coordinates on record: {missing}", 9.5, width - 24):
            items.append(Text(12, y, line, size=9.5, colour="#444444", cls="unlocated"))
            y += 13
    y += 4
    as_of = scene["as_of"] + (f", as known on {scene['known_at']}" if scene.get("known_at") else "")
    names = sorted({r["publisher"]["label"] if r.get("publisher") else r["label"].split(":")[0].split(" (")[0]
                    for r in scene["references"]})
    credit = (f"Status as of {as_of}: the resolved answers of border-kg (kg status --all). "
              f"Sources ({len(scene['references'])}): {'; '.join(names)}. {CITATION}.")
    for line in _wrap(credit, 9, width - 24):
        items.append(Text(12, y, line, size=9, colour="#555555", cls="credits"))
        y += 12
    return items, y - top + 6


def _wrap(text: str, size: float, width: float) -> list[str]:
    words, lines, line = text.split(" "), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if line and _text_width(trial, size) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return lines + ([line] if line else [])


# ---------------------------------------------------------------------------- SVG


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _d(parts: list[list[tuple[float, float]]], closed: bool) -> str:
    out = []
    for part in parts:
        if len(part) < 2:
            continue
        out.append("M" + " L".join(f"{x:g},{y:g}" for x, y in part) + ("Z" if closed else ""))
    return "".join(out)


def to_svg(d: Drawing, standalone: bool = True) -> str:
    """The drawing as SVG text (an ``<svg>`` element; with an XML declaration if ``standalone``)."""
    out = []
    if standalone:
        out.append('<?xml version="1.0" encoding="UTF-8"?>')
    out.append(f'<svg xmlns="http://www.w3.org/2000/svg" class="kg-map" viewBox="0 0 {d.width:g} {d.height:g}" '
               f'width="{d.width:g}" height="{d.height:g}" role="img" aria-labelledby="kg-map-title kg-map-desc" '
               f'font-family="{FONT}">')
    out.append(f'<title id="kg-map-title">{_e(d.title)}</title>')
    out.append(f'<desc id="kg-map-desc">{_e(d.description)}</desc>')
    out.append('<defs><pattern id="hatch-disputed" width="5" height="5" patternUnits="userSpaceOnUse" '
               'patternTransform="rotate(45)"><rect width="5" height="5" fill="#d9d9d9"/>'
               '<line x1="0" y1="0" x2="0" y2="5" stroke="#555555" stroke-width="2"/></pattern>'
               f'<clipPath id="kg-map-area"><rect x="0" y="0" width="{d.width:g}" height="{d.map_height:g}"/></clipPath>'
               '</defs>')
    out.append(f'<rect class="background" x="0" y="0" width="{d.width:g}" height="{d.height:g}" fill="#ffffff"/>')
    out.append(f'<rect class="sea" x="0" y="0" width="{d.width:g}" height="{d.map_height:g}" fill="#eef3f7"/>')
    # the base layer (countries, border, roads) is clipped to the map; everything after it is not
    out.append('<g class="map-area" clip-path="url(#kg-map-area)">')
    in_map = True
    for item in d.items:
        if in_map and not (isinstance(item, Shape) and item.clip):
            out.append("</g>")
            in_map = False
        out.append(_svg_item(item))
    if in_map:
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _svg_item(item: Any) -> str:
    if isinstance(item, Shape):
        dash = f' stroke-dasharray="{item.dash}"' if item.dash else ""
        return (f'<path class="{item.cls}" d="{_d(item.parts, item.closed)}" fill="{item.fill}" stroke="{item.stroke}" '
                f'stroke-width="{item.width:g}"{dash} stroke-linejoin="round"/>')
    if isinstance(item, Symbol):
        dash = f' stroke-dasharray="{item.dash}"' if item.dash else ""
        shape = (f'<path class="symbol {item.shape}" d="{_d([symbol_points(item.shape, item.r)], True)}" '
                 f'fill="{item.fill}" stroke="{item.stroke}" stroke-width="{item.width:g}"{dash}/>')
        attrs = f' id="{_e(item.ident)}"' if item.ident else ""
        attrs += "".join(f' data-{k}="{_e(v)}"' for k, v in item.data.items())
        title = f"<title>{_e(item.title)}</title>" if item.title else ""
        return f'<g class="{item.cls}"{attrs} transform="translate({item.x:g},{item.y:g})">{title}{shape}</g>'
    anchor = f' text-anchor="{item.anchor}"' if item.anchor != "start" else ""
    style_ = ' font-style="italic"' if item.italic else ""
    weight = f' font-weight="{item.weight}"' if item.weight != "normal" else ""
    spacing = f' letter-spacing="{item.spacing:g}"' if item.spacing else ""
    halo = ' stroke="#ffffff" stroke-width="3" paint-order="stroke" stroke-linejoin="round"' if item.halo else ""
    return (f'<text class="{item.cls}" x="{item.x:g}" y="{item.y:g}" font-size="{item.size:g}" fill="{item.colour}"'
            f'{anchor}{style_}{weight}{spacing}{halo}>{_e(item.text)}</text>')


# ---------------------------------------------------------------------------- PNG


def to_png(d: Drawing, scale: float = 2.0) -> bytes:
    """The same drawing rasterized by matplotlib (Agg), without timestamps in the file."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.patches import Polygon, Rectangle
    from matplotlib.path import Path as MplPath
    from matplotlib.patches import PathPatch
    from matplotlib import patheffects

    with matplotlib.rc_context({"font.family": "DejaVu Sans", "hatch.linewidth": 1.2, "path.simplify": False}):
        figure = Figure(figsize=(d.width / 100, d.height / 100), dpi=100)
        axes = figure.add_axes((0, 0, 1, 1))
        axes.set_xlim(0, d.width)
        axes.set_ylim(d.height, 0)
        axes.set_axis_off()
        axes.add_patch(Rectangle((0, 0), d.width, d.map_height, facecolor="#eef3f7", edgecolor="none", zorder=0))
        clip = Rectangle((0, 0), d.width, d.map_height, transform=axes.transData, facecolor="none", edgecolor="none")
        z = 1
        for item in d.items:
            z += 1
            if isinstance(item, Shape):
                codes, verts = [], []
                for part in item.parts:
                    if len(part) < 2:
                        continue
                    verts += part + ([part[0]] if item.closed else [])
                    codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(part) - 1) + ([MplPath.CLOSEPOLY] if item.closed else [])
                if not verts:
                    continue
                patch = PathPatch(MplPath(verts, codes), facecolor=item.fill if item.closed else "none",
                                  edgecolor=item.stroke, linewidth=item.width * 0.75, zorder=z,
                                  linestyle=(0, tuple(float(v) * 0.75 for v in item.dash.split(","))) if item.dash else "-",
                                  joinstyle="round", capstyle="round")
                axes.add_patch(patch)
                if item.clip:
                    patch.set_clip_path(clip)
            elif isinstance(item, Symbol):
                hatch = item.fill == HATCH
                points = [(item.x + px, item.y + py) for px, py in symbol_points(item.shape, item.r)]
                patch = Polygon(points, closed=True, facecolor="#d9d9d9" if hatch else item.fill,
                                edgecolor=item.stroke, linewidth=item.width * 0.75, zorder=z,
                                hatch="////" if hatch else None,
                                linestyle=(0, tuple(float(v) * 0.75 for v in item.dash.split(","))) if item.dash else "-")
                axes.add_patch(patch)
            else:
                effects = [patheffects.withStroke(linewidth=2.4, foreground="#ffffff")] if item.halo else None
                axes.text(item.x, item.y, item.text, fontsize=item.size * 0.75, color=item.colour,
                          ha={"start": "left", "middle": "center", "end": "right"}[item.anchor], va="baseline",
                          fontweight=item.weight, fontstyle="italic" if item.italic else "normal", zorder=z + 10000,
                          path_effects=effects)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=100 * scale, metadata={"Software": None})
    return buffer.getvalue()


# ---------------------------------------------------------------------------- HTML


def to_html(d: Drawing, scene: dict[str, Any]) -> str:
    """A page with the map (inline SVG), the crossings it shows and every source, with links;
    no script, no network."""
    from kg.pictures.report import page, references_html, marker_table

    body = [f"<h1>{_e(d.title)}</h1>", '<figure class="map">', to_svg(d, standalone=False),
            f"<figcaption>{_e(d.description)} Hover a marker for its answers and sources.</figcaption></figure>",
            "<h2>Crossings and gates</h2>", marker_table(scene), "<h2>Sources</h2>", references_html(scene["references"])]
    return page(d.title, "\n".join(body))
