"""The on-disk store behind :func:`kg.store.open_store`: never stale, built atomically, rebuilt
when broken, never an error. Each test works on a private copy of the tree (``kg_tree``, via
``BORDER_KG_ROOT``) with ``XDG_CACHE_HOME`` in a temporary folder."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import store
from kg.cli import main
from kg.namespaces import ID

EXTRA_CLAIM = """@prefix bk: <https://w3id.org/border-kg/ontology#> .
@prefix bkv: <https://w3id.org/border-kg/vocab/> .
@prefix bkr: <https://w3id.org/border-kg/id/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

bkr:claim-test-tnla-kanpiketi a bk:ControlClaim ;
    bk:place bkr:crossing-kanpiketi ;
    bk:controller bkr:tnla ;
    bk:controlLevel bkv:Contested ;
    bk:validFrom "2024-11-22"^^xsd:date ;
    bk:validFromPrecision bkv:Day ;
    prov:wasDerivedFrom bkr:source-irrawaddy-2024-11-kia-kanpiketi .
"""


@pytest.fixture
def cached(kg_tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The copied tree, with the on-disk cache forced on and kept under tmp_path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("BORDER_KG_CACHE", "always")
    return kg_tree


def stores() -> list[Path]:
    folder = store.cache_dir()
    return sorted(folder.glob("store-*")) if folder.is_dir() else []


def holders(aspect: dict) -> set[str]:
    """Who holds it in a resolved answer (every side of a dispute)."""
    return {w["iri"] for a in aspect["answers"] for w in a["who"]}


def holders_of_kanpiketi(runner: CliRunner, as_of: str) -> set[str]:
    result = runner.invoke(main, ["crossing", "Kanpiketi", "--as-of", as_of, "--json"])
    assert result.exit_code == 0, result.output
    return holders(json.loads(result.stdout)["control"])


def test_cache_lives_under_xdg_cache_home_per_project_root(cached: Path, tmp_path: Path) -> None:
    store.open_store()
    folder = store.cache_dir()
    assert folder.parent == tmp_path / "xdg" / "border-kg"
    assert (folder / "root").read_text().strip() == str(cached.resolve())
    (only,) = stores()
    assert only.name == "store-" + store.fingerprint(store.paths.graph_files())
    assert not list(folder.glob(".build-*"))


def test_a_warm_cache_is_opened_not_rebuilt(cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = store.open_store()
    built: list[Path] = []
    original = store._build
    monkeypatch.setattr(store, "_build", lambda *a: built.append(a[2]) or original(*a))
    second = store.open_store()
    assert built == [] and len(second) == len(first) > 3000
    both = store.open_store()  # read-only: several readers at once
    assert len(both) == len(second)


def test_an_edited_data_file_shows_in_crossing_and_status(cached: Path, runner: CliRunner) -> None:
    before = holders_of_kanpiketi(runner, "2024-11-23")
    assert ID + "kia" in before and ID + "mndaa" not in before
    data = cached / "data" / "irrawaddy-2024-11-kanpiketi.ttl"
    text = data.read_text(encoding="utf-8")
    edited = text.replace('skos:prefLabel "Kanpiketi crossing"@en', 'skos:prefLabel "Kanpiketi gate (edited)"@en')
    # the KIA claim on the crossing now names the MNDAA (whatever the file's layout)
    start = re.search(r"^bkr:claim-control-crossing-kanpiketi-kia\b", edited, re.M).start()
    end = re.compile(r"(\s\.\s*$)", re.M).search(edited, start).end()
    block = edited[start:end]
    assert block.count("bk:controller bkr:kia") == 1
    edited = edited[:start] + block.replace("bk:controller bkr:kia", "bk:controller bkr:mndaa") + edited[end:]
    assert edited.count("(edited)") == 1
    data.write_text(edited, encoding="utf-8")  # same second, maybe same size class: the hash sees it

    out = runner.invoke(main, ["crossing", "Kanpiketi", "--as-of", "2024-11-23"])
    assert out.exit_code == 0, out.output
    assert "Kanpiketi gate (edited)" in out.stdout
    assert ID + "mndaa" in holders_of_kanpiketi(runner, "2024-11-23")
    board = runner.invoke(main, ["status", "--as-of", "2024-11-23"])
    assert "Kanpiketi gate (edited)" in board.stdout and "Myanmar National Democratic Alliance Army" in board.stdout
    assert len(stores()) == 1  # the stale store was dropped


def test_an_added_then_removed_file_shows_then_goes(cached: Path, runner: CliRunner) -> None:
    before = holders_of_kanpiketi(runner, "2024-11-23")
    assert ID + "kia" in before and ID + "tnla" not in before
    extra = cached / "data" / "external" / "test-extra.ttl"
    extra.write_text(EXTRA_CLAIM, encoding="utf-8")
    # the TNLA contests it from 2024-11-22: a later claim of another value supersedes the KIA's
    assert holders_of_kanpiketi(runner, "2024-11-23") == {ID + "tnla"}
    board = runner.invoke(main, ["status", "--as-of", "2024-11-23", "--json"])
    kanpiketi = [c for c in json.loads(board.stdout)["crossings"] if c["iri"] == ID + "crossing-kanpiketi"][0]
    assert holders(kanpiketi["control"]) == {ID + "tnla"}
    assert kanpiketi["control"]["answers"][0]["value"]["label"] == "contested"
    extra.unlink()
    assert holders_of_kanpiketi(runner, "2024-11-23") == before


def test_fingerprint_follows_edits_additions_removals_and_renames(cached: Path) -> None:
    files = store.paths.graph_files
    base = store.fingerprint(files())
    assert store.fingerprint(files()) == base  # stable
    target = cached / "data" / "external" / "actors.ttl"
    original = target.read_bytes()
    target.write_bytes(original.replace(b"NDAA-ESS", b"NDAA-ESX"))  # same size
    changed = store.fingerprint(files())
    assert changed != base
    target.write_bytes(original)
    assert store.fingerprint(files()) == base
    extra = cached / "data" / "more.ttl"
    extra.write_text("", encoding="utf-8")
    assert store.fingerprint(files()) != base
    extra.rename(cached / "data" / "renamed.ttl")
    renamed = store.fingerprint(files())
    assert renamed not in (base, changed)
    (cached / "data" / "renamed.ttl").unlink()
    assert store.fingerprint(files()) == base


@pytest.mark.parametrize("damage", ["garbage-current", "no-current", "truncated-sst", "empty"])
def test_a_broken_cache_is_rebuilt_not_an_error(cached: Path, runner: CliRunner, damage: str) -> None:
    store.open_store()
    (folder,) = stores()
    if damage == "garbage-current":
        (folder / "CURRENT").write_text("garbage\n")
    elif damage == "no-current":
        (folder / "CURRENT").unlink()
    elif damage == "truncated-sst":
        for sst in folder.glob("*.sst"):
            with sst.open("r+b") as handle:
                handle.truncate(10)
    else:
        for entry in folder.iterdir():
            entry.unlink()
    result = runner.invoke(main, ["crossing", "Kanpiketi", "--as-of", "2024-11-21", "--json"])
    assert result.exit_code == 0, result.output
    assert ID + "kia" in holders(json.loads(result.stdout)["control"])
    (rebuilt,) = stores()
    assert len(store.open_store()) > 3000 and (rebuilt / "CURRENT").is_file()


def test_left_overs_of_a_crashed_build_are_ignored_then_pruned(cached: Path) -> None:
    folder = store.cache_dir()
    folder.mkdir(parents=True)
    fresh, stale = folder / ".build-1-aaaa", folder / ".build-2-bbbb"
    for half in (fresh, stale):
        half.mkdir()
        (half / "CURRENT").write_text("half a store\n")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    (folder / "store-0123456789abcdef0123456789abcdef").mkdir()  # a store of an older key
    assert len(store.open_store()) > 3000
    assert fresh.is_dir()  # may belong to a build still running
    assert not stale.exists()
    assert [p.name for p in stores()] == ["store-" + store.fingerprint(store.paths.graph_files())]


def test_caches_of_vanished_trees_are_pruned(cached: Path, tmp_path: Path) -> None:
    ghost = store.cache_root() / "0000000000000000"
    ghost.mkdir(parents=True)
    (ghost / "root").write_text(str(tmp_path / "no-such-tree") + "\n")
    (ghost / "store-x").mkdir()
    store.open_store()
    assert not ghost.exists()


def test_an_unwritable_cache_falls_back_to_memory(cached: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch, runner: CliRunner) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert len(store.open_store()) > 3000
    result = runner.invoke(main, ["status", "--as-of", "2024-11-21"])
    assert result.exit_code == 0 and "Kachin Independence Army" in result.stdout


def test_a_graph_file_that_does_not_parse_is_a_one_line_error(cached: Path, runner: CliRunner) -> None:
    (cached / "data" / "broken.ttl").write_text("@prefix ex: <http://example.org/> .\nex:a ex:b \"open .\n")
    result = runner.invoke(main, ["status"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "broken.ttl" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not list(store.cache_dir().glob(".build-*"))


def test_processes_building_at_once_all_succeed_with_one_store(cached: Path, tmp_path: Path) -> None:
    env = {**os.environ, "BORDER_KG_ROOT": str(cached), "XDG_CACHE_HOME": str(tmp_path / "xdg"),
           "BORDER_KG_CACHE": "always"}
    command = [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())",
               "status", "--as-of", "2024-11-21", "--json"]
    procs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outputs]
    assert len({out for out, _ in outputs}) == 1
    assert len(stores()) == 1 and not list(store.cache_dir().glob(".build-*"))


def test_auto_mode_parses_small_graphs_in_memory(kg_tree: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("BORDER_KG_CACHE", raising=False)
    assert store.cache_mode() == "auto"
    assert len(store.open_store()) > 3000
    assert not (tmp_path / "xdg").exists()  # the shipped graph is below the threshold
    monkeypatch.setattr(store, "DISK_CACHE_MIN_BYTES", 1)
    store.open_store()
    assert len(stores()) == 1
    monkeypatch.setenv("BORDER_KG_CACHE", "never")
    assert store.cache_mode() == "never" and not store.use_disk_cache(store.paths.graph_files())


def test_explicit_files_are_always_in_memory(cached: Path, tmp_path: Path) -> None:
    fixture = Path(__file__).parent / "fixtures" / "valid" / "minimal-world.ttl"
    assert len(store.open_store([fixture])) > 0
    assert not (tmp_path / "xdg").exists()


def test_a_damaged_store_that_still_opens_is_rebuilt(cached: Path, runner: CliRunner) -> None:
    """RocksDB reads some damaged blocks back silently (or aborts): the digest catches them."""
    store.open_store()
    (built,) = stores()
    biggest = max(built.glob("*.sst"), key=lambda p: p.stat().st_size)
    data = bytearray(biggest.read_bytes())
    for offset in range(len(data) // 3, len(data) // 3 + 64):
        data[offset] ^= 0x55
    biggest.write_bytes(bytes(data))
    assert ID + "kia" in holders_of_kanpiketi(runner, "2024-11-23")
    (rebuilt,) = stores()
    assert (rebuilt / store.DIGEST_FILE).read_text().strip() == store.store_digest(rebuilt)


def test_a_corruption_error_during_a_command_rebuilds_once(cached: Path, runner: CliRunner,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from kg import engines

    store.open_store()
    original = engines.OxigraphEngine._answer
    failures: list[str] = []

    def damaged_once(self, text):  # type: ignore[no-untyped-def]
        if not failures:
            failures.append(text)
            raise OSError("Corruption: block checksum mismatch: stored = 1, computed = 2 in 000077.sst")
        return original(self, text)

    monkeypatch.setattr(engines.OxigraphEngine, "_answer", damaged_once)
    result = runner.invoke(main, ["crossing", "Kanpiketi"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("note: the graph cache was damaged (") and "rebuilt it" in result.stderr
    assert "Kanpiketi crossing" in result.stdout and len(stores()) == 1

    monkeypatch.setattr(engines.OxigraphEngine, "_answer",
                        lambda self, text: (_ for _ in ()).throw(OSError("Corruption: still broken")))
    again = runner.invoke(main, ["crossing", "Kanpiketi"])
    assert again.exit_code == 2 and again.stderr.count("note:") == 1
    assert again.stderr.rstrip().endswith("Corruption: still broken") and "Traceback" not in again.stderr
