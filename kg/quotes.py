"""Every quote checked against the archived text of its source, when the source has one.

A claim's or event's ``bk:quote`` is meant to be verbatim from its source
(``prov:wasDerivedFrom``). Where the project keeps a copy of the source's text, in
``data/archive/<local name of the source IRI>.txt`` (``bkr:source-irrawaddy-2024-11-kia-kanpiketi``
-> ``data/archive/source-irrawaddy-2024-11-kia-kanpiketi.txt``; a ``.meta`` file beside it gives
its URL and how it was retrieved), ``kg validate`` checks that each quote appears in it exactly,
and reports one that does not as a violation, like a SHACL result. The archive is ``.txt``, so it
travels with ``data/`` in the package without being read as RDF; the link is the source's name,
so the data need not say where the archive is.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kg.namespaces import ID, ONTOLOGY, PREFIXES, SHAPES

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

    from kg.validation import ValidationResult

ARCHIVE_FOLDER = "archive"
#: How the results of this check name their constraint and "shape" (it is not in shapes.ttl).
COMPONENT = SHAPES + "ArchivedQuoteConstraintComponent"
SHAPE = SHAPES + "QuoteInArchivedSource"


def archive_file(source: str, root: Path | None = None) -> Path | None:
    """The archived text of ``source`` (an IRI under ``bkr:``), if the project keeps one."""
    from kg import paths

    if not source.startswith(ID):
        return None
    local = source[len(ID):]
    if not local or "/" in local or local.startswith("."):
        return None
    candidate = (root or paths.project_root()) / "data" / ARCHIVE_FOLDER / f"{local}.txt"
    return candidate if candidate.is_file() else None


@lru_cache(maxsize=32)
def _archived_text(path: Path) -> str:
    from kg.files import read_text

    return read_text(path)


def check_quotes(graph: Graph) -> list[ValidationResult]:
    """A violation for every quote missing from its source's archived text."""
    from rdflib import Literal, URIRef

    from kg.errors import display_path
    from kg.validation import ValidationResult, term_string

    quote = URIRef(ONTOLOGY + "quote")
    derived = URIRef(PREFIXES["prov"] + "wasDerivedFrom")
    results = []
    for node, text in graph.subject_objects(quote):
        if not isinstance(text, Literal):
            continue
        for source in graph.objects(node, derived):
            archive = archive_file(str(source))
            if archive is None or str(text) in _archived_text(archive):
                continue
            results.append(ValidationResult(
                focus_node=term_string(node),
                result_path=str(quote),
                constraint_component=COMPONENT,
                severity="Violation",
                message=f"Quote not found verbatim in the archived text of its source {source} "
                        f"({display_path(archive)})",
                source_shape=SHAPE,
                value=term_string(text),
            ))
    return results
