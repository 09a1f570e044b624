"""mpmath/Arb oracle: every bound's threshold to >= 50 digits and its exact integer length.

The parameters are taken as exact rationals (a float is its binary64 value, a ``Fraction`` or
an int itself).  Every floor (or ceil) the bounds take is of a quantity ``a + b log r`` with
rationals ``a``, ``b``, ``r`` (the logs of each bound combine into one: e.g. Theorem 1's
``T = log((1-alpha)(1+gamma'-eps)/(alpha eps))/beta``), evaluated with mpmath at ``DPS``
digits plus the digits of its size, so its absolute error is below ``10**-DPS``.  Where it is
within 1e-9 of an integer the floor is decided by Arb balls: the bound's own sympy expression
through :func:`bebcheck.checks.evaluate.evaluate`, and the combined form directly, at a
precision raised until the ball lies between two integers.  ``a + b log r`` is an integer only
if ``r = 1`` or ``b = 0`` (Lindemann: ``e**x`` is irrational for rational ``x != 0``), which is
checked exactly, so the raising terminates.

:func:`sympy_threshold` and :func:`sympy_length` evaluate the sympy expressions of
:mod:`bebcheck.symbolic.bounds` with ``sympy.lambdify(..., modules="mpmath")``; the tests
check that they agree with the hand-coded forms here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Any

import flint
import mpmath
import sympy as sp
from mpmath import mp, mpf

from bebcheck.symbolic.bounds import BOUNDS, LengthBound, bound, symbols
from bebcheck.symbolic.errors import EngineError, InconclusiveError, InputError

from . import evaluate as _evaluate_mod
from .numeric import DEFAULTS, RULES

__all__ = [
    "DPS",
    "NEAR",
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

DPS = 50  # digits beyond the integer part
NEAR = 1e-9  # closer than this to an integer: Arb decides the floor
_ARB_PRECS = (256, 1024, 4096, 16384, 65536)  # bits beyond the size of the value


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


def to_fractions(result: str, point: Mapping[str, Any]) -> dict[str, Fraction]:
    """The parameters of ``result`` at ``point`` as exact rationals, validated (InputError)."""
    b = bound(result)
    out: dict[str, Fraction] = {}
    for name, v in point.items():
        if name not in RULES:
            raise InputError(f"unknown parameter {name!r}")
        if v is None:
            continue
        f = _fraction(name, v)
        if not RULES[name].contains(f):
            raise InputError(f"{name} {RULES[name].text}; got {v!r}")
        if name in b.params:
            out[name] = f
    for name in b.params:
        if name not in out:
            if name not in DEFAULTS:
                raise InputError(f"{b.result} needs {name}")
            out[name] = Fraction(DEFAULTS[name])
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
    expr: sp.Expr | None = None  # the same quantity as a sympy expression

    @property
    def is_neg_inf(self) -> bool:
        return self.r is None

    def digits(self) -> int:
        """Decimal digits of the largest part (>= 0)."""
        if self.r is None:
            return 0
        with mp.workdps(20):
            m = abs(_mp(self.a)) + abs(_mp(self.b)) * sum(abs(mpmath.log(_mp(p)))
                                                          for p in self.pieces)
            return max(0, int(mpmath.ceil(mpmath.log10(m + 1))))

    def value(self) -> mpf:
        """The value at the current mpmath precision."""
        if self.r is None:
            return mpf("-inf")
        if self.b == 0 or self.r == 1:
            return _mp(self.a)
        return _mp(self.a) + _mp(self.b) * mpmath.log(_mp(self.r))

    def scale(self) -> mpf:
        """|a| + |b| sum |log piece|: the size a float evaluation's error is relative to."""
        if self.r is None:
            return mpf(0)
        return abs(_mp(self.a)) + abs(_mp(self.b)) * sum(abs(mpmath.log(_mp(p)))
                                                         for p in self.pieces)

    def neg(self) -> _Form:
        return _Form(-self.a, -self.b, self.r, self.pieces,
                     None if self.expr is None else -self.expr)


@contextmanager
def _arb_prec(prec: int) -> Iterator[None]:
    """Run evaluate() and Arb arithmetic at ``prec`` bits."""
    old_ev, old_ctx = _evaluate_mod.PREC, flint.ctx.prec
    _evaluate_mod.PREC = prec
    flint.ctx.prec = prec
    try:
        yield
    finally:
        _evaluate_mod.PREC = old_ev
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
    """Floors of forms; counts how often Arb had to decide."""

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

    def _arb_floor(self, f: _Form, dig: int) -> int:
        assert f.r is not None
        for extra in _ARB_PRECS:
            prec = extra + int(dig * 3.33) + 16
            with _arb_prec(prec):
                k_sym = None
                if f.expr is not None:
                    try:
                        k_sym = _ball_floor(_evaluate_mod.evaluate(f.expr, self.env))
                    except ValueError:
                        k_sym = None
                ball = flint.arb(_fq(f.a)) + flint.arb(_fq(f.b)) * flint.arb(_fq(f.r)).log()
                k_can = _ball_floor(ball)
            if k_sym is not None and k_can is not None and k_sym != k_can:
                raise EngineError(f"Arb floors disagree: sympy form {k_sym}, combined {k_can}")
            if k_sym is not None or k_can is not None:
                return k_sym if k_sym is not None else k_can  # type: ignore[return-value]
        raise InconclusiveError(f"Arb could not decide floor({f.a} + {f.b} log {f.r})")


# ---------------------------------------------------------------------------------------------
# the bounds


@dataclass(frozen=True)
class OracleValue:
    """The oracle's answer at one point."""

    result: str
    paper: bool
    threshold: mpf  # -inf where the guarantee needs no prompt at all
    length: int
    scale: mpf  # size the threshold's float rounding error is relative to (>= |threshold|)
    arb_decided: bool  # an Arb ball had to decide a floor


def _env(F: Mapping[str, Fraction]) -> dict[sp.Symbol, Fraction]:
    S = symbols()
    return {S[k]: v for k, v in F.items()}


def _tight(F: Mapping[str, Fraction], paper: bool) -> tuple[Fraction | None, tuple[Fraction, ...]]:
    """(1-alpha) X/(alpha eps) with X = 1+gamma'-eps (None if <= 0) or gamma' (paper)."""
    al, ep, gp = F["alpha"], F["eps"], -F["gamma"]
    x = gp if paper else 1 + gp - ep
    if x <= 0:
        return None, ()
    return (1 - al) * x / (al * ep), (1 - al, al, x, ep)


def _inner_floor_arg(expr: sp.Expr) -> sp.Expr:
    """Theorem 3: the argument of the floor that has a log in it (the number of turns)."""
    args = [f.args[0] for f in expr.atoms(sp.floor) if f.args[0].has(sp.log)]
    if len(args) != 1:  # pragma: no cover - bounds.py changed shape
        raise EngineError("theorem3: expected one floor with a log")
    return args[0]


@cache
def _t4_paper_a() -> sp.Expr:
    t = BOUNDS["theorem4"].paper_threshold
    assert t is not None
    parts = [a for a in t.args if not a.has(symbols()["phi"])]
    if len(parts) != 1:  # pragma: no cover
        raise EngineError("theorem4: cannot find the paper's eps' term")
    return parts[0]


def _expr(b: LengthBound, paper: bool) -> sp.Expr:
    t = b.paper_threshold if paper else b.threshold
    assert t is not None
    return t


def _solve(result: str, F: Mapping[str, Fraction], paper: bool
           ) -> tuple[Callable[[], mpf], int, Callable[[], mpf], bool]:
    """(threshold at the current precision, exact length, scale, Arb used) of a bound."""
    b = BOUNDS[result]
    dec = _Decider(_env(F))
    al, be, ep = F.get("alpha"), F["beta"], F.get("eps")
    if result in ("theorem1", "theorem2"):
        r, pieces = _tight(F, paper)
        a = F["s0"] * F["c"] / be if result == "theorem2" else Fraction(0)
        f = _Form(a, 1 / be, r, pieces, _expr(b, paper))
        k = dec.floor(f)
        n = 0 if k is None else max(0, k + 1)
        return f.value, n, f.scale, dec.arb_used
    if result == "theorem3":
        c = F["c"] * F.get("reply", 1)  # a reply of up to A sentences costs A c (A = 1 printed)
        q = math.floor(c / be) + 2  # the smallest |q| > A c/beta + 1
        if paper:
            c = F["c"]
            assert al is not None and ep is not None
            q = math.floor(c / be + 1) + 1
            r2: Fraction | None = (1 - al) / (al * ep)
            pieces2: tuple[Fraction, ...] = (1 - al, al, ep)
            den = be
        else:
            r2, pieces2 = _tight(F, False)
            den = be * q - c
        f = _Form(Fraction(0), 1 / den, r2, pieces2, _inner_floor_arg(_expr(b, paper)))
        k = dec.floor(f)
        turns = 0 if k is None else max(0, k + 1)
        n = q * turns

        def t3() -> mpf:  # exact at the caller's precision
            return mpf(n) - mpf(1) / 2

        def s3() -> mpf:
            return abs(t3())

        return t3, n, s3, dec.arb_used
    if result == "proposition1":
        assert al is not None
        c, s0, gp = F["c"], F["s0"], -F["gamma"]
        if paper:
            f = _Form(be / c * s0, Fraction(1), al / (1 - al), (al, 1 - al), _expr(b, paper))
        else:
            f = _Form(be * s0 / c, 1 / c, al * gp / ((1 - al) * (2 + gp)), (al, gp, 1 - al, 2 + gp),
                      _expr(b, paper))
        k = dec.floor(f.neg())  # ceil(T) = -floor(-T)
        assert k is not None
        n = max(0, -k - 1)
        return f.value, n, f.scale, dec.arb_used
    if result == "theorem4":
        assert al is not None and ep is not None
        c, phi, gp = F["c"], F["phi"], -F["gamma"]
        if paper:
            fa = _Form(Fraction(0), 2 / be, gp / (2 * al * ep), (gp, Fraction(2), al, ep),
                       _t4_paper_a())
        else:
            fa = _Form(Fraction(0), 2 / be, 2 * (1 + gp) / (al * ep), (Fraction(2), 1 + gp, al, ep),
                       b.terms["(2/beta) log(1/eps')"])
        fb = _Form(Fraction(0), 32 * (c / be) ** 2, phi, (phi,), b.terms["32 (c/beta)^2 log|Phi|"])
        ka, kb = dec.floor(fa), dec.floor(fb)
        assert ka is not None and kb is not None
        n = max(0, max(ka, kb) + 1)

        def t4() -> mpf:
            return max(fa.value(), fb.value())

        def s4() -> mpf:
            return fa.scale() + fb.scale()

        return t4, n, s4, dec.arb_used
    raise InputError(f"no oracle for {result!r}")  # pragma: no cover


def evaluate_point(result: str, point: Mapping[str, Any], paper: bool = False) -> OracleValue:
    """Threshold (>= DPS digits), exact length and condition scale of ``result`` at ``point``."""
    b = bound(result)
    F = to_fractions(b.result, point)
    tfun, n, sfun, used = _solve(b.result, F, paper)
    with mp.workdps(20):
        probe = tfun()
        size = 0 if not mpmath.isfinite(probe) or probe == 0 else \
            max(0, int(mpmath.log10(abs(probe))) + 1)
    with mp.workdps(DPS + size + 10):
        t = tfun()
        s = sfun()
    return OracleValue(b.result, paper, t, n, s, used)


def threshold(result: str, point: Mapping[str, Any], paper: bool = False) -> mpf:
    """The threshold T at ``point`` to at least DPS significant digits (-inf: no prompt needed)."""
    return evaluate_point(result, point, paper).threshold


def length(result: str, point: Mapping[str, Any], paper: bool = False) -> int:
    """The exact prompt length of ``result`` at ``point``."""
    return evaluate_point(result, point, paper).length


# ---------------------------------------------------------------------------------------------
# terms, and the sympy expressions themselves


@cache
def _lambdified(result: str, what: str) -> Callable[..., Any]:
    b = BOUNDS[result]
    S = symbols()
    args = [S[p] for p in b.params]
    if what == "terms":
        return sp.lambdify(args, list(b.terms.values()), modules="mpmath")
    paper = what.endswith("paper")
    if what.startswith("length"):
        return sp.lambdify(args, b.length_expr(paper), modules="mpmath")
    return sp.lambdify(args, _expr(b, paper), modules="mpmath")


def _mp_args(result: str, point: Mapping[str, Any]) -> list[mpf]:
    F = to_fractions(result, point)
    return [_mp(F[p]) for p in BOUNDS[result].params]


def sympy_threshold(result: str, point: Mapping[str, Any], paper: bool = False,
                    dps: int = DPS) -> Any:
    """The sympy threshold expression through lambdify(modules="mpmath") at ``dps`` digits.

    Complex (log of a negative number) where Theorem 1-3's repaired form needs no prompt.
    """
    b = bound(result)
    f = _lambdified(b.result, "threshold_paper" if paper else "threshold")
    with mp.workdps(dps):
        return f(*_mp_args(b.result, point))


def sympy_length(result: str, point: Mapping[str, Any], paper: bool = False,
                 dps: int = DPS) -> int:
    """``length_expr(paper)`` through lambdify(modules="mpmath"): exact only away from ties."""
    b = bound(result)
    f = _lambdified(b.result, "length_paper" if paper else "length")
    with mp.workdps(dps):
        return int(f(*_mp_args(b.result, point)))


def sympy_terms(result: str, point: Mapping[str, Any], dps: int = DPS) -> dict[str, Any]:
    """The repaired bound's ``terms`` expressions through lambdify(modules="mpmath")."""
    b = bound(result)
    f = _lambdified(b.result, "terms")
    with mp.workdps(dps):
        vals = f(*_mp_args(b.result, point))
    return dict(zip(b.terms, vals, strict=True))


def _term_forms(result: str, F: Mapping[str, Fraction]) -> list[_Form | Fraction]:
    be = F["beta"]
    if result in ("theorem1", "theorem2"):
        al, ep, gp = F["alpha"], F["eps"], -F["gamma"]
        u = 1 + gp - ep
        out: list[_Form | Fraction] = [
            _Form(Fraction(0), 1 / be, (1 - al) / al, (1 - al, al)),
            _Form(Fraction(0), 1 / be, u / ep if u > 0 else None, (u, ep) if u > 0 else ())]
        if result == "theorem2":
            out.insert(0, F["s0"] * F["c"] / be)
        return out
    if result == "theorem3":
        c = F["c"] * F.get("reply", 1)
        q = math.floor(c / be) + 2
        r, pieces = _tight(F, False)
        k = _Decider(_env(F)).floor(_Form(Fraction(0), 1 / (be * q - c), r, pieces))
        return [Fraction(q), Fraction(0 if k is None else max(0, k + 1))]
    if result == "proposition1":
        al, c, gp = F["alpha"], F["c"], -F["gamma"]
        return [be * F["s0"] / c, _Form(Fraction(0), 1 / c, al / (1 - al), (al, 1 - al)),
                _Form(Fraction(0), 1 / c, gp / (2 + gp), (gp, 2 + gp))]
    al, ep, gp = F["alpha"], F["eps"], -F["gamma"]
    return [_Form(Fraction(0), 2 / be, 2 * (1 + gp) / (al * ep), (Fraction(2), 1 + gp, al, ep)),
            _Form(Fraction(0), 32 * (F["c"] / be) ** 2, F["phi"], (F["phi"],))]


def terms(result: str, point: Mapping[str, Any]) -> dict[str, mpf]:
    """The repaired bound's named terms at ``point``, each to >= DPS digits (-inf for
    log((1+gamma'-eps)/eps) where eps >= 1 + gamma'; Theorem 3's turns are then 0)."""
    b = bound(result)
    F = to_fractions(b.result, point)
    out = {}
    for name, f in zip(b.terms, _term_forms(b.result, F), strict=True):
        if isinstance(f, Fraction):
            dig = max(0, len(str(abs(math.floor(f)))))
            with mp.workdps(DPS + dig + 10):
                out[name] = _mp(f)
        else:
            with mp.workdps(DPS + f.digits() + 10):
                out[name] = f.value()
    return out


def dominant_term(result: str, point: Mapping[str, Any]) -> str:
    """The name of the largest of the repaired bound's terms at ``point``."""
    t = terms(result, point)
    return max(t, key=lambda k: t[k])
