"""``kg crossing``, ``place``, ``actor``, ``timeline``, ``status`` and ``search``: lookups by name.

The read path: the Oxigraph store (an on-disk cache, :mod:`kg.store`), the query library and
:mod:`kg.lookup`. Nothing here imports rdflib, pyshacl or networkx.

Output is a card or table for people (colour only on a terminal, never with ``NO_COLOR``;
control characters in the data neutralized; tables fitted to the terminal's width), or with
``--json`` the card's data, whose shape is documented in each command's help and in the
README. Every line that states a fact ends with the numbers of its sources (``[1]``), listed at
the end; in JSON each item has ``"sources"`` (IRIs) and the card has ``"references"``.

Errors are one line (a name that matches nothing adds its suggestions, an ambiguous name the list
of candidates), exit 1; a bad ``--as-of`` is a usage error and a graph that cannot be read a
failure, exit 2 (:mod:`kg.errors`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

import click

from kg import terminal
from kg.dates import AS_OF
from kg.errors import KgError

F = Callable[..., Any]


# ---------------------------------------------------------------------------- options


def json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True,
                        help="Print the data as JSON (shape: below, and in the README).")(f)


def as_of_option(f: F) -> F:
    return click.option("--as-of", "as_of", type=AS_OF, default="today", show_default=True,
                        help="The date the status is evaluated at: YYYY-MM-DD, YYYY-MM or today.")(f)


def events_option(f: F) -> F:
    return click.option("--events", "events", type=click.IntRange(min=0), default=8, show_default=True,
                        help="How many of the latest events to list (0: all).")(f)


# ---------------------------------------------------------------------------- plumbing


def _graph() -> Any:
    from kg.lookup import Graph, LookupFailed

    try:
        return Graph()
    except LookupFailed as error:
        raise KgError(str(error)) from None


def _resolve(graph: Any, name: str, kinds: Sequence[str] | None, what: str) -> Any:
    from kg.names import ResolveError

    try:
        return graph.names.resolve(name, kinds, what)
    except ResolveError as error:
        raise click.ClickException(str(error)) from None


def _run(build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    from kg.lookup import LookupFailed

    try:
        return build()
    except LookupFailed as error:
        raise KgError(str(error)) from None


def _emit_json(data: Any) -> None:
    from kg.output import json_text

    click.echo(json_text(data))


def _open_card(name: str, kinds: Sequence[str] | None, what: str,
               build: Callable[[Any, Any], dict[str, Any]], as_json: bool) -> tuple[dict[str, Any], "Printer"] | None:
    """Resolve ``name``, build its card, and either print it as JSON (returns None) or hand
    back the card with a Printer for the command's human layout."""
    graph = _graph()
    entity = _resolve(graph, name, kinds, what)
    card = _run(lambda: build(graph, entity))
    if as_json:
        _emit_json(card)
        return None
    return card, Printer(card["references"])


def _isatty() -> bool:
    return terminal.stdout_is_terminal()


def use_colour() -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    return "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb" and _isatty()


#: Stands for ESC in the styles a Printer adds, until :meth:`Printer.echo`: data cannot forge it.
_OWN_ESC = f"\ue000{os.urandom(8).hex()}\ue001"


class Printer:
    """Writes a card: headings, aligned tables, footnote marks for sources.

    Every line is cleaned on the way out (:func:`kg.terminal.clean`), so the data cannot act
    on the terminal; only the styles added by :meth:`style` are real escape sequences. Tables
    are fitted to the terminal's width when printed on one."""

    def __init__(self, references: list[dict[str, Any]]) -> None:
        self.colour = use_colour()
        self.width = terminal.terminal_width() if _isatty() else None
        self.numbers = {r["iri"]: r["n"] for r in references}
        self.references = references
        self.lines: list[str] = []

    def style(self, text: str, **kw: Any) -> str:
        if not (self.colour and text):
            return text
        return click.style(terminal.clean(text), **kw).replace("\x1b", _OWN_ESC)

    def marks(self, sources: Sequence[str]) -> str:
        return "".join(f"[{self.numbers[s]}]" for s in sources if s in self.numbers)

    def title(self, label: str, iri: str, subtitle: str = "") -> None:
        from kg.names import compact_iri

        self.lines.append(f"{self.style(label, bold=True)}  {self.style(compact_iri(iri), dim=True)}")
        if subtitle:
            self.lines.append(subtitle)

    def line(self, text: str = "") -> None:
        self.lines.append(text)

    def section(self, heading: str) -> None:
        self.lines.append("")
        self.lines.append(self.style(heading, bold=True, underline=True))

    def table(self, columns: Sequence[str], rows: Sequence[Sequence[str]], empty: str = "none",
              indent: str = "  ") -> None:
        if not rows:
            self.lines.append(indent + self.style(empty, dim=True))
            return
        from kg.output import aligned

        cells = [[terminal.cell(str(c or "")) for c in row] for row in rows]
        keep = [i for i, name in enumerate(columns) if any(row[i] for row in cells)]
        fit = None if self.width is None else self.width - terminal.width(indent)
        head, *body = aligned([columns[i] for i in keep], [[row[i] for i in keep] for row in cells], rule=False,
                              width=fit)
        self.lines.append(indent + self.style(head, dim=True))
        self.lines.extend(indent + line for line in body)

    def sources(self) -> None:
        if not self.references:
            return
        self.section("Sources")
        for r in self.references:
            bits = [r["label"]]
            if r.get("title") and ":" not in r["label"]:
                bits.append(f"\u2014 {r['title']}")
            publisher = (r.get("publisher") or {}).get("label")
            dated = ", ".join(x for x in (publisher if publisher and publisher not in r["label"] else "",
                                          r.get("issued") or "") if x)
            if dated:
                bits.append(f"({dated})")
            if r.get("url"):
                bits.append(self.style(r["url"], dim=True))
            self.lines.append(f"  [{r['n']}] " + " ".join(bits))

    def echo(self) -> None:
        safe = ["\x1b".join(terminal.cell(part) for part in line.split(_OWN_ESC)) for line in self.lines]
        if self.width is not None:
            safe = [folded for line in safe for folded in _fold(line, self.width)]
        click.echo("\n".join(safe), color=self.colour)


def _fold(line: str, columns: int) -> list[str]:
    """A line longer than the terminal, wrapped; the following lines indented under it."""
    first, *rest = terminal.wrap(line, columns)
    if not rest:
        return [first]
    lead = " " * (len(line) - len(line.lstrip(" ")) + 4)
    return [first] + [lead + part for part in terminal.wrap(" ".join(rest), columns - len(lead))]


def _label(ref: dict[str, Any] | None) -> str:
    return "" if not ref else ref.get("label") or ""


def _labels(refs: Sequence[dict[str, Any] | None]) -> str:
    return ", ".join(_label(r) for r in refs if r)


def _span(since: str, until: str) -> tuple[str, str]:
    return since or "", until or ""


def _after(item: dict[str, Any]) -> str:
    event = item.get("event")
    if not event:
        return ""
    return f"{event['label']} ({event['when']})" if event.get("when") else event["label"]


def _header(p: Printer, card: dict[str, Any], extra: Sequence[str] = ()) -> None:
    types = ", ".join(t["label"] for t in card["types"])
    p.title(card["label"], card["iri"], " · ".join(x for x in (types, *extra) if x))
    if card["alt_labels"]:
        p.line(f"Also: {', '.join(card['alt_labels'])}  {p.marks(card['sources'])}".rstrip())
    for note in card.get("notes", []):
        p.line(p.style(f"Note: {note}", dim=True))


# ---------------------------------------------------------------------------- crossing

CROSSING_JSON = """
\b
JSON: {"iri", "label", "alt_labels": [str], "types": [{"iri", "label"}], "notes", "sources",
  "as_of", "official": bool, "border", "part_of_crossing", "gates": [ref],
  "sides": [{"iri", "country", "regions", "settlements", "gates", "notes", "sources"}],
  "control": [{"holder", "level", "since", "until", "claim", "event": {"iri", "label",
               "when"}, "attribution", "basis", "rank", "note", "inference_note", "sources"}],
  "status": [{"status", "imposed_by", "since", "until", "claim", "event", ..., "sources"}],
  "trade": [{"claim", "kind", "value", "unit", "exactness", "quantity_text", "when",
             "commodities", "flow_status", "from", "to", "reported_by", "attribution",
             "sources"}],
  "events": [{"iri", "label", "type", "date", "when", "about", "sources"}], "events_total",
  "references": [{"n", "iri", "label", "title", "publisher", "issued", "accessed", "url"}]}
A ref is {"iri", "label"} or null; "sources" are lists of source IRIs; dates are strings with
their precision ("2024-11-20", "2024-11", "mid-2024-10", "<=2024-11-30").
"""


@click.command("crossing", epilog=CROSSING_JSON)
@click.argument("name")
@as_of_option
@events_option
@json_option
def crossing_command(name: str, as_of: str, events: int, as_json: bool) -> None:
    """The card of a border crossing: names, both sides, who holds it and since when, open or
    closed and by whom, trade, latest events, and the source of each line.

    NAME is any name or alias (case, accents and spacing do not matter: "kan paik ti",
    "Lwelgel"), or an IRI such as bkr:crossing-kanpiketi.

    \b
    Examples:
      kg crossing Kanpiketi
      kg crossing lweje --as-of 2024-11
      kg crossing "Chin Shwe Haw" --json
    """
    from kg import lookup

    opened = _open_card(name, ["crossing"], "crossing",
                        lambda graph, entity: lookup.crossing_card(graph, entity, as_of, events), as_json)
    if opened is None:
        return
    card, p = opened
    official = "" if card["official"] else "not an official crossing"
    _header(p, card, [official, _label(card["border"]), f"as of {as_of}"])
    if card["part_of_crossing"]:
        p.line(f"Part of: {_label(card['part_of_crossing'])}")
    if card["gates"]:
        p.line(f"Gates: {_labels(card['gates'])}")
    p.section("Sides")
    p.table(["country", "state/region", "town", "gate", "src"],
            [[_label(s["country"]), _labels(s["regions"]), _labels(s["settlements"]),
              _labels(s["gates"]), p.marks(s["sources"])] for s in card["sides"]], "no sides on record")
    p.section(f"Held by (as of {as_of})")
    p.table(["holder", "control", "since", "until", "resulted from", "src"],
            [[_label(c["holder"]), _label(c["level"]), *_span(c["since"], c["until"]), _after(c),
              p.marks(c["sources"])] for c in card["control"]],
            f"no control claim applies on {as_of}")
    p.section(f"Open or closed (as of {as_of})")
    p.table(["status", "by", "since", "until", "resulted from", "src"],
            [[_label(s["status"]), _label(s["imposed_by"]), *_span(s["since"], s["until"]), _after(s),
              p.marks(s["sources"])] for s in card["status"]],
            f"no open/closed claim applies on {as_of}")
    if len(card["control"]) > 1 or len(card["status"]) > 1:
        p.line(p.style("  Several rows: the sources overlap or disagree; all are shown.", dim=True))
    p.section("Trade and commodities")
    p.table(["what", "amount", "period", "from", "to", "reported by", "src"],
            [[_trade_what(t), _amount(t), t["when"], _label(t["from"]), _label(t["to"]),
              _label(t["reported_by"]), p.marks(t["sources"])] for t in card["trade"]],
            "no figures on record")
    _events_section(p, card, as_of)
    p.sources()
    p.echo()


def _trade_what(t: dict[str, Any]) -> str:
    if t["kind"] == "trade figure":
        return "trade value"
    what = _labels(t["commodities"]) or "goods"
    return f"{what}: {_label(t['flow_status'])}" if t["flow_status"] else what


def _amount(t: dict[str, Any]) -> str:
    if t["value"] is None:
        return ""
    value = t["value"]
    shown = f"{value:,}" if isinstance(value, int | float) else str(value)
    exact = _label(t["exactness"])
    prefix = {"approximate": "~", "at least": ">="}.get(exact, "")
    return f"{prefix}{shown} {_label(t['unit'])}".strip()


def _events_section(p: Printer, card: dict[str, Any], as_of: str) -> None:
    shown, total = len(card["events"]), card["events_total"]
    count = f"{shown} of {total}" if shown < total else str(total)
    p.section(f"Latest events ({count}, up to {as_of})")
    p.table(["when", "type", "event", "src"],
            [[e["when"], _label(e["type"]), e["label"], p.marks(e["sources"])] for e in card["events"]],
            "no events on record")


# ---------------------------------------------------------------------------- place

PLACE_JSON = """
\b
JSON: {"iri", "label", "alt_labels", "types", "notes", "sources", "as_of", "kinds",
  "part_of": [[ref, ...]] (each chain upwards; at most 32 of 64 places),
  "part_of_truncated": bool (true when there were more), "capital_of", "located_at", "on_route_to",
  "produces", "contains": [ref], "coordinates": [{"wkt", "precision", "sources"}],
  "crossings": [ref], "held_by": [{"place", "holder", "level", "since", "until", "claim",
  "event", "attribution", "basis", "rank", "note", "sources"}],
  "events": [...as for kg crossing], "events_total", "references": [...]}
"""


@click.command("place", epilog=PLACE_JSON)
@click.argument("name")
@as_of_option
@events_option
@json_option
def place_command(name: str, as_of: str, events: int, as_json: bool) -> None:
    """The card of a place (town, region, country, site, or a crossing seen as a place): where
    it lies, coordinates, crossings at it, who holds it as of the date, latest events.

    \b
    Examples:
      kg place Kanpiketi --as-of 2024-11-21
      kg place "Kachin State"
      kg place bkr:lweje --json
    """
    from kg import lookup

    opened = _open_card(name, ["place"], "place",
                        lambda graph, entity: lookup.place_card(graph, entity, as_of, events), as_json)
    if opened is None:
        return
    card, p = opened
    _header(p, card, [f"as of {as_of}"])
    for chain in card["part_of"]:
        p.line("In: " + " → ".join(_label(x) for x in chain))
    if card.get("part_of_truncated"):
        from kg.lookup import MAX_CHAIN_LENGTH, MAX_CHAINS

        p.line(p.style(f"In: … more bk:partOf paths not shown (at most {MAX_CHAINS} paths of "
                       f"{MAX_CHAIN_LENGTH} places)", dim=True))
    for key, title in (("capital_of", "Capital of"), ("located_at", "At"), ("on_route_to", "On the route to"),
                       ("produces", "Produces"), ("crossings", "Crossings here")):
        if card[key]:
            p.line(f"{title}: {_labels(card[key])}")
    for c in card["coordinates"]:
        p.line(f"Coordinates: {c['wkt']} ({_label(c['precision'])})  {p.marks(c['sources'])}".rstrip())
    if "crossing" in card["kinds"]:
        from kg.names import compact_iri

        p.line(p.style(f"This is a crossing: kg crossing {compact_iri(card['iri'])} shows its status card.",
                       dim=True))
    p.section(f"Held by (as of {as_of})")
    p.table(["holder", "control", "since", "until", "resulted from", "src"],
            [[_label(h["holder"]), _label(h["level"]), *_span(h["since"], h["until"]), _after(h),
              p.marks(h["sources"])] for h in card["held_by"]],
            f"no control claim applies on {as_of}")
    if card["contains"]:
        p.section("Contains")
        p.line("  " + _labels(card["contains"]))
    _events_section(p, card, as_of)
    p.sources()
    p.echo()


# ---------------------------------------------------------------------------- actor

ACTOR_JSON = """
\b
JSON: {"iri", "label", "alt_labels", "types", "notes", "sources", "as_of", "part_of",
  "organs", "headquarters": [ref], "posts": [{"post", "holders", "sources"}] (posts in it),
  "holds_posts": [{"post", "in", "sources"}] (for a person),
  "alignment": [{"claim", "alignment", "towards", "since", "observed", "until", "rank",
                 "sources"}],
  "holds": [{"place", "level", "since", "until", "claim", "sources"}],
  "relations": [{"relation", "type", "direction": "from"|"to", "other", "through", "demand",
                 "outcome", "date", "when", "event": {"iri", "label"}, "sources"}],
  "events": [{"iri", "label", "type", "role", "via", "date", "when", "places", "sources"}],
  "events_total", "references": [...]}
"""


@click.command("actor", epilog=ACTOR_JSON)
@click.argument("name")
@as_of_option
@events_option
@json_option
def actor_command(name: str, as_of: str, events: int, as_json: bool) -> None:
    """The card of an actor (armed group, state, government body, person): kind, alignment
    over time, what it holds as of the date, its relations (pressured by, negotiating with,
    threatened by…) and its events.

    \b
    Examples:
      kg actor KIA
      kg actor junta --as-of 2024-11-01
      kg actor China --json
    """
    from kg import lookup

    opened = _open_card(name, ["actor"], "actor",
                        lambda graph, entity: lookup.actor_card(graph, entity, as_of, events), as_json)
    if opened is None:
        return
    card, p = opened
    _header(p, card, [f"as of {as_of}"])
    for key, title in (("part_of", "Part of"), ("organs", "Organs"), ("headquarters", "Headquarters")):
        if card[key]:
            p.line(f"{title}: {_labels(card[key])}")
    for post in card["posts"]:
        p.line(f"{_label(post['post'])}: {_labels(post['holders'])}  {p.marks(post['sources'])}".rstrip())
    for post in card["holds_posts"]:
        p.line(f"Holds the post: {_label(post['post'])}  {p.marks(post['sources'])}".rstrip())
    p.section("Alignment over time")
    p.table(["alignment", "towards", "since", "observed", "until", "src"],
            [[_label(a["alignment"]), _label(a["towards"]), a["since"], a["observed"], a["until"],
              p.marks(a["sources"])] for a in card["alignment"]], "no alignment claims")
    p.section(f"Holds (as of {as_of})")
    p.table(["place", "control", "since", "until", "src"],
            [[_label(h["place"]), _label(h["level"]), *_span(h["since"], h["until"]), p.marks(h["sources"])]
             for h in card["holds"]], f"no control claim applies on {as_of}")
    p.section("Relations")
    p.table(["when", "relation", "with", "through", "demand / outcome", "src"],
            [[r["when"], r["relation"], _label(r["other"]), _labels(r["through"]),
              " / ".join(x for x in (r["demand"] or "", _label(r["outcome"])) if x), p.marks(r["sources"])]
             for r in card["relations"]], "none on record")
    shown, total = len(card["events"]), card["events_total"]
    count = f"{shown} of {total}" if shown < total else str(total)
    p.section(f"Events ({count}, up to {as_of}, latest first)")
    p.table(["when", "role", "type", "event", "src"],
            [[e["when"], e["role"] if not e["via"] or e["via"]["iri"] == card["iri"]
              else f"{e['role']} (via {_label(e['via'])})", _label(e["type"]), e["label"], p.marks(e["sources"])]
             for e in card["events"]], "no events on record")
    p.sources()
    p.echo()


# ---------------------------------------------------------------------------- timeline

TIMELINE_JSON = """
\b
JSON: {"iri", "label", "alt_labels", "types", "notes", "sources",
  "items": [{"iri", "kind": "event"|"claim", "type", "label", "date", "when", "until", "rank",
             "role", "about": [ref], "sources"}], "references": [...]}
"date" is the stored xsd:date (for sorting; null when undated), "when"/"until" keep precision.
"""


@click.command("timeline", epilog=TIMELINE_JSON)
@click.argument("name")
@json_option
def timeline_command(name: str, as_json: bool) -> None:
    """Every event and claim about a place, crossing or actor, in date order, each date with
    its precision ("2024-11-20", "2024-06", "mid-2024-10", "<=2024-11-30").

    For a place this includes what lies in it and the crossings at it; for an actor, what it,
    its organs and its office holders did or had done to them, and the claims naming it (a
    state that is also a country, like China, gets the actor's timeline).

    \b
    Examples:
      kg timeline "Kanpiketi crossing"
      kg timeline KIA --json
    """
    from kg import lookup

    opened = _open_card(name, None, "place, crossing or actor", lookup.timeline, as_json)
    if opened is None:
        return
    card, p = opened
    _header(p, card)
    p.line("")
    rows = []
    for item in card["items"]:
        about = [a for a in item["about"] if a and a["iri"] != card["iri"]]
        label = item["label"] + (f"  [at {_labels(about)}]" if about else "")
        if item.get("rank") and item["rank"]["label"] == "deprecated":
            label += "  (deprecated)"
        rows.append([item["when"] or "undated", item["until"], item["kind"], _label(item["type"]), label,
                     p.marks(item["sources"])])
    p.table(["when", "until", "kind", "type", "what", "src"], rows, "nothing on record", indent="")
    p.sources()
    p.echo()


# ---------------------------------------------------------------------------- status board

STATUS_JSON = """
\b
JSON: {"as_of", "crossings": [{"iri", "label", "official": bool, "kind": ref,
  "control": [{"holder", "level", "since", "until", "claim", "sources"}],
  "status": [{"status", "imposed_by", "since", "until", "claim", "sources"}]}],
  "references": [...]}
"""


@click.command("status", epilog=STATUS_JSON)
@as_of_option
@click.option("--all", "include_all", is_flag=True, help="Also list minor gates and other crossings.")
@json_option
def status_command(as_of: str, include_all: bool, as_json: bool) -> None:
    """The board: every official crossing with who holds it (control level, since when) and
    whether it is open or closed, by whom, since when, as of a date.

    Overlapping claims (contested control, sources that disagree) give several rows for one
    crossing; none is hidden. Answered by the library query status-as-of.

    \b
    Examples:
      kg status
      kg status --as-of 2024-11-01
      kg status --all --json
    """
    from kg import lookup

    graph = _graph()
    board = _run(lambda: lookup.status_board(graph, as_of, include_all))
    if as_json:
        _emit_json(board)
        return
    p = Printer(board["references"])
    which = "crossings" if include_all else "official crossings"
    p.line(p.style(f"Status of the {which} as of {as_of}", bold=True))
    p.line("")
    rows = []
    for c in board["crossings"]:
        control, status = c["control"], c["status"]
        name = c["label"] if c["official"] else f"{c['label']} ({_label(c['kind'])})"
        for i in range(max(1, len(control), len(status))):
            held = control[i] if i < len(control) else None
            st = status[i] if i < len(status) else None
            rows.append([
                name,
                _label(held["holder"]) if held else ("no claim" if i == 0 else ""),
                _label(held["level"]) if held else "", _since(held), p.marks(held["sources"]) if held else "",
                _label(st["status"]) if st else ("no claim" if i == 0 else ""),
                _label(st["imposed_by"]) if st else "", _since(st), p.marks(st["sources"]) if st else ""])
    p.table(["crossing", "held by", "control", "since", "src", "open/closed", "by", "since", "src"], rows,
            "no crossings", indent="")
    if any(len(c["control"]) > 1 or len(c["status"]) > 1 for c in board["crossings"]):
        p.line(p.style("Several rows for a crossing: its claims overlap or disagree; all are shown.", dim=True))
    p.sources()
    p.echo()


def _since(item: dict[str, Any] | None) -> str:
    if not item:
        return ""
    return f"{item['since']}..{item['until']}" if item["until"] else item["since"]


# ---------------------------------------------------------------------------- search

SEARCH_JSON = """
\b
JSON: {"query", "results": [{"iri", "label", "type", "kinds", "matched", "match": "exact"|
  "prefix"|"word"|"substring"|"fuzzy", "score": 0-100}]} (best first)
"""


@click.command("search", epilog=SEARCH_JSON)
@click.argument("text")
@click.option("--kind", type=click.Choice(["crossing", "place", "actor"]), help="Only this kind of entity.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many results.")
@click.option("--timeout", type=click.FloatRange(min=0), default=60.0, show_default=True, metavar="SECONDS",
              help="Stop after this many seconds (exit 124); 0: no limit.")
@json_option
def search_command(text: str, kind: str | None, limit: int | None, timeout: float, as_json: bool) -> None:
    """Every entity whose name or alias matches TEXT, ranked: the whole name, then the start of
    a name or of a word, then anywhere in a name, then close spellings (typos).

    The work is bounded: close spellings are not searched over more than 250,000 names (a note
    says so), the search stops after --timeout seconds, and Ctrl-C stops it at once.

    \b
    Examples:
      kg search kia
      kg search "kan paik" --kind crossing
      kg search lweje --json
    """
    from kg import lookup
    from kg.bounded import call
    from kg.names import compact_iri

    def find() -> tuple[Any, dict[str, Any]]:
        graph = _graph()
        return graph, _run(lambda: lookup.search(graph, text, [kind] if kind else None, limit))

    graph, found = call(find, timeout or None, what="the search")
    if graph.names.note:
        click.echo(f"note: {graph.names.note}", err=True)
    if as_json:
        _emit_json(found)
        return
    if not found["results"]:
        raise click.ClickException(f"no name matches {text!r}")
    p = Printer([])
    p.table(["score", "name", "type", "iri", "matched"],
            [[str(r["score"]), r["label"], r["type"], compact_iri(r["iri"]),
              "" if r["matched"] == r["label"] else r["matched"]] for r in found["results"]], indent="")
    p.echo()
