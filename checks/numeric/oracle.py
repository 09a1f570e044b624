"""mpmath/Arb oracle: every bound's threshold to >= 50 digits and its exact integer length.

The parameters are taken as exact rationals (a float is its binary64 value, a ``Fraction`` or
an int itself).  Every floor (or ceil) the bounds take is of a quantity ``a + b log r`` with
rationals ``a``, ``b``, ``r`` (the logs of each bound combine into one: e.g. Theorem 1's
``T = log((1-alpha)(1+gamma'-eps)/(alpha eps))/beta``), evaluated with mpmath at ``DPS``
digits plus the digits of its size, so its absolute error is below ``10**-DPS``.  Where it is
within ``NEAR`` of an integer the floor is decided by Arb balls: the bound's own sympy
expression (:data:`bebcheck.proofs.beb_v1.bounds.BOUNDS`) through certified evaluation, and the
combined form directly, at a precision raised until the ball lies between two integers.
``a + b log r`` is an integer only if ``r = 1`` or ``b = 0`` (Lindemann: ``e**x`` is irrational
for rational ``x != 0``), which is checked exactly, so the raising terminates.  Theorem 3's
``q`` and Theorem 4's ``eps'`` come from their declarations (``sentences_per_turn``,
``eps_prime``), evaluated exactly.

:func:`sympy_threshold`, :func:`sympy_length` and :func:`sympy_terms` evaluate the declared
sympy expressions with ``sympy.lambdify(..., modules="mpmath")``; the tests check that they
agree with the combined forms here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, partial
from typing import Any

import flint
import mpmath
import sympy as sp
from mpmath import mp, mpf

from bebcheck.checks.engines import _certified
from bebcheck.proofs.beb_v1 import best as B
from bebcheck.proofs.beb_v1.bounds import BOUNDS, bound, eps_prime, sentences_per_turn, symbols
from bebcheck.proofs.beb_v1.results import ResultId
from bebcheck.symbolic.bounds import LengthBound
from bebcheck.symbolic.errors import EngineError, InconclusiveError, InputError

from .precision import ARB_PRECS, DEFAULTS, DOMAINS, DPS, NEAR

__all__ = [
    "OracleValue",
    "dominant_term",
    "evaluate_point",
    "length",
    "sympy_length",
    "sympy_terms",
    "sympy_threshold",
    "terms",
    "threshold",
    "to_fractions",
]


# ---------------------------------------------------------------------------------------------
# inputs


def _fraction(name: str, v: Any) -> Fraction:
    if isinstance(v, Fraction):
        return v
    if isinstance(v, bool):
        raise InputError(f"{name} must be a number; got {v!r}")
    if isinstance(v, int):
        return Fraction(v)
    if isinstance(v, mpf):
        if not mpmath.isfinite(v):
            raise InputError(f"{name} must be a finite number; got {v}")
        man, exp = v.man_exp
        return Fraction(int(man)) * Fraction(2) ** int(exp)
    if isinstance(v, str):
        try:
            return Fraction(v.strip())
        except (ValueError, ZeroDivisionError):
            raise InputError(f"{name} must be a number; got {v!r}") from None
    try:
        x = float(v)
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"{name} must be a real number; got {v!r}") from None
    if not math.isfinite(x):
        raise InputError(f"{name} must be a finite number; got {x}")
    return Fraction(x)


def to_fractions(result: str, point: Mapping[str, Any], best: bool = False
                 ) -> dict[str, Fraction]:
    """The parameters of ``result`` (``best``: of its best length) at ``point`` as exact
    rationals, validated (InputError).

    Parameters the bound does not use are validated and dropped; the ones it uses and
    ``point`` lacks take their declared defaults."""
    b = B.best(result) if best else bound(result)
    out: dict[str, Fraction] = {}
    for name, v in point.items():
        if name not in DOMAINS:
            raise InputError(f"unknown parameter {name!r}")
        if v is None:
            continue
        f = _fraction(name, v)
        if not DOMAINS[name].contains(f):
            raise InputError(DOMAINS[name].rejects(repr(v)))
        if name in b.params:
            out[name] = f
    for name in b.params:
        if name not in out:
            if name not in DEFAULTS:
                raise InputError(f"{b.result} needs {name}")
            out[name] = DEFAULTS[name]
    return out


# ---------------------------------------------------------------------------------------------
# a + b log r


def _mp(x: Fraction) -> mpf:
    return mpf(x.numerator) / x.denominator


@dataclass(frozen=True)
class _Form:
    """a + b*log(r) with rationals; ``r is None`` stands for a log argument <= 0 (-inf)."""

    a: Fraction
    b: Fraction
    r: Fraction | None
    pieces: tuple[Fraction, ...]  # factors of r (their logs bound the rounding error)
    expr: sp.Expr | None = None  # the same quantity as a declared sympy expression

    def scale(self) -> mpf:
        """|a| + |b| sum |log piece|: the size a float evaluation's error is relative to."""
        if self.r is None:
            return mpf(0)
        return abs(_mp(self.a)) + abs(_mp(self.b)) * sum(abs(mpmath.log(_mp(p)))
                                                         for p in self.pieces)

    def digits(self) -> int:
        """Decimal digits of the largest part (>= 0)."""
        if self.r is None:
            return 0
        with mp.workdps(20):
            return max(0, int(mpmath.ceil(mpmath.log10(self.scale() + 1))))

    def value(self) -> mpf:
        """The value at the current mpmath precision."""
        if self.r is None:
            return mpf("-inf")
        if self.b == 0 or self.r == 1:
            return _mp(self.a)
        return _mp(self.a) + _mp(self.b) * mpmath.log(_mp(self.r))

    def neg(self) -> _Form:
        return _Form(-self.a, -self.b, self.r, self.pieces,
                     None if self.expr is None else -self.expr)


@contextmanager
def _arb_prec(prec: int) -> Iterator[None]:
    """Run certified evaluation and Arb arithmetic at ``prec`` bits."""
    old_ev, old_ctx = _certified.PREC, flint.ctx.prec
    _certified.PREC = prec
    flint.ctx.prec = prec
    try:
        yield
    finally:
        _certified.PREC = old_ev
        flint.ctx.prec = old_ctx


def _ball_floor(v: Any) -> int | None:
    if isinstance(v, flint.fmpq):
        return int(v.floor())
    lo = v.lower().floor().unique_fmpz()
    hi = v.upper().floor().unique_fmpz()
    if lo is None or hi is None or lo != hi:
        return None
    return int(lo)


def _fq(x: Fraction) -> flint.fmpq:
    return flint.fmpq(x.numerator, x.denominator)


class _Decider:
    """Floors of forms; records whether Arb had to decide."""

    def __init__(self, env: dict[sp.Symbol, Fraction]) -> None:
        self.env = env
        self.arb_used = False

    def floor(self, f: _Form) -> int | None:
        """floor(a + b log r) exactly; None for -inf."""
        if f.r is None:
            return None
        if f.b == 0 or f.r == 1:
            return math.floor(f.a)
        dig = f.digits()
        with mp.workdps(DPS + dig + 10):
            v = f.value()
            k = mpmath.nint(v)
            if abs(v - k) > NEAR:
                return int(mpmath.floor(v))
        self.arb_used = True
        return self._arb_floor(f, dig)

    def _symbolic_floor(self, f: _Form) -> int | None:
        """The floor of the declared expression's Arb ball, if it decides one."""
        if f.expr is None:
            return None
        try:
            return _ball_floor(_certified.evaluate(f.expr, self.env))
        except ValueError:
            return None

    def _arb_floor(self, f: _Form, dig: int) -> int:
        assert f.r is not None
        for extra in ARB_PRECS:
            with _arb_prec(extra + int(dig * 3.33) + 16):
                k_sym = self._symbolic_floor(f)
                ball = flint.arb(_fq(f.a)) + flint.arb(_fq(f.b)) * flint.arb(_fq(f.r)).log()
                k_can = _ball_floor(ball)
            if k_sym is not None and k_can is not None and k_sym != k_can:
                raise EngineError(f"Arb floors disagree: sympy form {k_sym}, combined {k_can}")
            if k_sym is not None:
                return k_sym
            if k_can is not None:
                return k_can
        raise InconclusiveError(f"Arb could not decide floor({f.a} + {f.b} log {f.r})")


# ---------------------------------------------------------------------------------------------
# the bounds, from their declarations


@dataclass(frozen=True)
class OracleValue:
    """The oracle's answer at one point."""

    result: ResultId
    paper: bool
    threshold: mpf  # -inf where the guarantee needs no prompt at all
    length: int
    scale: mpf  # size the threshold's float rounding error is relative to (>= |threshold|)
    arb_decided: bool  # an Arb ball had to decide a floor


@dataclass(frozen=True)
class _Solved:
    """A bound at one point: its threshold and scale (at the caller's precision), its length."""

    value: Callable[[], mpf]
    length: int
    scale: Callable[[], mpf]


def _symbols() -> dict[str, sp.Symbol]:
    """Every parameter's symbol, the best lengths' ``turn`` included."""
    return {**symbols(), "turn": B.turn}


def _env(F: Mapping[str, Fraction]) -> dict[sp.Symbol, Fraction]:
    S = _symbols()
    return {S[k]: v for k, v in F.items()}


def _expr(b: LengthBound, paper: bool) -> sp.Expr:
    t = b.paper_threshold if paper else b.threshold
    assert t is not None
    return t


def _tight(F: Mapping[str, Fraction], paper: bool) -> tuple[Fraction | None, tuple[Fraction, ...]]:
    """(1-alpha) X/(alpha eps) with X = 1+gamma'-eps (None if <= 0) or gamma' (paper)."""
    al, ep, gp = F["alpha"], F["eps"], -F["gamma"]
    x = gp if paper else 1 + gp - ep
    if x <= 0:
        return None, ()
    return (1 - al) * x / (al * ep), (1 - al, al, x, ep)


def _q(F: Mapping[str, Fraction], paper: bool) -> int:
    """Theorem 3's sentences per turn, declared: q = floor(A c/beta) + 2 (printed: A = 1)."""
    return int(sentences_per_turn(F["c"], F["beta"], 1 if paper else F["reply"]))


def _inner_floor_arg(expr: sp.Expr) -> sp.Expr:
    """Theorem 3: the argument of the floor that has a log in it (the number of turns)."""
    args = [f.args[0] for f in expr.atoms(sp.floor) if f.args[0].has(sp.log)]
    if len(args) != 1:  # pragma: no cover - the declaration changed shape
        raise EngineError("theorem3: expected one floor with a log")
    return args[0]


@cache
def _t4_eps_expr(paper: bool) -> sp.Expr:
    """(2/beta) log(1/eps'), with the declared eps' (repaired, or the paper's read with gamma')."""
    if not paper:
        return BOUNDS[ResultId.THEOREM4].term("eps_prime").expr
    S = symbols()
    return 2 / S["beta"] * sp.log(1 / eps_prime(S["alpha"], S["eps"], -S["gamma"], paper=True))


def _solve_t12(b: LengthBound, F: Mapping[str, Fraction], paper: bool, dec: _Decider,
               with_s0: bool) -> _Solved:
    r, pieces = _tight(F, paper)
    a = F["s0"] * F["c"] / F["beta"] if with_s0 else Fraction(0)
    f = _Form(a, 1 / F["beta"], r, pieces, _expr(b, paper))
    k = dec.floor(f)
    return _Solved(f.value, 0 if k is None else max(0, k + 1), f.scale)


def _solve_t3(b: LengthBound, F: Mapping[str, Fraction], paper: bool, dec: _Decider) -> _Solved:
    al, be, ep = F["alpha"], F["beta"], F["eps"]
    q = _q(F, paper)
    if paper:  # turns of (log(1/eps) + log((1-alpha)/alpha))/beta
        r: Fraction | None = (1 - al) / (al * ep)
        pieces: tuple[Fraction, ...] = (1 - al, al, ep)
        den = be
    else:  # a reply of up to A sentences costs A c: each turn gains beta q - A c
        r, pieces = _tight(F, False)
        den = be * q - F["c"] * F["reply"]
    k = dec.floor(_Form(Fraction(0), 1 / den, r, pieces, _inner_floor_arg(_expr(b, paper))))
    n = q * (0 if k is None else max(0, k + 1))

    def t3() -> mpf:  # exact at the caller's precision
        return mpf(n) - mpf(1) / 2

    return _Solved(t3, n, lambda: abs(t3()))


def _solve_p1(b: LengthBound, F: Mapping[str, Fraction], paper: bool, dec: _Decider) -> _Solved:
    al, be, c, s0, gp = F["alpha"], F["beta"], F["c"], F["s0"], -F["gamma"]
    if paper:
        f = _Form(be / c * s0, Fraction(1), al / (1 - al), (al, 1 - al), _expr(b, paper))
    else:
        f = _Form(be * s0 / c, 1 / c, al * gp / ((1 - al) * (2 + gp)), (al, gp, 1 - al, 2 + gp),
                  _expr(b, paper))
    k = dec.floor(f.neg())  # ceil(T) = -floor(-T)
    assert k is not None
    return _Solved(f.value, max(0, -k - 1), f.scale)


def _t4_forms(b: LengthBound, F: Mapping[str, Fraction], paper: bool) -> tuple[_Form, _Form]:
    """Theorem 4's (2/beta) log(1/eps') and 32 (c/beta)^2 log|Phi| as forms."""
    al, be, ep, gp, phi = F["alpha"], F["beta"], F["eps"], -F["gamma"], F["phi"]
    pieces = (gp, Fraction(2), al, ep) if paper else (Fraction(2), 1 + gp, al, ep)
    fa = _Form(Fraction(0), 2 / be, 1 / eps_prime(al, ep, gp, paper=paper), pieces,
               _t4_eps_expr(paper))
    fb = _Form(Fraction(0), 32 * (F["c"] / be) ** 2, phi, (phi,), b.term("personas").expr)
    return fa, fb


def _solve_t4(b: LengthBound, F: Mapping[str, Fraction], paper: bool, dec: _Decider) -> _Solved:
    fa, fb = _t4_forms(b, F, paper)
    ka, kb = dec.floor(fa), dec.floor(fb)
    assert ka is not None
    assert kb is not None
    return _Solved(lambda: max(fa.value(), fb.value()), max(0, max(ka, kb) + 1),
                   lambda: fa.scale() + fb.scale())


Solver = Callable[[LengthBound, Mapping[str, Fraction], bool, _Decider], _Solved]

_SOLVERS: dict[ResultId, Solver] = {
    ResultId.THEOREM1: partial(_solve_t12, with_s0=False),
    ResultId.THEOREM2: partial(_solve_t12, with_s0=True),
    ResultId.THEOREM3: _solve_t3,
    ResultId.PROPOSITION1: _solve_p1,
    ResultId.THEOREM4: _solve_t4,
}


# ---------------------------------------------------------------------------------------------
# the best lengths (bebcheck.proofs.beb_v1.best)


def _floor_arg(e: sp.Expr) -> sp.Expr:
    """The argument of the outermost floor of ``floor(x) + 1``."""
    (f,) = (a for a in sp.Add.make_args(e) if isinstance(a, sp.floor))
    return f.args[0]


def _turn_of(F: Mapping[str, Fraction]) -> int:
    """Theorem 3's best per-turn cap L: ``turn``, or the paper's floor(A c/beta) + 2 for 0."""
    t = F.get("turn", Fraction(0))
    return int(t) if t else int(sentences_per_turn(F["c"], F["beta"], F["reply"]))


def _split3(F: Mapping[str, Fraction], dec: _Decider) -> tuple[int, int, int]:
    """(L, turns, sentences) of Theorem 3's best split at ``F``, decided exactly."""
    be, cost = F["beta"], F["c"] * F["reply"]
    L = _turn_of(F)
    g = be * L - cost
    if g <= 0:
        raise InputError(f"turn: a turn of L = {L} sentences must gain more than its reply "
                         f"costs (beta L > A c = {_show(cost)}); it gains {_show(g)}")
    r, pieces = _tight(F, False)
    S = _symbols()
    t_expr, q_expr = B.theorem3_split(B._NEED, S["beta"], S["reply"] * S["c"], sp.Integer(L))
    k = dec.floor(_Form(Fraction(0), 1 / g, r, pieces, _floor_arg(t_expr)))
    n = 0 if k is None else max(0, k + 1)
    kq = dec.floor(_Form(n * cost / be, 1 / be, r, pieces,
                         _floor_arg(q_expr.xreplace({t_expr: sp.Integer(n)}))))
    return L, n, 0 if kq is None else max(0, kq + 1)


def _show(x: Fraction) -> str:
    return str(x) if x.denominator < 10**6 else f"{float(x):.6g}"


def _solve_t3_best(b: LengthBound, F: Mapping[str, Fraction], paper: bool,
                   dec: _Decider) -> _Solved:
    total = _split3(F, dec)[2]

    def t3() -> mpf:
        return mpf(total) - mpf(1) / 2

    return _Solved(t3, total, lambda: abs(t3()))


@dataclass(frozen=True)
class _Root:
    """Theorem 4's best threshold (beta ell + c^2 K + c sqrt(K(c^2 K + 2 beta ell)))/beta^2,
    ell = a + log x, K = log k (k >= 2): mpmath values and Arb balls at any precision."""

    a: Fraction
    x: Fraction
    k: int
    beta: Fraction
    c: Fraction
    expr: sp.Expr

    def _of(self, ell: Any, K: Any, sqrt: Callable[[Any], Any]) -> Any:
        be, c = self.beta, self.c
        b_, c_ = (_mp(be), _mp(c)) if isinstance(ell, mpf) else (_fq(be), _fq(c))
        return (b_ * ell + c_**2 * K + c_ * sqrt(K * (c_**2 * K + 2 * b_ * ell))) / b_**2

    def value(self) -> mpf:
        return self._of(_mp(self.a) + mpmath.log(_mp(self.x)), mpmath.log(self.k), mpmath.sqrt)

    def ball(self) -> Any:
        ell = flint.arb(_fq(self.a)) + flint.arb(_fq(self.x)).log()
        return self._of(ell, flint.arb(self.k).log(), lambda v: v.sqrt())

    def scale(self) -> mpf:
        ell = abs(_mp(self.a)) + abs(mpmath.log(_mp(self.x)))
        return abs(self.value()) + 4 * ell / _mp(self.beta) + 16 * _mp(self.c)**2 * \
            mpmath.log(self.k) / _mp(self.beta)**2


def _root_floor(f: _Root, dec: _Decider) -> int:
    """floor of a :class:`_Root`: mpmath, then Arb balls (and the declared expression) near
    an integer, at rising precision."""
    with mp.workdps(30):
        dig = max(0, int(mpmath.log10(abs(f.value()) + 1)) + 1)
    with mp.workdps(DPS + dig + 10):
        v = f.value()
        if abs(v - mpmath.nint(v)) > NEAR:
            return int(mpmath.floor(v))
    dec.arb_used = True
    for extra in ARB_PRECS:
        with _arb_prec(extra + int(dig * 3.33) + 16):
            k_can = _ball_floor(f.ball())
            k_sym = dec._symbolic_floor(_Form(Fraction(0), Fraction(0), None, (), f.expr))
        if k_sym is not None and k_can is not None and k_sym != k_can:
            raise EngineError(f"Arb floors disagree: sympy form {k_sym}, combined {k_can}")
        if k_can is not None:
            return k_can
    raise InconclusiveError("Arb could not decide Theorem 4's best length")


def _t4_best_forms(b: LengthBound, F: Mapping[str, Fraction]
                   ) -> tuple[_Form, _Form | _Root | None] | None:
    """ell = log(1/eps') + |s0| c as a form, and the threshold as a form or a root; None when
    no prompt is needed by the cases (|Phi| = 1, eps >= 1 + gamma'), the threshold None when
    it depends on the sign of ell."""
    al, be, ep, gp, c, phi = F["alpha"], F["beta"], F["eps"], -F["gamma"], F["c"], F["phi"]
    if phi < 2 or ep >= 1 + gp:
        return None
    x = 1 / B.best_eps_prime(al, ep, gp)
    pieces = (1 - al, 1 + gp - ep, al, ep)
    a = F["s0"] * c
    ell = _Form(a, Fraction(1), x, pieces, b.term("eps_prime").expr * _symbols()["beta"])
    if phi == 2:  # K = 0: the threshold is ell/beta
        return ell, _Form(a / be, 1 / be, x, pieces, b.term("eps_prime").expr)
    if x == 1 and a == 0:  # ell = 0: the threshold is 2 c^2 log(|Phi| - 1)/beta^2
        return ell, _Form(Fraction(0), 2 * c**2 / be**2, phi - 1, (phi - 1,))
    core = b.threshold.args[-1][0]
    return ell, _Root(a, x, int(phi) - 1, be, c, core)


def _solve_t4_best(b: LengthBound, F: Mapping[str, Fraction], paper: bool,
                   dec: _Decider) -> _Solved:
    forms = _t4_best_forms(b, F)
    k_ell = None if forms is None else dec.floor(forms[0])
    if forms is None or k_ell is None or k_ell < 0:  # ell < 0: the initial prompt suffices
        return _Solved(lambda: mpf("-inf"), 0, lambda: mpf(0))
    t = forms[1]
    k = _root_floor(t, dec) if isinstance(t, _Root) else dec.floor(t)
    assert k is not None
    scale = t.scale if isinstance(t, _Root) else (lambda: t.scale() + abs(t.value()))
    return _Solved(t.value, max(0, k + 1), scale)


_BEST_SOLVERS: dict[ResultId, Solver] = {
    **_SOLVERS, ResultId.THEOREM3: _solve_t3_best, ResultId.THEOREM4: _solve_t4_best}
"""The best lengths (Theorems 1, 2 and Proposition 1: the repaired solvers)."""


def evaluate_point(result: str, point: Mapping[str, Any], paper: bool = False,
                   best: bool = False) -> OracleValue:
    """Threshold (>= DPS digits), exact length and condition scale of ``result`` at ``point``
    (``best``: of the best length the repaired proof allows)."""
    if paper and best:
        raise InputError("paper and best exclude each other: the paper prints one length")
    b = B.best(result) if best else bound(result)
    F = to_fractions(b.result, point, best)
    dec = _Decider(_env(F))
    sol = (_BEST_SOLVERS if best else _SOLVERS)[ResultId(b.result)](b, F, paper, dec)
    with mp.workdps(20):
        probe = sol.value()
        size = 0 if not mpmath.isfinite(probe) or probe == 0 else \
            max(0, int(mpmath.log10(abs(probe))) + 1)
    with mp.workdps(DPS + size + 10):
        t = sol.value()
        s = sol.scale()
    return OracleValue(ResultId(b.result), paper, t, sol.length, s, dec.arb_used)


def threshold(result: str, point: Mapping[str, Any], paper: bool = False,
              best: bool = False) -> mpf:
    """The threshold T at ``point`` to at least DPS significant digits (-inf: no prompt needed)."""
    return evaluate_point(result, point, paper, best).threshold


def length(result: str, point: Mapping[str, Any], paper: bool = False, best: bool = False) -> int:
    """The exact prompt length of ``result`` at ``point``."""
    return evaluate_point(result, point, paper, best).length


# ---------------------------------------------------------------------------------------------
# the declared sympy expressions themselves


_WHAT: dict[str, Callable[[LengthBound, bool], Any]] = {
    "threshold": _expr,
    "length": lambda b, paper: b.length_expr(paper),
    "terms": lambda b, _paper: [t.expr for t in b.terms],
}


@cache
def _lambdified(result: ResultId, what: str, paper: bool, best: bool = False
                ) -> Callable[..., Any]:
    b = B.BEST[result] if best else BOUNDS[result]
    S = _symbols()
    return sp.lambdify([S[p] for p in b.params], _WHAT[what](b, paper), modules="mpmath")


def _mp_args(result: str, point: Mapping[str, Any], best: bool = False) -> list[mpf]:
    F = to_fractions(result, point, best)
    b = B.BEST[ResultId(result)] if best else BOUNDS[ResultId(result)]
    return [_mp(F[p]) for p in b.params]


def _lambdify_at(result: str, what: str, point: Mapping[str, Any], paper: bool,
                 dps: int, best: bool = False) -> Any:
    b = bound(result)
    f = _lambdified(ResultId(b.result), what, paper, best)
    with mp.workdps(dps):
        return f(*_mp_args(b.result, point, best))


def sympy_threshold(result: str, point: Mapping[str, Any], paper: bool = False,
                    dps: int = DPS, best: bool = False) -> Any:
    """The declared threshold through lambdify(modules="mpmath") at ``dps`` digits.

    Complex (log of a negative number) where Theorem 1-3's repaired form needs no prompt.
    """
    return _lambdify_at(result, "threshold", point, paper, dps, best)


def sympy_length(result: str, point: Mapping[str, Any], paper: bool = False,
                 dps: int = DPS, best: bool = False) -> int:
    """``length_expr(paper)`` through lambdify(modules="mpmath"): exact only away from ties."""
    return int(_lambdify_at(result, "length", point, paper, dps, best))


def sympy_terms(result: str, point: Mapping[str, Any], dps: int = DPS,
                best: bool = False) -> dict[str, Any]:
    """The repaired (or best) bound's declared terms through lambdify(modules="mpmath")."""
    vals = _lambdify_at(result, "terms", point, False, dps, best)
    b = B.best(result) if best else bound(result)
    return {t.key: v for t, v in zip(b.terms, vals, strict=True)}


# ---------------------------------------------------------------------------------------------
# terms: the combined forms, by term key

TermForms = dict[str, _Form | Fraction]


def _terms_t12(b: LengthBound, F: Mapping[str, Fraction], with_s0: bool) -> TermForms:
    al, be, ep, gp = F["alpha"], F["beta"], F["eps"], -F["gamma"]
    u = 1 + gp - ep
    out: TermForms = {
        "log_prior": _Form(Fraction(0), 1 / be, (1 - al) / al, (1 - al, al),
                           b.term("log_prior").expr),
        "log_slack": _Form(Fraction(0), 1 / be, u / ep if u > 0 else None,
                           (u, ep) if u > 0 else (), b.term("log_slack").expr)}
    if with_s0:
        out["prompt"] = F["s0"] * F["c"] / be
    return out


def _terms_t3(b: LengthBound, F: Mapping[str, Fraction]) -> TermForms:
    q = _q(F, False)
    r, pieces = _tight(F, False)
    turns = _Form(Fraction(0), 1 / (F["beta"] * q - F["c"] * F["reply"]), r, pieces,
                  _inner_floor_arg(b.term("turns").expr))
    k = _Decider(_env(F)).floor(turns)
    return {"q": Fraction(q), "turns": Fraction(0 if k is None else max(0, k + 1))}


def _terms_p1(b: LengthBound, F: Mapping[str, Fraction]) -> TermForms:
    al, c, gp = F["alpha"], F["c"], -F["gamma"]
    return {"prompt": F["beta"] * F["s0"] / c,
            "log_prior": _Form(Fraction(0), 1 / c, al / (1 - al), (al, 1 - al),
                               b.term("log_prior").expr),
            "log_slack": _Form(Fraction(0), 1 / c, gp / (2 + gp), (gp, 2 + gp),
                               b.term("log_slack").expr)}


def _terms_t4(b: LengthBound, F: Mapping[str, Fraction]) -> TermForms:
    fa, fb = _t4_forms(b, F, False)
    return {"eps_prime": fa, "personas": fb}


_TERMS: dict[ResultId, Callable[[LengthBound, Mapping[str, Fraction]], TermForms]] = {
    ResultId.THEOREM1: partial(_terms_t12, with_s0=False),
    ResultId.THEOREM2: partial(_terms_t12, with_s0=True),
    ResultId.THEOREM3: _terms_t3,
    ResultId.PROPOSITION1: _terms_p1,
    ResultId.THEOREM4: _terms_t4,
}


def _terms_t3_best(b: LengthBound, F: Mapping[str, Fraction]) -> TermForms:
    L, n, _ = _split3(F, _Decider(_env(F)))
    return {"turn": Fraction(L), "turns": Fraction(n)}


def _terms_t4_best(b: LengthBound, F: Mapping[str, Fraction]) -> TermValues:
    """(log(1/eps') + |s0| c)/beta, and the union bound's share of the threshold (0 for
    |Phi| <= 2; -inf for eps >= 1 + gamma')."""
    al, be, ep, gp, c, phi = F["alpha"], F["beta"], F["eps"], -F["gamma"], F["c"], F["phi"]
    if ep >= 1 + gp:
        return {"eps_prime": mpf("-inf"), "personas": mpf(0)}
    x = 1 / B.best_eps_prime(al, ep, gp)
    ell = _Form(F["s0"] * c, Fraction(1), x, (1 - al, 1 + gp - ep, al, ep))
    with mp.workdps(DPS + ell.digits() + 20):
        e = ell.value()
        K = mpmath.log(phi - 1) if phi > 2 else mpf(0)
        X = max(mpf(0), _mp(c)**2 * K + 2 * _mp(be) * e)
        share = (_mp(c)**2 * K + _mp(c) * mpmath.sqrt(K * X)) / _mp(be)**2
        return {"eps_prime": e / _mp(be), "personas": share}


TermValues = dict[str, mpf]

_BEST_TERMS: dict[ResultId, Callable[[LengthBound, Mapping[str, Fraction]],
                                     TermForms | TermValues]] = {
    **_TERMS, ResultId.THEOREM3: _terms_t3_best, ResultId.THEOREM4: _terms_t4_best}


def _value(f: _Form | Fraction | mpf) -> mpf:
    """A term to >= DPS digits."""
    if isinstance(f, mpf):
        return f
    if isinstance(f, Fraction):
        digits = math.ceil(abs(math.floor(f)).bit_length() * math.log10(2)) + 1  # no str(): Python
        with mp.workdps(DPS + digits + 10):  # refuses ints over 4300 digits
            return _mp(f)
    with mp.workdps(DPS + f.digits() + 10):
        return f.value()


def terms(result: str, point: Mapping[str, Any], best: bool = False) -> dict[str, mpf]:
    """The repaired (or best) bound's terms at ``point`` by term key, each to >= DPS digits
    (-inf for the log_slack term where eps >= 1 + gamma'; Theorem 3's turns are then 0)."""
    b = B.best(result) if best else bound(result)
    forms = (_BEST_TERMS if best else _TERMS)[ResultId(b.result)](b, to_fractions(
        b.result, point, best))
    return {t.key: _value(forms[t.key]) for t in b.terms}


def dominant_term(result: str, point: Mapping[str, Any], best: bool = False) -> str:
    """The key of the largest of the repaired (or best) bound's terms at ``point``."""
    t = terms(result, point, best)
    return max(t, key=lambda k: t[k])
