"""Commands over the whole graph: ``validate``, ``stats``, ``export`` and ``fmt``.

This module is imported whenever ``kg --help`` lists commands, so it imports nothing heavy at
the top: rdflib, pyshacl and the modules built on them are imported inside each command.
Bad input never gives a traceback: a file that cannot be read prints one line
``error: FILE:LINE: reason`` and exits 2 (pyshacl's meaning: 0 conforms, 1 does not,
2 could not run).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click

from kg import paths
from kg.dates import AS_OF

EXPORT_FORMATS = ("ttl", "nt", "jsonld", "trig")
#: the board as of a date for GIS tools and spreadsheets (kg.geo_export), not the RDF graph
BOARD_FORMATS = ("geojson", "csv")


class InputError(click.ClickException):
    """Input the command could not read: one line on stderr, exit 2."""

    exit_code = 2

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True, file=file)


@contextmanager
def reading_input() -> Iterator[None]:
    """Turn :class:`kg.rdf_io.GraphInputError` into :class:`InputError` (no traceback)."""
    from kg.rdf_io import GraphInputError

    try:
        yield
    except GraphInputError as error:
        raise InputError(str(error)) from None


def _expand(targets: tuple[Path, ...]) -> list[Path]:
    """Files named on the command line, folders expanded to their ``.ttl`` files."""
    from kg.rdf_io import rdf_files

    files = rdf_files(targets)
    if not files:
        shown = ", ".join(str(t) for t in targets)
        raise click.UsageError(f"no .ttl files in {shown}")
    return files


def _echo_text(text: str) -> None:
    click.echo(text, nl=not text.endswith("\n"))


def _root_relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(paths.project_root()).as_posix()
    except ValueError:
        return str(path)


# ---------------------------------------------------------------- validate


@click.command("validate")
@click.argument("targets", metavar="[PATHS]...", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="Report for people (text) or for scripts (json).",
)
def validate_command(targets: tuple[Path, ...], fmt: str) -> None:
    """Check the graph against the SHACL shapes.

    Without PATHS, checks the shipped graph (ontology + data). With PATHS (files or folders of
    .ttl), checks the ontology plus those files instead of the shipped data.
    Exit 0: conforms; 1: does not; 2: could not run (e.g. malformed Turtle).
    """
    from kg import validation

    data_files = _expand(targets) if targets else None
    with reading_input():
        try:
            outcome = validation.validate(data_files)
        except validation.ValidationRunError as error:  # shapes pyshacl cannot use
            raise InputError(f"cannot run the shapes: {error}") from None
    _echo_text(validation.render_json(outcome) if fmt == "json" else validation.render_text(outcome))
    click.get_current_context().exit(0 if outcome.conforms else 1)


# ---------------------------------------------------------------- stats


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def stats_command(as_json: bool) -> None:
    """Count what the graph holds: instances per class, triples, classes, properties and
    shapes defined, claims by source and by attribution, events by type."""
    from kg.rdf_io import load_merged_graph, load_shapes
    from kg.stats import graph_stats, render_table

    with reading_input():
        graph = load_merged_graph()
        shapes = load_shapes()
    shapes_file = paths.shapes_file()
    stats: dict[str, Any] = {
        "root": str(paths.project_root()),
        "files": [_root_relative(f) for f in paths.graph_files()],
        "shapes_file": _root_relative(shapes_file) if shapes_file.exists() else None,
        **graph_stats(graph, shapes),
    }
    _echo_text(json.dumps(stats, indent=2, ensure_ascii=False) + "\n" if as_json else render_table(stats))


# ---------------------------------------------------------------- export


@click.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS + BOARD_FORMATS), default="ttl", show_default=True,
    help="RDF format to write; or geojson / csv: the board as of --as-of for GIS tools and spreadsheets.",
)
@click.option(
    "--output", "-o", default="-", show_default=True,
    type=click.Path(dir_okay=False, writable=True, allow_dash=True, path_type=Path),
    help="File to write (replaced atomically); - for standard output.",
)
@click.option("--as-of", "as_of", type=AS_OF, default="today", show_default=True,
              help="For geojson and csv: the date of the board.")
@click.option("--known-at", "known_at", type=AS_OF, default=None,
              help="For geojson and csv: only what was known on this date.")
def export_command(fmt: str, output: Path, as_of: str, known_at: str | None) -> None:
    """Write the merged graph (ontology + data) and its derived resolution in one RDF format.

    The output is deterministic: the same graph gives the same bytes in every run. TriG keeps the
    two layers in two named graphs (…/graph and …/graph/resolution).

    geojson: the crossings, gates and places with coordinates, each with who holds it and open
    or closed on --as-of (the resolved answers of kg status --all), for QGIS, Leaflet or
    kepler.gl. csv: one row per crossing and gate, with HXL hashtags on the second row
    (#loc +name, #geo +lat, #geo +lon, #status, #group, #date +start, #meta +source…).
    """
    if fmt in BOARD_FORMATS:
        _export_board(fmt, output, as_of, known_at)
        return
    from rdflib import Graph

    from kg.export import export_bytes
    from kg.normalize import atomic_write
    from kg.rdf_io import load_merged_graph
    from kg.store import StoreError, resolution_ntriples

    with reading_input():
        graph = load_merged_graph()
    try:
        resolution = Graph(bind_namespaces="none").parse(data=resolution_ntriples(), format="nt")
    except StoreError as error:
        raise InputError(str(error)) from None
    data = export_bytes(graph, fmt, resolution)
    if str(output) == "-":
        click.echo(data, nl=False)  # bytes go to the binary stdout unchanged
        return
    try:
        atomic_write(output, data)
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror or error}") from None
    click.echo(f"wrote {len(graph) + len(resolution)} triples as {fmt} to {output}", err=True)


def _export_board(fmt: str, output: Path, as_of: str, known_at: str | None) -> None:
    """``kg export --format geojson|csv``: the board as of a date (kg.geo_export)."""
    from kg import geo_export
    from kg.lookup import Graph as Lookups, LookupFailed
    from kg.normalize import atomic_write

    try:
        graph = Lookups(known_at=known_at)
        data = geo_export.geojson_bytes(graph, as_of) if fmt == "geojson" else geo_export.hxl_csv_bytes(graph, as_of)
    except LookupFailed as error:
        raise click.ClickException(str(error)) from None
    if str(output) == "-":
        click.echo(data, nl=False)
        return
    try:
        atomic_write(output, data)
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror or error}") from None
    click.echo(f"wrote the board as of {as_of} as {fmt} to {output}", err=True)


# ---------------------------------------------------------------- fmt


@click.command("fmt")
@click.argument("targets", metavar="[PATHS]...", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--check", is_flag=True, help="Write nothing; list files not in normalized form and exit 1 if any.")
def fmt_command(targets: tuple[Path, ...], check: bool) -> None:
    """Rewrite Turtle files in normalized form (fixed prefixes, sorted, stable blank nodes).

    Without PATHS: every .ttl file in ontology/ and data/, shapes included. Comments are not
    kept; put documentation in rdfs:comment or skos:definition.
    """
    from kg.normalize import atomic_write, normalized_file_bytes

    files = _expand(targets) if targets else paths.turtle_files("ontology") + paths.turtle_files("data")
    with reading_input():  # read everything first: a malformed file means nothing is written
        wanted = {f: normalized_file_bytes(f) for f in files}
    changed = [f for f, data in wanted.items() if f.read_bytes() != data]
    if check:
        if changed:
            for f in changed:
                click.echo(f"not normalized: {_shown(f)}")
            fix = "kg fmt" + "".join(f" {t}" for t in targets)
            click.echo(f"{len(changed)} of {len(files)} files not normalized; run `{fix}` to fix them.", err=True)
            click.get_current_context().exit(1)
        click.echo(f"{len(files)} files already normalized.")
        return
    for f in changed:
        atomic_write(f, wanted[f])
        click.echo(f"reformatted {_shown(f)}")
    click.echo(f"{len(changed)} reformatted, {len(files) - len(changed)} unchanged.")


def _shown(path: Path) -> str:
    from kg.rdf_io import display_path

    return display_path(path)
