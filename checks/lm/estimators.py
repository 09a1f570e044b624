"""Estimators of the paper's quantities from log-probabilities: pure functions over NumPy arrays.

Every estimate carries its standard error ``std/sqrt(n)`` (``ddof=1``) and a percentile
bootstrap interval (resampling the independent units: sampled sentences for one context,
prompt paths for anything measured along paths).  The inputs are per-token natural
log-probabilities as the model runner returns them, so the functions are tested here against
distributions whose divergences are known exactly.

* ``beta`` -- the conditional KL between two components *given the same context*: the mean over
  sentences ``s ~ P-( . | ctx)`` of ``log P-(s|ctx) - log P+(s|ctx)``, every token of ``s``
  scored.  For a prefix-free set of sentences (see :mod:`.personas`) this is an unbiased
  estimate of ``KL(P-( . |ctx) || P+( . |ctx))``.
* ``c`` -- the largest ``|log P-(s|ctx)/P+(s|ctx)|`` seen on sampled sentences: a *lower*
  estimate of the c-similarity constant (the definition's supremum is over every sentence, and
  sampling finds the typical ones).
* ``sigma^2`` -- the variance of the prompt log ratio ``M_n`` across sampled prompts of ``n``
  sentences, and the slope of its growth in ``n`` (least squares through the origin), beside
  the smallest slope of a line through the origin above every point (Definition 4 as stated).
* ``alpha`` -- from the decay of ``KL(P-( . |s) || P( . |s))`` along prompts: a straight line fit
  ``log(1/alpha) - beta_fit |s|`` to the first lengths (the later version's Lemmas 5-6).
* the sub-martingale check of ``M_n`` and the first prompt length at which ``B_P`` falls below
  a level, with bootstrap intervals over paths.

The authors' own estimator (first token unscored, mean/sqrt(n) error bars) is here too, so that
both run on the same arrays.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "LEVEL",
    "RESAMPLES",
    "DecayFit",
    "Estimate",
    "Slope",
    "authors_estimate",
    "beta_lower",
    "bootstrap_interval",
    "empirical_c",
    "first_crossing",
    "kl_decay_fit",
    "line_fit",
    "mean_estimate",
    "path_means",
    "sentence_log_ratios",
    "submartingale_check",
    "variance_slope",
]

LEVEL = 0.95
"""Coverage of every bootstrap interval."""
RESAMPLES = 2000
"""Bootstrap resamples (percentile intervals)."""

Floats = NDArray[np.float64]
Stat = Callable[[Floats], Floats]
"""A statistic vectorised over resamples: an array (B, n, ...) of resampled units to (B,)."""


def _clean(x: float) -> float | None:
    """A float for JSON: NaN and infinities become None (JSON has no such numbers)."""
    return float(x) if math.isfinite(x) else None


@dataclass(frozen=True)
class Estimate:
    """A value, its standard error and a bootstrap interval, from ``n`` independent units.

    ``se`` is ``std/sqrt(n)`` (``ddof=1``; NaN when ``n < 2``) unless ``method`` says
    otherwise (the authors' ``mean/sqrt(n)``); ``lo``/``hi`` bound the ``LEVEL`` interval."""

    value: float
    se: float
    lo: float
    hi: float
    n: int
    method: str = "mean; se = std/sqrt(n); percentile bootstrap"

    def as_dict(self) -> dict[str, Any]:
        return {"value": _clean(self.value), "se": _clean(self.se),
                "ci95": [_clean(self.lo), _clean(self.hi)], "n": self.n, "method": self.method}


def _rng(rng: np.random.Generator | int | None) -> np.random.Generator:
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


def bootstrap_interval(units: ArrayLike, statistic: Stat, rng: np.random.Generator | int | None,
                       *, resamples: int = RESAMPLES, level: float = LEVEL) -> tuple[float, float]:
    """Percentile bootstrap interval of ``statistic``, resampling ``units`` along axis 0 (rows).

    ``statistic`` receives an array of shape ``(resamples, n, ...)`` and returns ``(resamples,)``;
    resamples where it is not finite are left out (an empty result gives NaN ends)."""
    data = np.asarray(units, dtype=np.float64)
    n = data.shape[0]
    if n == 0:
        return math.nan, math.nan
    idx = _rng(rng).integers(0, n, size=(resamples, n))
    stats = np.asarray(statistic(data[idx]), dtype=np.float64)
    stats = stats[np.isfinite(stats)]
    if stats.size == 0:
        return math.nan, math.nan
    tail = (1.0 - level) / 2.0
    lo, hi = np.quantile(stats, [tail, 1.0 - tail])
    return float(lo), float(hi)


def mean_estimate(values: ArrayLike, rng: np.random.Generator | int | None = 0, *,
                  resamples: int = RESAMPLES) -> Estimate:
    """The mean of independent ``values`` with ``std/sqrt(n)`` and a bootstrap interval."""
    x = np.asarray(values, dtype=np.float64).ravel()
    n = int(x.size)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, math.nan, 0)
    se = float(x.std(ddof=1) / math.sqrt(n)) if n > 1 else math.nan
    lo, hi = bootstrap_interval(x, lambda r: r.mean(axis=1), rng, resamples=resamples)
    return Estimate(float(x.mean()), se, lo, hi, n)


def authors_estimate(values: ArrayLike) -> Estimate:
    """The later version's estimate: the mean with an error bar of ``mean/sqrt(n)`` (not
    ``std/sqrt(n)``), shown as mean +- that bar."""
    x = np.asarray(values, dtype=np.float64).ravel()
    n = int(x.size)
    m = float(x.mean()) if n else math.nan
    bar = abs(m) / math.sqrt(n) if n else math.nan
    return Estimate(m, bar, m - bar, m + bar, n, "mean; error bar = mean/sqrt(n) (the authors')")


def sentence_log_ratios(lp_a: Sequence[ArrayLike], lp_b: Sequence[ArrayLike], *,
                        skip_first: int = 0) -> Floats:
    """Per sentence, ``sum_t log P_a(t) - log P_b(t)`` over its tokens from ``skip_first`` on
    (0: every token scored, as the definitions need; 1: the authors' loop)."""
    if len(lp_a) != len(lp_b):
        raise ValueError(f"{len(lp_a)} sentences scored under one model, {len(lp_b)} under the other")
    out = np.empty(len(lp_a), dtype=np.float64)
    for i, (a, b) in enumerate(zip(lp_a, lp_b, strict=True)):
        a_, b_ = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
        if a_.shape != b_.shape:
            raise ValueError(f"sentence {i}: {a_.size} tokens against {b_.size}")
        out[i] = float((a_[skip_first:] - b_[skip_first:]).sum())
    return out


def empirical_c(ratios: ArrayLike) -> dict[str, Any]:
    """The largest ``|log ratio|`` over the sampled sentences (a lower estimate of c), with
    the 99th percentile and the count; the definition's c is a supremum over every sentence."""
    x = np.abs(np.asarray(ratios, dtype=np.float64).ravel())
    if x.size == 0:
        return {"max_abs_log_ratio": None, "q99": None, "n": 0, "note": "no sentences"}
    return {"max_abs_log_ratio": float(x.max()), "q99": float(np.quantile(x, 0.99)),
            "n": int(x.size),
            "note": "a lower estimate: the largest |log P-(s)/P+(s)| among sampled sentences; "
                    "c bounds it for every sentence"}


def path_means(node_values: ArrayLike, rng: np.random.Generator | int | None = 0) -> list[Estimate]:
    """Per prompt length (columns), the mean over paths (rows) of per-node values, with
    ``std/sqrt(paths)`` and a bootstrap over paths."""
    v = np.asarray(node_values, dtype=np.float64)
    g = _rng(rng)
    return [mean_estimate(v[:, j][np.isfinite(v[:, j])], g) for j in range(v.shape[1])]


def beta_lower(node_kl: ArrayLike, rng: np.random.Generator | int | None = 0) -> Estimate:
    """beta as the lowest, over prompt lengths, of the mean conditional KL across paths
    (Definition 2 asks the KL to exceed beta after every prompt length); the interval
    bootstraps paths and takes the minimum in each resample."""
    v = np.asarray(node_kl, dtype=np.float64)
    means = v.mean(axis=0)
    k = int(np.argmin(means))
    se = float(v[:, k].std(ddof=1) / math.sqrt(v.shape[0])) if v.shape[0] > 1 else math.nan
    lo, hi = bootstrap_interval(v, lambda r: r.mean(axis=1).min(axis=1), rng)
    return Estimate(float(means[k]), se, lo, hi, int(v.shape[0]),
                    f"min over prompt lengths of the mean over paths (at length {k}); "
                    "se of that mean; bootstrap over paths of the minimum")


@dataclass(frozen=True)
class Slope:
    """Variance of the prompt log ratio by length, and the slopes of Definition 4."""

    variance: list[float]
    slope: Estimate  # least squares through the origin
    upper: Estimate  # max_n Var_n / n: the smallest sigma^2 with Var_n <= n sigma^2 at every n

    def as_dict(self) -> dict[str, Any]:
        return {"variance_by_length": [_clean(v) for v in self.variance],
                "slope_through_origin": self.slope.as_dict(),
                "upper_line": self.upper.as_dict()}


def _var_slopes(m: Floats) -> tuple[Floats, Floats]:
    """(B, Q, L+1) resampled prompt log ratios -> (least-squares slope, max Var_n/n) per B."""
    var = m[..., 1:].var(axis=-2, ddof=1)
    n = np.arange(1, m.shape[-1], dtype=np.float64)
    return (var * n).sum(axis=-1) / (n * n).sum(), (var / n).max(axis=-1)


def variance_slope(prompt_log_ratio: ArrayLike, rng: np.random.Generator | int | None = 0) -> Slope:
    """sigma^2 from ``M`` of shape (paths, L+1), ``M[:, n]`` the log ratio of the first ``n``
    sentences (column 0 is the empty prompt, variance 0): the variance across paths at each
    length, its least-squares slope through the origin, and the upper line max_n Var_n/n.
    Standard errors are the bootstrap's standard deviation (a variance has no std/sqrt(n))."""
    m = np.asarray(prompt_log_ratio, dtype=np.float64)
    if m.ndim != 2 or m.shape[0] < 3 or m.shape[1] < 2:
        raise ValueError("need at least 3 paths and one sentence to estimate a variance slope")
    var = m.var(axis=0, ddof=1)
    slope, upper = (float(x[0]) for x in _var_slopes(m[None]))
    g = _rng(rng)
    idx = g.integers(0, m.shape[0], size=(RESAMPLES, m.shape[0]))
    bs, bu = _var_slopes(m[idx])
    tail = (1 - LEVEL) / 2
    method = "bootstrap over paths (se: the bootstrap's standard deviation)"

    def est(v: float, b: Floats) -> Estimate:
        lo, hi = np.quantile(b, [tail, 1 - tail])
        return Estimate(v, float(b.std(ddof=1)), float(lo), float(hi), int(m.shape[0]), method)

    return Slope([float(v) for v in var], est(slope, bs), est(upper, bu))


@dataclass(frozen=True)
class DecayFit:
    """``KL(P-(.|s) || P(.|s)) ~ log(1/alpha) - beta_fit |s|`` on the first ``points`` lengths."""

    points: int
    intercept: Estimate  # log(1/alpha)
    slope: Estimate  # -beta_fit
    alpha: Estimate
    centre: Estimate  # log(1/alpha)/beta_fit: where B_P turns (the later version's Lemma 7)
    kl_by_length: list[Estimate]

    def as_dict(self) -> dict[str, Any]:
        return {"points": self.points, "log_inv_alpha": self.intercept.as_dict(),
                "slope": self.slope.as_dict(), "alpha": self.alpha.as_dict(),
                "centre_length": self.centre.as_dict(),
                "kl_by_length": [e.as_dict() for e in self.kl_by_length]}


def line_fit(y: Floats, points: int) -> tuple[Floats, Floats]:
    """Least-squares line through (n, y[..., n]) for n < points: (intercept, slope)."""
    x = np.arange(points, dtype=np.float64)
    yy = y[..., :points]
    xm, ym = x.mean(), yy.mean(axis=-1)
    slope = ((x - xm) * (yy - ym[..., None])).sum(axis=-1) / ((x - xm) ** 2).sum()
    return ym - slope * xm, slope


def _centre(a: Floats, b: Floats) -> Floats:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b < 0, a / -b, np.inf)


def kl_decay_fit(node_kl: ArrayLike, points: int = 3,
                 rng: np.random.Generator | int | None = 0) -> DecayFit:
    """Fit the mean over paths (rows) of the KL at each prompt length (columns) by a line on the
    first ``points`` lengths; intervals bootstrap the paths.  A slope that is not negative
    gives an infinite centre (no decay seen)."""
    v = np.asarray(node_kl, dtype=np.float64)
    if not 2 <= points <= v.shape[1]:
        raise ValueError(f"a line needs 2 to {v.shape[1]} points; got {points}")
    a, b = (float(x) for x in line_fit(v.mean(axis=0), points))
    idx = _rng(rng).integers(0, v.shape[0], size=(RESAMPLES, v.shape[0]))
    ba, bb = line_fit(v[idx].mean(axis=1), points)
    tail = (1 - LEVEL) / 2
    method = "least squares on the mean over paths; bootstrap over paths (se: its std)"

    def est(value: float, boot: Floats) -> Estimate:
        f = boot[np.isfinite(boot)]
        if f.size < 2:
            return Estimate(value, math.nan, math.nan, math.nan, int(v.shape[0]), method)
        lo, hi = np.quantile(f, [tail, 1 - tail])
        return Estimate(value, float(f.std(ddof=1)), float(lo), float(hi), int(v.shape[0]),
                        method)

    centre = float(_centre(np.array(a), np.array(b)))
    return DecayFit(points, est(a, ba), est(b, bb), est(math.exp(-a), np.exp(-ba)),
                    est(centre, _centre(ba, bb)), path_means(v, rng))


def submartingale_check(node_drift: ArrayLike, node_se: ArrayLike, increments: ArrayLike,
                        beta: float, rng: np.random.Generator | int | None = 0) -> dict[str, Any]:
    """Does ``M_n`` grow like a sub-martingale with drift at least ``beta``?

    ``node_drift``/``node_se`` (paths, lengths): at each sampled prompt the estimated
    conditional mean of the next sentence's log ratio (the conditional KL) and its standard
    error; ``increments`` (paths', lengths'): the log ratios of the sentences the paths
    actually appended.  Counted: prompts whose drift is below 0, or below ``beta``, by more than
    1.96 standard errors, and per length the mean increment with its interval against ``beta``."""
    d = np.asarray(node_drift, dtype=np.float64)
    se = np.asarray(node_se, dtype=np.float64)
    inc = np.asarray(increments, dtype=np.float64)
    ok = np.isfinite(d) & np.isfinite(se)
    below0 = int(((d + 1.96 * se) < 0)[ok].sum())
    below_beta = int(((d + 1.96 * se) < beta)[ok].sum())
    per_len = path_means(inc, rng)
    cum = np.cumsum(inc, axis=1)
    mean_m = [mean_estimate(cum[:, j], rng) for j in range(cum.shape[1])]
    return {
        "beta": _clean(beta),
        "prompts": int(ok.sum()),
        "drift_below_zero": below0,
        "drift_below_beta": below_beta,
        "sub_martingale": below0 == 0,
        "drift_at_least_beta": below_beta == 0,
        "increment_by_length": [e.as_dict() for e in per_len],
        "mean_log_ratio_by_length": [e.as_dict() for e in mean_m],
        "note": "a prompt counts against when its drift estimate is more than 1.96 standard "
                "errors below 0 (or beta); with many prompts a few are expected by chance",
    }


def first_crossing(node_b: ArrayLike, level: float,
                   rng: np.random.Generator | int | None = 0) -> dict[str, Any]:
    """The first prompt length at which the mean over paths (rows) of ``B_P`` (columns:
    lengths 0..L) is below ``level``; ``None`` if it never is (then the length is > L).  The
    interval bootstraps the paths, counting a resample that never crosses as L + 1."""
    v = np.asarray(node_b, dtype=np.float64)
    n_len = v.shape[1]

    def cross(means: Floats) -> Floats:
        below = means < level
        return np.where(below.any(axis=-1), below.argmax(axis=-1), n_len).astype(np.float64)

    obs = float(cross(v.mean(axis=0)[None])[0])
    lo, hi = bootstrap_interval(v, lambda r: cross(r.mean(axis=1)), rng)
    idx = _rng(rng).integers(0, v.shape[0], size=(RESAMPLES, v.shape[0]))
    never = float((cross(v[idx].mean(axis=1)) >= n_len).mean())
    def length(x: float) -> int | None:
        return None if not math.isfinite(x) or x >= n_len else int(x)

    return {"level": level, "observed": length(obs), "ci95": [length(lo), length(hi)],
            "max_length": n_len - 1, "below_at_start": bool(v[:, 0].mean() < level),
            "bootstrap_never": never,
            "note": "None: not below the level at any length measured (> max_length); "
                    "below_at_start: already below with no prompt (length 0)"}
