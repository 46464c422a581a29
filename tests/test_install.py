"""A normal (non-editable) install carries the graph: build the wheel, install it into a fresh
virtual environment and run ``kg`` from a folder outside the checkout.

To stay fast the fresh environment borrows the dependencies of the running one through a
``.pth`` line instead of downloading them; the ``.pth`` files of that folder (an editable
install of this checkout, for one) are not processed, so only the wheel can provide ``kg``.
Building the wheel fetches the build backend (hatchling) from the package index.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
LEAKY_VARIABLES = ("PYTHONPATH", "BORDER_KG_ROOT", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONSTARTUP")


def _run(command: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in LEAKY_VARIABLES}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The wheel built from this checkout, installed into a new environment."""
    base = tmp_path_factory.mktemp("install")
    wheels, env_dir, elsewhere = base / "wheels", base / "venv", base / "elsewhere"
    elsewhere.mkdir()

    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO_ROOT)], base)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = wheels.glob("border_kg-*.whl")

    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site_packages = Path(
        _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], base).stdout.strip()
    )
    borrowed = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (site_packages / "_borrowed_dependencies.pth").write_text("".join(f"{p}\n" for p in borrowed))

    done = _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q", str(wheel)],
        base,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return {"bin": env_dir / "bin", "env": env_dir, "cwd": elsewhere, "site_packages": site_packages}


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: dict[str, Path]) -> None:
    done = _run([str(installed["bin"] / "python"), "-c", "import kg; print(kg.__file__)"], installed["cwd"])
    assert done.returncode == 0, done.stderr
    location = Path(done.stdout.strip()).resolve()
    assert location.is_relative_to(installed["site_packages"].resolve())
    assert not location.is_relative_to(REPO_ROOT)


def test_installed_kg_stats_finds_the_packaged_graph(installed: dict[str, Path]) -> None:
    done = _run([str(installed["bin"] / "kg"), "stats", "--json"], installed["cwd"])
    assert done.returncode == 0, done.stdout + done.stderr
    stats = json.loads(done.stdout)

    root = Path(stats["root"]).resolve()
    assert root == (installed["site_packages"] / "kg" / "_resources").resolve()
    assert stats["root_from"] == "installed with kg"
    shipped = sorted(
        p.relative_to(REPO_ROOT).as_posix()
        for folder in ("ontology", "data")
        for p in (REPO_ROOT / folder).rglob("*.ttl")
        if p.name != "shapes.ttl"
    )
    assert sorted(stats["files"]) == shipped
    assert stats["triples"] > 1000
    assert stats["defined"]["classes"] > 0
    if (REPO_ROOT / "ontology" / "shapes.ttl").exists():
        assert stats["shapes_file"] == "ontology/shapes.ttl"

    table = _run([str(installed["bin"] / "kg"), "stats"], installed["cwd"])
    assert table.returncode == 0 and "_resources" in table.stdout and "Instances by class" in table.stdout


def test_installed_kg_validate_conforms(installed: dict[str, Path]) -> None:
    done = _run([str(installed["bin"] / "kg"), "validate"], installed["cwd"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_installed_kg_version(installed: dict[str, Path]) -> None:
    done = _run([str(installed["bin"] / "kg"), "--version"], installed["cwd"])
    assert done.returncode == 0 and "0.1.0" in done.stdout


def test_installed_kg_map_finds_its_base_layer(installed: dict[str, Path]) -> None:
    """The Natural Earth extract travels in the wheel (kg/pictures/geodata/): the map is drawn
    from a folder outside the checkout, with the border and its credit."""
    done = _run([str(installed["bin"] / "kg"), "map", "--as-of", "2024-11-25", "--out", "map.svg"], installed["cwd"])
    assert done.returncode == 0, done.stderr
    svg = (installed["cwd"] / "map.svg").read_text(encoding="utf-8")
    assert 'class="border-line"' in svg and "Natural Earth" in svg and svg.count('class="marker ') == 7


def test_installed_kg_inside_a_checkout_uses_the_checkout(installed: dict[str, Path]) -> None:
    """After a plain `pip install .`, kg run inside a checkout checks the files being edited."""
    done = _run([str(installed["bin"] / "kg"), "stats", "--json"], REPO_ROOT / "data" / "external")
    assert done.returncode == 0, done.stdout + done.stderr
    stats = json.loads(done.stdout)
    assert Path(stats["root"]) == REPO_ROOT and stats["root_from"] == "found from the current folder"
    table = _run([str(installed["bin"] / "kg"), "stats"], REPO_ROOT)
    assert table.stdout.startswith(f"graph: {REPO_ROOT} (found from the current folder)\n")


def test_installed_kg_init_add_status_from_outside_the_checkout(installed: dict[str, Path]) -> None:
    """A fresh install, a workspace of one's own, a report added to it, the board: the installed
    package is never written (kg add outside a workspace is refused)."""
    kg = str(installed["bin"] / "kg")
    package = installed["site_packages"] / "kg"
    before = sorted((p.relative_to(package), p.stat().st_mtime_ns) for p in package.rglob("*") if p.is_file())
    refused = _run([kg, "add", "x.yaml"], installed["cwd"])
    assert refused.returncode == 2 and "installed with kg" in refused.stderr, refused.stderr
    made = _run([kg, "init", "ws"], installed["cwd"])
    assert made.returncode == 0, made.stderr
    workspace = installed["cwd"] / "ws"
    added = _run([kg, "add", "reports/example.yaml"], workspace)
    assert added.returncode == 0, added.stdout + added.stderr
    assert "added 2 claims, 1 event" in added.stdout
    assert list((workspace / "data" / "reports").glob("*.ttl"))
    board = _run([kg, "status", "--as-of", "2025-01-01"], workspace / "reports")
    assert board.returncode == 0 and "Kanpiketi crossing" in board.stdout, board.stderr
    stats = _run([kg, "stats"], workspace)
    assert stats.stdout.startswith(f"graph: {workspace.resolve()} (found from the current folder)")
    after = sorted((p.relative_to(package), p.stat().st_mtime_ns) for p in package.rglob("*") if p.is_file()
                   if "__pycache__" not in p.parts)
    assert [x for x in before if "__pycache__" not in x[0].parts] == after
