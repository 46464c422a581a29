"""Report files: one source's events and claims, written by a person with names, turned into RDF.

A report (YAML, see ``examples/`` and ``kg add --template``) has a ``source:`` block and lists of
``entities:`` (things the graph may not know yet), ``events:`` and ``claims:``. Fields are the
ontology's properties by label or alias (:mod:`kg.report_vocabulary`); values are names (resolved
like the lookups resolve them: aliases, accents, suggestions on a miss), vocabulary labels
("full control", "unnamed sources"), dates written as the tool shows them ("2024-11-20",
"2024-11", "mid-2024-10", "<=2024-11-30", ">=2024-11-24"), or text.

:func:`build` turns a loaded report into triples with stable IRIs (an ``id`` is kept as given;
otherwise an IRI is minted from the source and the item's content, so the same report always
gives the same IRIs) and remembers the report line behind every subject and property, so that a
problem found later (by SHACL, by a quality query) is told by the line that caused it. Every
problem found here has a line too; nothing is written while any remains.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from kg.namespaces import ID, VOCAB
from kg.report_vocabulary import BK, DCT, GEO, PROV, RDF, RDFS, SKOS, XSD, Property, Vocabulary, fold
from kg.report_yaml import Node

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,120}$")

#: claim kinds and the class each makes
CLAIM_KINDS: dict[str, str] = {
    "control": BK + "ControlClaim",
    "status": BK + "CrossingStatusClaim",
    "alignment": BK + "AlignmentClaim",
    "trade figure": BK + "TradeFigureClaim",
    "commodity flow": BK + "CommodityFlowClaim",
    "assessment": BK + "Assessment",
}
#: the field naming each kind's subject, for minted IRIs and labels
SUBJECT_FIELD = {"control": "place", "status": "crossing", "alignment": "actor", "trade figure": "crossing",
                 "commodity flow": "crossing", "assessment": "about"}
#: fields every event and claim may carry besides the ontology's properties
CONTROL_FIELDS = {"id", "type", "claim", "date inferred", "deprecated", "direction", "period",
                  "supersedes", "kind", "value", "unit", "exactness", "text"}
DEFAULTS = {BK + "attribution": VOCAB + "PublisherReporting", BK + "basis": VOCAB + "Stated"}
#: a control claim without a level holds the place fully
CONTROL_DEFAULT = (BK + "controlLevel", VOCAB + "FullControl")
#: words that mean another property in one kind of item than their label does elsewhere
CONTEXT_ALIASES: dict[str, dict[str, str]] = {
    "a control claim": {"holder": "controller"},
    "a trade figure claim": {"reported by": "reported by"},
}
PARTIAL = VOCAB + "PartiallyOpen"


@dataclass(frozen=True)
class Problem:
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True)
class Item:
    """One event, claim or entity of the report, for listings ("would add …")."""

    section: str
    iri: str
    label: str
    line: int


@dataclass
class Built:
    source: str = ""
    triples: list[tuple[Any, Any, Any]] = field(default_factory=list)
    #: subject IRI -> line of its item; (subject, predicate) -> line of the field
    lines: dict[Any, int] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: the report names a source the graph already has (``source: {id: …}``) and writes nothing
    #: about it: no ``bk:addedOn`` either, so its claims are known from the source's own dates
    existing_source: bool = False

    def line_of(self, subject: str, predicate: str | None = None) -> int | None:
        if predicate is not None and (subject, predicate) in self.lines:
            return self.lines[(subject, predicate)]
        return self.lines.get(subject)


class Names:
    """Name resolution for a report: entities declared in it first (by id, name or alias), then
    the graph's own names (:class:`kg.names.NameIndex`), then IRIs and CURIEs."""

    def __init__(self, index: Any, known: Container[str]) -> None:
        self.index = index
        self.known = known  # every IRI the graph has (subjects), for IRIs given as such
        self.declared: dict[str, set[str]] = {}  # folded name -> IRIs declared with it
        self.ids: dict[str, str] = {}  # id given in the report -> IRI
        self.types: dict[str, set[str]] = {}  # declared IRI -> classes
        self.labels: dict[str, str] = {}  # declared IRI -> its name, for labels in words

    def declare(self, iri: str, names: Iterable[str], classes: set[str], given_id: str | None = None,
                label: str | None = None) -> None:
        if given_id:
            self.ids[given_id] = iri
        if label:
            self.labels.setdefault(iri, label)
        for name in names:
            self.declared.setdefault(fold(name), set()).add(iri)
        self.types[iri] = classes

    def resolve(self, name: str, kinds: list[str] | None) -> str:
        from kg.names import ResolveError, _as_iri

        text = str(name).strip()
        iri = _as_iri(text)
        if iri is not None:
            if iri in self.known or iri in self.types:
                return iri
            raise LookupError(f"no entity {text} in the graph or this report")
        if text in self.ids:
            return self.ids[text]
        declared = self.declared.get(fold(text), set())
        if len(declared) == 1:
            return next(iter(declared))
        if declared:
            ids = ", ".join(sorted(i.removeprefix(ID) for i in declared))
            raise LookupError(f"'{text}' names several entities of this report ({ids}): give the id")
        try:
            return self.index.resolve(text, kinds, "entity").iri
        except ResolveError as error:
            raise LookupError(" ".join(str(error).split())) from None


class Builder:
    """Builds one report's triples (see the module docstring)."""

    def __init__(self, vocab: Vocabulary, names: Names) -> None:
        self.vocab = vocab
        self.names = names
        self.out = Built()
        self.minted: set[str] = set()
        self.local_ids: dict[str, str] = {}  # id given in the report -> IRI (events, claims)
        self.declared_entities: list[tuple[str, Node, set[str]]] = []

    # ------------------------------------------------------------------ plumbing

    def problem(self, line: int | None, message: str) -> None:
        self.out.problems.append(Problem(line, message))

    def add(self, s: str, p: str, o: Any, line: int | None) -> None:
        from rdflib.term import Identifier, URIRef

        obj = o if isinstance(o, Identifier) else URIRef(o)
        self.out.triples.append((URIRef(s), URIRef(p), obj))
        if line is not None:
            self.out.lines.setdefault((s, p), line)

    def mint(self, wanted: str, node: Node | None = None) -> str:
        """``bkr:<wanted>``, or ``bkr:<wanted>-2``… when an item of this report took it."""
        base = re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]", "-", fold(wanted).replace(" ", "-"))).strip("-")[:110]
        base = base or "item"
        candidate, n = base, 1
        while ID + candidate in self.minted:
            n += 1
            candidate = f"{base}-{n}"
        self.minted.add(ID + candidate)
        return ID + candidate

    def given_id(self, node: Node) -> str | None:
        """The IRI of an item's own ``id``, after checking it is a plain slug."""
        id_node = node.get("id")
        if id_node is None:
            return None
        value = str(id_node.value)
        if not ID_PATTERN.match(value):
            self.problem(id_node.line, f"id '{value}' must be lower-case letters, digits and dashes")
            return None
        iri = ID + value
        if iri in self.minted:
            self.problem(id_node.line, f"id '{value}' is used twice in this report")
        self.minted.add(iri)
        return iri

    # ------------------------------------------------------------------ values

    def date(self, node: Node, precision_node: Node | None) -> tuple[str, str] | None:
        """(ISO date, precision IRI) from a date as the tool writes it, or None (a problem)."""
        text = str(node.value).strip()
        found = parse_date(text, self.vocab)
        if found is None:
            self.problem(node.line, f"'{text}' is not a date: write 2024-11-20, 2024-11, 2024, early-/mid-/late-2024-11, "
                                    "<=2024-11-30 (on or before) or >=2024-11-24 (on or after)")
            return None
        iso, precision = found
        if precision_node is not None:
            explicit = self.vocab.concept(VOCAB + "DatePrecisionScheme", precision_node.value)
            if explicit is None:
                choices = ", ".join(self.vocab.choices(VOCAB + "DatePrecisionScheme"))
                self.problem(precision_node.line, f"unknown precision '{precision_node.value}' (one of: {choices})")
                return None
            precision = explicit
        return iso, precision

    def concept(self, prop: Property, node: Node) -> str | None:
        value = self.vocab.concept(prop.scheme, node.value)
        if value is None:
            choices = ", ".join(self.vocab.choices(prop.scheme)) if prop.scheme else "a concept of the vocabulary"
            self.problem(node.line, f"{prop.label}: unknown value '{node.value}' (one of: {choices})")
        return value

    def entity(self, prop: Property | None, node: Node, kinds: list[str] | None = None) -> str | None:
        if str(node.value) in self.local_ids:  # an event or claim of this report, by its id
            return self.local_ids[str(node.value)]
        if kinds is None and prop is not None:
            kinds = kinds_for(prop.range, self.vocab)
        try:
            return self.names.resolve(str(node.value), kinds)
        except LookupError as error:
            label = prop.label if prop is not None else "name"
            self.problem(node.line, f"{label}: {error}")
            return None

    def literal(self, prop: Property, node: Node) -> Any:
        from rdflib import Literal

        value = node.value
        if isinstance(value, (dict, list)) or value is None:
            self.problem(node.line, f"{prop.label}: expected text or a number")
            return None
        if prop.datatype == XSD + "decimal":
            try:
                number = Decimal(str(value).replace(",", ""))
            except InvalidOperation:
                self.problem(node.line, f"{prop.label}: '{value}' is not a number")
                return None
            return Literal(decimal_lexical(number), datatype=XSD + "decimal")
        if prop.datatype == XSD + "integer":
            if not re.fullmatch(r"[+-]?\d+", str(value)):
                self.problem(node.line, f"{prop.label}: '{value}' is not a whole number")
                return None
            return Literal(str(int(value)), datatype=XSD + "integer")
        if prop.datatype == XSD + "boolean":
            if not isinstance(value, bool):
                self.problem(node.line, f"{prop.label}: expected yes or no")
                return None
            return Literal("true" if value else "false", datatype=XSD + "boolean")
        if prop.datatype == XSD + "dateTime":
            import datetime as dt

            try:
                moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            except ValueError:
                self.problem(node.line, f"{prop.label}: '{value}' is not a date and time (2024-11-25T08:30:00Z)")
                return None
            if moment.tzinfo is None:
                self.problem(node.line, f"{prop.label}: '{value}' needs its time zone (Z for UTC)")
                return None
            text = moment.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")
            return Literal(text, datatype=XSD + "dateTime")
        if prop.datatype in (XSD + "anyURI", GEO + "wktLiteral"):
            return Literal(str(value), datatype=prop.datatype)
        if prop.language:
            return Literal(str(value), lang=prop.language)
        return Literal(str(value))

    # ------------------------------------------------------------------ fields

    def fields(self, subject: str, node: Node, skip: set[str], section: str) -> None:
        """Every field of ``node`` as triples of ``subject`` (the item's own properties)."""
        for key, value in node.items():
            folded = fold(key)
            if folded in skip or folded in ("id", "date inferred", "deprecated") or folded.endswith(" precision"):
                continue
            prop = self.vocab.property(CONTEXT_ALIASES.get(section, {}).get(folded, key))
            if prop is None:
                derived = [p for p in self.vocab.derived if fold(p.rsplit("#", 1)[-1]) == folded.replace(" ", "")]
                reason = ("is derived by the resolution, not written in reports" if derived
                          else f"is not a field of {section} ({suggest_field(key, self.vocab)})")
                self.problem(node.key_lines.get(key, node.line), f"'{key}' {reason}")
                continue
            self.field(subject, prop, key, value, node)

    def field(self, subject: str, prop: Property, key: str, value: Node, parent: Node) -> None:
        line = parent.key_lines.get(key, value.line)
        values = value.value if value.is_list else [value]
        if prop.kind == "date":
            if value.is_list:
                self.problem(line, f"{prop.label}: one date, not a list")
                return
            found = self.date(value, parent.get(f"{key} precision"))
            if found is not None:
                from rdflib import Literal

                self.add(subject, prop.iri, Literal(found[0], datatype=XSD + "date"), line)
                if prop.precision:
                    self.add(subject, prop.precision, found[1], line)
            return
        for item in values:
            if prop.kind == "concept":
                target = self.concept(prop, item)
            elif prop.kind == "entity":
                target = self.entity(prop, item)
            elif prop.kind == "node":
                target = self.nested(subject, prop, item)
            else:
                target = self.literal(prop, item)
            if target is not None:
                self.add(subject, prop.iri, target, item.line if value.is_list else line)

    def nested(self, parent: str, prop: Property, node: Node) -> str | None:
        """A value written inline: a quantity, a crossing side, a geometry (its own node)."""
        if not node.is_map:
            if prop.iri == GEO + "hasGeometry" and isinstance(node.value, str):
                node = Node({"wkt": node}, node.line, {"wkt": node.line})
            else:
                self.problem(node.line, f"{prop.label}: expected its fields (indented under it)")
                return None
        local = parent.removeprefix(ID)
        suffix = {BK + "quantity": "quantity", BK + "hasSide": "side", GEO + "hasGeometry": "geometry"}[prop.iri]
        iri = self.given_id(node) or self.mint(f"{suffix}-{local}" if suffix == "quantity" else f"{local}-{suffix}")
        self.out.lines.setdefault(iri, node.line)
        types = {BK + "quantity": BK + "Quantity", BK + "hasSide": BK + "CrossingSide",
                 GEO + "hasGeometry": GEO + "Geometry"}[prop.iri]
        self.add(iri, RDF + "type", types, node.line)
        if prop.iri == BK + "quantity":
            self.quantity_fields(iri, node)
        else:
            if prop.iri == BK + "hasSide":
                self.add(iri, PROV + "wasDerivedFrom", self.out.source, node.line)
            if prop.iri == GEO + "hasGeometry" and node.get("lat") is not None:
                self.point(iri, node)
            self.fields(iri, node, {"lat", "lon"} | ({"precision"} if prop.iri == GEO + "hasGeometry" else set()),
                        prop.label)
            precision = node.get("precision")
            if precision is not None and prop.iri == GEO + "hasGeometry":
                coord = self.vocab.property("coordinate precision")
                if coord is not None:
                    found = self.concept(coord, precision)
                    if found:
                        self.add(iri, coord.iri, found, precision.line)
        return iri

    def point(self, iri: str, node: Node) -> None:
        from rdflib import Literal

        try:
            lat, lon = float(node.get("lat").value), float(node.get("lon").value)  # type: ignore[union-attr]
        except (TypeError, ValueError, AttributeError):
            self.problem(node.line, "coordinates: lat and lon must both be numbers")
            return
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            self.problem(node.line, "coordinates: lat must lie in -90..90 and lon in -180..180")
            return
        self.add(iri, GEO + "asWKT", Literal(f"POINT({lon:g} {lat:g})", datatype=GEO + "wktLiteral"), node.line)

    def quantity_fields(self, iri: str, node: Node) -> None:
        shortcuts = {"value": "numeric value", "text": "quantity text"}
        renamed = Node({shortcuts.get(fold(k), k): v for k, v in node.items()}, node.line,
                       {shortcuts.get(fold(k), k): line for k, line in node.key_lines.items()})
        self.fields(iri, renamed, set(), "a quantity")

    # ------------------------------------------------------------------ sections

    def source(self, node: Node | None) -> None:
        if node is None or not node.is_map:
            self.problem(node.line if node else None, "a report starts with a source: block (title, url, published…)")
            return
        if [fold(k) for k, _ in node.items()] == ["id"] and self.existing_source(node):
            return
        given = self.given_id(node)
        title = node.get("title")
        if given is None:
            publisher = node.get("publisher")
            published = node.get("published")
            words = " ".join(str(x.value) for x in (publisher, published, title) if x is not None)
            given = self.mint("source-" + " ".join(words.split()[:12]))
        elif not given.removeprefix(ID).startswith("source-"):
            self.minted.discard(given)
            given = self.mint("source-" + given.removeprefix(ID))
        self.out.source = given
        self.out.lines[given] = node.line
        kind = node.get("type") or node.get("kind")
        cls = BK + "NewsArticle"
        if kind is not None:
            found = self.vocab.classes.get(fold(kind.value))
            if found is None or not self.vocab.is_a(found, BK + "Source"):
                self.problem(kind.line, f"type: unknown kind of source '{kind.value}' (news article or web page)")
            else:
                cls = found
        elif node.get("accessed") is not None and node.get("published") is None:
            cls = BK + "WebPage"
        self.add(given, RDF + "type", cls, node.line)
        label = title.value if title is not None else None
        self.fields(given, node, {"kind", "type"}, "the source")
        self.inferred(given, node)
        if node.get("label") is None and label:
            from rdflib import Literal

            publisher = self.triple_value(given, DCT + "publisher")
            shown = f"{self.name_of(publisher)}: {label}" if publisher is not None else str(label)
            self.add(given, RDFS + "label", Literal(shown), node.line)
        self.out.items.append(Item("source", given, str(label or given), node.line))

    def existing_source(self, node: Node) -> bool:
        """``source: {id: …}`` alone names a source the graph already has (one of ``data/external/``,
        say): the report adds events and claims from it, and writes nothing about the source."""
        id_node = node.get("id")
        value = str(id_node.value)  # type: ignore[union-attr]
        iri = ID + (value if value.startswith("source-") else "source-" + value)
        if not ID_PATTERN.match(value):
            return False
        if iri not in self.names.known:
            self.problem(id_node.line, f"source: no source '{value}' in the graph; a new source needs its title, "  # type: ignore[union-attr]
                                       "publisher, url, published or accessed, and quality")
            return True
        self.minted.add(iri)
        self.out.source = iri
        self.out.existing_source = True
        self.out.lines[iri] = node.line
        self.out.items.append(Item("source", iri, value, node.line))
        return True

    def entities(self, nodes: list[Node]) -> None:
        """Declared entities' IRIs and names, before anything refers to them (the source's
        publisher, each other, events and claims)."""
        declared: list[tuple[str, Node, set[str]]] = []
        for node in nodes:
            if not node.is_map:
                self.problem(node.line, "each entity is a block of fields (id, type, name…)")
                continue
            name = node.get("name")
            classes = self.classes(node)
            iri = self.given_id(node)
            if iri is None:
                if name is None:
                    self.problem(node.line, "an entity needs a name or an id")
                    continue
                iri = self.mint(str(name.value))
            names = [str(x.value) for x in ([name] if name else [])]
            also = node.get("also")
            if also is not None:
                names += [str(x.value) for x in (also.value if also.is_list else [also])]
            given = str(node.get("id").value) if node.get("id") is not None else None
            self.names.declare(iri, names, classes, given, str(name.value) if name else None)
            declared.append((iri, node, classes))
        self.declared_entities = declared

    def entity_fields(self) -> None:
        """The fields of the declared entities (after the source: they are derived from it)."""
        for iri, node, classes in self.declared_entities:
            self.out.lines[iri] = node.line
            for cls in sorted(classes):
                self.add(iri, RDF + "type", cls, node.line)
            self.add(iri, PROV + "wasDerivedFrom", self.out.source, node.line)
            self.fields(iri, node, {"type"}, "an entity")
            self.inferred(iri, node)
            name = node.get("name")
            self.out.items.append(Item("entity", iri, str(name.value) if name else iri, node.line))

    def classes(self, node: Node) -> set[str]:
        found: set[str] = set()
        kind = node.get("type")
        if kind is None:
            return found
        for item in kind.value if kind.is_list else [kind]:
            cls = self.vocab.classes.get(fold(item.value))
            if cls is None:
                self.problem(item.line, f"type: unknown class '{item.value}' ({suggest(item.value, self.vocab.classes)})")
            else:
                found.add(cls)
        return found

    def declare_ids(self, nodes: list[Node], section: str) -> list[tuple[str | None, Node]]:
        """IRIs for the events or claims that give an ``id`` (others are minted from content
        once their fields are known), so items can refer to each other in any order."""
        out = []
        for node in nodes:
            if not node.is_map:
                self.problem(node.line, f"each of the {section} is a block of fields")
                continue
            iri = self.given_id(node)
            if iri is not None:
                self.local_ids[str(node.get("id").value)] = iri  # type: ignore[union-attr]
            out.append((iri, node))
        return out

    def events(self, declared: list[tuple[str | None, Node]]) -> None:
        for iri, node in declared:
            kind = node.get("type")
            event_type = self.concept(self.vocab.property("event type"), kind) if kind is not None else None  # type: ignore[arg-type]
            if kind is None:
                self.problem(node.line, "an event needs a type (capture, border closure, talks…)")
            date = node.get("date")
            if iri is None:
                label = node.get("label")
                what = str(label.value) if label is not None else f"{kind.value if kind else 'event'} {date.value if date else ''}"
                iri = self.mint(f"event-{self.short_source()}-{what}")
            if event_type:
                self.add(iri, BK + "eventType", event_type, kind.line)  # type: ignore[union-attr]
            self.item_common(iri, node, BK + "Event", "an event")
            self.out.items.append(Item("event", iri, self.label_of(iri, node), node.line))

    def claims(self, declared: list[tuple[str | None, Node]]) -> None:
        for iri, node in declared:
            kind_node = node.get("claim")
            kind = fold(kind_node.value) if kind_node is not None else ""
            kind = kind.removesuffix(" claim")
            cls = CLAIM_KINDS.get(kind)
            if cls is None:
                self.problem(kind_node.line if kind_node else node.line,
                             f"claim: say which kind ({', '.join(CLAIM_KINDS)})")
                continue
            if iri is None:
                iri = self.mint(f"claim-{self.short_source()}-{self.claim_slug(kind, node)}")
            self.item_common(iri, node, cls, f"a {kind} claim")
            if kind == "control" and self.triple_value(iri, CONTROL_DEFAULT[0]) is None:
                self.add(iri, CONTROL_DEFAULT[0], CONTROL_DEFAULT[1], node.line)
            self.claim_extras(iri, kind, node)
            self.out.items.append(Item("claim", iri, self.label_of(iri, node), node.line))

    def item_common(self, iri: str, node: Node, cls: str, section: str) -> None:
        """What events and claims share: type, source, sourcing defaults, fields, label."""
        from rdflib import Literal

        self.out.lines[iri] = node.line
        self.add(iri, RDF + "type", cls, node.line)
        self.add(iri, PROV + "wasDerivedFrom", self.out.source, node.line)
        given = {prop.iri for k, _ in node.items()
                 if (prop := self.vocab.property(CONTEXT_ALIASES.get(section, {}).get(fold(k), k))) is not None}
        for predicate, default in DEFAULTS.items():
            if predicate not in given:
                self.add(iri, predicate, default, node.line)
        self.fields(iri, node, CONTROL_FIELDS, section)
        self.inferred(iri, node)
        deprecated = node.get("deprecated")
        if deprecated is not None:
            self.add(iri, BK + "rank", VOCAB + "DeprecatedRank", deprecated.line)
            self.add(iri, BK + "deprecationReason", Literal(str(deprecated.value)), deprecated.line)
        if node.get("label") is None:
            self.add(iri, RDFS + "label", Literal(self.auto_label(iri, node)), node.line)

    def inferred(self, iri: str, node: Node) -> None:
        """``date inferred: how`` (or yes): the date was worked out, and the note says how."""
        from rdflib import Literal

        inferred = node.get("date inferred")
        if inferred is None:
            return
        if inferred.value is True or (isinstance(inferred.value, str) and inferred.value.strip()):
            self.add(iri, BK + "dateInferred", Literal("true", datatype=XSD + "boolean"), inferred.line)
            if isinstance(inferred.value, str):
                self.add(iri, BK + "inferenceNote", Literal(inferred.value), inferred.line)
        elif inferred.value is not False:
            self.problem(inferred.line, "date inferred: say how (text) or yes")

    def claim_extras(self, iri: str, kind: str, node: Node) -> None:
        """Kind-specific shortcuts: "direction: into Myanmar", a trade figure's period and
        value, "supersedes" (this claim ends an earlier one)."""
        from rdflib import Literal

        direction = node.get("direction")
        if direction is not None:
            text = fold(direction.value)
            if text.startswith("into "):
                target = self.entity(self.vocab.property("traffic into"), Node(str(direction.value)[5:].strip(), direction.line))
                if target:
                    self.add(iri, BK + "trafficInto", target, direction.line)
            elif text not in ("both", "both ways", "both directions"):
                self.problem(direction.line, "direction: write 'into COUNTRY' (e.g. into Myanmar) or 'both'")
        period = node.get("period")
        if period is not None:
            parts = str(period.value).split("/")
            if len(parts) != 2 or not all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", p.strip()) for p in parts):
                self.problem(period.line, "period: write FIRST/LAST day, e.g. 2024-01-01/2024-04-30")
            else:
                self.add(iri, BK + "periodStart", Literal(parts[0].strip(), datatype=XSD + "date"), period.line)
                self.add(iri, BK + "periodEnd", Literal(parts[1].strip(), datatype=XSD + "date"), period.line)
        if any(node.get(k) is not None for k in ("value", "unit", "exactness", "text")):
            quantity = {k: v for k, v in node.items() if fold(k) in ("value", "unit", "exactness", "text")}
            lines = {k: node.key_lines[k] for k in quantity}
            prop = self.vocab.property("quantity")
            target = self.nested(iri, prop, Node(quantity, node.line, lines)) if prop else None  # type: ignore[arg-type]
            if target:
                self.add(iri, BK + "quantity", target, node.line)
        supersedes = node.get("supersedes")
        if supersedes is not None:
            for item in supersedes.value if supersedes.is_list else [supersedes]:
                target = self.local_ids.get(str(item.value))
                if target is None:
                    from kg.names import _as_iri

                    target = _as_iri(str(item.value))
                    if target is None or target not in self.names.known:
                        self.problem(item.line, f"supersedes: no claim '{item.value}' in this report or the graph")
                        continue
                self.add(iri, BK + "supersedes", target, item.line)
        status = self.triple_value(iri, BK + "crossingStatus")
        if kind == "status" and status != PARTIAL and any(
                self.triple_value(iri, p) for p in (BK + "trafficInto", BK + "traffic", BK + "commodity")):
            self.problem(node.line, "a status with a direction, traffic or goods is 'partially open'")

    # ------------------------------------------------------------------ labels and slugs

    def triple_value(self, subject: str, predicate: str) -> str | None:
        for s, p, o in reversed(self.out.triples):
            if str(s) == subject and str(p) == predicate:
                return str(o)
        return None

    def name_of(self, iri: str | None) -> str:
        if not iri:
            return "?"
        for s, p, o in self.out.triples:
            if str(s) == iri and str(p) == SKOS + "prefLabel":
                return str(o)
        if iri in self.names.labels:  # declared by another report added with this one
            return self.names.labels[iri]
        entity = self.names.index.entities.get(iri) if self.names.index is not None else None
        if entity is not None:
            return entity.label
        return self.vocab.concept_labels.get(iri, iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1])

    def short_source(self) -> str:
        return self.out.source.removeprefix(ID + "source-")[:40]

    def claim_slug(self, kind: str, node: Node) -> str:
        subject = node.get(SUBJECT_FIELD[kind]) or node.get("about")
        value = next((node.get(k) for k in ("holder", "controller", "level", "status", "crossing status", "alignment",
                                             "flow", "value", "kind") if node.get(k) is not None), None)
        when = next((node.get(k) for k in ("from", "observed", "until", "period") if node.get(k) is not None), None)
        return " ".join(str(x.value) for x in (subject, value, when) if x is not None) or kind

    def label_of(self, iri: str, node: Node) -> str:
        label = node.get("label")
        return str(label.value) if label is not None else self.auto_label(iri, node)

    def auto_label(self, iri: str, node: Node) -> str:
        """A label in words when the report gives none: "KIA holds Kanpiketi from 2024-11-20"."""
        def value(p: str) -> str | None:
            return self.triple_value(iri, p)

        when = next((f"{word} {node.get(k).value}" for k, word in (("from", "from"), ("observed", "seen"),  # type: ignore[union-attr]
                     ("until", "until"), ("date", "on"), ("period", "in")) if node.get(k) is not None), "")
        if value(RDF + "type") == BK + "ControlClaim":
            text = f"{self.name_of(value(BK + 'controller'))} holds {self.name_of(value(BK + 'place'))}"
        elif value(RDF + "type") == BK + "CrossingStatusClaim":
            text = (f"{self.name_of(value(BK + 'crossing'))} {self.name_of(value(BK + 'crossingStatus'))}"
                    + (f", by {self.name_of(value(BK + 'imposedBy'))}" if value(BK + "imposedBy") else ""))
        elif value(RDF + "type") == BK + "AlignmentClaim":
            text = f"{self.name_of(value(BK + 'actor'))} is {self.name_of(value(BK + 'alignment'))}"
        elif value(RDF + "type") == BK + "Event":
            agent = value(BK + "agent")
            text = (f"{self.name_of(agent)}: " if agent else "") + self.name_of(value(BK + "eventType"))
            where = value(BK + "location")
            text += f" at {self.name_of(where)}" if where else ""
        else:
            text = self.name_of(value(RDF + "type"))
        return f"{text} {when}".strip()


# ---------------------------------------------------------------------------- helpers


#: the first day of the part of a month these precisions denote (their definitions: days 1-10,
#: 11-20, 21-end); every other precision stores the first day of its period or its bound
MONTH_PART_DAY = {VOCAB + "EarlyMonth": "01", VOCAB + "MidMonth": "11", VOCAB + "LateMonth": "21"}


def parse_date(text: str, vocab: Vocabulary) -> tuple[str, str] | None:
    """("2024-11-01", bkv:Month) for "2024-11", ("2024-10-11", bkv:MidMonth) for "mid-2024-10":
    the forms the tool displays, read back to the stored date and its precision."""
    import datetime as dt

    text = text.strip()
    by_prefix = {prefix: iri for iri, (prefix, _length) in vocab.precisions.items() if prefix}
    for prefix in sorted(by_prefix, key=len, reverse=True):
        if text.startswith(prefix):
            rest = text[len(prefix):]
            precision = by_prefix[prefix]
            found = _iso(rest, vocab.precisions[precision][1])
            if found and precision in MONTH_PART_DAY:
                found = found[:8] + MONTH_PART_DAY[precision]
            return (found, precision) if found else None
    plain = {length: iri for iri, (prefix, length) in vocab.precisions.items() if not prefix}
    found = _iso(text, len(text))
    if found is None or len(text) not in plain:
        return None
    try:
        dt.date.fromisoformat(found)
    except ValueError:
        return None
    return found, plain[len(text)]


def _iso(text: str, length: int) -> str | None:
    """The first day of the period ``text`` names, as an ISO date (``2024-11`` -> ``2024-11-01``)."""
    import datetime as dt

    patterns = {10: r"\d{4}-\d{2}-\d{2}", 7: r"\d{4}-\d{2}", 4: r"\d{4}"}
    if length not in patterns or not re.fullmatch(patterns[length], text):
        return None
    iso = text + {10: "", 7: "-01", 4: "-01-01"}[length]
    try:
        dt.date.fromisoformat(iso)
    except ValueError:
        return None
    return iso


def decimal_lexical(number: Decimal) -> str:
    """The lexical form the project's files use for decimals (``302.0``, ``48.5``)."""
    if number == number.to_integral_value():
        return f"{int(number)}.0"
    return format(number.normalize(), "f")


def kinds_for(range_iri: str | None, vocab: Vocabulary) -> list[str] | None:
    """The name-index kinds (actor, place, crossing) a property's range allows, or None (any)."""
    if range_iri is None:
        return None
    for kind, cls in (("crossing", BK + "BorderCrossing"), ("actor", BK + "Actor"), ("place", BK + "Place")):
        if vocab.is_a(range_iri, cls):  # the most specific kind the range falls in
            return [kind]
    wider = [kind for kind, cls in (("actor", BK + "Actor"), ("place", BK + "Place"), ("crossing", BK + "BorderCrossing"))
             if vocab.is_a(cls, range_iri)]
    return wider or None


def suggest(text: Any, options: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(fold(str(text)), list(options), n=3, cutoff=0.6)
    return f"did you mean: {', '.join(close)}?" if close else "see kg add --template"


def suggest_field(key: str, vocab: Vocabulary) -> str:
    return suggest(key, vocab.properties)


SECTIONS = ("report", "source", "entities", "events", "claims")


def build(root: Node, vocab: Vocabulary, names: Names) -> Built:
    """The triples of one loaded report, or its problems (each with a line)."""
    return build_all([root], vocab, names)[0]


def build_all(roots: list[Node], vocab: Vocabulary, names: Names) -> list[Built]:
    """The triples of several reports added together, one :class:`Built` each. They share one
    :class:`Names`, and every report's entities are declared before any report is built, so a
    report may name an entity another report of the same batch declares, whatever their order
    (as it may once that report is in the graph)."""
    started = [_start(root, Builder(vocab, names)) for root in roots]
    return [_finish(builder, sections) for builder, sections in started]


def _start(root: Node, builder: Builder) -> tuple[Builder, dict[str, list[Node]] | None]:
    """Check the report's sections and declare its entities (names and ids, no triples yet)."""
    if not root.is_map:
        builder.problem(root.line, "a report is a block with source:, and entities:, events:, claims: lists")
        return builder, None
    for key in root.value:
        if fold(key) not in SECTIONS:
            builder.problem(root.key_lines.get(key), f"unknown section '{key}' (sections: {', '.join(SECTIONS[1:])})")
    sections: dict[str, list[Node]] = {}
    for name in ("entities", "events", "claims"):
        node = root.get(name)
        if node is not None and not node.is_list:
            builder.problem(node.line, f"{name}: expected a list (each item starts with '- ')")
            node = None
        sections[name] = node.value if node is not None else []
    builder.entities(sections["entities"])
    sections["source"] = root.get("source")  # type: ignore[assignment]
    return builder, sections


def _finish(builder: Builder, sections: dict[str, list[Node]] | None) -> Built:
    if sections is None:
        return builder.out
    builder.source(sections["source"])  # type: ignore[arg-type]
    if not builder.out.source:
        return builder.out
    builder.entity_fields()
    events = builder.declare_ids(sections["events"], "events")
    claims = builder.declare_ids(sections["claims"], "claims")
    builder.events(events)
    builder.claims(claims)
    return builder.out


__all__ = ["Built", "Builder", "CLAIM_KINDS", "Item", "Names", "Problem", "build", "build_all", "parse_date"]
