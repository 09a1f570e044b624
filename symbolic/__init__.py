"""The vocabulary of bebcheck: parameters with domains, obligations, steps, chains, lemmas."""

from .errors import (
    BebcheckError,
    EngineError,
    InconclusiveError,
    InputError,
    UnknownResultError,
)
from .lemmas import LEMMAS, Lemma, LemmaInstance
from .obligation import Chain, Obligation, Step
from .params import Param

__all__ = [
    "LEMMAS",
    "BebcheckError",
    "Chain",
    "EngineError",
    "InconclusiveError",
    "InputError",
    "Lemma",
    "LemmaInstance",
    "Obligation",
    "Param",
    "Step",
    "UnknownResultError",
]
