"""The cvc5 engine (its queries run in the worker process, ``_worker.py``)."""

from __future__ import annotations

import importlib.util

from ._smt import SmtEngine

__all__ = ["Cvc5Engine", "available"]


def available() -> bool:
    """Whether the cvc5 Python package can be imported here."""
    return importlib.util.find_spec("cvc5") is not None


class Cvc5Engine(SmtEngine):
    """cvc5 on the abstracted polynomial query (coverings for nonlinear arithmetic)."""

    backend = "cvc5"
    cost = 1
    default_workers = 2  # its hardest queries take a second: one does not hold up the rest
    default_steps = 300_000  # cvc5 rlimit-per: ~3x the most any obligation here needs
