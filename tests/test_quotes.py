"""``kg validate`` checks every quote against its source's archived text (``kg.quotes``)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main
from kg.namespaces import ID, ONTOLOGY, SHAPES

ARTICLE = ID + "source-irrawaddy-2024-11-kia-kanpiketi"
FAKE = "The KIA handed Kanpiketi back to the junta on Sunday."


def test_a_quote_missing_from_the_archive_is_a_violation(runner: CliRunner, kg_tree: Path) -> None:
    data = kg_tree / "data" / "irrawaddy-2024-11-kanpiketi.ttl"
    text = data.read_text(encoding="utf-8")
    quoted = 'bk:quote "Defying pressure from China, the KIA captured the Kanpiketi on November 20."'
    assert quoted in text
    data.write_text(text.replace(quoted, f'bk:quote "{FAKE}"', 1), encoding="utf-8")

    result = runner.invoke(main, ["validate", "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    missing = [r for r in report["results"] if r["source_shape"] == SHAPES + "QuoteInArchivedSource"]
    assert len(missing) == 1
    assert missing[0]["severity"] == "Violation" and missing[0]["result_path"] == ONTOLOGY + "quote"
    assert missing[0]["value"] == json.dumps(FAKE) and missing[0]["focus_node"].startswith(ID)
    assert ARTICLE in missing[0]["message"]

    people = runner.invoke(main, ["validate"])
    assert people.exit_code == 1 and "Quote not found verbatim" in people.stdout
    assert "source-irrawaddy-2024-11-kia-kanpiketi.txt" in people.stdout


def test_sources_without_an_archive_are_not_checked(runner: CliRunner, kg_tree: Path) -> None:
    (kg_tree / "data" / "archive" / "source-irrawaddy-2024-11-kia-kanpiketi.txt").unlink()
    data = kg_tree / "data" / "irrawaddy-2024-11-kanpiketi.ttl"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("the KIA captured the Kanpiketi on November 20.", FAKE, 1), encoding="utf-8")
    assert runner.invoke(main, ["validate"]).exit_code == 0
