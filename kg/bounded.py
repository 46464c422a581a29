"""Run work that can run away with a time limit, and let Ctrl-C stop it within a second.

Python delivers Ctrl-C (``KeyboardInterrupt``) only between bytecodes of the main thread, so a
long call into native code (an Oxigraph query or load: measured, they release the GIL but never
return to Python) used to ignore it until SIGKILL. :func:`call` runs such work in a worker
thread while the main thread waits in short slices: Ctrl-C interrupts the wait at once, and a
time limit raises :class:`kg.errors.TimedOut`. The abandoned worker is asked to stop (an
exception raised in it the next time it runs Python: rdflib stops at once, Oxigraph between
rows); work stuck in native code ends with the process, which exits right after.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from typing import TypeVar

from kg.errors import TimedOut

T = TypeVar("T")

#: How often the waiting main thread wakes up (seconds): the latency of Ctrl-C.
SLICE = 0.05


class Cancelled(BaseException):
    """Raised inside an abandoned worker to stop it at its next Python bytecode."""


def call(work: Callable[[], T], timeout: float | None = None, what: str = "the query") -> T:
    """``work()``, run in a worker thread; :class:`TimedOut` after ``timeout`` seconds (None or
    0: no limit). ``KeyboardInterrupt`` and ``work``'s own exceptions reach the caller."""
    if threading.current_thread() is not threading.main_thread():
        return work()  # only the main thread receives Ctrl-C; nested calls run inline
    outcome: dict[str, object] = {}

    def worker() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # noqa: BLE001 - handed to the waiting thread
            # the frames' locals may hold store objects that must die on this thread
            # (pyoxigraph's are thread-bound): the waiting thread gets names and lines only
            traceback.clear_frames(error.__traceback__)
            outcome["error"] = error

    thread = threading.Thread(target=worker, name="kg-bounded", daemon=True)
    deadline = None if not timeout else time.monotonic() + timeout
    thread.start()
    try:
        while thread.is_alive():
            wait = SLICE if deadline is None else min(SLICE, max(0.0, deadline - time.monotonic()))
            thread.join(wait)
            if deadline is not None and thread.is_alive() and time.monotonic() >= deadline:
                raise TimedOut(f"{what} ran out of time after {_seconds(timeout)} "
                               "(--timeout SECONDS sets the limit; 0 for none)")
    except BaseException:
        _cancel(thread)
        raise
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def _seconds(value: float | None) -> str:
    return f"{value:g} s"


def _cancel(thread: threading.Thread) -> None:
    """Ask ``thread`` to stop by raising :class:`Cancelled` in it (best effort)."""
    if not thread.is_alive() or thread.ident is None:
        return
    import ctypes

    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(Cancelled))
