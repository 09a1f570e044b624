"""The z3 engine (its queries run in the worker process, ``_worker.py``)."""

from __future__ import annotations

import importlib.util

from ._smt import SmtEngine

__all__ = ["Z3Engine", "available"]


def available() -> bool:
    """Whether the z3 Python package can be imported here."""
    return importlib.util.find_spec("z3") is not None


class Z3Engine(SmtEngine):
    """z3 on the abstracted polynomial query, in its own worker process."""

    backend = "z3"
    cost = 1
    default_steps = 10_000_000  # z3 rlimit: ~15x the most any obligation here needs
