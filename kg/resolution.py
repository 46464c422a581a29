"""Claims, then resolution: the rules that turn time-scoped, sourced claims into what people read.

The claims stay exactly as recorded. This module derives, for every subject (a place, a crossing,
an actor) and aspect (``control``: who holds it; ``presence``: who was seen there; ``status``:
open, partially open or closed and by whom; ``alignment``: an actor's stance), when each claim stops counting and the **periods**
the claims add up to. It is pure Python over plain values, so the same rules serve the build
step that writes the derived triples (:mod:`kg.derived`), ``--known-at`` views and the tests.

The rules (the README's "How the status is resolved" says the same for users):

1. **Supersession.** A claim with no end, or whose end is only an upper bound (``NotAfter``),
   ends where a later claim on the same subject and aspect with a different value starts: it is
   superseded by that claim. A claim whose source says it ends an earlier one (``supersedes``)
   ends that one where it starts, whatever their values and stated ends. "Later" means a strictly later start; claims without a start come
   first. A later claim with the *same* value confirms: their times join into one period, "since
   <first start>, last reported <latest report>".
2. **Observations are points.** A claim seen once (``observedOn``) counts from that day for the
   aspect's horizon (``horizons``: days), unless it is superseded first; a later report of the
   same value extends the period. After that the answer is unknown, "last reported D".
3. **Disagreement.** Claims of different values whose times still overlap after rule 1 (they
   start on the same day, or one has a stated end past the other's start) make periods that
   overlap: a dispute. Its sides are ranked by recency of report, then :func:`evidence_score`
   (basis, attribution, source quality), then IRI.
4. **Bounds both ways.** Dates are compared as stored: the first day of the period a precision
   denotes, the bound itself for ``NotAfter`` (on or before) and ``NotBefore`` (on or after).

Dates are ISO ``YYYY-MM-DD`` strings (they sort as dates); ``None`` is "no date".
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.namespaces import ID

#: ``presence`` holds control claims of level "presence" (an actor seen at a place, such as a
#: ceremony): it neither supersedes nor disputes who holds the place
ASPECTS = ("control", "presence", "status", "alignment")
STATED, SUPERSEDED, EXPIRED = "stated", "superseded", "expired"
_REASON_WEIGHT = {SUPERSEDED: 2, STATED: 1, EXPIRED: 0, None: -1}


@dataclass(frozen=True)
class Claim:
    """What the rules need to know of one claim."""

    iri: str
    aspect: str
    subject: str
    #: two claims agree when their values are equal (control: holder and level, or only
    #: "contested"; status: status, imposer and qualifiers; alignment: alignment and towards)
    value: tuple[str, ...]
    start: str | None = None
    start_precision: str | None = None
    #: the start is an observation (``observedOn``), not the beginning of an interval
    observed: bool = False
    end: str | None = None
    end_precision: str | None = None
    #: the end is only an upper bound (``NotAfter``): a later claim may end it sooner
    end_is_bound: bool = False
    #: the latest day a source reported it (observation or publication), with its precision
    reported: str | None = None
    reported_precision: str | None = None
    evidence: int = 0
    #: the actors the value names (the controller of a control claim), for contested periods
    holders: tuple[str, ...] = ()
    #: earlier claims its source says it ends (``bk:supersedes``), whatever their values
    supersedes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClaimEnd:
    """When and why a claim stops counting (``until`` None: it still counts)."""

    claim: str
    until: str | None
    until_precision: str | None
    reason: str | None
    superseded_by: str | None = None


@dataclass
class Period:
    """A stretch of time over which one subject has one value for one aspect."""

    iri: str
    aspect: str
    subject: str
    value: tuple[str, ...]
    claims: list[str]
    start: str | None
    start_precision: str | None
    start_observed: bool
    until: str | None
    until_precision: str | None
    reason: str | None
    ended_by: str | None
    last_reported: str | None
    last_reported_precision: str | None
    last_reported_by: str | None
    evidence: int
    holders: list[str] = field(default_factory=list)

    def covers(self, day: str) -> bool:
        """Whether the period holds on ``day``: start <= day < until."""
        return (self.start is None or self.start <= day) and (self.until is None or day < self.until)


@dataclass
class Resolution:
    ends: list[ClaimEnd]
    periods: list[Period]


def evidence_score(basis: int, attribution: int, quality: int) -> int:
    """One number for how strong a claim's evidence is, each part from 0 (unknown) to 9:
    basis (stated 2, inferred 1), attribution (named 3, unnamed 2, partisan 1), source quality
    (publisher's page 5 … blog 1). Higher is stronger; compared after recency."""
    return max(0, min(basis, 9)) * 100 + max(0, min(attribution, 9)) * 10 + max(0, min(quality, 9))


def resolve(claims: Iterable[Claim], horizons: dict[str, int]) -> Resolution:
    """Apply the rules to every (aspect, subject) group of ``claims``; deterministic."""
    groups: dict[tuple[str, str], list[Claim]] = {}
    for claim in claims:
        groups.setdefault((claim.aspect, claim.subject), []).append(claim)
    ends: list[ClaimEnd] = []
    periods: list[Period] = []
    for (aspect, _subject), members in sorted(groups.items()):
        group_ends = _claim_ends(members, horizons.get(aspect, 0))
        ends.extend(group_ends[c.iri] for c in sorted(members, key=lambda c: c.iri))
        periods.extend(_periods(members, group_ends))
    return Resolution(ends, periods)


def _claim_ends(claims: list[Claim], horizon: int) -> dict[str, ClaimEnd]:
    """Rules 1 and 2 for one subject and aspect."""
    ordered = sorted(claims, key=lambda c: (c.start or "", c.iri))
    ended_by: dict[str, list[Claim]] = {}
    for claim in ordered:
        for earlier in claim.supersedes:
            ended_by.setdefault(earlier, []).append(claim)
    found: dict[str, ClaimEnd] = {}
    for index, claim in enumerate(ordered):
        # (date, order, reason, superseded by, precision): the earliest wins; on a tie the
        # stated end, then supersession, then expiry
        candidates: list[tuple[str, int, str, str | None, str | None]] = []
        for later in ended_by.get(claim.iri, []):
            if later.start is not None:  # said to end it: from its start, or at once if earlier
                day = max(later.start, claim.start or later.start)
                candidates.append((day, 1, SUPERSEDED, later.iri, later.start_precision))
        if claim.end is not None:
            candidates.append((claim.end, 0, STATED, None, claim.end_precision))
        if claim.end is None or claim.end_is_bound:
            later = _next_different(ordered, index)
            if later is not None and (claim.end is None or later.start < claim.end):  # type: ignore[operator]
                candidates.append((later.start, 1, SUPERSEDED, later.iri, later.start_precision))  # type: ignore[arg-type]
        if claim.observed and claim.end is None and claim.start is not None:
            candidates.append((_add_days(claim.start, horizon), 2, EXPIRED, None, None))
        if candidates:
            until, _, reason, by, precision = min(candidates, key=lambda c: (c[0], c[1]))
            found[claim.iri] = ClaimEnd(claim.iri, until, precision, reason, by)
        else:
            found[claim.iri] = ClaimEnd(claim.iri, None, None, None)
    return found


def _next_different(ordered: list[Claim], index: int) -> Claim | None:
    """The first claim after ``ordered[index]`` that starts strictly later with another value."""
    claim = ordered[index]
    for later in ordered[index + 1:]:
        if later.start is None or (claim.start is not None and later.start <= claim.start):
            continue
        if later.value != claim.value:
            return later
    return None


def _periods(claims: list[Claim], ends: dict[str, ClaimEnd]) -> list[Period]:
    """Same-value claims whose times overlap or touch, joined (confirmation)."""
    by_value: dict[tuple[str, ...], list[Claim]] = {}
    for claim in claims:
        by_value.setdefault(claim.value, []).append(claim)
    periods: list[Period] = []
    for _value, members in sorted(by_value.items()):
        members.sort(key=lambda c: (c.start or "", c.iri))
        run: list[Claim] = []
        run_until: str | None = ""  # "" = no run yet; None = open-ended
        for claim in members:
            until = ends[claim.iri].until
            if run and (run_until is None or claim.start is None or claim.start <= run_until):
                run.append(claim)
                run_until = None if (run_until is None or until is None) else max(run_until, until)
                continue
            if run:
                periods.append(_period(run, ends))
            run, run_until = [claim], until
        if run:
            periods.append(_period(run, ends))
    return periods


def _period(run: list[Claim], ends: dict[str, ClaimEnd]) -> Period:
    first = min(run, key=lambda c: (c.start is not None, c.start or "", c.iri))
    open_ended = [c for c in run if ends[c.iri].until is None]
    # on a tie, the end that says most: superseded (names the claim that ended it), stated, expired
    last = None if open_ended else max(run, key=lambda c: (ends[c.iri].until, _REASON_WEIGHT[ends[c.iri].reason], c.iri))
    reported = [c for c in run if c.reported is not None]
    latest = max(reported, key=lambda c: (c.reported, c.iri)) if reported else None
    end = ends[last.iri] if last is not None else None
    aspect, subject, value = first.aspect, first.subject, first.value
    digest = hashlib.sha256("\x1f".join((aspect, subject, *value, first.iri)).encode()).hexdigest()[:16]
    return Period(
        iri=f"{ID}period-{digest}",
        aspect=aspect,
        subject=subject,
        value=value,
        claims=sorted(c.iri for c in run),
        start=first.start,
        start_precision=first.start_precision,
        start_observed=first.observed,
        until=end.until if end else None,
        until_precision=end.until_precision if end else None,
        reason=end.reason if end else None,
        ended_by=end.superseded_by if end else None,
        last_reported=latest.reported if latest else None,
        last_reported_precision=latest.reported_precision if latest else None,
        last_reported_by=latest.iri if latest else None,
        evidence=max(c.evidence for c in run),
        holders=sorted({h for c in run for h in c.holders}),
    )


def _add_days(iso: str, days: int) -> str:
    try:
        return (_dt.date.fromisoformat(iso) + _dt.timedelta(days=days)).isoformat()
    except (ValueError, OverflowError):
        return "9999-12-31"


def rank_sides(periods: Iterable[Period]) -> list[Period]:
    """The sides of a dispute, strongest first: latest report, then evidence, then IRI."""
    by_iri = sorted(periods, key=lambda p: p.iri)
    return sorted(by_iri, key=lambda p: (p.last_reported or "", p.evidence), reverse=True)
