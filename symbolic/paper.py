"""A paper: its citation and its results, each a chain built on demand."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .chain import Chain
from .errors import UnknownResultError

__all__ = ["Paper"]


@dataclass(frozen=True)
class Paper:
    """What the audit needs of a paper: who wrote it and how to build each result's chain."""

    key: str  # short, stable: "beb-v1"
    citation: str  # "arXiv 2304.11082v1"
    title: str
    results: Mapping[str, Callable[[], Chain]]

    def names(self) -> list[str]:
        return [str(k) for k in self.results]

    def resolve(self, name: str) -> str:
        """The result's id for a user's spelling (case and ``-``/``_`` ignored)."""
        key = name.strip().lower().replace("-", "_")
        if key not in self.results:
            raise UnknownResultError(
                f"unknown result {name!r}; known results: {', '.join(self.names())}")
        return key

    def chain(self, name: str) -> Chain:
        """The chain of a result by name."""
        return self.results[self.resolve(name)]()
