"""The one place that knows where the graph's files live.

In a source checkout they are the top-level ``ontology/``, ``data/`` and ``queries/`` folders;
in a normal (non-editable) install they are copied into the wheel under ``kg/_resources/``.
``BORDER_KG_ROOT`` points the tool at another tree (a fork, a test's copy).
"""

from __future__ import annotations

import os
from pathlib import Path

RESOURCE_DIRS = ("ontology", "data", "queries")
SHAPES_FILE = "shapes.ttl"
_PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    """The folder holding ``ontology/``, ``data/`` and ``queries/``."""
    override = os.environ.get("BORDER_KG_ROOT")
    if override:
        return Path(override).resolve()
    checkout = _PACKAGE_DIR.parent
    if (checkout / "ontology").is_dir() and (checkout / "data").is_dir():
        return checkout
    return _PACKAGE_DIR / "_resources"


def resource_dir(name: str) -> Path:
    """Path of one of ``RESOURCE_DIRS``."""
    if name not in RESOURCE_DIRS:
        raise ValueError(f"unknown resource folder {name!r}; expected one of {RESOURCE_DIRS}")
    return project_root() / name


def turtle_files(name: str) -> list[Path]:
    """Sorted ``.ttl`` files below a resource folder (sorted so every load is in one order)."""
    return sorted(resource_dir(name).rglob("*.ttl"))


def shapes_file() -> Path:
    """The SHACL shapes (kept apart from the graph they check)."""
    return resource_dir("ontology") / SHAPES_FILE


def graph_files(include_external: bool = True) -> list[Path]:
    """Ontology + data files that make up the merged graph (shapes excluded).

    ``data/external/`` holds facts from sources other than the article; leaving it out gives
    the article-only graph.
    """
    ontology = [f for f in turtle_files("ontology") if f.name != SHAPES_FILE]
    files = ontology + turtle_files("data")
    if include_external:
        return files
    external = resource_dir("data") / "external"
    return [f for f in files if external not in f.parents]
