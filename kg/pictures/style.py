"""One legend for every picture: colour by holder, marker by open/closed.

- **Colour** (fill) is who holds the place on the date: one colour per holder, taken in a fixed
  order from the Okabe-Ito palette (readable with the common colour-vision deficiencies), the
  holders sorted by IRI over the whole graph so a holder keeps its colour from date to date;
  disputed control is grey with a hatch, unknown (the last report expired) light grey, no
  report white.
- **Marker** is open/closed: open ●, partially open ▲, closed ■, disputed ◆, unknown (last
  report expired) and no report ○ with a dashed or dotted outline.
- **Classes** (SVG and HTML) say the same in words: ``status-open``, ``status-partially-open``,
  ``status-closed``, ``status-disputed``, ``status-unknown``, ``status-none``;
  ``control-held``, ``control-contested``, ``control-disputed``, ``control-unknown``,
  ``control-none``. Tests read them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kg.namespaces import VOCAB

#: Okabe & Ito (2008), without black (kept for text) and yellow (too pale on white)
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#882255", "#44AA99",
           "#999933", "#AA4499")
DISPUTED_FILL = "#9e9e9e"
UNKNOWN_FILL = "#dcdcdc"
NONE_FILL = "#ffffff"
CONTESTED_FILL = "#bdbdbd"
INK = "#222222"
BORDER_INK = "#b2182b"

STATUS_CLASSES = ("open", "partially-open", "closed", "disputed", "unknown", "none")
CONTROL_CLASSES = ("held", "contested", "disputed", "unknown", "none")

STATUS_NAMES = {"open": "open", "partially-open": "partially open", "closed": "closed",
                "disputed": "disputed (sources disagree)", "unknown": "unknown (last report expired)",
                "none": "no report"}
CONTROL_NAMES = {"held": "held by", "contested": "contested (shared)", "disputed": "disputed (sources disagree)",
                 "unknown": "unknown (last report expired)", "none": "no report"}

#: status class -> marker: (shape, outline dash) with shape one of circle, triangle, square, diamond
MARKERS: dict[str, tuple[str, str]] = {
    "open": ("circle", ""), "partially-open": ("triangle", ""), "closed": ("square", ""),
    "disputed": ("diamond", ""), "unknown": ("circle", "3,2"), "none": ("circle", "1,2"),
}

#: timeline and strip colours of open/closed (by value, not by holder: the imposer is a label)
STATUS_FILLS = {"open": "#1a9850", "partially-open": "#fdae61", "closed": "#d73027",
                "unknown": UNKNOWN_FILL, "none": NONE_FILL, "disputed": DISPUTED_FILL}

#: timeline colours of an actor's alignment
ALIGNMENT_FILLS = {VOCAB + "AntiRegime": "#4575b4", VOCAB + "JuntaAligned": "#7f3b08", VOCAB + "Neutral": "#bababa"}

_STATUS_VALUES = {VOCAB + "Open": "open", VOCAB + "PartiallyOpen": "partially-open", VOCAB + "Closed": "closed",
                  VOCAB + "StatusUnknown": "unknown"}
CONTESTED = VOCAB + "Contested"


def status_class(aspect: dict[str, Any]) -> str:
    """The class of a resolved open/closed answer (``kg.lookup`` shape)."""
    state, answers = aspect.get("state", "none"), aspect.get("answers") or []
    if state in ("disputed", "unknown") or not answers:
        return state if answers else "none"
    return _STATUS_VALUES.get((answers[0].get("value") or {}).get("iri", ""), "unknown")


def status_value_class(iri: str) -> str:
    return _STATUS_VALUES.get(iri, "unknown")


def control_class(aspect: dict[str, Any]) -> str:
    """The class of a resolved control answer."""
    state, answers = aspect.get("state", "none"), aspect.get("answers") or []
    if not answers:
        return "none"
    if state == "resolved":
        contested = (answers[0].get("value") or {}).get("iri") == CONTESTED or len(answers[0].get("who") or []) > 1
        return "contested" if contested else "held"
    return state


class Palette:
    """Holder IRI -> colour, fixed for a graph: holders sorted by IRI, colours in order."""

    def __init__(self, holders: Iterable[str]) -> None:
        self.colours = {h: PALETTE[i % len(PALETTE)] for i, h in enumerate(sorted(set(holders)))}

    def colour(self, holder: str | None) -> str:
        return self.colours.get(holder or "", NONE_FILL)

    def fill(self, aspect: dict[str, Any]) -> str:
        """The fill of a marker or bar for a resolved control answer."""
        kind = control_class(aspect)
        if kind == "held":
            return self.colour(aspect["answers"][0]["who"][0]["iri"])
        return {"contested": CONTESTED_FILL, "disputed": DISPUTED_FILL, "unknown": UNKNOWN_FILL}.get(kind, NONE_FILL)


def holder_label(aspect: dict[str, Any]) -> str:
    """Who holds it, in a few words: "Kachin Independence Army", "disputed: A / B", "no report"."""
    kind = control_class(aspect)
    answers = aspect.get("answers") or []

    def name(a: dict[str, Any]) -> str:
        who = ", ".join(w["label"] for w in a.get("who") or [])
        level = (a.get("value") or {}).get("label", "")
        return f"{who} ({level})" if level and level not in ("full control", "contested") else who

    names = [name(a) for a in answers]
    if kind in ("held", "contested"):
        return names[0] + (" (contested)" if kind == "contested" else "")
    if kind == "disputed":
        return "disputed: " + " / ".join(names)
    if kind == "unknown":
        return f"unknown since {answers[0].get('until', '')} (last: {names[0]})"
    return "no report"


def status_label(aspect: dict[str, Any]) -> str:
    """Open or closed, by whom, in a few words."""
    kind = status_class(aspect)
    answers = aspect.get("answers") or []

    def one(a: dict[str, Any]) -> str:
        value = (a.get("value") or {}).get("label", "")
        who = ", ".join(w["label"] for w in a.get("who") or [])
        return f"{value} by {who}" if who else value

    if kind == "none":
        return "no report"
    if kind == "disputed":
        return "disputed: " + " / ".join(one(a) for a in answers)
    if kind == "unknown" and answers and aspect.get("state") == "unknown":
        return f"unknown since {answers[0].get('until', '')} (last: {one(answers[0])})"
    return one(answers[0])
