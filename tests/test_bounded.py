"""``kg.bounded``: time limits, and the worker's own result or error."""

from __future__ import annotations

import threading
import time

import pytest

from kg.bounded import call
from kg.errors import TimedOut


def test_the_result_and_the_error_come_back() -> None:
    assert call(lambda: 42) == 42
    with pytest.raises(ValueError, match="inside"):
        call(lambda: (_ for _ in ()).throw(ValueError("inside")))


def test_a_time_limit_stops_the_wait_and_the_python_worker() -> None:
    stopped = threading.Event()

    def forever() -> None:
        try:
            while True:
                time.sleep(0.001)
        finally:
            stopped.set()

    started = time.monotonic()
    with pytest.raises(TimedOut, match=r"the query ran out of time after 0\.2 s"):
        call(forever, timeout=0.2)
    assert time.monotonic() - started < 1.0
    assert stopped.wait(2), "the abandoned worker kept running"


def test_no_limit_and_nested_calls_run() -> None:
    assert call(lambda: call(lambda: "inner"), timeout=None) == "inner"
