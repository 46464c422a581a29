"""``kg.offline``: no network while a command runs, unless asked; SERVICE and remote contexts."""

from __future__ import annotations

import socket

import pytest

from kg import offline
from kg.engines import EngineError, check_query


@pytest.fixture(autouse=True)
def default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(offline.ENV, raising=False)
    offline.allow(False)


def test_sockets_are_refused_while_guarded_and_allowed_on_request(monkeypatch: pytest.MonkeyPatch) -> None:
    with offline.guarded(), pytest.raises(offline.NetworkRefused, match="network access is off"):
        socket.create_connection(("127.0.0.1", 9), timeout=0.1)
    monkeypatch.setenv(offline.ENV, "1")
    with offline.guarded(), pytest.raises(OSError) as caught:
        socket.create_connection(("127.0.0.1", 9), timeout=0.5)
    assert not isinstance(caught.value, offline.NetworkRefused)  # reached the network: refused by it


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://e/s> { ?s ?p ?o } }",
    "select * where { service silent ?x { ?s ?p ?o } }",
])
def test_service_is_refused_unless_allowed(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(offline.NetworkRefused, match="SPARQL SERVICE at line 1"):
        check_query(text)
    monkeypatch.setenv(offline.ENV, "yes")
    check_query(text)
    monkeypatch.delenv(offline.ENV)
    with pytest.raises(offline.NetworkRefused):
        check_query(text)  # the opt-in is not remembered


@pytest.mark.parametrize("text", [
    'SELECT ?x WHERE { BIND("SERVICE <http://e/>" AS ?x) }',
    "SELECT ?service WHERE { ?service a <http://e/SERVICE> } # SERVICE <http://e/>",
])
def test_service_in_strings_iris_comments_and_names_is_text(text: str) -> None:
    check_query(text)


@pytest.mark.parametrize("text", ["DROP ALL", "PREFIX ex: <http://e/>\nINSERT DATA { ex:a ex:b ex:c }",
                                  "# comment\nLOAD <http://e/x>", "WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                  "clear default"])
def test_updates_are_not_allowed_here(text: str) -> None:
    with pytest.raises(EngineError, match="updates are not allowed here"):
        check_query(text)
