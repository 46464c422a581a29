"""The ``kg`` command. Commands live in their own modules and are imported only when run,
so ``kg status`` never pays for rdflib, pyshacl or networkx."""

from __future__ import annotations

import importlib

import click

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
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command is invoked or listed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        return getattr(importlib.import_module(module_name), attribute)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="border-kg")
def main() -> None:
    """border-kg: a sourced, time-scoped knowledge graph of China–Myanmar border crossings."""
