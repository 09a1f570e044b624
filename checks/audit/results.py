"""What an audit produces: a report per obligation, per step and per chain."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from bebcheck.checks.engines.result import EngineResult, Verdict, Witness
from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.obligation import Obligation
from bebcheck.symbolic.step import Step

__all__ = ["ChainReport", "ObligationReport", "StepReport"]


@dataclass
class ObligationReport:
    """One obligation's verdict, the engines' answers, and the certified points behind it."""

    obligation: Obligation
    verdict: Verdict
    proved_by: list[str]
    results: list[EngineResult]
    reason: str = ""
    witness: Witness | None = None
    hypotheses_point: dict[str, Fraction] | None = None
    sides: list[ObligationReport] = field(default_factory=list)
    smtlib: str = ""
    abstraction: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    premises: list[str] = field(default_factory=list)
    certified: str = ""  # the file of an accepted exact certificate (``audit --certificates``)


@dataclass
class StepReport:
    """A step's verdict (``None`` for a given step) from its obligations' verdicts."""

    step: Step
    verdict: Verdict | None
    obligations: list[ObligationReport]
    seconds: float = 0.0
    by_proof: bool = False  # a finding step whose obligations PROVE the problem


@dataclass
class ChainReport:
    """A result: its steps' reports, the chain as printed and the repaired chain."""

    chain: Chain
    steps: list[StepReport]
    faithful: Verdict
    repaired: Verdict
    seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        c = {v.value: 0 for v in Verdict}
        for s in self.steps:
            for o in s.obligations:
                c[o.verdict.value] += 1
        return c

    def step(self, step_id: str) -> StepReport:
        return next(s for s in self.steps if s.step.id == step_id)
