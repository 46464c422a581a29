"""Engines, result normalisation, typed parameters and safe binding.

The binding tests run the same queries on rdflib and Oxigraph: a parameter must mean the same
on both, wherever the query uses it (FILTER, OPTIONAL, sub-select, EXISTS, MINUS, BIND), and a
value must stay data whatever characters it holds.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from functools import lru_cache
from pathlib import Path

import pytest

from kg.engines import ENGINES, Engine, EngineError, OxigraphEngine, execute, load_engine
from kg.namespaces import ID
from kg.params import (
    XSD_BOOLEAN,
    XSD_DATE,
    XSD_DECIMAL,
    XSD_DOUBLE,
    XSD_INTEGER,
    XSD_STRING,
    Param,
    ParamError,
    Term,
    bind,
    resolve,
    shape,
    with_prologue,
)
from kg.queries import from_text

DATA = textwrap.dedent("""\
    @prefix ex: <http://example.org/> .
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    ex:a ex:date "2024-11-01"^^xsd:date ; ex:label "alpha" ; ex:p ex:q .
    ex:b ex:date "2024-11-20"^^xsd:date ; ex:label "beta" .
    ex:a ex:q "has q" .
""")


@lru_cache(maxsize=None)
def small(name: str, tmp: str) -> Engine:
    path = Path(tmp) / "small.ttl"
    path.write_text(DATA, encoding="utf-8")
    return load_engine(name, [path])


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("engines"))


def rows(engine_name: str, data_dir: str, query: str, values: dict[str, Term]) -> list[tuple]:
    text = "PREFIX ex: <http://example.org/>\n" + query
    result = small(engine_name, data_dir).run(with_prologue(bind(text, values)), values)
    return sorted(tuple("" if t is None else t.n3() for t in row) for row in result.rows)


# ---------------------------------------------------------------------------- normalisation


def test_plain_and_xsd_string_literals_are_one_term() -> None:
    assert Term.literal("x") == Term.literal("x", XSD_STRING)


@pytest.mark.parametrize(("lexical", "datatype", "canonical"), [
    ("52000000.0", XSD_DECIMAL, "52000000"),
    ("0.50", XSD_DECIMAL, "0.5"),
    ("+007", XSD_INTEGER, "7"),
    ("1000", XSD_DOUBLE, "1000.0"),
    ("1.0E3", XSD_DOUBLE, "1000.0"),
    ("1", XSD_BOOLEAN, "true"),
    ("2024-11-01", XSD_DATE, "2024-11-01"),
])
def test_numbers_and_booleans_get_one_lexical_form(lexical: str, datatype: str,
                                                   canonical: str) -> None:
    assert Term.literal(lexical, datatype).value == canonical


def test_language_tags_compare_case_insensitively() -> None:
    assert Term.literal("x", lang="EN") == Term.literal("x", lang="en")


@pytest.mark.parametrize("engine_name", ENGINES)
def test_engines_normalise_computed_values_alike(engine_name: str, data_dir: str) -> None:
    query = """SELECT (52000000.0 AS ?d) (1.0e3 AS ?f) (COUNT(*) AS ?n) (STR(ex:a) AS ?s)
               ("x"^^xsd:string AS ?x) (true AS ?t) WHERE { ?s0 ex:date ?date }"""
    assert rows(engine_name, data_dir, query, {}) == [(
        '"52000000"^^<http://www.w3.org/2001/XMLSchema#decimal>',
        '"1000.0"^^<http://www.w3.org/2001/XMLSchema#double>',
        '"2"^^<http://www.w3.org/2001/XMLSchema#integer>',
        '"http://example.org/a"', '"x"',
        '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>')]


@pytest.mark.parametrize("engine_name", ENGINES)
def test_ask_and_construct(engine_name: str, data_dir: str) -> None:
    engine = small(engine_name, data_dir)
    assert engine.run("ASK { ?s ?p ?o }").boolean is True
    result = engine.run("CONSTRUCT { ?s <http://example.org/seen> true } "
                        "WHERE { ?s <http://example.org/p> ?o }")
    assert result.variables == ["subject", "predicate", "object"]
    assert [r[0].value for r in result.rows] == ["http://example.org/a"]


# ---------------------------------------------------------------------------- engines


def test_unknown_engine_is_an_error() -> None:
    with pytest.raises(EngineError, match="unknown engine"):
        load_engine("jena")


@pytest.mark.parametrize("engine_name", ENGINES)
def test_engine_errors_are_one_line(engine_name: str, data_dir: str) -> None:
    with pytest.raises(EngineError) as error:
        small(engine_name, data_dir).run("SELECT * WHERE { ?s ?p }")
    assert "\n" not in str(error.value)


def test_oxigraph_engine_reports_itself(data_dir: str) -> None:
    engine = small("oxigraph", data_dir)
    assert isinstance(engine, OxigraphEngine)
    assert engine.run("SELECT * WHERE { ?s ?p ?o }").engine == "oxigraph"


def test_a_bad_graph_file_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    for name in ENGINES:
        with pytest.raises(EngineError) as error:
            load_engine(name, [bad])
        assert "bad.ttl" in str(error.value) and "\n" not in str(error.value)


_PROBE = textwrap.dedent("""\
    import sys
    from kg.cli import main
    try:
        main(["query", "held-by-anti-regime-closed-by-china", "--as-of", "2024-11-21",
              "--engine", ENGINE, "--format", "json"])
    except SystemExit as exit:
        code = exit.code
    sys.stderr.write("RDFLIB_LOADED=%s CODE=%s\\n" % ("rdflib" in sys.modules, code))
""")


@pytest.mark.parametrize(("engine_name", "loads_rdflib"), [("oxigraph", False), ("rdflib", True)])
def test_oxigraph_path_never_imports_rdflib(engine_name: str, loads_rdflib: bool) -> None:
    """``kg query`` on Oxigraph runs without rdflib in the process at all: it cannot fall back
    to rdflib's SPARQL engine, and start-up stays fast. (The rdflib engine, for contrast, does
    load it.)"""
    script = _PROBE.replace("ENGINE", repr(engine_name))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, cwd=Path(__file__).parents[1])
    assert f"RDFLIB_LOADED={loads_rdflib} CODE=0" in done.stderr, done.stderr
    assert isinstance(json.loads(done.stdout), list)


# ---------------------------------------------------------------------------- parameters


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-11-21", "2024-11-21"),
    ("2024-11", "2024-11-01"),
    ("2024", "2024-01-01"),
    (" 2024-02-29 ", "2024-02-29"),
])
def test_date_parameters(text: str, expected: str) -> None:
    assert Param("d", "date").parse(text) == Term.literal(expected, XSD_DATE)


def test_today_is_a_date() -> None:
    import datetime

    assert Param("d", "date").parse("today").value == datetime.date.today().isoformat()


@pytest.mark.parametrize(("ptype", "text"), [
    ("date", "2024-13-01"), ("date", "2023-02-29"), ("date", "21/11/2024"), ("date", "soon"),
    ("integer", "1.5"), ("integer", "ten"), ("decimal", "1e5"), ("boolean", "maybe"),
    ("iri", "bkr:kia> } ?s ?p ?o {"), ("iri", "bkr:a b"), ("iri", "unknown:thing"),
    ("iri", "<http://example.org/a b>"), ("iri", 'http://example.org/"x"'),
    ("iri", "javascript:alert(1)"), ("iri", ""),
])
def test_wrong_values_name_the_parameter_and_type(ptype: str, text: str) -> None:
    with pytest.raises(ParamError) as error:
        Param("p", ptype).parse(text)
    message = str(error.value)
    assert message.startswith("parameter 'p': expected ") and "\n" not in message


@pytest.mark.parametrize(("text", "iri"), [
    ("bkr:kia", ID + "kia"),
    ("kia", ID + "kia"),
    ("bkv:Closed", "https://w3id.org/border-kg/vocab/Closed"),
    ("https://w3id.org/border-kg/id/kia", ID + "kia"),
    ("<http://example.org/x?y=1#z>", "http://example.org/x?y=1#z"),
])
def test_iri_parameters(text: str, iri: str) -> None:
    assert Param("p", "iri").parse(text) == Term.iri(iri)


def test_resolve_defaults_missing_and_unknown() -> None:
    params = [Param("as_of", "date", default="2024-11"), Param("place", "iri"),
              Param("crossing", "iri", optional=True)]
    assert resolve(params, {"place": "kia"}) == {
        "as_of": Term.literal("2024-11-01", XSD_DATE), "place": Term.iri(ID + "kia")}
    with pytest.raises(ParamError, match="'place'.*no default"):
        resolve(params, {})
    with pytest.raises(ParamError, match="'colour'"):
        resolve(params, {"place": "kia", "colour": "red"})


# ---------------------------------------------------------------------------- binding

D = Term.literal("2024-11-10", XSD_DATE)

#: query -> rows expected with ?D = 2024-11-10 (ex:a is dated before it, ex:b after)
SCOPES = {
    "filter": ("SELECT ?s WHERE { ?s ex:date ?d FILTER (?d < ?D) }", [("<http://example.org/a>",)]),
    "sub-select": ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ex:date ?d FILTER (?d < ?D) } } }",
                   [("<http://example.org/a>",)]),
    "nested sub-select only": (
        "SELECT ?s ?n WHERE { ?s ex:label ?l { SELECT (COUNT(*) AS ?n) WHERE { ?x ex:date ?d "
        "FILTER (?d > ?D) } } }",
        [("<http://example.org/a>", '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'),
         ("<http://example.org/b>", '"1"^^<http://www.w3.org/2001/XMLSchema#integer>')]),
    "union branch": ("SELECT ?s WHERE { { ?s ex:date ?d FILTER (?d < ?D) } UNION "
                     "{ ?s ex:label ?l FILTER (?D > ?D) } }", [("<http://example.org/a>",)]),
    "optional filter": ("SELECT ?s ?d WHERE { ?s ex:label ?l OPTIONAL { ?s ex:date ?d "
                        "FILTER (?d < ?D) } }",
                        [("<http://example.org/a>",
                          '"2024-11-01"^^<http://www.w3.org/2001/XMLSchema#date>'),
                         ("<http://example.org/b>", "")]),
    "bind": ("SELECT ?s ?z WHERE { ?s ex:date ?d BIND (?D AS ?z) FILTER (?s = ex:a) }",
             [("<http://example.org/a>", D.n3())]),
    "projected": ("SELECT ?D WHERE { ex:a ex:date ?d }", [(D.n3(),)]),
    "not exists": ("SELECT ?s WHERE { ?s ex:date ?d FILTER NOT EXISTS { ?s ex:date ?e "
                   "FILTER (?e >= ?D) } }", [("<http://example.org/a>",)]),
    "minus": ("SELECT ?s WHERE { ?s ex:date ?d MINUS { ?s ex:date ?e FILTER (?e > ?D) } }",
              [("<http://example.org/a>",)]),
    "aggregate": ("SELECT (COUNT(*) AS ?n) WHERE { ?s ex:date ?d FILTER (?d < ?D) }",
                  [('"1"^^<http://www.w3.org/2001/XMLSchema#integer>',)]),
    "select expression": ("SELECT ?s (?d < ?D AS ?before) WHERE { ?s ex:date ?d }",
                          [("<http://example.org/a>",
                            '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'),
                           ("<http://example.org/b>",
                            '"false"^^<http://www.w3.org/2001/XMLSchema#boolean>')]),
    "trailing values": ("SELECT ?s WHERE { ?s ex:date ?d FILTER (?d < ?D) } VALUES ?s { ex:a ex:b }",
                        [("<http://example.org/a>",)]),
}


@pytest.mark.parametrize("engine_name", ENGINES)
@pytest.mark.parametrize("scope", sorted(SCOPES))
def test_a_parameter_is_a_constant_in_every_scope(scope: str, engine_name: str,
                                                  data_dir: str) -> None:
    query, expected = SCOPES[scope]
    assert rows(engine_name, data_dir, query, {"D": D}) == expected


@pytest.mark.parametrize("engine_name", ENGINES)
def test_a_parameter_as_optional_predicate(engine_name: str, data_dir: str) -> None:
    """rdflib 7.6 drops the rows an OPTIONAL does not match when a VALUES-bound variable is its
    predicate, unless the VALUES is inside the OPTIONAL too, which is where bind() puts it."""
    query = "SELECT ?s ?x WHERE { ?s ex:label ?l OPTIONAL { ?s ?P ?x } }"
    got = rows(engine_name, data_dir, query, {"P": Term.iri("http://example.org/q")})
    assert got == [("<http://example.org/a>", '"has q"'), ("<http://example.org/b>", "")]


def test_bind_leaves_strings_comments_and_iris_alone() -> None:
    text = ('SELECT ?x WHERE { ?x <http://e/#?D> "?D { }" # ?D {\n'
            ' FILTER (?x != ?D) }')
    bound = bind(text, {"D": D})
    assert bound.count("VALUES ?D") == 1
    assert '<http://e/#?D> "?D { }" # ?D {' in bound


def test_bind_needs_a_where_group() -> None:
    with pytest.raises(ValueError, match="no WHERE"):
        bind("DESCRIBE ?D", {"D": D})


def test_shape_sees_the_outer_order_by_only() -> None:
    assert shape("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s").ordered
    assert not shape("SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } ORDER BY ?s } }").ordered
    assert not shape('SELECT * WHERE { ?s ?p "ORDER BY" } # ORDER BY ?s').ordered


def test_prologue_adds_only_undeclared_prefixes() -> None:
    text = with_prologue("PREFIX bk: <http://other/>\nSELECT * WHERE { ?s a bk:X }")
    assert text.count("PREFIX bk:") == 1 and "PREFIX bkr:" in text


# ---------------------------------------------------------------------------- injection

HOSTILE = [
    'plain',
    'quote " inside',
    "single ' quote",
    '"""triple""" and \'\'\'triple\'\'\'',
    'x" } . ?s ?p ?o . FILTER(true) #',
    '} } UNION { ?s ?p ?o } #',
    '# comment\n?s ?p ?o',
    'line one\nline two\r\nline three\ttab',
    'SELECT * WHERE { ?s ?p ?o } LIMIT 1',
    'DROP ALL ; INSERT DATA { <a> <b> <c> }',
    'back\\slash and \\" escaped quote',
    '\\u0022 looks like an escape',
    '\\U0001F600 too',
    '\\',
    'ends with backslash \\',
    'emoji 😀 and ünïcödé',
    'nul \x00 bell \x07 del \x7f',
    '<http://example.org/a>',
    '?D $D',
    '',
]

ECHO = from_text(textwrap.dedent("""\
    # title: Echo
    # description: Returns its parameter from three scopes.
    # param: text string  Any text
    SELECT ?text ?inner ?length ?matches
    WHERE {
      { SELECT ?inner WHERE { BIND (CONCAT(?text, "") AS ?inner) } }
      BIND (STRLEN(?text) AS ?length)
      OPTIONAL { ?s ?p ?o FILTER (STR(?o) = ?text) BIND (true AS ?found) }
      BIND (BOUND(?found) AS ?matches)
      FILTER (?inner = ?text)
    }
    """), "echo")


@pytest.mark.parametrize("engine_name", ENGINES)
@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_string_values_are_data(value: str, engine_name: str, data_dir: str) -> None:
    values = resolve(list(ECHO.params), {"text": value})
    result = execute(ECHO, values, small(engine_name, data_dir))
    assert len(result.rows) == 1
    text, inner, length, matches = result.rows[0]
    assert text == Term.literal(value) and inner == Term.literal(value)
    assert length == Term.literal(str(len(value)), XSD_INTEGER)
    assert matches == Term.literal("false", XSD_BOOLEAN)


@pytest.mark.parametrize("engine_name", ENGINES)
@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_names_find_nothing(value: str, engine_name: str) -> None:
    """The library's string query (find-by-name) on the edge fixture: hostile text is searched
    for, never run: no error, and only labels that contain it (none do)."""
    from test_queries import QUERIES, run

    if value in ("", "plain"):
        return
    assert run(QUERIES["find-by-name"], {"text": value}, "edge", engine_name).rows == []


@pytest.mark.parametrize("engine_name", ENGINES)
@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_escaping_alone_round_trips(value: str, engine_name: str, data_dir: str) -> None:
    """The VALUES text by itself (no initBindings for rdflib) carries the exact value."""
    text = with_prologue(bind("SELECT ?text WHERE { ?s ?p ?o FILTER (?s = <http://example.org/a>"
                              " && ?p = <http://example.org/p>) }",
                              {"text": Term.literal(value)}))
    result = small(engine_name, data_dir).run(text)
    assert [row[0] for row in result.rows] == [Term.literal(value)]
