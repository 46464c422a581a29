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
