"""Every expected failure as one line for people and a documented exit code, in one place.

The exit codes of every command (also in the README):

====  ==========================================================================================
0     success (validate: conforms; fmt --check: normalized)
1     the answer is no: does not conform, not normalized, no such name, an ambiguous name,
      nothing found
2     could not do it: a usage error; missing, unreadable or malformed input (graph files,
      queries, shapes); no graph; a refused request (a SPARQL update, SERVICE, a file that must
      not be written); output that cannot be written (closed standard output, a full disk)
70    an internal error: a bug in kg (the traceback is shown; please report it)
124   a query ran out of time (``--timeout``)
130   interrupted (Ctrl-C)
141   the reader of standard output went away (a pager quit, ``| head``), as if by SIGPIPE
====  ==========================================================================================

Library code raises :class:`KgError` subclasses (or lets ``OSError`` through); only
:func:`run` (called by the ``kg`` group for every command) turns them into messages and codes.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path

OK = 0
NO = 1
FAILED = 2
INTERNAL = 70
TIMEOUT = 124
INTERRUPTED = 130
BROKEN_PIPE = 141


class KgError(Exception):
    """An expected failure. ``str()`` is the message for people; ``exit_code`` what it means."""

    exit_code = FAILED


class NegativeAnswer(KgError):
    """The command worked and the answer is no (nothing found, an ambiguous name)."""

    exit_code = NO


class TimedOut(KgError):
    """A query or a search ran out of time."""

    exit_code = TIMEOUT


class ReaderGone(KgError):
    """Standard output's reader went away (EPIPE). Raised where click would swallow it."""

    exit_code = BROKEN_PIPE


class InputError(KgError):
    """Input that cannot be read: ``FILE[:LINE[:COLUMN]]: reason``, on one line."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None,
                 column: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.column = column
        self.reason = " ".join(str(reason).split()) or "cannot be read"
        where = display_path(self.path)
        if line is not None:
            where += f":{line}" + (f":{column}" if column is not None else "")
        super().__init__(f"{where}: {self.reason}")


class OutputError(KgError):
    """Output that must not or cannot be written; nothing was changed."""


def display_path(path: Path | str) -> str:
    """The path relative to the working directory when it lies below it (shorter messages)."""
    try:
        resolved = Path(path).resolve()
        return os.path.relpath(path) if resolved.is_relative_to(Path.cwd()) else str(path)
    except (OSError, ValueError):
        return str(path)


def os_reason(error: OSError) -> str:
    """The system's words for an ``OSError`` ("No space left on device")."""
    return error.strerror or " ".join(str(error).split()) or type(error).__name__


def is_corruption(error: BaseException) -> bool:
    """Whether ``error`` is RocksDB reporting a damaged store (the cache, rebuilt on retry)."""
    return isinstance(error, OSError | RuntimeError | KgError) and "Corruption:" in str(error)


# ---------------------------------------------------------------------------- running a command


def run(invoke: Callable[[], object]) -> int:
    """Run one command (``invoke`` is click's non-standalone ``main``) and return its exit code.

    Expected failures print ``error: …`` on standard error (never a traceback); output is
    flushed here, so a command whose output could not be written does not exit 0. A damaged
    on-disk store is dropped and the command run once more (it is only a cache).
    """
    import click

    from kg import streams

    streams.guard()
    retried = False
    while True:
        try:
            code = invoke()
            streams.finish()
            return code if isinstance(code, int) else OK
        except (SystemExit, GeneratorExit):
            raise
        except click.exceptions.Exit as done:
            streams.finish_quietly()
            return done.exit_code
        except BaseException as error:  # noqa: BLE001 - the one place that decides
            if not retried and _drop_damaged_cache(error):
                retried = True
                continue
            return _failure(error)


def _failure(error: BaseException) -> int:
    """Report ``error`` (one line, or a traceback for a bug) and return its exit code."""
    import click

    from kg import streams

    if isinstance(error, KeyboardInterrupt | click.exceptions.Abort):
        streams.silence()
        _report("interrupted")
        return INTERRUPTED
    if isinstance(error, ReaderGone | BrokenPipeError) or getattr(error, "errno", None) == errno.EPIPE:
        streams.silence()
        return BROKEN_PIPE
    if isinstance(error, getattr(click.exceptions, "NoArgsIsHelpError", ())):
        if sys.stderr is not None:  # "kg" alone: the help, as click prints it
            sys.stderr.write(error.format_message() + "\n")
        return error.exit_code
    if isinstance(error, click.UsageError):
        hint = f" (see '{error.ctx.command_path} --help')" if error.ctx is not None else ""
        _report(error.format_message().rstrip(".") + hint)
        return error.exit_code
    if isinstance(error, click.ClickException):
        _report(error.format_message())
        return error.exit_code
    if isinstance(error, KgError):
        _report(str(error))
        return error.exit_code
    if isinstance(error, OSError):
        if streams.is_stdout_error(error):
            streams.silence()
        _report(_os_message(error))
        return FAILED
    import traceback

    streams.silence()
    if sys.stderr is not None:
        traceback.print_exception(error)
    _report("internal error (a bug in kg): please report it with the traceback above")
    return INTERNAL


def _os_message(error: OSError) -> str:
    from kg import streams

    if streams.is_closed_error(error):
        return "cannot write: standard output is closed"
    if streams.is_stdout_error(error):
        return f"cannot write to standard output: {os_reason(error)}"
    if error.filename is not None:
        return f"{display_path(os.fsdecode(error.filename))}: {os_reason(error)}"
    return os_reason(error)


def _drop_damaged_cache(error: BaseException) -> bool:
    """For a damaged store ("Corruption:", or Oxigraph's Rust code panicking), remove the
    on-disk store this process opened; True when there was one (then run the command again)."""
    if not (is_corruption(error) or type(error).__name__ == "PanicException"):
        return False
    from kg import store

    dropped = store.drop_damaged()
    if dropped:
        _report(f"the graph cache was damaged ({' '.join(str(error).split())[:120]}); rebuilt it",
                prefix="note")
    return dropped


def _report(message: str, prefix: str = "error") -> None:
    """One message on standard error, made safe for a terminal; silent when stderr is gone."""
    from kg.terminal import clean

    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(f"{prefix}: {clean(message)}\n")
        stream.flush()
    except (OSError, ValueError):
        pass
