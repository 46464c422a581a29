"""``kg query``: names, files and stdin; parameters; formats; errors that are one line.

Runs against a tree whose data is the ``edge`` query fixture (``BORDER_KG_ROOT``), so results
are small and known; see ``tests/fixtures/queries/expected/edge/``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

REPO = Path(__file__).resolve().parents[1]
EDGE = REPO / "tests" / "fixtures" / "queries" / "edge"
HEADLINE = ["query", "held-by-anti-regime-closed-by-china", "--as-of", "2024-11-20",
            "--param", "state=bkr:fx-northland"]
ALPHA = "https://w3id.org/border-kg/id/fx-crossing-alpha"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "tree"
    root.mkdir()
    (root / "ontology").symlink_to(REPO / "ontology")
    (root / "queries").symlink_to(REPO / "queries")
    (root / "data").symlink_to(EDGE)
    monkeypatch.setenv("BORDER_KG_ROOT", str(root))
    return root


def kg(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def one_line_error(result, code: int) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and lines[-1].startswith("error:"), result.stderr
    return lines[-1]


# ---------------------------------------------------------------------------- listing


def test_list_names_titles_and_params(tree: Path) -> None:
    result = kg("query", "--list")
    assert result.exit_code == 0
    assert "held-by-anti-regime-closed-by-china" in result.output
    assert "Held by anti-regime groups, closed by China" in result.output
    assert "as_of:date=today" in result.output
    assert "place:iri" in result.output


def test_list_as_json(tree: Path) -> None:
    listing = json.loads(kg("query", "--list", "--format", "json").output)
    by_name = {q["name"]: q for q in listing}
    timeline = by_name["timeline"]
    assert timeline["params"][0]["name"] == "place" and timeline["params"][0]["type"] == "iri"
    assert timeline["example"] == {"place": "bkr:crossing-kanpiketi"}
    assert all(q["title"] and q["description"] for q in listing)


# ---------------------------------------------------------------------------- formats


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_json_is_a_plain_list_of_objects(tree: Path, engine: str) -> None:
    result = kg(*HEADLINE, "--engine", engine, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["crossing"] for r in rows] == [ALPHA, ALPHA.replace("alpha", "bravo")]
    assert rows[0]["held_since"] == "2024-11-20" and rows[0]["closed_since"] == "2024-11-15"
    assert rows[0]["holder_label"] == "Ridge Army"


def test_srj_is_sparql_json_results(tree: Path) -> None:
    document = json.loads(kg(*HEADLINE, "--format", "srj").output)
    assert document["head"]["vars"][:2] == ["crossing", "crossing_label"]
    first = document["results"]["bindings"][0]
    assert first["crossing"] == {"type": "uri", "value": ALPHA}
    assert first["crossing_label"] == {"type": "literal", "value": "Alpha crossing",
                                       "xml:lang": "en"}
    assert first["held_since"] == {"type": "literal", "value": "2024-11-20"}


def test_srj_leaves_unbound_out(tree: Path) -> None:
    document = json.loads(kg("query", "status-as-of", "--as-of", "2024-11-22",
                             "-f", "srj").output)
    delta = [b for b in document["results"]["bindings"]
             if b["subject"]["value"].endswith("fx-crossing-delta")]
    assert delta and "aspect" not in delta[0] and "period" not in delta[0] and "state" not in delta[0]


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_csv_and_tsv(tree: Path, fmt: str, delimiter: str) -> None:
    result = kg(*HEADLINE, "--format", fmt)
    table = list(csv.reader(io.StringIO(result.output), delimiter=delimiter))
    assert table[0][:3] == ["crossing", "crossing_label", "holder"]
    assert table[1][0] == ALPHA and table[1][1] == "Alpha crossing"


def test_table_shortens_iris(tree: Path) -> None:
    result = kg(*HEADLINE)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["crossing", "crossing_label", "holder"]
    assert "bkr:fx-crossing-alpha" in lines[2] and "bkr:fx-source-a bkr:fx-source-b" in lines[2]


# ---------------------------------------------------------------------------- query sources


def test_query_from_a_file_and_from_stdin(tree: Path, tmp_path: Path) -> None:
    text = ("# title: Crossings\n# description: Official crossings.\n"
            "SELECT ?c WHERE { ?c a bk:OfficialBorderCrossing } ORDER BY ?c\n")
    path = tmp_path / "mine.rq"
    path.write_text(text, encoding="utf-8")
    from_file = json.loads(kg("query", str(path), "-f", "json").output)
    from_stdin = json.loads(kg("query", "-", "-f", "json", stdin=text).output)
    assert from_file == from_stdin and len(from_file) == 4


def test_stdin_query_with_a_parameter(tree: Path) -> None:
    text = ("# title: Label\n# description: A label.\n# param: thing iri  What\n"
            "SELECT ?label WHERE { ?thing skos:prefLabel ?label }\n")
    result = kg("query", "-", "-p", "thing=fx-ridge-army", "-f", "json", stdin=text)
    assert json.loads(result.output) == [{"label": "Ridge Army"}]


# ---------------------------------------------------------------------------- bad input


def test_typo_suggests_names(tree: Path) -> None:
    line = one_line_error(kg("query", "held-by-anti-regim-closed-by-china"), 2)
    assert "held-by-anti-regime-closed-by-china" in line


def test_unknown_query_without_close_names(tree: Path) -> None:
    line = one_line_error(kg("query", "zzzzzz"), 2)
    assert "no query named 'zzzzzz'" in line and "--list" in line


@pytest.mark.parametrize(("args", "expected"), [
    (["--as-of", "2024-13-45"], "parameter 'as_of': expected a date"),
    (["--as-of", "yesterday"], "parameter 'as_of': expected a date"),
    (["--param", "state=not a state"], "parameter 'state': expected an IRI"),
    (["--param", "colour=red"], "parameter 'colour'"),
    (["--param", "no-equals-sign"], "--param expects NAME=VALUE"),
])
def test_wrong_parameters_are_one_line_usage_errors(tree: Path, args: list[str],
                                                    expected: str) -> None:
    line = one_line_error(kg("query", "held-by-anti-regime-closed-by-china", *args), 2)
    assert expected in line


def test_missing_required_parameter(tree: Path) -> None:
    line = one_line_error(kg("query", "timeline"), 2)
    assert "parameter 'place'" in line and "no default" in line


def test_as_of_on_a_query_without_it(tree: Path) -> None:
    line = one_line_error(kg("query", "conflicting-claims", "--as-of", "2024-11-01"), 2)
    assert "has no as_of parameter" in line


def test_no_query_named(tree: Path) -> None:
    assert kg("query").exit_code == 2


def test_unknown_engine(tree: Path) -> None:
    assert kg(*HEADLINE, "--engine", "jena").exit_code == 2


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_broken_query_is_a_one_line_error(tree: Path, tmp_path: Path, engine: str) -> None:
    path = tmp_path / "broken.rq"
    path.write_text("# title: Broken\n# description: Broken.\nSELECT ?s WHERE { ?s ?p }\n",
                    encoding="utf-8")
    line = one_line_error(kg("query", str(path), "--engine", engine), 2)
    assert "broken" in line and engine in line
    assert "line 3, column " in line  # the query's own line, not the prologue's


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_error_columns_are_the_users_own_on_the_first_line(tree: Path, engine: str) -> None:
    """The project prefixes go on line 1 before the user's text, and parameters are bound as
    VALUES blocks: neither may shift the column an error names (it was ``1:678``)."""
    text = "SELECT ?x WHERE { ?x bk:place ?as_of . FILTER( }"
    line = one_line_error(kg("query", "-", "--engine", engine, stdin=text), 2)
    column = int(re.search(r"line 1, column (\d+):", line).group(1))
    assert text[column - 1:].startswith(("}", "FILTER")), (column, line)


def test_a_bad_header_is_a_usage_error(tree: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text("# title: Bad\n# param: x colour  A colour\nSELECT * WHERE { }\n",
                    encoding="utf-8")
    line = one_line_error(kg("query", str(path)), 2)
    assert "unknown type 'colour'" in line


def test_missing_file(tree: Path) -> None:
    line = one_line_error(kg("query", "nowhere.rq"), 2)
    assert "not found" in line


def test_bad_graph_file_is_one_line(tree: Path, tmp_path: Path) -> None:
    data = tmp_path / "baddata"
    data.mkdir()
    (data / "broken.ttl").write_text("@prefix ex: <http://e/> .\nex:a ex:b .\n", encoding="utf-8")
    (tree / "data").unlink()
    (tree / "data").symlink_to(data)
    line = one_line_error(kg(*HEADLINE), 2)
    assert "broken.ttl:2:" in line


def test_help_is_documented(tree: Path) -> None:
    result = kg("query", "--help")
    assert result.exit_code == 0
    for option in ("--param", "--as-of", "--engine", "--format", "--list"):
        assert option in result.output
