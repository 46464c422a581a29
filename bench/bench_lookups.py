"""Wall time of the lookup commands in fresh processes, paired with baselines in one run.

    python bench/bench_lookups.py [-n 15] [--kg PATH]

Runs, round after round (so a busy machine slows every command alike), N fresh processes of:
``python -c pass``, ``python -c "import rdflib"``, ``kg crossing Kanpiketi``, ``kg status``,
``kg search kia`` and ``kg query status-as-of`` (default cache mode: ``auto``), and
``kg crossing Kanpiketi`` on the warm on-disk store (``BORDER_KG_CACHE=always``); then one
cold-cache run (``always``, empty cache folder: builds the store). Prints medians, minima and
each median as a ratio of the ``import rdflib`` median (below 1.0: faster than importing rdflib).

Every process runs with bytecode caching on (as in a normal install) in a private
``PYTHONPYCACHEPREFIX``, and with ``XDG_CACHE_HOME`` in a temporary folder, so the user's cache
is left alone. One untimed warm-up run of each command fills both.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _kg_path() -> str:
    candidate = Path(sys.executable).with_name("kg")
    return str(candidate) if candidate.exists() else shutil.which("kg") or "kg"


def _time(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr.decode()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=15, help="fresh processes per command (default 15)")
    parser.add_argument("--kg", default=_kg_path(), help="the kg executable")
    args = parser.parse_args()

    python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="bench-lookups-"))
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONDONTWRITEBYTECODE", "BORDER_KG_CACHE")}
    env.update(PYTHONPYCACHEPREFIX=str(work / "pycache"), XDG_CACHE_HOME=str(work / "cache"),
               NO_COLOR="1")
    disk = {**env, "BORDER_KG_CACHE": "always"}
    cases: list[tuple[str, list[str], dict[str, str]]] = [
        ("python -c pass", [python, "-c", "pass"], env),
        ('python -c "import rdflib"', [python, "-c", "import rdflib"], env),
        ("kg crossing Kanpiketi", [args.kg, "crossing", "Kanpiketi"], env),
        ("kg status", [args.kg, "status"], env),
        ("kg search kia", [args.kg, "search", "kia"], env),
        ("kg query status-as-of", [args.kg, "query", "status-as-of"], env),
        ("kg crossing Kanpiketi (disk store)", [args.kg, "crossing", "Kanpiketi"], disk),
    ]
    try:
        for _name, command, case_env in cases:  # warm-up: bytecode, and the disk store
            _time(command, case_env)
        times: dict[str, list[float]] = {name: [] for name, _, _ in cases}
        for _round in range(args.n):
            for name, command, case_env in cases:
                times[name].append(_time(command, case_env))
        cold_env = {**disk, "XDG_CACHE_HOME": str(work / "cold-cache")}
        cold = _time([args.kg, "crossing", "Kanpiketi"], cold_env)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    baseline = statistics.median(times['python -c "import rdflib"'])
    print(f"{args.n} fresh processes each, interleaved; graph: {ROOT}")
    print(f"{'command':<38} {'median':>8} {'min':>8} {'vs rdflib':>10}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<38} {median:>7.3f}s {min(values):>7.3f}s {median / baseline:>9.2f}x")
    print(f"{'kg crossing Kanpiketi (cold disk cache)':<38} {cold:>7.3f}s {'':>8} {cold / baseline:>9.2f}x"
          "  (one run: builds the store)")


if __name__ == "__main__":
    main()
