"""A source's facts in the graph, written back as a report file (the inverse of :mod:`kg.reports`).

``kg add --template SOURCE`` prints it, so an analyst can edit what the graph holds from one
source in the format they add reports in, and the tests prove the format complete: the seed
article written as a report and added to an empty workspace gives the article's graph again.

What belongs to a source: the source node, every entity, event and claim ``prov:wasDerivedFrom``
it, and the value nodes they point at (quantities, crossing sides, geometries). References are
written as names when the name resolves back to the same entity (preferred label, unique among
what the report declares and the graph knows), else as the entity's id.
"""

from __future__ import annotations

from typing import Any

from kg.namespaces import ID, VOCAB
from kg.report_vocabulary import BK, PROV, RDF, SKOS, XSD, Vocabulary, fold
from kg.reports import CLAIM_KINDS

#: field order in a written item: identity, what it is, then the rest alphabetically
FIRST = ("id", "claim", "type", "name", "also", "label", "title", "publisher", "published", "url", "accessed",
         "quality", "place", "crossing", "actor", "about", "holder", "controller", "level", "status", "by",
         "alignment", "towards", "date", "from", "until", "observed", "period")
LAST = ("attribution", "basis", "date inferred", "inference note", "note", "deprecated", "quote")


def dump(graph: Any, source: str, vocab: Vocabulary) -> dict[str, Any]:
    """The report (plain dicts and lists, ready for YAML) of ``source`` in the rdflib ``graph``."""
    from rdflib import URIRef

    src = URIRef(source)
    derived = {s for s in graph.subjects(URIRef(PROV + "wasDerivedFrom"), src)} - {src}
    kinds = {s: {str(t) for t in graph.objects(s, URIRef(RDF + "type"))} for s in derived}
    claim_classes = set(CLAIM_KINDS.values())
    events = sorted(s for s, t in kinds.items() if BK + "Event" in t)
    claims = sorted(s for s, t in kinds.items() if t & claim_classes)
    sides = {o for s in derived for o in graph.objects(s, URIRef(BK + "hasSide"))}
    entities = sorted(s for s in derived if s not in events and s not in claims and s not in sides)
    writer = _Writer(graph, vocab, {str(e) for e in entities}, {str(x) for x in events + claims})
    report: dict[str, Any] = {"source": writer.item(src, "source")}
    if entities:
        report["entities"] = [writer.item(e, "entity") for e in entities]
    if events:
        report["events"] = [writer.item(e, "event") for e in events]
    if claims:
        report["claims"] = [writer.item(c, "claim") for c in claims]
    return report


class _Writer:
    def __init__(self, graph: Any, vocab: Vocabulary, declared: set[str], items: set[str]) -> None:
        self.graph = graph
        self.vocab = vocab
        self.declared = declared
        self.items = items  # the report's events and claims: referred to by id
        self.by_iri = {p.iri: p for p in vocab.properties.values()}
        # the name each property is written with: its label, or its alias when one exists
        from kg.report_vocabulary import ALIASES

        self.field_of = {p.iri: p.label.lower() for p in vocab.properties.values()}
        for alias, iri in ALIASES.items():
            if iri in self.field_of and alias in ("name", "also", "label", "title", "publisher", "published",
                                                  "accessed", "quality", "from", "until", "observed", "status",
                                                  "by", "level", "towards", "sides", "coordinates", "wkt",
                                                  "country", "region", "settlement", "gate"):
                self.field_of[iri] = alias
        names: dict[str, set[str]] = {}
        for iri in declared:
            for label in graph.objects(_ref(iri), _ref(SKOS + "prefLabel")):
                names.setdefault(fold(label), set()).add(iri)
            for label in graph.objects(_ref(iri), _ref(SKOS + "altLabel")):
                names.setdefault(fold(label), set()).add(iri)
            names.setdefault(fold(iri.removeprefix(ID)), set()).add(iri)
        self.names = names

    def name(self, iri: str) -> str:
        """How an entity is written: its preferred label if that names only it, else its id."""
        if iri in self.items:
            return iri.removeprefix(ID)
        if iri in self.declared:
            for label in sorted(self.graph.objects(_ref(iri), _ref(SKOS + "prefLabel"))):
                if self.names.get(fold(label)) == {iri}:
                    return str(label)
            return iri.removeprefix(ID)
        return "bkr:" + iri.removeprefix(ID) if iri.startswith(ID) else f"<{iri}>"

    def item(self, node: Any, section: str) -> dict[str, Any]:
        from rdflib import URIRef

        iri = str(node)
        out: dict[str, Any] = {}
        if section != "nested-quantity" or iri.startswith(ID):
            out["id"] = iri.removeprefix(ID)
        types = sorted(str(t) for t in self.graph.objects(node, URIRef(RDF + "type")))
        claim_kind = next((k for k, c in CLAIM_KINDS.items() if c in types), None)
        if claim_kind:
            out["claim"] = claim_kind
        elif section == "event":
            event_type = self.graph.value(node, URIRef(BK + "eventType"))
            if event_type is not None:
                out["type"] = self.vocab.concept_labels.get(str(event_type), str(event_type))
        elif section in ("entity", "source"):
            labels = [self._class_label(t) for t in types]
            out["type"] = labels[0] if len(labels) == 1 else labels
        inferred, note = None, None
        rank, reason = None, None
        for predicate in sorted({str(p) for p in self.graph.predicates(node, None)}):
            values = sorted(self.graph.objects(node, URIRef(predicate)), key=str)
            if predicate in (RDF + "type", PROV + "wasDerivedFrom") or (section == "event" and predicate == BK + "eventType"):
                continue
            if predicate == BK + "dateInferred":
                inferred = bool(values[0].toPython()) if values else None
                continue
            if predicate == BK + "inferenceNote":
                note = str(values[0])
                continue
            if predicate == BK + "rank":
                rank = str(values[0])
                continue
            if predicate == BK + "deprecationReason":
                reason = str(values[0])
                continue
            prop = self.by_iri.get(predicate)
            if prop is None or predicate.endswith("Precision") and predicate != BK + "coordinatePrecision":
                continue
            field = self.field_of.get(predicate, prop.label)
            written = [self.value(node, prop, v) for v in values]
            out[field] = written[0] if len(written) == 1 and not _listy(predicate) else written
            if prop.kind == "date" and prop.precision:
                precision = self.graph.value(node, URIRef(prop.precision))
                shown = written[0]
                if precision is not None and _read_back(shown, self.vocab) != (str(values[0]), str(precision)):
                    out[f"{field} precision"] = self.vocab.concept_labels.get(str(precision), str(precision))
        if inferred and note:
            out["date inferred"] = note
        elif inferred:
            out["date inferred"] = True
        elif note:
            out["inference note"] = note
        if rank == VOCAB + "DeprecatedRank":
            out["deprecated"] = reason or "no reason given"
        elif rank:
            out["rank"] = self.vocab.concept_labels.get(rank, rank)
        return _ordered(out)

    def value(self, node: Any, prop: Any, value: Any) -> Any:
        from rdflib import Literal

        if prop.kind == "date":
            precision = self.graph.value(node, _ref(prop.precision)) if prop.precision else None
            return _shown_date(str(value), str(precision) if precision is not None else None, self.vocab)
        if prop.kind == "concept":
            return self.vocab.concept_labels.get(str(value), str(value))
        if prop.kind == "node":
            kind = {BK + "quantity": "nested-quantity"}.get(prop.iri, "nested")
            return self.item(value, kind)
        if isinstance(value, Literal):
            python = value.toPython()
            if value.datatype is not None and str(value.datatype) == XSD + "decimal":
                number = float(python)
                return int(number) if number.is_integer() else number
            return python if isinstance(python, (bool, int, float)) else str(value)
        return self.name(str(value))

    def _class_label(self, cls: str) -> str:
        return self.vocab.class_labels.get(cls, cls)


def _shown_date(iso: str, precision: str | None, vocab: Vocabulary) -> str:
    """A stored date as the tool shows it, when that form reads back to the same date and
    precision; else the full ISO date (the precision then needs its own field)."""
    from kg.reports import parse_date

    prefix, length = vocab.precisions.get(precision or "", ("", 10))
    shown = prefix + iso[:length]
    return shown if parse_date(shown, vocab) == (iso, precision) else iso


def _read_back(shown: str, vocab: Vocabulary) -> tuple[str, str] | None:
    from kg.reports import parse_date

    return parse_date(shown, vocab)


def _listy(predicate: str) -> bool:
    return predicate in (SKOS + "altLabel", BK + "quote", BK + "hasSide")


def _ordered(item: dict[str, Any]) -> dict[str, Any]:
    def rank(key: str) -> tuple[int, int, str]:
        if key in FIRST:
            return (0, FIRST.index(key), key)
        if key in LAST:
            return (2, LAST.index(key), key)
        return (1, 0, key)

    return {key: item[key] for key in sorted(item, key=rank)}


def _ref(iri: str) -> Any:
    from rdflib import URIRef

    return URIRef(iri)


def to_yaml(report: dict[str, Any]) -> str:
    """The report as YAML a person reads: block style, long quotes kept on one line."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: Any, value: str) -> Any:
        style = '"' if any(c in value for c in ":#'\"") or value != value.strip() else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    return yaml.dump(report, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100000,
                     default_flow_style=False, indent=2)


__all__ = ["dump", "to_yaml"]
