"""The graph as a pyoxigraph store, read by pyoxigraph's own Turtle parser (no rdflib).

:func:`open_store` is the single entry point. For explicit ``files`` it builds an in-memory
store. For the project's own graph (no ``files`` given) it can open a persistent on-disk store
kept as a cache, so that a command does not re-parse the Turtle files on every run.

When the cache is used (``BORDER_KG_CACHE``): ``always``; ``never``; ``auto``, the default, uses it once the graph files reach
:data:`DISK_CACHE_MIN_BYTES`. Measured here, fresh processes: the shipped graph (~240 KB of
Turtle, 3.3k triples) parses into memory in ~6 ms, while opening its on-disk store takes 9 ms on
an idle machine and 20-45 ms on a busy one (RocksDB's start-up); a 7 MB graph (300k triples)
takes 0.53 s to parse and still ~9 ms to open. Below about 1 MB, parsing is the faster path.

The cache is never stale and never an error:

- Its key (:func:`fingerprint`) is a hash of the relative path, size and content of every graph
  file (``kg.paths.graph_files()``: ontology/ and data/), plus the pyoxigraph version and a cache
  format number. Editing, adding or removing a file changes the key, and the next command builds
  a new store. Hashing the ~250 KB of Turtle costs about 0.3 ms, so no mtime shortcut is needed
  (an mtime check can miss an edit made within the file system's timestamp granularity).
- It lives in ``$XDG_CACHE_HOME/border-kg/<hash of the project root>/store-<key>/`` (default
  ``~/.cache``). A store is built in a private temporary folder next to it and renamed into place
  only when complete, so a crash or two processes building at once never leave a half store;
  the loser of a race drops its copy and opens the winner's.
- It is opened read-only (``Store.read_only``): any number of commands can read it at once.
- A store that cannot be opened (corrupt, truncated, deleted files) is removed and rebuilt. When
  the cache folder cannot be written, the graph is loaded in memory instead.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph

from kg import derived, paths

#: pyoxigraph formats by file suffix; anything else is read as Turtle.
_FORMATS = {
    ".ttl": pyoxigraph.RdfFormat.TURTLE,
    ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
    ".nq": pyoxigraph.RdfFormat.N_QUADS,
    ".trig": pyoxigraph.RdfFormat.TRIG,
    ".rdf": pyoxigraph.RdfFormat.RDF_XML,
    ".jsonld": pyoxigraph.RdfFormat.JSON_LD,
}

#: ``auto`` uses the on-disk cache from this many bytes of graph files on (see the docstring).
DISK_CACHE_MIN_BYTES = 1_000_000
CACHE_MODES = ("auto", "always", "never")
#: Bump when the layout or content of a cached store changes meaning.
CACHE_FORMAT = "1"
#: Unfinished builds older than this (seconds) are left-overs of a crash and may be removed.
_STALE_BUILD_SECONDS = 600


class StoreError(Exception):
    """A graph file pyoxigraph cannot read. ``str()`` is one line naming the file."""


def open_store(files: Sequence[Path] | None = None, known_at: str | None = None) -> pyoxigraph.Store:
    """A store holding ``files`` (default: :func:`kg.paths.graph_files`) in its default graph,
    each parsed with its ``file:`` IRI as base, as rdflib does, plus the resolution derived
    from their claims (:mod:`kg.derived`).

    Without ``files`` the store holds the project's graph: the on-disk cache (read-only) when
    :func:`use_disk_cache` says so, else parsed into memory; with ``files`` it is a fresh
    in-memory store. ``known_at`` (an ISO date) gives the graph as it was known that day: the
    claims and events of sources known later are left out before the resolution is derived
    (always in memory: a view, not a cache).
    """
    graph_files = list(files) if files is not None else paths.graph_files()
    try:
        derived.horizon_overrides()  # a malformed setting is the user's error, said before any work
    except derived.SettingsError as error:
        raise StoreError(str(error)) from None
    if known_at is not None:
        return _memory_store(graph_files, known_at)
    if files is None and use_disk_cache(graph_files):
        return cached_store(graph_files)
    return _memory_store(graph_files)


def cache_mode() -> str:
    """``BORDER_KG_CACHE``: auto (the default, also for an unknown value), always or never."""
    mode = (os.environ.get("BORDER_KG_CACHE") or "auto").strip().lower()
    return mode if mode in CACHE_MODES else "auto"


def use_disk_cache(files: Sequence[Path]) -> bool:
    mode = cache_mode()
    if mode != "auto":
        return mode == "always"
    total = 0
    for path in files:
        try:
            total += Path(path).stat().st_size
        except OSError:
            pass
    return total >= DISK_CACHE_MIN_BYTES


def _load(store: pyoxigraph.Store, path: Path, bulk: bool) -> None:
    fmt = _FORMATS.get(Path(path).suffix.lower(), pyoxigraph.RdfFormat.TURTLE)
    base = Path(path).resolve().as_uri()
    try:
        if bulk:
            store.bulk_load(path=str(path), format=fmt, base_iri=base)
        else:
            store.load(path=str(path), format=fmt, base_iri=base)
    except (SyntaxError, OSError, ValueError) as error:
        reason = " ".join(str(error).split())
        raise StoreError(f"{path}: {reason}") from None


def _parsed(files: Sequence[Path]) -> pyoxigraph.Store:
    """The hand-written triples of ``files`` only, in memory."""
    store = pyoxigraph.Store()
    for path in files:
        _load(store, Path(path), bulk=False)
    return store


def resolution_ntriples(files: Sequence[Path] | None = None) -> bytes:
    """The derived triples alone, as N-Triples (for rdflib graphs and exports)."""
    store = _parsed(list(files) if files is not None else paths.graph_files())
    return derived.ntriples(derived.derived_quads(store))


def _memory_store(files: Sequence[Path], known_at: str | None = None) -> pyoxigraph.Store:
    store = _parsed(files)
    if known_at is not None:
        derived.forget_unknown(store, known_at)
    derived.add_resolution(store)
    return store


# ---------------------------------------------------------------------------- the cache


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/border-kg`` (``~/.cache/border-kg`` when the variable is unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "border-kg"


def cache_dir(root: Path | None = None) -> Path:
    """The cache folder of one project tree (one per ``BORDER_KG_ROOT``)."""
    import hashlib

    root = (root or paths.project_root()).resolve()
    return cache_root() / hashlib.sha256(str(root).encode("utf-8")).hexdigest()[:16]


def fingerprint(files: Sequence[Path], root: Path | None = None) -> str:
    """A key that changes whenever a graph file is edited, added, removed or renamed."""
    import hashlib

    root = (root or paths.project_root()).resolve()
    settings = f"border-kg-store {CACHE_FORMAT} {pyoxigraph.__version__} {derived.settings_key()}\n"
    digest = hashlib.sha256(settings.encode())
    for path in files:
        resolved = Path(path).resolve()
        try:
            name = resolved.relative_to(root).as_posix()
        except ValueError:
            name = str(resolved)
        content = resolved.read_bytes()
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()[:32]


def cached_store(files: Sequence[Path]) -> pyoxigraph.Store:
    """The read-only on-disk store for ``files``, built first if it is missing or unreadable."""
    import shutil

    try:
        key = fingerprint(files)
    except OSError:
        return _memory_store(files)  # a file vanished while listing; load what parses
    folder = cache_dir()
    target = folder / f"store-{key}"
    if target.is_dir():
        try:
            return pyoxigraph.Store.read_only(str(target))
        except Exception:  # corrupt or half-deleted: RocksDB raises OSError or RuntimeError
            shutil.rmtree(target, ignore_errors=True)
    try:
        _build(files, folder, target)
    except Exception:
        # an unwritable cache folder, a full disk, or a file that does not parse: loading in
        # memory either works or raises the file's own StoreError
        return _memory_store(files)
    try:
        return pyoxigraph.Store.read_only(str(target))
    except Exception:
        shutil.rmtree(target, ignore_errors=True)
        return _memory_store(files)


def _build(files: Sequence[Path], folder: Path, target: Path) -> None:
    """Bulk-load ``files`` into a private folder, then rename it to ``target`` atomically."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "root").write_text(str(paths.project_root().resolve()) + "\n", encoding="utf-8")
    building = folder / f".build-{os.getpid()}-{os.urandom(4).hex()}"
    try:
        store = pyoxigraph.Store(str(building))
        for path in files:
            _load(store, Path(path), bulk=True)
        store.bulk_extend(list(derived.derived_quads(store)))
        store.flush()
        store.optimize()  # compacts the bulk-loaded files: opening it then takes ~10 ms, not ~40
        del store  # closes the database and releases its lock before the rename
        try:
            os.rename(building, target)
        except OSError:
            if not target.is_dir():  # not a lost race: a real failure
                raise
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    _prune(folder, keep=target)


def _prune(folder: Path, keep: Path) -> None:
    """Best effort: drop this tree's older stores and crashed builds, and the caches of project
    trees that no longer exist (test copies)."""
    import shutil
    import time

    now = time.time()
    for entry in folder.iterdir():
        if entry == keep or not entry.is_dir():
            continue
        if entry.name.startswith("store-"):
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(".build-"):
            try:
                if now - entry.stat().st_mtime > _STALE_BUILD_SECONDS:
                    shutil.rmtree(entry, ignore_errors=True)
            except OSError:
                pass
    for sibling in folder.parent.iterdir():
        if sibling == folder or not sibling.is_dir():
            continue
        try:
            root = (sibling / "root").read_text(encoding="utf-8").strip()
        except OSError:
            continue
        if root and not Path(root).is_dir():
            shutil.rmtree(sibling, ignore_errors=True)
