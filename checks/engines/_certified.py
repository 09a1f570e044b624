"""Certified evaluation of sympy formulas at rational points: exact rationals first, Arb balls otherwise."""

from __future__ import annotations

import operator
from collections.abc import Callable
from fractions import Fraction
from typing import Any

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
    """Dispatch on the node type, most derived class first (as sympy's printers do)."""
    for cls in type(e).__mro__:
        rule = _EVAL.get(cls)
        if rule is not None:
            return rule(e, env)
    raise _Undefined(f"cannot evaluate {type(e).__name__}")


def _ev_symbol(e: sp.Symbol, env: dict[sp.Symbol, Fraction]) -> CertifiedValue:
    if e not in env:
        raise _Undefined(f"no value for {e}")
    raw = env[e]
    if isinstance(raw, flint.arb):  # a box (branch and bound)
        return raw
    v = Fraction(raw)
    return flint.fmpq(v.numerator, v.denominator)


def _ev_rational(e: sp.Rational, env: dict[sp.Symbol, Fraction]) -> CertifiedValue:
    return flint.fmpq(int(e.p), int(e.q))


def _fold(vals: list[CertifiedValue], start: int, op: Callable[[Any, Any], Any]
          ) -> CertifiedValue:
    if all(isinstance(v, flint.fmpq) for v in vals):
        acc: Any = flint.fmpq(start)
        for v in vals:
            acc = op(acc, v)
        return acc
    acc_b: Any = flint.arb(start)
    for v in vals:
        acc_b = op(acc_b, _to_arb(v))
    return acc_b


def _ev_add(e: sp.Add, env: dict[sp.Symbol, Fraction]) -> CertifiedValue:
    return _fold([_ev(a, env) for a in e.args], 0, operator.add)


def _ev_mul(e: sp.Mul, env: dict[sp.Symbol, Fraction]) -> CertifiedValue:
    return _fold([_ev(a, env) for a in e.args], 1, operator.mul)


_EXACT_POWER = 4096  # larger integer exponents of rationals go to Arb (no giant numerators)


def _ev_pow(e: sp.Pow, env: dict[sp.Symbol, Fraction]) -> CertifiedValue:
    """Integer exponents (also integer-valued ones, such as an integer parameter) on any base;
    other exponents on a positive base; rational roots exact where they are."""
    base, ex = _ev(e.args[0], env), _ev(e.args[1], env)
    if isinstance(ex, flint.fmpq) and ex.q == 1:
        return _int_power(base, int(ex.p))
    if isinstance(ex, flint.fmpq) and isinstance(base, flint.fmpq):
        root = _exact_root(base, ex)
        if root is not None:
            return root
    b, x = _to_arb(base), _to_arb(ex)
    if b > 0:
        return (b.log() * x).exp()
    if b >= 0 and x > 0:  # a ball touching 0: t**x increases on [0, upper]
        up = b.upper()
        return flint.arb(0).union((up.log() * x).exp()) if up > 0 else flint.arb(0)
    raise _Undefined("non-integer power of a base not certainly positive")


def _int_power(base: CertifiedValue, k: int) -> CertifiedValue:
    zero = base == 0 if isinstance(base, flint.fmpq) else base.contains(0)
    if k < 0 and zero:
        raise _Undefined("division by zero" if isinstance(base, flint.fmpq)
                         else "division by a ball containing zero")
    if isinstance(base, flint.fmpq) and abs(k) <= _EXACT_POWER:
        return base**k
    b = _to_arb(base)
    if k < 0:
        return 1 / _ball_power(b, -k)
    return _ball_power(b, k)


def _ball_power(b: flint.arb, k: int) -> flint.arb:
    """An enclosure of {t**k : t in b}, k >= 0, from the ends of b (t**k is monotone on each
    side of 0); Arb's own power gives nan or a loose ball on a base that reaches below 0."""
    if k == 0:
        return flint.arb(1)
    out = _square_multiply(b.lower(), k).union(_square_multiply(b.upper(), k))
    if k % 2 == 0 and b.contains(0):
        out = out.union(flint.arb(0))
    return out


def _square_multiply(t: flint.arb, k: int) -> flint.arb:
    acc, sq = flint.arb(1), t
    while k:
        if k & 1:
            acc *= sq
        sq *= sq
        k >>= 1
    return acc


def _exact_root(base: flint.fmpq, ex: flint.fmpq) -> flint.fmpq | None:
    """base**ex exactly when base >= 0 is a perfect power (sqrt(9/4) = 3/2, 0**(1/2) = 0)."""
    p, q, m, n = int(base.p), int(base.q), int(ex.p), int(ex.q)
    if p < 0 or (p == 0 and m < 0) or n > 64:
        return None
    rp, ok_p = sp.integer_nthroot(p, n)
    rq, ok_q = sp.integer_nthroot(q, n)
    if not (ok_p and ok_q) or abs(m) > _EXACT_POWER:
        return None
    return flint.fmpq(int(rp), int(rq)) ** m


def _ev_log(e: sp.log, env: dict[sp.Symbol, Fraction]) -> CertifiedValue:
    a = _ev(e.args[0], env)
    if isinstance(a, flint.fmpq):
        if a <= 0:
            raise _Undefined("log of a non-positive number")
        return flint.fmpq(0) if a == 1 else flint.arb(a).log()
    if not a > 0:
        raise _Undefined("log of a ball not certainly positive")
    return a.log()


def _ev_exp(e: sp.exp, env: dict[sp.Symbol, Fraction]) -> CertifiedValue:
    a = _ev(e.args[0], env)
    if isinstance(a, flint.fmpq) and a == 0:
        return flint.fmpq(1)
    return _to_arb(a).exp()


def _ev_e(e: sp.Basic, env: dict[sp.Symbol, Fraction]) -> CertifiedValue:
    return flint.arb(1).exp()


def _ev_pi(e: sp.Basic, env: dict[sp.Symbol, Fraction]) -> CertifiedValue:
    return flint.arb.pi()


def _ev_abs(e: sp.Abs, env: dict[sp.Symbol, Fraction]) -> CertifiedValue:
    return abs(_ev(e.args[0], env))


def _ev_minmax(e: sp.Basic, env: dict[sp.Symbol, Fraction]) -> CertifiedValue:
    """Exact on rationals; on balls, Arb's enclosure of the max (min) of the enclosures."""
    vals = [_ev(a, env) for a in e.args]
    if all(isinstance(v, flint.fmpq) for v in vals):
        return max(vals) if isinstance(e, sp.Max) else min(vals)
    balls = [_to_arb(v) for v in vals]
    acc = balls[0]
    for b in balls[1:]:
        acc = acc.max(b) if isinstance(e, sp.Max) else acc.min(b)
    return acc


def _integer_part(e: sp.Basic, env: dict[sp.Symbol, Fraction], up: bool) -> CertifiedValue:
    a = _ev(e.args[0], env)
    if isinstance(a, flint.fmpq):
        return flint.fmpq(a.ceil() if up else a.floor())
    lo, hi = (a.lower().ceil(), a.upper().ceil()) if up else (a.lower().floor(),
                                                                a.upper().floor())
    if lo == hi:
        return flint.fmpq(int(lo.unique_fmpz()))
    raise _Undefined(f"{'ceiling' if up else 'floor'} of a ball straddling an integer")


def _ev_floor(e: sp.floor, env: dict[sp.Symbol, Fraction]) -> CertifiedValue:
    return _integer_part(e, env, up=False)


def _ev_ceiling(e: sp.ceiling, env: dict[sp.Symbol, Fraction]) -> CertifiedValue:
    return _integer_part(e, env, up=True)


def _ev_piecewise(e: sp.Piecewise, env: dict[sp.Symbol, Fraction]) -> CertifiedValue:
    """The first piece whose condition certainly holds, all earlier ones certainly failing."""
    for expr, cond in e.args:
        h = holds(cond, env)
        if h is True:
            return _ev(expr, env)
        if h is None:
            raise _Undefined("a Piecewise condition is undecided")
    raise _Undefined("no Piecewise condition holds")


_EVAL: dict[type, Callable[[Any, dict[sp.Symbol, Fraction]], CertifiedValue]] = {
    sp.Symbol: _ev_symbol, sp.Rational: _ev_rational, sp.Add: _ev_add, sp.Mul: _ev_mul,
    sp.Pow: _ev_pow, sp.log: _ev_log, sp.exp: _ev_exp, type(sp.E): _ev_e,
    type(sp.pi): _ev_pi, sp.Abs: _ev_abs,
    sp.Max: _ev_minmax, sp.Min: _ev_minmax, sp.floor: _ev_floor, sp.ceiling: _ev_ceiling,
    sp.Piecewise: _ev_piecewise,
}


def _all3(vals: list[bool | None]) -> bool | None:
    if any(v is False for v in vals):
        return False
    return True if all(v is True for v in vals) else None


def _any3(vals: list[bool | None]) -> bool | None:
    if any(v is True for v in vals):
        return True
    return False if all(v is False for v in vals) else None


def _holds_implies(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is True:
        return True
    return False if a is True and b is False else None


def _holds_equivalent(vals: list[bool | None]) -> bool | None:
    if any(v is None for v in vals):
        return None
    return all(v == vals[0] for v in vals)


_LOGIC: dict[type, Callable[[list[bool | None]], bool | None]] = {
    sp.And: _all3, sp.Or: _any3,
    sp.Not: lambda v: None if v[0] is None else not v[0],
    sp.Implies: lambda v: _holds_implies(v[0], v[1]),
    sp.Equivalent: _holds_equivalent,
}

# (certainly true, certainly false) of a ball d = lhs - rhs, per relation
_BALL: dict[str, Callable[[Any], tuple[bool, bool]]] = {
    ">": lambda d: (d > 0, d <= 0), ">=": lambda d: (d >= 0, d < 0),
    "<": lambda d: (d < 0, d >= 0), "<=": lambda d: (d <= 0, d > 0),
    "==": lambda d: (False, not d.contains(0)), "!=": lambda d: (not d.contains(0), False),
}
_EXACT: dict[str, Callable[[Any], bool]] = {
    ">": lambda d: d > 0, ">=": lambda d: d >= 0, "<": lambda d: d < 0,
    "<=": lambda d: d <= 0, "==": lambda d: d == 0, "!=": lambda d: d != 0,
}


def holds(rel: sp.Basic, env: dict[sp.Symbol, Fraction]) -> bool | None:
    """True if ``rel`` certainly holds at env, False if it certainly fails, None if undecided.

    Undefined sub-expressions (e.g. log of 0) count as undecided; a formula that is not
    defined at a point can neither witness nor be witnessed there.
    """
    if rel is sp.true or rel is sp.false:
        return rel is sp.true
    logic = _LOGIC.get(type(rel))
    if logic is not None:
        return logic([holds(a, env) for a in rel.args])
    if not isinstance(rel, Relational):
        raise TypeError(f"not a formula: {rel!r}")
    try:
        # each side on its own: sympy would cancel log(x) in log(x) + x - log(x), hiding that
        # the formula is undefined at x <= 0
        left, right = evaluate(rel.lhs, env), evaluate(rel.rhs, env)
    except ValueError:
        return None
    op = rel.rel_op
    if isinstance(left, flint.fmpq) and isinstance(right, flint.fmpq):
        return bool(_EXACT[op](left - right))
    old = flint.ctx.prec
    flint.ctx.prec = PREC
    try:
        yes, no = _BALL[op](_to_arb(left) - _to_arb(right))  # Arb: True only when certain
    finally:
        flint.ctx.prec = old
    return True if yes else (False if no else None)


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
