"""``kg map`` and ``kg report``, and the pictures of ``kg timeline --plot`` and ``kg status --plot``.

A thin layer over :mod:`kg.pictures`: matplotlib and the picture modules are imported only when
a picture is made, never when ``kg --help`` lists the commands or a lookup runs. Files are
written whole or not at all, never over a special or read-only file (:func:`kg.files.write_output`);
``--out -`` writes to standard output.

Exit codes (kg.errors): 0 written; 1 a name that matches nothing (or several things); 2 a usage
error (a bad date, an unknown picture format), a graph that does not load, a file that must not
or cannot be written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kg.lookup_commands import _graph, _resolve, _run, as_of_option, known_at_option

MAP_FORMATS = ("svg", "png", "html")
CHART_FORMATS = ("svg", "png")


def picture_format(out: Path, fmt: str | None, allowed: tuple[str, ...]) -> str:
    """The format asked for, else the one the file name ends with; a usage error otherwise."""
    if fmt:
        return fmt
    suffix = out.suffix.lower().lstrip(".")
    if str(out) == "-":
        return allowed[0]
    if suffix not in allowed:
        raise click.UsageError(f"cannot tell the picture format from {out.name!r}: use a name ending in "
                               f"{', '.join('.' + a for a in allowed)} or --format")
    return suffix


def write(out: Path, data: bytes, what: str) -> None:
    from kg.network_commands import write_output

    write_output(out, data, what)


def check_output(out: Path) -> None:
    from kg.network_commands import check_output as check

    check(out)


def since_option(f: Any) -> Any:
    return click.option("--since", "since", type=_as_of_type(), default=None,
                        help="With --plot: the chart starts here (default: a month before the first change).")(f)


def _as_of_type() -> Any:
    from kg.dates import AS_OF

    return AS_OF


# ---------------------------------------------------------------------------- kg map


@click.command("map")
@as_of_option
@known_at_option
@click.option("--out", "-o", "out", required=True, type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="The file to write: map.svg, map.png or map.html (or - for standard output).")
@click.option("--format", "fmt", type=click.Choice(MAP_FORMATS), default=None,
              help="svg, png or html (default: from the file name).")
def map_command(as_of: str, known_at: str | None, out: Path, fmt: str | None) -> None:
    """The map of the crossings as of a date: every crossing and gate at its coordinates, filled
    with the colour of who holds it, shaped by whether it is open (circle), partially open
    (triangle), closed (square), disputed (diamond) or unknown (dashed circle), both sides'
    towns named, the roads on record, the international border (Natural Earth), a legend, and
    the sources. Crossings without coordinates are listed under the map.

    SVG and HTML keep each marker's meaning in classes and tooltips; the HTML page adds the
    table of crossings and every source with its link, and needs no network (no tiles, no
    script). PNG is the same drawing, rasterized.

    \b
    Examples:
      kg map --as-of 2024-11-25 --out map.svg
      kg map --as-of 2024-11-25 --out map.html
    """
    fmt = picture_format(out, fmt, MAP_FORMATS)
    check_output(out)
    from kg.pictures import mapsvg, scene

    graph = _graph(known_at)
    data = _run(lambda: scene.map_scene(graph, as_of))
    drawing = mapsvg.drawing(data)
    if fmt == "svg":
        payload = mapsvg.to_svg(drawing).encode("utf-8")
    elif fmt == "png":
        payload = mapsvg.to_png(drawing)
    else:
        payload = mapsvg.to_html(drawing, data).encode("utf-8")
    write(out, payload, f"the map of {len(data['markers'])} crossings ({len(data['unlocated'])} without coordinates)")


# ---------------------------------------------------------------------------- kg report


@click.command("report")
@as_of_option
@known_at_option
@click.option("--since", "since", type=_as_of_type(), default=None,
              help="Where the charts start (default: a month before the first change on record).")
@click.option("--out", "-o", "out", required=True, type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="The HTML file to write (or - for standard output).")
def report_command(as_of: str, known_at: str | None, since: str | None, out: Path) -> None:
    """One self-contained HTML file (no network, no script): the crossings held by anti-regime
    groups and closed by China, the board, the map, the crossings over time and one timeline
    each, what changed in the last 30 and 90 days, the open disputes, and every source with
    its link, numbered once for the whole page.

    \b
    Examples:
      kg report --as-of 2024-11-25 --out report.html
      kg report --known-at 2024-11-30 --as-of 2024-11-30 --out brief.html
    """
    from kg.pictures import report

    check_output(out)
    graph = _graph(known_at)
    html = _run(lambda: report.build(graph, as_of, since))
    write(out, html.encode("utf-8"), f"the report as of {as_of}")


# ---------------------------------------------------------------------------- --plot


def plot_timeline(name: str, as_of: str, since: str | None, known_at: str | None, out: Path | None) -> None:
    """``kg timeline NAME --plot``: the Gantt-style chart of one crossing, place or actor."""
    if out is None:
        raise click.UsageError("--plot needs --out FILE (a .svg or .png file, or - for SVG on standard output)")
    fmt = picture_format(out, None, CHART_FORMATS)
    from kg.pictures import charts, scene

    graph = _graph(known_at)
    entity = _resolve(graph, name, None, "place, crossing or actor")
    data = _run(lambda: scene.timeline_scene(graph, entity, as_of, since))
    write(out, charts.timeline_bytes(data, fmt), f"the timeline of {entity.label} as {fmt}")


def plot_status(as_of: str, since: str | None, include_all: bool, known_at: str | None, out: Path | None) -> None:
    """``kg status --plot``: one strip per official crossing (every crossing with --all)."""
    if out is None:
        raise click.UsageError("--plot needs --out FILE (a .svg or .png file, or - for SVG on standard output)")
    fmt = picture_format(out, None, CHART_FORMATS)
    from kg.pictures import charts, scene

    graph = _graph(known_at)
    data = _run(lambda: scene.strips(graph, as_of, since, include_all))
    write(out, charts.strips_bytes(data, fmt), f"the status of {len(data['crossings'])} crossings as {fmt}")
