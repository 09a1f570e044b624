"""The one interface every engine implements."""

from __future__ import annotations

import abc

from bebcheck.symbolic.obligation import Obligation

from ..verdict import EngineResult

__all__ = ["Engine"]


class Engine(abc.ABC):
    """An engine answers PROVED / REFUTED / INCONCLUSIVE for one obligation.

    Engines never raise on a hard obligation: unknown, timeout and crash are INCONCLUSIVE with
    the reason.  ``independent_of`` names engines that share code with this one.
    """

    name: str = "engine"

    @abc.abstractmethod
    def prove(self, ob: Obligation) -> EngineResult:
        """Try to prove ``ob``."""

    def available(self) -> bool:
        return True

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release processes or caches."""
