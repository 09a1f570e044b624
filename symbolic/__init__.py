"""The paper-agnostic vocabulary: parameters, obligations, steps, chains, findings, locations, lemmas."""

from .bounds import BoundKind, LengthBound, Term
from .chain import Chain
from .errors import (
    BebcheckError,
    EngineError,
    InconclusiveError,
    InputError,
    UnknownResultError,
)
from .finding import Finding, FindingKind, Severity
from .lemmas import LEMMAS, Lemma, LemmaInstance
from .location import Anchor, Location
from .obligation import Obligation
from .paper import Paper
from .params import Param
from .step import Step, StepKind

__all__ = [
    "LEMMAS",
    "Anchor",
    "BebcheckError",
    "BoundKind",
    "Chain",
    "EngineError",
    "Finding",
    "FindingKind",
    "InconclusiveError",
    "InputError",
    "Lemma",
    "LemmaInstance",
    "LengthBound",
    "Location",
    "Obligation",
    "Paper",
    "Param",
    "Severity",
    "Step",
    "StepKind",
    "Term",
    "UnknownResultError",
]
