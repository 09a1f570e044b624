"""Vectorized NumPy reference of every bound's threshold and prompt length, computed in log space.

Every threshold of :mod:`bebcheck.symbolic.bounds` is evaluated elementwise over broadcast
arrays, repaired or as printed (``paper=True``), in blocks that stay in cache.  Theorems 1 and
2 (the hot path) take one ``log`` of the ratio ``(1-alpha) X/(alpha eps)`` where it can
neither underflow nor overflow, and a log per factor (``log1p(-alpha) - log(alpha) + ...``)
where it could (alpha, eps down to 1e-300); the other bounds always take a log per factor.
``1 + gamma' - eps`` is formed with one rounding (Fast2Sum), so it keeps its relative accuracy
when ``eps`` is close to ``1 + gamma'``; where ``eps >= 1 + gamma'`` the repaired Theorems 1-3
need no prompt (threshold -inf, length 0).

Each threshold ``T`` comes with an error bound ``tol >= max(2**-44 S, 1e-9)``, where ``S`` is
the condition scale of the formula (the sum of the magnitudes of its parts; 2**-44 is 256 ulp of
it).  The length is decided in float only if ``floor`` (or ``ceil``) gives the same integer at
``T - tol`` and ``T + tol`` and that integer is below 2**53.  Every other entry -- within 1e-9
(or ``tol``) of an integer, beyond 2**53, overflowing, or outside the range where the float
formulas are exact enough -- is *flagged* and, unless ``resolve=False``, decided exactly:
Theorems 1 and 2 first try again in long double (64-bit mantissa, where the platform has it:
this settles most 1e13 < T < 2**62), then :mod:`bebcheck.checks.oracle` decides (mpmath at
>= 50 digits plus the digits of ``T``, Arb where ``T`` is within 1e-9 of an integer).  Lengths
come back as ``int64`` when they all fit, else as an object array of Python ints: never rounded.

Inputs are the binary64 values given (``0.1`` is 0.1000000000000000055...); a formula with a
floor of ``c/beta`` (Theorem 3) is evaluated exactly at those values.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bebcheck.symbolic.bounds import LengthBound, bound
from bebcheck.symbolic.errors import InputError

__all__ = [
    "BLOCK",
    "DEFAULTS",
    "DEFAULT_RANGES",
    "PARAMS",
    "RULES",
    "BoundValues",
    "Rule",
    "StreamSummary",
    "compute",
    "dominant_term",
    "length",
    "stream",
    "term_names",
    "terms",
    "threshold",
    "validate",
]

PARAMS: tuple[str, ...] = ("alpha", "beta", "gamma", "eps", "c", "s0", "phi", "reply")
DEFAULTS: dict[str, float] = {"c": 1.0, "s0": 0.0, "phi": 2.0, "reply": 1.0}
"""Values of the optional parameters when a bound needs them and none is given."""

DEFAULT_RANGES: dict[str, tuple[float, float, str]] = {
    "alpha": (1e-12, 0.5, "log"),
    "beta": (1e-3, 10.0, "log"),
    "gamma": (-1.0, -1e-3, "lin"),
    "eps": (1e-6, 0.9, "log"),
    "c": (1e-2, 10.0, "log"),
    "s0": (0.0, 1000.0, "lin"),
    "phi": (1.0, 1e6, "log"),
    "reply": (1.0, 1.0, "lin"),
}
"""Sampling ranges of :func:`stream` (low, high, spacing) for parameters not given."""

BLOCK = 65536  # elements per kernel block (512 KiB per float array)
_TWO53 = 2.0**53
_REL = 2.0**-44  # error budget per unit of condition scale (256 ulp)
_NEAR = 1e-9  # never decide a floor in float closer than this to an integer
_TINY = 2.0**-1000  # products below this may have lost bits to underflow
_LN2 = math.log(2.0)
_SPLIT = 134217729.0  # 2**27 + 1, Veltkamp splitting


@dataclass(frozen=True)
class Rule:
    """The domain of one parameter: an interval, maybe integers only."""

    text: str
    lo: float
    lo_closed: bool
    hi: float = math.inf
    hi_closed: bool = False
    integer: bool = False

    def contains(self, x: float | Any) -> bool:
        """Whether the scalar ``x`` (float, int or Fraction) is in the domain."""
        if isinstance(x, float) and not math.isfinite(x):
            return False
        ok_lo = x >= self.lo if self.lo_closed else x > self.lo
        ok_hi = x <= self.hi if self.hi_closed else x < self.hi
        return bool(ok_lo and ok_hi and (not self.integer or math.floor(x) == x))

    def check(self, name: str, x: NDArray[np.float64]) -> None:
        """Raise InputError naming ``name`` unless every entry of ``x`` is in the domain."""
        if x.size == 0:
            return
        mn, mx = float(x.min()), float(x.max())  # NaN propagates through min/max
        ok = (math.isfinite(mn) and math.isfinite(mx)
              and (mn >= self.lo if self.lo_closed else mn > self.lo)
              and (mx <= self.hi if self.hi_closed else mx < self.hi))
        if ok and self.integer:
            ok = bool(np.all(np.floor(x) == x))
        if not ok:
            raise InputError(self.message(name, x))

    def message(self, name: str, x: NDArray[np.float64]) -> str:
        flat = x.reshape(-1)
        bad = ~np.isfinite(flat)
        if bad.any():
            v = float(flat[np.flatnonzero(bad)[0]])
            return f"{name} must be a finite number; got {v}"
        for v in flat.tolist():
            if not self.contains(v):
                return f"{name} {self.text}; got {v!r}"
        return f"{name} {self.text}"  # pragma: no cover


RULES: dict[str, Rule] = {
    "alpha": Rule("must be in (0, 1)", 0.0, False, 1.0, False),
    "beta": Rule("must be > 0", 0.0, False),
    "gamma": Rule("must be in [-1, 0)", -1.0, True, 0.0, False),
    "eps": Rule("must be > 0", 0.0, False),
    "c": Rule("must be > 0", 0.0, False),
    "s0": Rule("must be a non-negative integer (|s0| in sentences)", 0.0, True, integer=True),
    "phi": Rule("must be an integer >= 1 (|Phi|, the number of personas)", 1.0, True,
                integer=True),
    "reply": Rule("must be an integer >= 1 (sentences per model reply, at most)", 1.0, True,
                  integer=True),
}


# ---------------------------------------------------------------------------------------------
# input handling


def _as_float(name: str, v: Any) -> NDArray[np.float64]:
    if np.iscomplexobj(v):
        raise InputError(f"{name} must be real; got {v!r}")
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2**53 and float(v) != v:
        raise InputError(f"{name} = {v} is not exactly representable in binary64")
    try:
        arr = np.asarray(v, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"{name} must be a real number (or an array of them); got {v!r}") from None
    src = np.asarray(v) if not isinstance(v, np.ndarray) else v
    if src.dtype.kind in "iu" and src.size and int(np.abs(src).max()) > 2**53:
        if not np.array_equal(arr.astype(src.dtype), src):
            raise InputError(f"{name} has integers not exactly representable in binary64")
    return arr


def _prepare(result: str, params: Mapping[str, Any]) -> tuple[LengthBound, dict[str, NDArray[np.float64]],
                                                              tuple[int, ...]]:
    """The bound, its parameters as float arrays (scalars and small arrays validated) and the
    broadcast shape.  Unused parameters that are given are validated and dropped."""
    b = bound(result)
    unknown = set(params) - set(PARAMS)
    if unknown:
        raise InputError(f"unknown parameter(s): {', '.join(sorted(unknown))}")
    arrays: dict[str, NDArray[np.float64]] = {}
    for name in PARAMS:
        v = params.get(name)
        if v is None:
            if name not in b.params:
                continue
            if name not in DEFAULTS:
                raise InputError(f"{b.result} needs {name}")
            v = DEFAULTS[name]
        arr = _as_float(name, v)
        if name not in b.params or arr.size <= BLOCK:
            RULES[name].check(name, arr)  # large arrays are checked block by block
        if name in b.params:
            arrays[name] = arr
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError as e:
        raise InputError(f"parameter arrays do not broadcast: {e}") from None
    return b, arrays, shape


def validate(result: str, **params: ArrayLike | None) -> dict[str, NDArray[np.float64]]:
    """The parameters of ``result`` as broadcast float arrays; InputError names a bad one."""
    _, arrays, shape = _prepare(result, params)
    out = {}
    for k, v in arrays.items():
        RULES[k].check(k, v)
        out[k] = np.broadcast_to(v, shape)
    return out


def _flat_blocks(arrays: Mapping[str, NDArray[np.float64]], shape: tuple[int, ...]
                 ) -> tuple[dict[str, NDArray[np.float64]], dict[str, np.float64]]:
    """Arrays of the full size flattened (views where possible); size-1 arrays as scalars."""
    big: dict[str, NDArray[np.float64]] = {}
    small: dict[str, np.float64] = {}
    for k, v in arrays.items():
        if v.size == 1:
            small[k] = np.float64(v.reshape(-1)[0])
        elif v.shape == shape:
            big[k] = v.reshape(-1)
        else:
            big[k] = np.broadcast_to(v, shape).reshape(-1)
    return big, small


# ---------------------------------------------------------------------------------------------
# exact-sign helpers (error-free transformations)


def _u(g: Any, e: Any) -> Any:
    """1 + gamma' - eps with a single rounding (gamma' = -g): Fast2Sum of 1 + gamma'."""
    s = 1.0 - g
    z = s - 1.0  # exact: |1| >= |gamma'|
    return (s - e) - (g + z)  # (s - e) exact when eps is near 1 + gamma' (Sterbenz)


def _two_prod_err(x: Any, y: Any, p: Any) -> Any:
    """The exact rounding error x*y - p of p = fl(x*y) (Dekker), for moderate magnitudes."""
    t = _SPLIT * x
    xh = t - (t - x)
    xl = x - xh
    t = _SPLIT * y
    yh = t - (t - y)
    yl = y - yh
    return ((xh * yh - p) + xh * yl + xl * yh) + xl * yl


def _bq_minus_c(b: Any, q: Any, c: Any) -> Any:
    """beta*q - c with its sign exact and one rounding (when beta*q is within 2x of c)."""
    p = b * q
    return (p - c) + _two_prod_err(b, q, p)


def _q_exact(b: Any, c: Any) -> tuple[Any, Any, Any]:
    """q = floor(c/beta) + 1 exactly, d = beta*q - c in (0, beta], and where that is valid."""
    f = np.floor(c / b)
    ok = (b >= 1e-280) & (c >= 1e-280) & (b <= 1e280) & (c <= 1e280) & (f < 2.0**50)
    f = np.where(ok, f, 0.0)
    f = np.where(_bq_minus_c(b, f + 1.0, c) <= 0, f + 1.0, f)  # beta*(f+1) must exceed c
    f = np.where(_bq_minus_c(b, f, c) > 0, f - 1.0, f)  # beta*f must not exceed c
    q = f + 1.0
    d = _bq_minus_c(b, q, c)
    ok = ok & (d > 0) & (f >= 0)
    return q, d, ok


def _bc(x: Any, shape: tuple[int, ...], idx: NDArray[np.intp]) -> Any:
    return np.broadcast_to(x, shape)[idx]


# ---------------------------------------------------------------------------------------------
# log ratios


def _log_p1_split(a: Any, g: Any, e: Any, paper: bool) -> tuple[Any, Any]:
    """_log_p1 with a log per factor (no under/overflow), for the entries the ratio cannot do."""
    l1a, la, le = np.log1p(-a), np.log(a), np.log(e)
    with np.errstate(all="ignore"):
        if paper:
            lx = np.log(-g)
        else:
            x = _u(g, e)
            lx = np.where(x > 0, np.log(x), -np.inf)
    fin = np.isfinite(lx)
    L = l1a - la + lx - le
    S = np.where(fin, np.abs(l1a) + np.abs(la) + np.abs(lx) + np.abs(le), 0.0) + 1.0
    return L, S


def _log_p1(a: Any, g: Any, e: Any, paper: bool) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """L = log((1-alpha) X/(alpha eps)) with X = 1+gamma'-eps (repaired) or gamma' (paper),
    -inf where X <= 0, and its condition scale S (|error| <= 2**-44 S)."""
    top = (1.0 - a) * ((-g) if paper else _u(g, e))
    den = a * e
    with np.errstate(all="ignore"):
        L = np.atleast_1d(np.log(top / den))
    S = np.abs(L)
    S += 1.0
    bad = np.atleast_1d((den < _TINY) | (top < _TINY))
    if bad.any():  # underflow or X <= 0: a log per factor
        idx = np.flatnonzero(bad)
        sh = L.shape
        L[idx], S[idx] = _log_p1_split(_bc(a, sh, idx), _bc(g, sh, idx), _bc(e, sh, idx), paper)
    return L, S


def _log_terms(a: Any, g: Any, e: Any) -> tuple[Any, Any]:
    """log((1-alpha)/alpha) and log((1+gamma'-eps)/eps) (-inf where eps >= 1+gamma'), per factor."""
    loga = np.log1p(-a) - np.log(a)
    x = _u(g, e)
    with np.errstate(all="ignore"):
        E = np.where(x > 0, np.log(x) - np.log(e), -np.inf)
    return loga, E


# ---------------------------------------------------------------------------------------------
# kernels: write T, the float-decided length and the flag (undecided in float) of a block

Kernel = Callable[[dict[str, Any], bool, NDArray[np.float64], NDArray[np.int64],
                   NDArray[np.bool_]], None]


def _decide(lo: NDArray[np.float64], hi: NDArray[np.float64], length: NDArray[np.int64],
            flag: NDArray[np.bool_]) -> None:
    """From the candidate lengths at T - tol and T + tol: decided where equal and < 2**53."""
    with np.errstate(invalid="ignore"):
        np.not_equal(lo, hi, out=flag)  # NaN != NaN: flagged
        flag |= ~(hi < _TWO53)
    np.copyto(lo, 0.0, where=flag)
    length[...] = lo


def _decide_floor(T: NDArray[np.float64], tol: NDArray[np.float64], length: NDArray[np.int64],
                  flag: NDArray[np.bool_], ws: list[NDArray[np.float64]],
                  wb: list[NDArray[np.bool_]]) -> None:
    """length = max(0, floor(T) + 1), decided where floor(T -/+ tol) agree or are both < 0."""
    flo, fhi = ws
    neg, tmp = wb
    np.subtract(T, tol, out=flo)
    np.floor(flo, out=flo)
    np.add(T, tol, out=fhi)
    np.floor(fhi, out=fhi)
    np.equal(flo, fhi, out=flag)  # decided ...
    np.less(fhi, 0.0, out=neg)
    flag |= neg  # ... or length 0 either way
    np.less(fhi, _TWO53, out=tmp)
    flag &= tmp  # (NaN compares False: undecided)
    np.logical_not(flag, out=flag)
    neg |= flag
    flo += 1.0
    np.copyto(flo, 0.0, where=neg)
    length[...] = flo


def _k_theorem12(p: dict[str, Any], paper: bool, T: NDArray[np.float64],
                 length: NDArray[np.int64], flag: NDArray[np.bool_], with_s0: bool) -> None:
    """Theorems 1 and 2 with preallocated buffers (the hot path: no temporaries)."""
    a, g, e, beta = p["alpha"], p["gamma"], p["eps"], p["beta"]
    m = T.shape[0]
    w0, w1, w2, w3, w4 = (w[:m] for w in p["_ws"])
    b0, b1 = (w[:m] for w in p["_wb"])
    if paper:  # top = (1 - alpha) gamma'
        np.subtract(1.0, a, out=w1)
        np.multiply(w1, g, out=w1)
        np.negative(w1, out=w1)
    else:  # top = (1 - alpha)(1 + gamma' - eps), the latter with one rounding (see _u)
        np.subtract(1.0, g, out=w0)  # s
        np.subtract(w0, 1.0, out=w1)  # z
        np.add(g, w1, out=w1)
        np.subtract(w0, e, out=w0)
        np.subtract(w0, w1, out=w0)  # u
        np.subtract(1.0, a, out=w1)
        np.multiply(w1, w0, out=w1)
    np.multiply(a, e, out=w2)  # den
    np.minimum(w1, w2, out=w3)
    np.less(w3, _TINY, out=b0)  # (NaN cannot occur: inputs are validated)
    np.divide(w1, w2, out=w3)
    np.log(w3, out=w3)  # L
    np.abs(w3, out=w4)
    w4 += 1.0  # S
    if b0.any():  # underflow, or eps >= 1 + gamma': a log per factor
        idx = np.flatnonzero(b0)
        sh = (m,)
        w3[idx], w4[idx] = _log_p1_split(_bc(a, sh, idx), _bc(g, sh, idx), _bc(e, sh, idx), paper)
    if with_s0:
        np.multiply(p["s0"], p["c"], out=w1)
        w3 += w1
        np.abs(w1, out=w1)
        w4 += w1
    np.divide(1.0, beta, out=w2)  # 1/beta
    np.multiply(w3, w2, out=T)
    np.multiply(w4, w2, out=w4)
    w4 *= _REL
    w4 += _NEAR  # tol
    _decide_floor(T, w4, length, flag, [w0, w1], [b0, b1])


def _k_theorem1(p: dict[str, Any], paper: bool, T: NDArray[np.float64],
                length: NDArray[np.int64], flag: NDArray[np.bool_]) -> None:
    _k_theorem12(p, paper, T, length, flag, with_s0=False)


def _k_theorem2(p: dict[str, Any], paper: bool, T: NDArray[np.float64],
                length: NDArray[np.int64], flag: NDArray[np.bool_]) -> None:
    _k_theorem12(p, paper, T, length, flag, with_s0=True)


def _turns3(p: dict[str, Any], paper: bool) -> tuple[Any, Any, Any, Any, Any]:
    """Theorem 3: q (sentences per turn), the turn count at T -/+ tol, its float value, validity."""
    a, b, g, e, c = p["alpha"], p["beta"], p["gamma"], p["eps"], p["c"]
    with np.errstate(all="ignore"):
        if not paper:  # a reply of up to A sentences costs A c (the printed form has A = 1)
            A = p.get("reply", 1.0)
            c = c * A
            exact = _two_prod_err(p["c"], A, c) == 0  # else the exact path decides
        q, _, ok = _q_exact(b, c)
        if not paper:
            ok = ok & exact
        q = q + 1.0  # |q| = floor(A c/beta) + 2, the smallest |q| > A c/beta + 1
        if paper:  # turns of log(1/eps) + log((1-alpha)/alpha) over beta
            l1a, la, le = np.log1p(-a), np.log(a), np.log(e)
            L = l1a - la - le
            S = np.abs(l1a) + np.abs(la) + np.abs(le) + 1.0
            den = b
        else:  # turns of log((1-alpha)(1+gamma'-eps)/(alpha eps)) over beta q - c (> beta)
            L, S = _log_p1(a, g, e, False)
            den = _bq_minus_c(b, q, c)
        X = L / den
        tol = np.maximum(S / den * _REL, _NEAR)
        tlo = np.maximum(np.floor(X - tol) + 1.0, 0.0)
        thi = np.maximum(np.floor(X + tol) + 1.0, 0.0)
        tmid = np.maximum(np.floor(X) + 1.0, 0.0)
    return q, tlo, thi, tmid, ok


def _k_theorem3(p: dict[str, Any], paper: bool, T: NDArray[np.float64],
                length: NDArray[np.int64], flag: NDArray[np.bool_]) -> None:
    q, tlo, thi, tmid, ok = _turns3(p, paper)
    lo = np.empty(T.shape)
    with np.errstate(all="ignore"):
        np.multiply(q, tlo, out=lo)
        hi = np.broadcast_to(q * thi, T.shape)
        np.subtract(q * tmid, 0.5, out=T)
    bad = ~np.broadcast_to(ok, lo.shape)
    lo[bad] = np.nan
    T[bad] = np.nan
    _decide(lo, hi, length, flag)


def _k_proposition1(p: dict[str, Any], paper: bool, T: NDArray[np.float64],
                    length: NDArray[np.int64], flag: NDArray[np.bool_]) -> None:
    a, b, c, s0 = p["alpha"], p["beta"], p["c"], p["s0"]
    la, l1a = np.log(a), np.log1p(-a)
    if paper:  # (beta/c)|s0| + log(alpha/(1-alpha))
        A = b / c * s0
        np.add(A, la - l1a, out=T)
        scale = np.abs(A) + np.abs(la) + np.abs(l1a) + 1.0
    else:
        gp = -p["gamma"]
        lg, l2 = np.log(gp), np.log(2.0 + gp)
        bs = b * s0
        np.divide(bs + la + lg - l1a - l2, c, out=T)
        scale = (np.abs(bs) + np.abs(la) + np.abs(lg) + np.abs(l1a) + np.abs(l2) + 1.0) / c
    tol = np.maximum(scale * _REL, _NEAR)
    # the largest |s1| < T: ceil(T) - 1, at least 0
    lo, hi = np.empty(T.shape), np.empty(T.shape)
    np.ceil(T - tol, out=lo)
    lo -= 1.0
    np.maximum(lo, 0.0, out=lo)
    np.ceil(T + tol, out=hi)
    hi -= 1.0
    np.maximum(hi, 0.0, out=hi)
    _decide(lo, hi, length, flag)


def _t4_parts(p: dict[str, Any], paper: bool) -> tuple[Any, Any, Any, Any]:
    """Theorem 4's two terms (2/beta) log(1/eps') and 32 (c/beta)^2 log|Phi|, with scales."""
    a, b, g, e, c, phi = p["alpha"], p["beta"], p["gamma"], p["eps"], p["c"], p["phi"]
    la, le = np.log(a), np.log(e)
    if paper:  # eps' = 2 alpha eps / gamma'
        lg = np.log(-g)
        La = lg - _LN2 - la - le
        Sa = np.abs(lg) + _LN2 + np.abs(la) + np.abs(le)
    else:  # eps' = alpha eps / (2 (1 + gamma'))
        l1g = np.log1p(-g)
        La = _LN2 + l1g - la - le
        Sa = _LN2 + np.abs(l1g) + np.abs(la) + np.abs(le)
    ib = 1.0 / b
    Ta = (2.0 * ib) * La
    Sa = (2.0 * ib) * (Sa + 1.0)
    with np.errstate(all="ignore"):
        r = c * ib
        lphi = np.log(phi)
        Tb = np.where(lphi == 0.0, 0.0, 32.0 * (r * r) * lphi)
    return Ta, Sa, Tb, Tb


def _k_theorem4(p: dict[str, Any], paper: bool, T: NDArray[np.float64],
                length: NDArray[np.int64], flag: NDArray[np.bool_]) -> None:
    Ta, Sa, Tb, Sb = _t4_parts(p, paper)
    lo, hi = np.empty(T.shape), np.empty(T.shape)
    tola = np.maximum(Sa * _REL, _NEAR)
    tolb = np.maximum(Sb * _REL, _NEAR)
    with np.errstate(invalid="ignore"):
        np.maximum(Ta, Tb, out=T)
        # floor(max(Ta, Tb)) = max(floor Ta, floor Tb); Tb >= 0 exactly
        np.maximum(np.floor(Ta - tola), np.floor(np.maximum(Tb - tolb, 0.0)), out=lo)
        np.maximum(np.floor(Ta + tola), np.floor(Tb + tolb), out=hi)
    lo += 1.0
    np.maximum(lo, 0.0, out=lo)
    hi += 1.0
    np.maximum(hi, 0.0, out=hi)
    _decide(lo, hi, length, flag)


_KERNELS: dict[str, Kernel] = {
    "theorem1": _k_theorem1,
    "theorem2": _k_theorem2,
    "theorem3": _k_theorem3,
    "proposition1": _k_proposition1,
    "theorem4": _k_theorem4,
}


# ---------------------------------------------------------------------------------------------
# a second tier for Theorems 1 and 2: the flagged points again in extended precision

_LD_OK = np.finfo(np.longdouble).nmant >= 63  # x87 80-bit (or quad) long double
_LD_REL = 2.0**-56  # 128 ulp of a 64-bit mantissa


def _refine_t12(p: Mapping[str, NDArray[np.float64]], paper: bool, with_s0: bool
                ) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.bool_]]:
    """Theorems 1 and 2 in long double, a log per factor: (T, length, decided) for points the
    float64 path flagged (mostly 1e13 < T, where 256 ulp of T exceed 1/2).  Lengths up to
    2**62 are exact integers in a 64-bit mantissa; the rest stays for the oracle."""
    ld = np.longdouble
    a, g, e, beta = (np.asarray(p[k], dtype=ld) for k in ("alpha", "gamma", "eps", "beta"))
    with np.errstate(all="ignore"):
        l1a, la, le = np.log1p(-a), np.log(a), np.log(e)
        if paper:
            lx = np.log(-g)
        else:
            s = ld(1) - g
            z = s - ld(1)
            u = (s - e) - (g + z)  # Fast2Sum, as in _u
            lx = np.where(u > 0, np.log(u), ld("-inf"))
        fin = np.isfinite(lx)
        L = l1a - la + lx - le
        S = np.where(fin, np.abs(l1a) + np.abs(la) + np.abs(lx) + np.abs(le), ld(0)) + ld(1)
        if with_s0:
            sc = np.asarray(p["s0"], dtype=ld) * np.asarray(p["c"], dtype=ld)
            L = L + sc
            S = S + np.abs(sc)
        T = L / beta
        tol = np.maximum(S / beta * ld(_LD_REL), ld(_NEAR))
        lo = np.floor(T - tol)
        hi = np.floor(T + tol)
        ok = ((lo == hi) | (hi < 0)) & (hi < ld(2.0**62))
        n = np.where(ok & (hi >= 0), lo + 1, ld(0))
        # entries not ok are recomputed exactly by the caller; their casts may overflow
        return T.astype(np.float64), np.where(ok, n, ld(0)).astype(np.int64), ok


# ---------------------------------------------------------------------------------------------
# the driver


def _run(b: LengthBound, paper: bool, big: Mapping[str, NDArray[np.float64]],
         small: Mapping[str, np.float64], n: int
         ) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.bool_]]:
    """Thresholds, float-decided lengths and the flagged mask for n flattened points."""
    if paper and b.paper_threshold is None:  # pragma: no cover - every bound has one
        raise InputError(f"{b.result}: the paper prints no explicit length")
    kern = _KERNELS[b.result]
    T = np.empty(n)
    length = np.empty(n, dtype=np.int64)
    flag = np.empty(n, dtype=np.bool_)
    bs = min(n, BLOCK)
    blk: dict[str, Any] = dict(small)
    blk["_ws"] = [np.empty(bs) for _ in range(5)]
    blk["_wb"] = [np.empty(bs, dtype=np.bool_) for _ in range(2)]
    with np.errstate(all="ignore"):
        for start in range(0, n, BLOCK):
            stop = min(n, start + BLOCK)
            for k, v in big.items():
                x = v[start:stop]
                RULES[k].check(k, x)
                blk[k] = x
            kern(blk, paper, T[start:stop], length[start:stop], flag[start:stop])
    return T, length, flag


def _point(arrays: Mapping[str, NDArray[np.float64]], shape: tuple[int, ...], i: int
           ) -> dict[str, float]:
    idx = np.unravel_index(i, shape) if shape else ()
    return {k: float(np.broadcast_to(v, shape)[idx]) for k, v in arrays.items()}


@dataclass(frozen=True)
class BoundValues:
    """Thresholds and exact lengths of one bound over broadcast parameter arrays.

    ``length`` is ``int64`` when every length fits, else an object array of Python ints.
    ``flagged`` marks entries the float path could not decide (near an integer, beyond 2**53,
    outside its exact range); with ``resolved`` they were decided by the exact path, without it
    their length is -1.  ``dominant`` indexes ``term_names`` (the largest of the repaired
    bound's terms), when asked for.
    """

    result: str
    paper: bool
    threshold: NDArray[np.float64]
    length: NDArray[Any]
    flagged: NDArray[np.bool_]
    resolved: bool
    term_names: tuple[str, ...]
    dominant: NDArray[np.intp] | None = None


def compute(result: str, *, alpha: ArrayLike | None = None, beta: ArrayLike | None = None,
            gamma: ArrayLike | None = None, eps: ArrayLike | None = None,
            c: ArrayLike | None = None, s0: ArrayLike | None = None,
            phi: ArrayLike | None = None, reply: ArrayLike | None = None, paper: bool = False,
            resolve: bool = True, dominance: bool = False) -> BoundValues:
    """Threshold and length of ``result`` at every broadcast point (see the module docstring)."""
    params = {"alpha": alpha, "beta": beta, "gamma": gamma, "eps": eps, "c": c, "s0": s0,
              "phi": phi, "reply": reply}
    b, arrays, shape = _prepare(result, params)
    n = math.prod(shape)
    big, small = _flat_blocks(arrays, shape)
    T, length, flag = _run(b, paper, big, small, n)
    out_len: NDArray[Any] = length
    if n and flag.any():
        idx = np.flatnonzero(flag)
        if resolve:
            todo = idx
            if b.result in ("theorem1", "theorem2") and _LD_OK:
                sub = {k: np.broadcast_to(v, shape).reshape(-1)[idx] for k, v in arrays.items()}
                t_ld, n_ld, ok_ld = _refine_t12(sub, paper, b.result == "theorem2")
                T[idx[ok_ld]] = t_ld[ok_ld]
                length[idx[ok_ld]] = n_ld[ok_ld]
                todo = idx[~ok_ld]
            exact: list[int] = []
            if todo.size:
                from . import oracle

                for i in todo.tolist():
                    v = oracle.evaluate_point(b.result, _point(arrays, shape, i), paper=paper)
                    exact.append(v.length)
                    T[i] = float(v.threshold)
            if exact and max(exact) > np.iinfo(np.int64).max:
                out_len = length.astype(object)
                for i, k in zip(todo.tolist(), exact, strict=True):
                    out_len[i] = k
            elif exact:
                length[todo] = exact
        else:
            length[idx] = -1
    dom = None
    if dominance:
        dom = _dominant(b, arrays, shape)
    return BoundValues(b.result, paper, T.reshape(shape), out_len.reshape(shape),
                       flag.reshape(shape), resolve, tuple(b.terms), dom)


def threshold(result: str, *, paper: bool = False, **params: ArrayLike | None) -> NDArray[np.float64]:
    """The float threshold T (-inf where no prompt is needed; overflow gives inf)."""
    return compute(result, paper=paper, **params).threshold  # type: ignore[arg-type]


def length(result: str, *, paper: bool = False, **params: ArrayLike | None) -> NDArray[Any]:
    """The exact integer length (int64, or Python ints where it exceeds int64)."""
    return compute(result, paper=paper, **params).length  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# terms and which one dominates


def term_names(result: str) -> tuple[str, ...]:
    """Names of the repaired bound's terms, in the order of :func:`terms`."""
    return tuple(bound(result).terms)


def _terms(b: LengthBound, p: Mapping[str, Any]) -> tuple[list[Any], Any]:
    """The repaired terms in float, and where they are reliable (None: everywhere)."""
    name = b.result
    with np.errstate(all="ignore"):
        if name in ("theorem1", "theorem2"):
            loga, E = _log_terms(p["alpha"], p["gamma"], p["eps"])
            ib = 1.0 / p["beta"]
            out = [loga * ib, E * ib]
            if name == "theorem2":
                out.insert(0, p["s0"] * p["c"] * ib)
            return out, None
        if name == "theorem3":
            q, _, _, tmid, ok = _turns3(dict(p), False)
            return [q, tmid], ok
        if name == "proposition1":
            a, gp, c = p["alpha"], -p["gamma"], p["c"]
            return [p["beta"] * p["s0"] / c, (np.log(a) - np.log1p(-a)) / c,
                    (np.log(gp) - np.log(2.0 + gp)) / c], None
        Ta, _, Tb, _ = _t4_parts(dict(p), False)
        return [Ta, Tb], None


def _fit(v: Any, shape: tuple[int, ...], dtype: Any = np.float64) -> NDArray[Any]:
    x = np.asarray(v, dtype=dtype)
    if x.shape != shape and x.size == 1:
        x = x.reshape(())
    return np.broadcast_to(x, shape)


def _term_table(b: LengthBound, arrays: Mapping[str, NDArray[np.float64]],
                shape: tuple[int, ...]) -> NDArray[np.float64]:
    """Terms stacked (k, *shape); entries outside the float formulas' range from the oracle."""
    p = {k: np.broadcast_to(v, shape) for k, v in arrays.items()}
    vals, ok = _terms(b, p)
    table = np.stack([_fit(v, shape) for v in vals])
    if ok is not None:
        bad = ~_fit(ok, shape, np.bool_)
        if bad.any():
            from . import oracle

            for i in np.flatnonzero(bad).tolist():
                t = oracle.terms(b.result, _point(arrays, shape, i))
                idx = np.unravel_index(i, shape) if shape else ()
                for j, v in enumerate(t.values()):
                    table[(j, *idx)] = float(v)
    return table


def terms(result: str, **params: ArrayLike | None) -> dict[str, NDArray[np.float64]]:
    """The repaired bound's named terms (``BOUNDS[result].terms``), as float arrays."""
    b, arrays, shape = _prepare(result, params)
    for k, v in arrays.items():
        RULES[k].check(k, v)
    table = _term_table(b, arrays, shape)
    return {k: table[j] for j, k in enumerate(b.terms)}


def _dominant(b: LengthBound, arrays: Mapping[str, NDArray[np.float64]],
              shape: tuple[int, ...]) -> NDArray[np.intp]:
    return np.asarray(np.argmax(_term_table(b, arrays, shape), axis=0))


def dominant_term(result: str, **params: ArrayLike | None) -> NDArray[np.intp]:
    """Index (into :func:`term_names`) of the largest term of the repaired bound, per point."""
    b, arrays, shape = _prepare(result, params)
    for k, v in arrays.items():
        RULES[k].check(k, v)
    return _dominant(b, arrays, shape)


# ---------------------------------------------------------------------------------------------
# streaming


@dataclass
class StreamSummary:
    """Summary statistics of a bound over a stream of points.

    Lengths of flagged points are not decided in the stream (``flagged`` counts them); the
    extreme lengths are exact (oracle) at the points of the smallest and largest threshold.
    """

    result: str
    paper: bool
    n: int = 0
    flagged: int = 0
    no_prompt_needed: int = 0  # threshold -inf (eps >= 1 + gamma')
    overflow: int = 0  # threshold beyond the float range
    threshold_min: float = math.inf
    threshold_max: float = -math.inf
    threshold_mean: float = math.nan
    length_mean: float = math.nan  # over decided points
    length_min: int | None = None
    length_max: int | None = None
    argmin: dict[str, float] = field(default_factory=dict)
    argmax: dict[str, float] = field(default_factory=dict)
    dominant: dict[str, int] = field(default_factory=dict)
    paper_shorter: int | None = None  # points where the paper's threshold is below the repaired one (its length is then at most the repaired length)
    chunks: int = 0
    seconds: float = 0.0


def _check_range(name: str, lo: float, hi: float, spacing: str) -> None:
    rule = RULES[name]
    for v in (lo, hi):
        if not rule.contains(float(v)) and not (rule.integer and math.isfinite(v)
                                                 and rule.contains(float(round(v)))):
            raise InputError(f"{name} range end {v!r}: {name} {rule.text}")
    if lo > hi:
        raise InputError(f"{name} range is empty: {lo} > {hi}")
    if spacing not in ("log", "lin"):
        raise InputError(f"{name} range spacing must be 'log' or 'lin'; got {spacing!r}")
    if spacing == "log" and (lo == 0 or hi == 0 or (lo < 0) != (hi < 0)):
        raise InputError(f"{name} log range needs ends of one sign, nonzero; got {lo}:{hi}")


def _random_chunks(names: tuple[str, ...], ranges: Mapping[str, tuple[float, float, str]],
                   n: int, chunk: int, seed: int | None) -> Iterator[tuple[int, dict[str, Any]]]:
    rng = np.random.default_rng(seed)
    done = 0
    while done < n:
        m = min(chunk, n - done)
        out: dict[str, Any] = {}
        for k in names:
            lo, hi, sp_ = ranges[k]
            if lo == hi:
                out[k] = np.float64(lo)
                continue
            u = rng.random(m)
            if sp_ == "log":
                sgn = -1.0 if lo < 0 else 1.0
                llo, lhi = math.log(abs(lo)), math.log(abs(hi))
                x = np.exp(llo + (lhi - llo) * u) * sgn
            else:
                x = lo + (hi - lo) * u
            np.clip(x, lo, hi, out=x)
            if RULES[k].integer:
                np.rint(x, out=x)
            out[k] = x
        yield m, out
        done += m


def _grid_chunks(grid: Mapping[str, NDArray[np.float64]], chunk: int
                 ) -> Iterator[tuple[int, dict[str, Any]]]:
    """Cartesian product of 1-D grids: outer indices in Python, a suffix block vectorized."""
    names = list(grid)
    sizes = [len(grid[k]) for k in names]
    k = len(names)
    inner = 1
    while k > 0 and inner * sizes[k - 1] <= chunk:
        k -= 1
        inner *= sizes[k]
    if k == len(names):  # the last grid alone exceeds a chunk: slice it
        last = names[-1]
        for outer in np.ndindex(*sizes[:-1]):
            base = {nm: np.float64(grid[nm][i]) for nm, i in zip(names[:-1], outer, strict=True)}
            vals = grid[last]
            for s in range(0, len(vals), chunk):
                part = vals[s:s + chunk]
                yield len(part), {**base, last: part}
        return
    mesh = np.meshgrid(*(grid[nm] for nm in names[k:]), indexing="ij")
    inner_arrays = {nm: m.reshape(-1) for nm, m in zip(names[k:], mesh, strict=True)}
    for outer in np.ndindex(*sizes[:k]):
        base = {nm: np.float64(grid[nm][i]) for nm, i in zip(names[:k], outer, strict=True)}
        yield inner, {**base, **inner_arrays}


def stream(result: str, n: int | None = None, *, ranges: Mapping[str, tuple[float, float, str]]
           | None = None, grid: Mapping[str, ArrayLike] | None = None,
           fixed: Mapping[str, float] | None = None, paper: bool = False, chunk: int = 1 << 18,
           seed: int | None = 0, dominance: bool = False, compare_paper: bool = False,
           exact_extremes: bool = True) -> StreamSummary:
    """Evaluate ``result`` over ``n`` random points (or a grid) in chunks; O(chunk) memory.

    Random mode: each parameter of the bound not in ``fixed`` is drawn from ``ranges[name]``
    = (low, high, "log" | "lin") or :data:`DEFAULT_RANGES`; integer parameters are rounded.
    Grid mode (``grid`` given, ``n`` must be None or the grid's size): the Cartesian product of
    1-D arrays, other parameters from ``fixed`` or :data:`DEFAULTS`.
    """
    b = bound(result)
    if chunk < 1:
        raise InputError(f"chunk must be positive; got {chunk}")
    fixed = dict(fixed or {})
    for k, v in fixed.items():
        if k not in PARAMS:
            raise InputError(f"unknown parameter {k!r}")
        RULES[k].check(k, np.atleast_1d(_as_float(k, v)))
    chunks: Iterator[tuple[int, dict[str, Any]]]
    if grid is not None:
        g = {}
        for k, v in grid.items():
            if k not in PARAMS:
                raise InputError(f"unknown parameter {k!r}")
            arr = _as_float(k, v).reshape(-1)
            RULES[k].check(k, arr)
            if k in b.params:
                g[k] = arr
        total = math.prod(len(v) for v in g.values()) if g else 1
        if n is not None and n != total:
            raise InputError(f"n = {n} but the grid has {total} points")
        n = total
        missing = [k for k in b.params if k not in g and k not in fixed]
        for k in missing:
            if k not in DEFAULTS:
                raise InputError(f"{b.result} needs {k}")
            fixed[k] = DEFAULTS[k]
        chunks = _grid_chunks(g, chunk) if g else iter([(1, {})])
    else:
        if n is None or n < 0:
            raise InputError("n must be a non-negative number of points")
        rng_map = dict(DEFAULT_RANGES)
        for k, r in (ranges or {}).items():
            if k not in PARAMS:
                raise InputError(f"unknown parameter {k!r}")
            rng_map[k] = (float(r[0]), float(r[1]), str(r[2]))
        names = tuple(k for k in b.params if k not in fixed)
        for k in names:
            _check_range(k, *rng_map[k])
        chunks = _random_chunks(names, rng_map, n, chunk, seed)
    fixed_used = {k: np.float64(v) for k, v in fixed.items() if k in b.params}

    s = StreamSummary(b.result, paper)
    t0 = time.perf_counter()
    tsum = 0.0
    tcount = 0
    lsum = 0.0
    lcount = 0
    dom_counts = np.zeros(len(b.terms), dtype=np.int64)
    shorter = 0
    for m, vals in chunks:
        vals = {**fixed_used, **vals}
        big = {k: v for k, v in vals.items() if np.ndim(v) > 0}
        small = {k: np.float64(v) for k, v in vals.items() if np.ndim(v) == 0}
        for k, v in small.items():
            RULES[k].check(k, np.atleast_1d(v))
        T, length_, flag = _run(b, paper, big, small, m)
        s.n += m
        s.chunks += 1
        s.flagged += int(np.count_nonzero(flag))
        fin = np.isfinite(T)
        nfin = int(np.count_nonzero(fin))
        s.no_prompt_needed += int(np.count_nonzero(T == -np.inf))
        s.overflow += int(np.count_nonzero(T == np.inf))
        if nfin == m:
            tsum += float(T.sum())
        elif nfin:
            tsum += float(T[fin].sum())
        tcount += nfin
        ok = ~flag
        lcount += int(np.count_nonzero(ok))
        lsum += float(length_.sum(dtype=np.float64))  # flagged entries hold 0
        with np.errstate(invalid="ignore"):
            imin, imax = int(np.nanargmin(T)) if not np.isnan(T).all() else 0, \
                int(np.nanargmax(T)) if not np.isnan(T).all() else 0
        if T[imin] < s.threshold_min or not s.argmin:
            s.threshold_min = float(T[imin])
            s.argmin = _pick(vals, imin)
        if T[imax] > s.threshold_max or not s.argmax:
            s.threshold_max = float(T[imax])
            s.argmax = _pick(vals, imax)
        if dominance:
            arrays = {k: np.atleast_1d(v) for k, v in vals.items()}
            shp = np.broadcast_shapes(*(a.shape for a in arrays.values()), (m,))
            dom_counts += np.bincount(_dominant(b, arrays, shp).reshape(-1),
                                      minlength=len(b.terms))
        if compare_paper:
            Tp, _, _ = _run(b, not paper, big, small, m)
            with np.errstate(invalid="ignore"):
                shorter += int(np.count_nonzero((Tp < T) if not paper else (T < Tp)))
    s.threshold_mean = tsum / tcount if tcount else math.nan
    s.length_mean = lsum / lcount if lcount else math.nan
    if dominance:
        s.dominant = {k: int(v) for k, v in zip(b.terms, dom_counts, strict=True)}
    if compare_paper:
        s.paper_shorter = shorter
    if exact_extremes and s.n:
        from . import oracle

        pmin = {**{k: float(v) for k, v in fixed_used.items()}, **s.argmin}
        pmax = {**{k: float(v) for k, v in fixed_used.items()}, **s.argmax}
        s.length_min = oracle.length(b.result, pmin, paper=paper)
        s.length_max = oracle.length(b.result, pmax, paper=paper)
    s.seconds = time.perf_counter() - t0
    return s


def _pick(vals: Mapping[str, Any], i: int) -> dict[str, float]:
    return {k: float(v[i] if np.ndim(v) > 0 else v) for k, v in vals.items()}
