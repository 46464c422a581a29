"""The words a report may use, read from the ontology and the shapes, not from a list in code.

A report field is an ontology property named by its label ("results from", "in support of",
"control level") or by one of a few short aliases ("holder", "status", "from"); a concept value
is named by its preferred or alternative label ("full control", "on or after", "unnamed
sources") within the scheme the shapes require for that property (``sh:node bksh:In…Scheme``);
a class by its label ("town", "official border crossing"). So a property, concept or class
added to the ontology is usable in reports at once, and the JSON Schema for editors is generated
from the same model (:mod:`kg.report_schema`).

Derived properties (their definition starts "Derived:") are refused: reports carry claims, the
resolution derives the rest.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from kg.namespaces import ONTOLOGY, PREFIXES

BK = ONTOLOGY
RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
SKOS = PREFIXES["skos"]
XSD = PREFIXES["xsd"]
OWL = PREFIXES["owl"]
SH = PREFIXES["sh"]
DCT = PREFIXES["dcterms"]
GEO = PREFIXES["geo"]
PROV = PREFIXES["prov"]


def fold(text: str) -> str:
    """A label folded for matching: case, accents, punctuation and spacing ignored."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in kept.casefold()).split())


@dataclass
class Property:
    """One field a report may use."""

    iri: str
    label: str
    #: "entity" (a thing named by its name), "concept" (a vocabulary value named by its label),
    #: "class" (rdf:type), "date", "literal", "node" (a nested value: a quantity, a geometry, a side)
    kind: str
    datatype: str | None = None
    scheme: str | None = None
    #: the property holding a date's precision (bk:validFrom -> bk:validFromPrecision)
    precision: str | None = None
    #: for "entity": the class its values must be (bk:Actor, bk:Place…), if the ontology says
    range: str | None = None
    language: str | None = None


@dataclass
class Vocabulary:
    properties: dict[str, Property] = field(default_factory=dict)  # folded field name -> Property
    classes: dict[str, str] = field(default_factory=dict)  # folded label -> class IRI
    class_labels: dict[str, str] = field(default_factory=dict)  # class IRI -> its label, folded
    concepts: dict[str, dict[str, str]] = field(default_factory=dict)  # scheme -> folded label -> IRI
    concept_labels: dict[str, str] = field(default_factory=dict)  # concept IRI -> preferred label
    subclasses: dict[str, set[str]] = field(default_factory=dict)  # class -> itself and every subclass
    derived: set[str] = field(default_factory=set)  # IRIs of derived properties
    #: precision concept -> (display prefix, display length)
    precisions: dict[str, tuple[str, int]] = field(default_factory=dict)

    def property(self, name: str) -> Property | None:
        return self.properties.get(fold(name))

    def concept(self, scheme: str | None, label: Any) -> str | None:
        """The concept of ``scheme`` named ``label`` (any scheme when ``scheme`` is None and the
        label is unique)."""
        key = fold(str(label))
        if scheme is not None:
            return self.concepts.get(scheme, {}).get(key)
        found = {by_label[key] for by_label in self.concepts.values() if key in by_label}
        return found.pop() if len(found) == 1 else None

    def choices(self, scheme: str) -> list[str]:
        """The preferred labels of a scheme's concepts (for error messages and the schema)."""
        return sorted({self.concept_labels[iri] for iri in self.concepts.get(scheme, {}).values()})

    def is_a(self, cls: str, ancestor: str) -> bool:
        return cls in self.subclasses.get(ancestor, {ancestor})


#: short names for common fields; everything else is a property's own label
ALIASES: dict[str, str] = {
    "name": SKOS + "prefLabel",
    "also": SKOS + "altLabel",
    "label": RDFS + "label",
    "comment": RDFS + "comment",
    "title": DCT + "title",
    "publisher": DCT + "publisher",
    "published": DCT + "issued",
    "language": DCT + "language",
    "accessed": BK + "accessedOn",
    "quality": BK + "sourceQuality",
    "from": BK + "validFrom",
    "until": BK + "validUntil",
    "observed": BK + "observedOn",
    "status": BK + "crossingStatus",
    "by": BK + "imposedBy",
    "into": BK + "trafficInto",
    "goods": BK + "commodity",
    "conditions": BK + "condition",
    "level": BK + "controlLevel",
    "towards": BK + "alignedWith",
    "flow": BK + "flowStatus",
    "kind of assessment": BK + "assessmentKind",
    "coordinates": GEO + "hasGeometry",
    "wkt": GEO + "asWKT",
    "precision of coordinates": BK + "coordinatePrecision",
    "sides": BK + "hasSide",
    "country": BK + "sideCountry",
    "region": BK + "sideRegion",
    "settlement": BK + "sideSettlement",
    "gate": BK + "sideGate",
    "quotes": BK + "quote",
}

#: properties not in the ontology file that reports use, with their kind
_EXTERNAL: dict[str, tuple[str, str, str | None, str | None]] = {
    # iri: (label, kind, datatype, precision property)
    SKOS + "prefLabel": ("preferred label", "literal", None, None),
    SKOS + "altLabel": ("alternative label", "literal", None, None),
    RDFS + "label": ("label", "literal", None, None),
    RDFS + "comment": ("comment", "literal", None, None),
    DCT + "title": ("title", "literal", None, None),
    DCT + "publisher": ("publisher", "entity", None, None),
    DCT + "issued": ("published", "date", XSD + "date", BK + "issuedPrecision"),
    DCT + "language": ("language", "literal", None, None),
    GEO + "hasGeometry": ("coordinates", "node", None, None),
    GEO + "asWKT": ("wkt", "literal", GEO + "wktLiteral", None),
}

#: properties whose values are nodes written inline (a quantity, a side, a geometry)
NESTED = {BK + "quantity", BK + "hasSide", GEO + "hasGeometry"}


def build(ontology: Any, shapes: Any) -> Vocabulary:
    """The vocabulary of an rdflib graph holding the ontology and the SKOS vocabularies, with the
    shapes graph (which says which scheme each concept-valued property takes)."""
    from rdflib import RDF as R
    from rdflib import RDFS as RS
    from rdflib import Literal, URIRef
    from rdflib.namespace import OWL as O
    from rdflib.namespace import SKOS as S

    vocab = Vocabulary()
    # ---- classes and their subclasses
    for cls in set(ontology.subjects(R.type, O.Class)):
        label = ontology.value(cls, RS.label)
        if label is not None:
            vocab.classes[fold(label)] = str(cls)
            vocab.class_labels[str(cls)] = fold(label)
        vocab.classes.setdefault(fold(str(cls).rsplit("#", 1)[-1]), str(cls))
    for cls in {str(c) for c in ontology.subjects(R.type, O.Class)}:
        below = {cls}
        frontier = [URIRef(cls)]
        while frontier:
            parent = frontier.pop()
            for child in ontology.subjects(RS.subClassOf, parent):
                if str(child) not in below:
                    below.add(str(child))
                    frontier.append(child)
        vocab.subclasses[cls] = below
    # ---- concepts by scheme, by preferred and alternative labels and local name
    for concept, scheme in ontology.subject_objects(S.inScheme):
        by_label = vocab.concepts.setdefault(str(scheme), {})
        for predicate in (S.prefLabel, S.altLabel):
            for label in ontology.objects(concept, predicate):
                by_label.setdefault(fold(label), str(concept))
        local = str(concept).rsplit("/", 1)[-1]
        by_label.setdefault(fold(_words(local)), str(concept))
        by_label.setdefault(fold(local), str(concept))
        pref = ontology.value(concept, S.prefLabel)
        vocab.concept_labels[str(concept)] = str(pref) if pref is not None else local
        prefix = ontology.value(concept, URIRef(BK + "displayPrefix"))
        length = ontology.value(concept, URIRef(BK + "displayLength"))
        if isinstance(length, Literal):
            vocab.precisions[str(concept)] = (str(prefix or ""), int(length))
    # ---- the scheme each property takes, from the shapes
    schemes: dict[str, str] = {}
    for shape in shapes.subjects(URIRef(SH + "path"), None):
        path = shapes.value(shape, URIRef(SH + "path"))
        for node_shape in shapes.objects(shape, URIRef(SH + "node")):
            for prop in shapes.objects(node_shape, URIRef(SH + "property")):
                if shapes.value(prop, URIRef(SH + "path")) == S.inScheme:
                    scheme = shapes.value(prop, URIRef(SH + "hasValue"))
                    if scheme is not None and path is not None:
                        schemes[str(path)] = str(scheme)
    # ---- properties
    labels: dict[str, str] = {}
    for kind in (O.ObjectProperty, O.DatatypeProperty):
        for prop in set(ontology.subjects(R.type, kind)):
            iri = str(prop)
            definition = str(ontology.value(prop, S.definition) or "")
            if definition.startswith("Derived"):
                vocab.derived.add(iri)
                continue
            label = str(ontology.value(prop, RS.label) or iri.rsplit("#", 1)[-1])
            rng = ontology.value(prop, RS.range)
            rng_iri = str(rng) if rng is not None else None
            if kind == O.DatatypeProperty:
                is_date = rng_iri == XSD + "date"
                entry = Property(iri, label, "date" if is_date else "literal", datatype=rng_iri)
                if is_date:
                    precision = BK + iri.rsplit("#", 1)[-1] + "Precision"
                    entry.precision = precision if (URIRef(precision), R.type, O.ObjectProperty) in ontology else None
            elif iri in NESTED:
                entry = Property(iri, label, "node", range=rng_iri)
            elif rng_iri == SKOS + "Concept" or iri in schemes:
                entry = Property(iri, label, "concept", scheme=schemes.get(iri))
            else:
                entry = Property(iri, label, "entity", range=rng_iri)
            labels[iri] = label
            vocab.properties[fold(label)] = entry
            vocab.properties.setdefault(fold(iri.rsplit("#", 1)[-1]), entry)
            vocab.properties.setdefault(fold(_words(iri.rsplit("#", 1)[-1])), entry)
    for iri, (label, kind, datatype, precision) in _EXTERNAL.items():
        entry = Property(iri, label, kind, datatype=datatype, precision=precision,
                         language="en" if iri in (SKOS + "prefLabel", SKOS + "altLabel") else None)
        vocab.properties.setdefault(fold(label), entry)
    for alias, iri in ALIASES.items():
        entry = next((p for p in vocab.properties.values() if p.iri == iri), None)
        if entry is not None:
            vocab.properties[fold(alias)] = entry
    # precision properties are written with the date ("2024-11", ">=2024-11-24") or as
    # "<field> precision"; they are not fields of their own
    return vocab


def _words(camel: str) -> str:
    """``validFromPrecision`` -> ``valid from precision``."""
    out = []
    for char in camel:
        if char.isupper() and out:
            out.append(" ")
        out.append(char.lower())
    return "".join(out)


__all__ = ["ALIASES", "NESTED", "Property", "Vocabulary", "build", "fold"]
