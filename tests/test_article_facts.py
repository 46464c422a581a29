"""The seed article's facts, checked one by one against the article-only graph.

Each entry names a fact of the article (people, places, dates, numbers, sources) and an ASK
query that holds only if the graph records it. The article's text is archived in the repository,
``data/archive/source-irrawaddy-2024-11-kia-kanpiketi.txt`` (its URL and retrieval note beside it,
in ``.meta``), so the tests need nothing outside the repository. The graph loaded
here leaves out ``data/external/``, so these facts must come from the article alone.
"""

from __future__ import annotations

from pathlib import Path

import re

import pytest
import rdflib

from kg import paths
from kg.namespaces import ONTOLOGY, sparql_prologue

REPO_ROOT = Path(__file__).resolve().parents[1]
SEED_ARTICLE = REPO_ROOT / "data" / "archive" / "source-irrawaddy-2024-11-kia-kanpiketi.txt"
ARTICLE = "bkr:source-irrawaddy-2024-11-kia-kanpiketi"

#: (fact as the article gives it, ASK pattern that must hold in the article-only graph)
ARTICLE_FACTS: list[tuple[str, str]] = [
    # --- the source
    ("The Irrawaddy published the article no earlier than 2024-11-24: it reports Saturday"
     " (2024-11-23) as past",
     f"{ARTICLE} a bk:NewsArticle ; dcterms:publisher/skos:prefLabel 'The Irrawaddy'@en ;"
     " dcterms:issued '2024-11-24'^^xsd:date ; bk:issuedPrecision bkv:NotBefore ;"
     " bk:dateInferred true ; bk:inferenceNote ?n ; bk:url ?u ."),
    # --- people and posts
    ("Wang Yi is China's foreign minister",
     "?p a bk:Post ; bk:holder bkr:wang-yi ; bk:postIn/bk:partOfOrganization bkr:china ."
     " bkr:wang-yi skos:prefLabel 'Wang Yi'@en ."),
    ("Deng Xijun is China's special envoy",
     "?p a bk:Post ; bk:holder bkr:deng-xijun ; bk:postIn bkr:china ; skos:prefLabel ?l ."
     " FILTER(CONTAINS(LCASE(STR(?l)), 'special envoy'))"),
    # --- actors and alignments
    ("The KIA, TNLA, MNDAA and UWSA are ethnic armies",
     "bkr:kia a bk:EthnicArmedOrganization . bkr:tnla a bk:EthnicArmedOrganization ."
     " bkr:mndaa a bk:EthnicArmedOrganization . bkr:uwsa a bk:EthnicArmedOrganization ."),
    ("The Border Guard Force is junta-aligned",
     "?c a bk:AlignmentClaim ; bk:actor bkr:bgf ; bk:alignment bkv:JuntaAligned ."),
    ("The NUG is a civilian parallel government",
     "bkr:nug a bk:ParallelGovernment ; skos:prefLabel 'National Unity Government'@en ."),
    ("The PLA is China's",
     "bkr:pla a bk:StateArmedForce ; bk:partOfOrganization bkr:china ."),
    ("The junta-run Commerce Ministry is a body of the regime",
     "bkr:junta-commerce-ministry a bk:GovernmentBody ; bk:partOfOrganization bkr:myanmar-military ."),
    # --- places
    ("Muse is in northern Shan State",
     "bkr:muse bk:partOf bkr:northern-shan-state . bkr:northern-shan-state bk:partOf bkr:shan-state ."),
    ("The Man Wein gate at Muse borders Jiegao in Yunnan",
     "bkr:gate-man-wein bk:partOfCrossing bkr:crossing-muse ; bk:hasSide ?cn ."
     " ?cn bk:sideSettlement bkr:jiegao ; bk:sideCountry bkr:china . bkr:jiegao bk:partOf bkr:yunnan ."),
    ("The article only says the gate is where the handover 'in Muse' took place: its being part of"
     " the Muse crossing is inferred, with a note",
     "bkr:gate-man-wein bk:basis bkv:InferredFromText ; bk:inferenceNote ?n ;"
     " bk:quote ?q . FILTER(CONTAINS(?q, 'in Muse'))"),
    ("Myitkyina is the capital of Kachin State",
     "bkr:myitkyina bk:capitalOf bkr:kachin-state ."),
    ("Sin Kyaing is a village on the road to Kanpiketi",
     "bkr:sin-kyaing a bk:Village ; bk:onRouteTo bkr:kanpiketi ."),
    ("The KIA's headquarters is at Laiza",
     "bkr:kia bk:headquarters ?hq . ?hq bk:locatedAt bkr:laiza ."),
    ("Pangwa is the site of rare earth mines",
     "?m a bk:Mine ; bk:locatedAt bkr:pangwa ; bk:produces bkv:RareEarths ."),
    ("The five official crossings, with their regions",
     "bkr:crossing-lweje a bk:OfficialBorderCrossing ; bk:hasSide/bk:sideRegion bkr:kachin-state ."
     " bkr:crossing-kanpiketi a bk:OfficialBorderCrossing ; bk:hasSide/bk:sideRegion bkr:kachin-state ."
     " bkr:crossing-muse a bk:OfficialBorderCrossing ; bk:hasSide/bk:sideRegion bkr:northern-shan-state ."
     " bkr:crossing-chinshwehaw a bk:OfficialBorderCrossing ; bk:hasSide/bk:sideRegion bkr:northern-shan-state ."
     " bkr:crossing-kengtung-mongla a bk:OfficialBorderCrossing ; bk:hasSide/bk:sideRegion bkr:eastern-shan-state ."),
    ("Smaller gates at Pangwa, Laiza and Maijayang",
     "bkr:gate-pangwa a bk:MinorBorderGate . bkr:gate-laiza a bk:MinorBorderGate ."
     " bkr:gate-maijayang a bk:MinorBorderGate ."),
    ("Both spellings of Lweje the article uses",
     "bkr:crossing-lweje skos:prefLabel|skos:altLabel 'Lwelgel'@en, 'Lweljel'@en ."),
    # --- events, dates, numbers
    ("The KIA captured Kanpiketi on November 20 (2024); the capture's quote names no goods",
     "?e bk:eventType bkv:Capture ; bk:agent bkr:kia ; bk:location bkr:kanpiketi ;"
     " bk:date '2024-11-20'^^xsd:date ; bk:datePrecision bkv:Day ."
     " FILTER NOT EXISTS { ?e bk:commodity ?c }"),
    ("302 soldiers handed back by PLA officers at the Man Wein gate, on Saturday (inferred 2024-11-23)",
     "?e bk:eventType bkv:HandoverOfPersons ; bk:agent bkr:pla ; bk:recipient bkr:myanmar-military ;"
     " bk:location bkr:gate-man-wein ; bk:date '2024-11-23'^^xsd:date ; bk:dateInferred true ;"
     " bk:quantity [ bk:numericValue 302.0 ; bk:unit bkv:Soldiers ; bk:exactness bkv:Exact ] ."),
    ("'Over 300' soldiers in the first sentence: more than 300, not at least 300",
     "?e bk:quantity [ bk:numericValue 300.0 ; bk:exactness bkv:MoreThan ;"
     " bk:quantityText 'Over 300 junta soldiers' ] ."),
    ("Hundreds of junta troops fled to China, according to sources ('hundreds': at least 200, noted)",
     "?e bk:eventType bkv:CrossBorderFlight ; bk:origin bkr:kanpiketi ; bk:destination bkr:china ;"
     " bk:attribution bkv:UnnamedSources ; bk:quantity ?q . ?q bk:quantityText 'Hundreds of junta troops' ;"
     " bk:numericValue 200.0 ; bk:exactness bkv:AtLeast ; bk:inferenceNote ?n ."),
    ("The KIA cut off Kanpiketi in June after capturing Sadone",
     "?cut bk:eventType bkv:Encirclement ; bk:location bkr:kanpiketi ; bk:date '2024-06-01'^^xsd:date ;"
     " bk:datePrecision bkv:Month ; bk:after ?sadone . ?sadone bk:eventType bkv:Capture ; bk:location bkr:sadone ."),
    ("The KIA temporarily halted its advance amid Chinese pressure, before the mid-October attack"
     " (so no later than 2024-10-20)",
     "?e bk:eventType bkv:HaltOfAdvance ; bk:agent bkr:kia ; bk:date '2024-10-20'^^xsd:date ;"
     " bk:datePrecision bkv:NotAfter . ?p bk:eventType bkv:Pressure ;"
     " bk:agent bkr:china ; bk:target bkr:kia ."),
    ("In mid-October the KIA attacked the BGF at Sin Kyaing, a source close to the KIA said",
     "?e bk:eventType bkv:Attack ; bk:agent bkr:kia ; bk:target bkr:bgf ; bk:location bkr:sin-kyaing ;"
     " bk:date '2024-10-11'^^xsd:date ; bk:datePrecision bkv:MidMonth ; bk:attribution bkv:SourceCloseToKIA ."),
    ("Junta and BGF officers fled over the border; junior officers and soldiers joined the retreat",
     "?f bk:eventType bkv:CrossBorderFlight ; bk:agent bkr:bgf, bkr:myanmar-military ."
     " ?r bk:eventType bkv:Retreat ; bk:after ?f ."),
    ("Weapons seized in Kanpiketi moved to the Laiza headquarters (the goods are on this event)",
     "?e bk:eventType bkv:WeaponsTransfer ; bk:origin bkr:kanpiketi ; bk:destination bkr:laiza-headquarters ;"
     " bk:commodity bkv:Weapons ."),
    ("China sent Wang Yi to Naypyitaw in August (2024), then held a live-fire drill",
     "?v bk:eventType bkv:DiplomaticVisit ; bk:participant bkr:wang-yi ; bk:destination bkr:naypyitaw ;"
     " bk:date '2024-08-01'^^xsd:date ; bk:datePrecision bkv:Month . ?d bk:eventType bkv:MilitaryDrill ;"
     " bk:agent bkr:china ; bk:after ?v ."),
    ("China closed crossings, cutting off food and fuel to ethnic armies",
     "?e bk:eventType bkv:BorderClosure ; bk:agent bkr:china ; bk:commodity bkv:Food, bkv:Fuel ."
     " ?food a bk:CommodityFlowClaim ; bk:commodity bkv:Food ; bk:flowStatus bkv:CutOff ."
     " ?fuel a bk:CommodityFlowClaim ; bk:commodity bkv:Fuel ; bk:flowStatus bkv:CutOff ."),
    ("Deng Xijun negotiated with the KIA, TNLA, MNDAA and UWSA",
     "?a bk:eventType bkv:Negotiation ; bk:participant bkr:deng-xijun ; bk:target bkr:kia ."
     " ?b bk:eventType bkv:Negotiation ; bk:participant bkr:deng-xijun ; bk:target bkr:tnla ."
     " ?c bk:eventType bkv:Negotiation ; bk:participant bkr:deng-xijun ; bk:target bkr:mndaa ."
     " ?d bk:eventType bkv:Negotiation ; bk:participant bkr:deng-xijun ; bk:target bkr:uwsa ."),
    ("The talks with the KIA ended in a heated dispute, sources said: only the outcome is"
     " attributed to the sources, the talks are the publisher's reporting",
     "?e bk:eventType bkv:Negotiation ; bk:target bkr:kia ; bk:outcome bkv:HeatedDispute ;"
     " bk:attribution bkv:UnnamedSources ; bk:about ?talks ."
     " ?talks bk:eventType bkv:Negotiation ; bk:participant bkr:deng-xijun ; bk:target bkr:kia ;"
     " bk:attribution bkv:PublisherReporting ."
     " FILTER NOT EXISTS { ?talks bk:outcome ?o }"
     " FILTER NOT EXISTS { ?x bk:outcome bkv:HeatedDispute ; bk:attribution ?a ."
     " FILTER(?a != bkv:UnnamedSources) }"),
    ("China threatened the TNLA with punitive action",
     "?e bk:eventType bkv:Threat ; bk:agent bkr:china ; bk:target bkr:tnla ; bk:demand ?d ."),
    ("The MNDAA announced, under Chinese pressure, it would cease fighting and shun the NUG",
     "?a bk:eventType bkv:CeasefireAnnouncement ; bk:agent bkr:mndaa ; bk:about bkr:nug ; bk:respondsTo ?p ."
     " ?p bk:eventType bkv:Pressure ; bk:agent bkr:china ; bk:target bkr:mndaa ."),
    ("China presses the MNDAA to return Lashio; the MNDAA holds Lashio",
     "?e bk:eventType bkv:Pressure ; bk:target bkr:mndaa ; bk:location bkr:lashio ."
     " ?c a bk:ControlClaim ; bk:place bkr:lashio ; bk:controller bkr:mndaa ; bk:basis bkv:InferredFromText ."),
    ("China closed crossings with KIA territory except Pangwa",
     "?e bk:eventType bkv:BorderClosure ; bk:target bkr:kia . ?open a bk:CrossingStatusClaim ;"
     " bk:crossing bkr:gate-pangwa ; bk:crossingStatus bkv:Open ; bk:imposedBy bkr:china ."),
    ("China reopened Kanpiketi earlier this month, then closed it again following the KIA's"
     " advance (captured November 20): the closure starts no earlier than 2024-11-20",
     "?r bk:eventType bkv:BorderReopening ; bk:location bkr:crossing-kanpiketi ; bk:date '2024-11-01'^^xsd:date ;"
     " bk:datePrecision bkv:Month ."
     " ?c bk:eventType bkv:BorderClosure ; bk:location bkr:crossing-kanpiketi ; bk:after ?r ;"
     " bk:date '2024-11-20'^^xsd:date ; bk:datePrecision bkv:NotBefore ."
     " ?s a bk:CrossingStatusClaim ; bk:crossing bkr:crossing-kanpiketi ; bk:crossingStatus bkv:Closed ;"
     " bk:imposedBy bkr:china ; bk:validFrom '2024-11-20'^^xsd:date ; bk:validFromPrecision bkv:NotBefore ;"
     " bk:dateInferred true ; bk:inferenceNote ?n ."
     " ?o a bk:CrossingStatusClaim ; bk:crossing bkr:crossing-kanpiketi ; bk:crossingStatus bkv:Open ;"
     " bk:validFrom '2024-11-01'^^xsd:date ; bk:validFromPrecision bkv:Month ."),
    ("The KIA invited China to talks on cross-border trade",
     "?e bk:eventType bkv:Invitation ; bk:agent bkr:kia ; bk:recipient bkr:china ."),
    ("US$52 million of trade through Kanpiketi in January-April 2024, per the junta Commerce Ministry"
     " (last day 30 April; the claim's exclusive end is 1 May)",
     "?t a bk:TradeFigureClaim ; bk:crossing bkr:crossing-kanpiketi ; bk:periodStart '2024-01-01'^^xsd:date ;"
     " bk:periodEnd '2024-04-30'^^xsd:date ; bk:validFrom '2024-01-01'^^xsd:date ;"
     " bk:validUntil '2024-05-01'^^xsd:date ; bk:reportedBy bkr:junta-commerce-ministry ;"
     " bk:attribution bkv:JuntaGovernmentFigures ;"
     " bk:quantity [ bk:numericValue 52000000.0 ; bk:unit bkv:USD ] ."),
    ("China wants jade, timber and rare earths through the Kachin crossings (an analyst)",
     "?j bk:commodity bkv:Jade ; bk:flowStatus bkv:SoughtImport . ?t bk:commodity bkv:Timber ;"
     " bk:flowStatus bkv:SoughtImport . ?r bk:commodity bkv:RareEarths ; bk:flowStatus bkv:SoughtImport ."),
    # --- status claims
    ("The KIA holds Kanpiketi from 2024-11-20; the junta held it until then",
     "?k a bk:ControlClaim ; bk:place bkr:crossing-kanpiketi ; bk:controller bkr:kia ;"
     " bk:validFrom '2024-11-20'^^xsd:date . ?j a bk:ControlClaim ; bk:place bkr:crossing-kanpiketi ;"
     " bk:controller bkr:myanmar-military ; bk:validUntil '2024-11-20'^^xsd:date ."),
    ("The KIA holds Lweljel and nine smaller gates",
     "?c a bk:ControlClaim ; bk:place bkr:crossing-lweje ; bk:controller bkr:kia ."
     " ?e bk:quantity [ bk:numericValue 9.0 ; bk:unit bkv:Gates ] ."),
    ("The KIA holds most of Kachin State except Myitkyina",
     "?c a bk:ControlClaim ; bk:place bkr:kachin-state ; bk:controller bkr:kia ;"
     " bk:controlLevel bkv:MostlyControlled ."),
    ("The KIA holds rare earth mines near the Chinese border",
     "?c a bk:ControlClaim ; bk:place ?m ; bk:controller bkr:kia . ?m a bk:Mine ; bk:produces bkv:RareEarths ."),
    # --- attributed opinions
    ("A military analyst: the KIA is not under China's influence",
     "?a a bk:Assessment ; bk:attribution bkv:MilitaryAnalyst ; bk:about bkr:kia ."),
    ("Political analysts: China will have to negotiate with the KIA",
     "?a a bk:Assessment ; bk:attribution bkv:PoliticalAnalysts ; bk:assessmentKind bkv:Forecast ."),
    ("An analyst: China must sell its goods to the KIA",
     "?a a bk:Assessment ; bk:attribution bkv:UnnamedAnalyst ; bk:about bkr:kia ."),
    ("Most official crossings are held by anti-regime groups but closed by China for the regime",
     "?a a bk:Assessment ; bk:inSupportOf bkr:myanmar-military ; bk:about bkr:crossing-muse ."),
]


@pytest.fixture(scope="module")
def article_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in paths.graph_files(include_external=False):
        graph.parse(path, format="turtle")
    return graph


@pytest.mark.parametrize(("fact", "pattern"), ARTICLE_FACTS, ids=[f for f, _ in ARTICLE_FACTS])
def test_article_fact_is_in_the_graph(article_graph: rdflib.Graph, fact: str, pattern: str) -> None:
    query = sparql_prologue() + "ASK { " + pattern + " }"
    assert article_graph.query(query).askAnswer, f"missing from the graph: {fact}"


def test_every_claim_and_event_has_a_source(article_graph: rdflib.Graph) -> None:
    unsourced = article_graph.query(sparql_prologue() + """
        SELECT ?x WHERE {
          { ?x a bk:Event } UNION { ?x a ?c . ?c rdfs:subClassOf* bk:Claim }
          FILTER NOT EXISTS { ?x prov:wasDerivedFrom ?s . ?s a ?k . ?k rdfs:subClassOf* bk:Source }
        }""")
    assert [row.x for row in unsourced] == []


def test_the_archived_article_says_where_it_comes_from() -> None:
    meta = SEED_ARTICLE.with_suffix(".meta").read_text(encoding="utf-8")
    assert "url: https://www.irrawaddy.com/news/burma/china-hands-back-300-myanmar-junta-troops-who-fled-border-town-seized-by-kia.html" in meta
    assert "retrieved: copy of the article text provided with the project's seed, retrieved 2026" in meta
    from kg.quotes import archive_file

    assert archive_file(ARTICLE.replace("bkr:", "https://w3id.org/border-kg/id/")) == SEED_ARTICLE


def test_every_quote_is_verbatim_from_the_article(article_graph: rdflib.Graph) -> None:
    assert SEED_ARTICLE.is_file(), f"the archived article is expected at {SEED_ARTICLE}"
    article = SEED_ARTICLE.read_text(encoding="utf-8")
    quoted = article_graph.query(sparql_prologue() + f"""
        SELECT ?x ?q WHERE {{ ?x bk:quote ?q ; prov:wasDerivedFrom {ARTICLE} }}""")
    quotes = [(str(row.x), str(row.q)) for row in quoted]
    assert len(quotes) > 50
    assert [(x, q) for x, q in quotes if q not in article] == []


def test_every_article_sentence_is_quoted_somewhere(article_graph: rdflib.Graph) -> None:
    """Nothing left out: each sentence of the article supports at least one node."""
    article = SEED_ARTICLE.read_text(encoding="utf-8")
    quotes = " ".join(str(q) for q in article_graph.objects(None, rdflib.URIRef(ONTOLOGY + "quote")))
    sentences = [s.strip() for line in article.splitlines() for s in split_sentences(line)]
    assert len(sentences) == 29
    missing = [s for s in sentences if s not in quotes]
    assert missing == []


def test_now_statements_start_no_earlier_than_the_issue_date(article_graph: rdflib.Graph) -> None:
    """What the article reports as so 'now' (who holds what, what is closed, what analysts say)
    is observed at its publication: no earlier than its issue date, 2024-11-24, not in late
    November (which would put it before the handover of Saturday 2024-11-23 it reports)."""
    rows = article_graph.query(sparql_prologue() + f"""
        SELECT ?x ?d ?p WHERE {{
          ?x prov:wasDerivedFrom {ARTICLE} ; bk:observedOn ?d ; bk:observedOnPrecision ?p .
        }}""")
    at_article = [(str(r.x), str(r.d), str(r.p)) for r in rows
                  if str(r.p).endswith("/NotBefore")]
    others = sorted((str(r.x).rsplit("/", 1)[-1], str(r.d)) for r in rows
                    if not str(r.p).endswith("/NotBefore"))
    assert len(at_article) == 22
    assert {d for _, d, _ in at_article} == {"2024-11-24"}
    # the only observations not at the article are dated by the events the article reports
    assert others == [("claim-alignment-bgf", "2024-10-11"),
                      ("claim-control-crossing-muse-junta", "2024-11-23"),
                      ("claim-control-gate-man-wein-junta", "2024-11-23")]
    leftovers = article_graph.query(sparql_prologue() + """
        ASK { { ?x bk:observedOnPrecision bkv:LateMonth } UNION { ?x bk:datePrecision bkv:LateMonth }
              UNION { ?x bk:issuedPrecision bkv:LateMonth } }""")
    assert not leftovers.askAnswer


def split_sentences(line: str) -> list[str]:
    """Split a paragraph into sentences (a new one starts after . ! ? before a capital or “)."""
    return [part for part in re.split(r"(?<=[.!?”])\s+(?=[A-Z“])", line) if part]


def test_the_article_only_graph_conforms_to_the_shapes() -> None:
    """Leaving data/external/ out must still give a valid graph (warnings allowed)."""
    from kg import validation

    article_data = [p for p in paths.graph_files(include_external=False) if p.parent.name != "ontology"]
    outcome = validation.validate(article_data)
    assert [r for r in outcome.results if r.severity == "Violation"] == []
    assert outcome.conforms
