"""Commands over the whole graph: ``validate``, ``stats``, ``export`` and ``fmt``.

This module is imported whenever ``kg --help`` lists commands, so it imports nothing heavy at
the top: rdflib, pyshacl and the modules built on them are imported inside each command.
Bad input never gives a traceback: a file that cannot be read raises one line
``FILE:LINE: reason`` and the command exits 2 (pyshacl's meaning: 0 conforms, 1 does not,
2 could not run; the whole table is in :mod:`kg.errors`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kg import paths
from kg.dates import AS_OF
from kg.errors import KgError

EXPORT_FORMATS = ("ttl", "nt", "jsonld", "trig")
#: the board as of a date for GIS tools and spreadsheets (kg.geo_export), not the RDF graph
BOARD_FORMATS = ("geojson", "csv")


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


def _shown(path: Path) -> str:
    from kg.errors import display_path
    from kg.terminal import cell

    return cell(display_path(path))


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
    try:
        outcome = validation.validate(data_files)
    except validation.ValidationRunError as error:  # shapes pyshacl cannot use
        raise KgError(f"cannot run the shapes: {error}") from None
    from kg.terminal import clean

    _echo_text(validation.render_json(outcome) if fmt == "json" else clean(validation.render_text(outcome)))
    click.get_current_context().exit(0 if outcome.conforms else 1)


# ---------------------------------------------------------------- stats


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def stats_command(as_json: bool) -> None:
    """Count what the graph holds: instances per class, triples, classes, properties and
    shapes defined, claims by source and by attribution, events by type.

    The first line says which graph: its folder and how it was chosen (--root,
    BORDER_KG_ROOT, the current folder, or the copy installed with kg)."""
    from kg.output import json_text
    from kg.stats import render_table, shape_counts
    from kg.store import hand_written_stats, open_store
    from kg.terminal import clean, terminal_width

    root = paths.root()
    counts = hand_written_stats()
    shapes_file = paths.shapes_file()
    shapes = {"node_shapes": 0, "property_shapes": 0}
    if shapes_file.exists() or shapes_file.is_symlink():
        shapes = shape_counts(open_store([shapes_file]))
    stats: dict[str, Any] = {
        "root": str(root.path),
        "root_from": root.how,
        "files": [_root_relative(f) for f in paths.graph_files()],
        "shapes_file": _root_relative(shapes_file) if shapes_file.exists() else None,
        **counts,
        "defined": {**counts["defined"], **shapes},
    }
    if as_json:
        _echo_text(json_text(stats) + "\n")
        return
    _echo_text(clean(f"{root.describe()}\n" + render_table(stats, width=terminal_width())))


# ---------------------------------------------------------------- export


@click.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS + BOARD_FORMATS), default="ttl", show_default=True,
    help="RDF format to write; or geojson / csv: the board as of --as-of for GIS tools and spreadsheets.",
)
@click.option(
    "--output", "-o", default="-", show_default=True, metavar="FILE|-",
    help="File to write (replaced atomically; a symlink's target is replaced; devices, FIFOs "
         "and read-only files are refused); - or /dev/stdout for standard output.",
)
@click.option("--as-of", "as_of", type=AS_OF, default="today", show_default=True,
              help="For geojson and csv: the date of the board.")
@click.option("--known-at", "known_at", type=AS_OF, default=None,
              help="For geojson and csv: only what was known on this date.")
def export_command(fmt: str, output: str, as_of: str, known_at: str | None) -> None:
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
    from kg.export import export_layers
    from kg.files import is_stdout, writable_target, write_output
    from kg.store import layers

    if not is_stdout(output):
        writable_target(output)  # refuse before the work, not after
    data, count = export_layers(*layers(), fmt)
    if write_output(output, data) is not None:
        click.echo(f"wrote {count} triples as {fmt} to {_shown(Path(output))}", err=True)


def _export_board(fmt: str, output: str, as_of: str, known_at: str | None) -> None:
    """``kg export --format geojson|csv``: the board as of a date (kg.geo_export)."""
    from kg import geo_export
    from kg.files import is_stdout, writable_target, write_output
    from kg.lookup import Graph as Lookups

    if not is_stdout(output):
        writable_target(output)  # refuse before the work, not after
    graph = Lookups(known_at=known_at)
    data = geo_export.geojson_bytes(graph, as_of) if fmt == "geojson" else geo_export.hxl_csv_bytes(graph, as_of)
    if write_output(output, data) is not None:
        click.echo(f"wrote the board as of {as_of} as {fmt} to {_shown(Path(output))}", err=True)


# ---------------------------------------------------------------- fmt


@click.command("fmt")
@click.argument("targets", metavar="[PATHS]...", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--check", is_flag=True, help="Write nothing; list files not in normalized form and exit 1 if any.")
@click.option("--drop-comments", is_flag=True,
              help="Rewrite files that hold # comments, dropping them (refused without this flag).")
def fmt_command(targets: tuple[Path, ...], check: bool, drop_comments: bool) -> None:
    """Rewrite Turtle files in normalized form (fixed prefixes, sorted, stable blank nodes).

    Without PATHS: every .ttl file in ontology/ and data/, shapes included. Only .ttl files
    are rewritten (naming another kind of file is an error). Normalized Turtle has no comments:
    a file with # comments is refused unless --drop-comments is given (put documentation in
    rdfs:comment or skos:definition). A read-only file is refused; a symlink keeps pointing
    at its rewritten target; nothing is written unless every file can be.
    """
    from kg.files import decode, read_bytes, writable_target, write_bytes
    from kg.normalize import comment_lines, normalized_file_bytes

    not_turtle = [t for t in targets if not t.is_dir() and t.suffix.lower() != ".ttl"]
    if not_turtle:
        raise KgError(f"{_shown(not_turtle[0])}: not a Turtle (.ttl) file; kg fmt only rewrites Turtle")
    files = _expand(targets) if targets else _own_files()
    # read everything first: a malformed file means nothing is written
    originals = {f: read_bytes(f) for f in files}
    wanted = {f: normalized_file_bytes(f, data) for f, data in originals.items()}
    changed = [f for f in files if originals[f] != wanted[f]]
    comments = {f: comment_lines(decode(originals[f], f)) for f in changed}
    if check:
        if changed:
            for f in changed:
                note = f" ({len(comments[f])} comments would be dropped)" if comments[f] else ""
                click.echo(f"not normalized: {_shown(f)}{note}")
            fix = "kg fmt" + "".join(f" {t}" for t in targets)
            click.echo(f"{len(changed)} of {len(files)} files not normalized; run `{fix}` to fix them.", err=True)
            click.get_current_context().exit(1)
        click.echo(f"{len(files)} files already normalized.")
        return
    lossy = [f for f in changed if comments[f]]
    if lossy and not drop_comments:
        listed = ", ".join(f"{_shown(f)} (line{'s' if len(comments[f]) > 1 else ''} "
                           f"{', '.join(map(str, comments[f][:5]))}{', …' if len(comments[f]) > 5 else ''})"
                           for f in lossy)
        raise KgError(f"normalizing would drop the # comments of {listed}: nothing written. Move them "
                      "into rdfs:comment or skos:definition, or run kg fmt --drop-comments")
    for f in changed:
        writable_target(f)  # every refusal before the first write
    for f in changed:
        write_bytes(f, wanted[f])
        click.echo(f"reformatted {_shown(f)}")
    click.echo(f"{len(changed)} reformatted, {len(files) - len(changed)} unchanged.")


def _own_files() -> list[Path]:
    """The Turtle files the root itself holds (a workspace has no ontology/ of its own; the
    package's is not the user's to rewrite). An empty data/ is an error, as for every command."""
    data = paths.turtle_files("data")
    if not data:
        paths.graph_files()  # raises GraphNotFound with the graph's description
    ontology = paths.resource_dir("ontology")
    return (paths.turtle_files("ontology") if ontology.is_dir() else []) + data
