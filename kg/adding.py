"""``kg add``: report files into the workspace's graph, checked with the graph, written safely.

The order of work, and why:

1. **Lock** the workspace (``.border-kg.lock``, an exclusive ``flock``): two ``kg add`` at once
   take turns, and the second sees the first's report when it validates.
2. **Build** each report (:mod:`kg.reports`) against the graph's names as they are now.
3. **Validate together with the graph**: the SHACL shapes (on the focus nodes the reports
   write: what they add is checked against everything already there) and every
   ``*-violation`` query of the library on the graph with the reports in. Each problem is
   told by the report line behind it. Any problem: nothing is written.
4. **Write** one normalized Turtle file per report, ``data/reports/<source>.ttl``, atomically
   (:func:`kg.files.write_bytes`): a crash leaves the old file or the new one, never half. The
   source gets ``bk:addedOn`` (the day it was first added, kept on re-adding), so that
   ``--known-at`` reproduces what the graph said on any day. The same report again gives the
   same bytes: nothing is written.

``--dry-run`` stops before 4 and shows what would be added and what it changes in the resolved
status; an actual run shows the same. A report whose claim contradicts the graph is added and
the dispute is reported (the resolution shows it from then on).
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import KgError, NegativeAnswer
from kg.namespaces import ID, ONTOLOGY, PREFIXES

BK = ONTOLOGY
LOCK_FILE = ".border-kg.lock"
REPORTS_FOLDER = "reports"


class ReportProblems(NegativeAnswer):
    """Reports that cannot be added as they are: every problem with its file and line."""

    def __init__(self, problems: list[str]) -> None:
        import re

        def order(problem: str) -> tuple[str, int, str]:
            found = re.match(r"^(.*?):(\d+): ", problem)
            return (found.group(1), int(found.group(2)), problem) if found else (problem, 0, problem)

        self.problems = sorted(dict.fromkeys(problems), key=order)
        super().__init__(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}; nothing was written")


@dataclass
class Prepared:
    """One report, built and ready to write."""

    path: str  # as given on the command line ("-" for stdin)
    built: Any  # kg.reports.Built
    target: Path
    data: bytes = b""
    changed: bool = True


@dataclass
class Outcome:
    reports: list[Prepared] = field(default_factory=list)
    #: (subject label, aspect, before, after, source labels) for each resolved answer that changes
    changes: list[tuple[str, str, str, str]] = field(default_factory=list)
    #: disputes involving the reports' claims: (subject label, aspect, text)
    disputes: list[tuple[str, str, str]] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on the workspace for the whole read-validate-write."""
    import fcntl

    path = folder / LOCK_FILE
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
        finally:
            os.close(descriptor)


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def add(reports: Sequence[tuple[str, str]], dry_run: bool = False, as_of: str | None = None) -> Outcome:
    """Add reports (``(name, text)`` pairs) to the workspace in use; see the module docstring."""
    return run(lambda data: prepare(reports, data / REPORTS_FOLDER), dry_run, as_of)


def run(prepare_in: Callable[[Path], Outcome], dry_run: bool = False, as_of: str | None = None) -> Outcome:
    """The one path into a workspace's ``data/`` (``kg add``, ``kg import``): under the lock,
    ``prepare_in(data folder)`` builds the files' new contents, which are validated with the rest
    of the graph, rendered, weighed (what they change) and, unless ``dry_run``, written."""
    from kg import paths, workspace

    root = paths.project_root()
    # a dry run may check reports against the installed graph; a real one writes a workspace
    data = root / "data" if dry_run else workspace.writable_data(root)
    with locked(root) if not dry_run else _nothing():
        outcome = prepare_in(data)
        targets = {p.target.resolve() for p in outcome.reports}
        graph_files = [f for f in paths.ontology_files() + paths.data_files() if f.resolve() not in targets]
        validate(outcome.reports, graph_files)
        for report in outcome.reports:
            report.data, report.changed = render(report)
        impact(outcome, paths.ontology_files() + paths.data_files(), graph_files,
               as_of or _dt.date.today().isoformat())
        if not dry_run:
            from kg.files import write_bytes

            for report in outcome.reports:
                if report.changed:
                    report.target.parent.mkdir(parents=True, exist_ok=True)
                    outcome.written.append(write_bytes(report.target, report.data))
    return outcome


def prepare(reports: Sequence[tuple[str, str]], folder: Path) -> Outcome:
    """Each report loaded and built; YAML errors and build problems, every one with its line."""
    from kg import paths, store, workspace
    from kg import reports as builder
    from kg.names import NameIndex
    from kg.report_yaml import ReportSyntaxError, load

    vocab = workspace.vocabulary()
    # the files themselves, not the command's usual graph: a new workspace may have no data yet
    graph = store.open_store(paths.ontology_files() + paths.data_files())
    index = NameIndex.from_store(graph)
    known = _Known(graph)
    outcome = Outcome()
    problems: list[str] = []
    sources: dict[str, str] = {}
    roots = []
    for name, text in reports:
        try:
            roots.append(load(text))
        except ReportSyntaxError as error:
            raise KgError(f"{name}: {error}") from None  # not YAML: exit 2
    # one batch: a report may name what another report of it declares, in any order
    for (name, _text), built in zip(reports, builder.build_all(roots, vocab, builder.Names(index, known))):
        problems += [f"{name}:{p.line}: {p.message}" if p.line else f"{name}: {p.message}" for p in built.problems]
        if built.source in sources:
            problems.append(f"{name}: the same source as {sources[built.source]}: one report per source")
        sources[built.source] = name
        target = folder / (built.source.removeprefix(ID) + ".ttl")
        outcome.reports.append(Prepared(name, built, target))
    if problems:
        raise ReportProblems(problems)
    return outcome


class _Known:
    """``iri in known``: whether the graph has triples about an IRI (asked of the store, not a
    set of every subject: cheap at a million triples)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def __contains__(self, iri: object) -> bool:
        import pyoxigraph

        try:
            node = pyoxigraph.NamedNode(str(iri))
        except ValueError:
            return False
        return next(iter(self.store.quads_for_pattern(node, None, None)), None) is not None


def validate(reports: list[Prepared], graph_files: list[Path]) -> None:
    """SHACL on what the reports change, with the part of the graph their constraints reach
    (:func:`kg.validation.validate_change`: the same results as validating the whole graph,
    there), and the library's ``*-violation`` queries on that part. Raises :class:`ReportProblems`."""
    from rdflib import Graph

    from kg.rdf_io import load_shapes
    from kg.store import parsed
    from kg.validation import validate_change

    added = Graph(bind_namespaces="none")
    written: dict[str, Prepared] = {}
    for report in reports:
        for triple in report.built.triples:
            added.add(triple)
            written[str(triple[0])] = report
    outcome, around, focus = validate_change(parsed(graph_files), added, load_shapes())
    problems = []
    for result in outcome.results:
        if result.severity != "Violation":
            continue
        report = written.get(result.focus_node)
        where = _where(report, result.focus_node, result.result_path)
        problems.append(f"{where}: {result.message}")
    problems += _violation_queries(around, focus, written)
    if problems:
        raise ReportProblems(problems)


def _where(report: Prepared | None, subject: str, predicate: str | None) -> str:
    if report is None:
        from kg.names import compact_iri

        return f"in the graph, {compact_iri(subject)}"
    line = report.built.line_of(subject, predicate)
    return f"{report.path}:{line}" if line else report.path


def _violation_queries(around: Any, focus: set[str], written: dict[str, Prepared]) -> list[str]:
    """Rows of every ``*-violation`` query, run on the changed part of the graph, that name a
    node the change touches."""
    import pyoxigraph

    from kg.engines import OxigraphEngine, execute
    from kg.params import resolve
    from kg.queries import load_all

    store = pyoxigraph.Store()
    store.load(around.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    engine = OxigraphEngine(store)
    problems = []
    for query in load_all():
        if not query.name.endswith("-violation"):
            continue
        result = execute(query, resolve(list(query.params), {}), engine)
        for row in result.rows:
            named = [t.value for t in row if t is not None and t.kind == "uri" and t.value in focus]
            if named:
                problems.append(f"{_where(written.get(named[0]), named[0], None)}: {query.title} ({query.name})")
    return problems


def render(report: Prepared) -> tuple[bytes, bool]:
    """The report's normalized Turtle, with ``bk:addedOn`` (kept from an earlier add), and
    whether it differs from the file already there."""
    from rdflib import Graph, Literal, URIRef

    from kg.files import read_bytes
    from kg.normalize import turtle_bytes

    graph = Graph(bind_namespaces="none")
    for triple in report.built.triples:
        graph.add(triple)
    source = URIRef(report.built.source)
    added = URIRef(BK + "addedOn")
    previous = None
    if report.target.exists():
        old = read_bytes(report.target)
        old_graph = Graph().parse(data=old, format="turtle")
        previous = old_graph.value(source, added)
    else:
        old = None
    if graph.value(source, added) is None and not report.built.existing_source:
        day = previous if previous is not None else Literal(_dt.date.today().isoformat(),
                                                              datatype=URIRef(PREFIXES["xsd"] + "date"))
        graph.add((source, added, day))
    data = turtle_bytes(graph)
    return data, data != old


def impact(outcome: Outcome, current_files: list[Path], graph_files: list[Path], as_of: str) -> None:
    """What the reports change in the resolved answers of the subjects they make claims about
    (the graph as it is, ``current_files``, against the rest of it, ``graph_files``, with the
    reports' new files: re-adding a report changes nothing), and the disputes their claims are
    now part of."""
    import pyoxigraph

    from kg import lookup, store
    from kg.lookup_commands import ASPECT_NAMES, answer_lines

    subjects = sorted({str(o) for r in outcome.reports for s, p, o in r.built.triples
                       if str(p) in (BK + "place", BK + "crossing", BK + "actor")})
    if not subjects:
        return
    before_store = store.open_store(current_files)
    after_store = store.parsed(graph_files)
    for report in outcome.reports:
        after_store.load(report.data or _ntriples(report), format=pyoxigraph.RdfFormat.TURTLE)
    from kg import derived

    derived.add_resolution(after_store)
    before, after = lookup.Graph(store=before_store), lookup.Graph(store=after_store)
    ours = {str(s) for r in outcome.reports for s, _p, _o in r.built.triples}
    for subject in subjects:
        old = lookup.resolved(before, as_of, about=subject).get(subject, {})
        new = lookup.resolved(after, as_of, about=subject).get(subject, {})
        label = (new or old).get("label", subject)
        for aspect in lookup.ASPECTS:
            was = "; ".join(t for t, _ in answer_lines(aspect, old[aspect])) if old else "no report"
            now = "; ".join(t for t, _ in answer_lines(aspect, new[aspect])) if new else "no report"
            if was != now:
                outcome.changes.append((label, ASPECT_NAMES[aspect], was, now))
    for row in after.library("conflicting-claims"):
        sides = [row[k].value for k in ("side_a", "side_b") if row[k] is not None]
        supporting = {c for side in sides for c in _supported(after, side)}
        if supporting & ours:
            subject = row["subject"].value if row["subject"] is not None else ""
            text = (f"{_value(after, row, 'a')} vs {_value(after, row, 'b')} from {_term(row['from'])}"
                    + (f" until {_term(row['until'])}" if row["until"] is not None else ""))
            outcome.disputes.append((after.labels([subject]).get(subject, subject), row["kind"].value, text))


def _supported(graph: Any, period: str) -> list[str]:
    props = graph.describe([period], [BK + "supportedBy"]).get(period, {})
    return [t.value for t in props.get(BK + "supportedBy", [])] or [period]


def _value(graph: Any, row: Any, side: str) -> str:
    iris = [x for x in ((row[f"{side}_value"].value if row[f"{side}_value"] is not None else ""),
                        *((row[f"{side}_who"].value.split()) if row[f"{side}_who"] is not None else [])) if x]
    labels = graph.labels([i for i in iris if i.startswith("http")])
    return " ".join(labels.get(i, i) for i in iris)


def _term(term: Any) -> str:
    return "" if term is None else term.value


def _ntriples(report: Prepared) -> bytes:
    from rdflib import Graph

    graph = Graph()
    for triple in report.built.triples:
        graph.add(triple)
    return graph.serialize(format="turtle", encoding="utf-8")
