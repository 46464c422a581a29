"""Reading and writing the files people name, without ever destroying or blocking on one.

Writing (:func:`write_bytes`, :func:`write_output`) is the one way the project writes a file:

- ``-`` (and ``/dev/stdout``, or any path that is this process's standard output) means
  standard output; nothing is replaced;
- only a regular file or a new path is written: a device, FIFO, socket or folder is refused
  with one line, and so is a read-only file (even for root, who could write it);
- a symlink is followed: its target is replaced, the link stays a link;
- the new content goes to a temporary file in the same folder, is synced, then renamed over the
  target (readers see the old file or the new one, never half); the mode and, where permitted,
  the owner of the file it replaces are kept;
- failures (EACCES, EROFS, ENOSPC…) are one line (:class:`kg.errors.OutputError`) and leave the
  target as it was.

Reading (:func:`read_bytes`, :func:`read_text`) opens without blocking and refuses anything
but a regular file: a FIFO named ``*.ttl`` is an error, not a hang. Text that is not UTF-8 is an
error naming the line.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from kg.errors import InputError, OutputError, display_path, os_reason

STDOUT_NAMES = frozenset({"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})
STDIN_NAMES = frozenset({"-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"})


def kind(mode: int) -> str:
    """What a file of this mode is, for messages ("a FIFO (named pipe)")."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "a regular file" if stat.S_ISREG(mode) else "a special file"


# ---------------------------------------------------------------------------- writing


def is_stdout(target: str | os.PathLike[str]) -> bool:
    """Whether writing ``target`` means writing standard output."""
    name = os.fspath(target)
    if name in STDOUT_NAMES:
        return True
    try:
        info = os.stat(name)
        return not stat.S_ISREG(info.st_mode) and os.path.samestat(info, os.fstat(1))
    except OSError:
        return False


def writable_target(path: str | os.PathLike[str]) -> Path:
    """The file that writing ``path`` replaces or creates (a symlink's target), after refusing
    anything that must not be written. Raises :class:`OutputError`; changes nothing."""
    shown = display_path(path)
    target = Path(os.path.realpath(path))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        if not target.parent.is_dir():
            raise OutputError(f"cannot write {shown}: no such folder {display_path(target.parent)}") from None
        return target
    except OSError as error:
        raise OutputError(f"cannot write {shown}: {os_reason(error)}") from None
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(f"{shown} is {kind(info.st_mode)}, not a regular file: not replaced")
    if info.st_mode & 0o222 == 0 or not os.access(target, os.W_OK):
        raise OutputError(f"{shown} is read-only: not replaced")
    return target


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Replace (or create) the file at ``path`` with ``data`` atomically; return what was written."""
    target = writable_target(path)
    try:
        previous: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        previous = None
    import tempfile

    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise OutputError(f"cannot write {display_path(path)}: {os_reason(error)}") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            if previous is not None:
                os.fchmod(handle.fileno(), stat.S_IMODE(previous.st_mode))
                try:
                    os.fchown(handle.fileno(), previous.st_uid, previous.st_gid)
                except OSError:
                    pass  # not permitted: the file becomes ours, as with any editor
            else:
                os.fchmod(handle.fileno(), 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {display_path(path)}: {os_reason(error)}") from None
        raise
    _fsync_folder(target.parent)
    return target


def write_output(path: str | os.PathLike[str], data: bytes) -> Path | None:
    """``data`` to standard output when ``path`` means it (returns None), else :func:`write_bytes`."""
    if is_stdout(path):
        stream = sys.stdout
        buffer = getattr(stream, "buffer", None)
        stream.flush()
        if buffer is not None:
            buffer.write(data)
        else:
            stream.write(data.decode("utf-8"))
        return None
    return write_bytes(path, data)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every platform can open a folder)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


# ---------------------------------------------------------------------------- reading


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The content of the regular file at ``path``; :class:`InputError` for anything else
    (opened non-blocking, so a FIFO cannot hang the command)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as error:
        raise InputError(path, os_reason(error)) from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(path, f"is {kind(mode)}, not a regular file")
        chunks = []
        while chunk := os.read(descriptor, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as error:
        raise InputError(path, os_reason(error)) from None
    finally:
        os.close(descriptor)


def decode(data: bytes, path: str | os.PathLike[str]) -> str:
    """``data`` as UTF-8 text; :class:`InputError` naming the line of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(path, f"is not valid UTF-8 (byte 0x{data[error.start]:02x})", line) from None


def read_text(path: str | os.PathLike[str]) -> str:
    """The UTF-8 text of the regular file at ``path``."""
    return decode(read_bytes(path), path)
