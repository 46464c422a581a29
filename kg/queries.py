"""The query library: ``queries/*.rq``, each documented by its own header.

The header is the registry (grlc-style), so listing, help and parameter checking need no second
file::

    # title: Held by anti-regime groups, closed by China
    # description: Official crossings held by anti-regime groups while China keeps them closed.
    # param: as_of date default=today  The date the status is evaluated at
    #
    # Free comments follow the first bare "#" line.

A parameter line is ``# param: NAME TYPE [default=VALUE | optional] DOC``; the query uses it as
``?NAME``. ``# example: NAME=VALUE …`` gives values that make a good first run (shown by
``kg query --list``, used by the benchmark and the cross-engine tests). Indented header lines
(``#   more``) continue the previous field.
"""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from kg import paths
from kg.errors import InputError, KgError
from kg.params import TYPES, Param, ParamError, shape

_FIELD = re.compile(r"^# ?(?P<key>[A-Za-z_][\w-]*):\s*(?P<value>.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>\w+)"
    r"(?:\s+(?:default=(?P<default>\S+)|(?P<optional>optional)))?"
    r"(?:\s+(?P<doc>.*))?$"
)
KNOWN_FIELDS = ("title", "description", "param", "example")


class QueryError(KgError):
    """A query that cannot be found, read or whose header is malformed. ``str()`` is one line."""


class QueryNotFound(QueryError):
    """No query of that name; ``suggestions`` holds the closest names."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no query named '{name}'.{hint} ('kg query --list' lists them)")


@dataclass(frozen=True)
class Query:
    """One query: its text (header included; comments are harmless) and what the header says."""

    name: str
    text: str
    title: str = ""
    description: str = ""
    params: tuple[Param, ...] = field(default_factory=tuple)
    example: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    @property
    def ordered(self) -> bool:
        """Whether the query orders its rows (then tests compare rows in order, else as sets)."""
        return shape(self.text).ordered

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def parse_header(text: str, origin: str = "query") -> dict[str, object]:
    """Title, description and params from the leading comment block of ``text``."""
    fields: dict[str, list[str]] = {key: [] for key in KNOWN_FIELDS}
    last: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#") or stripped == "#":
            break
        match = _FIELD.match(stripped)
        if match and match.group("key").lower() in KNOWN_FIELDS:
            last = match.group("key").lower()
            fields[last].append(match.group("value").strip())
        elif match:
            raise QueryError(f"{origin}: unknown header field '{match.group('key')}' "
                             f"(known: {', '.join(KNOWN_FIELDS)}; indent continuation lines)")
        elif last is not None:
            fields[last][-1] += " " + stripped.lstrip("#").strip()
    params = tuple(_parse_param(value, origin) for value in fields["param"])
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise QueryError(f"{origin}: a parameter is declared twice")
    example: dict[str, str] = {}
    for item in " ".join(fields["example"]).split():
        name, sep, value = item.partition("=")
        if not sep or name not in names:
            raise QueryError(f"{origin}: example '{item}' is not NAME=VALUE for a declared param")
        example[name] = value
    return {
        "title": " ".join(fields["title"]),
        "description": " ".join(fields["description"]),
        "params": params,
        "example": example,
    }


def _parse_param(value: str, origin: str) -> Param:
    match = _PARAM.match(value.strip())
    if not match:
        raise QueryError(f"{origin}: bad param line '{value}' (NAME TYPE [default=V|optional] DOC)")
    if match.group("type") not in TYPES:
        known = ", ".join(TYPES)
        raise QueryError(f"{origin}: parameter '{match.group('name')}' has unknown type "
                         f"'{match.group('type')}' (known: {known})")
    param = Param(
        name=match.group("name"),
        type=match.group("type"),
        default=match.group("default"),
        optional=bool(match.group("optional")),
        doc=(match.group("doc") or "").strip(),
    )
    if param.default is not None:
        try:
            param.parse(param.default)  # a bad default is the query author's error: fail early
        except ParamError as error:
            raise QueryError(f"{origin}: bad default in the header: {error}") from None
    return param


def from_text(text: str, name: str, path: Path | None = None) -> Query:
    """A :class:`Query` from its text (used for files, stdin and the library alike)."""
    header = parse_header(text, origin=str(path) if path else name)
    return Query(name=name, text=text, path=path, **header)  # type: ignore[arg-type]


def library_dir() -> Path:
    return paths.queries_dir()


def library() -> dict[str, Path]:
    """Query name (file stem) -> path, for every ``.rq`` of the library, sorted by name."""
    folder = library_dir()
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.rq"))}


def load_all() -> list[Query]:
    """Every library query, parsed."""
    return [from_text(_read(p), name, p) for name, p in library().items()]


def _read(path: Path) -> str:
    """A query file's text (a FIFO, a folder or bytes that are not UTF-8 are a QueryError)."""
    from kg.files import read_text

    try:
        return read_text(path)
    except InputError as error:
        raise QueryError(str(error)) from None


def suggest(name: str, names: list[str], limit: int = 3) -> list[str]:
    """The closest query names to a mistyped one (substring matches first)."""
    contains = [n for n in names if name and name.lower() in n.lower()]
    close = difflib.get_close_matches(name, names, n=limit, cutoff=0.5)
    return list(dict.fromkeys(contains + close))[:limit]


def load(ref: str, stdin: TextIO | None = None) -> Query:
    """The query named ``ref``: ``-`` reads stdin, a library name is the library's query (names
    win over files of the same name in the working directory), a path or ``*.rq`` is a file.
    Raises :class:`QueryNotFound` with suggestions for unknown names."""
    from kg.files import STDIN_NAMES

    if ref in STDIN_NAMES:
        return from_text(_read_stdin(stdin), "<stdin>")
    queries = library()
    if ref in queries:
        return from_text(_read(queries[ref]), ref, queries[ref])
    candidate = Path(ref)
    if ref.endswith(".rq") or candidate.exists():
        if not candidate.exists():
            raise QueryError(f"query file not found: {ref}")
        return from_text(_read(candidate), candidate.stem, candidate)
    raise QueryNotFound(ref, suggest(ref, list(queries)))


def _read_stdin(stdin: TextIO | None) -> str:
    """The query text on standard input (closed or not UTF-8: a one-line QueryError)."""
    stream = stdin or sys.stdin
    if stream is None:
        raise QueryError("standard input is closed: no query to read from '-'")
    try:
        return stream.read()
    except UnicodeDecodeError as error:
        raise QueryError(f"<stdin>: the query is not valid UTF-8 (byte 0x{error.object[error.start]:02x})") from None
    except (OSError, ValueError) as error:
        raise QueryError(f"cannot read standard input: {getattr(error, 'strerror', None) or error}") from None
