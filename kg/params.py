"""Typed query parameters and the one safe way to bind them.

User text never reaches a query as text. A value is first parsed into an RDF :class:`Term` of
the parameter's declared type (a date, an IRI, a string…); the term is then written in SPARQL
syntax by :meth:`Term.sparql`, which escapes strings and refuses IRIs that could break out of
``<…>``; and :func:`bind` puts it in a one-row ``VALUES`` block at the start of every group of
the query that uses the parameter, so it acts as a constant in FILTERs, OPTIONALs, EXISTS and
sub-selects alike, on both engines.

Why not the engines' own substitution: pyoxigraph's ``substitutions`` only accepts variables of
the outer ``SELECT`` projection, and rdflib's ``initBindings`` leaks bindings into scopes that
standard SPARQL keeps apart (and has had bugs there), so the two would disagree. ``VALUES``
means the same on both. No rdflib here: this module is on the oxigraph path.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from kg.errors import KgError
from kg.namespaces import ID, PREFIXES

XSD = PREFIXES["xsd"]
XSD_STRING = XSD + "string"
XSD_DATE = XSD + "date"
XSD_INTEGER = XSD + "integer"
XSD_DECIMAL = XSD + "decimal"
XSD_DOUBLE = XSD + "double"
XSD_FLOAT = XSD + "float"
XSD_BOOLEAN = XSD + "boolean"
RDF_LANGSTRING = PREFIXES["rdf"] + "langString"

#: Characters that may not appear in an IRI written as ``<…>`` (SPARQL IRIREF), plus controls.
_BAD_IRI_CHARS = re.compile(r'[<>"{}|^`\\\x00-\x20\x7f]')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_LOCAL_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DECIMAL = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")


class ParamError(KgError, ValueError):
    """A parameter value that does not fit its declared type. ``str()`` is one line."""

    def __init__(self, name: str, expected: str, value: str | None = None) -> None:
        self.name = name
        self.expected = expected
        got = "" if value is None else f", got {value!r}"
        super().__init__(f"parameter '{name}': expected {expected}{got}")


# ---------------------------------------------------------------------------- terms


@dataclass(frozen=True)
class Term:
    """An RDF term in one engine-neutral form, so rows from rdflib and Oxigraph compare equal.

    ``kind`` is ``uri``, ``bnode`` or ``literal``. Plain strings carry no datatype (``"x"`` and
    ``"x"^^xsd:string`` are one term); numbers and booleans carry their canonical lexical form.
    Build literals with :meth:`literal` so that normalisation always happens.
    """

    kind: str
    value: str
    datatype: str | None = None
    lang: str | None = None

    @classmethod
    def iri(cls, value: str) -> Term:
        return cls("uri", value)

    @classmethod
    def bnode(cls, label: str) -> Term:
        return cls("bnode", label)

    @classmethod
    def literal(cls, lexical: str, datatype: str | None = None, lang: str | None = None) -> Term:
        """A literal with language tags lower-cased and numeric/boolean forms made canonical."""
        if lang:
            return cls("literal", lexical, None, lang.lower())
        if datatype in (None, XSD_STRING, RDF_LANGSTRING):
            return cls("literal", lexical)
        return cls("literal", canonical_lexical(lexical, datatype), datatype)

    def n3(self) -> str:
        """N-Triples syntax (the key used in expected-result files and error messages)."""
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = _quote(self.value)
        if self.lang:
            return f"{text}@{self.lang}"
        if self.datatype:
            return f"{text}^^<{self.datatype}>"
        return text

    def sparql(self) -> str:
        """This term as SPARQL text that cannot change the query around it.

        Raises ``ValueError`` for terms that cannot be written safely (an IRI with characters
        IRIREF forbids, a malformed language tag); parsing user values never produces them.
        """
        if self.kind == "uri":
            _check_iri(self.value)
            return f"<{self.value}>"
        if self.kind == "bnode":
            raise ValueError("blank nodes cannot be bound as query parameters")
        text = _quote(self.value)
        if self.lang:
            if not _LANG.match(self.lang):
                raise ValueError(f"bad language tag {self.lang!r}")
            return f"{text}@{self.lang}"
        if self.datatype:
            _check_iri(self.datatype)
            return f"{text}^^<{self.datatype}>"
        return text

    @property
    def python(self) -> object:
        """A plain Python value: IRIs and strings as ``str``, numbers as numbers, booleans."""
        if self.kind != "literal" or self.datatype is None:
            return self.value
        try:
            if self.datatype == XSD_INTEGER:
                return int(self.value)
            if self.datatype == XSD_DECIMAL:
                number = Decimal(self.value)
                return int(number) if number == number.to_integral_value() else float(number)
            if self.datatype in (XSD_DOUBLE, XSD_FLOAT):
                return float(self.value)
            if self.datatype == XSD_BOOLEAN:
                return self.value == "true"
        except (ValueError, InvalidOperation):
            pass
        return self.value


def canonical_lexical(lexical: str, datatype: str) -> str:
    """The canonical form of numbers and booleans (Oxigraph's XSD 1.1 form), else unchanged.

    rdflib keeps ``52000000.0`` where Oxigraph writes ``52000000``; both mean one value.
    """
    text = lexical.strip()
    try:
        if datatype == XSD_INTEGER:
            return str(int(text))
        if datatype == XSD_DECIMAL:
            number = Decimal(text)
            if number == number.to_integral_value():
                return str(int(number))
            return format(number.normalize(), "f")
        if datatype in (XSD_DOUBLE, XSD_FLOAT):
            return repr(float(text))
        if datatype == XSD_BOOLEAN:
            return {"1": "true", "0": "false"}.get(text, text)
    except (ValueError, InvalidOperation):
        return lexical
    return lexical


def _quote(value: str) -> str:
    """A double-quoted SPARQL/N-Triples string with every character that matters escaped.

    rdflib expands ``\\uXXXX`` and ``\\uXXXXXXXX`` (any case, the longest run of hex digits)
    over the whole query text before it tokenizes, so a value must never put a backslash, a
    ``u`` and hex digits next to each other in the text: the value ``\\u0022`` would turn into
    a quote and end the string early. So after a value's backslash and ``u``/``U``, and after
    every ``\\uXXXX`` escape we write, hex digits are written as escapes too.
    """
    out: list[str] = []
    previous = ""
    escape_hex = False
    for char in value:
        if escape_hex and char in _HEX_DIGITS:
            out.append(f"\\u{ord(char):04X}")
            previous = char
            continue
        escape_hex = False
        if char == "\\":
            out.append("\\\\")
        elif char in "uU" and previous == "\\":
            out.append(char)
            escape_hex = True
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
            escape_hex = True
        else:
            out.append(char)
        previous = char
    return '"' + "".join(out) + '"'


_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def _check_iri(iri: str) -> None:
    if not _SCHEME.match(iri) or _BAD_IRI_CHARS.search(iri):
        raise ValueError(f"not a usable absolute IRI: {iri!r}")


# ---------------------------------------------------------------------------- types


def _parse_date(text: str) -> Term:
    value = text.strip().lower()
    if value == "today":
        return Term.literal(_dt.date.today().isoformat(), XSD_DATE)
    parts = value.split("-")
    try:
        if re.fullmatch(r"\d{4}", value):
            day = _dt.date(int(value), 1, 1)
        elif re.fullmatch(r"\d{4}-\d{2}", value):
            day = _dt.date(int(parts[0]), int(parts[1]), 1)
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = _dt.date.fromisoformat(value)
        else:
            raise ValueError(value)
    except ValueError:
        raise ValueError(value) from None
    return Term.literal(day.isoformat(), XSD_DATE)


def _parse_iri(text: str) -> Term:
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
    elif ":" not in value:
        if not _LOCAL_NAME.match(value):
            raise ValueError(value)
        iri = ID + value
    else:
        prefix, _, local = value.partition(":")
        if prefix in PREFIXES and not local.startswith("//"):
            if local and not _LOCAL_NAME.match(local):
                raise ValueError(value)
            iri = PREFIXES[prefix] + local
        elif prefix.lower() in ("http", "https", "urn"):
            iri = value
        else:
            raise ValueError(value)
    try:
        _check_iri(iri)
    except ValueError:
        raise ValueError(value) from None
    return Term.iri(iri)


def _parse_string(text: str) -> Term:
    return Term.literal(text)


def _parse_integer(text: str) -> Term:
    if not _INTEGER.match(text.strip()):
        raise ValueError(text)
    return Term.literal(text.strip(), XSD_INTEGER)


def _parse_decimal(text: str) -> Term:
    if not _DECIMAL.match(text.strip()):
        raise ValueError(text)
    return Term.literal(text.strip(), XSD_DECIMAL)


def _parse_boolean(text: str) -> Term:
    value = text.strip().lower()
    if value in ("true", "yes", "1"):
        return Term.literal("true", XSD_BOOLEAN)
    if value in ("false", "no", "0"):
        return Term.literal("false", XSD_BOOLEAN)
    raise ValueError(text)


#: type name -> (parser, what the error message says is expected)
TYPES: dict[str, tuple[object, str]] = {
    "date": (_parse_date, "a date (YYYY-MM-DD, YYYY-MM, YYYY or 'today')"),
    "iri": (_parse_iri, "an IRI (bkr:name, a known prefix:name, or a full http(s) IRI)"),
    "string": (_parse_string, "a string"),
    "integer": (_parse_integer, "an integer"),
    "decimal": (_parse_decimal, "a decimal number"),
    "boolean": (_parse_boolean, "a boolean (true/false)"),
}


@dataclass(frozen=True)
class Param:
    """A parameter declared in a query header: ``# param: NAME TYPE [default=V|optional] DOC``."""

    name: str
    type: str
    default: str | None = None
    optional: bool = False
    doc: str = ""

    @property
    def required(self) -> bool:
        return self.default is None and not self.optional

    def parse(self, text: str) -> Term:
        """The term for ``text``; :class:`ParamError` names this parameter and its type."""
        parser, expected = TYPES[self.type]
        try:
            return parser(text)  # type: ignore[operator]
        except ValueError:
            raise ParamError(self.name, expected, text) from None

    def describe(self) -> str:
        """``name:type=default`` for listings."""
        suffix = f"={self.default}" if self.default is not None else ("?" if self.optional else "")
        return f"{self.name}:{self.type}{suffix}"


def resolve(params: list[Param], given: dict[str, str]) -> dict[str, Term]:
    """Terms for every parameter: given values, else defaults; optional ones may stay unbound.

    Unknown names and missing required values raise :class:`ParamError` (one line).
    """
    known = {p.name: p for p in params}
    for name in given:
        if name not in known:
            names = ", ".join(sorted(known)) or "none"
            raise ParamError(name, f"one of this query's parameters ({names})")
    terms: dict[str, Term] = {}
    for param in params:
        if param.name in given:
            terms[param.name] = param.parse(given[param.name])
        elif param.default is not None:
            terms[param.name] = param.parse(param.default)
        elif not param.optional:
            raise ParamError(param.name, f"a value ({TYPES[param.type][1]}); it has no default")
    return terms


# ---------------------------------------------------------------------------- binding

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[^\s{}()<>,;\[\]"']*)?|:[^\s{}()<>,;\[\]"']*)
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass
class _Group:
    """A ``{…}`` of the query: where it opens, what kind it is, which variables it names."""

    open_at: int
    kind: str  # "group" | "data" (VALUES block) | "template" (CONSTRUCT) | "subselect"
    scope: int  # id of the SELECT scope it belongs to (0 = the query itself)
    variables: set[str]


@dataclass
class QueryShape:
    """What :func:`bind` and the runner need to know about a query's structure."""

    #: scope id -> offset just after the ``{`` of that scope's WHERE group
    where_groups: dict[int, int]
    #: scope id -> variables named in the scope outside any nested group
    scope_variables: dict[int, set[str]]
    #: (offset after ``{``, scope id, variables named directly in it) for every graph pattern group
    groups: list[tuple[int, int, set[str]]]
    #: whether the outermost query has ORDER BY
    ordered: bool
    #: prefixes the query declares itself
    declared_prefixes: set[str]


def tokens(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, offset) of every significant token: comments, strings and IRIs stay whole,
    so a ``{`` or ``?x`` inside them is never mistaken for structure."""
    found: list[tuple[str, str, int]] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind in ("ws", "comment"):
            continue
        found.append((kind, match.group(), match.start()))
    return found


@lru_cache(maxsize=256)
def shape(text: str) -> QueryShape:
    """Scan the query's tokens and brace structure (no full SPARQL parse is needed).

    Cached: a command binds and prefixes the same few query texts, and tokenizing is the
    costly part. Callers must treat the result as read-only."""
    toks = tokens(text)
    stack: list[_Group] = []
    scope_stack: list[int] = [0]
    next_scope = 1
    where_groups: dict[int, int] = {}
    scope_variables: dict[int, set[str]] = {0: set()}
    groups: list[tuple[int, int, set[str]]] = []
    declared: set[str] = set()
    ordered = False
    paren_depth: dict[int, int] = {0: 0}  # scope -> paren depth outside nested groups
    pending_values = False  # saw VALUES, waiting for its data block
    pending_template = False  # saw CONSTRUCT, waiting for its template
    for index, (kind, tok, offset) in enumerate(toks):
        upper = tok.upper() if kind == "word" else tok
        scope = scope_stack[-1]
        if kind == "word" and upper == "PREFIX" and index + 1 < len(toks):
            declared.add(toks[index + 1][1].split(":")[0])
        if kind == "word" and upper == "VALUES":
            pending_values = True
        elif kind == "word" and upper == "CONSTRUCT":
            following = toks[index + 1][1].upper() if index + 1 < len(toks) else ""
            pending_template = following != "WHERE"
        elif kind == "word" and upper == "ORDER" and not stack:
            ordered = True
        if kind == "var" and not (stack and stack[-1].kind == "data"):
            name = tok[1:]
            if stack and stack[-1].kind == "group":
                stack[-1].variables.add(name)
            scope_variables.setdefault(scope, set()).add(name)
        if tok == "(" and kind == "punct":
            paren_depth[scope] = paren_depth.get(scope, 0) + 1
        elif tok == ")" and kind == "punct":
            paren_depth[scope] = paren_depth.get(scope, 0) - 1
        elif tok == "{" and kind == "punct":
            following = toks[index + 1][1].upper() if index + 1 < len(toks) else ""
            if pending_values:
                group = _Group(offset, "data", scope, set())
                pending_values = False
            elif pending_template and not stack:
                group = _Group(offset, "template", scope, set())
                pending_template = False
            elif following == "SELECT":
                group = _Group(offset, "subselect", next_scope, set())
                scope_stack.append(next_scope)
                scope_variables[next_scope] = set()
                paren_depth[next_scope] = 0
                next_scope += 1
            else:
                group = _Group(offset, "group", scope, set())
                is_scope_level = (not stack or stack[-1].kind == "subselect") and (
                    paren_depth.get(scope, 0) == 0
                )
                if is_scope_level and scope not in where_groups:
                    where_groups[scope] = offset + 1
            stack.append(group)
        elif tok == "}" and kind == "punct" and stack:
            group = stack.pop()
            if group.kind == "subselect":
                scope_stack.pop()
            elif group.kind == "group":
                groups.append((group.open_at + 1, group.scope, group.variables))
    return QueryShape(where_groups, scope_variables, groups, ordered, declared)


def bind(text: str, values: dict[str, Term]) -> str:
    """``text`` with each parameter bound by ``VALUES ?name { term }`` wherever it is used.

    A block goes at the start of the WHERE group of every SELECT scope (the query and each
    sub-select) that names the variable, and of every nested group that names it directly: so
    the value is a constant everywhere, as a reader of the query expects, under standard
    bottom-up SPARQL semantics. Only terms made by :class:`Term` are written, via
    :meth:`Term.sparql`; raises ``ValueError`` when the query has no WHERE group to bind into.
    """
    inserts = insertions(text, values)
    pieces: list[str] = []
    last = 0
    for offset in sorted(inserts):
        pieces.append(text[last:offset])
        pieces.append(inserts[offset])
        last = offset
    pieces.append(text[last:])
    return "".join(pieces)


def insertions(text: str, values: dict[str, Term]) -> dict[int, str]:
    """What :func:`bind` inserts where: offset in ``text`` -> the ``VALUES`` blocks put there
    (also how an engine's error position is mapped back to the user's own text)."""
    if not values:
        return {}
    info = shape(text)
    inserts: dict[int, list[str]] = {}
    for name, term in sorted(values.items()):
        block = f" VALUES ?{name} {{ {term.sparql()} }} "
        targets: set[int] = set()
        for scope, names in info.scope_variables.items():
            if name in names:
                if scope not in info.where_groups:
                    raise ValueError(f"cannot bind ?{name}: the query has no WHERE {{ … }} group")
                targets.add(info.where_groups[scope])
        for offset, _scope, names in info.groups:
            if name in names:
                targets.add(offset)
        for offset in targets:
            inserts.setdefault(offset, []).append(block)
    return {offset: "".join(blocks) for offset, blocks in inserts.items()}


def prologue(text: str) -> str:
    """``PREFIX`` declarations for every project prefix the query ``text`` does not declare.

    All on the query's first line, with no line break, so that an engine's "error at line L"
    names the user's own line L."""
    declared = shape(text).declared_prefixes
    return "".join(f"PREFIX {name}: <{iri}> " for name, iri in PREFIXES.items() if name not in declared)


def with_prologue(text: str) -> str:
    """``text`` preceded by its :func:`prologue`."""
    return prologue(text) + text
