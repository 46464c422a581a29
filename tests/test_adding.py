"""``kg init`` and ``kg add``: workspaces, report files checked with the graph and written safely.

The seed article's report (``examples/irrawaddy-2024-11-kanpiketi.yaml``) round-trips into an
empty workspace; re-adding changes nothing; a report with a problem writes nothing and tells each
problem by its line; two adds at once both land; a crash leaves the graph as it was; a claim
that contradicts the graph is kept as a dispute; a claim that ends an earlier one changes the
resolved status; the dry run shows what would change.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.namespaces import ID, ONTOLOGY

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
ARTICLE_YAML = EXAMPLES / "irrawaddy-2024-11-kanpiketi.yaml"
ARTICLE_TTL = REPO / "data" / "irrawaddy-2024-11-kanpiketi.ttl"


def kg(runner: CliRunner, *args: str, code: int | None = 0, stdin: str | None = None):
    result = runner.invoke(main, list(args), input=stdin)
    assert "Traceback" not in result.stderr, result.stderr
    if code is not None:
        assert result.exit_code == code, (result.stdout, result.stderr)
    return result


@pytest.fixture
def empty_ws(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace without the shipped dataset, in use through BORDER_KG_ROOT."""
    folder = tmp_path / "ws"
    kg(runner, "init", str(folder), "--without-shipped-data")
    monkeypatch.setenv("BORDER_KG_ROOT", str(folder))
    monkeypatch.setenv("BORDER_KG_CACHE", "never")
    return folder


@pytest.fixture
def ws(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace with the shipped dataset, in use through BORDER_KG_ROOT."""
    folder = tmp_path / "ws"
    kg(runner, "init", str(folder))
    monkeypatch.setenv("BORDER_KG_ROOT", str(folder))
    monkeypatch.setenv("BORDER_KG_CACHE", "never")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes (the lock file aside: it holds nothing and belongs to no graph)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".border-kg.lock"}


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / "reports" / name
    path.write_text(text, encoding="utf-8")
    return path


REPORT_HEAD = """source:
  title: {title}
  publisher: The Irrawaddy
  url: https://example.org/{slug}
  published: {published}
  quality: publisher's own page
"""


# ---------------------------------------------------------------------------- the round trip


def test_the_seed_article_round_trips_through_its_report_file(empty_ws: Path, runner: CliRunner) -> None:
    """The article as a report, added to an empty workspace, is the article's graph again; the
    one difference is the day it was added (bk:addedOn), which the Turtle file does not carry."""
    from rdflib import Graph, URIRef
    from rdflib.compare import graph_diff, isomorphic, to_isomorphic

    kg(runner, "add", str(ARTICLE_YAML))
    written = empty_ws / "data" / "reports" / "source-irrawaddy-2024-11-kia-kanpiketi.ttl"
    added = Graph().parse(written)
    source = URIRef(ID + "source-irrawaddy-2024-11-kia-kanpiketi")
    (day,) = list(added.objects(source, URIRef(ONTOLOGY + "addedOn")))
    added.remove((source, URIRef(ONTOLOGY + "addedOn"), day))
    article = Graph().parse(ARTICLE_TTL)
    if not isomorphic(added, article):
        _, extra, missing = graph_diff(to_isomorphic(added), to_isomorphic(article))
        pytest.fail(f"differs: {sorted(extra)[:5]} / {sorted(missing)[:5]}")
    assert kg(runner, "validate").exit_code == 0


def test_re_adding_changes_nothing(ws: Path, runner: CliRunner) -> None:
    report = write(ws, "bni.yaml", (EXAMPLES / "bni-2024-12-kan-paik-ti.yaml").read_text())
    first = kg(runner, "add", str(report))
    assert "added 2 claims, 1 event" in first.stdout
    before = snapshot(ws / "data")
    stamps = {p: p.stat().st_mtime_ns for p in (ws / "data").rglob("*.ttl")}
    again = kg(runner, "add", str(report))
    assert "already in the graph" in again.stdout and "nothing to write" in again.stdout
    assert snapshot(ws / "data") == before
    assert {p: p.stat().st_mtime_ns for p in (ws / "data").rglob("*.ttl")} == stamps


def test_the_template_is_a_report_that_adds(ws: Path, runner: CliRunner) -> None:
    template = kg(runner, "add", "--template").stdout
    assert template == (EXAMPLES / "bni-2024-12-kan-paik-ti.yaml").read_text()
    result = kg(runner, "add", "-", stdin=template)
    assert "added 2 claims, 1 event" in result.stdout


def test_the_template_of_a_source_is_its_report(ws: Path, runner: CliRunner) -> None:
    by_title = kg(runner, "add", "--template", "China Hands Back 300 Myanmar Junta Troops Who Fled Border Town Seized by KIA")
    by_iri = kg(runner, "add", "--template", "bkr:source-irrawaddy-2024-11-kia-kanpiketi")
    assert by_title.stdout == by_iri.stdout
    assert "id: source-irrawaddy-2024-11-kia-kanpiketi" in by_title.stdout
    missing = kg(runner, "add", "--template", "China Hands Back", code=1)
    assert "no source named" in missing.stderr and "Did you mean" in missing.stderr


def test_a_report_may_add_claims_from_a_source_the_graph_already_has(ws: Path, runner: CliRunner) -> None:
    """``source: {id: …}`` alone names a source of the graph (here one of data/external/): the
    report writes its claims and nothing about the source, not even bk:addedOn (its claims are
    known from the source's own dates, like the source's other claims); re-adding is a no-op."""
    from rdflib import Graph, URIRef

    report = write(ws, "cni.yaml", """source:
  id: source-cni-2024-10-22-china-sanction-kia
claims:
  - claim: control
    place: Pangwa
    holder: KIA
    observed: 2024-10-22
    quote: China closed down the border trade gates - Laiza, the headquarters of the KIA, Myjayan, Lysen, Hkashan and so on shortly after the KIA captured Panwa Town.
""")
    result = kg(runner, "add", str(report))
    assert "added 1 claim" in result.stdout
    written = ws / "data" / "reports" / "source-cni-2024-10-22-china-sanction-kia.ttl"
    graph = Graph().parse(written)
    source = URIRef(ID + "source-cni-2024-10-22-china-sanction-kia")
    assert not list(graph.predicate_objects(source))  # nothing said about the source itself
    (claim,) = set(graph.subjects(URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), source))
    assert (claim, URIRef(ONTOLOGY + "controller"), URIRef(ID + "kia")) in graph
    before = snapshot(ws / "data")
    assert "nothing to write" in kg(runner, "add", str(report)).stdout
    assert snapshot(ws / "data") == before
    assert kg(runner, "validate").exit_code == 0
    unknown = write(ws, "unknown.yaml", "source:\n  id: source-no-such-report\nclaims: []\n")
    refused = kg(runner, "add", str(unknown), code=1)
    assert "unknown.yaml:2: source: no source 'source-no-such-report' in the graph" in refused.stderr


def test_reports_added_together_may_name_what_another_declares(ws: Path, runner: CliRunner) -> None:
    """One kg add of several reports declares every report's entities first: a report may name
    an entity that a later report of the same batch declares, and its labels use that name."""
    first = write(ws, "a.yaml", REPORT_HEAD.format(title="Example Town falls", slug="a", published="2025-10-17") + """claims:
  - claim: control
    place: Example Town
    holder: Myanmar military
    from: 2025-10-16
    quote: The junta took Example Town on October 16.
""")
    second = write(ws, "b.yaml", REPORT_HEAD.format(title="Example Town", slug="b", published="2024-10-16") + """entities:
  - id: example-town
    type: town
    name: Example Town
    part of: northern Shan State
claims:
  - claim: control
    place: Example Town
    holder: TNLA
    from: 2024-10-15
    quote: The TNLA took Example Town.
""")
    alone = kg(runner, "add", str(first), "--dry-run", code=1)
    assert "a.yaml:9: place:" in alone.stderr  # on its own, the name is unknown
    result = kg(runner, "add", str(first), str(second))
    assert "Myanmar military holds Example Town from 2025-10-16" in result.stdout
    assert "Example Town, held by: no report → Myanmar military (full control), since 2025-10-16" in result.stdout


# ---------------------------------------------------------------------------- problems


def test_an_unknown_name_fails_with_a_suggestion_and_writes_nothing(ws: Path, runner: CliRunner) -> None:
    report = write(ws, "typo.yaml", REPORT_HEAD.format(title="T", slug="t", published="2025-03-01") + """claims:
  - claim: control
    place: Kanpikety crossing
    holder: KIA
    from: 2025-03-01
    quote: x
""")
    before = snapshot(ws)
    result = kg(runner, "add", str(report), code=1)
    assert f"{report}:9: place: no entity named 'Kanpikety crossing'. Did you mean: Kanpiketi crossing" in result.stderr
    assert "nothing was written" in result.stderr
    assert snapshot(ws) == before


def test_an_invalid_report_leaves_every_graph_file_byte_identical(ws: Path, runner: CliRunner) -> None:
    kg(runner, "add", str(write(ws, "bni.yaml", (EXAMPLES / "bni-2024-12-kan-paik-ti.yaml").read_text())))
    report = write(ws, "bad.yaml", REPORT_HEAD.format(title="Bad", slug="bad", published="2025-03-01") + """claims:
  - claim: control
    place: Muse
    holder: KIA
    from: 2025-03-01
    until: 2025-02-01
    quote: The KIA held Muse briefly.
""")
    before = snapshot(ws)
    result = kg(runner, "add", str(report), code=1)
    lines = result.stderr.splitlines()
    assert f"{report}:11: Start date (bk:validFrom) is after end date (bk:validUntil)" in lines  # SHACL
    assert f"{report}:8: Claims whose interval is empty or reversed (claim-interval-violation)" in lines  # query
    assert snapshot(ws) == before
    worded = write(ws, "ajar.yaml", REPORT_HEAD.format(title="Ajar", slug="a", published="2025-03-01") + """claims:
  - claim: status
    crossing: Muse crossing
    status: ajar
    by: China
    from: 2025-03-01
    quote: y
""")
    before = snapshot(ws)
    result = kg(runner, "add", str(worded), code=1)
    assert result.stderr.startswith(f"{worded}:10: crossing status: unknown value 'ajar' (one of: closed, open, "
                                    "partially open, unknown)")
    assert snapshot(ws) == before


def test_a_report_that_is_not_yaml_is_exit_2_with_its_line(ws: Path, runner: CliRunner) -> None:
    report = write(ws, "broken.yaml", "source:\n  title: [unclosed\n")
    result = kg(runner, "add", str(report), code=2)
    assert result.stderr.startswith(f"error: {report}: line ") and len(result.stderr.splitlines()) == 1


def test_the_installed_graph_is_never_written(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy inside the package (a wheel's kg/_resources/) is refused; a checkout is a
    workspace of its own. (tests/test_install.py runs kg add from a real installed wheel.)"""
    from kg import paths, workspace

    with pytest.raises(Exception, match="installed with kg"):
        workspace.writable_data(paths.PACKAGE_DIR / "_resources")
    assert workspace.writable_data(REPO) == REPO / "data"


# ---------------------------------------------------------------------------- concurrency and crashes


def test_two_adds_at_once_both_land(ws: Path, tmp_path: Path) -> None:
    reports = []
    for n in (1, 2):
        reports.append(write(ws, f"r{n}.yaml", REPORT_HEAD.format(title=f"Report {n}", slug=f"r{n}", published=f"2025-0{n}-01")
                             + f"""claims:
  - claim: status
    crossing: Muse crossing
    status: closed
    by: China
    from: 2025-0{n}-01
    quote: Report {n} says it is closed.
"""))
    env = {**os.environ, "BORDER_KG_ROOT": str(ws), "BORDER_KG_CACHE": "never"}
    runs = [subprocess.Popen([sys.executable, "-m", "kg", "add", str(r)], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for r in reports]
    outs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outs
    written = sorted(p.name for p in (ws / "data" / "reports").glob("*.ttl"))
    assert len(written) == 2
    assert not list((ws / "data" / "reports").glob(".*.tmp"))


def test_a_crash_midway_leaves_the_graph_unchanged(ws: Path, runner: CliRunner,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    kg(runner, "add", str(write(ws, "bni.yaml", (EXAMPLES / "bni-2024-12-kan-paik-ti.yaml").read_text())))
    report = write(ws, "bni.yaml", (EXAMPLES / "bni-2024-12-kan-paik-ti.yaml").read_text().replace(
        "published: 2024-12", "published: 2024-12-14"))
    before = snapshot(ws / "data")

    def crash(*_args: object) -> None:
        raise KeyboardInterrupt  # the process dies between writing the new file and renaming it

    monkeypatch.setattr(os, "replace", crash)
    result = runner.invoke(main, ["add", str(report)])
    assert result.exit_code == 130
    assert snapshot(ws / "data") == before


# ---------------------------------------------------------------------------- what it changes


def test_a_contradiction_is_kept_and_reported_as_a_dispute(ws: Path, runner: CliRunner) -> None:
    report = write(ws, "junta.yaml", REPORT_HEAD.format(title="Junta says", slug="j", published="2024-11-25") + """claims:
  - claim: control
    place: Kanpiketi crossing
    holder: Myanmar military
    from: 2024-11-20
    quote: The military says it still holds the Kanpiketi crossing.
""")
    result = kg(runner, "add", str(report))
    assert "Disputes its claims are part of" in result.stdout
    assert "Kanpiketi crossing, control: " in result.stdout
    # a dispute until Myanmar Peace Monitor's report of 13 December 2024 (reports/) has the KIA
    # holding the crossing again
    assert ("full control Myanmar military vs full control Kachin Independence Army from 2024-11-20"
            in result.stdout)
    board = json.loads(kg(runner, "status", "--as-of", "2024-12-01", "--json").stdout)
    kanpiketi = next(c for c in board["crossings"] if c["iri"] == ID + "crossing-kanpiketi")
    assert kanpiketi["control"]["state"] == "disputed" and len(kanpiketi["control"]["answers"]) == 2


def test_a_report_that_ends_an_earlier_claim_changes_the_resolved_status(ws: Path, runner: CliRunner) -> None:
    report = write(ws, "end.yaml", REPORT_HEAD.format(title="Closed again", slug="e", published="2025-12-01") + """claims:
  - claim: status
    crossing: Lwelgel crossing
    status: closed
    by: China
    from: 2025-11-20
    supersedes: bkr:claim-bni-status-crossing-lweje-reopened-2025
    quote: China closed the Lwelgel gate again on November 20.
""")
    dry = kg(runner, "add", str(report), "--dry-run")
    assert "Lwelgel crossing, open/closed: partially open" in dry.stdout
    assert "→ closed, by China, since 2025-11-20" in dry.stdout
    assert not (ws / "data" / "reports").exists() or not list((ws / "data" / "reports").glob("*.ttl"))
    kg(runner, "add", str(report))
    board = json.loads(kg(runner, "status", "--json").stdout)
    lweje = next(c for c in board["crossings"] if c["iri"] == ID + "crossing-lweje")
    assert lweje["status"]["answers"][0]["value"]["label"] == "closed"
    claims = json.loads(kg(runner, "status", "--claims", "--json").stdout)["claims"]
    reopened = next(c for c in claims if c["claim"] == ID + "claim-bni-status-crossing-lweje-reopened-2025")
    assert reopened["fate"] == "superseded"


def test_the_dry_run_shows_the_change_and_writes_nothing(ws: Path, runner: CliRunner) -> None:
    report = write(ws, "open.yaml", REPORT_HEAD.format(title="Muse open", slug="m", published="2025-06-01") + """claims:
  - claim: status
    crossing: Muse crossing
    status: open
    by: China
    from: 2025-06-01
    quote: The Muse gate is open again.
""")
    before = snapshot(ws)
    result = kg(runner, "add", str(report), "--dry-run")
    assert "would add 1 claim" in result.stdout
    assert "Muse crossing, open/closed: " in result.stdout and "→ open, by China, since 2025-06-01" in result.stdout
    assert snapshot(ws) == before


def test_known_at_uses_the_day_a_report_was_added(ws: Path, runner: CliRunner) -> None:
    import datetime as dt

    report = write(ws, "open.yaml", REPORT_HEAD.format(title="Muse open", slug="m", published="2020-06-01") + """claims:
  - claim: status
    crossing: Muse crossing
    status: open
    by: China
    from: 2020-06-01
    quote: The Muse gate is open.
""")
    kg(runner, "add", str(report))
    today = dt.date.today().isoformat()
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    def muse(known_at: str) -> dict:
        board = json.loads(kg(runner, "status", "--as-of", "2020-07-01", "--known-at", known_at, "--json").stdout)
        return next(c for c in board["crossings"] if c["iri"] == ID + "crossing-muse")["status"]
    assert muse(yesterday)["state"] == "none"  # published in 2020, but added only today
    assert muse(today)["answers"][0]["value"]["label"] == "open"


# ---------------------------------------------------------------------------- workspaces


def test_a_workspace_is_found_from_a_folder_inside_it(tmp_path: Path, runner: CliRunner,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "ws"
    kg(runner, "init", str(folder))
    assert sorted(p.name for p in folder.iterdir()) == [".gitignore", "border-kg.toml", "data", "reports"]
    inside = folder / "reports"
    monkeypatch.delenv("BORDER_KG_ROOT", raising=False)
    monkeypatch.chdir(inside)
    stats = json.loads(kg(runner, "stats", "--json").stdout)
    assert Path(stats["root"]) == folder.resolve() and stats["root_from"] == "found from the current folder"
    assert stats["triples"] > 3000  # the shipped dataset is included
    again = kg(runner, "init", str(folder), code=2)
    assert "already a workspace" in again.stderr


def test_a_workspace_without_the_shipped_data_is_only_its_own(empty_ws: Path, runner: CliRunner) -> None:
    result = kg(runner, "status", code=2)
    assert "no .ttl files in data/" in result.stderr
    kg(runner, "add", str(EXAMPLES / "bni-2024-12-kan-paik-ti.yaml"), code=1)  # names it needs are not there


def test_a_malformed_workspace_file_names_its_line(tmp_path: Path, runner: CliRunner,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "ws"
    kg(runner, "init", str(folder))
    (folder / "border-kg.toml").write_text("[graph]\nshipped_data = maybe\n")
    monkeypatch.setenv("BORDER_KG_ROOT", str(folder))
    result = kg(runner, "status", code=2)
    assert "border-kg.toml:2:16: Invalid value" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------------------- the schema


def test_the_committed_schema_is_the_generated_one(runner: CliRunner) -> None:
    assert kg(runner, "add", "--schema").stdout == (EXAMPLES / "report.schema.json").read_text()


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_the_examples_follow_the_schema(example: str) -> None:
    import jsonschema

    from kg.report_yaml import load

    schema = json.loads((EXAMPLES / "report.schema.json").read_text())
    document = load((EXAMPLES / example).read_text()).plain()
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(document), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
