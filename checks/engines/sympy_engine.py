"""sympy as an engine: exact identities and sign facts that hold on the whole parameter domain."""

from __future__ import annotations

import time

import sympy as sp
from sympy.core.relational import Relational

from bebcheck.symbolic.obligation import Obligation

from .base import Engine
from .result import EngineResult, Verdict

__all__ = ["SympyEngine"]


def _sign_fact(rel: Relational) -> bool:
    """True when sympy's assumption system decides the relation on the symbols' domains."""
    d = sp.expand_log(rel.lhs - rel.rhs, force=False)
    op = rel.rel_op
    if op == "==":
        return sp.simplify(d) == 0
    d = sp.cancel(d)
    if op == ">":
        return bool(d.is_positive)
    if op == ">=":
        return bool(d.is_nonnegative)
    if op == "<":
        return bool(d.is_negative)
    if op == "<=":
        return bool(d.is_nonpositive)
    return False


class SympyEngine(Engine):
    """Proves a claim that holds for *every* point of the parameters' domains.

    It ignores the stated hypotheses (so a proof is of a stronger statement, hence sound) and
    uses only the domain assumptions carried by the symbols (positive, real, integer).
    """

    name = "sympy"
    cost = 0

    def prove(self, ob: Obligation) -> EngineResult:
        t0 = time.perf_counter()
        sub = {p.symbol: p.assumed_symbol() for p in ob.params}
        try:  # substituting may evaluate, e.g. a relation between non-real logs raises
            claim = ob.expanded_claim().xreplace(sub)
            parts = list(claim.args) if isinstance(claim, sp.And) else [claim]
            ok = all(isinstance(p, Relational) and _sign_fact(p) for p in parts)
        except Exception as e:  # noqa: BLE001 - sympy raising on an odd form is not a verdict
            return EngineResult(self.name, Verdict.INCONCLUSIVE, time.perf_counter() - t0,
                                f"sympy raised {type(e).__name__}")
        dt = time.perf_counter() - t0
        if ok:
            return EngineResult(self.name, Verdict.PROVED, dt,
                                "holds on the whole domain (simplify / assumptions)")
        return EngineResult(self.name, Verdict.INCONCLUSIVE, dt,
                            "not decided from domain assumptions alone")
