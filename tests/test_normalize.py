"""The canonical Turtle writer: same graph, same bytes, every time; atomic writes."""

from __future__ import annotations

import os
import random
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.namespaces import PREFIXES
from kg.errors import OutputError
from kg.normalize import atomic_write, format_file, turtle_bytes
from kg.rdf_io import parse_file

REPO_ROOT = Path(__file__).resolve().parents[1]
PATTERNS = REPO_ROOT / "tests" / "fixtures" / "valid" / "patterns.ttl"

# Blank nodes, nested blank nodes, RDF lists, a multi-line literal: what shapes files contain.
SHAPES_LIKE = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix s: <https://w3id.org/border-kg/shapes#> .
@prefix o: <https://w3id.org/border-kg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
s:ClaimShape a sh:NodeShape ; sh:targetClass o:Claim ;
  sh:property [ sh:path o:validFrom ; sh:datatype xsd:date ; sh:maxCount 1 ;
                sh:lessThanOrEquals o:validUntil ] ,
              [ sh:path ( o:a o:b ) ; sh:in ( "x" "y"@en 3 ) ; sh:message \"\"\"two
lines, the first ending in a space \"\"\" ] ;
  sh:or ( [ sh:path o:q ; sh:minCount 1 ] [ sh:path o:r ; sh:minCount 1 ] ) .
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def shapes_like(tmp_path: Path) -> Path:
    return _write(tmp_path / "shapes-like.ttl", SHAPES_LIKE)


@pytest.mark.parametrize("source", [PATTERNS, "shapes_like"])
def test_format_is_idempotent_and_keeps_the_graph(source, tmp_path: Path, request) -> None:
    original = request.getfixturevalue(source) if isinstance(source, str) else source
    path = tmp_path / "copy.ttl"
    path.write_bytes(Path(original).read_bytes())

    assert format_file(path) is True
    first = path.read_bytes()
    assert format_file(path) is False
    assert format_file(path, check=True) is False
    assert path.read_bytes() == first
    assert isomorphic(parse_file(path), parse_file(Path(original)))


def test_check_mode_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "copy.ttl"
    path.write_bytes(PATTERNS.read_bytes())
    assert format_file(path, check=True) is True
    assert path.read_bytes() == PATTERNS.read_bytes()


def test_output_uses_exactly_the_project_prefixes(shapes_like: Path) -> None:
    text = turtle_bytes(parse_file(PATTERNS) + parse_file(shapes_like)).decode()
    declared = {
        line.split()[1].rstrip(":"): line.split()[2].strip("<>")
        for line in text.splitlines()
        if line.startswith("PREFIX ")
    }
    assert declared, "no prefixes written"
    assert all(PREFIXES.get(name) == iri for name, iri in declared.items()), declared
    assert "@prefix" not in text and "ns1:" not in text


def test_no_trailing_whitespace_outside_literals() -> None:
    text = turtle_bytes(parse_file(PATTERNS)).decode()
    assert all(line == line.rstrip() for line in text.splitlines())
    assert text.endswith(".\n") and not text.endswith("\n\n")


def test_trailing_space_inside_a_literal_is_kept(shapes_like: Path) -> None:
    normalized = Graph().parse(data=turtle_bytes(parse_file(shapes_like)), format="turtle")
    assert isomorphic(normalized, parse_file(shapes_like))


def test_shuffled_triples_and_other_prefix_names_give_the_same_bytes(tmp_path: Path) -> None:
    graph = parse_file(PATTERNS)
    expected = turtle_bytes(graph)

    lines = graph.serialize(format="nt").splitlines()
    random.Random(7).shuffle(lines)
    shuffled = _write(tmp_path / "shuffled.ttl", "\n".join(lines) + "\n")

    renamed_graph = Graph(bind_namespaces="none")
    for index, (name, iri) in enumerate(sorted(PREFIXES.items())):
        renamed_graph.bind(f"p{index}", iri)
    renamed_graph += graph
    renamed = _write(tmp_path / "renamed.ttl", renamed_graph.serialize(format="turtle"))
    assert "p0:" in renamed.read_text() or "p1:" in renamed.read_text()

    for path in (shuffled, renamed):
        format_file(path)
        assert path.read_bytes() == expected, path.name


def test_bytes_are_the_same_in_processes_with_different_hash_seeds(shapes_like: Path) -> None:
    script = (
        "import sys; from pathlib import Path; from kg.normalize import normalized_file_bytes;"
        "sys.stdout.buffer.write(b''.join(normalized_file_bytes(Path(p)) for p in sys.argv[1:]))"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO_ROOT)}
        done = subprocess.run(
            [sys.executable, "-c", script, str(PATTERNS), str(shapes_like)],
            env=env, capture_output=True, check=True,
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and outputs[0]


def test_shipped_turtle_files_normalize_to_isomorphic_graphs(repo_root: Path) -> None:
    files = sorted((repo_root / "ontology").rglob("*.ttl")) + sorted((repo_root / "data").rglob("*.ttl"))
    assert files
    for path in files:
        graph = parse_file(path)
        again = Graph().parse(data=turtle_bytes(graph), format="turtle")
        assert isomorphic(graph, again), path


def test_atomic_write_keeps_permissions_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "file.ttl"
    path.write_bytes(b"old")
    path.chmod(0o640)
    atomic_write(path, b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.ttl"]


def test_atomic_write_creates_readable_new_files(tmp_path: Path) -> None:
    path = tmp_path / "new.ttl"
    atomic_write(path, b"data")
    assert path.read_bytes() == b"data"
    assert stat.S_IMODE(path.stat().st_mode) & 0o444 == 0o444 & ~_umask()


def test_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "file.ttl"
    path.write_bytes(b"old")

    def broken_replace(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OutputError, match=r"cannot write .*file\.ttl: No space left on device$"):
        atomic_write(path, b"new")
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.ttl"]


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
