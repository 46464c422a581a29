"""``kg validate``, ``kg stats``, ``kg export`` and ``kg fmt``: output, exit codes, bad input."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

import kg
from kg import paths
from kg.cli import main
from kg.rdf_io import GraphInputError, load_merged_graph, parse_file

REPO_ROOT = Path(__file__).resolve().parents[1]
PATTERNS = REPO_ROOT / "tests" / "fixtures" / "valid" / "patterns.ttl"
GRAPH_COMMANDS = ("export", "fmt", "stats", "validate")
FORMATS = ("ttl", "nt", "jsonld", "trig")
# The unterminated string starts on line 4 (rdflib alone would report where it noticed).
MALFORMED = '@prefix ex: <http://example.org/> .\n\nex:a ex:b ex:c .\nex:d ex:e "unterminated .\n'


def _assert_one_line_input_error(result, path_fragment: str, line: int) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and f"{path_fragment}:{line}:" in lines[0], lines[0]


def _break(tree: Path) -> Path:
    bad = tree / "data" / "broken.ttl"
    bad.write_text(MALFORMED, encoding="utf-8")
    return bad


# ---------------------------------------------------------------- the command group


def test_listing_commands_imports_no_heavy_library() -> None:
    script = (
        "import sys\n"
        "from kg.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('rdflib', 'pyshacl', 'networkx'))\n"
        "assert not heavy, heavy\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for name in GRAPH_COMMANDS:
        assert name in done.stdout


@pytest.mark.parametrize("name", GRAPH_COMMANDS)
def test_every_graph_command_has_help(runner: CliRunner, name: str) -> None:
    result = runner.invoke(main, [name, "--help"])
    assert result.exit_code == 0
    command = main.get_command(None, name)
    assert command is not None and command.help and command.get_short_help_str()


# ---------------------------------------------------------------- export


def _merged_with_resolution() -> Graph:
    """What every export holds: the hand-written graph (read by rdflib here) and the derived
    resolution."""
    from kg.store import resolution_ntriples

    graph = load_merged_graph()
    graph.parse(data=resolution_ntriples(), format="nt")
    return graph


def _by_value(graph: Graph) -> Graph:
    """``graph`` with each xsd:decimal written one way: exports come from Oxigraph, which writes
    a file's ``52000000.0`` as ``"52000000"^^xsd:decimal``, and Turtle's short form reads back
    as ``"52000000.0"``: the same value, another spelling."""
    from decimal import Decimal

    from rdflib import Literal
    from rdflib.namespace import XSD

    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(format(Decimal(str(o)).normalize(), "f"), datatype=XSD.decimal)
        out.add((s, p, o))
    return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_round_trips_to_the_merged_graph(runner: CliRunner, fmt: str) -> None:
    from kg.store import resolution_ntriples

    result = runner.invoke(main, ["export", "--format", fmt])
    assert result.exit_code == 0, result.output
    data = result.stdout_bytes
    if fmt == "trig":  # two named graphs: the hand-written graph and its resolution, kept apart
        dataset = Dataset()
        dataset.parse(data=data, format="trig")
        graphs = {str(g.identifier): g for g in dataset.graphs() if len(g)}
        assert sorted(graphs) == ["https://w3id.org/border-kg/graph", "https://w3id.org/border-kg/graph/resolution"]
        assert isomorphic(_by_value(graphs["https://w3id.org/border-kg/graph"]), _by_value(load_merged_graph()))
        resolution = Graph().parse(data=resolution_ntriples(), format="nt")
        assert isomorphic(graphs["https://w3id.org/border-kg/graph/resolution"], resolution)
        return
    parser = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt]
    exported = Graph().parse(data=data, format=parser)
    merged = _merged_with_resolution()
    assert any(o.datatype == XSD.decimal for o in merged.objects() if isinstance(o, Literal))  # checked too
    assert isomorphic(_by_value(exported), _by_value(merged))


def test_export_ttl_of_the_shipped_graph_is_the_canonical_turtle(runner: CliRunner) -> None:
    from kg.normalize import turtle_bytes

    result = runner.invoke(main, ["export"])
    assert result.exit_code == 0
    assert result.stdout_bytes == turtle_bytes(_merged_with_resolution())


def test_export_nt_lines_are_sorted(runner: CliRunner) -> None:
    lines = runner.invoke(main, ["export", "--format", "nt"]).stdout.splitlines()
    assert lines and lines == sorted(lines)


def test_export_is_byte_identical_across_processes(tmp_path: Path, kg_tree: Path) -> None:
    """Two processes with different hash seeds (rdflib's iteration order follows them), on a
    private copy of the tree so that nobody's edit lands between the two runs."""
    script = (
        "import sys\nfrom kg.cli import main\n"
        "for fmt in sys.argv[2:]:\n"
        "    try:\n"
        "        main(['export', '--format', fmt, '--output', f'{sys.argv[1]}/out.{fmt}'])\n"
        "    except SystemExit as exit:\n"
        "        assert not exit.code, exit.code\n"
    )
    for seed in ("1", "2"):
        folder = tmp_path / seed
        folder.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO_ROOT)}
        done = subprocess.run([sys.executable, "-c", script, str(folder), *FORMATS], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    for fmt in FORMATS:
        first, second = (tmp_path / seed / f"out.{fmt}" for seed in ("1", "2"))
        assert first.read_bytes() == second.read_bytes() and first.stat().st_size > 0, fmt


def test_export_with_blank_nodes_is_deterministic(runner: CliRunner, kg_tree: Path) -> None:
    (kg_tree / "data" / "bnodes.ttl").write_text(
        "@prefix ex: <http://example.org/> .\n"
        "ex:a ex:p [ ex:q [ ex:r 1 ] ], [ ex:q 2 ] ; ex:l ( 1 2 [ ex:s 3 ] ) .\n",
        encoding="utf-8",
    )
    for fmt in FORMATS:
        first = runner.invoke(main, ["export", "--format", fmt]).stdout_bytes
        assert first == runner.invoke(main, ["export", "--format", fmt]).stdout_bytes, fmt
    jsonld = json.loads(runner.invoke(main, ["export", "--format", "jsonld"]).stdout)
    assert "@context" in jsonld and "@graph" in jsonld


def test_export_to_a_file(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "graph.nt"
    result = runner.invoke(main, ["export", "--format", "nt", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "graph.nt" in result.stderr
    assert isomorphic(_by_value(Graph().parse(target, format="nt")), _by_value(_merged_with_resolution()))
    assert [p.name for p in tmp_path.iterdir()] == ["graph.nt"]


def test_export_to_a_missing_folder_is_a_clean_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["export", "--output", str(tmp_path / "no" / "such" / "out.ttl")])
    assert result.exit_code in (1, 2)
    assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) <= 2


def test_export_of_malformed_data_exits_2_naming_file_and_line(runner: CliRunner, kg_tree: Path) -> None:
    _break(kg_tree)
    _assert_one_line_input_error(runner.invoke(main, ["export"]), "broken.ttl", 4)


# ---------------------------------------------------------------- stats


@pytest.fixture
def patterns_tree(kg_tree: Path) -> Path:
    """The tree with the shipped data replaced by the all-patterns fixture (known counts)."""
    shutil.rmtree(kg_tree / "data")
    (kg_tree / "data").mkdir()
    shutil.copy(PATTERNS, kg_tree / "data" / "patterns.ttl")
    return kg_tree


def _counts(rows: list[dict]) -> dict[str, int]:
    return {row["name"]: row["count"] for row in rows}


def test_stats_json_counts_the_patterns_fixture(runner: CliRunner, patterns_tree: Path) -> None:
    result = runner.invoke(main, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)

    assert stats["root"] == str(patterns_tree.resolve())
    assert "data/patterns.ttl" in stats["files"]
    assert stats["triples"] == len(load_merged_graph())
    assert stats["defined"]["classes"] >= 40 and stats["defined"]["properties"] >= 80
    assert stats["claims"] == 7
    assert _counts(stats["claims_by_attribution"]) == {
        "the publisher's own reporting": 3,
        "an analyst": 2,
        "unnamed sources": 1,
        "junta government figures": 1,
    }
    assert _counts(stats["claims_by_source"]) == {"Test News: Group A takes Testville": 7}
    assert stats["events"] == 2
    assert _counts(stats["events_by_type"]) == {"capture": 1, "border reopening": 1}

    by_class = stats["instances_by_class"]
    assert _counts(by_class)["bk:ControlClaim"] == 2
    assert by_class == sorted(by_class, key=lambda row: (-row["count"], row["name"]))


def test_stats_counts_shapes_and_reports_missing_values(runner: CliRunner, patterns_tree: Path) -> None:
    (patterns_tree / "ontology" / "shapes.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix bk: <https://w3id.org/border-kg/ontology#> .\n"
        "<https://w3id.org/border-kg/shapes#ClaimShape> a sh:NodeShape ; sh:targetClass bk:Claim ;\n"
        "  sh:property [ sh:path bk:attribution ; sh:minCount 1 ] , [ sh:path bk:basis ; sh:maxCount 1 ] .\n",
        encoding="utf-8",
    )
    (patterns_tree / "data" / "bare.ttl").write_text(
        "@prefix bk: <https://w3id.org/border-kg/ontology#> .\n"
        "<https://w3id.org/border-kg/id/bare-claim> a bk:ControlClaim .\n"
        "<https://w3id.org/border-kg/id/bare-event> a bk:Event .\n",
        encoding="utf-8",
    )
    stats = json.loads(runner.invoke(main, ["stats", "--json"]).stdout)
    assert stats["defined"]["node_shapes"] == 1 and stats["defined"]["property_shapes"] == 2
    assert stats["shapes_file"] == "ontology/shapes.ttl"
    assert "ontology/shapes.ttl" not in stats["files"]
    assert _counts(stats["claims_by_attribution"])["(no attribution)"] == 1
    assert _counts(stats["claims_by_source"])["(no source)"] == 1
    assert _counts(stats["events_by_type"])["(no type)"] == 1


def test_stats_tells_sources_with_the_same_label_apart(runner: CliRunner, patterns_tree: Path) -> None:
    (patterns_tree / "data" / "pages.ttl").write_text(
        "@prefix bk: <https://w3id.org/border-kg/ontology#> .\n@prefix bkr: <https://w3id.org/border-kg/id/> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n@prefix prov: <http://www.w3.org/ns/prov#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'bkr:page-1 a bk:WebPage ; rdfs:label "Publisher" ; dcterms:title "First story" .\n'
        'bkr:page-2 a bk:WebPage ; rdfs:label "Publisher" ; dcterms:title "Second story" .\n'
        "bkr:claim-1 a bk:Assessment ; prov:wasDerivedFrom bkr:page-1 .\n"
        "bkr:claim-2 a bk:Assessment ; prov:wasDerivedFrom bkr:page-2 .\n",
        encoding="utf-8",
    )
    stats = json.loads(runner.invoke(main, ["stats", "--json"]).stdout)
    names = _counts(stats["claims_by_source"])
    assert names["Publisher: First story"] == 1 and names["Publisher: Second story"] == 1
    assert names["Test News: Group A takes Testville"] == 7


def test_stats_table_for_people(runner: CliRunner, patterns_tree: Path) -> None:
    result = runner.invoke(main, ["stats"])
    assert result.exit_code == 0, result.output
    for heading in ("Instances by class", "Claims by source", "Claims by attribution", "Events by type"):
        assert heading in result.stdout
    assert "triples" in result.stdout and "bk:ControlClaim" in result.stdout
    row = next(line for line in result.stdout.splitlines() if "unnamed sources" in line)
    assert row.split()[-1] == "1"


def test_stats_of_the_shipped_graph(runner: CliRunner) -> None:
    result = runner.invoke(main, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert stats["triples"] > 1000
    assert stats["files"] == [f.relative_to(paths.project_root()).as_posix() for f in paths.graph_files()]


def test_stats_of_malformed_data_exits_2(runner: CliRunner, kg_tree: Path) -> None:
    _break(kg_tree)
    _assert_one_line_input_error(runner.invoke(main, ["stats"]), "broken.ttl", 4)


# ---------------------------------------------------------------- fmt


def test_fmt_check_lists_unnormalized_files_and_fmt_fixes_them(runner: CliRunner, kg_tree: Path) -> None:
    target = kg_tree / "data" / "patterns.ttl"
    shutil.copy(PATTERNS, target)
    runner.invoke(main, ["fmt", "--drop-comments"])  # the copied tree may itself need normalizing
    target.write_bytes(PATTERNS.read_bytes())  # PATTERNS is hand-written, not normalized
    before = target.read_bytes()

    check = runner.invoke(main, ["fmt", "--check"])
    assert check.exit_code == 1, check.output
    assert "patterns.ttl" in check.stdout and "vocab.ttl" not in check.stdout
    assert "comments would be dropped" in check.stdout
    assert "kg fmt" in check.stderr
    assert target.read_bytes() == before

    refused = runner.invoke(main, ["fmt"])  # its # comments would be lost: nothing is written
    assert refused.exit_code == 2 and "--drop-comments" in refused.stderr
    assert refused.stderr.count("\n") == 1 and "patterns.ttl (lines 11, 13" in refused.stderr
    assert target.read_bytes() == before

    fixed = runner.invoke(main, ["fmt", "--drop-comments"])
    assert fixed.exit_code == 0, fixed.output
    assert "reformatted" in fixed.stdout and "patterns.ttl" in fixed.stdout
    assert isomorphic(parse_file(target), parse_file(PATTERNS))

    again = runner.invoke(main, ["fmt", "--check"])
    assert again.exit_code == 0, again.output
    assert runner.invoke(main, ["fmt"]).stdout.startswith("0 reformatted")


def test_fmt_covers_shapes_and_nested_data_folders(runner: CliRunner, kg_tree: Path) -> None:
    (kg_tree / "ontology" / "shapes.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<https://w3id.org/border-kg/shapes#S> a sh:NodeShape .\n",
        encoding="utf-8",
    )
    (kg_tree / "data" / "external").mkdir(exist_ok=True)
    shutil.copy(PATTERNS, kg_tree / "data" / "external" / "extra.ttl")
    check = runner.invoke(main, ["fmt", "--check"])
    assert "shapes.ttl" in check.stdout and "extra.ttl" in check.stdout


def test_fmt_with_paths_only_touches_those(runner: CliRunner, kg_tree: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(PATTERNS, outside / "one.ttl")
    result = runner.invoke(main, ["fmt", "--check", str(outside)])
    assert result.exit_code == 1
    assert "one.ttl" in result.stdout and f"kg fmt {outside}" in result.stderr
    assert runner.invoke(main, ["fmt", "--drop-comments", str(outside / "one.ttl")]).exit_code == 0
    assert runner.invoke(main, ["fmt", "--check", str(outside)]).exit_code == 0


def test_fmt_of_malformed_file_exits_2_and_writes_nothing(runner: CliRunner, kg_tree: Path) -> None:
    bad = _break(kg_tree)
    ugly = kg_tree / "data" / "ugly.ttl"
    shutil.copy(PATTERNS, ugly)
    result = runner.invoke(main, ["fmt"])
    _assert_one_line_input_error(result, "broken.ttl", 4)
    assert ugly.read_bytes() == PATTERNS.read_bytes()
    assert bad.read_text(encoding="utf-8") == MALFORMED
    _assert_one_line_input_error(runner.invoke(main, ["fmt", "--check"]), "broken.ttl", 4)


def test_fmt_of_a_folder_without_turtle_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["fmt", str(tmp_path)])
    assert result.exit_code == 2 and "no .ttl files" in result.stderr


# ---------------------------------------------------------------- validate (against a stub)


@dataclass
class StubResult:
    focus_node: str = "https://w3id.org/border-kg/id/x"
    result_path: str = "https://w3id.org/border-kg/ontology#validFrom"
    constraint_component: str = "http://www.w3.org/ns/shacl#MinCountConstraintComponent"
    severity: str = "http://www.w3.org/ns/shacl#Violation"
    message: str = "missing validFrom"
    source_shape: str = "https://w3id.org/border-kg/shapes#ClaimShape"
    value: str | None = None


@dataclass
class StubOutcome:
    conforms: bool
    results: list[StubResult] = field(default_factory=list)


@pytest.fixture
def stub_validation(monkeypatch: pytest.MonkeyPatch):
    """A stand-in for ``kg.validation`` with its documented interface; records its calls."""
    module = types.ModuleType("kg.validation")
    module.calls = []
    module.outcome = StubOutcome(conforms=True)
    module.ValidationRunError = type("ValidationRunError", (Exception,), {})

    def validate(data_files=None):
        module.calls.append(data_files)
        return module.outcome

    module.validate = validate
    module.render_text = lambda outcome: "Conforms.\n" if outcome.conforms else f"{len(outcome.results)} violations\n"
    module.render_json = lambda outcome: json.dumps({"conforms": outcome.conforms, "results": len(outcome.results)})
    monkeypatch.setitem(sys.modules, "kg.validation", module)
    monkeypatch.setattr(kg, "validation", module, raising=False)
    return module


def test_validate_conforming_exits_0(runner: CliRunner, stub_validation) -> None:
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "Conforms.\n"
    assert stub_validation.calls == [None]


def test_validate_not_conforming_exits_1(runner: CliRunner, stub_validation) -> None:
    stub_validation.outcome = StubOutcome(conforms=False, results=[StubResult()])
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 1 and result.stdout == "1 violations\n"
    result = runner.invoke(main, ["validate", "--format", "json"])
    assert result.exit_code == 1 and json.loads(result.stdout) == {"conforms": False, "results": 1}


def test_validate_paths_expands_folders(runner: CliRunner, stub_validation, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    shutil.copy(PATTERNS, tmp_path / "sub" / "b.ttl")
    shutil.copy(PATTERNS, tmp_path / "a.ttl")
    (tmp_path / "notes.txt").write_text("not rdf")
    result = runner.invoke(main, ["validate", str(tmp_path), str(tmp_path / "a.ttl")])
    assert result.exit_code == 0, result.output
    assert stub_validation.calls == [[tmp_path / "a.ttl", tmp_path / "sub" / "b.ttl"]]


def test_validate_missing_path_is_a_usage_error(runner: CliRunner, stub_validation, tmp_path: Path) -> None:
    result = runner.invoke(main, ["validate", str(tmp_path / "nope.ttl")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert stub_validation.calls == []


def test_validate_reports_graph_input_errors_as_exit_2(runner: CliRunner, stub_validation, monkeypatch) -> None:
    def failing(data_files=None):
        raise GraphInputError(Path("data/x.ttl"), "Bad syntax (expected '.')", 12)

    monkeypatch.setattr(stub_validation, "validate", failing)
    _assert_one_line_input_error(runner.invoke(main, ["validate"]), "data/x.ttl", 12)


def test_validate_reports_unusable_shapes_as_exit_2(runner: CliRunner, stub_validation, monkeypatch) -> None:
    def failing(data_files=None):
        raise stub_validation.ValidationRunError("shape bksh:Broken: sh:path has no value")

    monkeypatch.setattr(stub_validation, "validate", failing)
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr == "error: cannot run the shapes: shape bksh:Broken: sh:path has no value\n"


def test_validate_does_not_hide_bugs(runner: CliRunner, stub_validation, monkeypatch) -> None:
    """A bug is not bad input: its traceback is shown, with exit 70 (kg.errors)."""
    def buggy(data_files=None):
        raise KeyError("a bug, not bad input")

    monkeypatch.setattr(stub_validation, "validate", buggy)
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 70
    assert "Traceback" in result.stderr and "KeyError: 'a bug, not bad input'" in result.stderr
    assert result.stderr.rstrip().endswith("please report it with the traceback above")


# ---------------------------------------------------------------- validate (the real library)

def test_validate_the_shipped_graph(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["validate", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)


def test_validate_malformed_turtle_with_the_real_library(runner: CliRunner, kg_tree: Path) -> None:
    bad = _break(kg_tree)
    _assert_one_line_input_error(runner.invoke(main, ["validate"]), "broken.ttl", 4)
    _assert_one_line_input_error(runner.invoke(main, ["validate", str(bad)]), "broken.ttl", 4)


# ---------------------------------------------------------------- reading input (kg.rdf_io)


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        (MALFORMED, 4, "unexpected end of file (what starts here is never closed)"),
        (b"@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ;\n  ex:d nope:x .\n", 3, "prefix nope: has not been declared"),
        (b"@prefix ex: <http://example.org/> .\nex:a ex:b ex:c\nex:d ex:e ex:f .\n", 3, "a dot is expected"),
        (b"@prefix ex: <http://example.org/> .\n\nex:a ex:b \"caf\xe9\" .\n", 3, "not valid UTF-8"),
    ],
)
def test_parse_errors_are_one_line_with_file_and_line(tmp_path: Path, content, line: int, reason: str) -> None:
    path = tmp_path / "input.ttl"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    with pytest.raises(GraphInputError) as caught:
        parse_file(path)
    message = str(caught.value)
    assert "\n" not in message and message.endswith(caught.value.reason)
    assert re.search(rf"input\.ttl:{line}(:\d+)?: ", message) and reason in message
    assert caught.value.line == line


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(GraphInputError, match=r"nope\.ttl: no such file$"):
        parse_file(tmp_path / "nope.ttl")


def test_ill_typed_literals_parse_quietly(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Not a syntax error (SHACL reports it); rdflib's logged traceback must not leak out."""
    caplog.set_level(logging.WARNING, logger="rdflib.term")
    path = tmp_path / "typed.ttl"
    path.write_text(
        '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n<http://example.org/a> <http://example.org/d> "2024-13-45"^^xsd:date .\n',
        encoding="utf-8",
    )
    assert len(parse_file(path)) == 1
    assert not [record for record in caplog.records if record.name.startswith("rdflib")]
    assert logging.getLogger("rdflib.term").level == logging.WARNING  # restored afterwards
