"""Synthetic border-kg data in the project's own vocabulary, at a target size, valid against the shapes.

    python bench/generate.py --triples 100k --out /tmp/kg-100k [--seed 1] [--format ttl|nt]

Writes a tree usable with ``BORDER_KG_ROOT=OUT``: ``ontology/`` and ``queries/`` copied from this
repository, ``data/*.ttl`` (several files), ``extra/report.ttl`` (a small added report of ~100
claims, for "validate one added report"; not part of the graph) and ``bench.json`` (sizes,
counts, and names the benchmark looks up). The same seed gives the same bytes.

Why synthetic: the shipped graph has 3.5k triples; the questions of issue 11 are about a million.
The world grows in every dimension, sub-linearly in places and linearly in history: more borders,
countries, crossings (official and minor gates, each with two sides), regions and settlements,
armed groups, states and their organs, publishers; and, for each crossing and actor, years of
reports: control, presence, open/closed and alignment claims with every date precision,
supersessions, confirmations, same-day disputes, contested control, observations that expire,
partial openings with qualifiers, deprecated claims, the events they rest on, and ACLED-like
events (attacks, offensives, talks…) that fill the rest of the triple budget.

Validity is by construction: every node is written by one function per class that emits exactly
the properties its shape requires (see ``ontology/shapes.ttl``), with dates stored as the first
day of the period their precision denotes (the bound itself for NotAfter/NotBefore) and ends
strictly after starts. ``tests/test_bench_generator.py`` runs ``kg validate`` and the
``*-violation`` queries on a generated 10k graph.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PREFIXES = {
    "bk": "https://w3id.org/border-kg/ontology#",
    "bkv": "https://w3id.org/border-kg/vocab/",
    "bkr": "https://w3id.org/border-kg/id/",
    "dcterms": "http://purl.org/dc/terms/",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

FIRST_DAY = dt.date(2015, 1, 1)
LAST_DAY = dt.date(2026, 10, 31)

#: (IRI local name, label) of the states the first borders run between
REAL_COUNTRIES = [
    ("china", "China"), ("myanmar", "Myanmar"), ("thailand", "Thailand"), ("laos", "Laos"),
    ("india", "India"), ("bangladesh", "Bangladesh"), ("vietnam", "Vietnam"), ("cambodia", "Cambodia"),
    ("nepal", "Nepal"), ("bhutan", "Bhutan"),
]
REAL_BORDERS = [
    ("china", "myanmar"), ("myanmar", "thailand"), ("china", "laos"), ("india", "myanmar"),
    ("bangladesh", "myanmar"), ("china", "vietnam"), ("laos", "thailand"), ("laos", "myanmar"),
    ("laos", "vietnam"), ("cambodia", "thailand"), ("cambodia", "laos"), ("china", "nepal"),
    ("bangladesh", "india"), ("india", "nepal"), ("bhutan", "china"), ("cambodia", "vietnam"),
]
#: the regime side of every conflict: armed groups align with or against it
REGIME_COUNTRY = "myanmar"

SYLLABLES = ("na", "kan", "lwe", "je", "pang", "sai", "mong", "la", "muse", "kyu", "hpa", "kang",
             "lai", "za", "ho", "pin", "wa", "khun", "ti", "loi", "nam", "kham", "shwe", "haw",
             "tang", "yan", "mu", "se", "bhamo", "ton", "lin", "ma", "pyin", "oo", "kut", "kai",
             "hsi", "paw", "chin", "tar", "ein", "ye", "lash", "gyi", "taung", "kyin", "myit")
WEIGHTED_DAY_PRECISIONS = (("Day", 40), ("EarlyMonth", 8), ("MidMonth", 8), ("LateMonth", 9),
                           ("Month", 20), ("Year", 5), ("NotBefore", 10))
QUALITIES = (("PublisherPage", 55), ("SyndicatedCopy", 18), ("MirrorOrProxy", 10), ("ForumRepost", 9),
             ("Blog", 8))
ATTRIBUTIONS = (("PublisherReporting", 50), ("UnnamedSources", 14), ("UnnamedAnalyst", 6),
                ("MilitaryAnalyst", 6), ("PoliticalAnalysts", 4), ("SourceCloseToKIA", 8),
                ("JuntaGovernmentFigures", 7), ("ReferenceWork", 5))
FILLER_EVENTS = ("Attack", "Offensive", "Negotiation", "Threat", "Pressure", "DiplomaticVisit",
                 "MilitaryDrill", "HandoverOfPersons", "Encirclement", "HaltOfAdvance", "Retreat",
                 "Announcement", "CeasefireAgreement", "CeasefireAnnouncement", "CrossBorderFlight",
                 "WeaponsTransfer", "Invitation")
COMMODITIES = ("Weapons", "TradeGoods", "Timber", "RareEarths", "Jade", "Fuel", "Food")
TRAFFIC = ("Vehicles", "People", "HumanitarianCargo", "Goods")
CONDITIONS = ("TrialPeriod", "RestrictedHours", "Quota", "LimitedGoods")
#: triples a crossing's history costs per control episode, measured (sizes the history budget)
TRIPLES_PER_EPISODE = 95


# ---------------------------------------------------------------------------- terms


def lit(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def typed(value: str, datatype: str) -> str:
    return f'"{value}"^^{datatype}'


def day(value: dt.date) -> str:
    return typed(value.isoformat(), "xsd:date")


def stored(value: dt.date, precision: str) -> dt.date:
    """The date stored for ``value`` at ``precision``: the first day of the period it denotes
    (EarlyMonth 1, MidMonth 11, LateMonth 21), the bound itself for Day/NotAfter/NotBefore."""
    if precision == "Year":
        return value.replace(month=1, day=1)
    if precision in ("Month", "EarlyMonth"):
        return value.replace(day=1)
    if precision == "MidMonth":
        return value.replace(day=11)
    if precision == "LateMonth":
        return value.replace(day=21)
    return value


@dataclass
class Out:
    """Subject blocks per output file, and the triple count (one per predicate-object pair)."""

    files: dict[str, list[str]] = field(default_factory=dict)
    triples: int = 0

    def node(self, file: str, subject: str, types: list[str], props: Iterable[tuple[str, object]]) -> None:
        """One subject block; a property whose object is None or empty is left out."""
        lines = [f"{subject} a {', '.join(types)}"]
        self.triples += len(types)
        for predicate, objects in props:
            if objects is None or objects == [] or objects == ():
                continue
            values = objects if isinstance(objects, (list, tuple)) else [objects]
            self.triples += len(values)
            lines.append(f"    {predicate} {', '.join(str(v) for v in values)}")
        self.files.setdefault(file, []).append(" ;\n".join(lines) + " .\n")


# ---------------------------------------------------------------------------- the world


@dataclass
class Crossing:
    """A generated crossing: what its claims and events need to name."""

    iri: str
    label: str
    official: bool
    border: Border
    states: tuple[str, str]
    settlements: tuple[str, str]


@dataclass
class Border:
    """A generated border: its two states, their regions on it, who fights over it."""

    iri: str
    countries: tuple[str, str]
    regions: dict[str, list[str]]
    #: who may hold its crossings: the ethnic armed organizations and border guard force of
    #: this border and the armed forces of the state in conflict (the regime's, when on the border)
    armed: list[str]
    imposers: list[str]
    crossings: list[Crossing] = field(default_factory=list)
    base: tuple[float, float] = (97.5, 24.0)


class Generator:
    """Builds the graph in memory, deterministically for a seed, then writes it."""

    def __init__(self, triples: int, seed: int) -> None:
        self.target = triples
        self.rng = random.Random(seed)
        self.out = Out()
        self.names: set[str] = set()
        self.counter: dict[str, int] = {}
        self.sources: dict[tuple[str, dt.date], str] = {}
        self.publishers: list[str] = []
        self.states: dict[str, str] = {}  # country local name -> label
        self.armed_forces: dict[str, str] = {}  # country -> its state armed force
        self.actors: list[str] = []
        self.eaos: list[str] = []
        self.places: list[str] = []
        self.labels: dict[str, str] = {}  # place -> its preferred label (for source titles)
        self.borders: list[Border] = []
        self.stats: dict[str, int] = {}
        self.rich_crossing: Crossing | None = None
        self.search_text = ""
        self.iri_prefix = ""
        #: every claim and event cites this source when set (one added report)
        self.fixed_source: str | None = None
        self.regime = f"bkr:{REGIME_COUNTRY}-military-regime"

    # ------------------------------------------------------------ helpers

    def pick(self, weighted: Iterable[tuple[str, int]]) -> str:
        items = list(weighted)
        return self.rng.choices([i for i, _ in items], weights=[w for _, w in items])[0]

    def mint(self, kind: str) -> str:
        self.counter[kind] = self.counter.get(kind, 0) + 1
        return f"bkr:{self.iri_prefix}{kind}-{self.counter[kind]}"

    def lab(self, iri: str) -> str:
        """The preferred label of a node, for the labels and quotes of claims and events."""
        return self.labels.get(iri) or iri[4:]

    def count(self, what: str, n: int = 1) -> None:
        self.stats[what] = self.stats.get(what, 0) + n

    def name(self, parts: int = 2) -> str:
        """A new pronounceable name, unique in the graph (lookups by name must not be ambiguous)."""
        for attempt in range(1000):
            n = parts + (1 if attempt > 20 else 0) + (1 if attempt > 200 else 0)
            word = "".join(self.rng.choice(SYLLABLES) for _ in range(n)).capitalize()
            if word not in self.names and len(word) >= 5:
                self.names.add(word)
                return word
        raise RuntimeError("ran out of names")

    def variants(self, word: str) -> list[str]:
        """Spelling variants for skos:altLabel (Lweje / Lwe Je / Lweije)."""
        found = []
        for syl in SYLLABLES:
            cut = word.lower().find(syl, 2)
            if cut > 0:
                found.append(f"{word[:cut]} {word[cut:].capitalize()}")
                break
        swaps = (("e", "ei"), ("o", "aw"), ("u", "oo"), ("k", "kh"), ("ai", "ye"))
        for old, new in swaps:
            if old in word[1:]:
                found.append(word[0] + word[1:].replace(old, new, 1))
                if len(found) >= 3:
                    break
        return [v for v in dict.fromkeys(found) if v != word][: self.rng.randint(0, 3)]

    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        span = max(0, (end - start).days)
        return start + dt.timedelta(days=self.rng.randint(0, span))

    def when(self, value: dt.date, kinds: Iterable[tuple[str, int]] = WEIGHTED_DAY_PRECISIONS) -> tuple[dt.date, str]:
        precision = self.pick(kinds)
        return stored(value, precision), precision

    def source(self, reported: dt.date) -> str:
        """A source published within weeks after ``reported``: one publisher's weekly report
        (issued on the Sunday), shared by every fact it reports that week."""
        if self.fixed_source:
            return self.fixed_source
        published = reported + dt.timedelta(days=self.rng.choice((0, 0, 1, 1, 2, 3, 7, 14, 21)))
        published += dt.timedelta(days=6 - published.weekday())
        # a few big publishers carry most reports (Zipf weights)
        publisher = self.rng.choices(self.publishers, weights=[1 / (1 + i) for i in range(len(self.publishers))])[0]
        key = (publisher, published)
        if key in self.sources:
            return self.sources[key]
        iri = self.mint("source")
        self.sources[key] = iri
        quality = self.pick(QUALITIES)
        about = self.labels[self.rng.choice(self.places)] if self.places else "the border"
        title = f"{self.rng.choice(('Fighting near', 'Trade through', 'Residents of', 'Report from', 'Talks on'))} {about}"
        slug = iri[4:]
        self.count("sources")
        if self.rng.random() < 0.12:  # a page read online, no publication date
            self.out.node("sources.ttl", iri, ["bk:WebPage"], [
                ("bk:sourceQuality", f"bkv:{quality}"), ("dcterms:title", lit(title)),
                ("bk:url", typed(f"https://web.example.org/{slug}", "xsd:anyURI")),
                ("bk:accessedOn", day(published)),
                ("bk:addedOn", day(published + dt.timedelta(days=2)) if self.rng.random() < 0.3 else None),
            ])
            return iri
        precision = "Day" if self.rng.random() < 0.9 else self.rng.choice(("Month", "LateMonth"))
        inferred = precision != "Day"
        self.out.node("sources.ttl", iri, ["bk:NewsArticle"], [
            ("bk:sourceQuality", f"bkv:{quality}"),
            ("rdfs:label", lit(f"{self.lab(publisher)}: {title}")), ("dcterms:title", lit(title)),
            ("dcterms:publisher", publisher), ("dcterms:issued", day(stored(published, precision))),
            ("bk:issuedPrecision", f"bkv:{precision}"),
            ("bk:dateInferred", "true" if inferred else None),
            ("bk:inferenceNote", lit("The page gives no day; dated from its archive listing.") if inferred else None),
            ("bk:url", typed(f"https://news.example.org/{slug}", "xsd:anyURI")),
            ("bk:addedOn", day(published + dt.timedelta(days=self.rng.randint(0, 30))) if self.rng.random() < 0.2 else None),
        ])
        return iri

    def sourcing(self, reported: dt.date, quote: str, partisan_ok: bool = True,
                 basis: str | None = None) -> list[tuple[str, object]]:
        """What every claim and event carries: source, attribution, basis (+ note), quote."""
        attribution = self.pick(ATTRIBUTIONS if partisan_ok else ATTRIBUTIONS[:5])
        basis = basis or self.pick((("Stated", 80), ("InferredFromText", 12), ("ExternalSource", 8)))
        return [
            ("prov:wasDerivedFrom", self.source(reported)),
            ("bk:attribution", f"bkv:{attribution}"), ("bk:basis", f"bkv:{basis}"),
            ("bk:inferenceNote", lit("Inferred from the article's account of the fighting.") if basis == "InferredFromText" else None),
            ("bk:quote", lit(quote) if self.rng.random() < 0.9 else None),
        ]

    def geometry(self, lon: float, lat: float, precision: str) -> str:
        iri = self.mint("geometry")
        self.out.node("places.ttl", iri, ["geo:Geometry"], [
            ("geo:asWKT", typed(f"POINT({lon:.4f} {lat:.4f})", "geo:wktLiteral")),
            ("bk:coordinatePrecision", f"bkv:{precision}"),
        ])
        return iri

    # ------------------------------------------------------------ scaffolding

    def build_world(self) -> None:
        scale = max(self.target / 10_000, 0.2)
        n_borders = max(2, round(2 * scale ** 0.5))
        n_crossings = max(8, round(20 * scale ** 0.5))
        n_publishers = max(5, round(6 * scale ** 0.3))
        for _ in range(n_publishers):
            iri = self.mint("publisher")
            label = f"The {self.name()} {self.rng.choice(('Times', 'News', 'Post', 'Herald', 'Monitor', 'Voice'))}"
            self.out.node("actors.ttl", iri, ["bk:NewsOrganization"], [("skos:prefLabel", lit(label, "en"))])
            self.labels[iri] = label
            self.publishers.append(iri)
        pairs = list(REAL_BORDERS)
        countries = dict(REAL_COUNTRIES)
        while len(pairs) < n_borders:  # beyond the real neighbours: made-up ones
            a, b = f"country-{len(countries) + 1}", f"country-{len(countries) + 2}"
            countries[a], countries[b] = self.name(), self.name()
            pairs.append((a, b))
        pairs = pairs[:n_borders]
        used = list(dict.fromkeys(c for pair in pairs for c in pair))
        for country in used:
            self.add_state(country, countries[country])
        regime = self.regime
        self.out.node("actors.ttl", regime, ["bk:MilitaryRegime"], [
            ("skos:prefLabel", lit("State Administration Council", "en")), ("skos:altLabel", lit("the junta", "en")),
            ("bk:partOfOrganization", f"bkr:{REGIME_COUNTRY}"), ("prov:wasDerivedFrom", self.source(FIRST_DAY)),
        ])
        self.out.node("actors.ttl", "bkr:nug", ["bk:ParallelGovernment"], [
            ("skos:prefLabel", lit("National Unity Government", "en")), ("skos:altLabel", lit("NUG", "en")),
            ("prov:wasDerivedFrom", self.source(FIRST_DAY)),
        ])
        self.actors += [regime, "bkr:nug"]
        self.labels.update({regime: "State Administration Council", "bkr:nug": "National Unity Government"})
        per_border = [n_crossings // n_borders + (1 if i < n_crossings % n_borders else 0) for i in range(n_borders)]
        for index, (pair, crossings) in enumerate(zip(pairs, per_border, strict=True)):
            self.add_border(index, pair, max(2, crossings))

    def add_state(self, country: str, label: str) -> None:
        iri = f"bkr:{country}"
        self.states[country] = label
        self.labels.update({iri: label, f"bkr:{country}-armed-forces": f"{label} armed forces",
                            f"bkr:{country}-foreign-ministry": f"{label} foreign ministry"})
        self.out.node("places.ttl", iri, ["bk:Country", "bk:State"], [("skos:prefLabel", lit(label, "en"))])
        force = f"bkr:{country}-armed-forces"
        self.out.node("actors.ttl", force, ["bk:StateArmedForce"], [
            ("skos:prefLabel", lit(f"{label} armed forces", "en")),
            ("bk:partOfOrganization", iri),
        ])
        ministry = f"bkr:{country}-foreign-ministry"
        self.out.node("actors.ttl", ministry, ["bk:GovernmentBody"], [
            ("skos:prefLabel", lit(f"{label} foreign ministry", "en")), ("bk:partOfOrganization", iri),
        ])
        person = f"bkr:{country}-envoy"
        self.out.node("actors.ttl", person, ["bk:Person"], [("skos:prefLabel", lit(f"{self.name()} {self.name()}", "en"))])
        post = f"bkr:{country}-special-envoy-post"
        self.out.node("actors.ttl", post, ["bk:Post"], [
            ("skos:prefLabel", lit(f"special envoy of {label}", "en")), ("bk:holder", person),
            ("bk:postIn", iri), ("prov:wasDerivedFrom", self.source(self.date_between(FIRST_DAY, LAST_DAY))),
        ])
        self.armed_forces[country] = force
        self.actors += [iri, force, ministry, person]

    def add_border(self, index: int, pair: tuple[str, str], n_crossings: int) -> None:
        a, b = pair
        iri = f"bkr:{a}-{b}-border"
        base = (92.0 + 3.1 * (index % 7), 17.0 + 2.3 * (index // 7 % 6))
        self.out.node("places.ttl", iri, ["bk:Border"], [
            ("skos:prefLabel", lit(f"{self.states[a]}–{self.states[b]} border", "en")),
            ("bk:borderBetween", [f"bkr:{a}", f"bkr:{b}"]),
        ])
        regions: dict[str, list[str]] = {}
        for country in pair:
            regions[country] = []
            for _ in range(max(1, min(4, n_crossings // 3))):
                region = self.mint("region")
                name = self.name()
                self.labels[region] = f"{name} {self.rng.choice(('State', 'Region', 'Province', 'Prefecture'))}"
                self.out.node("places.ttl", region, ["bk:AdministrativeRegion"], [
                    ("skos:prefLabel", lit(self.labels[region], "en")),
                    ("skos:altLabel", [lit(v, "en") for v in self.variants(name)]),
                    ("bk:partOf", f"bkr:{country}"),
                ])
                regions[country].append(region)
                self.places.append(region)
        # armed groups of this border: a few ethnic armed organizations, a border guard force,
        # and both states' armed forces
        armed = [self.armed_forces[REGIME_COUNTRY if REGIME_COUNTRY in pair else b]]
        for _ in range(max(2, min(6, n_crossings // 3))):
            armed.append(self.add_armed_group("bk:EthnicArmedOrganization", regions))
        armed.append(self.add_armed_group("bk:BorderGuardForce", regions))
        imposers = [f"bkr:{c}" for c in pair if c != REGIME_COUNTRY] or [f"bkr:{a}"]
        border = Border(iri, (a, b), regions, armed, imposers, base=base)
        self.borders.append(border)
        for k in range(n_crossings):
            border.crossings.append(self.add_crossing(border, k, official=k % 3 == 0))

    def add_armed_group(self, kind: str, regions: dict[str, list[str]]) -> str:
        name = self.name()
        words = {"bk:EthnicArmedOrganization": ("Independence Army", "Liberation Army", "Democratic Alliance Army", "National Army"),
                 "bk:BorderGuardForce": ("Border Guard Force",)}[kind]
        label = f"{name} {self.rng.choice(words)}"
        acronym = "".join(w[0] for w in label.split()).upper()
        iri = self.mint("eao" if kind.endswith("Organization") else "bgf")
        self.labels[iri] = label
        hq = None
        if kind.endswith("Organization"):
            hq = iri + "-headquarters"
            self.out.node("places.ttl", hq, ["bk:Headquarters"], [("skos:prefLabel", lit(f"{label} headquarters", "en"))])
            self.eaos.append(iri)
            if not self.search_text:
                self.search_text = acronym.lower()
        self.out.node("actors.ttl", iri, [kind], [
            ("skos:prefLabel", lit(label, "en")), ("skos:altLabel", [lit(acronym, "en")] + [lit(v + " army", "en") for v in self.variants(name)]),
            ("bk:headquarters", hq), ("prov:wasDerivedFrom", self.source(self.date_between(FIRST_DAY, LAST_DAY))),
        ])
        self.actors.append(iri)
        self.alignment_history(iri, border_guard=kind.endswith("Force"))
        return iri

    def add_settlement(self, region: str, lon: float, lat: float) -> tuple[str, str]:
        """A town or village in ``region``: its IRI and name."""
        town = self.rng.random() < 0.7
        iri = self.mint("town" if town else "village")
        name = self.name()
        self.out.node("places.ttl", iri, ["bk:Town" if town else "bk:Village"], [
            ("skos:prefLabel", lit(name, "en")), ("skos:altLabel", [lit(v, "en") for v in self.variants(name)]),
            ("bk:partOf", region),
            ("geo:hasGeometry", self.geometry(lon, lat, "SettlementPrecision") if self.rng.random() < 0.9 else None),
        ])
        self.places.append(iri)
        self.labels[iri] = name
        return iri, name

    def add_crossing(self, border: Border, k: int, official: bool) -> Crossing:
        a, b = border.countries
        lon, lat = border.base[0] + 0.05 * k, border.base[1] + 0.03 * k
        regions = (self.rng.choice(border.regions[a]), self.rng.choice(border.regions[b]))
        towns = [self.add_settlement(region, lon + 0.01 * i, lat) for i, region in enumerate(regions)]
        settlements = (towns[0][0], towns[1][0])
        name = self.name() if self.rng.random() < 0.3 else towns[0][1]
        label = f"{name} {'crossing' if official else 'gate'}"
        iri = self.mint("crossing" if official else "gate")
        sides = []
        for country, settlement, region in zip((a, b), settlements, regions, strict=True):
            side = f"{iri}-side-{country}"
            self.out.node("places.ttl", side, ["bk:CrossingSide"], [
                ("rdfs:label", lit(f"{label}, {self.states[country]} side")),
                ("bk:sideCountry", f"bkr:{country}"), ("bk:sideRegion", region),
                ("bk:sideSettlement", settlement if self.rng.random() < 0.95 else None),
            ])
            sides.append(side)
        alts = [lit(v + (" crossing" if official else " gate"), "en") for v in self.variants(name)]
        self.out.node("places.ttl", iri, ["bk:OfficialBorderCrossing" if official else "bk:MinorBorderGate"], [
            ("skos:prefLabel", lit(label, "en")), ("skos:altLabel", alts),
            ("bk:hasSide", sides), ("bk:onBorder", border.iri),
            ("geo:hasGeometry", self.geometry(lon, lat, "SitePrecision") if self.rng.random() < 0.85 else None),
            ("prov:wasDerivedFrom", self.source(self.date_between(FIRST_DAY, LAST_DAY))),
        ])
        self.places.append(iri)
        self.labels[iri] = label
        return Crossing(iri, label, official, border, (f"bkr:{a}", f"bkr:{b}"), settlements)

    # ------------------------------------------------------------ claims

    def claim(self, kind: str, label: str, reported: dt.date, props: list[tuple[str, object]],
              quote: str, deprecated: str | None = None, partisan_ok: bool = True,
              basis: str | None = None) -> str:
        iri = self.mint("claim")
        self.count(kind)
        extra: list[tuple[str, object]] = []
        if deprecated:
            extra = [("bk:rank", "bkv:DeprecatedRank"), ("bk:deprecationReason", lit(deprecated))]
            self.count("deprecated claims")
        self.out.node("claims.ttl", iri, [f"bk:{kind}"], [
            ("rdfs:label", lit(label)), *props, *extra, *self.sourcing(reported, quote, partisan_ok, basis)])
        return iri

    def timing(self, start: dt.date, end: dt.date | None, observed: bool) -> tuple[list[tuple[str, object]], dt.date]:
        """validFrom (+ validUntil) or observedOn, each with its precision; the report day."""
        if observed:
            value, precision = self.when(start, (("Day", 60), ("LateMonth", 15), ("Month", 25)))
            return [("bk:observedOn", day(value)), ("bk:observedOnPrecision", f"bkv:{precision}")], start
        value, precision = self.when(start)
        return self.interval(value, precision, end), start if end is None else max(start, min(end, LAST_DAY))

    def interval(self, value: dt.date, precision: str, end: dt.date | None) -> list[tuple[str, object]]:
        """validFrom ``value`` (stored, at ``precision``) and, given an ``end``, a validUntil
        strictly after it (the claim-interval-violation query wants end > start)."""
        props: list[tuple[str, object]] = [("bk:validFrom", day(value)), ("bk:validFromPrecision", f"bkv:{precision}")]
        if end is not None:
            end_precision = self.pick((("Day", 60), ("NotAfter", 25), ("Month", 15)))
            end_value = stored(end, end_precision)
            if end_value <= value:
                end_value, end_precision = value + dt.timedelta(days=1), "Day"
            props += [("bk:validUntil", day(end_value)), ("bk:validUntilPrecision", f"bkv:{end_precision}")]
        return props

    def control_history(self, crossing: Crossing, episodes: int) -> None:
        """Who holds a crossing over the years: captures, confirmations, same-day disputes,
        contested spells, presence, observations that expire, deprecated claims."""
        border = crossing.border
        starts = sorted(self.date_between(FIRST_DAY, LAST_DAY) for _ in range(episodes))
        holder = self.rng.choice(border.armed)
        for i, start in enumerate(starts):
            previous, holder = holder, self.rng.choice([a for a in border.armed if a != holder])
            end = starts[i + 1] if i + 1 < len(starts) and self.rng.random() < 0.2 else None
            level = self.pick((("FullControl", 70), ("MostlyControlled", 20), ("Besieged", 10)))
            event = None
            if self.rng.random() < 0.7:
                event = self.event("Capture", f"{self.lab(holder)} captures {crossing.label}", start,
                                   agents=[holder], targets=[previous], location=crossing.iri)
            observed = self.rng.random() < 0.15
            timing, reported = self.timing(start, end, observed)
            first_day = timing[:2]  # validFrom or observedOn, with its precision
            self.claim("ControlClaim", f"{self.lab(holder)} holds {crossing.label}", reported, [
                ("bk:place", crossing.iri), ("bk:controller", holder), ("bk:controlLevel", f"bkv:{level}"),
                *timing, ("bk:resultsFrom", event)], f"{self.lab(holder)} took {crossing.label}.")
            self.count("control episodes")
            if self.rng.random() < 0.25:  # the town goes with the crossing (an inferred claim)
                town = crossing.settlements[0]
                t_timing, t_reported = self.timing(start, end, observed)
                self.claim("ControlClaim", f"{self.lab(holder)} holds the town at {crossing.label}", t_reported, [
                    ("bk:place", town), ("bk:controller", holder), ("bk:controlLevel", f"bkv:{level}"), *t_timing],
                    f"{self.lab(holder)} now controls the town.", basis="InferredFromText")
            horizon_end = starts[i + 1] if i + 1 < len(starts) else LAST_DAY
            for _ in range(self.rng.choice((0, 1, 1, 2, 3))):  # confirmations: same value, later
                later = self.date_between(start + dt.timedelta(days=10), horizon_end)
                if later >= horizon_end:
                    continue
                c_timing, c_reported = self.timing(later, None, self.rng.random() < 0.6)
                self.claim("ControlClaim", f"{self.lab(holder)} still holds {crossing.label}", c_reported, [
                    ("bk:place", crossing.iri), ("bk:controller", holder), ("bk:controlLevel", f"bkv:{level}"),
                    *c_timing], f"{crossing.label} remains in the hands of {self.lab(holder)}.")
                self.count("confirmations")
            roll = self.rng.random()
            if roll < 0.08:  # a same-day dispute: another source names another holder
                rival = self.rng.choice([a for a in border.armed if a != holder])
                self.claim("ControlClaim", f"{self.lab(rival)} holds {crossing.label} (disputed)", start, [
                    ("bk:place", crossing.iri), ("bk:controller", rival), ("bk:controlLevel", "bkv:FullControl"),
                    *first_day],
                    f"{self.lab(rival)} says it still holds {crossing.label}.")
                self.count("disputes")
            elif roll < 0.13:  # contested: two sides both say it is contested
                rival = self.rng.choice([a for a in border.armed if a != holder])
                on = self.date_between(start, horizon_end)
                for side in (holder, rival):
                    self.claim("ControlClaim", f"{crossing.label} contested ({self.lab(side)})", on, [
                        ("bk:place", crossing.iri), ("bk:controller", side), ("bk:controlLevel", "bkv:Contested"),
                        ("bk:observedOn", day(on)), ("bk:observedOnPrecision", "bkv:Day")],
                        f"Fighting for {crossing.label} continues.")
                self.count("contested")
            elif roll < 0.19:  # presence: someone seen there (a ceremony, a patrol)
                visitor = self.rng.choice(self.actors)
                on = self.date_between(start, horizon_end)
                self.claim("ControlClaim", f"{self.lab(visitor)} seen at {crossing.label}", on, [
                    ("bk:place", crossing.iri), ("bk:controller", visitor), ("bk:controlLevel", "bkv:Presence"),
                    ("bk:observedOn", day(on)), ("bk:observedOnPrecision", "bkv:Day")],
                    f"Officials of {self.lab(visitor)} attended a ceremony at the gate.")
                self.count("presence")
            if self.rng.random() < 0.05:  # retracted: kept, deprecated, with the reason
                self.claim("ControlClaim", f"{self.lab(previous)} retakes {crossing.label} (retracted)", start, [
                    ("bk:place", crossing.iri), ("bk:controller", previous), ("bk:controlLevel", "bkv:FullControl"),
                    ("bk:observedOn", day(start)), ("bk:observedOnPrecision", "bkv:Day")],
                    f"{self.lab(previous)} claims to have retaken the gate.", deprecated="Retracted by the publisher a day later.")

    def status_history(self, crossing: Crossing, episodes: int) -> None:
        """Open, closed or partially open over the years, imposed by a state (China on its
        borders), with the closure/reopening events and the qualifiers of partial openings."""
        border = crossing.border
        imposer = self.rng.choice(border.imposers)
        starts = sorted(self.date_between(FIRST_DAY, LAST_DAY) for _ in range(episodes))
        status = "Open"
        for i, start in enumerate(starts):
            status = self.pick([(s, w) for s, w in (("Open", 35), ("Closed", 45), ("PartiallyOpen", 20)) if s != status])
            end = starts[i + 1] if i + 1 < len(starts) and self.rng.random() < 0.15 else None
            event_type = "BorderClosure" if status == "Closed" else "BorderReopening"
            event = self.event(event_type, f"{self.lab(imposer)} {'closes' if status == 'Closed' else 'reopens'} {crossing.label}",
                               start, agents=[imposer], location=crossing.iri) if self.rng.random() < 0.6 else None
            qualifiers: list[tuple[str, object]] = []
            if status == "PartiallyOpen":
                qualifiers = [
                    ("bk:trafficInto", self.rng.choice(crossing.states) if self.rng.random() < 0.5 else None),
                    ("bk:traffic", [f"bkv:{t}" for t in self.rng.sample(TRAFFIC, self.rng.randint(1, 2))]),
                    ("bk:commodity", f"bkv:{self.rng.choice(COMMODITIES)}" if self.rng.random() < 0.4 else None),
                    ("bk:condition", f"bkv:{self.rng.choice(CONDITIONS)}" if self.rng.random() < 0.5 else None),
                    ("bk:conditionDetail", lit("Trucks only between 8 am and 4 pm.") if self.rng.random() < 0.3 else None),
                ]
                self.count("partial openings")
            observed = self.rng.random() < 0.2
            timing, reported = self.timing(start, end, observed)
            first_day = timing[:2]
            self.claim("CrossingStatusClaim", f"{crossing.label} {status} ({self.lab(imposer)})", reported, [
                ("bk:crossing", crossing.iri), ("bk:crossingStatus", f"bkv:{status}"), ("bk:imposedBy", imposer),
                ("bk:inSupportOf", self.regime if status == "Closed" and self.rng.random() < 0.3 else None),
                *qualifiers, *timing, ("bk:resultsFrom", event)],
                f"The {crossing.label} is {status.lower()}.")
            self.count("status episodes")
            if self.rng.random() < 0.3:  # confirmation
                later = self.date_between(start + dt.timedelta(days=5), starts[i + 1] if i + 1 < len(starts) else LAST_DAY)
                c_timing, c_reported = self.timing(later, None, True)
                self.claim("CrossingStatusClaim", f"{crossing.label} still {status}", c_reported, [
                    ("bk:crossing", crossing.iri), ("bk:crossingStatus", f"bkv:{status}"), ("bk:imposedBy", imposer),
                    *qualifiers, *c_timing], f"The {crossing.label} remains {status.lower()}.")
            if self.rng.random() < 0.05:  # a same-day dispute on the status
                other = "Open" if status != "Open" else "Closed"
                self.claim("CrossingStatusClaim", f"{crossing.label} {other} (disputed)", start, [
                    ("bk:crossing", crossing.iri), ("bk:crossingStatus", f"bkv:{other}"), ("bk:imposedBy", imposer),
                    *first_day],
                    f"Traders say the {crossing.label} is {other.lower()}.")
                self.count("disputes")

    def alignment_history(self, actor: str, border_guard: bool) -> None:
        """An armed group's stance towards the regime, changing over the years."""
        changes = self.rng.choice((1, 1, 2, 2, 3))
        starts = sorted(self.date_between(FIRST_DAY, LAST_DAY - dt.timedelta(days=400)) for _ in range(changes))
        starts[0] = self.date_between(FIRST_DAY, FIRST_DAY + dt.timedelta(days=900))
        starts.sort()
        stance = "JuntaAligned" if border_guard else "AntiRegime"
        for i, start in enumerate(starts):
            if i:
                stance = self.rng.choice([s for s in ("AntiRegime", "JuntaAligned", "Neutral") if s != stance])
            end = starts[i + 1] if i + 1 < len(starts) and self.rng.random() < 0.2 else None
            timing, reported = self.timing(start, end, self.rng.random() < 0.1)
            words = {"AntiRegime": "against the regime", "JuntaAligned": "aligned with the junta", "Neutral": "neutral"}[stance]
            self.claim("AlignmentClaim", f"{self.lab(actor)} is {words}", reported, [
                ("bk:actor", actor), ("bk:alignment", f"bkv:{stance}"), ("bk:alignedWith", self.regime), *timing],
                f"{self.lab(actor)} is {words}.", partisan_ok=False)
            self.count("alignment episodes")

    # ------------------------------------------------------------ events

    def event(self, event_type: str, label: str, on: dt.date, agents: list[str], targets: Iterable[str] = (),
              location: str | None = None, participants: Iterable[str] = ()) -> str:
        iri = self.mint("event")
        self.count("events")
        value, precision = self.when(on, (("Day", 65), ("EarlyMonth", 5), ("MidMonth", 5), ("LateMonth", 5),
                                          ("Month", 12), ("NotAfter", 8)))
        inferred = precision not in ("Day", "NotAfter") and self.rng.random() < 0.5
        self.out.node("events.ttl", iri, ["bk:Event"], [
            ("rdfs:label", lit(label)), ("bk:eventType", f"bkv:{event_type}"),
            ("bk:agent", list(dict.fromkeys(agents))), ("bk:target", [t for t in dict.fromkeys(targets) if t not in agents]),
            ("bk:participant", list(dict.fromkeys(participants))), ("bk:location", location),
            ("bk:date", day(value)), ("bk:datePrecision", f"bkv:{precision}"),
            ("bk:dateInferred", "true" if inferred else None),
            ("bk:inferenceNote", lit("Dated from 'earlier this month' in the report.") if inferred else None),
            *self.sourcing(on, label + ".")])
        return iri

    def filler(self) -> None:
        """ACLED-like events (and a few trade figures, flows and assessments) about random
        actors and places, to bring the graph to its target size."""
        on = self.date_between(FIRST_DAY, LAST_DAY)
        roll = self.rng.random()
        border = self.rng.choice(self.borders)
        crossing = self.rng.choice(border.crossings)
        if roll < 0.03:
            quantity = self.mint("quantity")
            amount = self.rng.randint(1, 900) * 100_000
            self.out.node("claims.ttl", quantity, ["bk:Quantity"], [
                ("bk:numericValue", typed(f"{amount}.0", "xsd:decimal")), ("bk:unit", "bkv:USD"),
                ("bk:exactness", f"bkv:{self.rng.choice(('Exact', 'Approximate', 'AtLeast'))}"),
                ("bk:quantityText", lit(f"US$ {amount / 1e6:.1f} million"))])
            first = on.replace(day=1)
            self.claim("TradeFigureClaim", f"Trade through {crossing.label}", on, [
                ("bk:crossing", crossing.iri), ("bk:quantity", quantity), ("bk:periodStart", day(first)),
                ("bk:periodEnd", day(first + dt.timedelta(days=self.rng.randint(27, 120)))),
                ("bk:reportedBy", self.rng.choice(self.actors))], "Trade was worth millions.")
        elif roll < 0.05:
            self.claim("CommodityFlowClaim", f"Goods flow through {crossing.label}", on, [
                ("bk:crossing", crossing.iri), ("bk:commodity", f"bkv:{self.rng.choice(COMMODITIES)}"),
                ("bk:flowStatus", f"bkv:{self.rng.choice(('SoughtImport', 'Flowing', 'CutOff'))}"),
                ("bk:flowFrom", self.rng.choice(crossing.states)), ("bk:flowTo", self.rng.choice(crossing.settlements)),
                ("bk:observedOn", day(on)), ("bk:observedOnPrecision", "bkv:Day")], "Trucks of goods crossed.")
        elif roll < 0.07:
            self.claim("Assessment", f"Analyst on {crossing.label}", on, [
                ("bk:assessmentKind", f"bkv:{self.rng.choice(('Forecast', 'Evaluation'))}"),
                ("bk:statement", lit("Trade will not resume before talks.")),
                ("bk:observedOn", day(on)), ("bk:observedOnPrecision", "bkv:Day")], "Talks must come first.")
        else:
            kind = self.rng.choice(FILLER_EVENTS)
            agent = self.rng.choice(border.armed + [self.armed_forces[c] for c in border.countries] + self.actors[:4])
            target = self.rng.choice(border.armed)
            where = self.rng.choice((crossing.iri, *crossing.settlements, self.rng.choice(self.places)))
            participants = [self.rng.choice(self.actors)] if kind in ("Negotiation", "CeasefireAgreement") else []
            self.event(kind, f"{kind} by {self.lab(agent)} near {self.lab(where)}", on, [agent], [target], where, participants)

    # ------------------------------------------------------------ the whole graph

    def generate(self, ontology_triples: int) -> None:
        self.build_world()
        crossings = [c for b in self.borders for c in b.crossings]
        history_budget = 0.55 * (self.target - ontology_triples) - self.out.triples
        episodes = max(1, round(history_budget / (len(crossings) * TRIPLES_PER_EPISODE)))
        official = [c for c in crossings if c.official]
        self.rich_crossing = official[0]  # the card the benchmark shows: the longest history
        for crossing in crossings:
            n = max(2, round(episodes * self.rng.uniform(0.5, 1.5)))
            if crossing is self.rich_crossing:
                n = 3 * episodes
            self.control_history(crossing, n)
            self.status_history(crossing, max(2, n // 2))
        while ontology_triples + self.out.triples < self.target:
            self.filler()
        self.stats["crossings"] = len(crossings)
        self.stats["official crossings"] = len(official)
        self.stats["borders"] = len(self.borders)
        self.stats["actors"] = len(self.actors)


def small_report(gen: Generator, claims: int = 100) -> Out:
    """An added report: one new source and ~``claims`` claims about existing crossings, in a
    fresh :class:`Out` (the benchmark validates the graph with it added)."""
    report = Generator(0, seed=gen.rng.randint(0, 10**9))
    report.publishers, report.places, report.actors, report.labels = gen.publishers, gen.places, gen.actors, gen.labels
    report.iri_prefix = "report-"  # new claims and sources; everything else exists
    report.fixed_source = None
    report.fixed_source = report.source(LAST_DAY)
    crossings = [c for b in gen.borders for c in b.crossings]
    while report.stats.get("ControlClaim", 0) + report.stats.get("CrossingStatusClaim", 0) < claims:
        crossing = report.rng.choice(crossings)
        report.control_history(crossing, 1)
        report.status_history(crossing, 1)
    return report.out


# ---------------------------------------------------------------------------- writing


def header(fmt: str) -> str:
    return "" if fmt == "nt" else "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items()) + "\n"


def write_blocks(path: Path, blocks: list[str], fmt: str, chunk: int = 20_000) -> list[Path]:
    """``blocks`` into ``path`` (split in files of ``chunk`` subjects), as Turtle or N-Triples."""
    written = []
    for n, begin in enumerate(range(0, max(len(blocks), 1), chunk)):
        part = blocks[begin:begin + chunk]
        target = path if n == 0 else path.with_name(f"{path.stem}-{n + 1}{path.suffix}")
        text = header(fmt) + "\n".join(part)
        if fmt == "nt":
            text = to_ntriples(part)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def to_ntriples(blocks: list[str]) -> str:
    """Turtle subject blocks (as :class:`Out` writes them) as N-Triples lines: parsed with
    pyoxigraph so the expansion is exact."""
    import pyoxigraph as ox

    text = header("ttl") + "\n".join(blocks)
    triples = ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()


def count_triples(files: Iterable[Path]) -> int:
    import pyoxigraph as ox

    store = ox.Store()
    for f in files:
        store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE)
    return len(store)


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def generate_tree(triples: int, out: Path, seed: int = 1, fmt: str = "ttl") -> dict[str, object]:
    """Write the tree (see the module docstring); return the manifest written to ``bench.json``."""
    if out.exists():
        shutil.rmtree(out)
    for name in ("ontology", "queries"):
        shutil.copytree(ROOT / name, out / name)
    ontology = [f for f in sorted((out / "ontology").glob("*.ttl")) if f.name != "shapes.ttl"]
    ontology_triples = count_triples(ontology)
    gen = Generator(triples, seed)
    gen.generate(ontology_triples)
    (out / "data").mkdir()
    files: list[Path] = []
    for name, blocks in sorted(gen.out.files.items()):
        files += write_blocks(out / "data" / name, blocks, fmt)
    (out / "extra").mkdir()
    report = small_report(gen)
    write_blocks(out / "extra" / "report.ttl", [b for name in sorted(report.files) for b in report.files[name]], fmt,
                 chunk=10**9)
    crossing = gen.rich_crossing
    assert crossing is not None
    manifest: dict[str, object] = {
        "seed": seed, "target_triples": triples, "format": fmt,
        "triples": ontology_triples + gen.out.triples, "ontology_triples": ontology_triples,
        "data_triples": gen.out.triples, "report_triples": report.triples,
        "crossing": crossing.label, "search": gen.search_text, "as_of": "2025-06-15",
        "files": [str(f.relative_to(out)) for f in files], "counts": dict(sorted(gen.stats.items())),
    }
    (out / "bench.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=parse_size, default=10_000, help="target size: 10k, 100k, 1M…")
    parser.add_argument("--out", type=Path, required=True, help="the tree to write (replaced)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=("ttl", "nt"), default="ttl",
                        help="data files as prefixed Turtle or as N-Triples (both named .ttl)")
    args = parser.parse_args()
    manifest = generate_tree(args.triples, args.out, args.seed, args.format)
    print(json.dumps({k: v for k, v in manifest.items() if k != "files"}, indent=2))


if __name__ == "__main__":
    main()
