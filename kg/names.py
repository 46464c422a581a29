"""Name resolution: from what a person types to one entity of the graph, in one place.

Every command that takes a NAME goes through :func:`resolve`; ``kg search`` goes through
:func:`search`. The index holds every ``skos:prefLabel`` and ``skos:altLabel`` of the things the
data talks about (actors, places, crossings, posts; not SKOS concepts), read from the store.

Matching is done in Python over that index, never by putting the user's text into SPARQL, so a
name with quotes, braces or SPARQL keywords is just text that matches nothing.

- :func:`normalize` folds case, accents (NFKD, combining marks dropped), curly quotes and dashes
  and runs of spaces; :func:`key` also drops everything but letters and digits, so
  ``Kan Paik Ti``, ``kan-paik-ti`` and ``KANPAIKTI`` are one key.
- An exact match wins: first on the folded label, then on the key. Candidates are restricted
  to the kind the command asks for (a crossing: ``bk:BorderCrossing`` and subclasses; an
  actor: ``bk:Actor``…; a place: ``bk:Place``…). Several left: a name that is the *preferred*
  label of exactly one of them picks it (SKOS allows a shared altLabel, not a shared
  prefLabel); otherwise the name is ambiguous and :class:`Ambiguous` lists every candidate
  (label, type, IRI).
- No exact match: :class:`NotFound` carries the closest names by rapidfuzz's ``WRatio`` (only
  imported on a miss), for "did you mean …".
- A CURIE or IRI (``bkr:crossing-kanpiketi``) names that entity directly: the way out of an
  ambiguity.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.namespaces import ONTOLOGY, PREFIXES

SKOS = PREFIXES["skos"]
RDFS = PREFIXES["rdfs"]

#: command kind -> the class whose instances (through rdfs:subClassOf*) it accepts
KIND_CLASSES: dict[str, str] = {
    "crossing": ONTOLOGY + "BorderCrossing",
    "actor": ONTOLOGY + "Actor",
    "place": ONTOLOGY + "Place",
}

#: characters folded before matching (curly quotes, primes, dashes, odd spaces)
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})

#: suggestions: rapidfuzz WRatio score (0-100) a label needs, and how many entities to offer
SUGGEST_CUTOFF = 75
SUGGEST_LIMIT = 5
#: search: fuzzy matches need this score, and only for queries of at least this many characters
SEARCH_FUZZY_CUTOFF = 80
SEARCH_FUZZY_MIN_LENGTH = 4
#: search: typo matching is skipped over more names than this (it costs ~1 s per million names,
#: in native code that Ctrl-C cannot stop), and done in chunks of this many (Ctrl-C works between)
SEARCH_FUZZY_MAX_NAMES = 250_000
FUZZY_CHUNK = 25_000

#: three simple queries beat one with OPTIONAL property paths (~3 ms against ~25 ms)
LABELS_QUERY = f"""
SELECT ?entity ?property ?label WHERE {{
  VALUES ?property {{ <{SKOS}prefLabel> <{SKOS}altLabel> }}
  ?entity ?property ?label .
  FILTER (isIRI(?entity))
}}"""
#: the types of labelled entities only (not of every typed node: 0.72 -> 0.21 s at 1M triples)
TYPES_QUERY = f"""
SELECT DISTINCT ?entity ?type WHERE {{ ?entity <{SKOS}prefLabel>|<{SKOS}altLabel> ?label ; a ?type }}"""
CLASSES_QUERY = f"""
SELECT ?class ?label ?kind WHERE {{
  {{ ?class <{RDFS}label> ?label FILTER (LANGMATCHES(LANG(?label), "en")) }}
  UNION
  {{ VALUES ?kind {{ {" ".join(f"<{c}>" for c in KIND_CLASSES.values())} }}
     ?class <{RDFS}subClassOf>* ?kind }}
}}"""
#: entities of these types are vocabulary, not things the data talks about
_NOT_ENTITIES = {SKOS + "Concept", SKOS + "ConceptScheme"}


_NOT_ALNUM_ASCII = re.compile(r"[^a-z0-9]+")


def normalize(text: str) -> str:
    """Case-, accent-, quote- and dash-folded text with single spaces."""
    if text.isascii():  # the same result, four times faster (most labels)
        return " ".join(text.replace("`", "'").lower().split())
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.translate(_FOLD).casefold().split())


def key(text: str) -> str:
    """The exact-match key: :func:`normalize` keeping only letters and digits."""
    folded = normalize(text)
    if folded.isascii():
        return _NOT_ALNUM_ASCII.sub("", folded)
    return "".join(c for c in folded if c.isalnum())


@dataclass
class Entity:
    """A named thing of the graph."""

    iri: str
    pref_labels: list[tuple[str, str | None]] = field(default_factory=list)  # (text, lang)
    alt_labels: list[tuple[str, str | None]] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)  # type IRI -> label ("" if none)
    kinds: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        """The English preferred label, else any preferred label, else an alternative one."""
        for labels in (self.pref_labels, self.alt_labels):
            english = [text for text, lang in labels if (lang or "").lower().startswith("en")]
            if english:
                return sorted(english)[0]
            if labels:
                return sorted(text for text, _ in labels)[0]
        return self.iri

    @property
    def aliases(self) -> list[str]:
        """Every other label (preferred ones in other languages first), sorted, no repeats."""
        seen = {self.label}
        out: list[str] = []
        others = sorted(t for t, _ in self.pref_labels) + sorted(t for t, _ in self.alt_labels)
        for text in others:
            if text not in seen:
                seen.add(text)
                out.append(text)
        return out

    @property
    def type_label(self) -> str:
        """The asserted types, as their labels (``State, Country``)."""
        names = sorted(label or compact_iri(iri) for iri, label in self.types.items())
        return ", ".join(names) if names else "Thing"

    def is_kind(self, kinds: Iterable[str] | None) -> bool:
        return kinds is None or bool(self.kinds.intersection(kinds))

    def summary(self) -> dict[str, Any]:
        return {"iri": self.iri, "label": self.label, "type": self.type_label}


@dataclass(frozen=True)
class Match:
    """An entity found by a search, with the label that matched and a 0-100 score."""

    entity: Entity
    matched: str
    score: int
    how: str  # "exact", "prefix", "word", "substring", "fuzzy"


class ResolveError(Exception):
    """A name that does not resolve to one entity. ``str()`` is the message for people."""


class NotFound(ResolveError):
    def __init__(self, name: str, what: str, suggestions: list[Match],
                 other_kinds: list[Entity] | None = None) -> None:
        self.name = name
        self.what = what
        self.suggestions = suggestions
        self.other_kinds = other_kinds or []
        lines = [f"no {what} named {name!r}."]
        if self.other_kinds:
            lines[0] += " That name belongs to:"
            lines += [f"  {e.label}  ({e.type_label})  {compact_iri(e.iri)}" for e in self.other_kinds]
        elif suggestions:
            lines[0] += " Did you mean:"
            for match in suggestions:
                alias = f" [as {match.matched!r}]" if key(match.matched) != key(match.entity.label) else ""
                lines.append(f"  {match.entity.label}{alias}  ({match.entity.type_label})  "
                             f"{compact_iri(match.entity.iri)}")
        else:
            lines[0] += " (kg search TEXT lists names that contain some text)"
        super().__init__("\n".join(lines))


class Ambiguous(ResolveError):
    def __init__(self, name: str, what: str, candidates: list[Entity]) -> None:
        self.name = name
        self.what = what
        self.candidates = candidates
        lines = [f"{name!r} is ambiguous: {len(candidates)} {what} candidates have that name. "
                 "Give the IRI of the one you mean:"]
        lines += [f"  {e.label}  ({e.type_label})  {compact_iri(e.iri)}" for e in candidates]
        super().__init__("\n".join(lines))


def compact_iri(iri: str) -> str:
    """``bkr:kia`` for IRIs under a project prefix (the longest namespace wins)."""
    best = ""
    for name, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = name
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


def _as_iri(text: str) -> str | None:
    """The IRI a CURIE (``bkr:kia``) or ``<IRI>`` / ``https://…`` names, else None."""
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    if value.startswith(("http://", "https://")):
        return value
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and local and " " not in local:
        return PREFIXES[prefix] + local
    return None


class NameIndex:
    """Every named entity, and a key -> entities map for exact matches."""

    def __init__(self, entities: dict[str, Entity]) -> None:
        self.entities = entities
        #: key -> [(entity, label, is_pref)], and the same by normalized label (spaces kept)
        self.by_key: dict[str, list[tuple[Entity, str, bool]]] = {}
        self.by_normal: dict[str, list[tuple[Entity, str, bool]]] = {}
        #: (normalized label, entity, label) for fuzzy and substring matching, and each one's key
        self.labels: list[tuple[str, Entity, str]] = []
        self.keys: list[str] = []
        #: what the last search left out, for people (typo matching skipped on a huge graph)
        self.note = ""
        for entity in entities.values():
            for labels, is_pref in ((entity.pref_labels, True), (entity.alt_labels, False)):
                for text, _lang in labels:
                    folded = normalize(text)
                    k = _NOT_ALNUM_ASCII.sub("", folded) if folded.isascii() else key(text)
                    if k:
                        self.by_key.setdefault(k, []).append((entity, text, is_pref))
                        self.by_normal.setdefault(folded, []).append((entity, text, is_pref))
                    self.labels.append((folded, entity, text))
                    self.keys.append(k)

    @classmethod
    def from_store(cls, store: Any) -> NameIndex:
        """The index of ``store``: its cached table when it is the on-disk store
        (:func:`kg.store.cached_table`), else read from its labels and types."""
        from kg.store import cached_table

        rows = cached_table(store, "names")
        return cls.from_rows(rows) if rows is not None else cls.read(store)

    @classmethod
    def from_rows(cls, rows: list[list[Any]]) -> NameIndex:
        """The index from :func:`index_rows`: ``[iri, pref labels, alt labels, types, kinds]``."""
        return cls({iri: Entity(iri, [tuple(p) for p in pref], [tuple(a) for a in alt], dict(types), set(kinds))
                    for iri, pref, alt, types, kinds in rows})

    @classmethod
    def read(cls, store: Any) -> NameIndex:
        """The index read from ``store``'s labels and types (the table's builder)."""
        import pyoxigraph

        entities: dict[str, Entity] = {}
        # reading the label triples directly costs half of LABELS_QUERY's solutions (measured:
        # 600k labels of an on-disk store, ~6 s against ~12 s)
        for property_iri in (SKOS + "prefLabel", SKOS + "altLabel"):
            is_pref = property_iri == SKOS + "prefLabel"
            for quad in store.quads_for_pattern(None, pyoxigraph.NamedNode(property_iri), None):
                subject, label = quad.subject, quad.object
                if not isinstance(subject, pyoxigraph.NamedNode) or not isinstance(label, pyoxigraph.Literal):
                    continue
                entity = entities.setdefault(subject.value, Entity(subject.value))
                pair = (label.value, label.language)
                target = entity.pref_labels if is_pref else entity.alt_labels
                if pair not in target:
                    target.append(pair)
        class_labels: dict[str, str] = {}
        class_kinds: dict[str, set[str]] = {}
        kind_names = {iri: name for name, iri in KIND_CLASSES.items()}
        for row in store.query(CLASSES_QUERY):
            if row["label"] is not None:
                class_labels.setdefault(row["class"].value, row["label"].value)
            if row["kind"] is not None:
                class_kinds.setdefault(row["class"].value, set()).add(kind_names[row["kind"].value])
        vocabulary: set[str] = set()
        for row in store.query(TYPES_QUERY):
            entity = entities.get(row["entity"].value)
            if entity is None:
                continue
            type_iri = row["type"].value
            if type_iri in _NOT_ENTITIES:
                vocabulary.add(entity.iri)
            entity.types[type_iri] = class_labels.get(type_iri, "")
            entity.kinds.update(class_kinds.get(type_iri, ()))
        for iri in vocabulary:
            del entities[iri]
        return cls(entities)

    # ------------------------------------------------------------------ resolve

    def resolve(self, name: str, kinds: Sequence[str] | None = None, what: str = "entity") -> Entity:
        """The one entity ``name`` means among ``kinds`` (None: any kind).

        Raises :class:`NotFound` (with suggestions) or :class:`Ambiguous` (with candidates).
        """
        if not name.strip():
            raise NotFound(name, what, [])
        iri = _as_iri(name)
        if iri is not None and iri in self.entities:
            entity = self.entities[iri]
            if entity.is_kind(kinds):
                return entity
            raise NotFound(name, what, [], [entity])
        close = self.by_normal.get(normalize(name), [])
        hits = self.by_key.get(key(name), [])
        # a match with the spacing kept ("Kan Paik Ti") beats one ignoring it ("Kanpaikti")
        in_kind = [(e, label, pref) for e, label, pref in close if e.is_kind(kinds)]
        if not in_kind:
            in_kind = [(e, label, pref) for e, label, pref in hits if e.is_kind(kinds)]
        if not in_kind:
            others = _unique(e for e, _, _ in hits)
            if others:
                raise NotFound(name, what, [], others)
            raise NotFound(name, what, self.suggest(name, kinds))
        candidates = _unique(e for e, _, _ in in_kind)
        if len(candidates) == 1:
            return candidates[0]
        preferred = _unique(e for e, _, pref in in_kind if pref)
        if len(preferred) == 1:
            return preferred[0]
        raise Ambiguous(name, what, sorted(candidates, key=lambda e: (e.label, e.iri)))

    def suggest(self, name: str, kinds: Sequence[str] | None = None,
                limit: int = SUGGEST_LIMIT) -> list[Match]:
        """The closest names of the right kind (any kind when none of it comes close)."""
        from rapidfuzz import fuzz, process

        query = normalize(name)
        if not query:
            return []
        for allowed in (kinds, None) if kinds is not None else (None,):
            pool = [(n, e, t) for n, e, t in self.labels if e.is_kind(allowed)]
            found = process.extract(query, [n for n, _, _ in pool], scorer=fuzz.WRatio,
                                    processor=None, limit=limit * 4, score_cutoff=SUGGEST_CUTOFF)
            best: dict[str, Match] = {}
            for _text, score, index in found:
                _n, entity, label = pool[index]
                current = best.get(entity.iri)
                own = label == entity.label
                if current is None or score > current.score or (
                        round(score) == current.score and own):
                    best[entity.iri] = Match(entity, label, round(score), "fuzzy")
            if best:
                ranked = sorted(best.values(), key=lambda m: (-m.score, m.entity.label))
                return ranked[:limit]
        return []

    # ------------------------------------------------------------------ search

    def search(self, text: str, kinds: Sequence[str] | None = None) -> list[Match]:
        """Every entity with a name that matches ``text``, best first.

        Scores: 100 the whole name (folded), 95 the start of a name, 90 the start of a word of
        a name, 85 anywhere in a name (spaces and punctuation ignored), then rapidfuzz WRatio
        matches of at least 80 for queries of 4+ characters, capped at 80 (typos).
        """
        query = normalize(text)
        query_key = key(text)
        if not query_key:
            return []
        best: dict[str, Match] = {}

        def offer(match: Match) -> None:
            current = best.get(match.entity.iri)
            if current is None or match.score > current.score:
                best[match.entity.iri] = match

        pool = [(n, e, t) for n, e, t in self.labels if e.is_kind(kinds)]
        pool_keys = [k for (_n, e, _t), k in zip(self.labels, self.keys, strict=True) if e.is_kind(kinds)]
        self.note = ""
        for (folded, entity, label), label_key in zip(pool, pool_keys, strict=True):
            if label_key == query_key:
                offer(Match(entity, label, 100, "exact"))
            elif folded.startswith(query):
                offer(Match(entity, label, 95, "prefix"))
            elif any(word.startswith(query) for word in _words(folded)) or f" {query}" in folded:
                offer(Match(entity, label, 90, "word"))
            elif query_key in label_key:
                offer(Match(entity, label, 85, "substring"))
        if len(query_key) >= SEARCH_FUZZY_MIN_LENGTH and len(pool) > SEARCH_FUZZY_MAX_NAMES:
            self.note = (f"close spellings not searched: {len(pool):,} names is more than "
                         f"{SEARCH_FUZZY_MAX_NAMES:,} (narrow with --kind)")
        elif len(query_key) >= SEARCH_FUZZY_MIN_LENGTH:
            from rapidfuzz import fuzz, process

            for start in range(0, len(pool), FUZZY_CHUNK):
                chunk = [n for n, _, _ in pool[start:start + FUZZY_CHUNK]]
                found = process.extract(query, chunk, scorer=fuzz.WRatio, processor=None, limit=None,
                                        score_cutoff=SEARCH_FUZZY_CUTOFF)
                for _text, score, index in found:
                    _n, entity, label = pool[start + index]
                    offer(Match(entity, label, min(80, round(score)), "fuzzy"))
        return sorted(best.values(), key=lambda m: (-m.score, m.entity.label.casefold(), m.entity.iri))


def index_rows(store: Any) -> list[list[Any]]:
    """The name index of ``store`` as plain data (JSON), kept with the on-disk store."""
    index = NameIndex.read(store)
    return [[e.iri, e.pref_labels, e.alt_labels, e.types, sorted(e.kinds)] for e in index.entities.values()]


def _words(folded: str) -> list[str]:
    return "".join(c if c.isalnum() else " " for c in folded).split()


def _unique(entities: Iterable[Entity]) -> list[Entity]:
    seen: dict[str, Entity] = {}
    for entity in entities:
        seen.setdefault(entity.iri, entity)
    return list(seen.values())


__all__ = [
    "Ambiguous", "Entity", "KIND_CLASSES", "Match", "NameIndex", "NotFound",
    "ResolveError", "compact_iri", "key", "normalize",
]
