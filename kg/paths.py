"""Which graph am I using: the one place that finds the graph's files, and says why.

The graph is a folder (the *root*) holding ``ontology/``, ``data/`` and ``queries/``. It is,
in this order:

1. ``kg --root DIR``;
2. ``$BORDER_KG_ROOT``;
3. the current folder or its nearest parent that looks like a root (as git finds its
   repository), so that ``kg validate`` inside a checkout checks the files being edited even
   after a plain ``pip install .``: a checkout (``ontology/`` and ``data/``) or a workspace
   (``border-kg.toml``, made by ``kg init``);
4. the copy that travels with the package (the checkout of an editable install, else the
   wheel's ``kg/_resources/``).

A **workspace** (:mod:`kg.workspace`) is an analyst's own folder: its ``data/`` holds what they
add (``kg add``, ``kg import``); the ontology, the shapes, the queries and, unless its
``border-kg.toml`` leaves it out, the shipped dataset come from the package.

A root that does not exist, has no ``ontology/`` or ``data/``, or no data files is an error
(:class:`GraphNotFound`, one line naming the path and how it was chosen), never a success on
nothing. :func:`describe` is the line ``kg stats`` and graph errors print.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError, KgError
from kg.files import kind

RESOURCE_DIRS = ("ontology", "data", "queries")
SHAPES_FILE = "shapes.ttl"
ENV = "BORDER_KG_ROOT"
_PACKAGE_DIR = Path(__file__).resolve().parent
#: the installed package's own folder: nothing under it is ever written
PACKAGE_DIR = _PACKAGE_DIR

WORKSPACE_FILE = "border-kg.toml"

#: What makes a folder a root when searching upwards from the current folder.
ROOT_MARKERS: tuple[Callable[[Path], bool], ...] = (
    lambda folder: (folder / WORKSPACE_FILE).is_file(),
    lambda folder: (folder / "ontology").is_dir() and (folder / "data").is_dir(),
)

_chosen: dict[str, str | None] = {"root": None}


class GraphNotFound(KgError):
    """No usable graph where the tool was told, or found, to look. Exit 2."""


@dataclass(frozen=True)
class Root:
    """A graph root and how it was chosen ("from BORDER_KG_ROOT")."""

    path: Path
    how: str

    def describe(self) -> str:
        return f"graph: {self.path} ({self.how})"


def use_root(folder: str | os.PathLike[str] | None) -> None:
    """``kg --root``: use ``folder`` for this command (None: back to the search)."""
    _chosen["root"] = None if folder is None else os.fspath(folder)


def is_root(folder: Path) -> bool:
    return any(marker(folder) for marker in ROOT_MARKERS)


def root() -> Root:
    """The graph root in use, checked: raises :class:`GraphNotFound` with the path and why."""
    if _chosen["root"] is not None:
        return _checked(Root(Path(_chosen["root"]).expanduser().resolve(), "from --root"))
    override = os.environ.get(ENV)
    if override:
        return _checked(Root(Path(override).expanduser().resolve(), f"from {ENV}"))
    try:
        here = Path.cwd()
    except OSError:  # the working folder was deleted
        here = None
    if here is not None:
        for folder in (here, *here.parents):
            if is_root(folder):
                return Root(folder, "found from the current folder")
    checkout = _PACKAGE_DIR.parent
    if is_root(checkout):
        return Root(checkout, "the checkout kg runs from")
    return _checked(Root(_PACKAGE_DIR / "_resources", "installed with kg"))


def _checked(found: Root) -> Root:
    if not found.path.is_dir():
        what = "no such folder" if not found.path.exists() else "not a folder"
        raise GraphNotFound(f"{found.describe()}: {what}")
    needed = ("data",) if is_workspace(found.path) else ("ontology", "data")
    missing = [name for name in needed if not (found.path / name).is_dir()]
    if missing:
        raise GraphNotFound(f"{found.describe()}: no {' or '.join(m + '/' for m in missing)} folder there")
    return found


def is_workspace(folder: Path) -> bool:
    """A folder made by ``kg init``: its ``border-kg.toml`` says what it includes."""
    return (folder / WORKSPACE_FILE).is_file()


def shipped_dir(name: str) -> Path:
    """A resource folder as it travels with the package: the checkout's (editable install)
    or the wheel's ``kg/_resources/``."""
    checkout = _PACKAGE_DIR.parent / name
    return checkout if is_root(_PACKAGE_DIR.parent) and checkout.is_dir() else _PACKAGE_DIR / "_resources" / name


def project_root() -> Path:
    """The folder holding ``ontology/``, ``data/`` and ``queries/``."""
    return root().path


def describe() -> str:
    """``graph: /path (from BORDER_KG_ROOT)``."""
    return root().describe()


def resource_dir(name: str) -> Path:
    """Path of one of ``RESOURCE_DIRS``."""
    if name not in RESOURCE_DIRS:
        raise ValueError(f"unknown resource folder {name!r}; expected one of {RESOURCE_DIRS}")
    return project_root() / name


def queries_dir() -> Path:
    """The query library: the root's ``queries/``, or the one installed with kg when the root
    has none (a graph of one's own still gets the lookups)."""
    own = resource_dir("queries")
    if own.is_dir():
        return own
    checkout = _PACKAGE_DIR.parent / "queries"
    return checkout if checkout.is_dir() else _PACKAGE_DIR / "_resources" / "queries"


def turtle_files(name: str) -> list[Path]:
    """Sorted ``.ttl`` files below a resource folder (sorted so every load is in one order)."""
    return find_files(resource_dir(name), (".ttl",))


def find_files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """Regular files with one of ``suffixes`` below ``folder``, sorted, following symlinks
    (each folder once). A FIFO, socket or device with such a name is refused, not skipped:
    opening it could block forever, and leaving it out silently would change the graph."""
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    for top, folders, names in os.walk(folder, followlinks=True):
        try:
            info = os.stat(top)
        except OSError:
            folders[:] = []
            continue
        if (info.st_dev, info.st_ino) in seen:
            folders[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        for name in names:
            if not name.endswith(suffixes):
                continue
            path = Path(top) / name
            try:
                mode = os.stat(path).st_mode
            except OSError as error:
                raise InputError(path, error.strerror or "cannot be read") from None
            if not stat.S_ISREG(mode):
                raise InputError(path, f"is {kind(mode)}, not a regular file; remove it or rename it")
            found.append(path)
    return sorted(found)


def ontology_dir() -> Path:
    """The ontology in use: the root's own ``ontology/``, else (a workspace) the package's."""
    own = resource_dir("ontology")
    return own if own.is_dir() else shipped_dir("ontology")


def shapes_file() -> Path:
    """The SHACL shapes (kept apart from the graph they check)."""
    return ontology_dir() / SHAPES_FILE


def ontology_files() -> list[Path]:
    """The ontology and vocabularies (the shapes excluded)."""
    return [f for f in find_files(ontology_dir(), (".ttl",)) if f.name != SHAPES_FILE]


def data_files() -> list[Path]:
    """The data of the graph in use: the root's ``data/`` and, for a workspace that includes
    it (the default), the dataset shipped with kg."""
    own = turtle_files("data")
    folder = project_root()
    if is_workspace(folder):
        from kg.workspace import load_config

        if load_config(folder).shipped_data:
            shipped = shipped_dir("data")
            if shipped.resolve() != resource_dir("data").resolve():
                own = find_files(shipped, (".ttl",)) + own
    return own


def graph_files(include_external: bool = True) -> list[Path]:
    """Ontology + data files that make up the merged graph (shapes excluded).

    ``data/external/`` (hand-written) and ``data/reports/`` (written by ``kg add``) hold facts
    from sources other than the article; leaving them out gives the article-only graph. No data
    file at all is :class:`GraphNotFound`.
    """
    data = data_files()
    if not data:
        raise GraphNotFound(f"{describe()}: no .ttl files in data/")
    files = ontology_files() + data
    if include_external:
        return files
    external = {root / folder for root in (resource_dir("data"), shipped_dir("data"))
                for folder in ("external", "reports")}
    return [f for f in files if not external & set(f.parents)]
