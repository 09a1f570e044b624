"""What is wrong with a printed step: one typed value (severity, how it is shown, what it follows from)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .errors import InputError

__all__ = ["Finding", "FindingKind", "Severity"]


class Severity(enum.StrEnum):
    """How much a finding matters, most serious first."""

    INVALID_STEP = "invalid step"
    UNSUPPORTED_CLAIM = "unsupported claim"
    CONSTANT_OFF = "constant off"
    TYPO = "typo"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class FindingKind(enum.StrEnum):
    """How the step's obligations show the finding.

    * ``REFUTED``: the obligations state the printed claim; a certified witness refutes one.
    * ``REFUTED_BY_PROOF``: the obligations state the *negation* and are proved (the printed
      claim is false for every constant of a universally quantified statement).
    * ``DOES_NOT_FOLLOW``: the obligations state the *gap* and are proved: the printed claim
      does not follow from what the paper proves (neither proved nor refuted).
    """

    REFUTED = "refuted"
    REFUTED_BY_PROOF = "refuted by proof"
    DOES_NOT_FOLLOW = "does not follow"

    @property
    def by_proof(self) -> bool:
        return self is not FindingKind.REFUTED


@dataclass(frozen=True)
class Finding:
    """A finding on a printed step.

    ``proves`` says, for the two by-proof kinds, what the proved obligations establish;
    ``consequence_of`` names the failing step (same chain) this failure follows from.
    """

    severity: Severity
    kind: FindingKind = FindingKind.REFUTED
    proves: str = ""
    consequence_of: str = ""

    def __post_init__(self) -> None:
        if self.kind.by_proof and not self.proves:
            raise InputError(f"a '{self.kind}' finding must say what its proof establishes")
        if not self.kind.by_proof and self.proves:
            raise InputError("a refuted finding is shown by a witness, not a proof text")


def refuted(severity: Severity, consequence_of: str = "") -> Finding:
    """The printed claim is false: a certified witness is expected."""
    return Finding(severity, FindingKind.REFUTED, consequence_of=consequence_of)
