"""A proof step as the paper prints it (or its repair): location, quote, obligations, finding."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .errors import InputError
from .finding import Finding
from .location import Location
from .obligation import Obligation

__all__ = ["Step", "StepKind"]


class StepKind(enum.StrEnum):
    """Whether a step is the paper's, a repair beside it, or a hypothesis of the result."""

    FAITHFUL = "faithful"
    REPAIRED = "repaired"
    GIVEN = "given"


@dataclass(frozen=True)
class Step:
    """One step of a proof as the paper writes it (or its repair), with obligations.

    A faithful step with a :class:`Finding` is one the paper gets wrong (the audit must show
    it); a repaired step names the step it ``repairs``; a given step is a hypothesis of the
    result and has no obligations.
    """

    id: str
    location: Location
    quote: str
    kind: StepKind
    obligations: tuple[Obligation, ...] = ()
    repairs: str | None = None
    explanation: str = ""
    lemmas: tuple[str, ...] = ()
    finding: Finding | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.location, Location):
            raise InputError(f"step {self.id}: the location must be a Location")
        if self.finding is not None and self.kind is not StepKind.FAITHFUL:
            raise InputError(f"step {self.id}: only a printed (faithful) step has a finding")
        if self.kind is StepKind.REPAIRED and not self.repairs:
            raise InputError(f"step {self.id}: a repaired step must name the step it repairs")
        if self.kind is StepKind.GIVEN and self.obligations:
            raise InputError(f"step {self.id}: a 'given' step (hypothesis) has no obligations")
        if self.kind is not StepKind.GIVEN and not self.obligations:
            raise InputError(f"step {self.id}: a checked step needs at least one obligation")
