"""The JSON Schema of report files, generated from the same vocabulary ``kg add`` reads them with.

Editors (VS Code's YAML extension, JetBrains, any yaml-language-server client) complete field
names and vocabulary values from it and flag typos as you write. It is generated, not written
by hand, so it can never disagree with what ``kg add`` accepts: a test regenerates it and
compares it with the committed ``schema/report.schema.json``; ``kg init`` copies it into a
workspace. ``kg add`` does its own checks (names against the graph, dates, lines), so the schema
is a help for writing, not the gate.
"""

from __future__ import annotations

import json
from typing import Any

from kg.namespaces import BASE, VOCAB
from kg.report_vocabulary import BK, Vocabulary
from kg.reports import CLAIM_KINDS

SCHEMA_ID = BASE + "report.schema.json"
DATE_PATTERN = r"^(early-|mid-|late-|<=|>=)?\d{4}(-\d{2}(-\d{2})?)?$"


def schema(vocab: Vocabulary) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a report file."""
    fields: dict[str, Any] = {}
    for name, prop in sorted(vocab.properties.items()):
        if " " not in name and name != prop.label.lower() and name not in _SHORT:
            continue  # a property's camelCase local name: accepted, not suggested
        fields[name] = _field(prop, vocab)
    common = {
        "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$",
               "description": "A stable id (lower-case, digits, dashes); the IRI is bkr:<id>."},
        "date inferred": {"type": ["string", "boolean"],
                          "description": "The date was worked out, not read: say how."},
        "deprecated": {"type": "string", "description": "Retire the claim without deleting it: the reason."},
        "supersedes": {"type": ["string", "array"], "items": {"type": "string"},
                       "description": "An earlier claim (id or IRI) this one ends."},
        "direction": {"type": "string", "pattern": "^(into .+|both)$",
                      "description": "For a partial opening: 'into COUNTRY' (the only direction allowed)."},
        "period": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}$",
                   "description": "The period a trade figure covers: FIRST/LAST day."},
        "value": {"type": "number", "description": "A trade figure's amount."},
        "unit": {"enum": vocab.choices(VOCAB + "UnitScheme")},
        "exactness": {"enum": vocab.choices(VOCAB + "ExactnessScheme")},
        "text": {"type": "string", "description": "The amount in the source's words."},
    }
    classes = sorted(vocab.class_labels.values())
    sources = sorted(label for iri, label in vocab.class_labels.items() if vocab.is_a(iri, BK + "Source"))
    event_types = vocab.choices(VOCAB + "EventTypeScheme")

    def item(extra: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
        return {"type": "object", "$ref": "#/$defs/fields", "properties": extra,
                "unevaluatedProperties": False, **({"required": required} if required else {})}

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "border-kg report",
        "description": "One source's report: the source, the entities it names that the graph may not know, "
                       "its events and its claims, written with names (see kg add --template).",
        "type": "object",
        "required": ["source"],
        "additionalProperties": False,
        "$defs": {"fields": {"properties": {**fields, **common},
                             "patternProperties": {" precision$": {"enum": vocab.choices(VOCAB + "DatePrecisionScheme")}}}},
        "properties": {
            "report": {"const": 1, "description": "The format's version."},
            "source": {**item({"type": {"enum": sources}}), "description": "Title, publisher, url, published "
                       "(with precision), accessed, language, quality, reliability."},
            "entities": {"type": "array", "items": item({"type": {"oneOf": [
                {"enum": classes}, {"type": "array", "items": {"enum": classes}}]}})},
            "events": {"type": "array", "items": item({"type": {"enum": event_types}}, ["type"])},
            "claims": {"type": "array", "items": item({"claim": {"enum": sorted(CLAIM_KINDS)}}, ["claim"])},
        },
    }


_SHORT = {"name", "also", "label", "title", "publisher", "published", "accessed", "quality", "from", "until",
          "observed", "status", "by", "into", "goods", "conditions", "level", "towards", "flow", "sides",
          "coordinates", "wkt", "country", "region", "settlement", "gate", "quotes", "comment", "language"}


def _field(prop: Any, vocab: Vocabulary) -> dict[str, Any]:
    one: dict[str, Any]
    if prop.kind == "date":
        one = {"type": ["string", "integer"], "pattern": DATE_PATTERN,
               "description": "2024-11-20, 2024-11, 2024, early-/mid-/late-2024-11, <=2024-11-30, >=2024-11-24"}
        return one
    if prop.kind == "concept" and prop.scheme:
        one = {"enum": vocab.choices(prop.scheme)}
    elif prop.kind == "node":
        one = {"type": ["object", "string"]}
    elif prop.datatype and prop.datatype.endswith(("decimal", "integer")):
        one = {"type": ["number", "string"]}
    elif prop.datatype and prop.datatype.endswith("boolean"):
        one = {"type": "boolean"}
    else:
        one = {"type": "string"}
    return {"oneOf": [one, {"type": "array", "items": one}], "description": prop.label}


def render(vocab: Vocabulary) -> str:
    return json.dumps(schema(vocab), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
