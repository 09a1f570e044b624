"""Sound engines behind one interface: z3, cvc5, sympy, Arb, and the certified counterexample search."""

from .arb import ArbEngine, certify_hypotheses, certify_witness
from .base import Engine, Job, ReadyJob
from .registry import REGISTRY, EngineOptions, EngineSpec, available, create, names
from .result import EngineResult, SolverAnswer, SolverStatus, Verdict, Witness
from .search import CounterexampleSearch

__all__ = [
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
