"""Where one ``kg`` operation spends its time, on a generated tree: a pyinstrument call tree plus
the wall time and row count of every library/card query the engine ran.

    python bench/profile_ops.py TREE OP [--cache always|never] [--depth 14]

OP is ``status``, ``headline``, ``status-as-of``, ``crossing``, ``search`` (names from the tree's
``bench.json``), ``export-nt``, ``export-ttl``, ``stats``, ``validate`` or ``build`` (a cold
``open_store()`` into an empty cache). Runs in this process (``kg.cli.main``) with output
discarded; needs ``pip install pyinstrument``. For why a query is slow, read its plan:
``bench/explain_query.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import tempfile
import time
from pathlib import Path


def commands(manifest: dict[str, object]) -> dict[str, list[str]]:
    return {
        "status": ["status"],
        "headline": ["query", "held-by-anti-regime-closed-by-china"],
        "status-as-of": ["query", "status-as-of"],
        "crossing": ["crossing", str(manifest["crossing"])],
        "search": ["search", str(manifest["search"])],
        "export-nt": ["export", "--format", "nt", "--output", os.devnull],
        "export-ttl": ["export", "--format", "ttl", "--output", os.devnull],
        "stats": ["stats"],
        "validate": ["validate"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", type=Path)
    parser.add_argument("op")
    parser.add_argument("--cache", default="always", choices=("always", "never"))
    parser.add_argument("--depth", type=int, default=14, help="levels of the call tree shown")
    args = parser.parse_args()
    os.environ["BORDER_KG_ROOT"] = str(args.tree.resolve())
    os.environ["BORDER_KG_CACHE"] = args.cache
    os.environ.setdefault("XDG_CACHE_HOME", str(args.tree.resolve().parent / "profile-cache"))
    manifest = json.loads((args.tree / "bench.json").read_text())

    from pyinstrument import Profiler

    import kg.engines
    from kg.cli import main as kg_main

    ran: list[tuple[float, int, str]] = []
    original = kg.engines.OxigraphEngine.run

    def timed(self: kg.engines.OxigraphEngine, text: str, values: object = None) -> kg.engines.Result:
        started = time.perf_counter()
        result = original(self, text, values)  # type: ignore[arg-type]
        title = next((line for line in text.splitlines() if line.startswith("# title:")), "")
        bare = re.sub(r"PREFIX\s+\w*:\s*<[^>]*>\s*", "", text)  # the prologue is on the first line
        body = " ".join(line.strip() for line in bare.splitlines() if line.strip() and not line.startswith("#"))
        ran.append((time.perf_counter() - started, len(result.rows), title[9:] or body[:110]))
        return result

    kg.engines.OxigraphEngine.run = timed  # type: ignore[method-assign]
    if args.op == "build":
        os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="kg-cold-")
        from kg.store import open_store

        def target() -> None:
            open_store()
    else:
        if args.op != "validate":
            from kg.store import open_store

            open_store()  # warm the cache outside the profile (the warm-store case)

        def target() -> None:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                with contextlib.suppress(SystemExit):
                    kg_main(commands(manifest)[args.op], standalone_mode=False)

    profiler = Profiler(interval=0.005)
    started = time.perf_counter()
    profiler.start()
    target()
    profiler.stop()
    total = time.perf_counter() - started
    print(f"# {args.op} on {manifest['triples']} triples ({args.cache}): {total:.2f} s")
    for seconds, rows, what in sorted(ran, reverse=True)[:12]:
        print(f"#   query {seconds:7.3f} s {rows:7d} rows  {what}")
    print(_trimmed(profiler, args.depth))


def _trimmed(profiler: object, depth: int) -> str:
    """The call tree, cut at ``depth`` levels (pyinstrument's text renderer has no depth limit)."""
    text = profiler.output_text(unicode=False, color=False)  # type: ignore[attr-defined]
    kept = []
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip(" |-`"))
        if indent // 3 <= depth:
            kept.append(line)
    return "\n".join(kept)


if __name__ == "__main__":
    main()
