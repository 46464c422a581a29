"""Dates for people: ``--as-of`` parsing and dates shown with their precision.

Parsing reuses the query library's ``date`` parameter type (:mod:`kg.params`), so ``--as-of``
accepts exactly what ``kg query --param as_of=…`` accepts: ``YYYY-MM-DD``, ``YYYY-MM`` (the
first of the month), ``YYYY`` and ``today``.

Display follows the data, not a table in code: each concept of ``bkv:DatePrecisionScheme``
carries ``bk:displayPrefix`` and ``bk:displayLength`` (``"mid-"`` and 7 for mid-month), and a
date is shown as the prefix plus that many characters of its ISO form: ``2024-11-20`` (day),
``2024-06`` (month), ``mid-2024-10``, ``<=2024-11-30`` (on or before). The library's queries
build the same strings in SPARQL; :class:`Precisions` is the Python side for the cards.
"""

from __future__ import annotations

from typing import Any

import click

from kg.namespaces import ONTOLOGY
from kg.params import TYPES


def parse_as_of(text: str) -> str:
    """The ISO date for ``text`` (``today``, ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``).

    Raises ``ValueError`` with the accepted forms in its message.
    """
    parser, expected = TYPES["date"]
    try:
        return parser(text).value  # type: ignore[operator,attr-defined]
    except ValueError:
        raise ValueError(f"expected {expected}, got {text!r}") from None


class AsOfType(click.ParamType):
    """A click type for ``--as-of``: bad dates are a one-line usage error (exit 2)."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return parse_as_of(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


AS_OF = AsOfType()

PRECISION_QUERY = f"""
SELECT ?precision ?prefix ?length WHERE {{
  ?precision <{ONTOLOGY}displayLength> ?length .
  OPTIONAL {{ ?precision <{ONTOLOGY}displayPrefix> ?prefix }}
}}"""


class Precisions:
    """How each date precision is written, read from the graph's vocabulary."""

    def __init__(self, table: dict[str, tuple[str, int]]) -> None:
        self.table = table

    @classmethod
    def from_store(cls, store: Any) -> Precisions:
        table: dict[str, tuple[str, int]] = {}
        for solution in store.query(PRECISION_QUERY):
            prefix = solution["prefix"]
            try:
                length = int(solution["length"].value)
            except ValueError:
                continue
            table[solution["precision"].value] = (prefix.value if prefix is not None else "", length)
        return cls(table)

    def show(self, iso: str | None, precision: str | None = None) -> str:
        """``iso`` (an ``xsd:date`` lexical form) written with its precision; ``""`` for none.

        Without a known precision the full date is shown.
        """
        if not iso:
            return ""
        prefix, length = self.table.get(precision or "", ("", 10))
        return prefix + iso[:length]


def period(start: str | None, end: str | None) -> str:
    """``2024-01-01/2024-04-30``, as the library writes a period a figure covers."""
    if start and end:
        return f"{start}/{end}"
    return start or end or ""
