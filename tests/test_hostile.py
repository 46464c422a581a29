"""The hostile corpus: every command against closed and full streams, special files, missing
graphs, hostile text, runaway queries, the network and Ctrl-C, as data.

The cases are ``tests/hostile/cases.json``: a command line, how to set it up (a graph tree,
files to create, environment, working folder, standard streams), and what must hold after it
(exit code, message patterns, files left as they were, network connections, time). One
parametrized test runs each; cases that need real descriptors or signals run in a subprocess
(four at a time, in a thread pool: the suite stays quick), the rest through click's CliRunner.

On top of the listed cases, every command of ``kg.cli.COMMANDS`` is run through a family of
generated cases (stdout closed or full, a mistyped or empty graph, …) with the arguments given
for it under ``"smoke"``: a new command without them fails ``test_every_command_has_smoke_arguments``.

Every case asserts: no "Traceback" on stderr, the exact exit code, nothing changed that must
not change (bytes, file type, symlink-ness, mode), no network connection unless asked for, and
that it ends by itself (``max_seconds``) or within a second of SIGINT.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import stat
import struct
import subprocess
import sys
import termios
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import COMMANDS, main
from kg.terminal import width as display_width

REPO = Path(__file__).resolve().parents[1]
CORPUS = json.loads((REPO / "tests" / "hostile" / "cases.json").read_text(encoding="utf-8"))
LEAKY = ("PYTHONPATH", "BORDER_KG_ROOT", "BORDER_KG_CACHE", "BORDER_KG_ALLOW_NETWORK", "NO_COLOR",
         "COLUMNS", "LINES", "TERM", "XDG_CACHE_HOME")
#: how a subprocess starts kg: Ctrl-C raises KeyboardInterrupt even if the test runner was
#: started with SIGINT ignored (a background job)
LAUNCH = ("import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
          "from kg.cli import main; main(sys.argv[1:], prog_name='kg')")
SPECIAL_STREAMS = ("closed", "full", "pty", "broken-pipe")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# ---------------------------------------------------------------------------- the cases


def generated_cases() -> list[dict[str, Any]]:
    """The family every command goes through, from its smoke arguments."""
    cases = []
    for name, args in sorted(CORPUS["smoke"].items()):
        needs_graph = True
        if isinstance(args, dict):  # {"args": [...], "needs_graph": false}: a command that reads no graph
            needs_graph, args = args.get("needs_graph", True), args["args"]
        argv = [name, *args]
        family = [
            {"id": f"{name}-smoke", "argv": argv, "tree": "tiny", "expect": {"exit": 0}},
            {"id": f"{name}-stdout-closed", "argv": argv, "tree": "tiny", "stdout": "closed",
             "expect": {"exit": 2, "stderr": "error: cannot write: standard output is closed"}},
            {"id": f"{name}-stdout-full", "argv": argv, "tree": "tiny", "stdout": "full",
             "expect": {"exit": 2, "stderr": "error: cannot write to standard output: No space left on device"}},
            {"id": f"{name}-root-mistyped", "argv": argv, "tree": "none",
             "env": {"BORDER_KG_ROOT": "{tmp}/no-such-tree"},
             "expect": {"exit": 2, "stderr": r"error: graph: \S+/no-such-tree \(from BORDER_KG_ROOT\): no such folder"}},
            {"id": f"{name}-root-empty", "argv": argv, "tree": "empty",
             "expect": {"exit": 2, "stderr": r"error: graph: \S+ \(from BORDER_KG_ROOT\): no \.ttl files in data/"}},
        ]
        cases += family if needs_graph else [c for c in family if "-root-" not in c["id"]]
    return cases


ALL_CASES = CORPUS["cases"] + generated_cases()


def runs_in_subprocess(case: dict[str, Any]) -> bool:
    return (case.get("run") == "subprocess" or case.get("stdout") in SPECIAL_STREAMS
            or case.get("stdin_closed", False) or case.get("stderr_closed", False) or "sigint_after" in case
            or "fifo_reader" in case)


# ---------------------------------------------------------------------------- trees and files


@pytest.fixture(scope="session")
def world_bytes() -> bytes:
    """The minimal valid world, normalized (so kg fmt --check passes on the tiny tree)."""
    from kg.normalize import normalized_file_bytes

    return normalized_file_bytes(REPO / "tests" / "fixtures" / "valid" / "minimal-world.ttl")


def make_tree(kind: str, tmp: Path, world: bytes) -> Path | None:
    """``tiny``: the ontology and a small valid world; ``shipped``: a copy of the real graph;
    ``empty``: ontology/ and data/ without data files; ``none``: no graph at all."""
    tree = tmp / "tree"
    if kind == "none":
        return None
    shutil.copytree(REPO / "ontology", tree / "ontology")
    if kind == "shipped":
        shutil.copytree(REPO / "data", tree / "data")
    else:
        (tree / "data").mkdir()
        if kind == "tiny":
            (tree / "data" / "world.ttl").write_bytes(world)
    shutil.copytree(REPO / "queries", tree / "queries")  # a copy: cases add files to it
    return tree


def expand(value: Any, where: dict[str, str]) -> Any:
    if isinstance(value, str):
        for name, text in where.items():
            value = value.replace("{" + name + "}", text)
        return value
    if isinstance(value, list):
        return [expand(v, where) for v in value]
    if isinstance(value, dict):
        return {expand(k, where): expand(v, where) for k, v in value.items()}
    return value


def generate(name: str) -> str:
    """Graphs too long to write out in the corpus."""
    head = ("@prefix bk: <https://w3id.org/border-kg/ontology#> .\n"
            "@prefix bkr: <https://w3id.org/border-kg/id/> .\n"
            "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n")
    lines = [head]
    if name == "diamond":  # 29 levels, two places each, each part of both above: 2^29 paths
        lines.append('bkr:diamond a bk:Town ; skos:prefLabel "Diamond town"@en ; bk:partOf bkr:d0a, bkr:d0b .')
        for level in range(29):
            for side in "ab":
                lines.append(f'bkr:d{level}{side} a bk:AdministrativeRegion ; skos:prefLabel "D{level}{side}"@en ; '
                             f"bk:partOf bkr:d{level + 1}a, bkr:d{level + 1}b .")
        lines.append('bkr:d29a a bk:Country ; skos:prefLabel "D29a"@en . bkr:d29b a bk:Country ; skos:prefLabel "D29b"@en .')
    elif name == "deep-chain":  # 1,500 levels
        lines.append('bkr:deep a bk:Town ; skos:prefLabel "Deep town"@en ; bk:partOf bkr:c0 .')
        for level in range(1500):
            lines.append(f'bkr:c{level} a bk:AdministrativeRegion ; skos:prefLabel "C{level}"@en ; bk:partOf bkr:c{level + 1} .')
    elif name == "bulk":  # 20,000 towns: enough work that a signal always lands mid-run
        for n in range(20000):
            lines.append(f'bkr:bulk{n} a bk:Town ; skos:prefLabel "Bulk {n}"@en ; bk:partOf bkr:bulk{n // 100}r .')
    else:
        raise ValueError(name)
    return "\n".join(lines) + "\n"


def create(spec: dict[str, Any]) -> None:
    path = Path(spec["path"])
    path.parent.mkdir(parents=True, exist_ok=True)
    if "text" in spec:
        path.write_text(spec["text"], encoding="utf-8")
    elif "append" in spec:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(spec["append"])
    elif "hex" in spec:
        path.write_bytes(bytes.fromhex(spec["hex"]))
    elif "generate" in spec:
        path.write_text(generate(spec["generate"]), encoding="utf-8")
    elif "copy" in spec:
        shutil.copy(spec["copy"], path)
    elif spec.get("fifo"):
        os.mkfifo(path)
    elif spec.get("dir"):
        path.mkdir(exist_ok=True)
    elif spec.get("socket"):
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        server.close()
    elif "symlink" in spec:
        path.symlink_to(spec["symlink"])
    if "mode" in spec:
        os.chmod(path, int(spec["mode"], 8))


def snapshot(path: str) -> tuple[Any, ...]:
    """What must not change about a path: its type, link target, mode and bytes."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return ("missing",)
    link = os.readlink(path) if stat.S_ISLNK(info.st_mode) else None
    content = None
    if stat.S_ISREG(info.st_mode):
        content = Path(path).read_bytes()
    elif link is not None and os.path.isfile(path):
        content = Path(path).read_bytes()
    return (stat.S_IFMT(info.st_mode), link, stat.S_IMODE(info.st_mode), content)


class Listener:
    """A socket on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.server.settimeout(0.1)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                conn, _ = self.server.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self) -> int:
        self.running = False
        self.thread.join(2)
        self.server.close()
        return self.connections


def hold_fifo_open_for_reading(path: str) -> threading.Thread:
    """A reader waiting on a FIFO, as ``cat fifo`` would: it must get nothing written by kg."""
    got: dict[str, bytes] = {}

    def read() -> None:
        with open(path, "rb") as fifo:
            got["data"] = fifo.read()

    reader = threading.Thread(target=read, daemon=True)
    reader.got = got  # type: ignore[attr-defined]
    reader.start()
    return reader


def release_fifo(path: str, reader: threading.Thread) -> bytes:
    """Let the waiting reader finish (open for writing, write nothing, close)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
    except OSError:
        pass
    reader.join(2)
    return reader.got.get("data", b"")  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------- running


@dataclass
class Outcome:
    exit: int
    stdout: str
    stderr: str
    seconds: float
    after_signal: float | None = None
    connections: int = 0
    fifo_got: bytes = b""
    changed: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)


@dataclass
class Prepared:
    case: dict[str, Any]
    where: dict[str, str]
    env: dict[str, str]
    cwd: str
    before: dict[str, tuple[Any, ...]]
    listener: Listener | None


def prepare(case: dict[str, Any], tmp: Path, world: bytes) -> Prepared:
    tree = make_tree(case.get("tree", "tiny"), tmp, world)
    listener = Listener() if case.get("listener") else None
    where = {"tmp": str(tmp), "tree": str(tree or tmp / "tree"), "repo": str(REPO),
             "port": str(listener.port if listener else 9)}
    case = expand(case, where)
    for spec in case.get("files", []):
        create(spec)
    for path in case.get("remove", []):
        Path(path).unlink()
    env = {k: v for k, v in os.environ.items() if k not in LEAKY}
    env["XDG_CACHE_HOME"] = str(tmp / "xdg")
    if tree is not None:
        env["BORDER_KG_ROOT"] = str(tree)
    env.update(case.get("env", {}))
    for name in case.get("env_unset", []):
        env.pop(name, None)
    if case.get("warm_cache"):
        warm(env, case)
    cwd = case.get("cwd", str(tmp))
    Path(cwd).mkdir(parents=True, exist_ok=True)
    before = {path: snapshot(path) for path in case.get("unchanged", [])}
    return Prepared(case, where, env, cwd, before, listener)


def warm(env: dict[str, str], case: dict[str, Any]) -> None:
    """Build the on-disk cache with one run, then damage it as the case says."""
    done = subprocess.run([sys.executable, "-c", LAUNCH, "status"], env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    stores = sorted(Path(env["XDG_CACHE_HOME"]).glob("border-kg/*/store-*"))
    assert len(stores) == 1
    if case.get("corrupt") == "sst":
        biggest = max(stores[0].glob("*.sst"), key=lambda p: p.stat().st_size)
        data = bytearray(biggest.read_bytes())
        for offset in range(len(data) // 3, len(data) // 3 + 64):
            data[offset] ^= 0x55
        biggest.write_bytes(bytes(data))


def finish(prepared: Prepared, outcome: Outcome) -> Outcome:
    if prepared.listener is not None:
        outcome.connections = prepared.listener.close()
    for path, before in prepared.before.items():
        after = snapshot(path)
        if after != before:
            outcome.changed[path] = (before, after)
    outcome.where = prepared.where
    return outcome


def run_inproc(prepared: Prepared, monkeypatch: pytest.MonkeyPatch) -> Outcome:
    case = prepared.case
    for name in LEAKY:
        monkeypatch.delenv(name, raising=False)
    for name, value in prepared.env.items():
        if os.environ.get(name) != value:
            monkeypatch.setenv(name, value)
    for name in case.get("env_unset", []):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(prepared.cwd)
    started = time.monotonic()
    result = CliRunner().invoke(main, case["argv"], input=case.get("stdin"))
    return finish(prepared, Outcome(result.exit_code, result.stdout, result.stderr, time.monotonic() - started))


def run_subprocess(prepared: Prepared) -> Outcome:
    case = prepared.case
    command = [sys.executable, "-c", LAUNCH, *case["argv"]]
    wrap = []
    if case.get("stdout") == "closed":
        wrap.append(">&-")
    if case.get("stdin_closed"):
        wrap.append("<&-")
    if case.get("stderr_closed"):
        wrap.append("2>&-")
    if wrap:
        command = ["sh", "-c", f'exec "$@" {" ".join(wrap)}', "sh", *command]
    stdin = subprocess.PIPE if case.get("stdin") is not None else subprocess.DEVNULL
    stdout: Any = subprocess.PIPE
    master = None
    closers = []
    if case.get("stdout") == "full":
        stdout = open("/dev/full", "wb")  # noqa: SIM115
        closers.append(stdout)
    elif case.get("stdout") == "broken-pipe":
        read_end, write_end = os.pipe()
        os.close(read_end)
        stdout = write_end
        closers.append(write_end)
    elif case.get("stdout") == "pty":
        import pty

        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, case.get("columns", 80), 0, 0))
        stdout = slave
        closers.append(slave)
    reader = hold_fifo_open_for_reading(case["fifo_reader"]) if "fifo_reader" in case else None
    started = time.monotonic()
    process = subprocess.Popen(command, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE,
                               env=prepared.env, cwd=prepared.cwd)
    for handle in closers:
        if isinstance(handle, int):
            os.close(handle)
        else:
            handle.close()
    pty_output = bytearray()
    pumper = None
    if master is not None:
        def pump() -> None:
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                pty_output.extend(chunk)

        pumper = threading.Thread(target=pump, daemon=True)
        pumper.start()
    after_signal = None
    limit = case.get("max_seconds", 60)
    try:
        if "sigint_after" in case:
            time.sleep(case["sigint_after"])
            signalled = time.monotonic()
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(case.get("stdin", "").encode() if case.get("stdin") else None, timeout=10)
            after_signal = time.monotonic() - signalled
        else:
            out, err = process.communicate(case.get("stdin", "").encode() if case.get("stdin") else None,
                                           timeout=limit)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        err += b"\n[the test killed it: still running after the time limit]"
    seconds = time.monotonic() - started
    if pumper is not None:
        pumper.join(2)
        os.close(master)
        out = bytes(pty_output)
    outcome = Outcome(process.returncode, (out or b"").decode("utf-8", "replace"),
                      (err or b"").decode("utf-8", "replace"), seconds, after_signal)
    if reader is not None:
        outcome.fifo_got = release_fifo(case["fifo_reader"], reader)
    return finish(prepared, outcome)


# ---------------------------------------------------------------------------- checking


def check(case: dict[str, Any], outcome: Outcome) -> None:
    expect = expand(case.get("expect", {}), outcome.where)
    shown = f"\n--- exit {outcome.exit}\n--- stdout\n{outcome.stdout[-3000:]}\n--- stderr\n{outcome.stderr[-3000:]}"
    assert "Traceback" not in outcome.stderr, shown
    assert outcome.exit == expect["exit"], shown
    if "stderr" in expect:
        assert re.search(expect["stderr"], outcome.stderr, re.S), shown
    if "stdout" in expect:
        assert re.search(expect["stdout"], outcome.stdout, re.S), shown
    for text in expect.get("stdout_absent", []):
        assert text not in outcome.stdout, (text, shown)
    for text in expect.get("stderr_absent", []):
        assert text not in outcome.stderr, (text, shown)
    if expect.get("stderr_lines") is not None:
        assert len(outcome.stderr.strip().splitlines()) == expect["stderr_lines"], shown
    if "max_columns" in expect:
        lines = ANSI.sub("", outcome.stdout).replace("\r", "").splitlines()
        assert lines and max(display_width(line) for line in lines) <= expect["max_columns"], shown
    if "min_columns" in expect:
        lines = outcome.stdout.splitlines()
        assert max(display_width(line) for line in lines) >= expect["min_columns"], shown
    assert outcome.changed == {}, f"changed: {sorted(outcome.changed)}{shown}"
    assert outcome.connections >= expect.get("min_connections", 0), shown
    if "min_connections" not in expect:
        assert outcome.connections == 0, f"{outcome.connections} network connections{shown}"
    assert outcome.fifo_got == b"", "the FIFO's reader received output"
    assert outcome.seconds <= case.get("max_seconds", 60), shown
    if outcome.after_signal is not None:
        assert outcome.after_signal < 1.0, f"took {outcome.after_signal:.2f} s to stop after SIGINT{shown}"
    for path, pattern in expect.get("files", {}).items():
        assert re.search(pattern, Path(path).read_text(encoding="utf-8"), re.S), path
    for path in expect.get("symlinks", []):
        assert os.path.islink(path), f"{path} is no longer a symlink"


# ---------------------------------------------------------------------------- the tests

_subprocess_results: dict[str, Outcome] = {}


@pytest.fixture(scope="session")
def subprocess_outcomes(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                        world_bytes: bytes) -> dict[str, Outcome]:
    """The selected subprocess cases, four at a time (those marked ``alone`` one by one, after)."""
    selected = {item.callspec.params["case"]["id"] for item in request.session.items
                if getattr(item, "originalname", "") == "test_hostile_case" and hasattr(item, "callspec")}
    cases = [c for c in ALL_CASES if runs_in_subprocess(c) and c["id"] in selected]
    prepared = {c["id"]: prepare(c, tmp_path_factory.mktemp(re.sub(r"\W", "_", c["id"])[:40]), world_bytes)
                for c in cases}
    # the long ones (signals, time limits) first, so the pool ends together
    cases.sort(key=lambda c: -(c.get("sigint_after", 0) + ("--timeout" in c["argv"]) + bool(c.get("warm_cache"))))
    together = [c["id"] for c in cases if not c.get("alone")]
    with ThreadPoolExecutor(max_workers=4) as pool:
        for name, outcome in zip(together, pool.map(lambda n: run_subprocess(prepared[n]), together), strict=True):
            _subprocess_results[name] = outcome
    for case in cases:
        if case["id"] not in _subprocess_results:
            _subprocess_results[case["id"]] = run_subprocess(prepared[case["id"]])
    return _subprocess_results


@pytest.mark.parametrize("case", ALL_CASES, ids=[c["id"] for c in ALL_CASES])
def test_hostile_case(case: dict[str, Any], tmp_path: Path, world_bytes: bytes,
                      monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    if case.get("skip_if_root") and os.geteuid() == 0:
        pytest.skip("root may write anything: the refusal comes from the system, not from kg")
    for device in case.get("requires_devices", []):
        if not stat.S_ISCHR(os.stat(device).st_mode):  # never let a regression replace it again
            pytest.fail(f"{device} is not a device on this machine (something replaced it): cannot test")
    if runs_in_subprocess(case):
        outcome = request.getfixturevalue("subprocess_outcomes")[case["id"]]
    else:
        outcome = run_inproc(prepare(case, tmp_path, world_bytes), monkeypatch)
    check(case, outcome)


def test_case_ids_are_unique() -> None:
    ids = [c["id"] for c in ALL_CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_every_command_has_smoke_arguments() -> None:
    """A new command joins the corpus by giving arguments that succeed on the tiny graph."""
    assert sorted(CORPUS["smoke"]) == sorted(COMMANDS)


def test_every_command_appears_in_listed_cases() -> None:
    seen = {c["argv"][0] for c in CORPUS["cases"] if c["argv"] and not c["argv"][0].startswith("-")}
    seen |= {c["argv"][2] for c in CORPUS["cases"] if c["argv"][:1] == ["--root"]}
    assert set(COMMANDS) <= seen, sorted(set(COMMANDS) - seen)


def test_every_issue_item_has_a_case() -> None:
    assert {c.get("issue") for c in CORPUS["cases"]} >= set(range(1, 11))


def test_errno_names_used_in_messages_exist() -> None:
    assert os.strerror(errno.ENOSPC) == "No space left on device"
