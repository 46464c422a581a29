"""``kg import acled``: an ACLED export into a workspace, record by record.

The sample (``tests/fixtures/acled/sample.csv``, hand-made in ACLED's column layout about the
made-up world of ``minimal-world.ttl``; no real ACLED row) has 11 rows: 8 good ones (one with a
note over two lines, one in another country), and 3 malformed ones (fatalities "many", 31
February, a terminal escape in an actor's name). ``sample-update.csv`` is a newer export: one
event rewritten, one the same, one older than the graph's, one moved to January, one new.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.namespaces import ID, ONTOLOGY

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SAMPLE = FIXTURES / "acled" / "sample.csv"
UPDATE = FIXTURES / "acled" / "sample-update.csv"
BK = ONTOLOGY
MILITARY = "Military Forces of Betaland (2020-)"


def kg(runner: CliRunner, *args: str, code: int = 0, stdin: str | None = None):
    result = runner.invoke(main, list(args), input=stdin)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


@pytest.fixture
def ws(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace holding only the made-up world the sample is about."""
    folder = tmp_path / "ws"
    kg(runner, "init", str(folder), "--without-shipped-data")
    shutil.copy(FIXTURES / "valid" / "minimal-world.ttl", folder / "data" / "world.ttl")
    monkeypatch.setenv("BORDER_KG_ROOT", str(folder))
    monkeypatch.setenv("BORDER_KG_CACHE", "never")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes (the lock file aside: it holds nothing and belongs to no graph)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".border-kg.lock"}


def graph(folder: Path):  # type: ignore[no-untyped-def]
    from rdflib import Graph

    merged = Graph()
    for path in sorted((folder / "data").rglob("*.ttl")):
        merged.parse(path, format="turtle")
    return merged


def acled_events(folder: Path) -> dict[str, dict[str, list[str]]]:
    """ACLED ID -> {property local name: sorted values} of every imported event."""
    from rdflib import URIRef

    g = graph(folder)
    out: dict[str, dict[str, list[str]]] = {}
    for event, acled_id in g.subject_objects(URIRef(BK + "acledEventId")):
        props: dict[str, list[str]] = {}
        for p, o in g.predicate_objects(event):
            props.setdefault(str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1], []).append(str(o))
        assert str(acled_id) not in out, f"{acled_id} twice"
        out[str(acled_id)] = {k: sorted(v) for k, v in props.items()}
    return out


def derived_claims(folder: Path) -> dict[str, tuple[str, str, str, str]]:
    """claim IRI -> (place, controller, level, from) of the claims derived from ACLED events."""
    rows = graph(folder).query(f"""
        SELECT ?claim ?place ?who ?level ?from WHERE {{
          ?claim <{BK}basis> <https://w3id.org/border-kg/vocab/DerivedFromEvent> ; <{BK}place> ?place ;
                 <{BK}controller> ?who ; <{BK}controlLevel> ?level ; <{BK}validFrom> ?from }}""")
    return {str(r.claim).removeprefix(ID): (str(r.place).removeprefix(ID), str(r.who).removeprefix(ID),
                                            str(r.level).rsplit("/", 1)[-1], str(r["from"])) for r in rows}


# ---------------------------------------------------------------------------- the sample


def test_the_sample_imports_with_its_counts(ws: Path, runner: CliRunner) -> None:
    result = kg(runner, "import", "acled", str(SAMPLE))
    assert (f"{SAMPLE}: 11 rows: 8 new events, 0 updated, 0 unchanged, 0 older than the graph's (left out), "
            "3 malformed (left out)") in result.stdout
    assert "claims derived from territorial events: 2 control, 1 presence" in result.stdout
    assert f"new actors (4): Civilians (Betaland); Gamma Defence Force; {MILITARY}; Protesters (Alphaland)" in result.stdout
    assert "new places (2): Hill Camp; Pine Village" in result.stdout
    assert "new regions (2): Pine District; Pine Township" in result.stdout
    # each malformed row by its line (BTL103's note spans lines 4-5), none printed raw
    assert result.stderr.splitlines() == [
        f"{SAMPLE}:10: fatalities: 'many' is not a whole number of zero or more (row left out)",
        f"{SAMPLE}:11: event_date: '31 February 2024' is not a date (2024-11-20, 20 November 2024 or 20-11-2024) (row left out)",
        f"{SAMPLE}:12: actor1: control characters (row left out)",
    ]
    assert "\x1b" not in result.stdout + result.stderr
    assert sorted(p.name for p in (ws / "data" / "acled").iterdir()) == [
        "source-acled-alp-2024-12.ttl", "source-acled-alp-names.ttl",
        "source-acled-btl-2024-12.ttl", "source-acled-btl-names.ttl"]
    events = acled_events(ws)
    assert sorted(events) == ["ALP201", "BTL101", "BTL102", "BTL103", "BTL104", "BTL105", "BTL106", "BTL107"]
    clash = events["BTL101"]
    assert clash["agent"] == [ID + "group-g"]  # "GGA: Group G Army" is the graph's Group G Army
    assert clash["eventType"] == ["https://w3id.org/border-kg/vocab/ArmedClash"]
    assert clash["fatalities"] == ["3"] and clash["date"] == ["2024-12-02"]
    assert clash["datePrecision"] == ["https://w3id.org/border-kg/vocab/Day"]
    assert clash["location"] == [ID + "betatown"]
    assert clash["note"] == ["ACLED's sources: Base News; Beta Daily (National)"]
    assert clash["wasDerivedFrom"] == [ID + "source-acled-btl-2024-12"]
    strike = events["BTL104"]
    assert strike["datePrecision"] == ["https://w3id.org/border-kg/vocab/Around"]  # time precision 2
    assert strike["target"] == [ID + "acled-actor-civilians-betaland-168084"]
    assert "civilian targeting: Civilian targeting" in strike["note"][0]
    assert events["BTL103"]["comment"] == ["On 10 December 2024, the Group G Army and the Gamma Defence Force "
                                          "took Pine Village.\nThe Betaland military withdrew."]
    assert len(events["BTL103"]["agent"]) == 2  # actor1 and its associated actor
    assert "agent" not in events["BTL106"] and len(events["BTL106"]["participant"]) == 2  # an agreement
    military = "acled-actor-military-forces-of-betaland-2020-e00732"
    pine = "acled-place-pine-village-b13690"
    assert derived_claims(ws) == {
        "acled-btl102-control": ("betatown", military, "FullControl", "2024-12-05"),
        "acled-btl103-control": (pine, "group-g", "FullControl", "2024-12-10"),
        "acled-btl107-control": (pine, "acled-actor-gamma-defence-force-f86b55", "Presence", "2024-12-19"),
    }  # BTL105's base is only placed near Hill Camp (geo_precision 2): no claim
    assert kg(runner, "validate").exit_code == 0


def test_new_places_sit_in_their_township_district_and_state(ws: Path, runner: CliRunner) -> None:
    kg(runner, "import", "acled", str(SAMPLE))
    import json

    card = json.loads(kg(runner, "place", "Pine Village", "--json").stdout)
    assert [[p["label"] for p in chain] for chain in card["part_of"]] == [
        ["Pine Township", "Pine District", "Beta State", "Betaland"]]
    assert [t["label"] for t in card["types"]] == ["Settlement"]


def test_the_import_changes_the_resolved_status(ws: Path, runner: CliRunner) -> None:
    result = kg(runner, "import", "acled", str(SAMPLE))
    assert (f"Betatown, held by: Group G Army (full control), since 2024-11-20, last reported 2024-11-21 → "
            f"{MILITARY} (full control), since 2024-12-05, last reported 2024-12-24") in result.stdout


def test_re_importing_the_same_export_changes_nothing(ws: Path, runner: CliRunner) -> None:
    kg(runner, "import", "acled", str(SAMPLE))
    before = snapshot(ws / "data")
    again = kg(runner, "import", "acled", str(SAMPLE))
    assert "8 unchanged" in again.stdout and "already in the graph: nothing to write" in again.stdout
    assert "What it changes in the resolved status (today): nothing" in again.stdout
    assert snapshot(ws / "data") == before


def test_a_newer_export_updates_events_in_place(ws: Path, runner: CliRunner) -> None:
    kg(runner, "import", "acled", str(SAMPLE))
    result = kg(runner, "import", "acled", str(UPDATE))
    assert (f"{UPDATE}: 5 rows: 1 new events, 2 updated, 1 unchanged, 1 older than the graph's (left out), "
            "0 malformed (left out)") in result.stdout
    events = acled_events(ws)  # raises if any event is there twice
    assert len(events) == 9
    assert events["BTL101"]["fatalities"] == ["4"]  # rewritten by ACLED
    assert events["BTL103"]["fatalities"] == ["2"]  # the update's record is older: left out
    assert events["BTL104"]["date"] == ["2025-01-02"]  # moved to January, out of December's file
    assert events["BTL104"]["wasDerivedFrom"] == [ID + "source-acled-btl-2025-01"]
    december = (ws / "data" / "acled" / "source-acled-btl-2024-12.ttl").read_text()
    assert "acled-btl104" not in december
    assert "Betatown, held by" in result.stdout and "Group G Army (full control), since 2025-01-05" in result.stdout
    assert kg(runner, "validate").exit_code == 0


def test_strict_imports_nothing_while_a_row_is_malformed(ws: Path, runner: CliRunner) -> None:
    before = snapshot(ws)
    result = kg(runner, "import", "acled", "--strict", str(SAMPLE), code=1)
    assert [line.split(": ", 1)[0] for line in result.stderr.splitlines()[:3]] == [
        f"{SAMPLE}:10", f"{SAMPLE}:11", f"{SAMPLE}:12"]
    assert result.stderr.endswith("error: 3 problems; nothing was written\n")
    assert snapshot(ws) == before


def test_the_dry_run_writes_nothing(ws: Path, runner: CliRunner) -> None:
    before = snapshot(ws)
    result = kg(runner, "import", "acled", "--dry-run", str(SAMPLE))
    assert "would write " in result.stdout and "data/acled/source-acled-btl-2024-12.ttl\n" in result.stdout
    assert snapshot(ws) == before


def test_acled_names_map_onto_the_graphs_actors_through_their_aliases(ws: Path, runner: CliRunner) -> None:
    """An analyst gives ACLED's name as an alternative name of the graph's actor (a report);
    the import then uses that actor instead of making one."""
    report = ws / "reports" / "names.yaml"
    report.write_text(f"""source:
  title: ACLED's names for Betaland's forces
  publisher: Base News
  url: https://news.example.org/names
  published: 2024-12-01
  quality: publisher's own page
entities:
  - id: army-b
    also: ["{MILITARY}"]
""", encoding="utf-8")
    kg(runner, "add", str(report))
    result = kg(runner, "import", "acled", str(SAMPLE))
    assert MILITARY not in result.stdout.split("new actors")[1].splitlines()[0]
    assert derived_claims(ws)["acled-btl102-control"][1] == "army-b"


@pytest.mark.parametrize(("text", "message"), [
    ("", "the file is empty: an ACLED export starts with its header row"),
    ("a,b,c\n1,2,3\n", "not an ACLED export: no column event_id_cnty, event_date, event_type, sub_event_type, "
                       "actor1, country, location in the header (line 1)"),
])
def test_a_file_that_is_not_an_export_is_exit_2(ws: Path, runner: CliRunner, text: str, message: str) -> None:
    result = kg(runner, "import", "acled", "-", stdin=text, code=2)
    assert result.stderr == f"error: {message}\n"


def test_a_row_of_the_wrong_width_and_an_unknown_sub_event_type_are_left_out(ws: Path, runner: CliRunner) -> None:
    header, first, *_ = SAMPLE.read_text().split("\n", 2)
    short = first.rsplit(",", 3)[0]
    unknown = first.replace("BTL101", "BTL199").replace("Armed clash", "Alien landing")
    result = kg(runner, "import", "acled", "-", stdin=f"{header}\n{first}\n{short}\n{unknown}\n")
    assert result.stderr.splitlines() == [
        "-:3: 28 cells where the header has 31 (row left out)",
        "-:4: event_type, sub_event_type: 'Battles', 'Alien landing' is not one of ACLED's "
        "(see kg import acled --help) (row left out)",
    ]
    assert sorted(acled_events(ws)) == ["BTL101"]
