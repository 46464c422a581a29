"""The ``kg`` command. Commands live in their own modules and are imported only when run,
so ``kg status`` never pays for rdflib, pyshacl or networkx.

Every command runs through :func:`kg.errors.run`: expected failures become one line and a
documented exit code (see :mod:`kg.errors`), never a traceback.
"""

from __future__ import annotations

import errno
import importlib
import sys
from typing import Any

import click

from kg import errors, offline, paths

#: command name -> "module:attribute" of its click command. Add a line to add a command.
COMMANDS: dict[str, str] = {
    "export": "kg.graph_commands:export_command",
    "fmt": "kg.graph_commands:fmt_command",
    "query": "kg.query_command:query",
    "stats": "kg.graph_commands:stats_command",
    "validate": "kg.graph_commands:validate_command",
    "actor": "kg.lookup_commands:actor_command",
    "crossing": "kg.lookup_commands:crossing_command",
    "place": "kg.lookup_commands:place_command",
    "search": "kg.lookup_commands:search_command",
    "status": "kg.lookup_commands:status_command",
    "timeline": "kg.lookup_commands:timeline_command",
    "network": "kg.network_commands:network_group",
    "map": "kg.picture_commands:map_command",
    "report": "kg.picture_commands:report_command",
    "init": "kg.ingest_commands:init_command",
    "add": "kg.ingest_commands:add_command",
    "import": "kg.ingest_commands:import_group",
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command is invoked or listed,
    and runs every command through :func:`kg.errors.run`."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        return getattr(importlib.import_module(module_name), attribute)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OSError as error:
            if error.errno == errno.EPIPE:  # click would turn it into exit 1 on its own
                raise errors.ReaderGone("standard output's reader went away") from None
            raise

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        paths.use_root(None)
        offline.allow(False)

        def invoke() -> object:
            with offline.guarded():
                return super(LazyGroup, self).main(args, prog_name, complete_var, standalone_mode=False, **extra)

        code = errors.run(invoke)
        if standalone_mode:
            sys.exit(code)
        return code


@click.group(name="kg", cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="border-kg")
@click.option("--root", metavar="DIR", help="The graph to use: a folder holding ontology/ and data/. "
              "Default: $BORDER_KG_ROOT, else the current folder or a parent holding them, else "
              "the copy installed with kg.")
@click.option("--allow-network", is_flag=True, help="Allow SPARQL SERVICE calls and remote JSON-LD "
              "contexts (off by default; also BORDER_KG_ALLOW_NETWORK=1).")
def main(root: str | None, allow_network: bool) -> None:
    """border-kg: a sourced, time-scoped knowledge graph of China–Myanmar border crossings.

    Exit codes: 0 success; 1 the answer is no (does not conform, not normalized, not found);
    2 could not do it (usage, unreadable input, no graph, refused, cannot write); 124 timed
    out; 130 interrupted; 141 the output's reader went away; 70 a bug.
    """
    paths.use_root(root)
    if allow_network:
        offline.allow(True)
