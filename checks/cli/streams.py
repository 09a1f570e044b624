"""Standard streams and signals: closed, full, broken, non-UTF-8 or Ctrl-C give one line."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any, TextIO

from bebcheck.symbolic.errors import InputError

__all__ = ["Interrupted", "discard", "drop_stdout", "ignore_signals", "interruptible", "one_line",
           "prepare", "require_stdout", "say"]


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (SIGINT) or SIGTERM: the work stops, output files stay as they were."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """128 + the signal number, as a shell reports a process killed by it (130 for SIGINT)."""
        return 128 + self.signum

    @property
    def message(self) -> str:
        return "interrupted" if self.signum == signal.SIGINT else "terminated"


def one_line(text: str) -> str:
    """``text`` with every unprintable character (newline, ESC, ...) escaped: one line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in text)


def discard(fd: int) -> None:
    """Point ``fd`` at /dev/null, so that what is still buffered for it goes nowhere quietly
    (Python would otherwise report the failed flush at exit, with exit status 120)."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)


def drop_stdout() -> None:
    """After a failed write to standard output: :func:`discard` what is still buffered."""
    with contextlib.suppress(AttributeError, OSError, ValueError):
        discard(sys.stdout.fileno())


def say(message: str) -> None:
    """``bebcheck: message`` as one line on stderr; a closed, full or broken stderr is ignored
    (the exit status still tells)."""
    err = sys.stderr
    if err is None:
        return
    try:
        err.write(f"bebcheck: {one_line(message)}\n")
        err.flush()
    except (OSError, ValueError):
        with contextlib.suppress(OSError, ValueError):
            discard(err.fileno())


def require_stdout() -> TextIO:
    """Standard output, or :class:`InputError` (before any work) if it was closed."""
    if sys.stdout is None:
        raise InputError("standard output is closed; redirect it (e.g. >/dev/null) instead")
    return sys.stdout


def _reserve_standard_fds() -> None:
    """Open /dev/null on a closed fd 0, 1 or 2, so that no file or pipe opened later gets that
    number and is taken for a standard stream (``sys.stdout`` stays ``None``: it was closed)."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            with contextlib.suppress(OSError):
                null = os.open(os.devnull, os.O_RDWR)
                if null != fd:
                    os.dup2(null, fd)
                    os.close(null)


def prepare() -> None:
    """Before anything is written: reserve closed standard fds, and let stdout and stderr
    escape what their encoding cannot show (``\\u03b2`` for β under ``LC_ALL=C`` or
    ``PYTHONIOENCODING=ascii``) instead of failing.  Files are always written in UTF-8."""
    _reserve_standard_fds()
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(AttributeError, ValueError, OSError):
                reconfigure(errors="backslashreplace")


def _raise_interrupted(signum: int, frame: Any) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`Interrupted` in the main thread while the block runs
    (so ``atomic_path`` and the solver workers are cleaned up); the old handlers come back."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    for s, handler in old.items():
        if handler is not signal.SIG_IGN:  # e.g. nohup or a background job: leave it ignored
            signal.signal(s, _raise_interrupted)
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler if handler is not None else signal.SIG_DFL)


def ignore_signals() -> None:
    """Ignore SIGINT and SIGTERM (a second Ctrl-C while the first is reported would give a
    traceback); :func:`interruptible` puts the old handlers back when its block ends."""
    if threading.current_thread() is threading.main_thread():
        for s in (signal.SIGINT, signal.SIGTERM):
            signal.signal(s, signal.SIG_IGN)
