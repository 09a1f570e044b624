"""The one interface every prover implements, and the job it hands back."""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence

from bebcheck.symbolic.obligation import Obligation

from .result import EngineResult, SolverAnswer, SolverStatus, Verdict

__all__ = ["Engine", "Job", "ReadyJob"]


class Job(abc.ABC):
    """An engine's work on one obligation: maybe running elsewhere, maybe not started."""

    elsewhere: bool = False
    """Whether the work runs in another process from submission on (a runner may do other
    work while it waits); otherwise it runs in this process when its result is asked for."""

    @abc.abstractmethod
    def poll(self, wait_s: float) -> EngineResult | None:
        """The result if it is ready within ``wait_s`` seconds (``None``: not yet, or lazy)."""

    @abc.abstractmethod
    def result(self) -> EngineResult:
        """The result, waiting (or computing) as long as the engine's own limit allows."""

    def cancel(self) -> EngineResult | None:
        """Stop work that is running; the result to record for it (``None``: nothing ran)."""
        return None


class ReadyJob(Job):
    """A job of an engine that works in this process: it runs when its result is asked for.

    An engine that raises has crashed on this obligation: its result is INCONCLUSIVE with
    the exception named, and the run goes on (``engine`` names it in the result).
    """

    def __init__(self, run: Callable[[], EngineResult], engine: str = "engine") -> None:
        self._run = run
        self._engine = engine
        self._result: EngineResult | None = None

    def poll(self, wait_s: float) -> EngineResult | None:
        return self._result

    def result(self) -> EngineResult:
        if self._result is None:
            try:
                self._result = self._run()
            except Exception as e:  # noqa: BLE001 - a crashing engine is an answer, not a stop
                self._result = EngineResult(self._engine, Verdict.INCONCLUSIVE, 0.0,
                                            f"crash: {type(e).__name__}: {e}"[:300])
        return self._result


class Engine(abc.ABC):
    """An engine answers PROVED / REFUTED / INCONCLUSIVE for one obligation.

    Engines never raise on a hard obligation: unknown, timeout and crash are INCONCLUSIVE with
    the reason.  ``cost`` orders the engines a runner consults (cheap first); an engine that
    works in another process starts at :meth:`submit`, the others when their result is asked.
    """

    name: str = "engine"
    cost: int = 1
    finds_models: bool = False  # whether :meth:`satisfy` can answer

    @abc.abstractmethod
    def prove(self, ob: Obligation) -> EngineResult:
        """Try to prove ``ob`` (blocking)."""

    def submit(self, ob: Obligation) -> Job:
        """Start (or schedule) :meth:`prove`; the default runs it lazily in this process."""
        return ReadyJob(lambda: self.prove(ob), self.name)

    def satisfy(self, ob: Obligation) -> SolverAnswer:
        """Are the hypotheses satisfiable? (``UNKNOWN`` unless the engine can find models.)"""
        return SolverAnswer(SolverStatus.UNKNOWN, f"{self.name} finds no models")

    def query_text(self, ob: Obligation) -> tuple[str, dict[str, str]] | None:
        """The text this engine decides for ``ob`` and its abstraction table (for reports)."""
        return None

    def prepare(self, obligations: Sequence[Obligation]) -> None:  # noqa: B027 - optional hook
        """Start any per-obligation preparation ahead of time (e.g. printing SMT-LIB)."""

    def ahead(self, ob: Obligation, *, satisfy: bool) -> None:  # noqa: B027 - optional hook
        """The runner will soon ask about ``ob`` (``satisfy``: its hypotheses' satisfiability
        too): an engine that works elsewhere may start now.  Answers must not change."""

    def start(self) -> None:  # noqa: B027 - optional hook
        """Start worker processes ahead of the first query."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release processes or caches."""

    def inconclusive(self, reason: str, seconds: float = 0.0) -> EngineResult:
        return EngineResult(self.name, Verdict.INCONCLUSIVE, seconds, reason)
