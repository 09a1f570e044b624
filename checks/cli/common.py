"""What every subcommand shares: option types, the paper, and atomic output."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator

__all__ = ["atomic_path", "positive_int", "write_output"]


def positive_int(s: str) -> int:
    """An argparse type: a positive integer."""
    try:
        v = int(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {s!r}") from None
    if v <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {s}")
    return v


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[str]:
    """A temporary path beside ``path`` (same suffix, so writers that read the format from the
    name still work) that replaces ``path`` only when the block ends without an error: an
    existing file survives a failed or interrupted write, and no partial file is left."""
    target = os.path.abspath(path)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".bebcheck-",
                               suffix=os.path.splitext(target)[1])
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_output(text: str, path: str | None) -> None:
    """Write ``text`` to ``path`` atomically (:func:`atomic_path`), or to standard output."""
    if not path:
        sys.stdout.write(text)
        return
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
