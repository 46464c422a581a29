"""``kg import acled``: an ACLED export into the workspace, record by record.

What it writes, in ``data/acled/`` (normalized Turtle, through :func:`kg.adding.run`: the same
lock, validation with the whole graph, atomic writes and "what it changes" as ``kg add``):

- ``source-acled-<cc>-<yyyy>-<mm>.ttl``: one source per country and month of the events (ACLED's
  own dataset, published on the latest record's timestamp), its events and the claims they imply;
- ``source-acled-<cc>-names.ttl``: the actors and places the imports created because the graph
  did not know them (kept across imports; an analyst maps one onto the graph's own entity by
  adding ACLED's name as an alternative name in a report).

Re-importing a newer export updates events in place: a record with an event ID already in the
graph replaces that event (and the claim it implied) wherever it was, its month may have
changed; a record older than the graph's (by ACLED's timestamp) is left out; the same record
again changes nothing. Events missing from an export are kept: an export of one region or week
says nothing about the others.

Rows that cannot be read are reported with their line and left out (``--strict``: nothing is
imported while any remains).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import acled
from kg.adding import Outcome, Prepared, ReportProblems
from kg.namespaces import ID, ONTOLOGY, PREFIXES
from kg.report_yaml import Node

FOLDER = "acled"
BK = ONTOLOGY
PROV = PREFIXES["prov"]
DCT = PREFIXES["dcterms"]

EXISTING_QUERY = f"""
SELECT ?event ?id ?updated ?source WHERE {{
  ?event <{BK}acledEventId> ?id ; <{PROV}wasDerivedFrom> ?source .
  OPTIONAL {{ ?event <{BK}recordUpdated> ?updated }}
}}"""


@dataclass
class Summary:
    """What an import did, in numbers, and the rows it left out (``(line, message)``)."""

    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0
    claims: int = 0
    presence: int = 0
    created: dict[str, list[str]] = field(default_factory=dict)  # kind -> names
    skipped: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Prior:
    iri: str
    updated: str | None
    source: str


def import_acled(name: str, text: str, strict: bool = False, dry_run: bool = False,
                 as_of: str | None = None) -> tuple[Outcome, Summary]:
    """Import one export (``name`` for messages, ``text`` its CSV); see the module docstring."""
    from kg.adding import run

    export = acled.read_export(text)
    summary = Summary(rows=export.read)
    outcome = run(lambda data: _prepare(name, export, data / FOLDER, summary, strict), dry_run, as_of)
    return outcome, summary


def _prepare(name: str, export: acled.Export, folder: Path, summary: Summary, strict: bool) -> Outcome:
    from kg import paths, store, workspace
    from kg.names import NameIndex

    vocab = workspace.vocabulary()
    graph = store.open_store(paths.ontology_files() + paths.data_files())
    types = acled.EventTypes.from_store(graph)
    resolver = acled.Resolver(NameIndex.from_store(graph), vocab)
    prior = {row["id"].value: _Prior(row["event"].value, row["updated"].value if row["updated"] else None,
                                     row["source"].value)
             for row in graph.query(EXISTING_QUERY)}  # type: ignore[union-attr]
    problems = list(export.problems)
    publisher = resolver.publisher()
    groups: dict[tuple[str, str], list[tuple[acled.Row, dict[str, Any], dict[str, Any] | None]]] = {}
    countries: dict[str, str] = {}
    replaced: set[str] = set()
    leaving: dict[str, set[str]] = {}  # source IRI -> subjects that move to another month
    owner: dict[str, str] = {}  # created entity id -> the country whose names file declares it
    for row in export.rows:
        before = prior.get(row.event_id)
        if before and before.updated and row.updated and _moment(row.updated) < _moment(before.updated):
            summary.older += 1
            continue
        known = set(resolver.created)
        try:
            event, claim = acled.event_items(row, types, resolver)
        except (ValueError, LookupError) as error:
            problems.append((row.line, str(error).splitlines()[0]))
            for key in set(resolver.created) - known:  # nothing of a row left out stays behind
                del resolver.created[key]
            resolver.cache.clear()
            continue
        for key in set(resolver.created) - known:
            owner[key] = row.country_code
        countries.setdefault(row.country_code, row.country)
        groups.setdefault((row.country_code, row.month), []).append((row, event, claim))
        if claim is not None:
            summary.claims += 1
            summary.presence += claim.get("level") == "presence"
        if before is None:
            summary.new += 1
            continue
        same = bool(before.updated and row.updated and _moment(before.updated) == _moment(row.updated))
        summary.unchanged += same
        summary.updated += not same
        replaced |= {row.iri, row.claim_iri}
        if before.source != ID + _month_id(row.country_code, row.month):
            leaving.setdefault(before.source, set()).update({row.iri, row.claim_iri})
    summary.skipped = sorted(problems)
    if strict and problems:
        raise ReportProblems([f"{name}:{line}: {message}" for line, message in summary.skipped])
    for created in resolver.created.values():
        summary.created.setdefault(created.kind, []).append(str(created.fields["name"]))
    # every IRI this import declares resolves in every report it writes
    declared = {ID + c.id: {vocab.classes[acled.fold(c.fields["type"])]} for c in resolver.created.values()}
    outcome = Outcome()
    names_reports = _names_reports(resolver, owner, countries, publisher, groups, folder)
    for target, source_id, report in names_reports:
        outcome.reports.append(_build(name, target, source_id, report, declared, vocab, graph, set()))
    for (code, month), items in sorted(groups.items()):
        source_id = _month_id(code, month)
        target = folder / f"{source_id}.ttl"
        rows = [row for row, _, _ in items]
        report = {"source": acled.source_block(source_id, f"Events in {countries[code]}, {month}", publisher,
                                               _published(rows, target, source_id)),
                  "events": [(row.line, event) for row, event, _ in items],
                  "claims": [(row.line, claim) for row, _, claim in items if claim is not None]}
        outcome.reports.append(_build(name, target, source_id, report, declared, vocab, graph, replaced))
    for source, subjects in sorted(leaving.items()):
        target = folder / f"{source.removeprefix(ID)}.ttl"
        if target.exists() and not any(p.target == target for p in outcome.reports):
            outcome.reports.append(_without(name, target, source, subjects))
    return outcome


def _moment(text: str) -> Any:
    """An xsd:dateTime as an aware datetime (``Z`` and ``+00:00`` compare equal)."""
    import datetime as dt

    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _month_id(code: str, month: str) -> str:
    return f"source-acled-{code}-{month}"


def _names_reports(resolver: acled.Resolver, owner: dict[str, str], countries: dict[str, str], publisher: str,
                   groups: dict[Any, Any], folder: Path) -> list[tuple[Path, str, dict[str, Any]]]:
    """One report per country whose rows made new entities (the publisher goes with the first)."""
    out = []
    first = min(countries) if countries else None
    for code in sorted(countries):
        made = [c for c in resolver.created.values()
                if owner.get(c.id) == code or (c.kind == "publisher" and code == first)]
        if not made:
            continue
        source_id = f"source-acled-{code}-names"
        target = folder / f"{source_id}.ttl"
        rows = [row for (c, _m), items in groups.items() if c == code for row, _, _ in items]
        report = {"source": acled.source_block(source_id, f"Actors and places named in {countries[code]} events",
                                               publisher, _published(rows, target, source_id)),
                  "entities": [(c.line, {"id": c.id, **c.fields}) for c in sorted(made, key=lambda c: c.id)]}
        out.append((target, source_id, report))
    return out


def _published(rows: list[acled.Row], target: Path, source_id: str) -> str:
    """The source's publication date: the latest record's timestamp (or the file's own, if
    later); without timestamps, "on or after" the latest event."""
    days = [row.updated[:10] for row in rows if row.updated]
    issued = _issued(target, source_id)
    if issued and not issued.startswith(">="):
        days.append(issued)
    if days:
        return max(days)
    return ">=" + max([row.date for row in rows] + ([issued[2:]] if issued else []))


def _issued(target: Path, source_id: str) -> str | None:
    if not target.exists():
        return None
    graph = _parse(target)
    from rdflib import URIRef

    issued = graph.value(URIRef(ID + source_id), URIRef(DCT + "issued"))
    precision = graph.value(URIRef(ID + source_id), URIRef(BK + "issuedPrecision"))
    if issued is None:
        return None
    return (">=" if precision is not None and str(precision).endswith("NotBefore") else "") + str(issued)


def _parse(target: Path) -> Any:
    from rdflib import Graph

    from kg.files import read_bytes

    return Graph().parse(data=read_bytes(target), format="turtle")


def _build(name: str, target: Path, source_id: str, report: dict[str, Any], declared: dict[str, set[str]],
           vocab: Any, graph: Any, replaced: set[str]) -> Prepared:
    """The report built (its lines are the export's), merged into what ``target`` already holds:
    everything but its source block and the ``replaced`` subjects is kept."""
    from kg import reports
    from kg.adding import _Known
    from kg.names import NameIndex

    root = Node({"source": acled.tree(report["source"], 1),
                 **{section: Node([acled.tree(item, line) for line, item in report[section]], 1)
                    for section in ("entities", "events", "claims") if section in report}}, 1)
    names = reports.Names(NameIndex.from_store(graph), _Known(graph))
    for iri, classes in declared.items():
        names.declare(iri, [], classes)
    built = reports.build(root, vocab, names)
    if built.problems:
        raise ReportProblems([f"{name}:{p.line}: {p.message}" if p.line else f"{name}: {p.message}"
                              for p in built.problems])
    if target.exists():
        source = ID + source_id
        kept = [t for t in _parse(target) if str(t[0]) not in replaced and str(t[0]) != source]
        old = set(kept)
        built.triples = kept + [t for t in built.triples if t not in old]
    return Prepared(name, built, target)


def _without(name: str, target: Path, source: str, subjects: Iterable[str]) -> Prepared:
    """A month file without the events that moved to another month (its source block kept)."""
    from kg.reports import Built

    gone = set(subjects)
    built = Built(source=source, triples=[t for t in _parse(target) if str(t[0]) not in gone])
    return Prepared(name, built, target)


__all__ = ["FOLDER", "Summary", "import_acled"]
