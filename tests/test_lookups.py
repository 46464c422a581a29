"""``kg crossing``, ``place``, ``actor``, ``timeline``, ``status`` and ``search`` on the shipped
graph: cards, --as-of around the Kanpiketi capture (2024-11-20), --json shapes, names that do
not resolve, bad input, colour, and a read path without rdflib, pyshacl or networkx."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.namespaces import ID, ONTOLOGY, VOCAB

REPO_ROOT = Path(__file__).resolve().parents[1]
IRRAWADDY = ID + "source-irrawaddy-2024-11-kia-kanpiketi"
LOOKUP_COMMANDS = ("crossing", "place", "actor", "timeline", "status", "search")


def run(runner: CliRunner, *args: str, code: int = 0):
    result = runner.invoke(main, list(args))
    assert result.exit_code == code, (result.output, result.stderr, result.exception)
    assert "Traceback" not in result.output + result.stderr
    return result


def run_json(runner: CliRunner, *args: str) -> dict:
    return json.loads(run(runner, *args, "--json").stdout)


def holders(card: dict) -> set[str]:
    return {c["holder"]["iri"] for c in card["control"]}


# ---------------------------------------------------------------------------- kg crossing


def test_crossing_card_has_every_part(runner: CliRunner) -> None:
    out = run(runner, "crossing", "Kanpiketi", "--as-of", "2024-11-21").stdout
    for expected in ("Kanpiketi crossing", "bkr:crossing-kanpiketi", "Official border crossing",
                     "Also: ", "Kan Paik Ti crossing", "Sides", "Myanmar", "Kachin State", "China",
                     "Held by (as of 2024-11-21)", "Kachin Independence Army", "full control",
                     "2024-11-20", "KIA captures Kanpiketi", "Open or closed", "closed",
                     "Trade and commodities", "52,000,000 US dollars", "2024-01-01/2024-04-30",
                     "Commerce Ministry", "Latest events", "Sources", "[1]",
                     "https://www.irrawaddy.com/"):
        assert expected in out, expected
    assert "\x1b[" not in out  # not a terminal: no colour


def test_crossing_as_of_before_and_after_the_capture(runner: CliRunner) -> None:
    before = run_json(runner, "crossing", "Kanpiketi", "--as-of", "2024-11-01")
    after = run_json(runner, "crossing", "Kanpiketi", "--as-of", "2024-11-21")
    assert ID + "kia" not in holders(before)
    assert holders(before) == {ID + "myanmar-military"}
    assert before["control"][0]["level"]["iri"] == VOCAB + "Besieged"
    assert holders(after) == {ID + "kia"}
    held = after["control"][0]
    assert held["since"] == "2024-11-20" and held["until"] == ""
    assert held["event"]["iri"] == ID + "event-kia-captures-kanpiketi"
    assert held["event"]["when"] == "2024-11-20"
    assert held["sources"] == [IRRAWADDY]
    # on the day of the capture the junta's claim has ended (half-open intervals)
    on_the_day = run_json(runner, "crossing", "Kanpiketi", "--as-of", "2024-11-20")
    assert holders(on_the_day) == {ID + "kia"}
    # events after the date are not listed
    assert all(e["date"] <= "2024-11-01" for e in before["events"] if e["date"])


def test_crossing_shows_every_overlapping_status_claim(runner: CliRunner) -> None:
    card = run_json(runner, "crossing", "Kanpiketi", "--as-of", "2024-11-21")
    statuses = {(s["status"]["label"], s["since"], tuple(s["sources"])) for s in card["status"]}
    assert ("closed", "2024-10-22", (ID + "source-bni-2024-12-kan-paik-ti-reopens",)) in statuses
    assert ("closed", "2024-11", (IRRAWADDY,)) in statuses
    assert ("open", "2024-11", (IRRAWADDY,)) in statuses
    assert all(s["imposed_by"]["iri"] == ID + "china" for s in card["status"])
    out = run(runner, "crossing", "Kanpiketi", "--as-of", "2024-11-21").stdout
    assert "Several rows" in out


def test_crossing_json_shape(runner: CliRunner) -> None:
    card = run_json(runner, "crossing", "Kan Paik Ti", "--as-of", "2024-11-21")
    assert set(card) >= {"iri", "label", "alt_labels", "types", "notes", "sources", "as_of", "official",
                         "border", "part_of_crossing", "gates", "sides", "control", "status", "trade",
                         "events", "events_total", "references"}
    assert card["iri"] == ID + "crossing-kanpiketi" and card["official"] is True
    assert card["as_of"] == "2024-11-21"
    assert card["types"] == [{"iri": ONTOLOGY + "OfficialBorderCrossing", "label": "Official border crossing"}]
    assert {"Kan Paik Ti crossing", "Kanpaikti", "Kanpiketi"} <= set(card["alt_labels"])
    assert card["border"] == {"iri": ID + "china-myanmar-border", "label": "China–Myanmar border"}
    sides = {s["country"]["iri"]: s for s in card["sides"]}
    assert set(sides) == {ID + "myanmar", ID + "china"}
    mm = sides[ID + "myanmar"]
    assert mm["regions"] == [{"iri": ID + "kachin-state", "label": "Kachin State"}]
    assert mm["settlements"][0]["iri"] == ID + "kanpiketi" and mm["sources"] == [IRRAWADDY]
    for claim in card["control"]:
        assert set(claim) >= {"holder", "level", "since", "until", "claim", "event", "attribution",
                              "basis", "rank", "note", "sources"}
        assert set(claim["holder"]) == {"iri", "label"}
    for claim in card["status"]:
        assert set(claim) >= {"status", "imposed_by", "since", "until", "claim", "event", "sources"}
    trade = {t["kind"]: t for t in card["trade"]}
    assert trade["trade figure"]["value"] == 52000000
    assert trade["trade figure"]["unit"]["iri"] == VOCAB + "USD"
    assert trade["trade figure"]["when"] == "2024-01-01/2024-04-30"
    assert trade["trade figure"]["reported_by"]["iri"] == ID + "junta-commerce-ministry"
    assert {c["iri"] for c in trade["commodity flow"]["commodities"]} == {VOCAB + "Fuel", VOCAB + "Food"}
    for event in card["events"]:
        assert set(event) >= {"iri", "label", "type", "date", "when", "about", "sources"}
    assert len(card["events"]) <= 8 <= card["events_total"]
    refs = card["references"]
    assert [r["n"] for r in refs] == list(range(1, len(refs) + 1))
    assert all(set(r) >= {"n", "iri", "label", "title", "publisher", "issued", "url"} for r in refs)
    cited = {s for c in card["control"] + card["status"] + card["trade"] + card["events"] for s in c["sources"]}
    assert cited <= {r["iri"] for r in refs}


def test_crossing_dates_keep_their_precision(runner: CliRunner) -> None:
    card = run_json(runner, "crossing", "Kanpiketi", "--as-of", "2024-11-21", "--events", "0")
    whens = {e["iri"]: e["when"] for e in card["events"]}
    assert whens[ID + "event-kia-captures-kanpiketi"] == "2024-11-20"
    assert whens[ID + "event-china-reopens-kanpiketi"] == "2024-11"
    assert whens[ID + "event-junta-troops-flee-kanpiketi"] == "<=2024-11-20"
    assert len(card["events"]) == card["events_total"]
    reopened = [s for s in card["status"] if s["status"]["label"] == "open"][0]
    assert reopened["until"] == "<=2024-11-30"


@pytest.mark.parametrize("name", ["Lwelgel", "Lweljel", "lweje", "LWEJE crossing", "bkr:crossing-lweje"])
def test_crossing_aliases(runner: CliRunner, name: str) -> None:
    assert run_json(runner, "crossing", name)["iri"] == ID + "crossing-lweje"


def test_a_gate_is_a_crossing_but_not_official(runner: CliRunner) -> None:
    card = run_json(runner, "crossing", "Man Wein gate")
    assert card["official"] is False
    assert card["part_of_crossing"]["iri"] == ID + "crossing-muse"
    assert "not an official crossing" in run(runner, "crossing", "Man Wein").stdout
    muse = run_json(runner, "crossing", "Muse")
    assert muse["gates"] == [{"iri": ID + "gate-man-wein", "label": "Man Wein border gate"}]


# ---------------------------------------------------------------------------- names that fail


def test_unknown_name_suggests_and_exits_1(runner: CliRunner) -> None:
    result = run(runner, "crossing", "Kanpikiti", code=1)
    assert result.stdout == ""
    assert "no crossing named 'Kanpikiti'" in result.stderr and "Did you mean" in result.stderr
    assert "bkr:crossing-kanpiketi" in result.stderr
    nothing = run(runner, "actor", "xyzzy qwerty", code=1)
    assert "no actor named" in nothing.stderr and "kg search" in nothing.stderr


def test_ambiguous_name_lists_candidates_and_exits_1(runner: CliRunner) -> None:
    result = run(runner, "place", "Lweje", code=1)
    assert "ambiguous" in result.stderr
    for expected in ("Lweljel", "Town", "bkr:lweje", "Lwelgel crossing", "Official border crossing",
                     "bkr:crossing-lweje"):
        assert expected in result.stderr
    assert run_json(runner, "place", "bkr:lweje")["iri"] == ID + "lweje"  # the way out
    timeline = run(runner, "timeline", "Kanpaikti", code=1)
    assert "bkr:kanpiketi" in timeline.stderr and "bkr:crossing-kanpiketi" in timeline.stderr


def test_a_name_of_the_wrong_kind_says_what_it_is(runner: CliRunner) -> None:
    result = run(runner, "actor", "Kanpiketi", code=1)
    assert "no actor named 'Kanpiketi'" in result.stderr and "Town" in result.stderr


@pytest.mark.parametrize("name", [
    '" } ; DROP ALL ; #',
    "Kanpiketi\" . } UNION { ?s ?p ?o",
    "'; DELETE WHERE { ?s ?p ?o } #",
    "bkr:kia> } SELECT * WHERE { ?s ?p ?o",
    "Kanpiketi\nUNION",
])
@pytest.mark.parametrize("command", ["crossing", "place", "actor", "timeline"])
def test_names_with_sparql_syntax_are_text(runner: CliRunner, command: str, name: str) -> None:
    result = run(runner, command, name, code=1)
    assert "no " in result.stderr and "named" in result.stderr
    assert "Traceback" not in result.stderr


def test_search_with_sparql_syntax_is_text(runner: CliRunner) -> None:
    found = run_json(runner, "search", '"} UNION { ?s ?p ?o } #')
    assert found["results"] == []
    assert run(runner, "search", "zq\" } #", code=1).stderr.startswith("error: no name matches")


@pytest.mark.parametrize("bad", ["yesterday", "2024-13-01", "2024-11-31", "11/20/2024", "'; DROP"])
def test_bad_as_of_is_a_one_line_usage_error(runner: CliRunner, bad: str) -> None:
    result = run(runner, "status", "--as-of", bad, code=2)
    last = result.stderr.strip().splitlines()[-1]
    assert "--as-of" in last and "YYYY-MM-DD" in last


def test_as_of_accepts_a_month_and_today(runner: CliRunner) -> None:
    assert run_json(runner, "status", "--as-of", "2024-11")["as_of"] == "2024-11-01"
    import datetime

    assert run_json(runner, "status", "--as-of", "today")["as_of"] == datetime.date.today().isoformat()
    assert run_json(runner, "status")["as_of"] == datetime.date.today().isoformat()


# ---------------------------------------------------------------------------- kg status


def _board(runner: CliRunner, as_of: str, *extra: str) -> dict[str, dict]:
    return {c["iri"]: c for c in run_json(runner, "status", "--as-of", as_of, *extra)["crossings"]}


def test_status_board_before_and_after_the_capture(runner: CliRunner) -> None:
    before, after = _board(runner, "2024-11-01"), _board(runner, "2024-11-21")
    official = {ID + f"crossing-{x}" for x in ("lweje", "kanpiketi", "muse", "chinshwehaw", "kengtung-mongla")}
    assert set(before) == set(after) == official  # every official crossing, and only those
    assert holders(before[ID + "crossing-kanpiketi"]) == {ID + "myanmar-military"}
    assert holders(after[ID + "crossing-kanpiketi"]) == {ID + "kia"}
    assert holders(after[ID + "crossing-lweje"]) == {ID + "kia"}
    # two KIA claims from two sources on Lweje: two rows, not merged
    lweje_claims = {c["claim"] for c in after[ID + "crossing-lweje"]["control"]}
    assert {ID + "claim-control-crossing-lweje-kia", ID + "claim-control-crossing-lweje-kia-wikipedia"} <= lweje_claims
    assert len(after[ID + "crossing-kanpiketi"]["status"]) >= 3


def test_status_json_shape(runner: CliRunner) -> None:
    board = run_json(runner, "status", "--as-of", "2024-11-21")
    assert set(board) == {"as_of", "crossings", "references"}
    for crossing in board["crossings"]:
        assert set(crossing) == {"iri", "label", "official", "kind", "control", "status"}
        for claim in crossing["control"]:
            assert set(claim) == {"holder", "level", "since", "until", "claim", "sources"}
        for claim in crossing["status"]:
            assert set(claim) == {"status", "imposed_by", "since", "until", "claim", "sources"}


def test_status_table(runner: CliRunner) -> None:
    out = run(runner, "status", "--as-of", "2024-11-21").stdout
    assert "Status of the official crossings as of 2024-11-21" in out
    lines = [line for line in out.splitlines() if line.startswith("Kanpiketi crossing")]
    assert len(lines) >= 3 and "Kachin Independence Army" in lines[0]
    assert "Muse crossing" in out and "no claim" in out and "Sources" in out
    assert "Pangwa gate" not in out
    every = run(runner, "status", "--all", "--as-of", "2024-11-21").stdout
    assert "Pangwa gate (Minor border gate)" in every


def test_status_reuses_the_library_query(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg import lookup

    asked: list[str] = []
    original = lookup.Graph.library

    def spy(self, name, **given):
        asked.append(name)
        return original(self, name, **given)

    monkeypatch.setattr(lookup.Graph, "library", spy)
    run(runner, "status")
    assert asked == ["status-as-of"]


# ---------------------------------------------------------------------------- kg place / actor


def test_place_card(runner: CliRunner) -> None:
    card = run_json(runner, "place", "Kanpiketi", "--as-of", "2024-11-21")
    assert card["iri"] == ID + "kanpiketi"
    assert [[x["iri"] for x in chain] for chain in card["part_of"]] == [[ID + "kachin-state", ID + "myanmar"]]
    assert {x["iri"] for x in card["crossings"]} == {ID + "crossing-kanpiketi"}
    assert {h["holder"]["iri"] for h in card["held_by"]} == {ID + "kia"}
    assert {ID + "claim-control-kanpiketi-kia", ID + "claim-bni-control-kanpiketi-kia"} <= {
        h["claim"] for h in card["held_by"]}  # the seed article and BNI, side by side
    before = run_json(runner, "place", "Kanpiketi", "--as-of", "2024-11-01")
    assert {h["holder"]["iri"] for h in before["held_by"]} == {ID + "myanmar-military"}
    out = run(runner, "place", "Kan Paik Ti", "--as-of", "2024-11-21").stdout
    assert "In: Kachin State → Myanmar" in out and "Crossings here: Kanpiketi crossing" in out
    coords = run_json(runner, "place", "Muse")["coordinates"]
    assert coords and coords[0]["wkt"].startswith("POINT(")


def test_actor_card(runner: CliRunner) -> None:
    card = run_json(runner, "actor", "KIA", "--as-of", "2024-11-21", "--events", "0")
    assert card["iri"] == ID + "kia" and card["types"][0]["label"] == "Ethnic armed organization"
    assert card["headquarters"] == [{"iri": ID + "laiza-headquarters", "label": "KIA headquarters at Laiza"}]
    alignment = {a["claim"]: a for a in card["alignment"]}
    assert alignment[ID + "claim-alignment-kia"]["alignment"]["iri"] == VOCAB + "AntiRegime"
    assert alignment[ID + "claim-alignment-kia"]["observed"] == "late-2024-11"
    assert alignment[ID + "claim-alignment-kia"]["sources"] == [IRRAWADDY]
    held = {h["place"]["iri"] for h in card["holds"]}
    assert {ID + "crossing-kanpiketi", ID + "crossing-lweje", ID + "kanpiketi"} <= held
    relations = {(r["relation"], r["other"]["iri"]) for r in card["relations"]}
    assert ("pressured by", ID + "china") in relations
    assert ("negotiating with", ID + "china") in relations
    assert all(set(r) >= {"relation", "type", "direction", "other", "through", "when", "event", "sources"}
               for r in card["relations"])
    assert {e["iri"] for e in card["events"]} >= {ID + "event-kia-captures-kanpiketi"}
    assert all(e["date"] <= "2024-11-21" for e in card["events"] if e["date"])
    before = run_json(runner, "actor", "KIA", "--as-of", "2024-11-01")
    assert ID + "crossing-kanpiketi" not in {h["place"]["iri"] for h in before["holds"]}


def test_actor_relations_both_ways(runner: CliRunner) -> None:
    china = run_json(runner, "actor", "Beijing")
    assert china["iri"] == ID + "china"
    relations = {(r["relation"], r["other"]["iri"] if r["other"] else None) for r in china["relations"]}
    assert ("threatens", ID + "tnla") in relations and ("pressures", ID + "mndaa") in relations
    assert ("invited by", ID + "kia") in relations
    tnla = run_json(runner, "actor", "TNLA")
    assert ("threatened by", ID + "china") in {(r["relation"], r["other"]["iri"]) for r in tnla["relations"]}
    wang = run_json(runner, "actor", "Wang Yi")
    assert wang["holds_posts"][0]["post"]["iri"] == ID + "post-china-foreign-minister"
    assert wang["events"][0]["role"] == "participant"
    out = run(runner, "actor", "junta").stdout
    assert "Myanmar military" in out and "Relations" in out and "Alignment over time" in out


# ---------------------------------------------------------------------------- kg timeline


def test_timeline_of_a_crossing_is_in_date_order_with_precision(runner: CliRunner) -> None:
    card = run_json(runner, "timeline", "Kanpiketi crossing")
    items = card["items"]
    dates = [i["date"] or "" for i in items]
    assert dates == sorted(dates)
    whens = {i["iri"]: i["when"] for i in items}
    assert whens[ID + "event-kia-captures-kanpiketi"] == "2024-11-20"
    assert whens[ID + "event-kia-cuts-off-kanpiketi"] == "2024-06"
    assert whens[ID + "event-kia-halts-advance"] == "<=2024-10-11"
    assert {i["kind"] for i in items} == {"event", "claim"}
    assert all(set(i) >= {"iri", "kind", "type", "label", "date", "when", "until", "about", "sources"}
               for i in items)
    out = run(runner, "timeline", "Kanpiketi crossing").stdout
    assert "2024-06" in out and "<=2024-10-11" in out and "undated" in out


def test_timeline_of_an_actor(runner: CliRunner) -> None:
    card = run_json(runner, "timeline", "Border Guard Force")
    whens = {i["iri"]: i["when"] for i in card["items"]}
    assert whens[ID + "event-kia-attacks-bgf-sin-kyaing"] == "mid-2024-10"
    assert whens[ID + "claim-alignment-bgf"] == "mid-2024-10"
    kia = run_json(runner, "timeline", "KIA")
    iris = {i["iri"] for i in kia["items"]}
    assert {ID + "event-kia-captures-kanpiketi", ID + "claim-control-crossing-kanpiketi-kia",
            ID + "claim-alignment-kia"} <= iris


# ---------------------------------------------------------------------------- kg search


def test_search(runner: CliRunner) -> None:
    found = run_json(runner, "search", "kia")
    assert found["query"] == "kia"
    first = found["results"][0]
    assert first == {"iri": ID + "kia", "label": "Kachin Independence Army", "type": "Ethnic armed organization",
                     "kinds": ["actor"], "matched": "KIA", "match": "exact", "score": 100}
    out = run(runner, "search", "lweje").stdout
    assert "bkr:lweje" in out and "bkr:crossing-lweje" in out
    only = run_json(runner, "search", "kanpiketi", "--kind", "crossing")["results"]
    assert [r["iri"] for r in only] == [ID + "crossing-kanpiketi"]
    assert len(run_json(runner, "search", "a", "--limit", "2")["results"]) == 2


# ---------------------------------------------------------------------------- output


def test_colour_only_on_a_terminal_and_never_with_no_color(runner: CliRunner,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from kg import lookup_commands

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setattr(lookup_commands, "_isatty", lambda: True)
    coloured = runner.invoke(main, ["crossing", "Kanpiketi"], color=True)
    assert "\x1b[" in coloured.stdout
    monkeypatch.setenv("NO_COLOR", "1")
    plain = runner.invoke(main, ["crossing", "Kanpiketi"], color=True)
    assert plain.exit_code == 0 and "\x1b[" not in plain.stdout
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setattr(lookup_commands, "_isatty", lambda: False)
    assert "\x1b[" not in runner.invoke(main, ["status"], color=True).stdout


@pytest.mark.parametrize("command", LOOKUP_COMMANDS)
def test_help_documents_the_json_shape(runner: CliRunner, command: str) -> None:
    out = run(runner, command, "--help").stdout
    assert "JSON:" in out and '"iri"' in out and "--json" in out


def test_read_path_imports_no_rdflib_pyshacl_or_networkx(tmp_path: Path) -> None:
    script = """
import sys
from click.testing import CliRunner
from kg.cli import main
runner = CliRunner()
for args in (["status"], ["crossing", "Kanpiketi"], ["search", "kia"], ["query", "status-as-of"],
             ["place", "Muse"], ["actor", "KIA"], ["timeline", "Lwelgel crossing"]):
    result = runner.invoke(main, args)
    assert result.exit_code == 0, (args, result.output, result.stderr)
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("rdflib", "pyshacl", "networkx"))
print(",".join(heavy))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"imported on the read path: {done.stdout.strip()}"
