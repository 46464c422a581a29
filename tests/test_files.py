"""``kg.files``: the one writer and reader (special files, links, modes, read-only, errors)."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

import pytest

from kg.errors import InputError, OutputError
from kg.files import is_stdout, read_bytes, read_text, writable_target, write_bytes


def test_a_new_file_is_created_with_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "new.ttl"
    assert write_bytes(target, b"x") == target
    assert target.read_bytes() == b"x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.ttl"]


def test_a_symlink_stays_a_link_and_its_target_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "data.ttl"
    real.write_bytes(b"old")
    os.chmod(real, 0o640)
    link = tmp_path / "link.ttl"
    link.symlink_to(real)
    write_bytes(link, b"new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"new" and stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["data.ttl"]


@pytest.mark.parametrize("kind", ["fifo", "folder", "socket"])
def test_special_files_are_refused_and_left_alone(tmp_path: Path, kind: str) -> None:
    import socket

    target = tmp_path / "special"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    else:
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
        server.close()
    before = os.lstat(target)
    with pytest.raises(OutputError, match="not a regular file: not replaced"):
        write_bytes(target, b"x")
    assert stat.S_IFMT(os.lstat(target).st_mode) == stat.S_IFMT(before.st_mode)


def test_a_read_only_file_is_refused_even_for_root(tmp_path: Path) -> None:
    target = tmp_path / "ro.ttl"
    target.write_bytes(b"keep")
    target.chmod(0o444)
    with pytest.raises(OutputError, match=r"ro\.ttl is read-only: not replaced"):
        write_bytes(target, b"x")
    assert target.read_bytes() == b"keep"


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES, errno.ENOSPC])
def test_system_errors_are_one_line_and_leave_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           code: int) -> None:
    target = tmp_path / "out.ttl"
    target.write_bytes(b"old")

    def failing(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(tempfile, "mkstemp", failing)
    with pytest.raises(OutputError) as caught:
        write_bytes(target, b"new")
    assert str(caught.value) == f"cannot write {target}: {os.strerror(code)}"
    assert target.read_bytes() == b"old"


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="no such folder"):
        writable_target(tmp_path / "nowhere" / "x.ttl")


def test_stdout_names() -> None:
    assert is_stdout("-") and is_stdout("/dev/stdout") and not is_stdout("out.ttl")


def test_reading_refuses_fifos_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"pipe\.ttl: is a FIFO \(named pipe\), not a regular file$"):
        read_bytes(fifo)


def test_reading_a_folder_or_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder, not a regular file"):
        read_bytes(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        read_bytes(tmp_path / "nope")


def test_text_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_bytes(b"one\ntwo \xff\n")
    with pytest.raises(InputError) as caught:
        read_text(path)
    assert caught.value.line == 2 and str(caught.value).endswith("q.rq:2: is not valid UTF-8 (byte 0xff)")
