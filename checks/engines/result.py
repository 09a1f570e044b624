"""What engines answer: three-valued verdicts, certified witnesses, typed solver answers."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from fractions import Fraction

__all__ = ["EngineResult", "SolverAnswer", "SolverStatus", "Verdict", "Witness"]


class Verdict(enum.Enum):
    """PROVED, REFUTED or INCONCLUSIVE: nothing in between."""

    PROVED = "PROVED"
    REFUTED = "REFUTED"
    INCONCLUSIVE = "INCONCLUSIVE"

    def __str__(self) -> str:
        return self.value


class SolverStatus(enum.Enum):
    """What a solver worker said about one query."""

    SAT = "sat"
    UNSAT = "unsat"
    UNKNOWN = "unknown"
    TIMEOUT = "timeout"  # the hard time limit passed; the worker was killed
    CRASH = "crash"  # the worker died, or said something that is not an answer
    ERROR = "error"  # the solver raised (a parse error, an unsupported construct)

    @classmethod
    def parse(cls, text: object) -> SolverStatus:
        """The status a worker reported; anything unexpected is a crash (garbage)."""
        try:
            return cls(str(text))
        except ValueError:
            return cls.CRASH


@dataclass(frozen=True)
class SolverAnswer:
    """A solver worker's answer to one query."""

    status: SolverStatus
    reason: str = ""
    model: dict[str, Fraction] | None = None
    seconds: float = 0.0

    def with_seconds(self, seconds: float) -> SolverAnswer:
        return SolverAnswer(self.status, self.reason, self.model, seconds)


@dataclass(frozen=True)
class Witness:
    """Exact parameter values at which every hypothesis holds and the claim fails.

    ``values`` are exact rationals; ``claim_sides`` holds the certified enclosures (strings of
    ``[lower, upper]``, or exact values) of both sides of each claim atom at the witness.
    """

    values: dict[str, Fraction]
    claim_sides: dict[str, str] = field(default_factory=dict)
    source: str = ""
    not_applying: tuple[str, ...] = ()
    """Lemma instances (theorems about reals) whose side conditions fail at the witness: the
    stated hypotheses hold and the claim fails; the proof's use of these lemmas is wrong there."""

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "values": {k: str(v) for k, v in self.values.items()},
            "values_float": {k: float(v) for k, v in self.values.items()},
            "certified": self.claim_sides,
            "found_by": self.source,
        }
        if self.not_applying:
            out["lemmas_not_applying"] = list(self.not_applying)
        return out


@dataclass(frozen=True)
class EngineResult:
    """One engine's verdict on one obligation; ``model`` is a candidate witness (uncertified)."""

    engine: str
    verdict: Verdict
    seconds: float
    reason: str = ""
    witness: Witness | None = None
    model: dict[str, Fraction] | None = None
