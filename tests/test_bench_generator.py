"""The benchmark's synthetic data (``bench/generate.py``): valid, resolvable, deterministic.

One ~10k-triple tree is generated per module; ``kg validate`` must find no violation, the
``*-violation`` queries no row, and the resolution must show what the generator promises
(supersessions, expiries, stated ends, same-day disputes). A figure from ``bench/`` is never a
timed test: nothing here measures speed.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from kg.cli import main

REPO_ROOT = Path(__file__).resolve().parents[1]
SIZE = 10_000


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", REPO_ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bench") / "tree"
    _generator().generate_tree(SIZE, root, seed=7)
    return root


@pytest.fixture
def use_tree(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BORDER_KG_ROOT", str(tree))
    monkeypatch.setenv("BORDER_KG_CACHE", "never")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("BORDER_KG_HORIZONS", raising=False)
    return tree


def test_size_is_near_the_target_and_the_manifest_counts_it(use_tree: Path) -> None:
    from kg.store import parsed
    from kg.paths import graph_files

    manifest = json.loads((use_tree / "bench.json").read_text())
    assert abs(manifest["triples"] - SIZE) < 0.05 * SIZE
    assert len(parsed(graph_files())) == manifest["triples"]  # no triple written twice
    assert len(manifest["files"]) >= 4


def test_kg_validate_finds_no_violation(use_tree: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--format", "json"])
    report = json.loads(result.stdout)
    violations = [r for r in report["results"] if r["severity"] == "Violation"]
    assert violations == [] and report["conforms"] and result.exit_code == 0


def test_added_report_is_valid_with_the_graph(use_tree: Path, tmp_path: Path) -> None:
    from kg.validation import validate

    extra = use_tree / "extra" / "report.ttl"
    data = sorted((use_tree / "data").glob("*.ttl"))
    outcome = validate([*data, extra])
    assert outcome.counts()["Violation"] == 0


def test_violation_queries_return_no_row(use_tree: Path) -> None:
    from kg.engines import execute, load_engine
    from kg.paths import graph_files
    from kg.params import resolve
    from kg.queries import load_all

    engine = load_engine("oxigraph", graph_files())
    checks = [q for q in load_all() if q.name.endswith("-violation")]
    assert checks
    for query in checks:
        assert execute(query, resolve(list(query.params), {}), engine).rows == [], query.name


def test_resolution_has_every_kind_of_end_and_disputes(use_tree: Path) -> None:
    from kg.store import open_store

    store = open_store()
    reasons = {row["r"].value.rsplit("/", 1)[1]: int(row["n"].value) for row in store.query(
        "PREFIX bk: <https://w3id.org/border-kg/ontology#> SELECT ?r (COUNT(*) AS ?n) "
        "WHERE { ?c a ?t ; bk:endReason ?r FILTER (?t != bk:ResolvedPeriod) } GROUP BY ?r")}
    assert reasons.get("Superseded", 0) > 10 and reasons.get("Expired", 0) > 10
    assert reasons.get("StatedEnd", 0) > 0
    periods = store.query("PREFIX bk: <https://w3id.org/border-kg/ontology#> "
                          "SELECT (COUNT(*) AS ?n) WHERE { ?p a bk:ResolvedPeriod }")
    assert int(next(iter(periods))["n"].value) > 100
    result = CliRunner().invoke(main, ["query", "conflicting-claims", "--format", "json"])
    assert result.exit_code == 0
    kinds = {row["kind"] for row in json.loads(result.stdout)}
    assert {"control", "status"} <= kinds


def test_lookups_answer_on_the_generated_names(use_tree: Path) -> None:
    manifest = json.loads((use_tree / "bench.json").read_text())
    runner = CliRunner()
    card = runner.invoke(main, ["crossing", manifest["crossing"], "--json"])
    assert card.exit_code == 0, card.output
    assert json.loads(card.stdout)["claims"]
    found = runner.invoke(main, ["search", manifest["search"], "--json"])
    assert found.exit_code == 0 and json.loads(found.stdout)["results"]
    board = runner.invoke(main, ["status", "--json", "--as-of", manifest["as_of"]])
    assert board.exit_code == 0 and len(json.loads(board.stdout)["crossings"]) >= 5


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    generator = _generator()
    first = generator.generate_tree(2_000, tmp_path / "a", seed=3)
    second = generator.generate_tree(2_000, tmp_path / "b", seed=3)
    assert first == second
    for name in first["files"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
