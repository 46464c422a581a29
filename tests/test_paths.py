"""``kg.paths``: which graph is used, in which order, and errors that say why."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import paths
from kg.cli import main

REPO = Path(__file__).resolve().parents[1]


def tree(at: Path, data: bool = True) -> Path:
    (at / "ontology").mkdir(parents=True)
    (at / "data").mkdir()
    if data:
        shutil.copy(REPO / "tests" / "fixtures" / "valid" / "minimal-world.ttl", at / "data" / "world.ttl")
    return at


@pytest.fixture(autouse=True)
def no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BORDER_KG_ROOT", raising=False)
    paths.use_root(None)
    yield
    paths.use_root(None)


def test_the_order_is_root_option_then_environment_then_folders_then_package(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here, env, option = tree(tmp_path / "here"), tree(tmp_path / "env"), tree(tmp_path / "option")
    (here / "data" / "sub").mkdir()
    monkeypatch.chdir(here / "data" / "sub")
    assert paths.root() == paths.Root(here, "found from the current folder")
    monkeypatch.setenv("BORDER_KG_ROOT", str(env))
    assert paths.root() == paths.Root(env, "from BORDER_KG_ROOT")
    paths.use_root(option)
    assert paths.root() == paths.Root(option, "from --root")
    paths.use_root(None)
    monkeypatch.delenv("BORDER_KG_ROOT")
    monkeypatch.chdir(tmp_path)
    assert paths.root().how in ("the checkout kg runs from", "installed with kg")


@pytest.mark.parametrize(("make", "message"), [
    (lambda t: t / "missing", "no such folder"),
    (lambda t: (t / "file").write_text("x") and t / "file", "not a folder"),
    (lambda t: (t / "half" / "ontology").mkdir(parents=True) or t / "half", "no data/ folder there"),
])
def test_a_wrong_root_is_an_error_naming_it_and_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    make, message: str) -> None:
    root = make(tmp_path)
    monkeypatch.setenv("BORDER_KG_ROOT", str(root))
    with pytest.raises(paths.GraphNotFound) as caught:
        paths.graph_files()
    assert str(caught.value) == f"graph: {root.resolve()} (from BORDER_KG_ROOT): {message}"


def test_an_empty_tree_is_no_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BORDER_KG_ROOT", str(tree(tmp_path / "t", data=False)))
    with pytest.raises(paths.GraphNotFound, match=r"no \.ttl files in data/$"):
        paths.graph_files()


def test_kg_stats_says_which_graph_and_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "copy"
    for name in ("ontology", "data"):
        shutil.copytree(REPO / name, root / name)
    monkeypatch.chdir(root / "data" / "external")
    result = CliRunner().invoke(main, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert (stats["root"], stats["root_from"]) == (str(root), "found from the current folder")
    table = CliRunner().invoke(main, ["--root", str(root), "stats"])
    assert table.stdout.startswith(f"graph: {root} (from --root)\n")


def test_the_article_only_graph_leaves_out_every_other_source(kg_tree: Path) -> None:
    """Hand-written external facts (data/external/) and the ones kg add wrote from report files
    (data/reports/) both come from other sources than the seed article."""
    (kg_tree / "data" / "reports").mkdir(exist_ok=True)
    (kg_tree / "data" / "reports" / "source-x.ttl").write_text("", encoding="utf-8")
    every = {p.relative_to(kg_tree).parts[:2] for p in paths.graph_files() if kg_tree in p.parents}
    article = {p.relative_to(kg_tree).parts[:2] for p in paths.graph_files(include_external=False)
               if kg_tree in p.parents}
    assert ("data", "reports") in every and ("data", "external") in every
    assert ("data", "reports") not in article and ("data", "external") not in article
