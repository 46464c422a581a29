"""ACLED exports read as records, checked row by row, and turned into reports.

ACLED (acleddata.com) codes events, not status; analysts already have its exports. Each row
becomes an event (``bkr:acled-<event_id_cnty>``: the identifier ACLED keeps when it rewrites an
event in place), and the territorial sub-event types also become control claims marked
``derived from an event record`` (the importer's reading: the event's first actor holds its
location from its date; a base established is the first actor's *presence*). The claims are only
derived when ACLED places the event at the location itself (geo_precision 1).

Where each column goes:

=====================================  =====================================================
event_id_cnty                          the event's IRI and ``bk:acledEventId``
event_date, time_precision             ``bk:date``; precision day (1) or around (2, 3)
event_type, sub_event_type             ``bk:eventType``: the concept carrying those ACLED codes
disorder_type, interaction             implied by the event type and the actors' types
actor1, assoc_actor_1                  ``bk:agent`` (``bk:participant`` for an agreement)
actor2, assoc_actor_2                  ``bk:target`` (``bk:participant`` for an agreement)
inter1, inter2                         the class of an actor the graph does not know yet
location, admin1-3, country, iso       ``bk:location``: a place, ``bk:partOf`` its township, its
                                       district (divisions), its state or region, its country
latitude, longitude, geo_precision     the new place's coordinates (geo_precision 1 only)
source, source_scale, tags,            the event's ``bk:note`` ("ACLED's sources: …")
civilian_targeting
notes                                  the event's ``rdfs:comment``
fatalities                             ``bk:fatalities``
timestamp                              ``bk:recordUpdated``; the month's publication date
region                                 not kept (the continent's sub-region)
=====================================  =====================================================

Names go through the resolver the lookups use (exact names and aliases, never a guess): an
actor string ``KIA: Kachin Independence Army`` is tried whole, then as ``Kachin Independence
Army`` and ``KIA``, then without a trailing ``(2021-)``. What the graph does not know is created
(``bkr:acled-actor-…``, ``bkr:acled-place-…``) in one names file per country, and listed, so that
an analyst can map it onto the graph's own entity by adding the ACLED name as an alternative name
in a report; the next import then uses the graph's entity.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kg.errors import KgError
from kg.namespaces import ID, ONTOLOGY
from kg.report_vocabulary import fold
from kg.report_yaml import Node

BK = ONTOLOGY

#: ACLED's sub-event types by event type (acledR's codebook of ACLED's columns)
SUB_EVENT_TYPES: tuple[tuple[str, str], ...] = (
    ("Battles", "Armed clash"),
    ("Battles", "Government regains territory"),
    ("Battles", "Non-state actor overtakes territory"),
    ("Violence against civilians", "Sexual violence"),
    ("Violence against civilians", "Attack"),
    ("Violence against civilians", "Abduction/forced disappearance"),
    ("Explosions/Remote violence", "Chemical weapon"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Suicide bomb"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Explosions/Remote violence", "Grenade"),
    ("Protests", "Peaceful protest"),
    ("Protests", "Protest with intervention"),
    ("Protests", "Excessive force against protesters"),
    ("Riots", "Violent demonstration"),
    ("Riots", "Mob violence"),
    ("Strategic developments", "Agreement"),
    ("Strategic developments", "Arrests"),
    ("Strategic developments", "Change to group/activity"),
    ("Strategic developments", "Disrupted weapons use"),
    ("Strategic developments", "Headquarters or base established"),
    ("Strategic developments", "Looting/property destruction"),
    ("Strategic developments", "Non-violent transfer of territory"),
    ("Strategic developments", "Other"),
)
#: the sub-event types that say who holds a place from the event's date on
TERRITORIAL = {fold(s) for s in ("Non-state actor overtakes territory", "Government regains territory",
                                 "Non-violent transfer of territory")}
BASE_ESTABLISHED = fold("Headquarters or base established")
AGREEMENT = fold("Agreement")

#: the columns an export must have; the others are read when present
REQUIRED = ("event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "country", "location")
KNOWN_COLUMNS = REQUIRED + (
    "time_precision", "disorder_type", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "admin1", "admin2", "admin3", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp", "year",
    "event_id_no_cnty", "data_id", "iso3")

#: ACLED's actor types (inter codes, as numbers in older exports and as words in newer ones)
#: -> the class label of an actor the graph does not know yet
INTER_CLASSES: dict[str, str] = {
    "1": "state armed force", "state forces": "state armed force",
    "2": "armed group", "rebel groups": "armed group", "rebel group": "armed group",
    "3": "armed group", "political militias": "armed group", "political militia": "armed group",
    "4": "armed group", "identity militias": "armed group", "identity militia": "armed group",
    "5": "actor", "rioters": "actor", "6": "actor", "protesters": "actor",
    "7": "actor", "civilians": "actor", "8": "actor", "external other forces": "actor",
}
ACLED_URL = "https://acleddata.com/"
PUBLISHER_ID = "acled"
MAX_FIELD = 10_000  # a cell longer than this is not ACLED's

EVENT_ID = re.compile(r"^[A-Z]{2,4}[0-9]{1,12}$")


@dataclass(frozen=True)
class Row:
    """One ACLED event, checked."""

    line: int
    event_id: str
    date: str  # ISO
    around: bool  # time precision 2 or 3
    event_type: str
    sub_event_type: str
    actors1: tuple[str, ...]  # actor1, then its associated actors
    inter1: str
    actors2: tuple[str, ...]
    inter2: str
    country: str
    admins: tuple[str, ...]  # admin1, admin2, admin3 (the ones given)
    location: str
    point: tuple[float, float] | None  # (lat, lon) when ACLED places the event at the location
    notes: str
    note: str  # sources, scale, tags, civilian targeting
    fatalities: int | None
    updated: str | None  # ISO dateTime (UTC, Z)

    @property
    def country_code(self) -> str:
        return re.match(r"^[A-Z]+", self.event_id).group(0).lower()  # type: ignore[union-attr]

    @property
    def month(self) -> str:
        return self.date[:7]

    @property
    def iri(self) -> str:
        return ID + "acled-" + self.event_id.lower()

    @property
    def claim_iri(self) -> str:
        return self.iri + "-control"


@dataclass
class Export:
    """An export read: its rows, and each malformed row's problem (``line: message``)."""

    rows: list[Row] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    read: int = 0


def read_export(text: str) -> Export:
    """Every row of an ACLED CSV export, checked; a file without ACLED's columns is an error."""
    text = text.removeprefix("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise KgError("the file is empty: an ACLED export starts with its header row") from None
    except csv.Error as error:
        raise KgError(f"line 1: not CSV ({error})") from None
    columns = [fold(c).replace(" ", "_") for c in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise KgError(f"not an ACLED export: no column {', '.join(missing)} in the header (line 1)")
    export = Export()
    seen: dict[str, int] = {}
    end = reader.line_num
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            export.problems.append((start, f"not CSV ({error}); the rest of the file cannot be read"))
            break
        end = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        export.read += 1
        if len(cells) != len(columns):
            export.problems.append((start, f"{len(cells)} cells where the header has {len(columns)}"))
            continue
        values = {column: cell.strip() for column, cell in zip(columns, cells, strict=True)}
        try:
            row = _row(start, values)
        except ValueError as error:
            export.problems.append((start, str(error)))
            continue
        if row.event_id in seen:
            export.problems.append((start, f"event {row.event_id} again (first on line {seen[row.event_id]})"))
            continue
        seen[row.event_id] = start
        export.rows.append(row)
    return export


def _row(line: int, values: dict[str, str]) -> Row:
    """A :class:`Row`, or ``ValueError`` saying what is wrong with the first bad cell."""
    for column, value in values.items():
        if len(value) > MAX_FIELD:
            raise ValueError(f"{column}: {len(value)} characters (at most {MAX_FIELD})")
        if any(ord(c) < 32 and c not in "\n\t" for c in value):
            raise ValueError(f"{column}: control characters")
    for column in REQUIRED:
        if not values.get(column):
            raise ValueError(f"{column} is empty")
    event_id = values["event_id_cnty"]
    if not EVENT_ID.match(event_id):
        raise ValueError(f"event_id_cnty: '{event_id}' is not an ACLED event ID (letters, then digits: MMR12345)")
    date = _date(values["event_date"])
    precision = values.get("time_precision", "") or "1"
    if precision not in ("1", "2", "3"):
        raise ValueError(f"time_precision: '{precision}' (ACLED's are 1, 2 and 3)")
    point = None
    lat, lon = values.get("latitude", ""), values.get("longitude", "")
    if lat or lon:
        try:
            point = (float(lat), float(lon))
        except ValueError:
            raise ValueError(f"latitude, longitude: '{lat}', '{lon}' are not numbers") from None
        if not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
            raise ValueError(f"latitude, longitude: {lat}, {lon} lie outside -90..90, -180..180")
    geo = values.get("geo_precision", "")
    if geo not in ("", "1", "2", "3"):
        raise ValueError(f"geo_precision: '{geo}' (ACLED's are 1, 2 and 3)")
    fatalities = None
    if values.get("fatalities"):
        if not re.fullmatch(r"\d{1,7}", values["fatalities"]):
            raise ValueError(f"fatalities: '{values['fatalities']}' is not a whole number of zero or more")
        fatalities = int(values["fatalities"])
    actors1 = (values["actor1"], *_split(values.get("assoc_actor_1", "")))
    actors2 = tuple(a for a in (values.get("actor2", ""), *_split(values.get("assoc_actor_2", ""))) if a)
    inter1, inter2 = fold(values.get("inter1", "")), fold(values.get("inter2", ""))
    for column, inter in (("inter1", inter1), ("inter2", inter2)):
        if inter and inter not in INTER_CLASSES:
            raise ValueError(f"{column}: '{values[column]}' is not one of ACLED's actor types")
    note = [f"ACLED's sources: {values['source']}" + (f" ({values['source_scale']})" if values.get("source_scale") else "")
            if values.get("source") else ""]
    if values.get("civilian_targeting"):
        note.append(f"civilian targeting: {values['civilian_targeting']}")
    if values.get("tags"):
        note.append(f"ACLED's tags: {values['tags']}")
    return Row(
        line=line, event_id=event_id, date=date, around=precision != "1",
        event_type=values["event_type"], sub_event_type=values["sub_event_type"],
        actors1=actors1, inter1=inter1, actors2=actors2, inter2=inter2,
        country=values["country"],
        admins=tuple(values[c] for c in ("admin1", "admin2", "admin3") if values.get(c)),
        location=values["location"], point=point if geo in ("", "1") else None,
        notes=values.get("notes", ""), note="; ".join(n for n in note if n),
        fatalities=fatalities, updated=_timestamp(values.get("timestamp", "")),
    )


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _date(text: str) -> str:
    """ACLED's dates: ``2024-11-20`` (today's exports), ``20 November 2024`` and ``20-11-2024``."""
    for form in ("%Y-%m-%d", "%d %B %Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, form).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"event_date: '{text}' is not a date (2024-11-20, 20 November 2024 or 20-11-2024)")


def _timestamp(text: str) -> str | None:
    """ACLED's timestamp (Unix seconds, or an ISO date and time) as an ISO UTC dateTime."""
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{1,12}", text):
            moment = dt.datetime.fromtimestamp(int(text), tz=dt.timezone.utc)
        else:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"timestamp: '{text}' is not a Unix time or an ISO date and time") from None
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# ---------------------------------------------------------------------------- event types


class EventTypes:
    """ACLED (event type, sub-event type) -> the event type concept carrying those codes; where
    several carry them, the one whose label is the sub-event type's."""

    QUERY = f"""
    SELECT ?concept ?event ?sub ?label WHERE {{
      ?concept <{BK}acledEventType> ?event ; <{BK}acledSubEventType> ?sub .
      {{ ?concept <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }}
      UNION {{ ?concept <http://www.w3.org/2004/02/skos/core#altLabel> ?label }}
    }}"""

    def __init__(self, rows: Iterable[tuple[str, str, str, str]]) -> None:
        self.codes: dict[tuple[str, str], set[str]] = {}
        self.labels: dict[str, set[str]] = {}
        for concept, event, sub, label in rows:
            self.codes.setdefault((fold(event), fold(sub)), set()).add(concept)
            self.labels.setdefault(concept, set()).add(fold(label))

    @classmethod
    def from_store(cls, store: Any) -> EventTypes:
        return cls((r["concept"].value, r["event"].value, r["sub"].value, r["label"].value)
                   for r in store.query(cls.QUERY))

    def find(self, event_type: str, sub_event_type: str) -> str | None:
        candidates = self.codes.get((fold(event_type), fold(sub_event_type)), set())
        if len(candidates) > 1:
            candidates = {c for c in candidates if fold(sub_event_type) in self.labels.get(c, set())}
            if len(candidates) != 1:
                raise KgError(f"the vocabulary maps ACLED's '{sub_event_type}' onto several event types: "
                              "give exactly one of them that label")
        return next(iter(candidates), None)


# ---------------------------------------------------------------------------- names


@dataclass
class Created:
    """An entity the graph did not know, to be declared in the names report."""

    id: str
    fields: dict[str, Any]
    line: int
    kind: str  # actor, place, region, country, publisher


class Resolver:
    """ACLED's names onto the graph's entities (exact names and aliases only), else new ones."""

    def __init__(self, index: Any, vocab: Any) -> None:
        self.index = index
        self.vocab = vocab  # kg.report_vocabulary.Vocabulary: classes and concept labels
        self.created: dict[str, Created] = {}  # id -> what to declare
        self.cache: dict[tuple[str, ...], str] = {}
        self.problems: list[tuple[int, str]] = []

    # -- the graph's own entities first, then ones earlier imports created, never a guess
    def existing(self, name: str, kind: str, prefer: str | None = None) -> str | None:
        from kg.names import key, normalize

        found = self.index.by_normal.get(normalize(name)) or self.index.by_key.get(key(name)) or []
        entities = {e.iri: (e, pref) for e, _label, pref in found if e.is_kind([kind])}
        if not entities:
            return None
        def rank(entry: tuple[Any, bool]) -> tuple[bool, bool, bool]:
            entity, pref = entry
            return (entity.iri.startswith(ID + "acled-"),  # the graph's own entity over an imported one
                    prefer is not None and not any(self.vocab.is_a(t, BK + prefer) for t in entity.types),
                    not pref)  # a preferred name over an alternative one

        ranked = sorted(entities.values(), key=lambda ep: (rank(ep), ep[0].iri))
        best = ranked[0]
        if len(ranked) > 1 and rank(ranked[1]) == rank(best):
            names = ", ".join(e.iri.removeprefix(ID) for e, _ in ranked[:4])
            raise LookupError(f"'{name}' names several entities of the graph ({names})")
        return best[0].iri

    def actor(self, text: str, inter: str, line: int) -> str:
        cached = self.cache.get(("actor", text))
        if cached:
            return cached
        acronym, _, long_name = text.partition(":") if ":" in text else ("", "", "")
        bare = re.sub(r"\s*\([^)]*\)\s*$", "", text)
        tries = [text, long_name.strip(), acronym.strip(), bare]
        iri = None
        for candidate in dict.fromkeys(t for t in tries if t):
            iri = self.existing(candidate, "actor")
            if iri:
                break
        if iri is None:
            local = _mint("acled-actor", text)
            also = [t for t in dict.fromkeys((long_name.strip(), acronym.strip())) if t and t != text]
            fields: dict[str, Any] = {"type": INTER_CLASSES.get(inter, "actor"), "name": text}
            if also:
                fields["also"] = also
            self.created.setdefault(local, Created(local, fields, line, "actor"))
            iri = ID + local
        self.cache[("actor", text)] = iri
        return iri

    def place(self, row: Row) -> str:
        path = (row.country, *row.admins, row.location)
        cached = self.cache.get(("place", *path))
        if cached:
            return cached
        iri = self.existing(row.location, "place", prefer="Settlement")
        if iri is None:
            local = _mint("acled-place", row.location, "/".join(path))
            fields: dict[str, Any] = {"type": "settlement", "name": row.location,
                                      "part of": self.region(row, len(row.admins))}
            if row.point is not None:
                fields["coordinates"] = {"lat": row.point[0], "lon": row.point[1], "precision": "settlement"}
            self.created.setdefault(local, Created(local, fields, row.line, "place"))
            iri = ID + local
        self.cache[("place", *path)] = iri
        return iri

    def region(self, row: Row, depth: int) -> str:
        """The IRI of ``row.admins[depth - 1]`` (the country for depth 0), made if unknown."""
        if depth == 0:
            return self.country(row)
        path = (row.country, *row.admins[:depth])
        cached = self.cache.get(("region", *path))
        if cached:
            return cached
        name = row.admins[depth - 1]
        iri = self.existing(name, "place", prefer="AdministrativeRegion" if depth == 1 else "AdministrativeDivision")
        if iri is None:
            local = _mint("acled-region", name, "/".join(path))
            kind = "administrative region" if depth == 1 else "administrative division"
            self.created.setdefault(local, Created(local, {"type": kind, "name": name,
                                                           "part of": self.region(row, depth - 1)}, row.line, "region"))
            iri = ID + local
        self.cache[("region", *path)] = iri
        return iri

    def country(self, row: Row) -> str:
        cached = self.cache.get(("country", row.country))
        if cached:
            return cached
        iri = self.existing(row.country, "place", prefer="Country")
        if iri is None:
            local = _mint("acled-country", row.country)
            self.created.setdefault(local, Created(local, {"type": "country", "name": row.country}, row.line, "country"))
            iri = ID + local
        self.cache[("country", row.country)] = iri
        return iri

    def publisher(self) -> str:
        iri = self.existing("ACLED", "actor")
        if iri is None:
            self.created.setdefault(PUBLISHER_ID, Created(PUBLISHER_ID, {
                "type": "organization", "name": "ACLED",
                "also": ["Armed Conflict Location & Event Data"]}, 1, "publisher"))
            iri = ID + PUBLISHER_ID
        return iri


def _mint(prefix: str, name: str, identity: str | None = None) -> str:
    """``acled-actor-kia-kachin-independence-army-3fa2c1``: readable, and the same name (in the
    same place, for places) always gives the same IRI."""
    slug = "-".join(fold(name).split())[:48].strip("-") or "x"
    slug = re.sub(r"[^a-z0-9-]", "", slug).strip("-") or "x"
    digest = hashlib.sha1((identity or name).encode("utf-8")).hexdigest()[:6]
    return f"{prefix}-{slug}-{digest}"


# ---------------------------------------------------------------------------- reports


def tree(value: Any, line: int) -> Node:
    """A report value as :class:`~kg.report_yaml.Node` s, every part on ``line`` (the CSV row)."""
    if isinstance(value, dict):
        return Node({k: tree(v, line) for k, v in value.items()}, line, {k: line for k in value})
    if isinstance(value, list):
        return Node([tree(v, line) for v in value], line)
    return Node(value, line)


def source_block(source_id: str, title: str, publisher: str, published: str) -> dict[str, Any]:
    return {"id": source_id, "type": "dataset extract", "title": title, "label": f"ACLED: {title}",
            "publisher": publisher,
            "url": ACLED_URL, "published": published, "quality": "publisher's own dataset", "language": "en"}


def event_items(row: Row, types: EventTypes, resolver: Resolver) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The event a row records, and the control claim a territorial one implies (or None)."""
    concept = types.find(row.event_type, row.sub_event_type)
    if concept is None:
        raise ValueError(f"event_type, sub_event_type: '{row.event_type}', '{row.sub_event_type}' "
                         "is not one of ACLED's (see kg import acled --help)")
    first = [resolver.actor(a, row.inter1 if n == 0 else "", row.line) for n, a in enumerate(row.actors1)]
    second = [resolver.actor(a, row.inter2 if n == 0 else "", row.line) for n, a in enumerate(row.actors2)]
    place = resolver.place(row)
    date = ("~" if row.around else "") + row.date
    event: dict[str, Any] = {
        "id": row.iri.removeprefix(ID), "type": resolver.vocab.concept_labels[concept],
        "label": f"{row.sub_event_type}: {row.actors1[0]}" + (f" and {row.actors2[0]}" if row.actors2 else "")
                 + f" at {row.location} (ACLED {row.event_id})",
        "date": date, "location": place, "ACLED event ID": row.event_id,
    }
    first = list(dict.fromkeys(first))
    second = [a for a in dict.fromkeys(second) if a not in first]
    if fold(row.sub_event_type) == AGREEMENT:
        event["participant"] = first + second
    else:
        event["agent"] = first
        if second:
            event["target"] = second
    if row.fatalities is not None:
        event["fatalities"] = row.fatalities
    if row.updated:
        event["record updated"] = row.updated
    if row.notes:
        event["comment"] = row.notes
    if row.note:
        event["note"] = row.note
    sub = fold(row.sub_event_type)
    if row.point is None or (sub not in TERRITORIAL and sub != BASE_ESTABLISHED):
        return event, None
    claim: dict[str, Any] = {
        "id": row.claim_iri.removeprefix(ID), "claim": "control", "place": place, "holder": first[0],
        "from": date, "basis": "derived from an event record", "results from": event["id"],
        "label": f"{row.actors1[0]} {'has a base at' if sub == BASE_ESTABLISHED else 'holds'} {row.location} "
                 f"from {date} (derived from ACLED {row.event_id})",
    }
    if sub == BASE_ESTABLISHED:
        claim["level"] = "presence"
    return event, claim


__all__ = ["EventTypes", "Export", "Resolver", "Row", "SUB_EVENT_TYPES", "event_items", "read_export",
           "source_block", "tree"]
