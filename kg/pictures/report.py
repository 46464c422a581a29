"""``kg report``: one self-contained HTML file a planner or a journalist can open or attach.

Sections: the headline (crossings held by anti-regime groups and closed by China), the board
(every crossing and gate, resolved, with numbered sources), the map (inline SVG, markers with
tooltips), the status strips and one timeline per official crossing (matplotlib SVG, inlined as
``data:`` images), what changed in the last 30 and 90 days (answers that differ from the board
30 and 90 days before, and the events of the period), the open disputes, and every source with
its link. One numbering of sources for the whole page.

No script, no stylesheet, font or image from elsewhere: a Content-Security-Policy forbids any
request, so the file shows the same offline, in a mail client's viewer or printed. Every text
from the graph is escaped; links are only ``http``/``https`` addresses.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from typing import Any

from kg.lookup import Graph, attach_sources, resolved, split, status_board, text
from kg.pictures import charts, mapsvg, scene as scenes
from kg.pictures.basemap import CITATION
from kg.pictures.style import STATUS_FILLS, status_class

ASPECT_NAMES = {"control": "held by", "presence": "seen there", "status": "open/closed"}
CSS = """
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: #222; margin: 0; background: #fff;
       line-height: 1.45; font-size: 15px; }
main { max-width: 1000px; margin: 0 auto; padding: 16px 20px 48px; }
h1 { font-size: 1.55em; margin: 0.4em 0 0.1em; }
h2 { font-size: 1.2em; margin: 1.8em 0 0.5em; border-bottom: 1px solid #ccc; padding-bottom: 0.15em; }
h3 { font-size: 1.02em; margin: 1.2em 0 0.3em; }
p.lead, p.note { color: #444; margin: 0.3em 0; }
p.note { font-size: 0.88em; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; margin: 0.4em 0 0.8em; }
th, td { border-bottom: 1px solid #e2e2e2; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f3f3f0; font-weight: bold; }
td.src a, sup a { text-decoration: none; color: #1f5fa8; }
.state-disputed { background: repeating-linear-gradient(45deg, #fff, #fff 4px, #eee 4px, #eee 8px); }
.state-unknown { color: #666; }
.chip { display: inline-block; width: 0.8em; height: 0.8em; border: 1px solid #333; margin-right: 0.35em;
        vertical-align: -0.05em; }
figure { margin: 0.6em 0; }
figure svg, figure img { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 0.85em; color: #555; margin-top: 0.3em; }
ol.sources { font-size: 0.85em; padding-left: 2.4em; }
ol.sources li { margin: 0.15em 0; word-break: break-word; }
.headline { background: #fbf7e9; border: 1px solid #e8dcb0; padding: 8px 12px; margin: 0.8em 0; }
nav ul { columns: 2; font-size: 0.9em; padding-left: 1.2em; }
@media print { h2 { break-after: avoid; } figure { break-inside: avoid; } }
"""
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def _e(value: Any) -> str:
    return html.escape(str(value if value is not None else ""), quote=True)


def page(title: str, body: str) -> str:
    """A complete HTML document around ``body``: UTF-8, no request allowed."""
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="border-kg">\n<title>{_e(title)}</title>\n<style>{CSS}</style>\n'
            f'</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n')


def _safe_url(url: str | None) -> str | None:
    return url if url and url.lower().startswith(("https://", "http://")) else None


def references_html(references: Sequence[dict[str, Any]]) -> str:
    """The numbered source list, each with its link (``id="ref-N"`` for the marks)."""
    items = []
    for r in references:
        bits = [f"<strong>{_e(r['label'])}</strong>"]
        if r.get("title") and ":" not in r["label"]:
            bits.append(f"— {_e(r['title'])}")
        publisher = (r.get("publisher") or {}).get("label")
        dated = ", ".join(x for x in (publisher if publisher and publisher not in r["label"] else "",
                                      r.get("issued") or "") if x)
        if dated:
            bits.append(f"({_e(dated)})")
        url = _safe_url(r.get("url"))
        if url:
            bits.append(f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(url)}</a>')
        if r.get("accessed"):
            bits.append(f"accessed {_e(r['accessed'])}")
        items.append(f'<li id="ref-{r["n"]}" value="{r["n"]}">{" ".join(bits)}</li>')
    return '<ol class="sources">\n' + "\n".join(items) + "\n</ol>"


def marks(sources: Sequence[str], numbers: dict[str, int]) -> str:
    found = sorted({numbers[s] for s in sources if s in numbers})
    return "".join(f'<a href="#ref-{n}">[{n}]</a>' for n in found)


def _lines(aspect: str, result: dict[str, Any], numbers: dict[str, int]) -> str:
    from kg.lookup_commands import answer_lines

    return "<br>".join(f"{_e(line)} <sup>{marks(sources, numbers)}</sup>" for line, sources in answer_lines(aspect, result))


def board_html(crossings: Sequence[dict[str, Any]], numbers: dict[str, int], table_id: str) -> str:
    rows = []
    for c in crossings:
        cells = [f'<th scope="row">{_e(c["label"])}<br><small>{_e((c["kind"] or {}).get("label", ""))}</small></th>']
        for aspect in ("control", "presence", "status"):
            result = c[aspect]
            chip = ""
            if aspect == "status" and result["state"] == "resolved":
                chip = f'<span class="chip" style="background:{STATUS_FILLS[status_class(result)]}"></span>'
            cells.append(f'<td class="state-{_e(result["state"])} aspect-{aspect}">{chip}'
                         f'{_lines(aspect, result, numbers)}</td>')
        rows.append(f'<tr data-iri="{_e(c["iri"])}">' + "".join(cells) + "</tr>")
    head = "<tr><th>crossing</th><th>held by</th><th>seen there</th><th>open/closed</th></tr>"
    return (f'<table id="{table_id}" class="board">\n<thead>{head}</thead>\n<tbody>\n' + "\n".join(rows)
            + "\n</tbody></table>")


def marker_table(scene: dict[str, Any]) -> str:
    """The crossings of a map scene: where each is placed and its answers (for the map page)."""
    numbers = {r["iri"]: r["n"] for r in scene["references"]}
    rows = []
    for m in sorted(scene["markers"] + scene["unlocated"], key=lambda m: (not m["official"], m["label"])):
        where = m.get("location")
        placed = (f'{where["lat"]:.4f} N, {where["lon"]:.4f} E'
                  + (f' (at {_e(where["via"]["label"])})' if where.get("via") else "")
                  + f' <sup>{marks(where["sources"], numbers)}</sup>') if where else "not on the map: no coordinates"
        held = marks([s for a in m["control"]["answers"] for s in a["sources"]], numbers)
        status = marks([s for a in m["status"]["answers"] for s in a["sources"]], numbers)
        rows.append(f'<tr><th scope="row">{_e(m["label"])}</th><td>{_e(m["holder"])} <sup>{held}</sup></td>'
                    f'<td>{_e(m["open_closed"])} <sup>{status}</sup></td><td>{placed}</td></tr>')
    return ('<table class="markers"><thead><tr><th>crossing</th><th>held by</th><th>open/closed</th><th>placed at</th>'
            '</tr></thead><tbody>' + "\n".join(rows) + "</tbody></table>")


def _image(svg: bytes, alt: str) -> str:
    data = base64.b64encode(svg).decode("ascii")
    return f'<img alt="{_e(alt)}" src="data:image/svg+xml;base64,{data}">'


# ---------------------------------------------------------------------------- what changed


def changes(graph: Graph, board: dict[str, Any], as_of: str, days: int) -> list[dict[str, Any]]:
    """Crossings and aspects whose resolved answer on ``as_of`` differs from ``days`` before."""
    from kg.lookup_commands import answer_lines

    before = resolved(graph, scenes.shift(as_of, -days))
    out = []
    for c in board["crossings"]:
        for aspect in ("control", "presence", "status"):
            then = before.get(c["iri"], {}).get(aspect, scenes.NONE)
            now = c[aspect]
            if scenes._key(then) == scenes._key(now):
                continue
            out.append({"crossing": {"iri": c["iri"], "label": c["label"]}, "aspect": aspect,
                        "before": [line for line, _s in answer_lines(aspect, then)],
                        "after": [line for line, _s in answer_lines(aspect, now)],
                        "sources": sorted({s for a in [*then["answers"], *now["answers"]] for s in a["sources"]})})
    return out


def events_between(graph: Graph, start: str, end: str) -> list[dict[str, Any]]:
    """Captures, closures, reopenings and handovers dated in [start, end] (library: changes-between)."""
    rows = [r for r in graph.library("changes-between", **{"from": start, "to": end}) if text(r["change"]) == "event"]
    labels = graph.labels([*(text(r["type"]) for r in rows), *(x for r in rows for x in split(r["subjects"]))])
    return [{"date": text(r["date"]), "when": text(r["when"]), "type": labels.get(text(r["type"]), ""),
             "label": text(r["label"]), "places": [labels.get(x, x) for x in split(r["subjects"])],
             "sources": split(r["sources"])} for r in rows]


# ---------------------------------------------------------------------------- the report


def build(graph: Graph, as_of: str, since: str | None = None) -> str:
    """The report as HTML text."""
    board = status_board(graph, as_of, include_all=True)
    headline = graph.library("held-by-anti-regime-closed-by-china", as_of=as_of)
    scene = scenes.map_scene(graph, as_of)
    strips = scenes.strips(graph, as_of, since)
    start = strips["since"]
    timelines = [scenes.timeline_scene(graph, graph.names.entities[c["iri"]], as_of, since=start)
                 for c in board["crossings"] if c["official"]]
    recent = {days: changes(graph, board, as_of, days) for days in (30, 90)}
    events = events_between(graph, scenes.shift(as_of, -90), as_of)
    disputes = [(c, aspect) for c in board["crossings"] for aspect in ("control", "presence", "status")
                if c[aspect]["state"] == "disputed"]
    parts = {"headline": [{"sources": split(r["sources"])} for r in headline], "board": board["crossings"],
             "map": {k: v for k, v in scene.items() if k != "references"}, "changes": recent, "events": events,
             "timelines": [{k: v for k, v in t.items() if k != "references"} for t in timelines],
             "strips": {k: v for k, v in strips.items() if k != "references"}}
    references = attach_sources(graph, parts)["references"]
    numbers = {r["iri"]: r["n"] for r in references}
    scene["references"] = references  # the map's tooltips use the report's numbers
    drawing = mapsvg.drawing(scene)

    known = f", as known on {graph.known_at}" if graph.known_at else ""
    title = f"China–Myanmar border crossings: status as of {as_of}{known}"
    official = [c for c in board["crossings"] if c["official"]]
    gates = [c for c in board["crossings"] if not c["official"]]
    body = [f"<h1>{_e(title)}</h1>", _intro(as_of), _headline_html(headline, as_of, numbers),
            '<h2 id="board-section">The board</h2>', board_html(official, numbers, "board")]
    if gates:
        body += ["<h3>Minor gates and other crossings</h3>", board_html(gates, numbers, "board-gates")]
    body.append('<p class="note">"Disputed": sources disagree about the same days, each side shown strongest '
                'first. "Unknown since …": the last report has expired (control a year, open/closed 90 days after '
                'it was seen). "Seen there": a presence (such as a handover), not control.</p>')
    body += ['<h2 id="map-section">The map</h2>',
             f'<figure class="map">{mapsvg.to_svg(drawing, standalone=False)}<figcaption>'
             f'{_e(drawing.description)} Hover a marker for its answers and sources. {_e(CITATION)}.'
             f'</figcaption></figure>']
    strip_sources = [s for c in strips["crossings"] for lane in c["lanes"].values() for sp in lane for s in sp["sources"]]
    body += ['<h2 id="strips-section">Over time</h2>',
             f'<figure>{_image(charts.strips_bytes(strips, "svg"), "Each official crossing over time")}'
             f'<figcaption>From {_e(start)} to {_e(as_of)}: the board on every date an answer changes. '
             f'Sources: {marks(strip_sources, numbers)}</figcaption></figure>']
    body += ['<h2 id="changes-section">What changed</h2>', _changes_html(recent, as_of, numbers),
             _events_html(events, as_of, numbers)]
    body += ['<h2 id="disputes-section">Open disputes</h2>', _disputes_html(disputes, as_of, numbers)]
    body += ['<h2 id="timelines-section">Timelines per crossing</h2>', *(_timeline_html(t, numbers) for t in timelines)]
    body += ['<h2 id="sources-section">Sources</h2>', references_html(references),
             f'<p class="note">{_e(CITATION)}. Made with border-kg (<code>kg report --as-of {_e(as_of)}</code>); '
             f'the same graph and date give the same file.</p>']
    return page(title, "\n".join(body))


def _intro(as_of: str) -> str:
    sections = [("board-section", "The board"), ("map-section", "The map"), ("strips-section", "Over time"),
                ("changes-section", "What changed"), ("disputes-section", "Open disputes"),
                ("timelines-section", "Timelines per crossing"), ("sources-section", "Sources")]
    links = "".join(f'<li><a href="#{anchor}">{name}</a></li>' for anchor, name in sections)
    return (f'<p class="lead">Who holds each crossing, whether China keeps it open or closed, since when, and '
            f'says who. Every answer is the resolution of sourced, dated claims (border-kg, <code>kg status '
            f'--as-of {_e(as_of)}</code>); numbers in brackets are the sources, listed at the end with their '
            f'links.</p><nav><ul>{links}</ul></nav>')


def _headline_html(rows: list[dict[str, Any]], as_of: str, numbers: dict[str, int]) -> str:
    if not rows:
        return (f'<div class="headline">No official crossing is both held by an anti-regime group and closed by '
                f'China on {_e(as_of)}, as far as reported.</div>')
    items = []
    for r in rows:
        disputed = f" (disputed: {_e(text(r['disputed']))})" if text(r["disputed"]) else ""
        items.append(f"<li><strong>{_e(text(r['crossing_label']))}</strong>: held by {_e(text(r['holder_label']))} "
                     f"since {_e(text(r['held_since']) or 'an unknown date')}, closed by China since "
                     f"{_e(text(r['closed_since']) or 'an unknown date')}{disputed} "
                     f"<sup>{marks(split(r['sources']), numbers)}</sup></li>")
    return (f'<div class="headline"><strong>Held by anti-regime groups and closed by China on {_e(as_of)}:'
            f'</strong><ul>{"".join(items)}</ul></div>')


def _changes_html(recent: dict[int, list[dict[str, Any]]], as_of: str, numbers: dict[str, int]) -> str:
    out = []
    for days, found in recent.items():
        out.append(f"<h3>Answers that differ from {days} days before ({_e(scenes.shift(as_of, -days))})</h3>")
        if not found:
            out.append('<p class="note">No answer changed.</p>')
            continue
        rows = "".join(f'<tr><th scope="row">{_e(x["crossing"]["label"])}</th><td>{_e(ASPECT_NAMES[x["aspect"]])}</td>'
                       f'<td>{"<br>".join(_e(v) for v in x["before"])}</td>'
                       f'<td>{"<br>".join(_e(v) for v in x["after"])}</td>'
                       f'<td class="src">{marks(x["sources"], numbers)}</td></tr>' for x in found)
        out.append(f'<table class="changes" id="changes-{days}"><thead><tr><th>crossing</th><th>aspect</th>'
                   f'<th>then</th><th>now</th><th>src</th></tr></thead><tbody>{rows}</tbody></table>')
    return "\n".join(out)


def _events_html(events: list[dict[str, Any]], as_of: str, numbers: dict[str, int]) -> str:
    heading = f"<h3>Events in the last 90 days ({_e(scenes.shift(as_of, -90))} to {_e(as_of)})</h3>"
    if not events:
        return heading + '<p class="note">No capture, closure, reopening or handover is dated in the period.</p>'
    last30 = scenes.shift(as_of, -30)
    rows = "".join(f'<tr><td>{_e(e["when"])}{" ●" if e["date"] >= last30 else ""}</td><td>{_e(e["type"])}</td>'
                   f'<td>{_e(e["label"])}</td><td>{_e(", ".join(e["places"]))}</td>'
                   f'<td class="src">{marks(e["sources"], numbers)}</td></tr>' for e in events)
    return (heading + '<table class="events" id="events"><thead><tr><th>when</th><th>type</th><th>event</th>'
            f'<th>where</th><th>src</th></tr></thead><tbody>{rows}</tbody></table>'
            '<p class="note">● in the last 30 days.</p>')


def _disputes_html(disputes: list[tuple[dict[str, Any], str]], as_of: str, numbers: dict[str, int]) -> str:
    if not disputes:
        return f'<p class="note">No answer is disputed on {_e(as_of)}.</p>'
    rows = "".join(f'<tr><th scope="row">{_e(c["label"])}</th><td>{_e(ASPECT_NAMES[a])}</td>'
                   f'<td>{_lines(a, c[a], numbers)}</td></tr>' for c, a in disputes)
    return (f'<table id="disputes"><thead><tr><th>crossing</th><th>aspect</th><th>the sides, strongest first'
            f'</th></tr></thead><tbody>{rows}</tbody></table>')


def _timeline_html(timeline: dict[str, Any], numbers: dict[str, int]) -> str:
    alt = f"Timeline of {timeline['label']}: resolved answers, claims and events"
    sources = [s for c in timeline["claims"] for s in c["sources"]] + [s for e in timeline["events"] for s in e["sources"]]
    return (f'<figure class="timeline">{_image(charts.timeline_bytes(timeline, "svg"), alt)}<figcaption>'
            f'{_e(timeline["label"])}: the claims behind the answers, each until the resolution stops counting it. '
            f'Sources: {marks(sources, numbers)}</figcaption></figure>')
