"""Timelines (Gantt-style) and status strips, drawn with matplotlib.

- :func:`timeline_figure`: one crossing, place or actor: a lane per resolved aspect (held by:
  the holder's colour; open/closed: the status colour with the imposer named; seen there;
  alignment), disputes hatched with every side's colour, "unknown" (the last report expired)
  light grey and dotted; then the events (markers on one lane) and every claim behind the
  answers, one thin bar each from its start to where the resolution stops counting it,
  observations as dots, and claims that no longer count (superseded, expired, ended,
  deprecated) faint. The sources are named under the chart.
- :func:`strips_figure`: one strip per official crossing: held by (upper half) and open/closed
  (lower half) over time.

Deterministic output: ``svg.hashsalt`` fixed, no date in the metadata, DejaVu Sans (shipped with
matplotlib) for every text. SVG text stays text (``svg.fonttype: none``): searchable, and the
report is a third of the size it would be with every glyph drawn as a path.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from typing import Any

from kg.pictures import style

RC = {"svg.hashsalt": "border-kg", "svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 8.5,
      "hatch.linewidth": 0.8, "axes.edgecolor": "#888888", "axes.linewidth": 0.6, "path.simplify": False}
LANE_NAMES = {"control": "held by", "presence": "seen there", "status": "open/closed", "alignment": "alignment"}
EVENT_COLOURS = {"capture": "#000000", "border closure": style.STATUS_FILLS["closed"],
                 "border reopening": style.STATUS_FILLS["open"]}


def _num(date: str) -> float:
    from matplotlib.dates import date2num

    return float(date2num(dt.date.fromisoformat(date[:10])))


def save(figure: Any, fmt: str) -> bytes:
    """``figure`` as SVG or PNG bytes, the same for the same drawing."""
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context(RC):
        if fmt == "svg":
            figure.savefig(buffer, format="svg", metadata={"Date": None})
        elif fmt == "png":
            figure.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
        else:
            raise ValueError(f"unknown picture format {fmt!r}; expected svg or png")
    return buffer.getvalue()


def _figure(width: float, height: float) -> Any:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100)


def _span(axes: Any, y: float, h: float, span: dict[str, Any], label: bool = True) -> None:
    """One span of a lane: nothing for "no report", grey dots for unknown, the fill for one answer,
    stacked hatched fills for a dispute."""
    x0, x1 = _num(span["from"]), _num(span["to"])
    width = x1 - x0
    if span["state"] == "none" or not span["fills"]:
        axes.broken_barh([(x0, width)], (y, h), facecolors="none", edgecolors="#cccccc", linewidth=0.5,
                         linestyle=(0, (2, 2)))
        return
    if span["state"] == "unknown":
        axes.broken_barh([(x0, width)], (y, h), facecolors=style.UNKNOWN_FILL, edgecolors="#999999", linewidth=0.5,
                         hatch="...")
    elif span["state"] == "disputed":
        part = h / len(span["fills"])
        for i, fill in enumerate(span["fills"]):
            axes.broken_barh([(x0, width)], (y + i * part, part), facecolors=fill, edgecolors="#333333",
                             linewidth=0.5, hatch="////")
    else:
        axes.broken_barh([(x0, width)], (y, h), facecolors=span["fills"][0], edgecolors="#333333", linewidth=0.5)
    if label and width > 0:
        axes.text(x0 + width / 2, y + h / 2, span["label"], ha="center", va="center", fontsize=7, clip_on=True,
                  color="#000000", bbox={"boxstyle": "round,pad=0.15", "facecolor": "#ffffff", "alpha": 0.75,
                                         "edgecolor": "none"})


def _fits(axes: Any, span: dict[str, Any], text: str, total_days: float, width_in: float) -> bool:
    days = _num(span["to"]) - _num(span["from"])
    return days / max(total_days, 1) * width_in * 72 > len(text) * 4.6


def _date_axis(axes: Any, start: str, end: str) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(minticks=4, maxticks=10)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.set_xlim(_num(start), _num(end) + max(3.0, (_num(end) - _num(start)) * 0.01))
    axes.grid(axis="x", color="#e6e6e6", linewidth=0.5)
    axes.set_axisbelow(True)


def _as_of_line(axes: Any, as_of: str) -> None:
    axes.axvline(_num(as_of), color="#222222", linewidth=0.9, linestyle=(0, (4, 2)))
    axes.text(_num(as_of), 0.0, f"as of {as_of} ", transform=axes.get_xaxis_transform(), ha="right", va="bottom",
              fontsize=6.5, color="#222222")


def _sources_text(references: list[dict[str, Any]], width: int = 170) -> str:
    names = []
    for r in references:
        name = r["publisher"]["label"] if r.get("publisher") else r["label"].split(":")[0].split(" (")[0]
        if name not in names:
            names.append(name)
    return "\n".join(textwrap.wrap(f"Sources ({len(references)}): " + "; ".join(names), width))


def timeline_figure(scene: dict[str, Any]) -> Any:
    """The Gantt-style chart of :func:`kg.pictures.scene.timeline_scene`."""
    lanes = list(scene["lanes"].items())
    claims = scene["claims"]
    events = scene["events"]
    rows = len(lanes) + (1 if events else 0) + len(claims)
    width_in = 10.0
    height_in = 1.6 + 0.42 * len(lanes) + (0.34 if events else 0) + 0.2 * len(claims) + 0.16 * (
        1 + len(scene["references"]) // 12)
    notes = 0.16 * (1 + len(scene["references"]) // 12)
    figure = _figure(width_in, height_in)
    axes = figure.add_axes((0.27, (0.55 + notes) / height_in, 0.6, 1 - (1.35 + notes) / height_in))
    start, end = scene["since"], scene["as_of"]
    total = _num(end) - _num(start)
    ticks, names = [], []
    y = float(rows)
    for aspect, spans in lanes:
        y -= 1
        for span in spans:
            _span(axes, y + 0.12, 0.76, span, label=_fits(axes, span, span["label"], total, width_in * 0.6))
        ticks.append(y + 0.5)
        names.append(LANE_NAMES[aspect])
    if events:
        y -= 1
        for event in events:
            colour = EVENT_COLOURS.get(event["type"].lower(), "#777777")
            axes.plot([_num(event["date"])], [y + 0.5], marker="v", markersize=5.5, color=colour, linestyle="none")
        ticks.append(y + 0.5)
        names.append(f"events ({len(events)})")
    for claim in claims:
        y -= 1
        counts = claim["fate"] == "counts"
        begin = claim["from"] or start
        stop = claim["effective_until"] or end
        begin, stop = max(begin, start), min(stop, end)
        if claim["aspect"] == "status":
            colour = style.STATUS_FILLS[_status_class(claim["value"])]
        elif claim["aspect"] == "alignment":
            colour = "#4575b4"
        else:
            colour = scene["palette"].get(claim["who_iri"], "#777777")
        alpha = 1.0 if counts else 0.3
        if stop > begin:
            axes.broken_barh([(_num(begin), _num(stop) - _num(begin))], (y + 0.3, 0.4), facecolors=colour,
                             edgecolors="none", alpha=alpha)
        if claim["observed"] and claim["from"] and claim["from"] >= start:
            axes.plot([_num(claim["from"])], [y + 0.5], marker="o", markersize=4, color=colour, alpha=max(alpha, 0.5),
                      markeredgecolor="#222222", markeredgewidth=0.5, linestyle="none")
        fate = {"counts": "counts", "superseded": "superseded", "expired": "expired (seen once)", "ended": "ended",
                "deprecated": "deprecated"}[claim["fate"]]
        when = f" {claim['effective_until']}" if claim["effective_until"] and not counts else ""
        axes.text(1.005, y + 0.5, f"{fate}{when}", transform=axes.get_yaxis_transform(), fontsize=6.5, va="center",
                  color="#222222" if counts else "#888888")
        ticks.append(y + 0.5)
        label = f"{claim['who'] + ': ' if claim['who'] else ''}{claim['value']} ({claim['since'] or 'undated'})"
        names.append(textwrap.shorten(label, 48, placeholder="…"))
    axes.set_ylim(0, rows)
    axes.set_yticks(ticks)
    axes.set_yticklabels(names, fontsize=7)
    for i, tick in enumerate(axes.get_yticklabels()):
        if i < len(lanes):
            tick.set_fontweight("bold")
    axes.tick_params(axis="y", length=0)
    if claims:
        axes.axhline(len(claims), color="#bbbbbb", linewidth=0.6)
    _date_axis(axes, start, end)
    _as_of_line(axes, scene["as_of"])
    known = f", as known on {scene['known_at']}" if scene.get("known_at") else ""
    figure.text(0.01, 1 - 0.08 / height_in, f"{scene['label']}: resolved status over time, up to {scene['as_of']}{known}",
                fontsize=10.5, fontweight="bold", va="top")
    figure.text(0.01, 1 - 0.3 / height_in,
                "Upper bars: the resolved answer (colour: the holder; open green, partially open orange, closed red). "
                "Hatched: sources disagree. Dotted grey: the last report expired.\nEvents ▼: black capture, red "
                "closure, green reopening, grey other. Thin bars: the claims behind the answers, each until the "
                "resolution stops counting it; faint: no longer counted; dot: seen once.",
                fontsize=7, va="top", color="#444444", linespacing=1.4)
    figure.text(0.01, 0.08 / height_in, _sources_text(scene["references"]), fontsize=6.5, va="bottom", color="#444444")
    return figure


def _status_class(label: str) -> str:
    return {"open": "open", "partially open": "partially-open", "closed": "closed"}.get(label, "unknown")


def strips_figure(scene: dict[str, Any]) -> Any:
    """One strip per crossing of :func:`kg.pictures.scene.strips`: held by above, open/closed below."""
    crossings = scene["crossings"]
    notes = 1 + len(scene["references"]) // 12
    width_in, height_in = 10.0, 1.5 + 0.62 * len(crossings) + 0.16 * notes + 0.2 * (1 + len(scene["holders"]) // 4)
    legend_in = 0.28 + 0.2 * (1 + len(scene["holders"]) // 4)
    figure = _figure(width_in, height_in)
    axes = figure.add_axes((0.2, (legend_in + 0.3 + 0.16 * notes) / height_in, 0.78,
                            1 - (legend_in + 0.85 + 0.16 * notes) / height_in))
    start, end = scene["since"], scene["as_of"]
    total = _num(end) - _num(start)
    ticks, names = [], []
    for i, crossing in enumerate(crossings):
        y = len(crossings) - 1 - i
        for span in crossing["lanes"]["control"]:
            _span(axes, y + 0.5, 0.36, span, label=_fits(axes, span, span["label"], total, width_in * 0.78))
        for span in crossing["lanes"]["status"]:
            _span(axes, y + 0.1, 0.36, span, label=_fits(axes, span, span["label"], total, width_in * 0.78))
        ticks.append(y + 0.5)
        names.append(crossing["label"])
    axes.set_ylim(0, len(crossings))
    axes.set_yticks(ticks)
    axes.set_yticklabels(names, fontweight="bold", fontsize=7.5)
    axes.tick_params(axis="y", length=0)
    _date_axis(axes, start, end)
    _as_of_line(axes, end)
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=h["colour"], edgecolor="#333333", label=h["label"]) for h in scene["holders"]]
    handles += [Patch(facecolor=style.STATUS_FILLS[k], edgecolor="#333333", label=style.STATUS_NAMES[k])
                for k in ("open", "partially-open", "closed")]
    handles += [Patch(facecolor=style.DISPUTED_FILL, edgecolor="#333333", hatch="////", label="disputed"),
                Patch(facecolor=style.UNKNOWN_FILL, edgecolor="#999999", hatch="...", label="unknown (expired)")]
    figure.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, (0.2 + 0.16 * notes) / height_in),
                  ncol=4, fontsize=7, frameon=False)
    known = f", as known on {scene['known_at']}" if scene.get("known_at") else ""
    figure.text(0.01, 1 - 0.08 / height_in, f"Official crossings, {start} to {end}{known}: held by (upper bar) and "
                f"open/closed (lower bar)", fontsize=10.5, fontweight="bold", va="top")
    figure.text(0.01, 1 - 0.3 / height_in, "The resolved answers of kg status on every date they change. Hatched: "
                "sources disagree; dotted grey: the last report expired; dashed outline: no report.",
                fontsize=7, va="top", color="#444444")
    figure.text(0.01, 0.06 / height_in, _sources_text(scene["references"]), fontsize=6.5, va="bottom", color="#444444")
    return figure


def timeline_bytes(scene: dict[str, Any], fmt: str) -> bytes:
    import matplotlib

    with matplotlib.rc_context(RC):
        return save(timeline_figure(scene), fmt)


def strips_bytes(scene: dict[str, Any], fmt: str) -> bytes:
    import matplotlib

    with matplotlib.rc_context(RC):
        return save(strips_figure(scene), fmt)
