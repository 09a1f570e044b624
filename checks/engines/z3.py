"""The z3 engine: its solver function (run in a worker process) and its registry entry."""

from __future__ import annotations

import importlib.util
from fractions import Fraction

from ._smt import SmtEngine

__all__ = ["Z3Engine", "available", "solve"]


def available() -> bool:
    """Whether the z3 Python package can be imported here."""
    return importlib.util.find_spec("z3") is not None


class Z3Engine(SmtEngine):
    """z3 on the abstracted polynomial query, in its own worker process."""

    backend = "z3"
    cost = 1


def solve(text: str, timeout_ms: int, want_model: bool) -> dict[str, object]:
    import z3

    s = z3.Solver()
    s.set("timeout", timeout_ms)
    s.from_string(text)
    r = s.check()
    out: dict[str, object] = {"status": str(r)}
    if r == z3.unknown:
        out["reason"] = s.reason_unknown()
    if r == z3.sat and want_model:
        m = s.model()
        model: dict[str, str] = {}
        exact = True
        for d in m.decls():
            if d.arity() != 0:
                continue
            v = m[d]
            if z3.is_int_value(v):
                model[d.name()] = str(v.as_long())
            elif z3.is_rational_value(v):
                fr = v.as_fraction()
                model[d.name()] = f"{fr.numerator}/{fr.denominator}"
            elif z3.is_algebraic_value(v):
                exact = False
                model[d.name()] = str(Fraction(v.approx(30).as_fraction()).limit_denominator(10**30))
        out["model"] = model
        out["exact_model"] = exact
    return out
