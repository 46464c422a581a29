"""Every registered ``kg`` command has help text and is documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import COMMANDS, main

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_has_help_text(runner: CliRunner, name: str) -> None:
    command = main.get_command(None, name)  # type: ignore[arg-type]
    assert command is not None, f"{name}: {COMMANDS[name]} does not load"
    assert (command.help or "").strip(), f"kg {name} has no help text"
    assert command.get_short_help_str().strip()
    result = runner.invoke(main, [name, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.stdout and f" {name} " in result.stdout


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_is_in_the_readme(name: str) -> None:
    readme = README.read_text(encoding="utf-8")
    assert re.search(rf"\bkg {re.escape(name)}\b", readme), f"README.md does not show `kg {name}`"


def test_group_help_lists_every_command(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert re.search(rf"^\s+{re.escape(name)}\s", result.stdout, re.M), name
