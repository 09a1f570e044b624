"""Three-valued verdicts and what each engine reports."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from fractions import Fraction

__all__ = ["EngineResult", "Verdict", "Witness"]


class Verdict(enum.Enum):
    PROVED = "PROVED"
    REFUTED = "REFUTED"
    INCONCLUSIVE = "INCONCLUSIVE"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Witness:
    """Exact parameter values at which every hypothesis holds and the claim fails.

    ``values`` are exact rationals; ``certified`` holds the Arb enclosures (as strings of
    ``[lower, upper]``) of both sides of the claim and of each hypothesis, computed when the
    witness was certified.
    """

    values: dict[str, Fraction]
    claim_sides: dict[str, str] = field(default_factory=dict)
    source: str = ""

    def as_json(self) -> dict[str, object]:
        return {
            "values": {k: str(v) for k, v in self.values.items()},
            "values_float": {k: float(v) for k, v in self.values.items()},
            "certified": self.claim_sides,
            "found_by": self.source,
        }


@dataclass(frozen=True)
class EngineResult:
    engine: str
    verdict: Verdict
    seconds: float
    reason: str = ""
    witness: Witness | None = None
    model: dict[str, Fraction] | None = None
