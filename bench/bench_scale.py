"""Every operation of issue 11 at 10k, 100k and 1M triples, next to baselines measured in the same run.

    python bench/bench_scale.py [--sizes 10k,100k,1M] [--runs 5] [--heavy-runs 1] [--cap 600]
                                [--work /tmp/bench-scale] [--readme bench/README.md]

For each size it generates a tree with ``bench/generate.py`` (kept in ``--work`` and reused when
its ``bench.json`` matches), then runs, round after round (so a busy machine slows every command
alike), fresh processes of:

- baselines: ``python -c pass``, ``python -c "import rdflib"``, raw pyoxigraph (parse the data
  files into memory, one COUNT query), rdflib parse of the same files;
- the read commands ``kg status``, ``kg query held-by-anti-regime-closed-by-china``,
  ``kg query status-as-of``, ``kg crossing NAME``, ``kg search TEXT``, each on the warm
  persistent store (``BORDER_KG_CACHE=always``) and parsed into memory (``never``);
- the cold store build (``open_store()`` into an empty cache folder);
- ``kg export --format nt`` and ``ttl``, ``kg stats``, ``kg validate``, and the check ``kg add``
  runs on one added report (``extra/report.ttl``, ~100 claims) against the whole graph.

Each process is timed (wall) and its peak memory read from ``os.wait4`` (its own ``ru_maxrss``).
A process that runs past ``--cap`` seconds is killed and reported as "> cap"; it is not run
again. "Heavy" operations (export, stats, validate, rdflib parse) run ``--heavy-runs`` times.
Bytecode caching is on, in a private ``PYTHONPYCACHEPREFIX``; one untimed warm-up run of each
read command fills it and the store. The tables go between the markers of ``--readme``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

BEGIN, END = "<!-- bench_scale:begin -->", "<!-- bench_scale:end -->"

OX_BASELINE = """
import glob, sys, pyoxigraph as ox
store = ox.Store()
for path in sorted(glob.glob(sys.argv[1] + "/data/*.ttl")):
    store.load(path=path, format=ox.RdfFormat.TURTLE)
print(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
"""
RDFLIB_BASELINE = """
import glob, sys, rdflib
graph = rdflib.Graph()
for path in sorted(glob.glob(sys.argv[1] + "/data/*.ttl")):
    graph.parse(path, format="turtle")
print(len(graph))
"""
BUILD = "from kg.store import open_store; print(len(open_store()))"
#: what ``kg add`` checks before writing a report: the change validated with the part of the
#: graph its shapes reach (kg.validation.validate_change), and the violation queries there
CHANGE_CHECK = """
import sys
from rdflib import Graph
from kg import paths
from kg.adding import _violation_queries
from kg.store import parsed
from kg.validation import validate_change
added = Graph().parse(sys.argv[1], format="turtle")
outcome, around, focus = validate_change(parsed(paths.graph_files()), added)
print(outcome.conforms, len(focus), len(around), len(_violation_queries(around, focus, {})))
"""
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None


@dataclass
class Case:
    name: str
    command: list[str]
    env: dict[str, str]
    heavy: bool = False
    #: a fresh empty cache folder for every run (the cold build)
    cold: bool = False
    #: the output file whose size is worth reporting (exports)
    output: Path | None = None
    times: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)
    capped: bool = False
    output_bytes: int | None = None
    error: str | None = None


def kg_path() -> str:
    candidate = Path(sys.executable).with_name("kg")
    return str(candidate) if candidate.exists() else shutil.which("kg") or "kg"


def run(case: Case, cap: float, work: Path) -> None:
    """One fresh process: wall time and its own peak RSS; killed past ``cap``.

    The peak comes from GNU ``time`` (``%M``) when installed: Linux keeps a process's RSS
    high-water mark across ``exec``, so ``os.wait4`` on a child forked from this (larger) Python
    process would report at least this process's size. Without it, ``wait4``'s figure is kept."""
    env = dict(case.env)
    if case.cold:
        cold = work / f"cold-cache-{len(case.times)}"
        shutil.rmtree(cold, ignore_errors=True)
        env["XDG_CACHE_HOME"] = str(cold)
    err, rss = work / "stderr.txt", work / "maxrss.txt"
    rss.unlink(missing_ok=True)
    command = [GNU_TIME, "-f", "%M", "-o", str(rss), *case.command] if GNU_TIME else case.command
    with open(err, "wb") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=stderr,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(cap, kill)
        timer.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss
    if GNU_TIME and rss.exists():
        lines = rss.read_text().split()
        peak = int(lines[-1]) if lines and lines[-1].isdigit() else peak
    if case.cold:
        shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
    if killed.is_set():
        case.capped = True
        return
    if process.returncode != 0:
        case.error = f"exit {process.returncode}: {err.read_text(errors='replace').strip()[-300:]}"
        return
    case.times.append(elapsed)
    case.peaks.append(peak)
    if case.output is not None and case.output.exists():
        case.output_bytes = case.output.stat().st_size


def refresh(tree: Path) -> None:
    """A reused tree gets the repository's ontology/ and queries/ again: they are code being
    measured, not generated data (a stale copy would time yesterday's queries)."""
    for name in ("ontology", "queries"):
        shutil.rmtree(tree / name)
        shutil.copytree(generate.ROOT / name, tree / name)


def cases_for(tree: Path, manifest: dict[str, object], work: Path) -> list[Case]:
    python, kg = sys.executable, kg_path()
    base = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "BORDER_KG_CACHE",
                                                                 "BORDER_KG_HORIZONS", "BORDER_KG_ROOT")}
    base.update(PYTHONPYCACHEPREFIX=str(work / "pycache"), XDG_CACHE_HOME=str(work / "cache"), NO_COLOR="1",
                BORDER_KG_ROOT=str(tree))
    disk = {**base, "BORDER_KG_CACHE": "always"}
    memory = {**base, "BORDER_KG_CACHE": "never"}
    crossing, search = str(manifest["crossing"]), str(manifest["search"])
    reads = [
        ("kg status", ["status"]),
        ("kg query held-by-anti-regime-closed-by-china", ["query", "held-by-anti-regime-closed-by-china"]),
        ("kg query status-as-of", ["query", "status-as-of"]),
        (f"kg crossing '{crossing}'", ["crossing", crossing]),
        (f"kg search {search}", ["search", search]),
    ]
    cases = [
        Case("python -c pass", [python, "-c", "pass"], base),
        Case('python -c "import rdflib"', [python, "-c", "import rdflib"], base),
        Case("baseline: pyoxigraph parse + 1 query", [python, "-c", OX_BASELINE, str(tree)], base),
        Case("baseline: rdflib parse", [python, "-c", RDFLIB_BASELINE, str(tree)], base, heavy=True),
    ]
    cases += [Case(f"{name} (warm store)", [kg, *args], disk) for name, args in reads]
    cases += [Case(f"{name} (in memory)", [kg, *args], memory) for name, args in reads]
    cases.append(Case("cold store build (open_store)", [python, "-c", BUILD], disk, cold=True))
    for fmt in ("nt", "ttl"):
        out = work / f"export.{fmt}"
        cases.append(Case(f"kg export --format {fmt}", [kg, "export", "--format", fmt, "--output", str(out)],
                          disk, heavy=True, output=out))
    cases.append(Case("kg stats", [kg, "stats"], disk, heavy=True))
    cases.append(Case("kg validate", [kg, "validate"], disk, heavy=True))
    cases.append(Case("validate one added report (kg add's check)",
                      [python, "-c", CHANGE_CHECK, str(tree / "extra" / "report.ttl")], disk, heavy=True))
    return cases


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def bench_size(size: int, args: argparse.Namespace) -> dict[str, object]:
    work = args.work / f"{size}"
    tree = work / "tree"
    manifest_path = tree / "bench.json"
    manifest: dict[str, object] = {}
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
    if manifest.get("target_triples") != size or manifest.get("seed") != args.seed:
        started = time.perf_counter()
        manifest = generate.generate_tree(size, tree, seed=args.seed)
        manifest["generate_seconds"] = round(time.perf_counter() - started, 2)
    else:
        refresh(tree)
    print(f"# {size}: {manifest['triples']} triples in {tree}", flush=True)
    cases = cases_for(tree, manifest, work)
    load_before = load_average()
    for case in cases:  # warm-up: bytecode and the persistent store, not timed
        if not case.heavy and not case.cold:
            run(case, args.cap, work)
            case.times.clear(), case.peaks.clear()
            if case.error:
                raise SystemExit(f"{case.name}: {case.error}")
    for round_ in range(args.runs):
        for case in cases:
            if case.capped or case.error or (case.heavy and round_ >= args.heavy_runs):
                continue
            run(case, args.cap, work)
            print(f"  {case.name}: {case.times[-1] if case.times else ('> cap' if case.capped else case.error)}",
                  flush=True)
    return {"size": size, "manifest": manifest, "load_before": load_before, "load_after": load_average(),
            "cap": args.cap, "runs": args.runs, "heavy_runs": args.heavy_runs,
            "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "cases": [
                {"name": c.name, "times": [round(t, 3) for t in c.times], "peak_kb": max(c.peaks, default=None),
                 "capped": c.capped, "error": c.error, "output_bytes": c.output_bytes, "heavy": c.heavy}
                for c in cases]}


# ---------------------------------------------------------------------------- the report


def machine() -> list[str]:
    from importlib.metadata import version

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        mem_kb = 0
    packages = ", ".join(f"{p} {version(p)}" for p in ("pyoxigraph", "rdflib", "pyshacl", "click"))
    return [f"- {os.cpu_count()} cores (`nproc`), {cpu}; {mem_kb / 2**20:.0f} GiB memory; {platform.system()} {platform.release()}",
            f"- Python {platform.python_version()}; {packages}"]


def cell_time(case: dict[str, object], cap: float) -> str:
    times = case["times"]
    if case["capped"]:
        return f"> {cap:.0f} s (stopped)" if not case["error"] else f"> {cap:.0f} s ({case['error']})"
    if case["error"]:
        return f"failed ({case['error']})"
    if not times:
        return "–"
    median = statistics.median(times)  # type: ignore[arg-type]
    spread = f" ({min(times):.2f}–{max(times):.2f})" if len(times) > 1 else ""  # type: ignore[arg-type]
    return f"{median:.2f} s{spread}"


def table(result: dict[str, object]) -> list[str]:
    cases = {c["name"]: c for c in result["cases"]}  # type: ignore[index, union-attr]
    cap = float(result["cap"])  # type: ignore[arg-type]

    def median(name: str) -> float | None:
        times = cases[name]["times"]
        return statistics.median(times) if times else None

    rdflib_import = median('python -c "import rdflib"')
    ox_load = median("baseline: pyoxigraph parse + 1 query")
    manifest = result["manifest"]
    lines = [f"### {manifest['triples']:,} triples"  # type: ignore[index]
             f" ({manifest['ontology_triples']:,} ontology + {manifest['data_triples']:,} data)", "",  # type: ignore[index]
             f"Measured {result.get('measured', '?')}: {result.get('runs', '?')} runs of each light operation,"
             f" {result.get('heavy_runs', '?')} of each heavy one, cap {cap:.0f} s; load average"
             f" {result['load_before']} before, {result['load_after']} after.", "",
             "| operation | wall time, median (min–max) | runs | peak memory | × `import rdflib` | × pyoxigraph parse + query |",
             "|---|---|---|---|---|---|"]
    for name, case in cases.items():
        m = median(name)
        runs = len(case["times"])
        peak = f"{case['peak_kb'] / 1024:.0f} MB" if case["peak_kb"] else "–"
        ratio_a = f"{m / rdflib_import:.1f}" if m and rdflib_import else "–"
        ratio_b = f"{m / ox_load:.1f}" if m and ox_load else "–"
        if case["capped"]:
            ratio_a = f"> {cap / rdflib_import:.0f}" if rdflib_import else "–"
            ratio_b = f"> {cap / ox_load:.0f}" if ox_load else "–"
        extra = f", writes {case['output_bytes'] / 2**20:.0f} MB" if case["output_bytes"] else ""
        lines.append(f"| {name}{extra} | {cell_time(case, cap)} | {runs} | {peak} | {ratio_a} | {ratio_b} |")
    return lines


def write_readme(path: Path, results: list[dict[str, object]], args: argparse.Namespace) -> None:
    body = [BEGIN, f"Written by `python bench/bench_scale.py --sizes {args.sizes}` (each table says when it was"
            " measured, how many fresh processes per operation and the cap):", "", *machine(),
            "- Other work was running on the machine (load averages with each table): compare ratios, not seconds.",
            ""]
    for result in results:
        body += [*table(result), ""]
    body.append(END)
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(head + "\n".join(body) + tail, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per light operation (default 5)")
    parser.add_argument("--heavy-runs", type=int, default=1, help="runs of export, stats, validate, rdflib parse")
    parser.add_argument("--cap", type=float, default=600, help="seconds before a process is stopped (default 600)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-scale"))
    parser.add_argument("--readme", type=Path, default=HERE / "README.md")
    parser.add_argument("--no-readme", action="store_true", help="print the tables only")
    parser.add_argument("--report-only", action="store_true",
                        help="write the README from the results of earlier runs (in --work)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results = []
    for size in (generate.parse_size(s) for s in args.sizes.split(",")):
        if args.report_only:
            results.append(json.loads((args.work / f"results-{size}.json").read_text()))
            continue
        result = bench_size(size, args)
        results.append(result)
        (args.work / f"results-{size}.json").write_text(json.dumps(result, indent=2) + "\n")
        print("\n".join(table(result)), flush=True)
    if not args.no_readme:
        write_readme(args.readme, results, args)


if __name__ == "__main__":
    main()
