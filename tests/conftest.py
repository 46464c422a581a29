"""Fixtures shared by the test files: the checkout, a CLI runner, a private copy of the tree."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = REPO_ROOT / "tests" / "fixtures"


@pytest.fixture
def repo_root() -> Path:
    """The source checkout (holds ontology/, data/, queries/)."""
    return REPO_ROOT


@pytest.fixture
def runner() -> CliRunner:
    """Runs ``kg`` commands in-process; ``result.stdout`` and ``result.stderr`` are separate."""
    return CliRunner()


@pytest.fixture
def kg_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of ontology/, data/ and queries/ that the tool uses instead of the checkout's
    (via ``BORDER_KG_ROOT``), for tests that add, break or rewrite files."""
    root = tmp_path / "tree"
    for name in ("ontology", "data", "queries"):
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            (root / name).mkdir(parents=True)
    monkeypatch.setenv("BORDER_KG_ROOT", str(root))
    return root
