"""The data behind ``kg crossing``, ``place``, ``actor``, ``timeline``, ``status`` and ``search``.

Each card is a plain dict (the ``--json`` output, documented in the README and in each command's
help) built from the store by:

- the query library where a query already answers: ``status-as-of`` (who holds a crossing, open
  or closed, as of a date: the board and the crossing card), ``holdings-as-of`` (what an actor
  holds; also who holds a place: it is run for each actor with a control claim on the place),
  ``timeline``, ``events-by-actor``, ``china-armed-group-relations`` (relations of any actor:
  its ``state`` parameter is the actor) and ``trade-and-commodities``;
- two generic card queries on :data:`TRIPLES` (given properties of given subjects, or the
  subjects pointing at given objects) and :data:`LABELS`, with every IRI bound in a ``VALUES``
  block written by :meth:`kg.params.Term.sparql`. IRIs come from name resolution and from the
  store, never from user text.

No rdflib here, nor anywhere on this path: everything runs on the Oxigraph store of
:func:`kg.store.open_store` (the on-disk cache).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from kg.dates import Precisions
from kg.engines import OxigraphEngine, execute
from kg.namespaces import ONTOLOGY, PREFIXES, VOCAB
from kg.names import Entity, NameIndex, compact_iri
from kg.params import Term, resolve, with_prologue
from kg.queries import load

BK = ONTOLOGY
RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
SKOS_PREF = PREFIXES["skos"] + "prefLabel"
PROV_SOURCE = PREFIXES["prov"] + "wasDerivedFrom"
DCT = PREFIXES["dcterms"]
GEO = PREFIXES["geo"]
OFFICIAL = BK + "OfficialBorderCrossing"

#: how many events a card lists (the most recent first)
CARD_EVENTS = 8

#: the two generic card queries fill in a VALUES block for ?s (:meth:`Graph.describe`) or ?o
#: (:meth:`Graph.referrers`), and the predicates: one VALUES block for the nodes and FILTER IN
#: for the predicates, so that Oxigraph looks the nodes up in its index (a second VALUES
#: block made it scan every triple of those predicates: 3.5 s -> 0.023 s for a card at 1M)
TRIPLES = """SELECT ?s ?p ?o WHERE { %s ?s ?p ?o FILTER (?p IN (%s)) }"""
LABELS = """
SELECT ?x ?pref ?label WHERE {
  %s
  OPTIONAL { ?x skos:prefLabel ?pref FILTER (LANGMATCHES(LANG(?pref), "en")) }
  OPTIONAL { ?x rdfs:label ?label }
}"""

#: relation types of the actor card: type -> (the actor did it, it was done to the actor)
RELATIONS = {
    VOCAB + "Pressure": ("pressures", "pressured by"),
    VOCAB + "Negotiation": ("negotiating with", "negotiating with"),
    VOCAB + "Threat": ("threatens", "threatened by"),
    VOCAB + "DiplomaticVisit": ("visits", "visited by"),
    VOCAB + "Invitation": ("invites", "invited by"),
}


class LookupFailed(Exception):
    """A lookup that cannot be answered (a graph file that does not parse, a failing query)."""


def values_block(var: str, iris: Iterable[str]) -> str:
    """``VALUES ?var { <a> <b> }`` for IRIs, each written by :meth:`Term.sparql` (which refuses
    anything that could end the ``<…>``)."""
    terms = " ".join(Term.iri(iri).sparql() for iri in dict.fromkeys(iris))
    return f"VALUES ?{var} {{ {terms} }}"


def iri_list(iris: Iterable[str]) -> str:
    """``<a>, <b>`` for a FILTER IN list, each IRI written by :meth:`Term.sparql`."""
    return ", ".join(Term.iri(iri).sparql() for iri in dict.fromkeys(iris))


def split(cell: Term | None) -> list[str]:
    """A space-separated list cell (GROUP_CONCAT of IRIs) as a list."""
    return [] if cell is None else [v for v in cell.value.split(" ") if v]


def text(cell: Term | None) -> str:
    return "" if cell is None else cell.value


def ref(iri: str | None, labels: dict[str, str]) -> dict[str, str] | None:
    """An entity reference in the JSON: ``{"iri", "label"}``."""
    if not iri:
        return None
    return {"iri": iri, "label": labels.get(iri) or compact_iri(iri)}


class Graph:
    """The store, its engine and the per-process helpers every card needs."""

    def __init__(self, store: Any | None = None, known_at: str | None = None) -> None:
        if store is None:
            from kg.store import StoreError, open_store

            try:
                store = open_store(known_at=known_at)
            except StoreError as error:
                raise LookupFailed(str(error)) from None
        self.store = store
        #: the graph as known on this day (sources added or published by then), or None: all
        self.known_at = known_at
        self.engine = OxigraphEngine(store)
        self._names: NameIndex | None = None
        self._periods: dict[str, Any] | None = None
        self._precisions: Precisions | None = None
        self._labels: dict[str, str] = {}

    # ------------------------------------------------------------------ helpers

    @property
    def names(self) -> NameIndex:
        if self._names is None:
            self._names = NameIndex.from_store(self.store)
        return self._names

    @property
    def periods(self) -> dict[str, Any]:
        """The resolved periods (:func:`kg.derived.period_table`), cached with the on-disk store."""
        if self._periods is None:
            from kg.derived import period_table
            from kg.store import cached_table

            self._periods = cached_table(self.store, "periods") or period_table(self.store)
        return self._periods

    def english_label(self, iri: str) -> str | None:
        """The smallest English skos:prefLabel of ``iri`` (what the query library shows)."""
        rows = self.select(f"""SELECT ?label WHERE {{ {values_block("x", [iri])}
            ?x skos:prefLabel ?label FILTER (LANGMATCHES(LANG(?label), "en")) }}""")
        return min((text(r["label"]) for r in rows), default=None)

    @property
    def precisions(self) -> Precisions:
        if self._precisions is None:
            self._precisions = Precisions.from_store(self.store)
        return self._precisions

    def select(self, query: str) -> list[dict[str, Term | None]]:
        """Run a card query (project prefixes added) and return its rows as dicts."""
        from kg.engines import EngineError

        try:
            return self.engine.run(with_prologue(query)).as_dicts()
        except EngineError as error:
            raise LookupFailed(str(error)) from None

    def library(self, name: str, **given: str) -> list[dict[str, Term | None]]:
        """Rows of the library query ``name`` with parameters ``given`` (as on the command line)."""
        from kg.engines import EngineError
        from kg.params import ParamError
        from kg.queries import QueryError

        try:
            query = load(name)
            bound = resolve(list(query.params), given)
            return execute(query, bound, self.engine).as_dicts()
        except (QueryError, ParamError, EngineError) as error:
            raise LookupFailed(f"{name}: {error}") from None

    def describe(self, subjects: Iterable[str], predicates: Sequence[str]) -> dict[str, dict[str, list[Term]]]:
        """subject -> predicate -> objects, for the given subjects and predicates."""
        subjects = [s for s in dict.fromkeys(subjects) if s]
        out: dict[str, dict[str, list[Term]]] = {s: {} for s in subjects}
        if not subjects:
            return out
        query = TRIPLES % (values_block("s", subjects), iri_list(predicates))
        for row in self.select(query):
            s, p, o = row["s"], row["p"], row["o"]
            if s is not None and p is not None and o is not None:
                out[s.value].setdefault(p.value, []).append(o)
        for by_predicate in out.values():
            for objects in by_predicate.values():
                objects.sort(key=lambda t: t.value)
        return out

    def referrers(self, objects: Iterable[str], predicates: Sequence[str]) -> list[tuple[str, str, str]]:
        """(subject, predicate, object) for subjects that point at the given objects."""
        objects = [o for o in dict.fromkeys(objects) if o]
        if not objects:
            return []
        query = TRIPLES % (values_block("o", objects), iri_list(predicates))
        rows = [(r["s"].value, r["p"].value, r["o"].value) for r in self.select(query)
                if r["s"] is not None and r["s"].kind == "uri"]
        return sorted(set(rows))

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        """A label for each IRI: English skos:prefLabel, else rdfs:label, else the CURIE."""
        wanted = [i for i in dict.fromkeys(iris) if i and i not in self._labels]
        if wanted:
            found: dict[str, tuple[str, str]] = {}
            for row in self.select(LABELS % values_block("x", wanted)):
                x = row["x"].value  # type: ignore[union-attr]
                pref, label = text(row["pref"]), text(row["label"])
                best = found.get(x, ("", ""))
                found[x] = (min(filter(None, (best[0], pref)), default=""),
                            min(filter(None, (best[1], label)), default=""))
            for iri in wanted:
                pref, label = found.get(iri, ("", ""))
                self._labels[iri] = pref or label or compact_iri(iri)
        return self._labels

    def sources(self, iris: Iterable[str]) -> list[dict[str, Any]]:
        """Each source (in the order given): label, title, publisher, issued (with precision), url."""
        iris = [i for i in dict.fromkeys(iris) if i]
        props = self.describe(iris, [RDFS_LABEL, DCT + "title", DCT + "publisher", DCT + "issued",
                                     BK + "issuedPrecision", BK + "url", BK + "accessedOn"])
        publishers = [t.value for p in props.values() for t in p.get(DCT + "publisher", [])]
        labels = self.labels(publishers)
        out = []
        for iri in iris:
            p = props.get(iri, {})
            issued = first(p, DCT + "issued")
            out.append({
                "iri": iri,
                "label": first(p, RDFS_LABEL) or first(p, DCT + "title") or compact_iri(iri),
                "title": first(p, DCT + "title"),
                "publisher": ref(first(p, DCT + "publisher"), labels),
                "issued": self.precisions.show(issued, first(p, BK + "issuedPrecision")) or None,
                "accessed": first(p, BK + "accessedOn"),
                "url": first(p, BK + "url"),
            })
        return out

    def show_date(self, props: dict[str, list[Term]], date_property: str, precision_property: str) -> str:
        return self.precisions.show(first(props, date_property), first(props, precision_property))

    def entity_header(self, entity: Entity) -> dict[str, Any]:
        """The name part of every card: IRI, labels, types, and the sources of the node."""
        props = self.describe([entity.iri], [PROV_SOURCE, BK + "note"])[entity.iri]
        return {
            "iri": entity.iri,
            "label": entity.label,
            "alt_labels": entity.aliases,
            "types": [{"iri": iri, "label": label or compact_iri(iri)}
                      for iri, label in sorted(entity.types.items())],
            "notes": [t.value for t in props.get(BK + "note", [])],
            "sources": [t.value for t in props.get(PROV_SOURCE, [])],
        }

    def claim_details(self, claims: Iterable[str]) -> dict[str, dict[str, Any]]:
        """For each claim: the event it resulted from (label, date with precision), how it is
        attributed, its basis, rank and note."""
        claims = [c for c in dict.fromkeys(claims) if c]
        props = self.describe(claims, [BK + "resultsFrom", BK + "attribution", BK + "basis",
                                       BK + "rank", BK + "note", BK + "inferenceNote"])
        events = [t.value for p in props.values() for t in p.get(BK + "resultsFrom", [])]
        event_props = self.describe(events, [RDFS_LABEL, BK + "date", BK + "datePrecision"])
        concepts = [t.value for p in props.values()
                    for key in (BK + "attribution", BK + "basis", BK + "rank") for t in p.get(key, [])]
        labels = self.labels(concepts)
        out: dict[str, dict[str, Any]] = {}
        for claim in claims:
            p = props.get(claim, {})
            event = first(p, BK + "resultsFrom")
            ep = event_props.get(event or "", {})
            out[claim] = {
                "event": None if not event else {
                    "iri": event,
                    "label": first(ep, RDFS_LABEL) or compact_iri(event),
                    "when": self.show_date(ep, BK + "date", BK + "datePrecision"),
                },
                "attribution": ref(first(p, BK + "attribution"), labels),
                "basis": ref(first(p, BK + "basis"), labels),
                "rank": ref(first(p, BK + "rank"), labels),
                "note": first(p, BK + "note"),
                "inference_note": first(p, BK + "inferenceNote"),
            }
        return out


def first(props: dict[str, list[Term]], predicate: str) -> str | None:
    objects = props.get(predicate) or []
    return objects[0].value if objects else None


def all_of(props: dict[str, list[Term]], predicate: str) -> list[str]:
    return [t.value for t in props.get(predicate) or []]


def collect_sources(card: Any) -> list[str]:
    """Every source IRI a card cites, in order of first appearance (the footnote order)."""
    found: dict[str, None] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for name, value in node.items():
                if name == "sources" and isinstance(value, list) and all(isinstance(v, str) for v in value):
                    found.update(dict.fromkeys(value))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return list(found)


def attach_sources(graph: Graph, card: dict[str, Any]) -> dict[str, Any]:
    """``card["references"]``: every cited source, numbered in order of first appearance (the
    numbers of the footnotes in the tables)."""
    card["references"] = [{"n": n, **source}
                          for n, source in enumerate(graph.sources(collect_sources(card)), start=1)]
    return card


# ---------------------------------------------------------------------------- resolved answers

#: the aspects the resolution answers, in the order cards and the board show them
ASPECTS = ("control", "presence", "status", "alignment")
STATUS_QUALIFIERS = [BK + "trafficInto", BK + "traffic", BK + "commodity", BK + "condition",
                     BK + "conditionDetail"]


def status_rows(table: dict[str, Any], as_of: str, about: str | None = None,
                about_label: str | None = None) -> list[dict[str, Any]]:
    """The rows of the library query ``status-as-of`` (same columns, same order; unbound is
    None, ``who`` and ``sources`` space-separated), computed from the period table
    (:func:`kg.derived.period_table`) in Python: the rules of the query, applied to the periods
    of the subjects asked for only. ``tests/test_lookups.py`` checks both agree."""
    periods: dict[str, list[list[Any]]] = table["periods"]
    kinds: dict[str, list[str]] = table["kinds"]
    labels: dict[str, str] = table["labels"]
    subjects = [about] if about else list(kinds)
    rows: list[dict[str, Any]] = []
    for subject in subjects:
        label = labels.get(subject) or (about_label if subject == about else None)
        answers = _answers(periods.get(subject, []), as_of)
        for kind in kinds.get(subject) or [None]:
            base = {"subject": subject, "subject_label": label, "kind": kind}
            if not answers:
                rows.append({**base, **dict.fromkeys(("aspect", "state", "rank", "value", "since", "since_kind",
                                                      "until", "last_reported", "period")),
                             "who": "", "sources": ""})
            rows.extend({**base, **answer} for answer in answers)

    def ascending(value: Any) -> tuple[Any, ...]:
        return (0,) if value is None else (1, value)  # SPARQL: unbound sorts first

    rows.sort(key=lambda r: tuple(ascending(r[k]) for k in ("subject_label", "subject", "aspect", "rank", "period",
                                                             "state", "value", "since", "since_kind", "until",
                                                             "last_reported")))
    rows.sort(key=lambda r: ascending(r["kind"]), reverse=True)  # stable: DESC(?kind) first
    return rows


def _answers(periods: list[list[Any]], as_of: str) -> list[dict[str, Any]]:
    """The status-as-of answers of one subject's periods: per aspect, the periods that hold on
    ``as_of`` (ranked: latest report, then evidence score, then IRI), else those that ended
    last on or before it ("unknown")."""
    from kg.derived import PERIOD_FIELDS

    out = []
    for aspect in ASPECTS:
        mine = [dict(zip(PERIOD_FIELDS, p, strict=True)) for p in periods if p[1] == aspect]
        holding = [p for p in mine if (p["from"] is None or p["from"] <= as_of)
                   and (p["until"] is None or as_of < p["until"])]
        if holding:
            state = "disputed" if len({p["period"] for p in holding}) > 1 else "resolved"
            strength = {p["period"]: (p["reported"], p["score"]) for p in holding}
            for p in holding:
                key = strength[p["period"]]
                stronger = sum(1 for other, other_key in strength.items() if other != p["period"] and (
                    other_key > key or (other_key == key and other < p["period"])))
                out.append(_answer(p, state, 1 + stronger))
            continue
        ended = [p["until"] for p in mine if p["until"] is not None and p["until"] <= as_of]
        out.extend(_answer(p, "unknown", None) for p in mine if ended and p["until"] == max(ended))
    return out


def _answer(period: dict[str, Any], state: str, rank: int | None) -> dict[str, Any]:
    return {"aspect": period["aspect"], "state": state, "rank": rank, "value": period["value"],
            "since": period["since"], "since_kind": period["since_kind"], "until": period["until_shown"],
            "last_reported": period["last_reported"], "period": period["period"],
            "who": " ".join(period["who"]), "sources": " ".join(period["sources"])}


def resolved(graph: Graph, as_of: str, about: str | None = None) -> dict[str, dict[str, Any]]:
    """The ``status-as-of`` answers (:func:`status_rows`) as subject -> ``{"iri", "label",
    "kinds", aspect: {"state", "answers"}}``: every crossing, or only ``about`` (any place,
    crossing or actor).

    ``state`` is resolved, disputed (several answers, ranked), unknown (the last answer before
    the date, "last reported") or none (no report). Each answer: ``{"rank", "period", "value",
    "who", "since", "since_kind", "until", "last_reported", "qualifiers", "sources"}``."""
    about_label = None
    if about and about not in graph.periods["labels"]:
        about_label = graph.english_label(about)
    rows = status_rows(graph.periods, as_of, about, about_label)
    qualifiers = _status_qualifiers(graph, [r["period"] for r in rows if r["aspect"] == "status"])
    labels = graph.labels([*(x for r in rows for x in r["who"].split()), *(r["value"] or "" for r in rows),
                           *(q for quals in qualifiers.values() for key, vals in quals.items()
                             if key != "detail" for q in vals)])
    subjects: dict[str, dict[str, Any]] = {}
    seen: set[tuple[str, str]] = set()
    for row in rows:
        iri = row["subject"]
        entry = subjects.setdefault(iri, {"iri": iri, "label": row["subject_label"] or compact_iri(iri),
                                          "kinds": [], **{a: {"state": "none", "answers": []} for a in ASPECTS}})
        kind = row["kind"]
        if kind and kind not in entry["kinds"]:
            entry["kinds"].append(kind)
        aspect, period = row["aspect"], row["period"]
        if not aspect or (aspect, period) in seen:
            continue
        seen.add((aspect, period))
        entry[aspect]["state"] = row["state"]
        quals = qualifiers.get(period, {})
        entry[aspect]["answers"].append({
            "rank": row["rank"],
            "period": period,
            "value": ref(row["value"], labels),
            "who": [ref(x, labels) for x in row["who"].split()],
            "since": row["since"] or "",
            "since_kind": row["since_kind"] or "",
            "until": row["until"] or "",
            "last_reported": row["last_reported"] or "",
            "qualifiers": {key: (vals if key == "detail" else [ref(v, labels) for v in vals])
                           for key, vals in quals.items()},
            "sources": row["sources"].split(),
        })
    return subjects


def _status_qualifiers(graph: Graph, periods: Sequence[str]) -> dict[str, dict[str, list[str]]]:
    """period -> {"into", "traffic", "commodities", "conditions", "detail"}: the qualifiers of
    its claims (they agree: qualifiers are part of the value the resolution compares)."""
    supported = graph.describe(periods, [BK + "supportedBy"])
    claims = {p: all_of(props, BK + "supportedBy") for p, props in supported.items()}
    props = graph.describe([c for cs in claims.values() for c in cs], STATUS_QUALIFIERS)
    names = dict(zip(STATUS_QUALIFIERS, ("into", "traffic", "commodities", "conditions", "detail"), strict=True))
    out: dict[str, dict[str, list[str]]] = {}
    for period, members in claims.items():
        found: dict[str, list[str]] = {}
        for claim in members:
            for predicate, name in names.items():
                for value in all_of(props.get(claim, {}), predicate):
                    if value not in found.setdefault(name, []):
                        found[name].append(value)
        out[period] = {name: sorted(values) for name, values in found.items() if values}
    return out


def status_board(graph: Graph, as_of: str, include_all: bool = False) -> dict[str, Any]:
    """Every official crossing (every crossing with ``include_all``) with the resolved answer of
    each aspect on ``as_of``: who holds it, who was seen there, open or closed and by whom."""
    board = []
    for entry in resolved(graph, as_of).values():
        official = OFFICIAL in entry["kinds"]
        if not (official or include_all):
            continue
        board.append({"iri": entry["iri"], "label": entry["label"], "official": official,
                      "kind": ref(entry["kinds"][0] if entry["kinds"] else None, graph.labels(entry["kinds"])),
                      **{aspect: entry[aspect] for aspect in ("control", "presence", "status")}})
    return attach_sources(graph, {"as_of": as_of, "known_at": graph.known_at, "crossings": board})


#: claim properties an explained answer shows
_CLAIM_PROPS = [RDF_TYPE, RDFS_LABEL, BK + "validFrom", BK + "validFromPrecision", BK + "observedOn",
                BK + "observedOnPrecision", BK + "validUntil", BK + "validUntilPrecision", BK + "effectiveUntil",
                BK + "endReason", BK + "supersededBy", BK + "controller", BK + "controlLevel",
                BK + "crossingStatus", BK + "imposedBy", BK + "alignment", BK + "rank",
                BK + "deprecationReason", PROV_SOURCE]
_CLAIM_ASPECT = {BK + "ControlClaim": "control", BK + "CrossingStatusClaim": "status",
                 BK + "AlignmentClaim": "alignment"}


def explained_claims(graph: Graph, subject: str, as_of: str, links: Sequence[str]) -> list[dict[str, Any]]:
    """Every control, status or alignment claim about ``subject`` (through ``links``) that
    started on or before ``as_of``, with what the resolution made of it by then: it counts,
    it was superseded (by which claim, from which date and source), it expired, it ended as
    its source said, or it is deprecated. Never hidden: this is the "why" under an answer."""
    claims = sorted({s for s, _p, _o in graph.referrers([subject], links)})
    props = graph.describe(claims, _CLAIM_PROPS)
    later = [t.value for p in props.values() for t in p.get(BK + "supersededBy", [])]
    later_props = graph.describe(later, [BK + "validFrom", BK + "validFromPrecision", BK + "observedOn",
                                         BK + "observedOnPrecision", RDFS_LABEL, PROV_SOURCE])
    details = graph.claim_details(claims)
    out = []
    for claim in claims:
        p = props.get(claim, {})
        aspect = next((_CLAIM_ASPECT[t] for t in all_of(p, RDF_TYPE) if t in _CLAIM_ASPECT), None)
        start = first(p, BK + "validFrom") or first(p, BK + "observedOn")
        if aspect is None or (start is not None and start > as_of):
            continue
        if aspect == "control" and first(p, BK + "controlLevel") == VOCAB + "Presence":
            aspect = "presence"
        observed = first(p, BK + "validFrom") is None and first(p, BK + "observedOn") is not None
        ended = first(p, BK + "effectiveUntil")
        reason = first(p, BK + "endReason")
        if first(p, BK + "rank") == VOCAB + "DeprecatedRank":
            fate = "deprecated"
        elif ended is None or as_of < ended:
            fate = "counts"
        else:
            fate = {VOCAB + "Superseded": "superseded", VOCAB + "Expired": "expired"}.get(reason or "", "ended")
        by = first(p, BK + "supersededBy")
        bp = later_props.get(by or "", {})
        out.append({
            "claim": claim, "aspect": aspect, "label": first(p, RDFS_LABEL) or compact_iri(claim),
            "value": first(p, BK + "controlLevel") if aspect in ("control", "presence")
            else first(p, BK + "crossingStatus") or first(p, BK + "alignment"),
            "who": first(p, BK + "controller") or first(p, BK + "imposedBy"),
            "since": graph.show_date(p, BK + "validFrom", BK + "validFromPrecision")
            or graph.show_date(p, BK + "observedOn", BK + "observedOnPrecision"),
            "since_kind": "reported" if observed else "since",
            "until": graph.show_date(p, BK + "validUntil", BK + "validUntilPrecision"),
            "fate": fate, "effective_until": ended,
            "superseded_by": None if not by else {
                "iri": by, "label": first(bp, RDFS_LABEL) or compact_iri(by),
                "since": graph.show_date(bp, BK + "validFrom", BK + "validFromPrecision")
                or graph.show_date(bp, BK + "observedOn", BK + "observedOnPrecision"),
                "sources": all_of(bp, PROV_SOURCE)},
            "deprecation_reason": first(p, BK + "deprecationReason"),
            "sources": all_of(p, PROV_SOURCE), **details.get(claim, {}),
        })
    labels = graph.labels([x for c in out for x in (c["value"], c["who"]) if x])
    for c in out:
        c["value"], c["who"] = ref(c["value"], labels), ref(c["who"], labels)
    out.sort(key=lambda c: (ASPECTS.index(c["aspect"]), _sortable(c["since"]), c["claim"]))
    return out


def _sortable(shown: str) -> str:
    """A date as shown ("late-2024-11", "<=2024-11-30") as its ISO part, for sorting."""
    return "".join(ch for ch in shown if ch.isdigit() or ch == "-").lstrip("-")


# ---------------------------------------------------------------------------- crossing card


def crossing_card(graph: Graph, entity: Entity, as_of: str, events: int = CARD_EVENTS) -> dict[str, Any]:
    iri = entity.iri
    card = graph.entity_header(entity)
    card["as_of"] = as_of
    card["known_at"] = graph.known_at
    props = graph.describe([iri], [BK + "onBorder", BK + "partOfCrossing", BK + "hasSide"])[iri]
    gates = [s for s, _p, _o in graph.referrers([iri], [BK + "partOfCrossing"])]
    sides = all_of(props, BK + "hasSide")
    side_props = graph.describe(sides, [BK + "sideCountry", BK + "sideRegion", BK + "sideSettlement",
                                        BK + "sideGate", PROV_SOURCE, BK + "note"])
    # ---- who holds it, open or closed: the resolution, and the claims behind it
    answers = resolved(graph, as_of, about=iri).get(iri, {})
    # ---- trade and commodities, latest events
    trade = trade_rows(graph, iri, as_of)
    timeline = graph.library("timeline", place=iri)
    recent = [r for r in timeline if text(r["kind"]) == "event" and text(r["date"]) <= as_of]
    recent.sort(key=lambda r: (text(r["date"]), text(r["item"])), reverse=True)
    labelled = ([*all_of(props, BK + "onBorder"), *all_of(props, BK + "partOfCrossing"), *gates]
                + [v for s in side_props.values() for k, vs in s.items() if k != PROV_SOURCE and k != BK + "note"
                   for v in (t.value for t in vs)]
                + [text(r["type"]) for r in recent] + [a for r in recent for a in split(r["about"])])
    labels = graph.labels(labelled)
    official = OFFICIAL in entity.types
    card.update({
        "official": official,
        "border": ref(first(props, BK + "onBorder"), labels),
        "part_of_crossing": ref(first(props, BK + "partOfCrossing"), labels),
        "gates": [ref(g, labels) for g in gates],
        "sides": [_side(side, side_props.get(side, {}), labels) for side in sides],
        **{aspect: answers.get(aspect, {"state": "none", "answers": []})
           for aspect in ("control", "presence", "status")},
        "claims": explained_claims(graph, iri, as_of, [BK + "place", BK + "crossing"]),
        "trade": trade,
        "events": [_event_row(r, labels) for r in (recent[:events] if events else recent)],
        "events_total": len(recent),
    })
    card["sides"].sort(key=lambda s: (s["country"] or {}).get("label", "") != "Myanmar")
    return attach_sources(graph, card)


def _side(side: str, props: dict[str, list[Term]], labels: dict[str, str]) -> dict[str, Any]:
    return {
        "iri": side,
        "country": ref(first(props, BK + "sideCountry"), labels),
        "regions": [ref(v, labels) for v in all_of(props, BK + "sideRegion")],
        "settlements": [ref(v, labels) for v in all_of(props, BK + "sideSettlement")],
        "gates": [ref(v, labels) for v in all_of(props, BK + "sideGate")],
        "notes": all_of(props, BK + "note"),
        "sources": all_of(props, PROV_SOURCE),
    }


def _event_row(row: dict[str, Term | None], labels: dict[str, str]) -> dict[str, Any]:
    return {
        "iri": text(row["item"]),
        "label": text(row["label"]),
        "type": ref(text(row["type"]) or None, labels),
        "date": text(row["date"]) or None,
        "when": text(row["when"]),
        "about": [ref(a, labels) for a in split(row["about"])],
        "sources": split(row["sources"]),
    }


def trade_rows(graph: Graph, crossing: str, as_of: str) -> list[dict[str, Any]]:
    """The library's trade-and-commodities rows for one crossing, as of a date; a claim naming
    several commodities (one row each) becomes one entry."""
    rows = graph.library("trade-and-commodities", crossing=crossing, as_of=as_of)
    iris = [text(r[c]) for r in rows for c in ("kind", "commodity", "flow_status", "unit", "exactness",
                                               "from_actor", "to_actor", "reported_by", "attribution")]
    labels = graph.labels(i for i in iris if i)
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        claim = text(row["claim"])
        value = row["value"]
        entry = out.setdefault(claim, {
            "claim": claim,
            "kind": "trade figure" if text(row["kind"]).endswith("TradeFigureClaim") else "commodity flow",
            "value": None if value is None else value.python,
            "unit": ref(text(row["unit"]) or None, labels),
            "exactness": ref(text(row["exactness"]) or None, labels),
            "quantity_text": text(row["quantity_text"]) or None,
            "when": text(row["when"]),
            "commodities": [],
            "flow_status": ref(text(row["flow_status"]) or None, labels),
            "from": ref(text(row["from_actor"]) or None, labels),
            "to": ref(text(row["to_actor"]) or None, labels),
            "reported_by": ref(text(row["reported_by"]) or None, labels),
            "attribution": ref(text(row["attribution"]) or None, labels),
            "sources": split(row["sources"]),
        })
        commodity = ref(text(row["commodity"]) or None, labels)
        if commodity and commodity not in entry["commodities"]:
            entry["commodities"].append(commodity)
    return list(out.values())


# ---------------------------------------------------------------------------- place card


#: ``bk:partOf`` chains shown on a place card: at most this many, each at most this long. The
#: graph may hold anything (a diamond 29 levels deep has 2^29 paths; a chain 1,500 long).
MAX_CHAINS = 32
MAX_CHAIN_LENGTH = 64
PART_OF_EDGES = """SELECT ?x ?up WHERE { %s ?start <%spartOf>* ?x . ?x <%spartOf> ?up . FILTER (isIRI(?up)) }"""


class Chains(list):  # type: ignore[type-arg]
    """Chains of places, and whether :data:`MAX_CHAINS` or :data:`MAX_CHAIN_LENGTH` cut them."""

    truncated = False


def _chains(graph: Graph, start: str) -> Chains:
    """Every bk:partOf path upwards from ``start`` (Kanpiketi → Kachin State → Myanmar), up to
    the caps: one query for every edge above ``start``, then an iterative walk."""
    parents: dict[str, list[str]] = {}
    for row in graph.select(PART_OF_EDGES % (values_block("start", [start]), BK, BK)):
        parents.setdefault(text(row["x"]), []).append(text(row["up"]))
    for ups in parents.values():
        ups.sort()
    chains = Chains()
    path: list[str] = []
    stack = [iter(parents.get(start, []))]
    while stack:
        up = next(stack[-1], None)
        if up is None:
            stack.pop()
            if path:
                path.pop()
            continue
        if up in path or up == start:
            continue
        path.append(up)
        ups = [u for u in parents.get(up, []) if u not in path and u != start]
        if not ups or len(path) >= MAX_CHAIN_LENGTH:
            chains.append(list(path))
            chains.truncated = chains.truncated or bool(ups)
            path.pop()
            if len(chains) >= MAX_CHAINS:
                chains.truncated = chains.truncated or any(next(level, None) is not None for level in stack)
                break
            continue
        stack.append(iter(ups))
    # keep only maximal chains (a direct partOf that another chain passes through is implied)
    kept = Chains(c for c in chains if not any(c != d and set(c) < set(d) and c[-1] == d[-1] for d in chains))
    kept.truncated = chains.truncated
    return kept


def place_card(graph: Graph, entity: Entity, as_of: str, events: int = CARD_EVENTS) -> dict[str, Any]:
    iri = entity.iri
    card = graph.entity_header(entity)
    card["as_of"] = as_of
    card["known_at"] = graph.known_at
    props = graph.describe([iri], [BK + "capitalOf", BK + "locatedAt", BK + "onRouteTo",
                                   GEO + "hasGeometry", BK + "produces"])[iri]
    chains = _chains(graph, iri)
    children = sorted({s for s, _p, _o in graph.referrers([iri], [BK + "partOf", BK + "locatedAt"])})
    geometries = all_of(props, GEO + "hasGeometry")
    geo_props = graph.describe(geometries, [GEO + "asWKT", BK + "coordinatePrecision", PROV_SOURCE])
    side_refs = graph.referrers([iri], [BK + "sideSettlement", BK + "sideRegion", BK + "sideGate"])
    crossings = sorted({s for s, _p, _o in graph.referrers([s for s, _p, _o in side_refs], [BK + "hasSide"])})
    answers = resolved(graph, as_of, about=iri).get(iri, {})
    timeline = graph.library("timeline", place=iri)
    recent = [r for r in timeline if text(r["kind"]) == "event" and text(r["date"]) <= as_of]
    recent.sort(key=lambda r: (text(r["date"]), text(r["item"])), reverse=True)
    labels = graph.labels([*(x for c in chains for x in c), *children, *crossings,
                           *all_of(props, BK + "capitalOf"), *all_of(props, BK + "locatedAt"),
                           *all_of(props, BK + "onRouteTo"), *all_of(props, BK + "produces"),
                           *(t.value for g in geo_props.values() for t in g.get(BK + "coordinatePrecision", [])),
                           *(text(r["type"]) for r in recent), *(a for r in recent for a in split(r["about"]))])
    card.update({
        "kinds": sorted(entity.kinds),
        "part_of": [[ref(x, labels) for x in chain] for chain in chains],
        "part_of_truncated": chains.truncated,
        "capital_of": [ref(x, labels) for x in all_of(props, BK + "capitalOf")],
        "located_at": [ref(x, labels) for x in all_of(props, BK + "locatedAt")],
        "on_route_to": [ref(x, labels) for x in all_of(props, BK + "onRouteTo")],
        "produces": [ref(x, labels) for x in all_of(props, BK + "produces")],
        "contains": [ref(x, labels) for x in children],
        "coordinates": [{"wkt": first(g, GEO + "asWKT"),
                         "precision": ref(first(g, BK + "coordinatePrecision"), labels),
                         "sources": all_of(g, PROV_SOURCE)} for g in geo_props.values()],
        "crossings": [ref(x, labels) for x in crossings],
        **{aspect: answers.get(aspect, {"state": "none", "answers": []}) for aspect in ("control", "presence")},
        "claims": explained_claims(graph, iri, as_of, [BK + "place"]),
        "events": [_event_row(r, labels) for r in (recent[:events] if events else recent)],
        "events_total": len(recent),
    })
    return attach_sources(graph, card)


# ---------------------------------------------------------------------------- actor card


def actor_card(graph: Graph, entity: Entity, as_of: str, events: int = CARD_EVENTS) -> dict[str, Any]:
    iri = entity.iri
    card = graph.entity_header(entity)
    card["as_of"] = as_of
    card["known_at"] = graph.known_at
    props = graph.describe([iri], [BK + "partOfOrganization", BK + "headquarters"])[iri]
    organs = [s for s, _p, _o in graph.referrers([iri], [BK + "partOfOrganization"])]
    posts = [s for s, _p, _o in graph.referrers([iri, *organs], [BK + "postIn"])]
    held_posts = [s for s, _p, _o in graph.referrers([iri], [BK + "holder"])]
    post_props = graph.describe([*posts, *held_posts], [BK + "holder", BK + "postIn", PROV_SOURCE])
    # ---- alignment: the resolved answer, and the claims behind it
    alignment = resolved(graph, as_of, about=iri).get(iri, {}).get("alignment", {"state": "none", "answers": []})
    alignment_claims = explained_claims(graph, iri, as_of, [BK + "actor"])
    # ---- holdings, events, relations: the library
    holdings = graph.library("holdings-as-of", actor=iri, as_of=as_of)
    actor_events = [r for r in graph.library("events-by-actor", actor=iri) if text(r["date"]) <= as_of]
    relations = [r for r in graph.library("china-armed-group-relations", state=iri)
                 if text(r["date"]) <= as_of]
    side = {iri, *organs, *(t.value for p in post_props.values() for t in p.get(BK + "holder", []))}
    labels = graph.labels([
        *all_of(props, BK + "partOfOrganization"), *all_of(props, BK + "headquarters"), *organs, *posts,
        *held_posts, *(t.value for p in held_posts for t in post_props.get(p, {}).get(BK + "postIn", [])),
        *(t.value for p in post_props.values() for t in p.get(BK + "holder", [])),
        *(text(r["control_level"]) for r in holdings),
        *(x for r in actor_events for x in (text(r["type"]), text(r["via"]), *split(r["places"]))),
        *(x for r in relations for x in (text(r["relation"]), text(r["from"]), text(r["to"]),
                                         text(r["outcome"]), *split(r["through"])))])
    rel_out = []
    for r in relations:
        relation = text(r["relation"])
        outgoing = text(r["from"]) in side
        other = text(r["to"]) if outgoing else text(r["from"])
        verbs = RELATIONS.get(relation, (labels.get(relation, "?"), labels.get(relation, "?") + " by"))
        rel_out.append({
            "relation": verbs[0] if outgoing else verbs[1],
            "type": ref(relation, labels),
            "direction": "from" if outgoing else "to",
            "other": ref(other or None, labels),
            "through": [ref(x, labels) for x in split(r["through"])],
            "demand": text(r["demand"]) or None,
            "outcome": ref(text(r["outcome"]) or None, labels),
            "date": text(r["date"]) or None,
            "when": text(r["when"]),
            "event": {"iri": text(r["event"]), "label": text(r["label"])},
            "sources": split(r["sources"]),
        })
    event_rows = [{
        "iri": text(r["event"]), "label": text(r["label"]), "type": ref(text(r["type"]) or None, labels),
        "role": text(r["role"]), "via": ref(text(r["via"]) or None, labels),
        "date": text(r["date"]) or None, "when": text(r["when"]),
        "places": [ref(x, labels) for x in split(r["places"])], "sources": split(r["sources"]),
    } for r in actor_events]
    card.update({
        "part_of": [ref(x, labels) for x in all_of(props, BK + "partOfOrganization")],
        "organs": [ref(x, labels) for x in organs],
        "headquarters": [ref(x, labels) for x in all_of(props, BK + "headquarters")],
        "posts": [{"post": ref(p, labels),
                   "holders": [ref(h, labels) for h in all_of(post_props.get(p, {}), BK + "holder")],
                   "sources": all_of(post_props.get(p, {}), PROV_SOURCE)} for p in posts],
        "holds_posts": [{"post": ref(p, labels),
                         "in": [ref(o, labels) for o in all_of(post_props.get(p, {}), BK + "postIn")],
                         "sources": all_of(post_props.get(p, {}), PROV_SOURCE)} for p in held_posts],
        "alignment": alignment,
        "claims": alignment_claims,
        "holds": [{"place": {"iri": text(r["place"]), "label": text(r["place_label"]) or compact_iri(text(r["place"]))},
                   "level": ref(text(r["control_level"]) or None, labels), "since": text(r["since"]),
                   "since_kind": text(r["since_kind"]), "until": text(r["until"]),
                   "last_reported": text(r["last_reported"]), "state": text(r["state"]),
                   "period": text(r["period"]), "sources": split(r["sources"])}
                  for r in holdings],
        "relations": rel_out,
        "events": list(reversed(event_rows))[:events] if events else list(reversed(event_rows)),
        "events_total": len(event_rows),
    })
    return attach_sources(graph, card)


# ---------------------------------------------------------------------------- timeline

_CLAIM_LINKS = [BK + "controller", BK + "actor", BK + "imposedBy", BK + "reportedBy", BK + "flowFrom",
                BK + "flowTo", BK + "about", BK + "alignedWith", BK + "inSupportOf"]
_CLAIM_TYPES = {BK + t for t in ("Claim", "ControlClaim", "CrossingStatusClaim", "AlignmentClaim",
                                 "TradeFigureClaim", "CommodityFlowClaim", "Assessment")}


def timeline(graph: Graph, entity: Entity) -> dict[str, Any]:
    """Events and claims about a place or crossing (the library's ``timeline``) or an actor
    (``events-by-actor`` plus the claims naming it). A state that is also a country (China)
    gets the actor's timeline: what it did, not everything that happened on its soil."""
    iri = entity.iri
    items: dict[str, dict[str, Any]] = {}
    about_iris: list[str] = []
    if "actor" not in entity.kinds:
        for r in graph.library("timeline", place=iri):
            about = split(r["about"])
            about_iris += about
            items[text(r["item"])] = {
                "iri": text(r["item"]), "kind": text(r["kind"]), "type": text(r["type"]),
                "label": text(r["label"]), "date": text(r["date"]) or None, "when": text(r["when"]),
                "until": text(r["until"]), "rank": text(r["rank"]) or None, "role": None,
                "ended": text(r["ended"]) or None, "end_reason": text(r["end_reason"]) or None,
                "superseded_by": text(r["superseded_by"]) or None,
                "about": about, "sources": split(r["sources"])}
    if "actor" in entity.kinds:
        for r in graph.library("events-by-actor", actor=iri):
            item = items.setdefault(text(r["event"]), {
                "iri": text(r["event"]), "kind": "event", "type": text(r["type"]),
                "label": text(r["label"]), "date": text(r["date"]) or None, "when": text(r["when"]),
                "until": "", "rank": None, "role": None, "ended": None, "end_reason": None,
                "superseded_by": None, "about": [], "sources": split(r["sources"])})
            item["role"] = ", ".join(sorted({*filter(None, (item["role"] or "").split(", ")), text(r["role"])}))
        claims = sorted({s for s, _p, _o in graph.referrers([iri], _CLAIM_LINKS)})
        c_props = graph.describe(claims, [
            RDF_TYPE, RDFS_LABEL, BK + "validFrom", BK + "validFromPrecision", BK + "observedOn",
            BK + "observedOnPrecision", BK + "periodStart", BK + "validUntil", BK + "validUntilPrecision",
            BK + "rank", BK + "effectiveUntil", BK + "endReason", BK + "supersededBy", PROV_SOURCE])
        for claim, p in c_props.items():
            types = [t for t in all_of(p, RDF_TYPE) if t in _CLAIM_TYPES]
            if not types or claim in items:
                continue
            if first(p, BK + "validFrom"):
                date, when = first(p, BK + "validFrom"), graph.show_date(p, BK + "validFrom", BK + "validFromPrecision")
            elif first(p, BK + "observedOn"):
                date, when = first(p, BK + "observedOn"), graph.show_date(p, BK + "observedOn", BK + "observedOnPrecision")
            else:
                date = first(p, BK + "periodStart")
                when = date or ""
            items[claim] = {
                "iri": claim, "kind": "claim", "type": types[0], "label": first(p, RDFS_LABEL) or "",
                "date": date, "when": when,
                "until": graph.show_date(p, BK + "validUntil", BK + "validUntilPrecision"),
                "rank": first(p, BK + "rank"), "role": None, "ended": first(p, BK + "effectiveUntil"),
                "end_reason": first(p, BK + "endReason"), "superseded_by": first(p, BK + "supersededBy"),
                "about": [iri], "sources": all_of(p, PROV_SOURCE)}
    rows = sorted(items.values(), key=lambda i: (i["date"] or "", i["kind"], i["iri"]))
    labels = graph.labels([*(i["type"] for i in rows), *(i[k] for i in rows for k in ("rank", "end_reason") if i[k]),
                           *(a for i in rows for a in i["about"])])
    for item in rows:
        item["type"] = ref(item["type"] or None, labels)
        item["rank"] = ref(item["rank"], labels)
        item["end_reason"] = ref(item["end_reason"], labels)
        item["about"] = [ref(a, labels) for a in item["about"]]
    card = graph.entity_header(entity)
    card["items"] = rows
    return attach_sources(graph, card)


# ---------------------------------------------------------------------------- search


def search(graph: Graph, text_: str, kinds: Sequence[str] | None = None,
           limit: int | None = None) -> dict[str, Any]:
    matches = graph.names.search(text_, kinds)
    if limit is not None:
        matches = matches[:limit]
    return {"query": text_, "results": [{
        "iri": m.entity.iri, "label": m.entity.label, "type": m.entity.type_label,
        "kinds": sorted(m.entity.kinds), "matched": m.matched, "match": m.how, "score": m.score,
    } for m in matches]}


__all__ = ["Graph", "LookupFailed", "actor_card", "crossing_card", "place_card", "search",
           "status_board", "timeline"]
