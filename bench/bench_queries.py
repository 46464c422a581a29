"""Median time of every library query on Oxigraph and rdflib, on the shipped graph.

Each engine loads the graph once; each query then runs N times (after one warm-up run) with the
parameters of its ``# example:`` header line (defaults otherwise). Prints one line per query:
median milliseconds on each engine and the rdflib/Oxigraph ratio.

    python bench/bench_queries.py [-n 20] [--no-external] [QUERY ...]
"""

from __future__ import annotations

import argparse
import statistics
import time

from kg import paths
from kg.engines import ENGINES, execute, load_engine
from kg.params import resolve
from kg.queries import load_all


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=20, help="runs per query (default 20)")
    parser.add_argument("--no-external", action="store_true", help="leave data/external/ out")
    parser.add_argument("queries", nargs="*", help="query names (default: all)")
    args = parser.parse_args()

    files = paths.graph_files(include_external=not args.no_external)
    queries = [q for q in load_all() if not args.queries or q.name in args.queries]
    engines = {}
    for name in ENGINES:
        started = time.perf_counter()
        engines[name] = load_engine(name, files)
        print(f"# {name}: loaded {len(files)} files in {1000 * (time.perf_counter() - started):.0f} ms")

    print(f"# median of {args.runs} runs, milliseconds")
    print(f"{'query':<40} {'oxigraph':>9} {'rdflib':>9} {'ratio':>7} {'rows':>5}")
    for query in queries:
        values = resolve(list(query.params), dict(query.example))
        medians: dict[str, float] = {}
        rows = 0
        for name, engine in engines.items():
            rows = len(execute(query, values, engine).rows)  # warm-up (and rdflib's parse cache)
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                execute(query, values, engine)
                times.append(1000 * (time.perf_counter() - started))
            medians[name] = statistics.median(times)
        ratio = medians["rdflib"] / medians["oxigraph"] if medians["oxigraph"] else float("nan")
        print(f"{query.name:<40} {medians['oxigraph']:>9.2f} {medians['rdflib']:>9.1f} "
              f"{ratio:>6.0f}x {rows:>5}")


if __name__ == "__main__":
    main()
