"""``kg init``, ``kg add`` and ``kg import``: a workspace of one's own, and reports into it.

A thin layer: :mod:`kg.workspace` makes workspaces, :mod:`kg.adding` checks and writes reports,
:mod:`kg.acled` reads ACLED exports and :mod:`kg.importing` merges them in. Exit codes (kg.errors): 0 done (or nothing to
do); 1 the reports cannot be added as they are (each problem printed with its file and line,
nothing written); 2 a usage error, a file that cannot be read, a report that is not YAML, or a
graph that cannot be written (the one installed with kg).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.errors import KgError

if TYPE_CHECKING:
    from kg.adding import Outcome
    from kg.importing import Summary


@click.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--without-shipped-data", is_flag=True,
              help="Leave out the dataset that comes with kg: the graph is only what you add.")
def init_command(folder: Path, without_shipped_data: bool) -> None:
    """Make a workspace in FOLDER: border-kg.toml, reports/ (the report files you write, the
    schema editors use, a starting example) and data/ (what kg add and kg import write).

    Every command then finds it from FOLDER or any folder below it (or with --root FOLDER);
    the ontology, shapes and queries come from the installed kg.

    \b
    Examples:
      kg init ~/kachin-watch
      kg init brief --without-shipped-data
    """
    from kg import workspace
    from kg.errors import display_path

    written = workspace.init(folder, shipped_data=not without_shipped_data)
    for path in written:
        click.echo(f"wrote {display_path(path)}")
    click.echo(f"workspace ready: cd {display_path(folder)} && kg add reports/example.yaml --dry-run")


@click.command("add")
@click.argument("reports", nargs=-1, metavar="REPORT...")
@click.option("--dry-run", is_flag=True, help="Check the reports and show what they would add and change; write nothing.")
@click.option("--template", is_flag=True,
              help="Print a starting report file and exit; with a SOURCE (name or IRI) as argument, print "
                   "what the graph holds from that source, as a report to edit.")
@click.option("--schema", is_flag=True, help="Print the JSON Schema of report files (for editors) and exit.")
def add_command(reports: tuple[str, ...], dry_run: bool, template: bool, schema: bool) -> None:
    """Add report files (YAML, one source each; - reads standard input) to the workspace's
    graph: names resolved, every line checked together with the graph (the SHACL shapes and the
    library's quality checks), then written as normalized Turtle in data/reports/, atomically,
    one workspace writer at a time. Re-adding the same report changes nothing.

    Prints what was added, what it changes in the resolved status of the places, crossings and
    actors it makes claims about ("Kanpiketi crossing, open/closed: closed … → partially open
    …"), and the disputes its claims are part of (a claim that contradicts the graph is kept and
    shown as a dispute). A report with a problem writes nothing: each problem is printed with
    its file and line.

    \b
    Examples:
      kg add --template > reports/bni-2025-11.yaml
      kg add reports/bni-2025-11.yaml --dry-run
      kg add reports/*.yaml
      kg add --template "The Irrawaddy: China Hands Back 300 Myanmar Junta Troops"
    """
    if schema:
        from kg import report_schema, workspace

        click.echo(report_schema.render(workspace.vocabulary()), nl=False)
        return
    if template:
        _template(reports)
        return
    if not reports:
        raise click.UsageError("name one or more report files (kg add --template prints a starting one)")
    from kg import adding, paths, workspace

    if not dry_run:
        workspace.writable_data(paths.project_root())  # refuse the installed graph before any work
    texts = [(name, _read(name)) for name in reports]
    try:
        outcome = adding.add(texts, dry_run=dry_run)
    except adding.ReportProblems as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        raise
    _print_outcome(outcome, dry_run)


@click.group("import")
def import_group() -> None:
    """Import another tool's export into the workspace's graph (through the same checks and
    writer as kg add)."""


@import_group.command("acled")
@click.argument("export", metavar="CSV")
@click.option("--strict", is_flag=True, help="Import nothing when a row is malformed (default: leave it out and say so).")
@click.option("--dry-run", is_flag=True, help="Check the export and show what it would add and change; write nothing.")
def import_acled_command(export: str, strict: bool, dry_run: bool) -> None:
    """Import an ACLED export (CSV, ACLED's columns; - reads standard input): each row an event
    (bkr:acled-<event_id_cnty>), the territorial sub-event types also a control claim marked
    "derived from an event record" (a base established: presence), actors and places the graph
    does not know created and listed. Written to data/acled/, one source per country and month.

    Re-importing a newer export updates events in place by event_id_cnty (an older record never
    replaces a newer one; the same one changes nothing). A malformed row is reported with its
    line and left out; with --strict nothing is imported while one remains (exit 1).

    \b
    Examples:
      kg import acled ~/Downloads/acled-myanmar-2024.csv --dry-run
      kg import acled ~/Downloads/acled-myanmar-2024.csv
    """
    from kg import adding, importing, paths, workspace

    if not dry_run:
        workspace.writable_data(paths.project_root())  # refuse the installed graph before any work
    try:
        outcome, summary = importing.import_acled(export, _read(export), strict=strict, dry_run=dry_run)
    except adding.ReportProblems as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        raise
    _print_import(export, outcome, summary, dry_run)


def _print_import(name: str, outcome: Outcome, summary: Summary, dry_run: bool) -> None:
    from kg.errors import display_path
    from kg.terminal import cell

    click.echo(cell(f"{name}: {summary.rows} rows: {summary.new} new events, {summary.updated} updated, "
                    f"{summary.unchanged} unchanged, {summary.older} older than the graph's (left out), "
                    f"{len(summary.skipped)} malformed (left out)"))
    click.echo(f"claims derived from territorial events: {summary.claims - summary.presence} control, "
               f"{summary.presence} presence")
    for kind in ("actor", "place", "region", "country", "publisher"):
        made = sorted(summary.created.get(kind, []))
        if made:
            plural = {"country": "countries"}.get(kind, kind + "s")
            click.echo(cell(f"new {plural if len(made) != 1 else kind} ({len(made)}): {'; '.join(made)}"))
    changed = [r for r in outcome.reports if r.changed]
    for report in changed:
        click.echo(cell(f"{'would write' if dry_run else 'wrote'} {display_path(report.target)}"))
    if not changed:
        click.echo("already in the graph: nothing to write")
    _print_changes(outcome)
    for line, message in summary.skipped:
        click.echo(cell(f"{name}:{line}: {message} (row left out)"), err=True)


def _read(name: str) -> str:
    from kg.files import decode, read_text

    if name == "-":
        if sys.stdin is None:
            raise KgError("cannot read standard input: it is closed")
        return decode(sys.stdin.buffer.read(), "<stdin>")
    return read_text(name)


def _template(sources: tuple[str, ...]) -> None:
    if not sources:
        from kg.report_templates import TEMPLATE

        click.echo(TEMPLATE, nl=False)
        return
    if len(sources) > 1:
        raise click.UsageError("--template takes one source")
    from kg import paths, workspace
    from kg.lookup import Graph
    from kg.rdf_io import load_graph
    from kg.report_dump import dump, to_yaml

    source = _source_iri(Graph(), sources[0])
    graph = load_graph(paths.graph_files())
    click.echo(to_yaml(dump(graph, source, workspace.vocabulary())), nl=False)


def _source_iri(graph: "object", name: str) -> str:
    """A source by IRI or CURIE, or by its label or title (folded, exact)."""
    from kg.lookup import LABELS, values_block  # noqa: F401  (the card helpers)
    from kg.names import _as_iri, normalize

    iri = _as_iri(name)
    rows = graph.select("""SELECT ?s ?l WHERE { ?s a ?c . ?c rdfs:subClassOf* bk:Source .
                           { ?s rdfs:label ?l } UNION { ?s dcterms:title ?l } }""")
    by_iri = {r["s"].value for r in rows}
    if iri is not None and iri in by_iri:
        return iri
    wanted = normalize(name)
    found = sorted({r["s"].value for r in rows if normalize(r["l"].value) == wanted})
    if len(found) == 1:
        return found[0]
    close = sorted({r["l"].value for r in rows if wanted and wanted in normalize(r["l"].value)})[:5]
    hint = f" Did you mean: {'; '.join(close)}?" if close else " (kg add --template SOURCE takes a source's label, title or IRI)"
    from kg.errors import NegativeAnswer

    raise NegativeAnswer(f"no source named {name!r}." + hint)


def _print_outcome(outcome: Outcome, dry_run: bool) -> None:
    from kg.errors import display_path
    from kg.terminal import cell

    verb = "would add" if dry_run else "added"
    for report in outcome.reports:
        counts: dict[str, int] = {}
        for item in report.built.items:
            counts[item.section] = counts.get(item.section, 0) + 1
        what = ", ".join(f"{n} {section}{'s' if n != 1 and section != 'entity' else ''}".replace("entitys", "entities")
                         for section, n in sorted(counts.items()) if section != "source")
        where = display_path(report.target)
        if report.changed:
            click.echo(cell(f"{report.path}: {verb} {what} → {where}"))
        else:
            click.echo(cell(f"{report.path}: already in the graph ({what} in {where}): nothing to write"))
        for item in report.built.items:
            if item.section != "source":
                click.echo(cell(f"  {item.section}: {item.label}"))
    _print_changes(outcome)


def _print_changes(outcome: Outcome) -> None:
    from kg.terminal import cell

    if not outcome.changes:
        click.echo("What it changes in the resolved status (today): nothing")
    else:
        click.echo("What it changes in the resolved status (today):")
        for label, aspect, before, after in outcome.changes:
            click.echo(cell(f"  {label}, {aspect}: {before} → {after}"))
    if outcome.disputes:
        click.echo("Disputes its claims are part of (kept; the resolution shows every side):")
        for label, aspect, text in outcome.disputes:
            click.echo(cell(f"  {label}, {aspect}: {text}"))
