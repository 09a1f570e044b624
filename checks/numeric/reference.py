"""Vectorised NumPy reference of every bound's threshold and prompt length, computed in log space.

Every threshold of :data:`bebcheck.proofs.beb_v1.bounds.BOUNDS` is evaluated elementwise over
broadcast arrays, repaired or as printed (``paper=True``), in blocks that stay in cache.
Theorems 1 and 2 (the hot path) take one ``log`` of the ratio ``(1-alpha) X/(alpha eps)`` where
it can neither underflow nor overflow, and a log per factor (``log1p(-alpha) - log(alpha) + ...``)
where it could (alpha, eps down to 1e-300); the other bounds always take a log per factor.
``1 + gamma' - eps`` is formed with one rounding (Fast2Sum), so it keeps its relative accuracy
when ``eps`` is close to ``1 + gamma'``; where ``eps >= 1 + gamma'`` the repaired Theorems 1-3
need no prompt (threshold -inf, length 0).

Each threshold ``T`` comes with an error bound ``tol >= max(FLOAT_REL S, FLOAT_NEAR)``, where
``S`` is the condition scale of the formula (the sum of the magnitudes of its parts); the
budgets are in :mod:`.precision`.  The length is decided in float only if ``floor`` (or
``ceil``) gives the same integer at ``T - tol`` and ``T + tol`` and that integer is below 2**53.
Every other entry -- within 1e-9 (or ``tol``) of an integer, beyond 2**53, overflowing, or
outside the range where the float formulas are exact enough -- is *flagged* and, unless
``resolve=False``, decided exactly: Theorems 1 and 2 first try again in long double (64-bit
mantissa, where the platform has it: this settles most 1e13 < T < 2**62), then :mod:`.oracle`
decides (mpmath at >= 50 digits plus the digits of ``T``, Arb where ``T`` is within 1e-9 of an
integer).  Lengths come back as ``int64`` when they all fit, else as an object array of Python
ints: never rounded.

Theorem 3's ``q`` and Theorem 4's ``eps'`` are declared once (``sentences_per_turn``,
``eps_prime``); the kernels compute them in float with exactness checks, and the tests pin them
to the declarations.  Inputs are the binary64 values given (``0.1`` is
0.1000000000000000055...); a formula with a floor of ``c/beta`` (Theorem 3) is evaluated
exactly at those values.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bebcheck.proofs.beb_v1.best import BEST
from bebcheck.proofs.beb_v1.best import best as best_bound
from bebcheck.proofs.beb_v1.bounds import bound
from bebcheck.proofs.beb_v1.results import ResultId
from bebcheck.symbolic.bounds import LengthBound, Term
from bebcheck.symbolic.errors import InputError

from . import oracle
from .precision import (
    BLOCK,
    DEFAULTS,
    DOMAINS,
    FLOAT_NEAR,
    FLOAT_REL,
    FLOAT_TINY,
    LD_OK,
    LD_REL,
    MAX_EXACT_FLOAT,
    MAX_LD_LENGTH,
    PARAMS,
)

__all__ = [
    "DEFAULT_RANGES",
    "BoundValues",
    "StreamSummary",
    "compute",
    "dominant_term",
    "length",
    "stream",
    "term_keys",
    "terms",
    "threshold",
    "validate",
]

DEFAULT_RANGES: dict[str, tuple[float, float, str]] = {
    "alpha": (1e-12, 0.5, "log"),
    "beta": (1e-3, 10.0, "log"),
    "gamma": (-1.0, -1e-3, "lin"),
    "eps": (1e-6, 0.9, "log"),
    "c": (1e-2, 10.0, "log"),
    "s0": (0.0, 1000.0, "lin"),
    "phi": (1.0, 1e6, "log"),
    "reply": (1.0, 1.0, "lin"),
    "turn": (0.0, 0.0, "lin"),
}
"""Sampling ranges of :func:`stream` (low, high, spacing) for parameters not given."""

_LN2 = math.log(2.0)
_SPLIT = 134217729.0  # 2**27 + 1, Veltkamp splitting

Arrays = dict[str, NDArray[np.float64]]


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
    if (src.dtype.kind in "iu" and src.size and int(np.abs(src).max()) > 2**53
            and not np.array_equal(arr.astype(src.dtype), src)):
        raise InputError(f"{name} has integers not exactly representable in binary64")
    return arr


def _check_names(names: Iterable[str]) -> None:
    unknown = set(names) - set(PARAMS)
    if unknown:
        raise InputError(f"unknown parameter(s): {', '.join(sorted(unknown))}")


def _default(b: LengthBound, name: str) -> float:
    """The declared default of an optional parameter the bound needs (InputError if none)."""
    if name not in DEFAULTS:
        raise InputError(f"{b.result} needs {name}")
    return float(DEFAULTS[name])


def _is_best(b: LengthBound) -> bool:
    """Whether ``b`` is a best length (:data:`bebcheck.proofs.beb_v1.best.BEST`)."""
    return BEST.get(ResultId(b.result)) is b


def _prepare(result: str, params: Mapping[str, Any], best_: bool = False
             ) -> tuple[LengthBound, Arrays, tuple[int, ...]]:
    """The bound (``best_``: the best length), its parameters as float arrays (scalars and
    small arrays validated) and the broadcast shape.  Unused parameters that are given are
    validated and dropped."""
    b = best_bound(result) if best_ else bound(result)
    _check_names(params)
    arrays: Arrays = {}
    for name in PARAMS:
        v = params.get(name)
        if v is None:
            if name not in b.params:
                continue
            v = _default(b, name)
        arr = _as_float(name, v)
        if name not in b.params or arr.size <= BLOCK:
            DOMAINS[name].check(arr)  # large arrays are checked block by block
        if name in b.params:
            arrays[name] = arr
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError as e:
        raise InputError(f"parameter arrays do not broadcast: {e}") from None
    return b, arrays, shape


def _check_all(arrays: Mapping[str, NDArray[np.float64]]) -> None:
    for k, v in arrays.items():
        DOMAINS[k].check(v)


def validate(result: str, **params: ArrayLike | None) -> dict[str, NDArray[np.float64]]:
    """The parameters of ``result`` as broadcast float arrays; InputError names a bad one."""
    _, arrays, shape = _prepare(result, params)
    _check_all(arrays)
    return {k: np.broadcast_to(v, shape) for k, v in arrays.items()}


def _flat_blocks(arrays: Mapping[str, NDArray[np.float64]], shape: tuple[int, ...]
                 ) -> tuple[Arrays, dict[str, np.float64]]:
    """Arrays of the full size flattened (views where possible); size-1 arrays as scalars."""
    big: Arrays = {}
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
    bad = np.atleast_1d((den < FLOAT_TINY) | (top < FLOAT_TINY))
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
        flag |= ~(hi < MAX_EXACT_FLOAT)
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
    np.less(fhi, MAX_EXACT_FLOAT, out=tmp)
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
    np.less(w3, FLOAT_TINY, out=b0)  # (NaN cannot occur: inputs are validated)
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
    w4 *= FLOAT_REL
    w4 += FLOAT_NEAR  # tol
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
        tol = np.maximum(S / den * FLOAT_REL, FLOAT_NEAR)
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
    tol = np.maximum(scale * FLOAT_REL, FLOAT_NEAR)
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
    tola = np.maximum(Sa * FLOAT_REL, FLOAT_NEAR)
    tolb = np.maximum(Sb * FLOAT_REL, FLOAT_NEAR)
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


def _per_turn(p: dict[str, Any]) -> tuple[Any, Any, Any]:
    """Theorem 3's best length: the per-turn cap L (``turn``, or the paper's floor(A c/beta)
    + 2 for 0), the gain beta L - A c with its sign exact, and where both are exact."""
    b, c, A, turn = p["beta"], p["c"], p.get("reply", 1.0), p.get("turn", 0.0)
    with np.errstate(all="ignore"):
        cA = c * A
        exact = _two_prod_err(c, A, cA) == 0  # else the exact path decides
        q, _, ok = _q_exact(b, cA)
        L = np.where(turn == 0, q + 1.0, turn)
        g = _bq_minus_c(b, L, cA)
    if np.any((turn != 0) & ~(g > 0) & exact):  # (inexact A c: the oracle decides)
        raise InputError("turn: a turn of L sentences must gain more than its reply costs "
                         "(beta L > A c); got a point with beta L <= A c")
    return L, g, ok & exact & (L < 2.0**50)


def _split3(p: dict[str, Any]) -> tuple[Any, Any, Any, Any, Any]:
    """Theorem 3's best split: L, the turns n and the sentences Q (decided where ``ok``)."""
    b, c, A = p["beta"], p["c"], p.get("reply", 1.0)
    L, g, ok = _per_turn(p)
    need, S = _log_p1(p["alpha"], p["gamma"], p["eps"], False)  # -inf: no turn needed
    with np.errstate(all="ignore"):
        X = need / g
        tol = np.maximum(S / g * FLOAT_REL, FLOAT_NEAR)
        n_lo, n_hi = np.floor(X - tol), np.floor(X + tol)
        n = np.maximum(n_lo + 1.0, 0.0)
        ok = ok & ((n_lo == n_hi) | (n_hi < 0))
        Y = (need + n * (c * A)) / b
        tolY = np.maximum((S + n * (c * A)) / b * FLOAT_REL, FLOAT_NEAR)
        q_lo, q_hi = np.floor(Y - tolY), np.floor(Y + tolY)
        total = np.maximum(q_lo + 1.0, 0.0)
        ok = ok & ((q_lo == q_hi) | (q_hi < 0))
    return L, n, total, Y, ok


def _k_theorem3_best(p: dict[str, Any], paper: bool, T: NDArray[np.float64],
                     length: NDArray[np.int64], flag: NDArray[np.bool_]) -> None:
    _, _, total, _, ok = _split3(p)
    lo = np.broadcast_to(total, T.shape).copy()
    with np.errstate(all="ignore"):
        np.subtract(total, 0.5, out=T)
    bad = ~np.broadcast_to(ok, T.shape)
    lo[bad] = np.nan
    T[bad] = np.nan
    _decide(lo, lo.copy(), length, flag)


def _t4_best_parts(p: dict[str, Any]) -> tuple[Any, ...]:
    """Theorem 4's best length: ell = log(1/eps') + |s0| c with its scale, K = log(|Phi| - 1),
    the threshold (beta ell + c^2 K + c sqrt(K(c^2 K + 2 beta ell)))/beta^2, and no-prompt."""
    b, c, phi = p["beta"], p["c"], p["phi"]
    L, S = _log_p1(p["alpha"], p["gamma"], p["eps"], False)
    sc = p.get("s0", 0.0) * c
    ell, S_ell = L + sc, S + np.abs(sc)
    with np.errstate(all="ignore"):
        K = np.log(phi - 1.0)
        X = np.maximum(c * c * K + 2.0 * b * ell, 0.0)
        T = (b * ell + c * c * K + c * np.sqrt(K * X)) / (b * b)
        none = (phi < 2) | ~np.isfinite(L) | (ell < 0)
        near = np.abs(ell) <= np.maximum(S_ell * FLOAT_REL, FLOAT_NEAR)  # the sign of ell
    return ell, S_ell, K, np.where(none, -np.inf, T), none, near


def _k_theorem4_best(p: dict[str, Any], paper: bool, T: NDArray[np.float64],
                     length: NDArray[np.int64], flag: NDArray[np.bool_]) -> None:
    b, c = p["beta"], p["c"]
    _, S_ell, K, Tb, none, near = _t4_best_parts(p)
    with np.errstate(all="ignore"):
        np.copyto(T, Tb)
        fin = np.where(none, 0.0, T)
        Kf = np.where(np.isfinite(K), np.abs(K), 0.0)
        tol = np.maximum(FLOAT_REL * (4.0 * S_ell / b + 16.0 * np.abs(fin)
                                      + 16.0 * c * c * Kf / (b * b)), FLOAT_NEAR)
        lo = np.where(none, 0.0, np.maximum(np.floor(fin - tol) + 1.0, 0.0))
        hi = np.where(none, 0.0, np.maximum(np.floor(fin + tol) + 1.0, 0.0))
        und = np.broadcast_to(near & ~(p["phi"] < 2) & np.isfinite(K), T.shape)
        lo = np.broadcast_to(lo, T.shape).copy()
        lo[und] = np.nan
    _decide(lo, np.broadcast_to(hi, T.shape), length, flag)


_BEST_KERNELS: dict[ResultId, Kernel] = {
    ResultId.THEOREM1: lambda p, paper, T, n, f: _k_theorem1(p, False, T, n, f),
    ResultId.THEOREM2: lambda p, paper, T, n, f: _k_theorem2(p, False, T, n, f),
    ResultId.THEOREM3: _k_theorem3_best,
    ResultId.PROPOSITION1: lambda p, paper, T, n, f: _k_proposition1(p, False, T, n, f),
    ResultId.THEOREM4: _k_theorem4_best,
}
"""The best lengths' kernels (Theorems 1, 2 and Proposition 1: the repaired ones)."""


_KERNELS: dict[ResultId, Kernel] = {
    ResultId.THEOREM1: _k_theorem1,
    ResultId.THEOREM2: _k_theorem2,
    ResultId.THEOREM3: _k_theorem3,
    ResultId.PROPOSITION1: _k_proposition1,
    ResultId.THEOREM4: _k_theorem4,
}


# ---------------------------------------------------------------------------------------------
# a second tier for Theorems 1 and 2: the flagged points again in extended precision


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
        tol = np.maximum(S / beta * ld(LD_REL), ld(FLOAT_NEAR))
        lo = np.floor(T - tol)
        hi = np.floor(T + tol)
        ok = ((lo == hi) | (hi < 0)) & (hi < ld(MAX_LD_LENGTH))
        n = np.where(ok & (hi >= 0), lo + 1, ld(0))
        # entries not ok are recomputed exactly by the caller; their casts may overflow
        return T.astype(np.float64), np.where(ok, n, ld(0)).astype(np.int64), ok




Refine = Callable[[Mapping[str, NDArray[np.float64]], bool],
                  tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.bool_]]]

_REFINE: dict[ResultId, Refine] = {
    ResultId.THEOREM1: partial(_refine_t12, with_s0=False),
    ResultId.THEOREM2: partial(_refine_t12, with_s0=True),
}
"""The bounds with a long-double tier between the float path and the oracle."""


# ---------------------------------------------------------------------------------------------
# the driver


def _run(b: LengthBound, paper: bool, big: Mapping[str, NDArray[np.float64]],
         small: Mapping[str, np.float64], n: int
         ) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.bool_]]:
    """Thresholds, float-decided lengths and the flagged mask for n flattened points."""
    if paper and b.paper_threshold is None:  # pragma: no cover - every bound has one
        raise InputError(f"{b.result}: the paper prints no explicit length")
    kern = (_BEST_KERNELS if _is_best(b) else _KERNELS)[ResultId(b.result)]
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
                DOMAINS[k].check(x)
                blk[k] = x
            kern(blk, paper, T[start:stop], length[start:stop], flag[start:stop])
    return T, length, flag


def _point(arrays: Mapping[str, NDArray[np.float64]], shape: tuple[int, ...], i: int
           ) -> dict[str, float]:
    idx = np.unravel_index(i, shape) if shape else ()
    return {k: float(np.broadcast_to(v, shape)[idx]) for k, v in arrays.items()}


def _resolve(b: LengthBound, arrays: Mapping[str, NDArray[np.float64]], shape: tuple[int, ...],
             paper: bool, T: NDArray[np.float64], length: NDArray[np.int64],
             idx: NDArray[np.intp]) -> NDArray[Any]:
    """Decide the flagged entries ``idx``: the long-double tier, then the oracle.

    Updates ``T`` and ``length`` in place; returns ``length``, or an object array of Python
    ints where a length exceeds int64."""
    todo = idx
    refine = _REFINE.get(ResultId(b.result)) if LD_OK else None
    if refine is not None:
        sub = {k: np.broadcast_to(v, shape).reshape(-1)[idx] for k, v in arrays.items()}
        t_ld, n_ld, ok_ld = refine(sub, paper)
        T[idx[ok_ld]] = t_ld[ok_ld]
        length[idx[ok_ld]] = n_ld[ok_ld]
        todo = idx[~ok_ld]
    exact: list[int] = []
    for i in todo.tolist():
        v = oracle.evaluate_point(b.result, _point(arrays, shape, i), paper=paper,
                                  best=_is_best(b))
        exact.append(v.length)
        T[i] = float(v.threshold)
    if exact and max(exact) > np.iinfo(np.int64).max:
        out: NDArray[Any] = length.astype(object)
        for i, k in zip(todo.tolist(), exact, strict=True):
            out[i] = k
        return out
    if exact:
        length[todo] = exact
    return length


@dataclass(frozen=True)
class BoundValues:
    """Thresholds and exact lengths of one bound over broadcast parameter arrays.

    ``length`` is ``int64`` when every length fits, else an object array of Python ints.
    ``flagged`` marks entries the float path could not decide (near an integer, beyond 2**53,
    outside its exact range); with ``resolved`` they were decided by the exact path, without it
    their length is -1.  ``dominant`` indexes ``terms`` (the largest of the repaired bound's
    terms), when asked for.  ``best``: the values are the best length's.
    """

    result: ResultId
    paper: bool
    threshold: NDArray[np.float64]
    length: NDArray[Any]
    flagged: NDArray[np.bool_]
    resolved: bool
    terms: tuple[Term, ...]
    dominant: NDArray[np.intp] | None = None
    best: bool = False


def compute(result: str, *, alpha: ArrayLike | None = None, beta: ArrayLike | None = None,
            gamma: ArrayLike | None = None, eps: ArrayLike | None = None,
            c: ArrayLike | None = None, s0: ArrayLike | None = None,
            phi: ArrayLike | None = None, reply: ArrayLike | None = None,
            turn: ArrayLike | None = None, paper: bool = False, best: bool = False,
            resolve: bool = True, dominance: bool = False) -> BoundValues:
    """Threshold and length of ``result`` at every broadcast point (see the module docstring);
    ``best``: the best length the repaired proof allows (:mod:`bebcheck.proofs.beb_v1.best`)."""
    if paper and best:
        raise InputError("paper and best exclude each other: the paper prints one length")
    params = {"alpha": alpha, "beta": beta, "gamma": gamma, "eps": eps, "c": c, "s0": s0,
              "phi": phi, "reply": reply, "turn": turn}
    b, arrays, shape = _prepare(result, params, best)
    n = math.prod(shape)
    big, small = _flat_blocks(arrays, shape)
    T, length, flag = _run(b, paper, big, small, n)
    out_len: NDArray[Any] = length
    if n and flag.any():
        idx = np.flatnonzero(flag)
        if resolve:
            out_len = _resolve(b, arrays, shape, paper, T, length, idx)
        else:
            length[idx] = -1
    dom = _dominant(b, arrays, shape) if dominance else None
    return BoundValues(ResultId(b.result), paper, T.reshape(shape), out_len.reshape(shape),
                       flag.reshape(shape), resolve, b.terms, dom, best)


def threshold(result: str, *, paper: bool = False, best: bool = False,
              **params: ArrayLike | None) -> NDArray[np.float64]:
    """The float threshold T (-inf where no prompt is needed; overflow gives inf)."""
    return compute(result, paper=paper, best=best, **params).threshold  # type: ignore[arg-type]


def length(result: str, *, paper: bool = False, best: bool = False,
           **params: ArrayLike | None) -> NDArray[Any]:
    """The exact integer length (int64, or Python ints where it exceeds int64)."""
    return compute(result, paper=paper, best=best, **params).length  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# terms and which one dominates: the float forms, by term key

TermValues = tuple[dict[str, Any], Any]  # values by term key, where reliable (None: everywhere)


def _terms_t12(p: Mapping[str, Any], with_s0: bool) -> TermValues:
    loga, E = _log_terms(p["alpha"], p["gamma"], p["eps"])
    ib = 1.0 / p["beta"]
    out = {"log_prior": loga * ib, "log_slack": E * ib}
    if with_s0:
        out["prompt"] = p["s0"] * p["c"] * ib
    return out, None


def _terms_t3(p: Mapping[str, Any]) -> TermValues:
    q, _, _, tmid, ok = _turns3(dict(p), False)
    return {"q": q, "turns": tmid}, ok


def _terms_p1(p: Mapping[str, Any]) -> TermValues:
    a, gp, c = p["alpha"], -p["gamma"], p["c"]
    return {"prompt": p["beta"] * p["s0"] / c,
            "log_prior": (np.log(a) - np.log1p(-a)) / c,
            "log_slack": (np.log(gp) - np.log(2.0 + gp)) / c}, None


def _terms_t4(p: Mapping[str, Any]) -> TermValues:
    Ta, _, Tb, _ = _t4_parts(dict(p), False)
    return {"eps_prime": Ta, "personas": Tb}, None


_TERMS: dict[ResultId, Callable[[Mapping[str, Any]], TermValues]] = {
    ResultId.THEOREM1: partial(_terms_t12, with_s0=False),
    ResultId.THEOREM2: partial(_terms_t12, with_s0=True),
    ResultId.THEOREM3: _terms_t3,
    ResultId.PROPOSITION1: _terms_p1,
    ResultId.THEOREM4: _terms_t4,
}


def _terms_t3_best(p: Mapping[str, Any]) -> TermValues:
    L, n, _, _, ok = _split3(dict(p))
    return {"turn": L, "turns": n}, ok


def _terms_t4_best(p: Mapping[str, Any]) -> TermValues:
    ell, _, K, _, _, _ = _t4_best_parts(dict(p))
    b, c = p["beta"], p["c"]
    with np.errstate(all="ignore"):
        Kp = np.where(np.isfinite(K), np.maximum(K, 0.0), 0.0)  # |Phi| = 1: no alternative
        X = np.maximum(c * c * Kp + 2.0 * b * ell, 0.0)
        share = (c * c * Kp + c * np.sqrt(Kp * X)) / (b * b)
    return {"eps_prime": ell / b, "personas": share}, None


_BEST_TERMS: dict[ResultId, Callable[[Mapping[str, Any]], TermValues]] = {
    **_TERMS, ResultId.THEOREM3: _terms_t3_best, ResultId.THEOREM4: _terms_t4_best}


def _fit(v: Any, shape: tuple[int, ...], dtype: Any = np.float64) -> NDArray[Any]:
    x = np.asarray(v, dtype=dtype)
    if x.shape != shape and x.size == 1:
        x = x.reshape(())
    return np.broadcast_to(x, shape)


def _term_table(b: LengthBound, arrays: Mapping[str, NDArray[np.float64]],
                shape: tuple[int, ...]) -> NDArray[np.float64]:
    """Terms stacked (k, *shape) in ``b.terms`` order; entries outside the float formulas'
    range from the oracle."""
    p = {k: np.broadcast_to(v, shape) for k, v in arrays.items()}
    table_of = _BEST_TERMS if _is_best(b) else _TERMS
    with np.errstate(all="ignore"):
        vals, ok = table_of[ResultId(b.result)](p)
    table = np.stack([_fit(vals[t.key], shape) for t in b.terms])
    if ok is not None:
        bad = ~_fit(ok, shape, np.bool_)
        for i in np.flatnonzero(bad).tolist():
            exact = oracle.terms(b.result, _point(arrays, shape, i), best=_is_best(b))
            idx = np.unravel_index(i, shape) if shape else ()
            for j, t in enumerate(b.terms):
                table[(j, *idx)] = float(exact[t.key])
    return table


def term_keys(result: str, best: bool = False) -> tuple[str, ...]:
    """Keys of the repaired (or best) bound's terms, in the order of :func:`terms` and of
    ``dominant``."""
    return tuple(t.key for t in (best_bound(result) if best else bound(result)).terms)


def terms(result: str, best: bool = False, **params: ArrayLike | None
          ) -> dict[str, NDArray[np.float64]]:
    """The repaired (or best) bound's terms (``BOUNDS[result].terms``) as float arrays, by
    term key."""
    b, arrays, shape = _prepare(result, params, best)
    _check_all(arrays)
    table = _term_table(b, arrays, shape)
    return {t.key: table[j] for j, t in enumerate(b.terms)}


def _dominant(b: LengthBound, arrays: Mapping[str, NDArray[np.float64]],
              shape: tuple[int, ...]) -> NDArray[np.intp]:
    return np.asarray(np.argmax(_term_table(b, arrays, shape), axis=0))


def dominant_term(result: str, best: bool = False, **params: ArrayLike | None
                  ) -> NDArray[np.intp]:
    """Index (into :func:`term_keys`) of the largest term of the repaired (or best) bound."""
    b, arrays, shape = _prepare(result, params, best)
    _check_all(arrays)
    return _dominant(b, arrays, shape)


# ---------------------------------------------------------------------------------------------
# streaming


@dataclass
class StreamSummary:
    """Summary statistics of a bound over a stream of points.

    Lengths of flagged points are not decided in the stream (``flagged`` counts them); the
    extreme lengths are exact (oracle) at the points of the smallest and largest threshold.
    ``dominant`` counts, by term key, the points where each term of the repaired bound is the
    largest.  ``paper_shorter`` counts the points where the paper's threshold is below the
    repaired one (its length is then at most the repaired length).
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
    paper_shorter: int | None = None
    chunks: int = 0
    seconds: float = 0.0


Chunks = Iterator[tuple[int, dict[str, Any]]]
Ranges = Mapping[str, tuple[float, float, str]]


def _check_range(name: str, lo: float, hi: float, spacing: str) -> None:
    dom = DOMAINS[name]
    for v in (lo, hi):
        if not dom.contains(float(v)) and not (dom.integer and math.isfinite(v)
                                               and dom.contains(float(round(v)))):
            raise InputError(f"{name} range end {v!r}: {dom.requirement}")
    if lo > hi:
        raise InputError(f"{name} range is empty: {lo} > {hi}")
    if spacing not in ("log", "lin"):
        raise InputError(f"{name} range spacing must be 'log' or 'lin'; got {spacing!r}")
    if spacing == "log" and (lo == 0 or hi == 0 or (lo < 0) != (hi < 0)):
        raise InputError(f"{name} log range needs ends of one sign, nonzero; got {lo}:{hi}")


def _sample(rng: np.random.Generator, name: str, lo: float, hi: float, spacing: str,
            m: int) -> Any:
    """m draws of one parameter from (lo, hi), log or linear spacing; integers rounded."""
    if lo == hi:
        return np.float64(lo)
    u = rng.random(m)
    if spacing == "log":
        sgn = -1.0 if lo < 0 else 1.0
        llo, lhi = math.log(abs(lo)), math.log(abs(hi))
        x = np.exp(llo + (lhi - llo) * u) * sgn
    else:
        x = lo + (hi - lo) * u
    np.clip(x, lo, hi, out=x)
    if DOMAINS[name].integer:
        np.rint(x, out=x)
    return x


def _random_chunks(names: tuple[str, ...], ranges: Ranges, n: int, chunk: int,
                   seed: int | None) -> Chunks:
    rng = np.random.default_rng(seed)
    done = 0
    while done < n:
        m = min(chunk, n - done)
        yield m, {k: _sample(rng, k, *ranges[k], m) for k in names}
        done += m


def _grid_chunks(grid: Mapping[str, NDArray[np.float64]], chunk: int) -> Chunks:
    """Cartesian product of 1-D grids: outer indices in Python, a suffix block vectorised."""
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


def _known(name: str) -> None:
    if name not in PARAMS:
        raise InputError(f"unknown parameter {name!r}")


def _grid_source(b: LengthBound, grid: Mapping[str, ArrayLike], fixed: dict[str, float],
                 n: int | None, chunk: int) -> Chunks:
    """Grid mode: the chunks of the grid's points; ``fixed`` gains the defaults of the
    bound's parameters that neither the grid nor ``fixed`` gives."""
    g: Arrays = {}
    for k, v in grid.items():
        _known(k)
        arr = _as_float(k, v).reshape(-1)
        DOMAINS[k].check(arr)
        if k in b.params:
            g[k] = arr
    total = math.prod(len(v) for v in g.values()) if g else 1
    if n is not None and n != total:
        raise InputError(f"n = {n} but the grid has {total} points")
    for k in b.params:
        if k not in g and k not in fixed:
            fixed[k] = _default(b, k)
    return _grid_chunks(g, chunk) if g else iter([(1, {})])


def _random_source(b: LengthBound, n: int | None, ranges: Ranges | None,
                   fixed: Mapping[str, float], chunk: int, seed: int | None) -> Chunks:
    """Random mode: each parameter of the bound not in ``fixed`` drawn from its range."""
    if n is None or n < 0:
        raise InputError("n must be a non-negative number of points")
    rng_map = dict(DEFAULT_RANGES)
    for k, r in (ranges or {}).items():
        _known(k)
        rng_map[k] = (float(r[0]), float(r[1]), str(r[2]))
    names = tuple(k for k in b.params if k not in fixed)
    for k in names:
        _check_range(k, *rng_map[k])
    return _random_chunks(names, rng_map, n, chunk, seed)


@dataclass
class _Totals:
    """What a stream accumulates besides the summary's own fields."""

    tsum: float = 0.0
    tcount: int = 0
    lsum: float = 0.0
    lcount: int = 0
    shorter: int = 0
    dom: NDArray[np.int64] | None = None


def _pick(vals: Mapping[str, Any], i: int) -> dict[str, float]:
    return {k: float(v[i] if np.ndim(v) > 0 else v) for k, v in vals.items()}


def _count_thresholds(s: StreamSummary, tot: _Totals, T: NDArray[np.float64],
                      vals: Mapping[str, Any]) -> None:
    """Counts, the running sum and the extremes of a chunk's thresholds."""
    fin = np.isfinite(T)
    nfin = int(np.count_nonzero(fin))
    s.no_prompt_needed += int(np.count_nonzero(np.isneginf(T)))
    s.overflow += int(np.count_nonzero(np.isposinf(T)))
    if nfin == T.size:
        tot.tsum += float(T.sum())
    elif nfin:
        tot.tsum += float(T[fin].sum())
    tot.tcount += nfin
    with np.errstate(invalid="ignore"):
        all_nan = bool(np.isnan(T).all())
        imin = 0 if all_nan else int(np.nanargmin(T))
        imax = 0 if all_nan else int(np.nanargmax(T))
    if T[imin] < s.threshold_min or not s.argmin:
        s.threshold_min = float(T[imin])
        s.argmin = _pick(vals, imin)
    if T[imax] > s.threshold_max or not s.argmax:
        s.threshold_max = float(T[imax])
        s.argmax = _pick(vals, imax)


def _add_chunk(s: StreamSummary, tot: _Totals, b: LengthBound, m: int, vals: dict[str, Any],
               compare_paper: bool) -> None:
    """Evaluate one chunk of ``m`` points and fold it into the summary."""
    big = {k: v for k, v in vals.items() if np.ndim(v) > 0}
    small = {k: np.float64(v) for k, v in vals.items() if np.ndim(v) == 0}
    for k, v in small.items():
        DOMAINS[k].check(np.atleast_1d(v))
    T, length_, flag = _run(b, s.paper, big, small, m)
    s.n += m
    s.chunks += 1
    s.flagged += int(np.count_nonzero(flag))
    _count_thresholds(s, tot, T, vals)
    tot.lcount += int(np.count_nonzero(~flag))
    tot.lsum += float(length_.sum(dtype=np.float64))  # flagged entries hold 0
    if tot.dom is not None:
        arrays = {k: np.atleast_1d(v) for k, v in vals.items()}
        shp = np.broadcast_shapes(*(a.shape for a in arrays.values()), (m,))
        tot.dom += np.bincount(_dominant(b, arrays, shp).reshape(-1), minlength=len(b.terms))
    if compare_paper:
        Tp, _, _ = _run(b, not s.paper, big, small, m)
        with np.errstate(invalid="ignore"):
            tot.shorter += int(np.count_nonzero(np.less(T, Tp) if s.paper else np.less(Tp, T)))


def _finish(s: StreamSummary, tot: _Totals, b: LengthBound, compare_paper: bool,
            fixed_used: Mapping[str, np.float64], exact_extremes: bool) -> None:
    """Means, dominance counts by term key, and the exact extreme lengths (oracle)."""
    s.threshold_mean = tot.tsum / tot.tcount if tot.tcount else math.nan
    s.length_mean = tot.lsum / tot.lcount if tot.lcount else math.nan
    if tot.dom is not None:
        s.dominant = {t.key: int(v) for t, v in zip(b.terms, tot.dom, strict=True)}
    if compare_paper:
        s.paper_shorter = tot.shorter
    if exact_extremes and s.n:
        base = {k: float(v) for k, v in fixed_used.items()}
        s.length_min = oracle.length(b.result, {**base, **s.argmin}, paper=s.paper)
        s.length_max = oracle.length(b.result, {**base, **s.argmax}, paper=s.paper)


def stream(result: str, n: int | None = None, *, ranges: Ranges | None = None,
           grid: Mapping[str, ArrayLike] | None = None, fixed: Mapping[str, float] | None = None,
           paper: bool = False, chunk: int = 1 << 18, seed: int | None = 0,
           dominance: bool = False, compare_paper: bool = False,
           exact_extremes: bool = True) -> StreamSummary:
    """Evaluate ``result`` over ``n`` random points (or a grid) in chunks; O(chunk) memory.

    Random mode: each parameter of the bound not in ``fixed`` is drawn from ``ranges[name]``
    = (low, high, "log" | "lin") or :data:`DEFAULT_RANGES`; integer parameters are rounded.
    Grid mode (``grid`` given, ``n`` must be None or the grid's size): the Cartesian product of
    1-D arrays, other parameters from ``fixed`` or their declared defaults.
    """
    b = bound(result)
    if chunk < 1:
        raise InputError(f"chunk must be positive; got {chunk}")
    fixed_ = dict(fixed or {})
    for k, v in fixed_.items():
        _known(k)
        DOMAINS[k].check(np.atleast_1d(_as_float(k, v)))
    if grid is not None:
        chunks = _grid_source(b, grid, fixed_, n, chunk)
    else:
        chunks = _random_source(b, n, ranges, fixed_, chunk, seed)
    fixed_used = {k: np.float64(v) for k, v in fixed_.items() if k in b.params}
    s = StreamSummary(b.result, paper)
    tot = _Totals(dom=np.zeros(len(b.terms), dtype=np.int64) if dominance else None)
    t0 = time.perf_counter()
    for m, vals in chunks:
        _add_chunk(s, tot, b, m, {**fixed_used, **vals}, compare_paper)
    _finish(s, tot, b, compare_paper, fixed_used, exact_extremes)
    s.seconds = time.perf_counter() - t0
    return s
