"""What every subcommand shares: bounded integers, output files checked early, atomic writes."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator

from bebcheck.symbolic.errors import InputError

from .streams import require_stdout

__all__ = ["MAX_TIMEOUT_MS", "atomic_path", "bounded_int", "check_output_path", "parse_int",
           "write_output"]

MAX_TIMEOUT_MS = 3_600_000
"""The longest time limit per solver query a user may set (one hour)."""

_INT = re.compile(r"[+-]?[0-9]+")


def parse_int(text: str, lo: int, hi: int) -> int:
    """An integer from ``lo`` to ``hi`` written in ASCII decimal digits (no ``0x10``, ``1_000``,
    ``1e3``, ``٣``); ``ValueError`` with the reason otherwise."""
    t = str(text).strip()
    if not _INT.fullmatch(t):
        raise ValueError(f"not an integer: {text!r}")
    digits = t.lstrip("+-").lstrip("0")
    if len(digits) > len(str(max(abs(lo), abs(hi)))) + 1:  # int() of it could be slow
        raise ValueError(f"must be from {lo} to {hi}; got a number of {len(digits)} digits")
    v = int(t)
    if not lo <= v <= hi:
        raise ValueError(f"must be from {lo} to {hi}; got {v}")
    return v


def bounded_int(lo: int, hi: int) -> Callable[[str], int]:
    """An argparse type: :func:`parse_int` from ``lo`` to ``hi`` (a usage error otherwise)."""

    def integer(text: str) -> int:
        try:
            return parse_int(text, lo, hi)
        except ValueError as e:
            raise argparse.ArgumentTypeError(str(e)) from None

    return integer


def _stat(path: str, option: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as e:  # a file where a directory should be, a name too long, a symlink loop
        raise InputError(f"{option} {path}: {e.strerror}") from None


def check_output_path(path: str, option: str) -> None:
    """Reject an output file name before any work (:class:`InputError`): empty, a directory,
    in a directory that does not exist or where no file can be made, or a read-only file.  A
    device or a pipe (``/dev/null``, ``/dev/stdout``) is fine: it is written in place."""
    if not path:
        raise InputError(f"{option}: the file name is empty")
    st = _stat(path, option)
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise InputError(f"{option} {path}: is a directory; give a file name")
    if st is not None and not stat.S_ISREG(st.st_mode):
        return
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise InputError(f"{option} {path}: directory {folder} does not exist")
    if st is not None and not os.access(target, os.W_OK):
        raise InputError(f"{option} {path}: the file is read-only")
    try:  # the one sure test (root, read-only mounts, ACLs): make a file there, and remove it
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".bebcheck-")
    except OSError as e:
        raise InputError(f"{option} {path}: cannot write in {folder}: {e.strerror}") from None
    try:
        os.close(fd)
    finally:
        os.unlink(probe)


def _new_file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[str]:
    """A temporary path beside ``path`` (same suffix, so writers that read the format from the
    name still work) that replaces ``path`` only when the block ends without an error: an
    existing file survives a failed or interrupted write, no partial file is left, and two
    concurrent writers give one whole file (the last).  A symbolic link is followed (the file
    it names is replaced); the new file gets the old one's permissions (or the umask's, not
    ``mkstemp``'s 0600).  A device or a pipe (``/dev/null``) is written in place.  An
    ``OSError`` that names no file is given ``path``'s name."""
    target = os.path.realpath(path)
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
        with _named(path):
            yield target
        return
    tmp = None
    try:
        with _named(path, rename=True):
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".bebcheck-",
                                       suffix=os.path.splitext(target)[1])
            try:
                os.fchmod(fd, stat.S_IMODE(st.st_mode) if st is not None else _new_file_mode())
            finally:
                os.close(fd)
        with _named(path):
            yield tmp
        with _named(path, rename=True):
            os.replace(tmp, target)
    except BaseException:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise


@contextlib.contextmanager
def _named(path: str | os.PathLike[str], rename: bool = False) -> Iterator[None]:
    """Give an ``OSError`` raised in the block the name of the file being written (if it has
    none, or with ``rename`` if it names a file there, such as the temporary one)."""
    try:
        yield
    except OSError as e:
        if e.errno is None or (e.filename is not None and not rename):
            raise
        raise OSError(e.errno, e.strerror or str(e), os.fspath(path)) from e


def write_output(text: str, path: str | None) -> None:
    """Write ``text`` to ``path`` atomically (:func:`atomic_path`) in UTF-8, or to standard
    output (``path`` None)."""
    if path is None:
        require_stdout().write(text)
        return
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
