"""The derived layer: the resolution of the claims, written into the store as triples.

The hand-written graph holds claims; :mod:`kg.resolution` holds the rules. This module reads the
claims of a pyoxigraph store (a few set-based queries, no per-claim lookups), resolves them and
adds what the rules derive:

- on each control, status and alignment claim: ``bk:effectiveUntil``, ``bk:endReason`` and, when
  a later claim ended it, ``bk:supersededBy``;
- one ``bk:ResolvedPeriod`` node per period: ``bk:periodOf``, ``bk:aspect``, the value
  (``bk:resolvedHolder``/``bk:resolvedLevel``, ``bk:resolvedStatus``/``bk:resolvedImposer``,
  ``bk:resolvedAlignment``), ``bk:resolvedFrom``/``bk:resolvedUntil`` with precisions,
  ``bk:startObserved``, ``bk:endReason``/``bk:endedBy``, ``bk:lastReported`` (+ precision, +
  ``bk:lastReportedBy``), ``bk:evidenceScore`` and ``bk:supportedBy`` each claim.

Why materialized rather than computed in every query: the rules (supersession, horizons,
confirmation) are easy to state in Python and hard in SPARQL, and a query over periods is a
set-based filter that stays fast at a million triples. The derived triples are never written to
``data/``: they are rebuilt whenever the store is (they are part of the store cache's key through
:func:`settings_key`), included in ``kg export``, and a test rebuilds them.

``--known-at K`` is a view, not a second implementation: :func:`forget_unknown` drops the claims
and events no source known at K supports, then the same build runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from kg.namespaces import ONTOLOGY, PREFIXES, VOCAB
from kg.resolution import ASPECTS, EXPIRED, STATED, SUPERSEDED, Claim, Period, evidence_score, resolve

#: Bump when the rules or the derived triples change meaning: it is part of the store cache key.
RESOLUTION_VERSION = "2"
#: ``aspect=days`` pairs that override the horizons of the vocabulary (``status=60,control=180``).
HORIZONS_VARIABLE = "BORDER_KG_HORIZONS"

BK = ONTOLOGY
XSD = PREFIXES["xsd"]
RDF_TYPE = PREFIXES["rdf"] + "type"
DAY = VOCAB + "Day"
NOT_AFTER = VOCAB + "NotAfter"
PRESENCE = VOCAB + "Presence"
CONTESTED = VOCAB + "Contested"
ASPECT_CONCEPTS = {
    "control": VOCAB + "ControlAspect",
    "presence": VOCAB + "PresenceAspect",
    "status": VOCAB + "OpenClosedAspect",
    "alignment": VOCAB + "AlignmentAspect",
}
REASON_CONCEPTS = {STATED: VOCAB + "StatedEnd", SUPERSEDED: VOCAB + "Superseded", EXPIRED: VOCAB + "Expired"}

_PREFIXES = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())

#: the time, sourcing and rank of a claim: the same block in every aspect's query
_COMMON = """
  OPTIONAL { ?claim bk:validFrom ?from OPTIONAL { ?claim bk:validFromPrecision ?from_precision } }
  OPTIONAL { ?claim bk:observedOn ?observed OPTIONAL { ?claim bk:observedOnPrecision ?observed_precision } }
  OPTIONAL { ?claim bk:validUntil ?until OPTIONAL { ?claim bk:validUntilPrecision ?until_precision } }
  OPTIONAL { ?claim bk:attribution ?attribution }
  OPTIONAL { ?claim bk:basis ?basis }
  OPTIONAL { ?claim prov:wasDerivedFrom ?source }
  OPTIONAL { ?claim bk:supersedes ?supersedes }
  OPTIONAL { ?claim bk:rank ?rank }
  FILTER (!BOUND(?rank) || ?rank != bkv:DeprecatedRank)
"""
_COLUMNS = ("?claim ?subject ?from ?from_precision ?observed ?observed_precision ?until ?until_precision "
            "?attribution ?basis ?source ?supersedes")

#: aspect -> (the claim's own pattern, its value columns); one row per claim and source
CLAIM_QUERIES: dict[str, tuple[str, str]] = {
    "control": ("""
  ?claim a bk:ControlClaim ; bk:place ?subject ; bk:controller ?v1 .
  OPTIONAL { ?claim bk:controlLevel ?v2 }""", "?v1 ?v2"),
    "status": ("""
  ?claim a bk:CrossingStatusClaim ; bk:crossing ?subject ; bk:crossingStatus ?v1 .
  OPTIONAL { ?claim bk:imposedBy ?v2 }
  OPTIONAL { ?claim bk:trafficInto ?v3 }
  OPTIONAL { ?claim bk:traffic ?v4 }
  OPTIONAL { ?claim bk:commodity ?v5 }
  OPTIONAL { ?claim bk:condition ?v6 }""", "?v1 ?v2 ?v3 ?v4 ?v5 ?v6"),
    "alignment": ("""
  ?claim a bk:AlignmentClaim ; bk:actor ?subject ; bk:alignment ?v1 .
  OPTIONAL { ?claim bk:alignedWith ?v2 }""", "?v1 ?v2"),
}

SOURCES_QUERY = _PREFIXES + """
SELECT ?source ?issued ?issued_precision ?accessed ?added ?quality_order WHERE {
  { SELECT DISTINCT ?source WHERE { ?x prov:wasDerivedFrom ?source } }
  OPTIONAL { ?source dcterms:issued ?issued OPTIONAL { ?source bk:issuedPrecision ?issued_precision } }
  OPTIONAL { ?source bk:accessedOn ?accessed }
  OPTIONAL { ?source bk:addedOn ?added }
  OPTIONAL { ?source bk:sourceQuality/bk:rankOrder ?quality_order }
}"""
CONCEPTS_QUERY = _PREFIXES + """
SELECT ?concept ?order ?unnamed ?partisan ?horizon WHERE {
  ?concept skos:inScheme ?scheme .
  VALUES ?scheme { bkv:BasisScheme bkv:AttributionScheme bkv:AspectScheme }
  OPTIONAL { ?concept bk:rankOrder ?order }
  OPTIONAL { ?concept bk:isUnnamed ?unnamed }
  OPTIONAL { ?concept bk:isPartisan ?partisan }
  OPTIONAL { ?concept bk:observationHorizonDays ?horizon }
}"""


class SettingsError(ValueError):
    """A malformed ``BORDER_KG_HORIZONS``. One line."""


def horizon_overrides() -> dict[str, int]:
    """``BORDER_KG_HORIZONS`` as ``{aspect: days}`` (``status=60,control=180``)."""
    text = os.environ.get(HORIZONS_VARIABLE, "").strip()
    found: dict[str, int] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, days = item.partition("=")
        name = name.strip()
        if not sep or name not in ASPECTS or not days.strip().isdigit():
            raise SettingsError(f"{HORIZONS_VARIABLE}: expected ASPECT=DAYS pairs for aspects "
                                f"{', '.join(ASPECTS)} (e.g. status=60,control=180), got {item!r}")
        found[name] = int(days)
    return found


def settings_key() -> str:
    """What, besides the graph files, decides the derived triples (for the store cache key)."""
    overrides = ",".join(f"{k}={v}" for k, v in sorted(horizon_overrides().items()))
    return f"resolution {RESOLUTION_VERSION} {overrides}"


def add_resolution(store: Any) -> int:
    """Derive the resolution of ``store``'s claims and add it to the store; the triple count."""
    quads = list(derived_quads(store))
    store.extend(quads)
    return len(quads)


def derived_quads(store: Any) -> Iterator[Any]:
    """The derived triples (pyoxigraph quads in the default graph) for ``store``'s claims."""
    import pyoxigraph as ox

    concepts = _concepts(store)
    horizons = {aspect: concepts["horizon"].get(ASPECT_CONCEPTS[aspect], 0) for aspect in ASPECTS}
    horizons.update(horizon_overrides())
    claims = list(read_claims(store, concepts))
    resolution = resolve(claims, horizons)

    def node(iri: str) -> Any:
        return ox.NamedNode(iri)

    def date(iso: str) -> Any:
        return ox.Literal(iso, datatype=ox.NamedNode(XSD + "date"))

    def quad(s: str, p: str, o: Any) -> Any:
        return ox.Quad(node(s), node(BK + p), o if not isinstance(o, str) else node(o))

    for end in resolution.ends:
        if end.until is not None:
            yield quad(end.claim, "effectiveUntil", date(end.until))
        if end.reason is not None:
            yield quad(end.claim, "endReason", REASON_CONCEPTS[end.reason])
        if end.superseded_by is not None:
            yield quad(end.claim, "supersededBy", end.superseded_by)
    for period in resolution.periods:
        yield from _period_quads(period, quad, date)


def _period_quads(period: Period, quad: Any, date: Any) -> Iterator[Any]:
    import pyoxigraph as ox

    iri = period.iri
    yield ox.Quad(ox.NamedNode(iri), ox.NamedNode(RDF_TYPE), ox.NamedNode(BK + "ResolvedPeriod"))
    yield quad(iri, "periodOf", period.subject)
    yield quad(iri, "aspect", ASPECT_CONCEPTS[period.aspect])
    for claim in period.claims:
        yield quad(iri, "supportedBy", claim)
    if period.aspect in ("control", "presence"):
        for holder in period.holders:
            yield quad(iri, "resolvedHolder", holder)
        level = CONTESTED if period.value == ("contested",) else period.value[1]
        if level:
            yield quad(iri, "resolvedLevel", level)
    elif period.aspect == "status":
        yield quad(iri, "resolvedStatus", period.value[0])
        if period.value[1]:
            yield quad(iri, "resolvedImposer", period.value[1])
    else:
        yield quad(iri, "resolvedAlignment", period.value[0])
    if period.start is not None:
        yield quad(iri, "resolvedFrom", date(period.start))
        yield quad(iri, "resolvedFromPrecision", period.start_precision or DAY)
    yield quad(iri, "startObserved", ox.Literal("true" if period.start_observed else "false",
                                                 datatype=ox.NamedNode(XSD + "boolean")))
    if period.until is not None:
        yield quad(iri, "resolvedUntil", date(period.until))
        yield quad(iri, "resolvedUntilPrecision", period.until_precision or DAY)
    if period.reason is not None:
        yield quad(iri, "endReason", REASON_CONCEPTS[period.reason])
    if period.ended_by is not None:
        yield quad(iri, "endedBy", period.ended_by)
    if period.last_reported is not None:
        yield quad(iri, "lastReported", date(period.last_reported))
        yield quad(iri, "lastReportedPrecision", period.last_reported_precision or DAY)
        yield quad(iri, "lastReportedBy", period.last_reported_by)
    yield quad(iri, "evidenceScore", ox.Literal(str(period.evidence), datatype=ox.NamedNode(XSD + "integer")))


# ---------------------------------------------------------------------------- reading claims


def _concepts(store: Any) -> dict[str, dict[str, Any]]:
    """Rank orders (bases), flags (attributions) and horizons (aspects) from the vocabulary."""
    table: dict[str, dict[str, Any]] = {"order": {}, "unnamed": {}, "partisan": {}, "horizon": {}}
    for row in store.query(CONCEPTS_QUERY):
        concept = row["concept"].value
        for name in table:
            term = row[name]
            if term is None:
                continue
            if name in ("unnamed", "partisan"):
                table[name][concept] = term.value in ("true", "1")
            elif term.value.lstrip("-").isdigit():
                table[name][concept] = int(term.value)
    return table


def _sources(store: Any) -> dict[str, tuple[str | None, str | None, int]]:
    """source -> (report date, its precision, quality strength 0-5)."""
    found: dict[str, tuple[str | None, str | None, int]] = {}
    for row in store.query(SOURCES_QUERY):
        source = row["source"].value
        issued, accessed = _text(row["issued"]), _text(row["accessed"])
        date, precision = (issued, _text(row["issued_precision"])) if issued else (accessed, DAY if accessed else None)
        order = _int(row["quality_order"])
        quality = 6 - order if order else 0
        previous = found.get(source)
        if previous is None or (date or "", quality) > (previous[0] or "", previous[2]):
            found[source] = (date, precision, quality)
    return found


def read_claims(store: Any, concepts: dict[str, dict[str, Any]] | None = None) -> Iterator[Claim]:
    """Every non-deprecated control, status and alignment claim, as :class:`Claim` values."""
    concepts = concepts if concepts is not None else _concepts(store)
    sources = _sources(store)
    for aspect, (pattern, values) in CLAIM_QUERIES.items():
        text = f"{_PREFIXES}SELECT {_COLUMNS} {values} WHERE {{{pattern}\n{_COMMON}}}"
        rows: dict[tuple[str, str], list[Any]] = {}
        for row in store.query(text):
            rows.setdefault((row["claim"].value, row["subject"].value), []).append(row)
        for (iri, subject), claim_rows in sorted(rows.items()):
            yield _claim(aspect, iri, subject, claim_rows, sources, concepts)


def _claim(aspect: str, iri: str, subject: str, rows: list[Any],
           sources: dict[str, tuple[str | None, str | None, int]],
           concepts: dict[str, dict[str, Any]]) -> Claim:
    """One claim from its rows (one per source and multi-valued qualifier)."""
    first = rows[0]

    def values(name: str) -> list[str]:
        return sorted({t.value for row in rows if (t := row[name]) is not None})

    def one(name: str) -> str | None:
        found = values(name)
        return found[0] if found else None

    start, observed = one("from"), False
    start_precision = one("from_precision")
    if start is None and one("observed") is not None:
        start, start_precision, observed = one("observed"), one("observed_precision"), True
    end, end_precision = one("until"), one("until_precision")
    # the latest report: an observation, or a source's publication (else access) date
    reports = [(start, start_precision)] if observed else []
    quality = 0
    for source in values("source"):
        date, precision, strength = sources.get(source, (None, None, 0))
        quality = max(quality, strength)
        if date:
            reports.append((date, precision))
    reported = max(reports, key=lambda r: (r[0] or "", r[1] or "")) if reports else (None, None)
    if aspect == "control":
        holder, level = one("v1") or "", one("v2") or ""
        if level == PRESENCE:
            aspect = "presence"
        value = ("contested",) if level == CONTESTED else (holder, level)
        holders: tuple[str, ...] = (holder,)
    elif aspect == "status":
        value = (one("v1") or "", one("v2") or "", one("v3") or "",
                 " ".join(values("v4")), " ".join(values("v5")), " ".join(values("v6")))
        holders = ()
    else:
        value = (one("v1") or "", one("v2") or "")
        holders = ()
    attribution = one("attribution")
    if attribution is None:
        attribution_strength = 0
    elif concepts["partisan"].get(attribution):
        attribution_strength = 1
    elif concepts["unnamed"].get(attribution):
        attribution_strength = 2
    else:
        attribution_strength = 3
    basis_order = concepts["order"].get(one("basis") or "", 0)
    return Claim(
        iri=iri, aspect=aspect, subject=subject, value=value,
        start=start, start_precision=start_precision, observed=observed,
        end=end, end_precision=end_precision, end_is_bound=end_precision == NOT_AFTER,
        reported=reported[0], reported_precision=reported[1],
        evidence=evidence_score(3 - basis_order if basis_order else 0, attribution_strength, quality),
        holders=holders,
        supersedes=tuple(values("supersedes")),
    )


def _text(term: Any) -> str | None:
    return None if term is None else term.value


def _int(term: Any) -> int:
    try:
        return int(term.value) if term is not None else 0
    except ValueError:
        return 0


# ---------------------------------------------------------------------------- known-at views


KNOWN_QUERY = _PREFIXES + """
SELECT ?item ?source ?added ?issued ?accessed WHERE {
  ?item prov:wasDerivedFrom ?source ; a ?type .
  { ?type rdfs:subClassOf* bk:Claim } UNION { ?type rdfs:subClassOf* bk:Event }
  OPTIONAL { ?source bk:addedOn ?added }
  OPTIONAL { ?source dcterms:issued ?issued }
  OPTIONAL { ?source bk:accessedOn ?accessed }
}"""


def forget_unknown(store: Any, known_at: str) -> int:
    """Remove from ``store`` the claims and events no source known on ``known_at`` supports.

    A source is known from the day it was added (``bk:addedOn``), else published
    (``dcterms:issued``, the stored date), else accessed (``bk:accessedOn``); a source with none
    of these is never known. Returns how many claims and events were removed."""
    import pyoxigraph as ox

    known: dict[str, bool] = {}
    for row in store.query(KNOWN_QUERY):
        item = row["item"].value
        day = _text(row["added"]) or _text(row["issued"]) or _text(row["accessed"])
        known[item] = known.get(item, False) or (day is not None and day <= known_at)
    forgotten = [item for item, is_known in sorted(known.items()) if not is_known]
    for item in forgotten:
        _remove_node(store, ox.NamedNode(item))
    return len(forgotten)


def _remove_node(store: Any, node: Any) -> None:
    """A node's triples, and those of blank nodes only it points to (a quantity)."""
    import pyoxigraph as ox

    for quad in list(store.quads_for_pattern(node, None, None)):
        store.remove(quad)
        if isinstance(quad.object, ox.BlankNode) and not list(store.quads_for_pattern(None, None, quad.object)):
            _remove_node(store, quad.object)


def ntriples(quads: Iterable[Any]) -> bytes:
    """Quads of the default graph as N-Triples (for rdflib and exports)."""
    import pyoxigraph as ox

    return ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES) or b""


# ---------------------------------------------------------------------------- the period table

#: the subjects the board lists: every crossing, with its crossing classes
CROSSING_CLASSES = (BK + "OfficialBorderCrossing", BK + "MinorBorderGate", BK + "BorderCrossing")
ASPECT_NAMES = {concept: name for name, concept in ASPECT_CONCEPTS.items()}
PERIOD_SOURCES_QUERY = _PREFIXES + """
SELECT DISTINCT ?period ?source WHERE { ?period bk:supportedBy ?claim . ?claim prov:wasDerivedFrom ?source }"""
SUBJECT_LABELS_QUERY = _PREFIXES + """
SELECT ?subject ?label WHERE {
  { SELECT DISTINCT ?subject WHERE { { ?period bk:periodOf ?subject } UNION
                                     { VALUES ?kind { %s } ?subject a ?kind } } }
  ?subject skos:prefLabel ?label FILTER (LANGMATCHES(LANG(?label), "en"))
}""" % " ".join(f"<{c}>" for c in CROSSING_CLASSES)
#: one period of the table: what ``status-as-of`` shows of it, and what ranks it
PERIOD_FIELDS = ("period", "aspect", "from", "until", "reported", "score", "since", "since_kind",
                 "until_shown", "last_reported", "value", "who", "sources")


def period_table(store: Any) -> dict[str, Any]:
    """Every resolved period of ``store`` as plain data (JSON), for answering "status as of a
    date" in Python (:func:`kg.lookup.status_rows`) without a query over every period.

    ``{"periods": {subject: [[field, …] in PERIOD_FIELDS order]}, "labels": {subject: English
    prefLabel}, "kinds": {crossing: [its crossing classes]}}``. Dates are ISO strings, display
    strings are written as the query library writes them (``since``: precision prefix and
    the date cut to its display length); ``who`` and ``sources`` are sorted.
    Read from the store's triples by predicate (sequential index scans), so it costs the same
    on disk and in memory; built once with the on-disk store and cached next to it."""
    import pyoxigraph as ox

    def objects(predicate: str) -> Iterator[tuple[str, Any]]:
        for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None):
            yield quad.subject.value, quad.object

    periods = {q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE),
                                                                 ox.NamedNode(BK + "ResolvedPeriod"))}
    attrs: dict[str, dict[str, list[str]]] = {p: {} for p in periods}
    for name in ("periodOf", "aspect", "evidenceScore", "resolvedFrom", "resolvedFromPrecision",
                 "resolvedUntil", "resolvedUntilPrecision", "lastReported", "lastReportedPrecision",
                 "startObserved", "resolvedHolder", "resolvedImposer", "resolvedLevel", "resolvedStatus",
                 "resolvedAlignment"):
        for subject, value in objects(BK + name):
            if subject in attrs:
                attrs[subject].setdefault(name, []).append(value.value)
    sources: dict[str, list[str]] = {}
    for row in store.query(PERIOD_SOURCES_QUERY):
        sources.setdefault(row["period"].value, []).append(row["source"].value)
    displays: dict[str, tuple[str, int]] = {}
    for row in store.query(_PREFIXES + "SELECT ?p ?prefix ?length WHERE { ?p bk:displayPrefix ?prefix ; bk:displayLength ?length }"):
        if row["length"].value.isdigit():
            displays.setdefault(row["p"].value, (row["prefix"].value, int(row["length"].value)))

    def shown(props: dict[str, list[str]], date: str, precision: str) -> str | None:
        """The query library's ``CONCAT(prefix, SUBSTR(date, 1, length))``: "" without a date,
        None (unbound) when the precision has no display."""
        if date not in props:
            return ""
        display = displays.get(min(props.get(precision, [""])))
        return None if display is None else display[0] + min(props[date])[:display[1]]

    table: dict[str, list[list[Any]]] = {}
    for period in sorted(periods):
        props = attrs[period]
        one = lambda name: min(props[name]) if name in props else None  # noqa: E731, B023
        if one("periodOf") is None or one("aspect") not in ASPECT_NAMES or one("evidenceScore") is None:
            continue
        values = sorted({v for name in ("resolvedLevel", "resolvedStatus", "resolvedAlignment")
                         for v in props.get(name, [])}) or [None]
        for value in values:  # several values: one row each, as the query's OPTIONAL gives
            table.setdefault(one("periodOf"), []).append([
                period, ASPECT_NAMES[one("aspect")], one("resolvedFrom"), one("resolvedUntil"),
                one("lastReported") or "", int(one("evidenceScore")),
                shown(props, "resolvedFrom", "resolvedFromPrecision"),
                "reported" if one("startObserved") in ("true", "1") else "since",
                shown(props, "resolvedUntil", "resolvedUntilPrecision"),
                shown(props, "lastReported", "lastReportedPrecision"),
                value,
                sorted({*props.get("resolvedHolder", []), *props.get("resolvedImposer", [])}),
                sorted(set(sources.get(period, []))),
            ])
    kinds: dict[str, list[str]] = {}
    for kind in CROSSING_CLASSES:
        for quad in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(kind)):
            kinds.setdefault(quad.subject.value, []).append(kind)
    labels: dict[str, str] = {}
    for row in store.query(SUBJECT_LABELS_QUERY):
        subject, label = row["subject"].value, row["label"].value
        labels[subject] = min(labels.get(subject, label), label)
    return {"periods": table, "labels": labels, "kinds": {k: sorted(v) for k, v in kinds.items()}}
