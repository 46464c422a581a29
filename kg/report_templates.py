"""The starting file ``kg add --template`` prints and ``kg init`` puts in ``reports/``.

It is a complete, real report (BNI, 2024-12, the Kan Paik Ti reopening; every quote verbatim from
the publisher's page), annotated line by line, so the first thing an analyst writes already
passes ``kg add``. A test adds it to a workspace.
"""

TEMPLATE = """\
# yaml-language-server: $schema=report.schema.json
#
# A border-kg report: one source, and what it says, written with names (kg add REPORT).
# Fields are the ontology's properties by their labels ("results from", "in support of") or a
# short alias (from, until, observed, status, by, holder, level, goods, conditions, name, also).
# Names resolve like kg crossing NAME does: aliases, accents and case do not matter; a name
# the graph does not know is declared under entities:, or kg add suggests the closest.
# Dates are written as kg shows them: 2024-12-13 (day), 2024-12 (month), 2024 (year),
# early-/mid-/late-2024-12 (part of a month), <=2024-12-31 (on or before), >=2024-12-01
# (on or after); the precision follows from the form. Nothing is written while any line is
# wrong: kg add prints each problem with its line. kg add --dry-run shows what would change.

source:
  id: source-bni-kan-paik-ti-reopens-2024-12    # optional: the IRI is bkr:<id>; else minted
  type: news article                            # or: web page (then give accessed:)
  title: China reopens border crossing to Kan Paik Ti in Kachin State
  publisher: Burma News International
  published: 2024-12                            # the page gives the month
  url: https://bnionline.net/en/news/china-reopens-border-crossing-kan-paik-ti-kachin-state
  quality: publisher's own page                 # syndicated copy | mirror or proxy | forum repost | blog
  language: en

# entities: things the graph does not know yet, so that events and claims can name them.
# - id: sin-kyaing
#   type: village
#   name: Sin Kyaing
#   also: [Sinkyaing]
#   part of: Kachin State
#   on route to: Kanpiketi

events:
  - id: event-bni-china-reopens-kan-paik-ti-2024-12-13   # optional, as for the source
    type: border reopening              # capture, border closure, talks, handover of persons…
    date: 2024-12-13
    agent: China
    location: Kan Paik Ti crossing
    quote: The Chinese reopened the border crossing to Kan Paik Ti in Waingmaw Township, Kachin State on 13 December 2024, after closing it on 22 October 2024.
    # attribution and basis default to the publisher's own reporting, stated

claims:
  - claim: status                       # control | status | alignment | trade figure | commodity flow | assessment
    crossing: Kan Paik Ti crossing
    status: partially open              # open | partially open | closed | unknown
    by: China                           # who keeps it so
    direction: into Myanmar             # the only direction allowed
    traffic: [goods, vehicles]
    conditions: [limited goods]         # limited goods | restricted hours | trial period | quota
    condition detail: only allowing a limited number of goods to enter Myanmar following thorough inspections
    from: 2024-12-13
    results from: event-bni-china-reopens-kan-paik-ti-2024-12-13
    attribution: unnamed sources        # "according to a resident of Myitkyina City"
    quote:
      - Though the Chinese have reopened the border crossing they are only allowing a limited number of goods to enter Myanmar following thorough inspections, according to a resident of Myitkyina City, the Kachin State capital.
      - The Chinese authorities are conducting inspections and allowing only a limited number of small vehicles through the border trading post [into Myanmar].

  - claim: control
    place: Kanpiketi                    # the town
    holder: KIA
    level: full control
    from: 2024-11-20
    quote: A KIA and people's defence force (PDF) coalition seized control of Kan Paik Ti Town on 20 November.
    # supersedes: <id or IRI of an earlier claim this report ends>
    # date inferred: how a date was worked out (the year of "on 20 November")
"""
