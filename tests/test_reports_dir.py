"""The checkout's own report files (``reports/*.yaml``) and what ``kg add`` made of them
(``data/reports/*.ttl``) agree: adding every report again changes nothing, and adding them
all at once to the graph without ``data/reports/`` writes those files again (the day each was
added, ``bk:addedOn``, aside). So the Turtle under ``data/reports/`` is never edited by hand,
and every file there has its report.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.namespaces import ONTOLOGY

REPO = Path(__file__).resolve().parents[1]
REPORTS = sorted((REPO / "reports").glob("*.yaml"))
ADDED_ON = ONTOLOGY + "addedOn"

pytestmark = pytest.mark.skipif(not REPORTS, reason="no report files in reports/")


@pytest.fixture
def tree(kg_tree: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The copy of the checkout's graph (conftest's ``kg_tree``) with its reports/ beside it."""
    shutil.copytree(REPO / "reports", kg_tree / "reports")
    monkeypatch.setenv("BORDER_KG_CACHE", "never")
    monkeypatch.chdir(kg_tree)
    return kg_tree


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def add(runner: CliRunner, *args: str):
    result = runner.invoke(main, ["add", *args, *(f"reports/{p.name}" for p in REPORTS)])
    assert "Traceback" not in result.stderr, result.stderr
    assert result.exit_code == 0, (result.stdout[-2000:], result.stderr[-4000:])
    return result


def without_added_on(path: Path):
    from rdflib import Graph, URIRef

    graph = Graph().parse(path)
    graph.remove((None, URIRef(ADDED_ON), None))
    return graph


def test_every_report_file_is_in_the_graph_as_written(tree: Path, runner: CliRunner) -> None:
    before = snapshot(tree / "data")
    dry = add(runner, "--dry-run")
    said = [line for line in dry.stdout.splitlines() if line.startswith("reports/")]
    assert len(said) == len(REPORTS)
    assert all("already in the graph" in line and "nothing to write" in line for line in said), said
    add(runner)
    assert snapshot(tree / "data") == before


def test_the_report_files_rebuild_data_reports(tree: Path, runner: CliRunner) -> None:
    """From the graph without data/reports/, one kg add of every report (in any order: they
    may name what another declares) writes exactly the committed files."""
    from rdflib.compare import graph_diff, isomorphic, to_isomorphic

    committed = REPO / "data" / "reports"
    shutil.rmtree(tree / "data" / "reports")
    add(runner)
    written = tree / "data" / "reports"
    assert sorted(p.name for p in written.glob("*.ttl")) == sorted(p.name for p in committed.glob("*.ttl"))
    for path in sorted(committed.glob("*.ttl")):
        ours, theirs = without_added_on(written / path.name), without_added_on(path)
        if not isomorphic(ours, theirs):
            _, extra, missing = graph_diff(to_isomorphic(ours), to_isomorphic(theirs))
            pytest.fail(f"{path.name} differs: {sorted(extra)[:3]} / {sorted(missing)[:3]}")
