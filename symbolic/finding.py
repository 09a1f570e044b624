"""What is wrong with a printed step: one typed value (severity, how it is shown, what it follows from)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from .errors import InputError

__all__ = ["Finding", "FindingKind", "Realisation", "RealisationStatus", "Severity"]


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


class RealisationStatus(enum.StrEnum):
    """Whether a finite model exhibits a finding, or why none is given."""

    MODEL = "model"  # a finite Markov-mixture model, exact, meets the hypotheses and fails
    ABSTRACT = "abstract"  # no model: the finding is about numbers, words or definitions


@dataclass(frozen=True)
class Realisation:
    """How a finding is realised: a finite model (its parameters as name/value strings) or not.

    ``note`` says what the model exhibits (``MODEL``) or why there is none (``ABSTRACT``);
    ``model`` lists the model's parameters (sentences, scores, personas, priors, prompts and
    the constants it meets the hypotheses with); ``check`` names the exact check a test runs on
    it; ``witness`` names the obligation whose counterexample the model's exact quantities are.
    """

    status: RealisationStatus
    note: str
    model: tuple[tuple[str, str], ...] = ()
    check: str = ""
    witness: str = ""

    def __post_init__(self) -> None:
        if not self.note.strip():
            raise InputError("a realisation must say what its model shows, or why there is none")
        if self.status is RealisationStatus.MODEL and not (self.model and self.check):
            raise InputError("a realisation by model needs the model's parameters and a check")
        if self.status is RealisationStatus.ABSTRACT and (self.model or self.witness):
            raise InputError("an abstract realisation has no model")

    def as_json(self) -> dict[str, object]:
        return {"status": self.status.value, "note": self.note, "check": self.check,
                "witness": self.witness, "model": dict(self.model)}


@dataclass(frozen=True)
class Finding:
    """A finding on a printed step.

    ``proves`` says, for the two by-proof kinds, what the proved obligations establish;
    ``consequence_of`` names the failing step (same chain) this failure follows from;
    ``realised`` says whether a finite model exhibits it (evidence beside the verdict, so it
    takes no part in comparing findings).
    """

    severity: Severity
    kind: FindingKind = FindingKind.REFUTED
    proves: str = ""
    consequence_of: str = ""
    realised: Realisation | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.kind.by_proof and not self.proves:
            raise InputError(f"a '{self.kind}' finding must say what its proof establishes")
        if not self.kind.by_proof and self.proves:
            raise InputError("a refuted finding is shown by a witness, not a proof text")


def refuted(severity: Severity, consequence_of: str = "",
            realised: Realisation | None = None) -> Finding:
    """The printed claim is false: a certified witness is expected."""
    return Finding(severity, FindingKind.REFUTED, consequence_of=consequence_of,
                   realised=realised)
