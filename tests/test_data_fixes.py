"""Data fixes of issue 8 on facts from other sources (data/external/), one check per fix.

The seed article's own fixes are in the fact table of ``test_article_facts.py``. Each entry here
names what was wrong and holds an ASK query that is true only once it is fixed, run on the whole
shipped graph.
"""

from __future__ import annotations

import pytest
import rdflib

from kg import paths
from kg.namespaces import sparql_prologue

#: (what was wrong, ASK pattern that holds only when it is fixed)
FIXES: list[tuple[str, str]] = [
    ("A forum repost has the KIA seize Lweje in 'early 2025'; it fell in April 2024: deprecated, with"
     " the reason",
     "bkr:claim-control-lweje-kia-aseannow bk:rank bkv:DeprecatedRank ; bk:deprecationReason ?why ;"
     " prov:wasDerivedFrom/bk:sourceQuality bkv:ForumRepost ."
     " FILTER(CONTAINS(?why, 'April 2024'))"),
    ("Wikipedia dates only the hill's capture (April 1, 2024); control of Lweje town followed: a lower"
     " bound, not that day",
     "bkr:claim-control-lweje-kia-wikipedia bk:validFrom '2024-04-01'^^xsd:date ;"
     " bk:validFromPrecision bkv:NotBefore ; bk:dateInferred true ; bk:inferenceNote ?n ."
     " bkr:claim-control-crossing-lweje-kia-wikipedia bk:validFrom '2024-04-01'^^xsd:date ;"
     " bk:validFromPrecision bkv:NotBefore ."
     " FILTER NOT EXISTS { ?c bk:place ?p ; bk:validFrom '2024-04-01'^^xsd:date ;"
     " bk:validFromPrecision bkv:Day . VALUES ?p { bkr:lweje bkr:crossing-lweje } }"),
    ("BNI: the MNDAA gained Chinshwehaw 'since October 27, when Operation 1027 commenced': on or"
     " after 2023-10-27, not on that day",
     "bkr:claim-control-chinshwehaw-mndaa-bni bk:validFrom '2023-10-27'^^xsd:date ;"
     " bk:validFromPrecision bkv:NotBefore ; bk:inferenceNote ?n ."),
    ("The Chin Shwe Haw reopening of 20 January 2025 lets people cross from China only: partially"
     " open, into Myanmar, for people; not plain open",
     "bkr:claim-bni-status-chinshwehaw-reopened bk:crossingStatus bkv:PartiallyOpen ;"
     " bk:trafficInto bkr:myanmar ; bk:traffic bkv:People ; bk:validFrom '2025-01-20'^^xsd:date ;"
     " bk:quote ?q . FILTER(CONTAINS(?q, 'only being allowed to cross from China'))"
     " FILTER NOT EXISTS { bkr:claim-bni-status-chinshwehaw-reopened bk:crossingStatus bkv:Open }"),
    ("The Myanmar Peace Monitor report of reopenings on 13 December 2024 appeared on or after that"
     " day: its date bound points up, not down",
     "bkr:source-mpm-2024-12-kachin-gates-reopen dcterms:issued '2024-12-13'^^xsd:date ;"
     " bk:issuedPrecision bkv:NotBefore ; bk:inferenceNote ?n ."),
    # --- re-citing copies of Wikipedia to the canonical page, where a copy of it could be read
    ("Muse's state and its bridge to Ruili (Yunnan) cite en.wikipedia.org, not a mirror",
     "bkr:muse prov:wasDerivedFrom bkr:source-web-wp-muse . bkr:ruili prov:wasDerivedFrom bkr:source-web-wp-muse ."
     " bkr:crossing-muse-side-cn prov:wasDerivedFrom bkr:source-web-wp-muse ."
     " FILTER NOT EXISTS { VALUES ?x { bkr:muse bkr:ruili bkr:crossing-muse-side-cn }"
     " ?x prov:wasDerivedFrom bkr:source-web-wp-muse-mirror }"),
    ("Myitkyina, the capital of Kachin State, cites en.wikipedia.org, not an IPFS copy",
     "bkr:myitkyina prov:wasDerivedFrom bkr:source-web-wp-myitkyina ."
     " FILTER NOT EXISTS { bkr:myitkyina prov:wasDerivedFrom bkr:source-web-wp-myitkyina-ipfs }"),
    ("Lashio in northern Shan State cites en.wikipedia.org, not a copy",
     "bkr:lashio prov:wasDerivedFrom bkr:source-web-wp-lashio ."
     " FILTER NOT EXISTS { bkr:lashio prov:wasDerivedFrom bkr:source-web-wp-lashio-copy }"),
    ("Lweje's state and coordinates cite the canonical page (an older revision, same figures)",
     "bkr:lweje prov:wasDerivedFrom bkr:source-web-wp-lweje . bkr:lweje-geometry prov:wasDerivedFrom"
     " bkr:source-web-wp-lweje . FILTER NOT EXISTS { VALUES ?x { bkr:lweje bkr:lweje-geometry }"
     " ?x prov:wasDerivedFrom bkr:source-web-wp-lweje-mirror }"),
    ("Mong La, its coordinates and Dalou/Daluo opposite cite en.wikipedia.org; the 2015 copy is gone",
     "bkr:mongla prov:wasDerivedFrom bkr:source-web-wp-mong-la . bkr:mongla-geometry prov:wasDerivedFrom"
     " bkr:source-web-wp-mong-la . bkr:dalou prov:wasDerivedFrom bkr:source-web-wp-mong-la ;"
     " skos:altLabel 'Daluo'@en . bkr:crossing-kengtung-mongla-side-cn prov:wasDerivedFrom"
     " bkr:source-web-wp-mong-la . FILTER NOT EXISTS { bkr:source-web-wp-mong-la-2015 ?p ?o }"
     " FILTER NOT EXISTS { ?x prov:wasDerivedFrom bkr:source-web-wp-mong-la-2015 }"),
    ("'SAC' and 'State Administration Council' cite en.wikipedia.org; the copy is gone",
     "bkr:myanmar-military prov:wasDerivedFrom bkr:source-web-wp-state-administration-council ."
     " FILTER NOT EXISTS { bkr:source-web-wp-sac ?p ?o }"
     " FILTER NOT EXISTS { ?x prov:wasDerivedFrom bkr:source-web-wp-sac }"),
    ("Every new canonical page is the page read, today, a publisher's page",
     "FILTER NOT EXISTS { VALUES ?s { bkr:source-web-wp-muse bkr:source-web-wp-myitkyina"
     " bkr:source-web-wp-lashio bkr:source-web-wp-mong-la bkr:source-web-wp-state-administration-council }"
     " FILTER NOT EXISTS { ?s bk:sourceQuality bkv:PublisherPage ; bk:accessedOn '2026-11-29'^^xsd:date ;"
     " bk:url ?u . FILTER(STRSTARTS(STR(?u), 'https://en.wikipedia.org/wiki/')) } }"),
    ("A copy still cited (its canonical page could not be read, or lacks what rests on it) is marked"
     " a mirror, says why in a note, and still has something resting on it",
     "FILTER NOT EXISTS { ?s bk:sourceQuality bkv:MirrorOrProxy ."
     " FILTER NOT EXISTS { ?s bk:note ?n . ?x prov:wasDerivedFrom ?s } }"),
    ("Lincang opposite Chin Shwe Haw, a 'prefecture-level city', cites The Irrawaddy's report that"
     " East Coast Daily retells",
     "bkr:lincang prov:wasDerivedFrom bkr:source-web-irrawaddy-rail-line-2021 ."
     " bkr:crossing-chinshwehaw-side-cn prov:wasDerivedFrom bkr:source-web-irrawaddy-rail-line-2021 ."),
    # --- source quality, reviewed page by page (the first pass went by the label)
    ("Copies a named partner carries are syndicated: BNI for its members (NMG, Shan Herald, KNG),"
     " Myanmar Peace Monitor for KNG, KESQ for AP, The Nation for Eleven Media, PressReader",
     "FILTER NOT EXISTS { VALUES ?s { bkr:source-bni-2025-kachin-fuel-tankers"
     " bkr:source-web-bni-mndaa-reopens-chinshwehaw bkr:source-web-bni-pang-war"
     " bkr:source-mpm-2024-12-kachin-gates-reopen bkr:source-web-ap-kanpaiti"
     " bkr:source-nation-2024-mankha-gate bkr:source-web-mmtimes-mai-ja-yang }"
     " FILTER NOT EXISTS { ?s bk:sourceQuality bkv:SyndicatedCopy } }"),
    ("BNI's own reports (no member outlet named) are its own pages",
     "bkr:source-bni-2024-12-kan-paik-ti-reopens bk:sourceQuality bkv:PublisherPage ."
     " bkr:source-bni-2025-01-mndaa-crossings-reopen bk:sourceQuality bkv:PublisherPage ."),
    ("Travel pages: a traveller's notes are a blog; a tour operator's and GoKunming's own articles are"
     " their publishers' pages",
     "bkr:source-web-anyonetrip-ruili bk:sourceQuality bkv:Blog ."
     " bkr:source-web-chinasoultour-ruili bk:sourceQuality bkv:PublisherPage ."
     " bkr:source-gokunming-yunnan-myanmar-borderlands bk:sourceQuality bkv:PublisherPage ."),
    ("Every source has exactly one quality; Wikipedia's own domains are publisher's pages and no"
     " copy on them is called a mirror",
     "FILTER NOT EXISTS { ?s a ?k . ?k rdfs:subClassOf* bk:Source ."
     " FILTER NOT EXISTS { ?s bk:sourceQuality ?q } }"
     " FILTER NOT EXISTS { ?s bk:sourceQuality ?q1, ?q2 . FILTER(?q1 != ?q2) }"
     " FILTER NOT EXISTS { ?s bk:url ?u ; bk:sourceQuality ?q ."
     " FILTER(REGEX(STR(?u), '^https?://(en|en\\\\.m|simple)\\\\.wikipedia\\\\.org/') && ?q != bkv:PublisherPage) }"),
]


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    g = rdflib.Graph()
    for path in paths.graph_files():
        g.parse(path, format="turtle")
    return g


@pytest.mark.parametrize(("fix", "pattern"), FIXES, ids=[f for f, _ in FIXES])
def test_data_fix(graph: rdflib.Graph, fix: str, pattern: str) -> None:
    assert graph.query(sparql_prologue() + "ASK { " + pattern + " }").askAnswer, f"not fixed: {fix}"
