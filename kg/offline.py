"""No network unless asked: ``kg --allow-network`` or ``BORDER_KG_ALLOW_NETWORK=1``.

Two layers. Where a request would start, it is refused with a message that says how to opt
in: SPARQL ``SERVICE`` in a query (:func:`kg.engines.check_query`, on both engines) and a
remote JSON-LD ``@context`` (:mod:`kg.rdf_io`). Behind them, while a command runs, a Python
audit hook refuses every socket connection and name lookup made from Python (rdflib, pyshacl,
urllib), so a path nobody thought of cannot reach the network either. Oxigraph's own HTTP
client is Rust, below the hook: ``SERVICE`` must be (and is) refused before a query reaches it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from kg.errors import KgError

ENV = "BORDER_KG_ALLOW_NETWORK"
HOW = f"kg --allow-network … or {ENV}=1 allows it"
_EVENTS = frozenset({"socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
                     "socket.gethostbyaddr", "socket.sendto", "urllib.Request"})
_state = {"allowed": False, "guarding": 0, "hooked": False}


class NetworkRefused(KgError):
    """A network request nobody asked for; exit 2."""


def allow(on: bool) -> None:
    """Opt in (``--allow-network``) or reset to the default for the next command."""
    _state["allowed"] = on


def allowed() -> bool:
    """Whether network requests are allowed: the flag, or the environment variable."""
    value = os.environ.get(ENV, "").strip().lower()
    return bool(_state["allowed"]) or value in ("1", "true", "yes", "on")


def refuse(what: str) -> None:
    """Raise :class:`NetworkRefused` for ``what`` unless the network is allowed."""
    if not allowed():
        raise NetworkRefused(f"{what}: network access is off ({HOW})")


@contextmanager
def guarded() -> Iterator[None]:
    """While the block runs, Python-level network access raises :class:`NetworkRefused`."""
    if not _state["hooked"]:
        sys.addaudithook(_hook)
        _state["hooked"] = True
    _state["guarding"] += 1
    try:
        yield
    finally:
        _state["guarding"] -= 1


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event in _EVENTS and _state["guarding"] and not allowed():
        target = args[1] if event == "socket.connect" and len(args) > 1 else args[0] if args else ""
        raise NetworkRefused(f"network request to {target!r} refused: network access is off ({HOW})")
