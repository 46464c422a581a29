"""The resolution rules (kg/resolution.py), the derived triples (kg/derived.py) and the resolved
answers people read, each rule on its own small case worked out by hand.

Two levels: the pure rules on :class:`Claim` values, then the made-up world of
``tests/fixtures/queries/resolution/world.ttl`` (one crossing per rule) read through the lookups,
``--known-at`` and the horizons setting. The library queries over the same world are checked
row by row against ``tests/fixtures/queries/expected/resolution/`` by tests/test_queries.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import derived, lookup, paths, store
from kg.namespaces import ID, VOCAB
from kg.resolution import EXPIRED, STATED, SUPERSEDED, Claim, evidence_score, rank_sides, resolve

HERE = Path(__file__).parent
WORLD = HERE / "fixtures" / "queries" / "resolution" / "world.ttl"
HORIZONS = {"control": 365, "presence": 365, "status": 90, "alignment": 365}


def claim(iri: str, value: str, start: str | None = None, *, observed: bool = False, end: str | None = None,
          bound: bool = False, aspect: str = "control", reported: str | None = None, evidence: int = 0) -> Claim:
    return Claim(iri=iri, aspect=aspect, subject="x", value=(value,), start=start, start_precision="p",
                 observed=observed, end=end, end_precision="e", end_is_bound=bound,
                 reported=reported or start, reported_precision="r", evidence=evidence)


def ends_of(*claims: Claim) -> dict[str, tuple[str | None, str | None, str | None]]:
    return {e.claim: (e.until, e.reason, e.superseded_by) for e in resolve(claims, HORIZONS).ends}


# ---------------------------------------------------------------------------- the rules, pure


def test_rule_1_a_later_claim_of_another_value_supersedes_an_open_ended_one() -> None:
    assert ends_of(claim("a", "G", "2024-03-01"), claim("b", "B", "2024-06-01")) == {
        "a": ("2024-06-01", SUPERSEDED, "b"), "b": (None, None, None)}


def test_rule_1_a_stated_end_stands_but_an_upper_bound_gives_way() -> None:
    stated = ends_of(claim("a", "G", "2024-03-01", end="2024-07-01"), claim("b", "B", "2024-06-01"))
    assert stated["a"] == ("2024-07-01", STATED, None)  # overlapping: a dispute, not a supersession
    bounded = ends_of(claim("a", "G", "2024-03-01", end="2024-07-01", bound=True), claim("b", "B", "2024-06-01"))
    assert bounded["a"] == ("2024-06-01", SUPERSEDED, "b")
    earlier = ends_of(claim("a", "G", "2024-03-01", end="2024-05-01", bound=True), claim("b", "B", "2024-06-01"))
    assert earlier["a"] == ("2024-05-01", STATED, None)


def test_rule_1_a_claim_that_says_it_ends_an_earlier_one_ends_it_whatever_its_value() -> None:
    ended = Claim(iri="b", aspect="control", subject="x", value=("G",), start="2024-06-01", supersedes=("a",))
    found = ends_of(claim("a", "G", "2024-03-01", end="2024-12-01"), ended)
    assert found["a"] == ("2024-06-01", SUPERSEDED, "b")  # same value, stated end later: still ended


def test_rule_1_a_claim_without_start_comes_first_and_same_day_claims_do_not_supersede() -> None:
    found = ends_of(claim("old", "J"), claim("a", "G", "2024-03-01"), claim("b", "B", "2024-03-01"))
    assert found["old"] == ("2024-03-01", SUPERSEDED, "a")  # the first by IRI among same-day claims
    assert found["a"] == (None, None, None) and found["b"] == (None, None, None)


def test_rule_1_a_later_claim_of_the_same_value_confirms_into_one_period() -> None:
    result = resolve([claim("a", "G", "2024-03-01"), claim("b", "G", "2024-06-10", observed=True)], HORIZONS)
    (period,) = result.periods
    assert (period.start, period.until, period.last_reported) == ("2024-03-01", None, "2024-06-10")
    assert period.claims == ["a", "b"] and period.last_reported_by == "b"


def test_rule_2_an_observation_counts_for_its_horizon_then_expires() -> None:
    found = ends_of(claim("seen", "Closed", "2024-03-05", observed=True, aspect="status"))
    assert found["seen"] == ("2024-06-03", EXPIRED, None)  # 90 days
    superseded = ends_of(claim("seen", "Closed", "2024-03-05", observed=True, aspect="status"),
                         claim("open", "Open", "2024-04-01", aspect="status"))
    assert superseded["seen"] == ("2024-04-01", SUPERSEDED, "open")


def test_rule_2_observations_within_the_horizon_join_and_gaps_split() -> None:
    joined = resolve([claim("a", "G", "2024-01-01", observed=True), claim("b", "G", "2024-11-01", observed=True)],
                     HORIZONS).periods
    assert [(p.start, p.until) for p in joined] == [("2024-01-01", "2025-11-01")]
    split = resolve([claim("a", "G", "2024-01-01", observed=True), claim("b", "G", "2025-06-01", observed=True)],
                    HORIZONS).periods
    assert [(p.start, p.until) for p in split] == [("2024-01-01", "2024-12-31"), ("2025-06-01", "2026-06-01")]


def test_rule_3_sides_of_a_dispute_rank_by_report_then_evidence_then_iri() -> None:
    periods = resolve([claim("g", "G", "2024-06-01", reported="2024-06-10", evidence=235),
                       claim("b", "B", "2024-06-01", reported="2024-06-10", evidence=223),
                       claim("h", "H", "2024-06-01", reported="2024-09-01", evidence=100),
                       claim("k", "K", "2024-06-01", reported="2024-06-10", evidence=223)], HORIZONS).periods
    ranked = [p.claims[0] for p in rank_sides(periods)]
    assert ranked[:2] == ["h", "g"]  # the latest report, then the strongest evidence
    tied = sorted((p for p in periods if p.claims[0] in "bk"), key=lambda p: p.iri)
    assert ranked[2:] == [p.claims[0] for p in tied]  # a full tie: by the periods' IRIs


def test_evidence_score_orders_basis_then_attribution_then_quality() -> None:
    stated_partisan_blog = evidence_score(2, 1, 1)
    inferred_named_publisher = evidence_score(1, 3, 5)
    assert stated_partisan_blog > inferred_named_publisher
    assert evidence_score(2, 3, 1) > evidence_score(2, 2, 5) > evidence_score(2, 2, 4)


def test_resolution_is_deterministic_whatever_the_input_order() -> None:
    claims = [claim("a", "G", "2024-03-01"), claim("b", "B", "2024-06-01"), claim("c", "G", "2024-06-01"),
              claim("d", "B", "2024-02-01", observed=True)]
    first, second = resolve(claims, HORIZONS), resolve(list(reversed(claims)), HORIZONS)
    assert first.ends == second.ends and first.periods == second.periods


# ---------------------------------------------------------------------------- the made-up world


def world_files() -> list[Path]:
    return [f for f in paths.turtle_files("ontology") if f.name != paths.SHAPES_FILE] + [WORLD]


def board(as_of: str, known_at: str | None = None) -> dict[str, dict]:
    graph = lookup.Graph(store=store.open_store(world_files(), known_at), known_at=known_at)
    return {c["iri"].removeprefix(ID + "res-crossing-"): c for c in lookup.status_board(graph, as_of)["crossings"]}


def summary(aspect_result: dict) -> list[tuple]:
    """(state, rank, holders or imposer, value, since, until, last reported) per answer."""
    return [(aspect_result["state"], a["rank"], tuple(w["iri"].removeprefix(ID) for w in a["who"]),
             a["value"]["iri"].removeprefix(VOCAB) if a["value"] else None, a["since"], a["until"],
             a["last_reported"]) for a in aspect_result["answers"]]


def test_world_conforms_to_the_shapes() -> None:
    from kg.validation import validate

    outcome = validate([WORLD])
    assert outcome.conforms and not outcome.results, [r.message for r in outcome.results]


def test_supersession_by_another_source() -> None:
    assert summary(board("2024-05-01")["supersede"]["control"]) == [
        ("resolved", 1, ("group-g",), "FullControl", "2024-03-01", "2024-06-01", "2024-03-05")]
    assert summary(board("2024-07-01")["supersede"]["control"]) == [
        ("resolved", 1, ("army-b",), "FullControl", "2024-06-01", "", "2024-06-10")]


def test_confirmation_merges_into_one_answer() -> None:
    assert summary(board("2024-07-01")["confirm"]["control"]) == [
        ("resolved", 1, ("group-g",), "FullControl", "2024-03-01", "", "2024-06-10")]


def test_observation_horizon_then_unknown() -> None:
    assert summary(board("2024-04-01")["expire"]["status"]) == [
        ("resolved", 1, ("alpha",), "Closed", "2024-03-05", "2024-06-03", "2024-03-05")]
    later = board("2024-07-01")["expire"]["status"]
    assert summary(later) == [("unknown", None, ("alpha",), "Closed", "2024-03-05", "2024-06-03", "2024-03-05")]
    assert later["answers"][0]["since_kind"] == "reported"


def test_a_genuine_dispute_with_its_ranking() -> None:
    assert summary(board("2024-07-01")["dispute"]["control"]) == [
        ("disputed", 1, ("group-h",), "FullControl", "2024-06-01", "", "2024-09-01"),
        ("disputed", 2, ("group-g",), "FullControl", "2024-06-01", "", "2024-06-10"),
        ("disputed", 3, ("army-b",), "FullControl", "2024-06-01", "", "2024-06-10")]


def test_a_not_before_bound() -> None:
    assert summary(board("2024-11-15")["bound"]["status"]) == [
        ("resolved", 1, ("alpha",), "Open", "2024-11", ">=2024-11-20", ">=2024-11-24")]
    assert summary(board("2024-11-20")["bound"]["status"]) == [
        ("resolved", 1, ("alpha",), "Closed", ">=2024-11-20", "", ">=2024-11-24")]


def test_a_partial_opening_with_its_qualifiers() -> None:
    during = board("2024-06-15")["partial"]["status"]
    assert summary(during) == [("resolved", 1, ("alpha",), "PartiallyOpen", "2024-06-01", "2024-07-01", "2024-06-10")]
    quals = during["answers"][0]["qualifiers"]
    assert [q["iri"] for q in quals["into"]] == [ID + "beta"]
    assert [q["iri"] for q in quals["traffic"]] == [VOCAB + "Goods"]
    assert [q["iri"] for q in quals["commodities"]] == [VOCAB + "Fuel"]
    assert [q["iri"] for q in quals["conditions"]] == [VOCAB + "TrialPeriod"]
    assert quals["detail"] == ["for an initial period of one month"]
    after = board("2024-07-15")["partial"]["status"]
    assert summary(after)[0][:4] == ("unknown", None, ("alpha",), "PartiallyOpen")


def test_known_at_uses_only_sources_known_then() -> None:
    everything = summary(board("2024-10-01")["known"]["control"])
    assert everything[0][2] == ("army-b",)
    before_added = summary(board("2024-10-01", known_at="2024-10-01")["known"]["control"])
    assert before_added == [("resolved", 1, ("group-g",), "FullControl", "2024-03-01", "", "2024-03-05")]
    once_added = summary(board("2024-10-01", known_at="2024-12-01")["known"]["control"])
    assert once_added == everything


def test_contested_is_one_answer_and_presence_is_its_own_aspect() -> None:
    now = board("2024-07-01")
    assert summary(now["contested"]["control"]) == [
        ("resolved", 1, ("army-b", "group-g"), "Contested", "2024-06-01", "", "2024-06-10")]
    assert summary(now["presence"]["control"])[0][2] == ("group-g",)
    assert summary(now["presence"]["presence"])[0][:4] == ("resolved", 1, ("army-b",), "Presence")


def test_explained_claims_say_what_became_of_each() -> None:
    graph = lookup.Graph(store=store.open_store(world_files()))
    claims = {c["claim"].removeprefix(ID): c for c in
              lookup.explained_claims(graph, ID + "res-crossing-supersede", "2024-07-01", [lookup.BK + "place"])}
    assert claims["res-supersede-g"]["fate"] == "superseded"
    assert claims["res-supersede-g"]["superseded_by"]["iri"] == ID + "res-supersede-b"
    assert claims["res-supersede-g"]["superseded_by"]["sources"] == [ID + "res-source-b"]
    assert claims["res-supersede-b"]["fate"] == "counts"
    early = lookup.explained_claims(graph, ID + "res-crossing-supersede", "2024-05-01", [lookup.BK + "place"])
    assert [(c["claim"].removeprefix(ID), c["fate"]) for c in early] == [("res-supersede-g", "counts")]


def test_horizons_are_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    assert summary(board("2024-04-10")["expire"]["status"])[0][:2] == ("resolved", 1)
    monkeypatch.setenv(derived.HORIZONS_VARIABLE, "status=30")
    shorter = summary(board("2024-04-10")["expire"]["status"])
    assert shorter[0][0] == "unknown" and shorter[0][5] == "2024-04-04"


@pytest.mark.parametrize("bad", ["status", "status=soon", "weather=10", "control=-1"])
def test_a_malformed_horizon_setting_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch, kg_tree: Path,
                                                          runner: CliRunner, bad: str) -> None:
    from kg.cli import main

    monkeypatch.setenv(derived.HORIZONS_VARIABLE, bad)
    result = runner.invoke(main, ["status"])
    assert result.exit_code == 2  # could not run (kg.errors)
    assert "BORDER_KG_HORIZONS" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# ---------------------------------------------------------------------------- the derived triples


def test_derived_triples_conform_to_their_shape_and_rebuild_identically() -> None:
    """The build is deterministic and its output is valid: periods checked by bksh:ResolvedPeriodShape."""
    from rdflib import Graph

    from kg.rdf_io import load_merged_graph, load_shapes
    from kg.validation import validate_graph

    first = store.resolution_ntriples()
    assert first == store.resolution_ntriples()
    assert b"ResolvedPeriod" in first
    graph = load_merged_graph()
    graph += Graph().parse(data=first, format="nt")
    outcome = validate_graph(graph, load_shapes())
    assert outcome.conforms, [(r.focus_node, r.message) for r in outcome.results if r.severity == "Violation"]


def test_the_store_cache_key_follows_the_resolution_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    files = paths.graph_files()
    base = store.fingerprint(files)
    monkeypatch.setenv(derived.HORIZONS_VARIABLE, "status=60")
    assert store.fingerprint(files) != base
    monkeypatch.setattr(derived, "RESOLUTION_VERSION", "test")
    monkeypatch.delenv(derived.HORIZONS_VARIABLE)
    assert store.fingerprint(files) != base


def test_export_includes_the_derived_triples(runner: CliRunner) -> None:
    from kg.cli import main

    result = runner.invoke(main, ["export", "--format", "nt"])
    assert result.exit_code == 0, result.output
    derived_lines = set(store.resolution_ntriples().decode().splitlines())
    assert derived_lines and derived_lines <= set(result.stdout.splitlines())
