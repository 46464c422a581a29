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
    """Who holds it in the resolved answer (every side of a dispute)."""
    return {w["iri"] for a in card["control"]["answers"] for w in a["who"]}


def fates(card: dict, aspect: str) -> dict[str, str]:
    """claim -> what the resolution made of it, for the claims behind an aspect."""
    return {c["claim"]: c["fate"] for c in card["claims"] if c["aspect"] == aspect}


# ---------------------------------------------------------------------------- kg crossing


def test_crossing_card_has_every_part(runner: CliRunner) -> None:
    out = run(runner, "crossing", "Kanpiketi", "--as-of", "2024-11-21").stdout
    for expected in ("Kanpiketi crossing", "bkr:crossing-kanpiketi", "Official border crossing",
                     "Also: ", "Kan Paik Ti crossing", "Sides", "Myanmar", "Kachin State", "China",
                     "Held by (as of 2024-11-21)", "Kachin Independence Army", "full control",
                     "since 2024-11-20", "Open/closed (as of 2024-11-21)", "closed, by China",
                     "Claims behind it", "superseded on",
                     "Trade and commodities", "52,000,000 US dollars", "2024-01-01/2024-04-30",
                     "Commerce Ministry", "Latest events", "Sources", "[1]",
                     "https://www.irrawaddy.com/"):
        assert expected in out, expected
    assert "\x1b[" not in out  # not a terminal: no colour


def test_crossing_as_of_before_and_after_the_capture(runner: CliRunner) -> None:
    before = run_json(runner, "crossing", "Kanpiketi", "--as-of", "2024-11-01")
    after = run_json(runner, "crossing", "Kanpiketi", "--as-of", "2024-11-21")
    assert holders(before) == {ID + "myanmar-military"}
    assert before["control"]["state"] == "resolved"
    assert before["control"]["answers"][0]["value"]["iri"] == VOCAB + "Besieged"
    assert holders(after) == {ID + "kia"}
    held = after["control"]["answers"][0]
    assert held["since"] == "2024-11-20" and held["since_kind"] == "since" and held["until"] == ""
    # the article, confirmed by Myanmar Peace Monitor's report of December 2024 (reports/)
    assert held["sources"] == [IRRAWADDY, ID + "source-mpm-2024-12-kachin-gates-reopen"]
    capture = [c for c in after["claims"] if c["claim"] == ID + "claim-control-crossing-kanpiketi-kia"][0]
    assert capture["fate"] == "counts" and capture["event"]["iri"] == ID + "event-kia-captures-kanpiketi"
    assert capture["event"]["when"] == "2024-11-20"
    # the junta's claims ended as their source said: the cut-off on the day of the capture
    assert fates(after, "control")[ID + "claim-control-crossing-kanpiketi-junta-cut-off"] == "ended"
    # on the day of the capture the junta's claim has ended (half-open intervals)
    on_the_day = run_json(runner, "crossing", "Kanpiketi", "--as-of", "2024-11-20")
    assert holders(on_the_day) == {ID + "kia"}
    # events and claims after the date are not listed
    assert all(e["date"] <= "2024-11-01" for e in before["events"] if e["date"])
    assert ID + "claim-control-crossing-kanpiketi-kia" not in fates(before, "control")


def test_crossing_explains_its_status_with_every_claim(runner: CliRunner) -> None:
    card = run_json(runner, "crossing", "Kanpiketi", "--as-of", "2024-11-25")
    assert card["status"]["state"] == "resolved"
    (answer,) = card["status"]["answers"]
    assert answer["value"]["label"] == "closed" and [w["iri"] for w in answer["who"]] == [ID + "china"]
    status = fates(card, "status")
    assert status[ID + "claim-status-crossing-kanpiketi-reopened"] == "superseded"
    assert status[ID + "claim-status-crossing-kanpiketi-closed-again"] == "counts"
    assert status[ID + "claim-bni-status-kanpiketi-closed"] == "counts"
    reopened = [c for c in card["claims"] if c["claim"] == ID + "claim-status-crossing-kanpiketi-reopened"][0]
    assert reopened["superseded_by"]["iri"] == ID + "claim-status-crossing-kanpiketi-closed-again"
    out = run(runner, "crossing", "Kanpiketi", "--as-of", "2024-11-25").stdout
    assert "superseded on" in out


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
    for aspect in ("control", "presence", "status"):
        assert card[aspect]["state"] in {"resolved", "disputed", "unknown", "none"}
        for answer in card[aspect]["answers"]:
            assert set(answer) == {"rank", "period", "value", "who", "since", "since_kind", "until",
                                   "last_reported", "qualifiers", "sources"}
            assert all(set(w) == {"iri", "label"} for w in answer["who"])
    for claim in card["claims"]:
        assert set(claim) >= {"claim", "aspect", "label", "value", "who", "since", "since_kind", "until", "fate",
                              "effective_until", "superseded_by", "event", "attribution", "basis", "rank",
                              "note", "sources"}
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
    answers = [a for aspect in ("control", "presence", "status") for a in card[aspect]["answers"]]
    cited = {s for c in answers + card["claims"] + card["trade"] + card["events"] for s in c["sources"]}
    assert cited <= {r["iri"] for r in refs}


def test_crossing_dates_keep_their_precision(runner: CliRunner) -> None:
    card = run_json(runner, "crossing", "Kanpiketi", "--as-of", "2024-11-21", "--events", "0")
    whens = {e["iri"]: e["when"] for e in card["events"]}
    assert whens[ID + "event-kia-captures-kanpiketi"] == "2024-11-20"
    assert whens[ID + "event-china-reopens-kanpiketi"] == "2024-11"
    assert whens[ID + "event-junta-troops-flee-kanpiketi"] == "<=2024-11-20"
    assert len(card["events"]) == card["events_total"]
    reopened = [c for c in card["claims"] if c["claim"] == ID + "claim-status-crossing-kanpiketi-reopened"][0]
    assert reopened["until"] == "<=2024-11-30" and reopened["since"] == "2024-11"


@pytest.mark.parametrize("name", ["Lwelgel", "Lweljel", "lweje", "LWEJE crossing", "bkr:crossing-lweje"])
def test_crossing_aliases(runner: CliRunner, name: str) -> None:
    assert run_json(runner, "crossing", name)["iri"] == ID + "crossing-lweje"


def test_a_gate_is_a_crossing_but_not_official(runner: CliRunner) -> None:
    card = run_json(runner, "crossing", "Man Wein gate")
    assert card["official"] is False
    assert card["part_of_crossing"]["iri"] == ID + "crossing-muse"
    assert "not an official crossing" in run(runner, "crossing", "Man Wein").stdout
    muse = run_json(runner, "crossing", "Muse")
    # the gates and trade zone of Muse that reports name (reports/), sorted by IRI
    assert muse["gates"] == [{"iri": ID + "gate-kyin-san-kyawt", "label": "Kyin San Kyawt gate"},
                             {"iri": ID + "gate-man-wein", "label": "Man Wein border gate"},
                             {"iri": ID + "gate-sin-phyu-shin", "label": "Sin Phyu Shin gate"},
                             {"iri": ID + "trade-zone-105-mile", "label": "105-Mile Trade Zone"}]


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
    # after: the seed article's date (published no earlier than 2024-11-24)
    before, after = _board(runner, "2024-11-01"), _board(runner, "2024-11-24")
    official = {ID + f"crossing-{x}" for x in ("lweje", "kanpiketi", "muse", "chinshwehaw", "kengtung-mongla")}
    assert set(before) == set(after) == official  # every official crossing, and only those
    assert holders(before[ID + "crossing-kanpiketi"]) == {ID + "myanmar-military"}
    assert holders(after[ID + "crossing-kanpiketi"]) == {ID + "kia"}
    assert holders(after[ID + "crossing-lweje"]) == {ID + "kia"}
    # several KIA claims from several sources on Lweje: one answer, confirmed, citing them all
    (lweje,) = after[ID + "crossing-lweje"]["control"]["answers"]
    assert after[ID + "crossing-lweje"]["control"]["state"] == "resolved" and len(lweje["sources"]) >= 2


def test_the_board_answers_now_not_forever(runner: CliRunner) -> None:
    """The 2024 closures of Kanpiketi and Lwelgel are superseded by the reopenings of
    2025-10-24; the junta seen at Muse on 2024-11-23 is a report, not a standing claim."""
    now = _board(runner, "2026-11-29")
    for crossing in ("kanpiketi", "lweje"):
        status = now[ID + f"crossing-{crossing}"]["status"]
        assert status["state"] == "resolved", crossing
        assert {a["value"]["iri"] for a in status["answers"]} <= {VOCAB + "Open", VOCAB + "PartiallyOpen"}, crossing
    muse = now[ID + "crossing-muse"]
    assert muse["presence"]["state"] == "unknown"
    assert muse["presence"]["answers"][0]["since"] == "2024-11-23"
    assert muse["presence"]["answers"][0]["since_kind"] == "reported"
    out = run(runner, "status", "--as-of", "2026-11-29").stdout
    assert "unknown since 2025-11-23; last reported >=2024-11-24: Myanmar military (reported 2024-11-23)" in out


def test_status_json_shape(runner: CliRunner) -> None:
    board = run_json(runner, "status", "--as-of", "2024-11-21")
    assert set(board) == {"as_of", "known_at", "crossings", "references"}
    assert board["known_at"] is None
    for crossing in board["crossings"]:
        assert set(crossing) == {"iri", "label", "official", "kind", "control", "presence", "status"}
        for aspect in ("control", "presence", "status"):
            assert set(crossing[aspect]) == {"state", "answers"}
            for answer in crossing[aspect]["answers"]:
                assert set(answer) == {"rank", "period", "value", "who", "since", "since_kind", "until",
                                       "last_reported", "qualifiers", "sources"}


def test_status_table(runner: CliRunner) -> None:
    out = run(runner, "status", "--as-of", "2024-11-21").stdout
    assert "Status of the official crossings as of 2024-11-21" in out
    assert out.count("Kanpiketi crossing") == 1  # one line per crossing and aspect, named once
    assert "held by" in out and "open/closed" in out and "Kachin Independence Army (full control)" in out
    assert "Muse crossing" in out and "Sources" in out
    assert "Pangwa gate" not in out
    assert "no report" in run(runner, "status", "--as-of", "2023-06-01").stdout  # before any report
    every = run(runner, "status", "--all", "--as-of", "2024-11-21").stdout
    assert "Pangwa gate (Minor border gate)" in every


def test_status_claims_shows_the_raw_layer(runner: CliRunner) -> None:
    found = run_json(runner, "status", "--claims", "--as-of", "2026-11-29")
    claims = {c["claim"]: c for c in found["claims"]}
    closed = claims[ID + "claim-status-crossing-kanpiketi-closed-again"]
    assert closed["fate"] == "superseded" and closed["superseded_by"]
    out = run(runner, "status", "--claims", "--as-of", "2026-11-29").stdout
    assert "Claims that apply on 2026-11-29 by their own dates" in out and "superseded" in out


def test_known_at_shows_only_what_was_known(runner: CliRunner) -> None:
    board = run_json(runner, "status", "--known-at", "2024-11-30", "--as-of", "2024-11-30")
    assert board["known_at"] == "2024-11-30"
    cited = {r["iri"] for r in board["references"]}
    assert cited and all(r["issued"] is None or r["issued"].lstrip("<>=").replace("late-", "").replace("mid-", "")
                         .replace("early-", "") <= "2024-11-30" for r in board["references"])
    assert ID + "source-bni-2024-12-kan-paik-ti-reopens" not in cited
    out = run(runner, "status", "--known-at", "2024-11-30", "--as-of", "2024-11-30").stdout
    assert "as known on 2024-11-30" in out


STATUS_DATASETS = ("shipped", "resolution", "edge")
STATUS_DATES = ("2019-06-01", "2023-10-27", "2024-01-15", "2024-11-19", "2024-11-20", "2024-11-21",
                "2024-12-31", "2025-06-30", "2026-11-29")


def status_query_rows(engine, as_of: str, about: str | None) -> list[dict]:
    """The library query's rows, as :func:`kg.lookup.status_rows` gives them (plain values)."""
    from kg.engines import execute
    from kg.params import resolve
    from kg.queries import load

    query = load("status-as-of")
    given = {"as_of": as_of, **({"about": about} if about else {})}
    rows = execute(query, resolve(list(query.params), given), engine).as_dicts()
    return [{k: None if v is None else int(v.value) if k == "rank" else v.value for k, v in row.items()}
            for row in rows]


@pytest.mark.parametrize("dataset", STATUS_DATASETS)
def test_status_from_the_period_table_equals_the_library_query(dataset: str) -> None:
    """The board and the cards answer from the period table kept with the store, in Python; the
    rows are the library query's, in the same order, on both engines, for every crossing and
    for each subject with periods (and one without), on dates around every change."""
    from test_queries import dataset_files, engine

    from kg.derived import period_table
    from kg.lookup import status_rows
    from kg.store import open_store

    store = open_store(dataset_files(dataset))
    table = period_table(store)
    subjects = sorted(table["periods"]) + [ID + "myanmar", ID + "no-such-thing"]
    dates = sorted({*STATUS_DATES, *(p[i] for ps in table["periods"].values() for p in ps for i in (2, 3) if p[i])})
    compared, states = 0, set()
    for as_of in dates:
        for engine_name in ("oxigraph", "rdflib") if as_of in STATUS_DATES else ("oxigraph",):
            expected = status_query_rows(engine(dataset, engine_name), as_of, None)
            assert status_rows(table, as_of) == expected, (engine_name, as_of)
            states.update(r["state"] for r in expected)
            compared += 1
        for about in subjects:
            expected = status_query_rows(engine(dataset, "oxigraph"), as_of, about)
            labels = [r["subject_label"] for r in expected]
            assert status_rows(table, as_of, about, labels[0] if labels else None) == expected, (about, as_of)
            compared += 1
    assert compared > 50 and table["periods"]
    if dataset == "resolution":
        assert {"resolved", "disputed", "unknown", None} <= states


# ---------------------------------------------------------------------------- kg place / actor


def test_place_card(runner: CliRunner) -> None:
    card = run_json(runner, "place", "Kanpiketi", "--as-of", "2024-11-21")
    assert card["iri"] == ID + "kanpiketi"
    assert [[x["iri"] for x in chain] for chain in card["part_of"]] == [[ID + "kachin-state", ID + "myanmar"]]
    assert {x["iri"] for x in card["crossings"]} == {ID + "crossing-kanpiketi"}
    assert holders(card) == {ID + "kia"}
    (held,) = card["control"]["answers"]  # the seed article and BNI agree: one answer, both sources
    assert {IRRAWADDY, ID + "source-bni-2024-12-kan-paik-ti-reopens"} <= set(held["sources"])
    assert {ID + "claim-control-kanpiketi-kia", ID + "claim-bni-control-kanpiketi-kia"} <= set(fates(card, "control"))
    before = run_json(runner, "place", "Kanpiketi", "--as-of", "2024-11-01")
    assert holders(before) == {ID + "myanmar-military"}
    out = run(runner, "place", "Kan Paik Ti", "--as-of", "2024-11-21").stdout
    assert "In: Kachin State → Myanmar" in out and "Crossings here: Kanpiketi crossing" in out
    coords = run_json(runner, "place", "Muse")["coordinates"]
    assert coords and coords[0]["wkt"].startswith("POINT(")


def test_actor_card(runner: CliRunner) -> None:
    card = run_json(runner, "actor", "KIA", "--as-of", "2024-11-24", "--events", "0")
    assert card["iri"] == ID + "kia" and card["types"][0]["label"] == "Ethnic armed organization"
    assert card["headquarters"] == [{"iri": ID + "laiza-headquarters", "label": "KIA headquarters at Laiza"}]
    assert card["alignment"]["state"] == "resolved"
    (aligned,) = card["alignment"]["answers"]
    assert aligned["value"]["iri"] == VOCAB + "AntiRegime" and IRRAWADDY in aligned["sources"]
    claims = {c["claim"]: c for c in card["claims"]}
    assert claims[ID + "claim-alignment-kia"]["value"]["iri"] == VOCAB + "AntiRegime"
    assert claims[ID + "claim-alignment-kia"]["since_kind"] == "reported"
    assert claims[ID + "claim-alignment-kia"]["since"] == ">=2024-11-24"  # at the article
    assert claims[ID + "claim-alignment-kia"]["sources"] == [IRRAWADDY]
    held = {h["place"]["iri"] for h in card["holds"]}
    assert {ID + "crossing-kanpiketi", ID + "crossing-lweje", ID + "kanpiketi"} <= held
    relations = {(r["relation"], r["other"]["iri"]) for r in card["relations"]}
    assert ("pressured by", ID + "china") in relations
    assert ("negotiating with", ID + "china") in relations
    assert all(set(r) >= {"relation", "type", "direction", "other", "through", "when", "event", "sources"}
               for r in card["relations"])
    assert {e["iri"] for e in card["events"]} >= {ID + "event-kia-captures-kanpiketi"}
    assert all(e["date"] <= "2024-11-24" for e in card["events"] if e["date"])
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
    assert "Myanmar military" in out and "Relations" in out and "Alignment (as of" in out


# ---------------------------------------------------------------------------- kg timeline


def test_timeline_of_a_crossing_is_in_date_order_with_precision(runner: CliRunner) -> None:
    card = run_json(runner, "timeline", "Kanpiketi crossing")
    items = card["items"]
    dates = [i["date"] or "" for i in items]
    assert dates == sorted(dates)
    whens = {i["iri"]: i["when"] for i in items}
    assert whens[ID + "event-kia-captures-kanpiketi"] == "2024-11-20"
    assert whens[ID + "event-kia-cuts-off-kanpiketi"] == "2024-06"
    assert whens[ID + "event-kia-halts-advance"] == "<=2024-10-20"  # before the mid-October attack
    assert {i["kind"] for i in items} == {"event", "claim"}
    assert all(set(i) >= {"iri", "kind", "type", "label", "date", "when", "until", "about", "sources"}
               for i in items)
    out = run(runner, "timeline", "Kanpiketi crossing").stdout
    assert "2024-06" in out and "<=2024-10-20" in out and "undated" in out


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


def test_read_path_imports_no_rdflib_pyshacl_networkx_or_matplotlib(tmp_path: Path) -> None:
    script = """
import sys
from click.testing import CliRunner
from kg.cli import main
runner = CliRunner()
for args in (["status"], ["crossing", "Kanpiketi"], ["search", "kia"], ["query", "status-as-of"],
             ["place", "Muse"], ["actor", "KIA"], ["timeline", "Lwelgel crossing"]):
    result = runner.invoke(main, args)
    assert result.exit_code == 0, (args, result.output, result.stderr)
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("rdflib", "pyshacl", "networkx", "matplotlib", "numpy"))
print(",".join(heavy))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"imported on the read path: {done.stdout.strip()}"
