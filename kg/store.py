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
- A store that opens but is damaged is rebuilt too. RocksDB does not notice every damaged block
  (measured: flipped bytes in a data block read back silently, or abort the process in
  ``std::bad_alloc``), so each store carries a digest of its files (:data:`DIGEST_FILE`), checked
  at open (under 1 ms for a store the size of the shipped graph's; above :data:`VERIFY_MAX_BYTES`
  only names and sizes are compared). A "Corruption:" error during a command drops the store
  (:func:`drop_damaged`) and :func:`kg.errors.run` runs the command once more.
- Graph files are read with :func:`kg.files.read_bytes` (a FIFO is refused, never waited on) and
  loaded in a worker (:func:`kg.bounded.call`), so Ctrl-C stops a long load.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph

from kg import derived, paths
from kg.errors import KgError
from kg.stats import graph_stats

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
CACHE_FORMAT = "3"
#: Unfinished builds older than this (seconds) are left-overs of a crash and may be removed.
_STALE_BUILD_SECONDS = 600
#: The digest of a store's files, written last when it is built (see the module docstring).
DIGEST_FILE = "kg-digest"
#: Up to this many bytes of store files, the digest covers their content (CRC-32: ~20 ms for
#: 16 MB); above, only their names and sizes, so that opening a big store stays cheap.
VERIFY_MAX_BYTES = 16_000_000
#: The on-disk store opened last in this process (what :func:`drop_damaged` removes).
_opened: dict[str, Path | None] = {"store": None}
#: the same store object and its folder, where its tables are (:func:`table`)
_last_opened: dict[str, tuple[Any, Path] | None] = {"store": None}


class StoreError(KgError):
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
    from kg.bounded import call
    from kg.files import read_bytes
    from kg.syntax import input_error

    fmt = _FORMATS.get(Path(path).suffix.lower(), pyoxigraph.RdfFormat.TURTLE)
    base = Path(path).resolve().as_uri()
    data = read_bytes(path)
    load = store.bulk_load if bulk else store.load
    try:
        call(lambda: load(input=data, format=fmt, base_iri=base), what=f"loading {path}")
    except (SyntaxError, OSError, ValueError) as error:
        raise StoreError(str(input_error(Path(path), error, data))) from None


def parsed(files: Sequence[Path]) -> pyoxigraph.Store:
    """The hand-written triples of ``files`` only (no resolution), in memory."""
    store = pyoxigraph.Store()
    for path in files:
        _load(store, Path(path), bulk=False)
    return store


def resolution_ntriples(files: Sequence[Path] | None = None) -> bytes:
    """The derived triples alone, as N-Triples (for rdflib graphs and exports)."""
    store = parsed(list(files) if files is not None else paths.graph_files())
    return derived.ntriples(derived.derived_quads(store))


def hand_written_stats() -> dict[str, Any]:
    """``kg stats``'s counts of the project graph's hand-written triples (no resolution): kept
    with the on-disk store when the cache is in use, else counted on the files parsed here."""
    files = paths.graph_files()
    if use_disk_cache(files):
        found = cached_table(cached_store(files), "stats")
        if found is not None:
            return found
    return graph_stats(parsed(files))


def layers() -> tuple[bytes, bytes]:
    """The project graph's two layers as N-Triples (lines in no order, Oxigraph's canonical
    literals): the hand-written triples, parsed into memory (Oxigraph dumps an in-memory store
    ~8x faster than its on-disk one: 1.1 s against 8.3 s at 1M triples), and the derived
    resolution, kept with the on-disk store when the cache is in use (deriving it again costs
    ~10 s at 1M), else derived here."""
    files = paths.graph_files()
    hand = parsed(files)
    resolution = None
    if use_disk_cache(files):
        resolution = cached_table(cached_store(files), RESOLUTION_TABLE)
    if resolution is None:
        resolution = derived.ntriples(derived.derived_quads(hand))
    return hand.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph()) or b"", resolution


def _memory_store(files: Sequence[Path], known_at: str | None = None) -> pyoxigraph.Store:
    store = parsed(files)
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

    from kg.files import read_bytes

    root = (root or paths.project_root()).resolve()
    settings = f"border-kg-store {CACHE_FORMAT} {pyoxigraph.__version__} {derived.settings_key()}\n"
    digest = hashlib.sha256(settings.encode())
    for path in files:
        resolved = Path(path).resolve()
        try:
            name = resolved.relative_to(root).as_posix()
        except ValueError:
            name = str(resolved)
        content = read_bytes(resolved)
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()[:32]


def cached_store(files: Sequence[Path]) -> pyoxigraph.Store:
    """The read-only on-disk store for ``files``, built first if it is missing or unreadable."""
    import shutil

    from kg.errors import InputError

    try:
        key = fingerprint(files)
    except (OSError, InputError):
        return _memory_store(files)  # a file vanished while listing; load what parses
    folder = cache_dir()
    target = folder / f"store-{key}"
    if target.is_dir():
        try:
            return _open_verified(target)
        except Exception:  # corrupt or half-deleted: RocksDB raises OSError or RuntimeError
            shutil.rmtree(target, ignore_errors=True)
    try:
        _build(files, folder, target)
    except Exception:
        # an unwritable cache folder, a full disk, or a file that does not parse: loading in
        # memory either works or raises the file's own StoreError
        return _memory_store(files)
    try:
        return _open_verified(target)
    except Exception:
        shutil.rmtree(target, ignore_errors=True)
        return _memory_store(files)


def _open_verified(target: Path) -> pyoxigraph.Store:
    """Open a built store read-only after checking its files against their digest."""
    recorded = (target / DIGEST_FILE).read_text(encoding="utf-8").strip()
    if recorded != store_digest(target):
        raise OSError(f"Corruption: the files of {target} do not match their digest")
    store = pyoxigraph.Store.read_only(str(target))
    _opened["store"] = target
    _last_opened["store"] = (store, target)
    return store


def store_digest(target: Path) -> str:
    """A digest of a store's files (RocksDB's own LOG and LOCK files excepted): a checksum of
    their content when they are small enough to read at every open, else their names and sizes.
    It finds damage, not tampering: CRC-32 is enough and fast."""
    import zlib

    entries = sorted(p for p in target.iterdir()
                     if p.is_file() and p.name != DIGEST_FILE and not p.name.startswith(("LOG", "LOCK")))
    sizes = [(p.name, p.stat().st_size) for p in entries]
    if sum(size for _, size in sizes) > VERIFY_MAX_BYTES:
        return f"sizes {sizes!r}"
    checksum = 0
    for path in entries:
        checksum = zlib.crc32(path.read_bytes(), checksum)
    return f"crc32 {checksum:08x} {sizes!r}"


def drop_damaged() -> bool:
    """Remove the on-disk store this process opened (a query found it damaged); True if there
    was one, so that the command can be run again on a rebuilt store."""
    import shutil

    target = _opened["store"]
    _opened["store"] = None
    _last_opened["store"] = None
    if target is None or not target.is_dir():
        return False
    shutil.rmtree(target, ignore_errors=True)
    return True


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
        _write_table(building / f"{TABLE_PREFIX}stats.json", graph_stats(store))  # hand-written only
        resolution = list(derived.derived_quads(store))
        store.bulk_extend(resolution)
        (building / f"{TABLE_PREFIX}{RESOLUTION_TABLE}").write_bytes(derived.ntriples(resolution))
        store.flush()
        store.optimize()  # compacts the bulk-loaded files: opening it then takes ~10 ms, not ~40
        for name, build in _builders().items():  # before the digest, which covers them too
            _write_table(building / f"{TABLE_PREFIX}{name}.json", build(store))
        del store  # closes the database and releases its lock before the rename
        (building / DIGEST_FILE).write_text(store_digest(building) + "\n", encoding="utf-8")
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


# ---------------------------------------------------------------------------- derived tables


#: table files in a store folder: ``kg-table-<name>.json``, and the resolution as N-Triples
TABLE_PREFIX = "kg-table-"
RESOLUTION_TABLE = "resolution.nt"


def _builders() -> dict[str, Callable[[Any], Any]]:
    """The tables kept with a store: what lookups would otherwise rebuild from the whole graph
    in every process (the name index of every label, the resolved periods of the board)."""
    from kg.names import index_rows

    return {"names": index_rows, "periods": derived.period_table}


def cached_table(store: Any, name: str) -> Any | None:
    """The table ``name`` of :func:`_builders` for ``store`` when it is the on-disk store: read
    from its folder, where it was written when the store was built (so it has the store's
    content key and is never stale). None for an in-memory store: the caller computes it."""
    import json

    opened = _last_opened["store"]
    if opened is None or opened[0] is not store:
        return None
    try:
        if name == RESOLUTION_TABLE:
            return (opened[1] / f"{TABLE_PREFIX}{name}").read_bytes()
        return json.loads((opened[1] / f"{TABLE_PREFIX}{name}.json").read_bytes())
    except (OSError, ValueError):
        return None


def _write_table(path: Path, value: Any) -> None:
    import json

    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
