"""A workspace: an analyst's own folder of reports and data, next to what comes with kg.

``kg init DIR`` makes one::

    DIR/border-kg.toml        what the workspace includes (below)
    DIR/reports/              the report files the analyst writes (YAML), with the schema editors
                              use (report.schema.json) and a starting file
    DIR/data/                 what kg add and kg import write (normalized Turtle, one file per
                              report), never edited by hand
    DIR/.gitignore            the lock file

Every command finds it the way git finds a repository (:mod:`kg.paths`): ``--root DIR``,
``BORDER_KG_ROOT``, else the current folder or a parent holding ``border-kg.toml``. The ontology,
the shapes and the queries come from the installed package; the dataset shipped with kg is
included unless ``shipped_data = false``. Nothing is ever written inside the package: a command
that writes (kg add, kg import) refuses the installed graph and says to make a workspace.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError, KgError

CONFIG_TEXT = """\
# A border-kg workspace (kg init). kg finds it from this folder and every folder below it.

[graph]
# Include the dataset that comes with kg (the seed article and the other reports it cites).
# false: the graph is only what you add here (the ontology and queries still come with kg).
shipped_data = {shipped}
"""
GITIGNORE = ".border-kg.lock\n"


@dataclass(frozen=True)
class Config:
    shipped_data: bool = True


def load_config(folder: Path) -> Config:
    """The workspace's ``border-kg.toml``; a malformed one is an error naming its line."""
    from kg.files import read_text
    from kg.paths import WORKSPACE_FILE

    path = folder / WORKSPACE_FILE
    try:
        data = tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as error:
        import re

        found = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
        raise InputError(path, str(error).split(" (at line")[0], line, column) from None
    graph = data.get("graph", {})
    unknown = sorted(set(data) - {"graph"}) + sorted(f"graph.{k}" for k in set(graph) - {"shipped_data"})
    if unknown:
        raise InputError(path, f"unknown setting {unknown[0]} (known: graph.shipped_data)")
    shipped = graph.get("shipped_data", True)
    if not isinstance(shipped, bool):
        raise InputError(path, "graph.shipped_data must be true or false")
    return Config(shipped_data=shipped)


def init(folder: Path, shipped_data: bool = True) -> list[Path]:
    """Make a workspace in ``folder`` (created if missing, or an existing folder that is not a
    workspace yet); return the files written."""
    from kg import paths, report_schema
    from kg.files import write_bytes

    if (folder / paths.WORKSPACE_FILE).exists():
        raise KgError(f"{folder} is already a workspace ({paths.WORKSPACE_FILE} is there)")
    if folder.exists() and not folder.is_dir():
        raise KgError(f"{folder} exists and is not a folder")
    for sub in ("data", "reports"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    from kg.report_templates import TEMPLATE

    written = [
        write_bytes(folder / paths.WORKSPACE_FILE, CONFIG_TEXT.format(shipped="true" if shipped_data else "false").encode()),
        write_bytes(folder / ".gitignore", GITIGNORE.encode()),
        write_bytes(folder / "reports" / "report.schema.json", report_schema.render(vocabulary()).encode("utf-8")),
        write_bytes(folder / "reports" / "example.yaml", TEMPLATE.encode("utf-8")),
    ]
    return written


def vocabulary():  # type: ignore[no-untyped-def]
    """The report vocabulary of the ontology in use (rdflib: the write path, not the lookups')."""
    from kg import paths, report_vocabulary
    from kg.rdf_io import load_graph, load_shapes

    return report_vocabulary.build(load_graph(paths.ontology_files()), load_shapes())


def writable_data(folder: Path) -> Path:
    """Where kg add and kg import write: the root's ``data/`` folder, never inside the installed
    package (a checkout is a workspace of its own; a wheel's copy is not anyone's to edit)."""
    from kg import paths

    target = (folder / "data").resolve()
    if target.is_relative_to(paths.PACKAGE_DIR):
        raise KgError("this graph is the one installed with kg: nothing is written there. "
                      "Make a workspace (kg init DIR) and run kg from it, or pass --root DIR")
    return folder / "data"
