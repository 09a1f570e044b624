"""Sound engines behind one interface: z3, cvc5, sympy, Arb, and the certified counterexample search.

Names are loaded on first use, so that a solver worker (``_worker.py``, in this package) starts
without sympy, flint or mpmath.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "ArbEngine": "arb", "certify_hypotheses": "arb", "certify_witness": "arb",
    "Engine": "base", "Job": "base", "ReadyJob": "base",
    "REGISTRY": "registry", "EngineOptions": "registry", "EngineSpec": "registry",
    "available": "registry", "create": "registry", "names": "registry",
    "EngineResult": "result", "SolverAnswer": "result", "SolverStatus": "result",
    "Verdict": "result", "Witness": "result",
    "CounterexampleSearch": "search",
}

__all__ = [  # resolved lazily by __getattr__
    "REGISTRY",
    "ArbEngine",
    "CounterexampleSearch",
    "Engine",
    "EngineOptions",
    "EngineResult",
    "EngineSpec",
    "Job",
    "ReadyJob",
    "SolverAnswer",
    "SolverStatus",
    "Verdict",
    "Witness",
    "available",
    "certify_hypotheses",
    "certify_witness",
    "create",
    "names",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
