"""Oxigraph's plan of one query on a tree's warm store, one line per operator that took time.

    python bench/explain_query.py TREE QUERY [NAME=VALUE ...] [--min-seconds 0.05]

QUERY is a library name or a ``.rq`` file, bound with its parameters exactly as ``kg query``
binds them. Runs ``oxigraph query --explain --stats`` (``pip install oxigraph``, the same version
as pyoxigraph) on a copy of the store, since the CLI opens it for writing. Each line: seconds,
rows, operator. Why: a query that grows faster than the graph shows it here, such as a join with
no key (``keys = ``) or a ``HashBuildRightProbeLeft`` over every period of the graph.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

NODE = re.compile(r'^( *)name: "((?:[^"\\]|\\.)*)",\n\s*number of results: (\d+),\n\s*duration in seconds: ([\d.e-]+)',
                  re.M)


def condensed(explanation: str, min_seconds: float) -> list[str]:
    """The ``--explain --stats`` tree (Rust debug output) as indented lines, slow operators only."""
    lines = []
    for match in NODE.finditer(explanation):
        depth = max(0, (len(match[1]) - 8) // 12)
        seconds = float(match[4])
        if seconds >= min_seconds:
            lines.append(f"{'  ' * depth}{seconds:8.3f} s {int(match[3]):>9}  {match[2][:160]}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", type=Path)
    parser.add_argument("query")
    parser.add_argument("params", nargs="*", help="NAME=VALUE, as kg query --param")
    parser.add_argument("--min-seconds", type=float, default=0.05)
    args = parser.parse_args()
    os.environ["BORDER_KG_ROOT"] = str(args.tree.resolve())
    os.environ["BORDER_KG_CACHE"] = "always"
    os.environ.setdefault("XDG_CACHE_HOME", str(args.tree.resolve().parent / "profile-cache"))

    from kg import paths, store
    from kg.engines import prepare
    from kg.params import resolve
    from kg.queries import from_text, load

    store.open_store()  # builds the warm store if needed
    files = paths.graph_files()
    source = store.cache_dir() / f"store-{store.fingerprint(files)}"
    path = Path(args.query)
    query = from_text(path.read_text(), path.stem) if path.suffix == ".rq" else load(args.query)
    text = prepare(query, resolve(list(query.params), dict(p.split("=", 1) for p in args.params)))
    with tempfile.TemporaryDirectory(prefix="kg-explain-") as work:
        copy = Path(work) / "store"
        shutil.copytree(source, copy)
        (Path(work) / "query.rq").write_text(text)
        done = subprocess.run(["oxigraph", "query", "--location", str(copy), "--query-file",
                               str(Path(work) / "query.rq"), "--results-format", "tsv", "--explain", "--stats"],
                              capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr.strip().splitlines()[0] if done.stderr.strip() else "oxigraph failed")
    rows = max(0, len(done.stdout.splitlines()) - 1)
    print(f"# {query.name} on {args.tree}: {rows} rows; operators taking >= {args.min_seconds} s (--stats adds overhead)")
    print("\n".join(condensed(done.stderr, args.min_seconds)))


if __name__ == "__main__":
    main()
