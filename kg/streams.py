"""The standard streams of a command, when they are closed, full or gone.

- A closed descriptor 0, 1 or 2 (``kg status >&-``) is occupied by ``/dev/null`` at start, so
  no file opened later takes its number and receives output meant for the terminal; a closed
  standard output becomes a stream whose writes fail ("Bad file descriptor"), so a command that
  writes nothing because of it does not exit 0.
- :func:`finish` flushes standard output while errors can still be reported: output that
  only fails at the final flush (``> /dev/full``) is an error, not a silent exit 0.
- :func:`silence` points a failed standard output at ``/dev/null``, so the interpreter's own
  flush at exit does not print a second, unhandled error.
"""

from __future__ import annotations

import errno
import io
import os
import sys

_CLOSED_MESSAGE = "standard output is closed"
_discard = False


class _ClosedOutput(io.RawIOBase):
    """The raw side of a standard output that was closed before the command started."""

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        if _discard:
            return len(data)  # type: ignore[arg-type]
        raise OSError(errno.EBADF, _CLOSED_MESSAGE)


def guard() -> None:
    """Occupy closed descriptors 0-2 and give a closed standard output a failing stream."""
    closed = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.append(fd)
            try:
                null = os.open(os.devnull, os.O_RDWR)
            except OSError:
                continue
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
    if 1 in closed or sys.stdout is None:
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(_ClosedOutput()), encoding="utf-8")
    if 0 in closed:
        sys.stdin = None  # type: ignore[assignment]
    if 2 in closed:
        sys.stderr = None  # type: ignore[assignment]


def finish() -> None:
    """Flush standard output; raises the ``OSError`` of output that could not be written."""
    if sys.stdout is not None:
        sys.stdout.flush()


def finish_quietly() -> None:
    """Flush after ``--help`` and the like; a failure there only silences the stream."""
    try:
        finish()
    except (OSError, ValueError):
        silence()


def silence() -> None:
    """Send whatever is left in standard output's buffer to ``/dev/null``."""
    global _discard
    _discard = True
    stream = sys.stdout
    if stream is None:
        return
    try:
        fd = stream.fileno()
    except (OSError, ValueError, io.UnsupportedOperation):
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)
    except OSError:
        pass


def is_closed_error(error: OSError) -> bool:
    return error.errno == errno.EBADF and str(error).endswith(_CLOSED_MESSAGE)


def is_stdout_error(error: OSError) -> bool:
    """Whether ``error`` came from writing standard output (no file name attached)."""
    return error.filename is None and (
        error.errno in (errno.ENOSPC, errno.EBADF, errno.EIO, errno.EDQUOT, errno.EFBIG)
        or str(error).endswith(_CLOSED_MESSAGE))
