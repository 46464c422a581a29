"""``kg query``: run a library query (or a file, or stdin) with typed parameters.

Bad input (an unknown query, a parameter of the wrong type, a missing value, a query that does
not parse, an update, ``SERVICE`` without ``--allow-network``) and a graph file that cannot be
read are one line, exit 2; a query that runs out of time exits 124 (see :mod:`kg.errors`). No
rdflib is imported unless ``--engine rdflib`` is asked for.
"""

from __future__ import annotations

import sys

import click

from kg import output
from kg.engines import DEFAULT_ENGINE, DEFAULT_TIMEOUT, ENGINES, EngineError, execute, load_engine
from kg.errors import KgError, TimedOut
from kg.params import ParamError, resolve
from kg.queries import QueryNotFound, load, load_all


def _parse_assignments(assignments: tuple[str, ...]) -> dict[str, str]:
    given: dict[str, str] = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.UsageError(f"--param expects NAME=VALUE, got {item!r}")
        given[name.strip().replace("-", "_")] = value
    return given


def _list(fmt: str) -> None:
    """The library: name, title and parameters (JSON also carries descriptions and examples)."""
    queries = load_all()
    if fmt == "json":
        objects = [{"name": q.name, "title": q.title, "description": q.description,
                    "params": [{"name": p.name, "type": p.type, "default": p.default,
                                "optional": p.optional, "doc": p.doc} for p in q.params],
                    "example": q.example}
                   for q in queries]
        click.echo(output.json_text(objects))
        return
    rows = [[q.name, q.title, " ".join(p.describe() for p in q.params)] for q in queries]
    output.write(fmt, ["name", "title", "params"], rows, sys.stdout)


@click.command("query")
@click.argument("ref", required=False, metavar="NAME|FILE|-")
@click.option("--param", "-p", "assignments", multiple=True, metavar="NAME=VALUE",
              help="A query parameter; repeat for several (see --list for each query's).")
@click.option("--as-of", "as_of", metavar="DATE",
              help="Shortcut for --param as_of=DATE (YYYY-MM-DD, YYYY-MM or 'today').")
@click.option("--known-at", "known_at", metavar="DATE",
              help="Run on the graph as known on DATE: claims and events of sources added (else "
                   "published, else accessed) later are left out before the resolution is derived.")
@click.option("--engine", "-e", type=click.Choice(ENGINES), default=DEFAULT_ENGINE,
              show_default=True, help="SPARQL engine: Oxigraph (fast) or rdflib (cross-check).")
@click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
              metavar="SECONDS", help="Stop the query after this many seconds (exit 124); 0: no limit.")
@output.format_option()
@click.option("--list", "list_queries", is_flag=True, help="List the library's queries and exit.")
def query(ref: str | None, assignments: tuple[str, ...], as_of: str | None, known_at: str | None,
          engine: str, timeout: float, fmt: str, list_queries: bool) -> None:
    """Run a query of the library by NAME, a .rq FILE, or '-' for stdin.

    Queries only read: SPARQL Update is refused, and so is SERVICE unless the network is
    allowed (kg --allow-network, or BORDER_KG_ALLOW_NETWORK=1).

    \b
    Examples:
      kg query held-by-anti-regime-closed-by-china --as-of 2024-11-21
      kg query timeline --param place=bkr:crossing-kanpiketi --format json
      kg query --list
    """
    if list_queries:
        _list(fmt)
        return
    if ref is None:
        raise click.UsageError("name a query (kg query --list shows them), a .rq file, or '-'")
    try:
        chosen = load(ref, sys.stdin)
    except QueryNotFound as error:
        raise click.UsageError(str(error)) from None
    given = _parse_assignments(assignments)
    if as_of is not None:
        if chosen.param("as_of") is None:
            raise click.UsageError(f"query '{chosen.name}' has no as_of parameter")
        given["as_of"] = as_of
    try:
        values = resolve(list(chosen.params), given)
    except ParamError as error:
        raise click.UsageError(str(error)) from None
    if known_at is not None:
        from kg.dates import parse_as_of

        try:
            known_at = parse_as_of(known_at)
        except ValueError as error:
            raise click.UsageError(f"--known-at: {error}") from None
    try:
        runner = load_engine(engine, known_at=known_at)
        runner.timeout = timeout or None
        result = execute(chosen, values, runner)
    except EngineError as error:
        raise KgError(f"{chosen.name} ({engine}): {error}") from None
    except TimedOut as error:
        raise TimedOut(f"{chosen.name} ({engine}): {error}") from None
    output.write(fmt, result.variables, result.rows, sys.stdout, result.boolean)
