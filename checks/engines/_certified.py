"""Certified evaluation of sympy formulas at rational points: exact rationals first, Arb balls otherwise."""

from __future__ import annotations

from fractions import Fraction

import flint
import sympy as sp
from sympy.core.relational import Relational

__all__ = ["CertifiedValue", "evaluate", "holds", "interval_str"]

PREC = 256  # bits for Arb balls

CertifiedValue = flint.fmpq | flint.arb


class _Undefined(Exception):
    pass


def _to_arb(v: CertifiedValue) -> flint.arb:
    return v if isinstance(v, flint.arb) else flint.arb(v)


def evaluate(expr: sp.Basic, env: dict[sp.Symbol, Fraction]) -> CertifiedValue:
    """Value of ``expr``: an exact ``fmpq`` when the formula is rational, else an Arb ball.

    Raises ``ValueError`` where the expression is undefined (division by zero, log of a
    non-positive number) or cannot be certified (ball straddles 0 at a log).
    """
    old = flint.ctx.prec
    flint.ctx.prec = PREC
    try:
        return _ev(expr, env)
    except _Undefined as e:
        raise ValueError(str(e)) from None
    finally:
        flint.ctx.prec = old


def _ev(e: sp.Basic, env: dict[sp.Symbol, Fraction]) -> CertifiedValue:
    if isinstance(e, sp.Symbol):
        if e not in env:
            raise _Undefined(f"no value for {e}")
        raw = env[e]
        if isinstance(raw, flint.arb):  # a box (branch and bound)
            return raw
        v = Fraction(raw)
        return flint.fmpq(v.numerator, v.denominator)
    if isinstance(e, sp.Integer):
        return flint.fmpq(int(e))
    if isinstance(e, sp.Rational):
        return flint.fmpq(int(e.p), int(e.q))
    if isinstance(e, sp.Add):
        vals = [_ev(a, env) for a in e.args]
        if all(isinstance(v, flint.fmpq) for v in vals):
            acc = flint.fmpq(0)
            for v in vals:
                acc += v
            return acc
        acc_b = flint.arb(0)
        for v in vals:
            acc_b += _to_arb(v)
        return acc_b
    if isinstance(e, sp.Mul):
        vals = [_ev(a, env) for a in e.args]
        if all(isinstance(v, flint.fmpq) for v in vals):
            acc = flint.fmpq(1)
            for v in vals:
                acc *= v
            return acc
        acc_b = flint.arb(1)
        for v in vals:
            acc_b *= _to_arb(v)
        return acc_b
    if isinstance(e, sp.Pow):
        base = _ev(e.args[0], env)
        ex = e.args[1]
        if isinstance(ex, sp.Integer):
            k = int(ex)
            if isinstance(base, flint.fmpq):
                if base == 0 and k < 0:
                    raise _Undefined("division by zero")
                return base**k
            if k < 0 and base.contains(0):
                raise _Undefined("division by a ball containing zero")
            return base**k
        exv = _to_arb(_ev(ex, env))
        b = _to_arb(base)
        if not b > 0:
            raise _Undefined("non-integer power of a base not certainly positive")
        return (b.log() * exv).exp()
    if isinstance(e, sp.log):
        a = _ev(e.args[0], env)
        if isinstance(a, flint.fmpq):
            if a <= 0:
                raise _Undefined("log of a non-positive number")
            if a == 1:
                return flint.fmpq(0)
            return flint.arb(a).log()
        if not a > 0:
            raise _Undefined("log of a ball not certainly positive")
        return a.log()
    if isinstance(e, sp.exp):
        a = _ev(e.args[0], env)
        if isinstance(a, flint.fmpq) and a == 0:
            return flint.fmpq(1)
        return _to_arb(a).exp()
    if e is sp.E:
        return flint.arb(1).exp()
    if isinstance(e, sp.Abs):
        a = _ev(e.args[0], env)
        return abs(a)
    if isinstance(e, (sp.Max, sp.Min)):
        vals = [_ev(a, env) for a in e.args]
        if all(isinstance(v, flint.fmpq) for v in vals):
            return max(vals) if isinstance(e, sp.Max) else min(vals)
        raise _Undefined("Max/Min of balls")
    if isinstance(e, sp.floor):
        a = _ev(e.args[0], env)
        if isinstance(a, flint.fmpq):
            return flint.fmpq(a.floor())
        lo, hi = a.lower().floor(), a.upper().floor()
        if lo == hi:
            return flint.fmpq(int(lo.unique_fmpz()))
        raise _Undefined("floor of a ball straddling an integer")
    raise _Undefined(f"cannot evaluate {type(e).__name__}")


def holds(rel: sp.Basic, env: dict[sp.Symbol, Fraction]) -> bool | None:
    """True if ``rel`` certainly holds at env, False if it certainly fails, None if undecided.

    Undefined sub-expressions (e.g. log of 0) count as undecided; a formula that is not
    defined at a point can neither witness nor be witnessed there.
    """
    if rel is sp.true:
        return True
    if rel is sp.false:
        return False
    if isinstance(rel, sp.And):
        vals = [holds(a, env) for a in rel.args]
        if any(v is False for v in vals):
            return False
        return True if all(v is True for v in vals) else None
    if isinstance(rel, sp.Or):
        vals = [holds(a, env) for a in rel.args]
        if any(v is True for v in vals):
            return True
        return False if all(v is False for v in vals) else None
    if isinstance(rel, sp.Not):
        v = holds(rel.args[0], env)
        return None if v is None else not v
    if isinstance(rel, sp.Implies):
        a, b = (holds(x, env) for x in rel.args)
        if a is False or b is True:
            return True
        if a is True and b is False:
            return False
        return None
    if isinstance(rel, sp.Equivalent):
        vals = [holds(x, env) for x in rel.args]
        if any(v is None for v in vals):
            return None
        return all(v == vals[0] for v in vals)
    if not isinstance(rel, Relational):
        raise TypeError(f"not a formula: {rel!r}")
    try:
        # each side on its own: sympy would cancel log(x) in log(x) + x - log(x), hiding that
        # the formula is undefined at x <= 0
        left, right = evaluate(rel.lhs, env), evaluate(rel.rhs, env)
    except ValueError:
        return None
    if isinstance(left, flint.fmpq) and isinstance(right, flint.fmpq):
        d: CertifiedValue = left - right
    else:
        old = flint.ctx.prec
        flint.ctx.prec = PREC
        try:
            d = _to_arb(left) - _to_arb(right)
        finally:
            flint.ctx.prec = old
    op = rel.rel_op
    if isinstance(d, flint.fmpq):
        table = {">": d > 0, ">=": d >= 0, "<": d < 0, "<=": d <= 0, "==": d == 0, "!=": d != 0}
        return bool(table[op])
    # Arb comparisons are True only when certain
    if op == ">":
        return True if d > 0 else (False if d <= 0 else None)
    if op == ">=":
        return True if d >= 0 else (False if d < 0 else None)
    if op == "<":
        return True if d < 0 else (False if d >= 0 else None)
    if op == "<=":
        return True if d <= 0 else (False if d > 0 else None)
    if op == "==":
        return False if not d.contains(0) else None
    if op == "!=":
        return True if not d.contains(0) else None
    raise TypeError(f"unknown relation {op}")


def interval_str(v: CertifiedValue) -> str:
    """``[lower, upper]`` of a certified value, 20 significant digits."""
    if isinstance(v, flint.fmpq):
        return f"{v} (exact)"
    old = flint.ctx.prec
    flint.ctx.prec = PREC
    try:
        lo = v.lower().str(22, radius=False)
        hi = v.upper().str(22, radius=False)
    finally:
        flint.ctx.prec = old
    return f"[{lo}, {hi}]"
