"""Name resolution (:mod:`kg.names`) over the shipped graph: folding, aliases, kinds, ambiguity,
suggestions, search ranking, and names that look like SPARQL."""

from __future__ import annotations

import pytest

from kg.names import Ambiguous, NameIndex, NotFound, key, normalize
from kg.namespaces import ID
from kg.store import open_store


@pytest.fixture(scope="module")
def index() -> NameIndex:
    return NameIndex.from_store(open_store())


# ---------------------------------------------------------------------------- folding


@pytest.mark.parametrize(("text", "expected"), [
    ("Kanpiketi", "kanpiketi"),
    ("  KAN   Paik\tTi ", "kan paik ti"),
    ("Ta’ang", "ta'ang"),          # curly apostrophe
    ("Ta`ang", "ta'ang"),
    ("Kengtung–Mongla", "kengtung-mongla"),  # en dash
    ("Café Sàdône", "cafe sadone"),          # accents
    ("Ｋａｎｐｉｋｅｔｉ", "kanpiketi"),        # full-width (NFKD)
])
def test_normalize_folds_case_accents_quotes_dashes_and_spaces(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_key_ignores_spaces_and_punctuation() -> None:
    assert key("Kan Paik Ti") == key("kanpaikti") == key("KAN-PAIK-TI") == "kanpaikti"
    assert key("Chin Shwe Haw") == key("Chinshwehaw")


# ---------------------------------------------------------------------------- resolve


@pytest.mark.parametrize("name", ["Lwelgel", "Lweljel", "lweje", "LWEJE", "Lwegel", "Lwelgel crossing",
                                  "  lwelgel  "])
def test_every_spelling_of_lweje_finds_the_crossing(index: NameIndex, name: str) -> None:
    assert index.resolve(name, ["crossing"], "crossing").iri == ID + "crossing-lweje"


@pytest.mark.parametrize("name", ["Kan Paik Ti", "kan paik ti", "Kanpaikti", "Kan Pike Ti", "KANPIKETI"])
def test_kan_paik_ti_finds_kanpiketi(index: NameIndex, name: str) -> None:
    assert index.resolve(name, ["crossing"], "crossing").iri == ID + "crossing-kanpiketi"


def test_accents_and_curly_quotes_do_not_matter(index: NameIndex) -> None:
    assert index.resolve("Ta’ang National Liberation Army", ["actor"]).iri == ID + "tnla"
    assert index.resolve("Ta'ang National Liberation Army", ["actor"]).iri == ID + "tnla"
    assert index.resolve("Tá'áng Natíonal Liberation Army", ["actor"]).iri == ID + "tnla"
    assert index.resolve("People’s Liberation Army", ["actor"]).iri == ID + "pla"


def test_each_kind_takes_its_own_kanpiketi_and_muse(index: NameIndex) -> None:
    # the town is a place, the crossing a crossing: the command decides
    assert index.resolve("Kanpiketi", ["crossing"]).iri == ID + "crossing-kanpiketi"
    assert index.resolve("Muse", ["crossing"]).iri == ID + "crossing-muse"
    # a crossing is also a place; the town is the one whose *preferred* label it is
    assert index.resolve("Kanpiketi", ["place"]).iri == ID + "kanpiketi"
    assert index.resolve("Muse", ["place"]).iri == ID + "muse"


def test_a_shared_alternative_label_is_ambiguous(index: NameIndex) -> None:
    with pytest.raises(Ambiguous) as caught:
        index.resolve("Lweje", ["place"], "place")
    iris = {e.iri for e in caught.value.candidates}
    assert iris == {ID + "lweje", ID + "crossing-lweje"}
    message = str(caught.value)
    assert "ambiguous" in message
    for expected in ("bkr:lweje", "bkr:crossing-lweje", "Town", "Official border crossing", "Lweljel"):
        assert expected in message
    with pytest.raises(Ambiguous):
        index.resolve("Kanpaikti", None)


def test_an_iri_or_curie_names_one_entity(index: NameIndex) -> None:
    assert index.resolve("bkr:lweje", ["place"]).iri == ID + "lweje"
    assert index.resolve(ID + "crossing-lweje", ["crossing"]).iri == ID + "crossing-lweje"
    assert index.resolve(f"<{ID}kia>", ["actor"]).iri == ID + "kia"


def test_a_name_of_another_kind_says_what_it_names(index: NameIndex) -> None:
    with pytest.raises(NotFound) as caught:
        index.resolve("Kanpiketi", ["actor"], "actor")
    assert {e.iri for e in caught.value.other_kinds} == {ID + "kanpiketi", ID + "crossing-kanpiketi"}
    assert "no actor named 'Kanpiketi'" in str(caught.value)
    with pytest.raises(NotFound):
        index.resolve("bkr:kanpiketi", ["crossing"], "crossing")


@pytest.mark.parametrize(("typo", "kinds", "expected"), [
    ("Kanpikiti", ["crossing"], "crossing-kanpiketi"),
    ("kanpeketi", ["crossing"], "crossing-kanpiketi"),
    ("Lwelgl", ["crossing"], "crossing-lweje"),
    ("Kachn Independance Army", ["actor"], "kia"),
    ("Myitkina", ["place"], "myitkyina"),
])
def test_a_misspelling_is_not_resolved_but_suggested(index: NameIndex, typo: str, kinds: list[str],
                                                     expected: str) -> None:
    with pytest.raises(NotFound) as caught:
        index.resolve(typo, kinds)
    suggested = [m.entity.iri for m in caught.value.suggestions]
    assert suggested and suggested[0] == ID + expected
    assert "Did you mean" in str(caught.value)


def test_nothing_close_gives_no_suggestions(index: NameIndex) -> None:
    with pytest.raises(NotFound) as caught:
        index.resolve("xyzzy qwerty", ["actor"], "actor")
    assert caught.value.suggestions == []
    with pytest.raises(NotFound):
        index.resolve("   ", ["actor"])


@pytest.mark.parametrize("name", [
    '" } ; DROP ALL ; #',
    "Kanpiketi\" . ?s ?p ?o",
    "x } UNION { ?s ?p ?o }",
    "'; DELETE WHERE { ?s ?p ?o } #",
    "<https://w3id.org/border-kg/id/kia> }",
    "bkr:kia> } #",
    "\\u0022",
])
def test_sparql_syntax_in_a_name_is_only_text(index: NameIndex, name: str) -> None:
    with pytest.raises(NotFound):
        index.resolve(name, ["crossing"], "crossing")
    assert all(m.entity.iri.startswith(ID) for m in index.search(name))


def test_names_with_quotes_match_as_text(index: NameIndex) -> None:
    # an apostrophe inside a real name is part of the name, not syntax
    assert index.resolve("Ta'ang National Liberation Army", ["actor"]).iri == ID + "tnla"
    assert index.resolve('"KIA"', ["actor"]).iri == ID + "kia"  # quotes are punctuation to the key


def test_concepts_are_not_entities(index: NameIndex) -> None:
    assert not any(iri.startswith("https://w3id.org/border-kg/vocab/") for iri in index.entities)


def test_entity_kinds_and_types(index: NameIndex) -> None:
    china = index.entities[ID + "china"]
    assert china.kinds == {"actor", "place"}
    assert china.type_label == "Country, State"
    crossing = index.entities[ID + "crossing-kanpiketi"]
    assert crossing.kinds == {"crossing", "place"}
    assert crossing.label == "Kanpiketi crossing"
    assert "Kan Paik Ti crossing" in crossing.aliases and "Kanpiketi crossing" not in crossing.aliases


# ---------------------------------------------------------------------------- search


def test_search_ranks_whole_names_first(index: NameIndex) -> None:
    found = index.search("kia")
    assert found[0].entity.iri == ID + "kia" and found[0].score == 100 and found[0].how == "exact"
    assert ID + "laiza-headquarters" in [m.entity.iri for m in found]  # "KIA headquarters at Laiza"
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


def test_search_finds_every_entity_with_the_name(index: NameIndex) -> None:
    iris = {m.entity.iri for m in index.search("lweje")}
    assert {ID + "lweje", ID + "crossing-lweje"} <= iris
    assert {m.entity.iri for m in index.search("kan paik")} >= {ID + "kanpiketi", ID + "crossing-kanpiketi"}


def test_search_by_kind_and_with_typos(index: NameIndex) -> None:
    assert {m.entity.iri for m in index.search("Kanpiketi", ["crossing"])} == {ID + "crossing-kanpiketi"}
    fuzzy = index.search("Kanpikiti")
    assert fuzzy and {m.how for m in fuzzy} == {"fuzzy"}
    assert ID + "kanpiketi" in {m.entity.iri for m in fuzzy}
    assert index.search("") == [] and index.search("!!!") == []
