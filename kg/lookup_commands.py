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
from pathlib import Path
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


def known_at_option(f: F) -> F:
    return click.option("--known-at", "known_at", type=AS_OF, default=None,
                        help="Answer with only what was known on this date: sources added (or else "
                             "published, else accessed) on or before it.")(f)


def events_option(f: F) -> F:
    return click.option("--events", "events", type=click.IntRange(min=0), default=8, show_default=True,
                        help="How many of the latest events to list (0: all).")(f)


# ---------------------------------------------------------------------------- plumbing


def _graph(known_at: str | None = None) -> Any:
    from kg.lookup import Graph, LookupFailed

    try:
        return Graph(known_at=known_at)
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
               build: Callable[[Any, Any], dict[str, Any]], as_json: bool,
               known_at: str | None = None) -> tuple[dict[str, Any], "Printer"] | None:
    """Resolve ``name``, build its card, and either print it as JSON (returns None) or hand
    back the card with a Printer for the command's human layout."""
    graph = _graph(known_at)
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


def _known(known_at: str | None) -> str:
    return f"as known on {known_at}" if known_at else ""


def _header(p: Printer, card: dict[str, Any], extra: Sequence[str] = ()) -> None:
    types = ", ".join(t["label"] for t in card["types"])
    p.title(card["label"], card["iri"], " · ".join(x for x in (types, *extra) if x))
    if card["alt_labels"]:
        p.line(f"Also: {', '.join(card['alt_labels'])}  {p.marks(card['sources'])}".rstrip())
    for note in card.get("notes", []):
        p.line(p.style(f"Note: {note}", dim=True))


# ---------------------------------------------------------------------------- resolved answers

#: how each aspect is named in tables
ASPECT_NAMES = {"control": "held by", "presence": "seen there", "status": "open/closed", "alignment": "alignment"}


def _qualifiers(quals: dict[str, Any]) -> str:
    """``into Myanmar; goods; fuel; limited goods ("…")`` for a partial opening."""
    parts = [f"into {_labels(quals.get('into', []))}"] if quals.get("into") else []
    for key in ("traffic", "commodities", "conditions"):
        if quals.get(key):
            parts.append(_labels(quals[key]))
    parts += [f'"{d}"' for d in quals.get("detail", [])]
    return "; ".join(parts)


def _what(aspect: str, answer: dict[str, Any]) -> str:
    """The value of one answer: "KIA (full control)", "closed by China", "anti-regime"."""
    who, value = _labels(answer["who"]), _label(answer["value"])
    if aspect == "control":
        return f"{who} ({value})" if value else who
    if aspect == "presence":
        return who
    if aspect == "status":
        quals = _qualifiers(answer.get("qualifiers") or {})
        text = f"{value} ({quals})" if quals else value
        return f"{text}, by {who}" if who else text
    return value


def _when(answer: dict[str, Any]) -> str:
    """"since 2024-11-20, last reported 2024-12" or "reported late-2024-11" or "date unknown"."""
    parts = [f"{answer['since_kind']} {answer['since']}" if answer["since"] else "from an unknown date"]
    if answer["until"]:
        parts.append(f"until {answer['until']}")
    if answer["last_reported"] and answer["last_reported"] != answer["since"]:
        parts.append(f"last reported {answer['last_reported']}")
    return ", ".join(parts)


def answer_lines(aspect: str, result: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """(text, sources) for each line of one aspect's resolved answer: one line when resolved,
    one per side (strongest first) when disputed, the last report when unknown."""
    answers, state = result["answers"], result["state"]
    if state == "none" or not answers:
        return [("no report", [])]
    if state == "unknown":
        lines = []
        for a in answers:
            last = a["last_reported"] or a["since"]
            first = f" ({a['since_kind']} {a['since']})" if a["since"] and a["since"] != last else ""
            lines.append((f"unknown since {a['until']}; last reported {last}: {_what(aspect, a)}{first}",
                          a["sources"]))
        return lines
    if state == "disputed":
        return [(f"disputed, side {a['rank']} of {len(answers)}: {_what(aspect, a)}, {_when(a)}", a["sources"])
                for a in sorted(answers, key=lambda a: a["rank"] or 0)]
    return [(f"{_what(aspect, a)}, {_when(a)}", a["sources"]) for a in answers]


def _answers_section(p: "Printer", card: dict[str, Any], aspects: Sequence[str], as_of: str) -> None:
    """The resolved answer of each aspect, then every claim behind them with its fate."""
    for aspect in aspects:
        if aspect == "presence" and card[aspect]["state"] == "none":
            continue
        p.section(f"{ASPECT_NAMES[aspect].capitalize()} (as of {as_of})")
        for text, sources in answer_lines(aspect, card[aspect]):
            p.line(f"  {text}  {p.marks(sources)}".rstrip())
    claims = [c for c in card["claims"] if c["aspect"] in aspects]
    p.section(f"Claims behind it (reported by {as_of})")
    p.table(["aspect", "claim", "value", "by", "since", "what became of it", "src"],
            [[ASPECT_NAMES[c["aspect"]], c["label"], _label(c["value"]), _label(c["who"]),
              f"{c['since_kind']} {c['since']}" if c["since"] else "", _fate(c, p), p.marks(c["sources"])]
             for c in claims], "no claims")


def _fate(claim: dict[str, Any], p: "Printer") -> str:
    """What the resolution made of a claim by the date asked about, with the superseding
    claim's sources."""
    fate = claim["fate"]
    if fate == "counts":
        return "counts" + (f" (until {claim['effective_until']})" if claim["effective_until"] else "")
    if fate == "superseded":
        by = claim["superseded_by"] or {}
        return f"superseded on {claim['effective_until']} by: {by.get('label', '?')} {p.marks(by.get('sources', []))}".rstrip()
    if fate == "expired":
        return f"expired {claim['effective_until']} (seen once, not confirmed)"
    if fate == "deprecated":
        return f"deprecated: {claim['deprecation_reason'] or 'no reason given'}"
    return f"ended {claim['effective_until']}"


# ---------------------------------------------------------------------------- crossing

CROSSING_JSON = """
\b
JSON: {"iri", "label", "alt_labels": [str], "types": [{"iri", "label"}], "notes", "sources",
  "as_of", "official": bool, "border", "part_of_crossing", "gates": [ref],
  "sides": [{"iri", "country", "regions", "settlements", "gates", "notes", "sources"}],
  "known_at", "control", "presence", "status": {"state": "resolved"|"disputed"|"unknown"|
      "none", "answers": [ANSWER]},
  "claims": [{"claim", "aspect", "label", "value", "who", "since", "since_kind", "until",
              "fate": "counts"|"superseded"|"expired"|"ended"|"deprecated", "effective_until",
              "superseded_by": {"iri", "label", "since", "sources"}, "deprecation_reason",
              "event", "attribution", "basis", "rank", "note", "inference_note", "sources"}],
  "trade": [{"claim", "kind", "value", "unit", "exactness", "quantity_text", "when",
             "commodities", "flow_status", "from", "to", "reported_by", "attribution",
             "sources"}],
  "events": [{"iri", "label", "type", "date", "when", "about", "sources"}], "events_total",
  "references": [{"n", "iri", "label", "title", "publisher", "issued", "accessed", "url"}]}
A ref is {"iri", "label"} or null; "sources" are lists of source IRIs; dates are strings with
their precision ("2024-11-20", "2024-11", "mid-2024-10", "<=2024-11-30", ">=2024-11-24").
ANSWER: {"rank", "period", "value": ref, "who": [ref], "since", "since_kind": "since"|
  "reported", "until", "last_reported", "qualifiers": {"into", "traffic", "commodities",
  "conditions", "detail"}, "sources"}
"""


@click.command("crossing", epilog=CROSSING_JSON)
@click.argument("name")
@as_of_option
@known_at_option
@events_option
@json_option
def crossing_command(name: str, as_of: str, known_at: str | None, events: int, as_json: bool) -> None:
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
                        lambda graph, entity: lookup.crossing_card(graph, entity, as_of, events), as_json, known_at)
    if opened is None:
        return
    card, p = opened
    official = "" if card["official"] else "not an official crossing"
    _header(p, card, [official, _label(card["border"]), f"as of {as_of}", _known(known_at)])
    if card["part_of_crossing"]:
        p.line(f"Part of: {_label(card['part_of_crossing'])}")
    if card["gates"]:
        p.line(f"Gates: {_labels(card['gates'])}")
    p.section("Sides")
    p.table(["country", "state/region", "town", "gate", "src"],
            [[_label(s["country"]), _labels(s["regions"]), _labels(s["settlements"]),
              _labels(s["gates"]), p.marks(s["sources"])] for s in card["sides"]], "no sides on record")
    _answers_section(p, card, ("control", "presence", "status"), as_of)
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
  "crossings": [ref], "known_at", "control", "presence": {"state", "answers": [ANSWER]},
  "claims": [...as for kg crossing],
  "events": [...as for kg crossing], "events_total", "references": [...]}
"""


@click.command("place", epilog=PLACE_JSON)
@click.argument("name")
@as_of_option
@known_at_option
@events_option
@json_option
def place_command(name: str, as_of: str, known_at: str | None, events: int, as_json: bool) -> None:
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
                        lambda graph, entity: lookup.place_card(graph, entity, as_of, events), as_json, known_at)
    if opened is None:
        return
    card, p = opened
    _header(p, card, [f"as of {as_of}", _known(known_at)])
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
    _answers_section(p, card, ("control", "presence"), as_of)
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
  "known_at", "alignment": {"state", "answers": [ANSWER as for kg crossing]},
  "claims": [...its alignment claims, as for kg crossing],
  "holds": [{"place", "level", "since", "since_kind", "until", "last_reported",
             "state": "resolved"|"disputed", "period", "sources"}],
  "relations": [{"relation", "type", "direction": "from"|"to", "other", "through", "demand",
                 "outcome", "date", "when", "event": {"iri", "label"}, "sources"}],
  "events": [{"iri", "label", "type", "role", "via", "date", "when", "places", "sources"}],
  "events_total", "references": [...]}
"""


@click.command("actor", epilog=ACTOR_JSON)
@click.argument("name")
@as_of_option
@known_at_option
@events_option
@json_option
def actor_command(name: str, as_of: str, known_at: str | None, events: int, as_json: bool) -> None:
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
                        lambda graph, entity: lookup.actor_card(graph, entity, as_of, events), as_json, known_at)
    if opened is None:
        return
    card, p = opened
    _header(p, card, [f"as of {as_of}", _known(known_at)])
    for key, title in (("part_of", "Part of"), ("organs", "Organs"), ("headquarters", "Headquarters")):
        if card[key]:
            p.line(f"{title}: {_labels(card[key])}")
    for post in card["posts"]:
        p.line(f"{_label(post['post'])}: {_labels(post['holders'])}  {p.marks(post['sources'])}".rstrip())
    for post in card["holds_posts"]:
        p.line(f"Holds the post: {_label(post['post'])}  {p.marks(post['sources'])}".rstrip())
    _answers_section(p, card, ("alignment",), as_of)
    p.section(f"Holds (as of {as_of})")
    p.table(["place", "control", "since", "until", "last reported", "", "src"],
            [[_label(h["place"]), _label(h["level"]), f"{h['since_kind']} {h['since']}" if h["since"] else "",
              h["until"], h["last_reported"], "disputed" if h["state"] == "disputed" else "", p.marks(h["sources"])]
             for h in card["holds"]], f"holds nothing on {as_of} as far as reported")
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
  "known_at", "items": [{"iri", "kind": "event"|"claim", "type", "label", "date", "when",
             "until", "rank", "role", "ended", "end_reason", "superseded_by", "about": [ref],
             "sources"}], "references": [...]}
"date" is the stored xsd:date (for sorting; null when undated), "when"/"until" keep precision;
"ended"/"end_reason"/"superseded_by": when and why the resolution stops counting a claim.
"""


def plot_options(f: F) -> F:
    """``--plot``, ``--out`` and ``--since``: draw the answer as a chart (kg.picture_commands)."""
    f = click.option("--since", "since", type=AS_OF, default=None,
                     help="With --plot: where the chart starts (default: a month before the first change).")(f)
    f = click.option("--out", "-o", "out", default=None,
                     type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
                     help="With --plot: the picture to write, .svg or .png (- for SVG on standard output).")(f)
    return click.option("--plot", is_flag=True, help="Draw a chart (SVG or PNG) instead of printing.")(f)


@click.command("timeline", epilog=TIMELINE_JSON)
@click.argument("name")
@known_at_option
@json_option
@click.option("--as-of", "as_of", type=AS_OF, default="today", show_default=True,
              help="With --plot: the date the chart ends (the resolution as of then).")
@plot_options
def timeline_command(name: str, known_at: str | None, as_json: bool, as_of: str, plot: bool, out: Path | None,
                     since: str | None) -> None:
    """Every event and claim about a place, crossing or actor, in date order, each date with
    its precision ("2024-11-20", "2024-06", "mid-2024-10", "<=2024-11-30").

    For a place this includes what lies in it and the crossings at it; for an actor, what it,
    its organs and its office holders did or had done to them, and the claims naming it (a
    state that is also a country, like China, gets the actor's timeline).

    \b
    With --plot --out FILE (.svg or .png): a Gantt-style chart of the resolved answers (held by,
    seen there, open/closed; an actor's alignment) up to --as-of, disputes hatched, the claims
    behind them (faint once superseded or expired; dots for one-off observations) and the events.

    \b
    Examples:
      kg timeline "Kanpiketi crossing"
      kg timeline KIA --json
      kg timeline Kanpiketi --plot --as-of 2024-12-31 --out kanpiketi.svg
    """
    if plot:
        from kg.picture_commands import plot_timeline

        plot_timeline(name, as_of, since, known_at, out)
        return
    from kg import lookup

    opened = _open_card(name, None, "place, crossing or actor", lookup.timeline, as_json, known_at)
    if opened is None:
        return
    card, p = opened
    _header(p, card, [_known(known_at)])
    p.line("")
    rows = []
    for item in card["items"]:
        about = [a for a in item["about"] if a and a["iri"] != card["iri"]]
        label = item["label"] + (f"  [at {_labels(about)}]" if about else "")
        if item.get("rank") and item["rank"]["label"] == "deprecated":
            label += "  (deprecated)"
        rows.append([item["when"] or "undated", item["until"], item["kind"], _label(item["type"]), label,
                     _ending(item), p.marks(item["sources"])])
    p.table(["when", "until", "kind", "type", "what", "counts until", "src"], rows, "nothing on record", indent="")
    p.sources()
    p.echo()


def _ending(item: dict[str, Any]) -> str:
    """When and why the resolution stops counting a claim: "2024-12-13 (superseded)"."""
    if not item.get("ended"):
        return ""
    reason = _label(item.get("end_reason"))
    return f"{item['ended']} ({reason})" if reason else item["ended"]


# ---------------------------------------------------------------------------- status board

STATUS_JSON = """
\b
JSON: {"as_of", "known_at", "crossings": [{"iri", "label", "official": bool, "kind": ref,
  "control", "presence", "status": {"state": "resolved"|"disputed"|"unknown"|"none",
      "answers": [{"rank", "period", "value": ref, "who": [ref], "since", "since_kind":
      "since"|"reported", "until", "last_reported", "qualifiers", "sources"}]}}],
  "references": [...]}
With --claims: {"as_of", "known_at", "claims": [{"crossing", "aspect", "claim", "who",
  "value", "since", "until", "fate", "effective_until", "superseded_by", "sources"}],
  "references": [...]}
"""


@click.command("status", epilog=STATUS_JSON)
@as_of_option
@known_at_option
@click.option("--all", "include_all", is_flag=True, help="Also list minor gates and other crossings.")
@click.option("--claims", "raw_claims", is_flag=True,
              help="Show every claim that applies on the date by its own dates, and what the "
                   "resolution made of it, instead of the resolved answers.")
@json_option
@plot_options
def status_command(as_of: str, known_at: str | None, include_all: bool, raw_claims: bool, as_json: bool,
                   plot: bool, out: Path | None, since: str | None) -> None:
    """The board: every official crossing with who holds it, who was seen there, and whether it
    is open, partially open or closed and by whom, as of a date: one resolved line per crossing
    and aspect, "disputed" with each side when sources disagree, or "unknown since …; last
    reported …" when the last report has expired.

    The answers are the resolution of the claims (README: "How the status is resolved"): later
    reports supersede open-ended earlier ones, one-off observations expire, confirmations join.
    Answered by the library query status-as-of; --claims shows the claims under it.

    \b
    Examples:
      kg status
      kg status --as-of 2024-11-25
      kg status --known-at 2024-11-30 --as-of 2024-11-30
      kg status --all --json
      kg status --claims
      kg status --plot --as-of 2024-12-31 --out status.svg

    With --plot --out FILE (.svg or .png): one strip per official crossing (every crossing with
    --all), held by above and open/closed below, from --since to --as-of.
    """
    if plot:
        from kg.picture_commands import plot_status

        plot_status(as_of, since, include_all, known_at, out)
        return
    from kg import lookup

    graph = _graph(known_at)
    if raw_claims:
        _claims_board(graph, as_of, include_all, as_json)
        return
    board = _run(lambda: lookup.status_board(graph, as_of, include_all))
    if as_json:
        _emit_json(board)
        return
    p = Printer(board["references"])
    which = "crossings" if include_all else "official crossings"
    p.line(p.style(f"Status of the {which} as of {as_of}{_known_suffix(known_at)}", bold=True))
    p.line("")
    rows = []
    for c in board["crossings"]:
        name = c["label"] if c["official"] else f"{c['label']} ({_label(c['kind'])})"
        for aspect in ("control", "presence", "status"):
            if aspect == "presence" and c[aspect]["state"] == "none":
                continue
            for text, sources in answer_lines(aspect, c[aspect]):
                rows.append([name, ASPECT_NAMES[aspect], text, p.marks(sources)])
                name = ""
    p.table(["crossing", "aspect", "answer", "src"], rows, "no crossings", indent="")
    p.sources()
    p.echo()


def _known_suffix(known_at: str | None) -> str:
    return f", as known on {known_at}" if known_at else ""


def _claims_board(graph: Any, as_of: str, include_all: bool, as_json: bool) -> None:
    """``kg status --claims``: the library's claims-as-of rows, official crossings unless --all."""
    from kg.lookup import OFFICIAL, attach_sources, ref, split, text

    rows = _run(lambda: graph.library("claims-as-of", as_of=as_of))
    labels = graph.labels([text(r[k]) for r in rows for k in ("who", "value", "crossing") if r[k] is not None])
    claims = []
    for r in rows:
        if not r["claim"] or not (include_all or text(r["kind"]) == OFFICIAL):
            continue
        claims.append({"crossing": ref(text(r["crossing"]), labels), "aspect": text(r["aspect"]),
                       "claim": text(r["claim"]), "who": ref(text(r["who"]) or None, labels),
                       "value": ref(text(r["value"]) or None, labels), "since": text(r["since"]),
                       "until": text(r["until"]), "fate": text(r["fate"]),
                       "effective_until": text(r["effective_until"]) or None,
                       "superseded_by": text(r["superseded_by"]) or None, "sources": split(r["sources"])})
    found = _run(lambda: attach_sources(graph, {"as_of": as_of, "known_at": graph.known_at, "claims": claims}))
    if as_json:
        _emit_json(found)
        return
    p = Printer(found["references"])
    p.line(p.style(f"Claims that apply on {as_of} by their own dates{_known_suffix(graph.known_at)}", bold=True))
    p.line("")
    p.table(["crossing", "aspect", "who", "value", "since", "until", "in the resolution", "src"],
            [[_label(c["crossing"]), c["aspect"], _label(c["who"]), _label(c["value"]), c["since"], c["until"],
              c["fate"] + (f" ({c['effective_until']})" if c["fate"] != "counts" and c["effective_until"] else ""),
              p.marks(c["sources"])] for c in found["claims"]], "no claims", indent="")
    p.sources()
    p.echo()


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
