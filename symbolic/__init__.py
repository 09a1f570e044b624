"""The paper-agnostic vocabulary: parameters, obligations, steps, chains, findings, locations, lemmas."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names below are loaded on first use: the CLI starts without sympy
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

_WHERE = {
    "LEMMAS": "lemmas", "Anchor": "location", "BebcheckError": "errors", "BoundKind": "bounds",
    "Chain": "chain", "EngineError": "errors", "Finding": "finding", "FindingKind": "finding",
    "InconclusiveError": "errors", "InputError": "errors", "Lemma": "lemmas",
    "LemmaInstance": "lemmas", "LengthBound": "bounds", "Location": "location",
    "Obligation": "obligation", "Paper": "paper", "Param": "params", "Severity": "finding",
    "Step": "step", "StepKind": "step", "Term": "bounds", "UnknownResultError": "errors",
}
"""Public name → the module of this package that defines it."""


def __getattr__(name: str) -> Any:
    """PEP 562: import a public name's module when the name is first used."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
