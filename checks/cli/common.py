"""What every subcommand shares: option types, the paper, and atomic output."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile

__all__ = ["positive_int", "write_output"]


def positive_int(s: str) -> int:
    """An argparse type: a positive integer."""
    try:
        v = int(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {s!r}") from None
    if v <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {s}")
    return v


def write_output(text: str, path: str | None) -> None:
    """Write ``text`` to ``path`` atomically (a temporary file beside it, then a rename), or to
    standard output; an existing file survives a failed write."""
    if not path:
        sys.stdout.write(text)
        return
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".bebcheck-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
