"""The papers bebcheck audits, each a package of its own; ``beb_v1`` is the default."""

from __future__ import annotations

from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.paper import Paper

from .beb_v1 import PAPER as BEB_V1

__all__ = ["DEFAULT", "PAPERS", "get", "names"]

PAPERS: dict[str, Paper] = {BEB_V1.key: BEB_V1}
DEFAULT: Paper = BEB_V1


def names() -> list[str]:
    """The default paper's result ids."""
    return DEFAULT.names()


def get(name: str) -> Chain:
    """The default paper's chain of a result by name (``theorem1``, ``lemma_b``, ...)."""
    return DEFAULT.chain(name)
