"""The later version's estimator: its published figures refitted, and it run beside the corrected one.

**The figures** (``data/authors_figures.json``, Llama-2-13B-chat, from the authors' public
spreadsheets) are fitted as the later version does: beta and beta' as lower and upper lines of
the conditional KL by number of sentences; sigma^2 as the slope of a line through the origin
above the variance of the prompt log ratio (and, beside it, the least-squares slopes); the KL
decay ``KL(P- || P_LLM)`` fitted on its first three points by ``log(1/alpha) - beta |s|``, read
with the first point at ``|s| = 0`` (which reproduces their "(1/beta) log(1/alpha) = 3") and, as
the other reading of "sentences 1..10", at ``|s| = 1``.  Three points leave one degree of
freedom: the standard errors of the line are given.

**On a model** (:func:`compare_on_model`), at the same prompts sampled from P-:

* their estimator: 8-token continuations sampled from P-, tokens 2..8 scored, P+ given the
  prompt wrapped as the user's message (:func:`.personas.authors_context`; their P- saw the raw
  prompt, here P- keeps its system prompt and continues the prompt, as everywhere else), error
  bar mean/sqrt(n);
* the corrected one: sentences, every token, both components given the same context,
  std/sqrt(n) and a bootstrap interval;
* two ablations that separate the defects: 8-token continuations in the same context (first
  token unscored / every token scored), and sentences with the first token unscored.
"""

from __future__ import annotations

import json
import math
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from bebcheck.checks import numeric

from .estimators import Estimate, authors_estimate, mean_estimate, sentence_log_ratios
from .experiments import Lab, grow_paths
from .personas import authors_context

__all__ = ["AUTHORS_TOKENS", "compare_on_model", "compare_steps", "fit_figures",
           "line_with_errors", "load_figures"]

AUTHORS_TOKENS = 8
"""Tokens per continuation in the authors' script."""


def load_figures() -> dict[str, Any]:
    """The authors' figures shipped in the package data."""
    text = resources.files("bebcheck.checks.lm").joinpath(
        "data", "authors_figures.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def line_with_errors(x: ArrayLike, y: ArrayLike) -> dict[str, float | None]:
    """Least-squares line with the usual standard errors (None with no degree of freedom)."""
    xs, ys = np.asarray(x, float), np.asarray(y, float)
    n = xs.size
    sxx = float(((xs - xs.mean()) ** 2).sum())
    slope = float(((xs - xs.mean()) * (ys - ys.mean())).sum() / sxx)
    icpt = float(ys.mean() - slope * xs.mean())
    if n <= 2:
        return {"intercept": icpt, "slope": slope, "intercept_se": None, "slope_se": None}
    s2 = float(((ys - icpt - slope * xs) ** 2).sum() / (n - 2))
    return {"intercept": icpt, "slope": slope,
            "intercept_se": math.sqrt(s2 * (1 / n + xs.mean() ** 2 / sxx)),
            "slope_se": math.sqrt(s2 / sxx)}


def _theorem1(log_inv_alpha: float, beta: float) -> int | None:
    """The repaired Theorem 1 length at gamma = -1, misaligned below 0 (eps = 1)."""
    if not (0 < log_inv_alpha < 700 and beta > 0):
        return None
    return int(numeric.length("theorem1", alpha=math.exp(-log_inv_alpha), beta=beta,
                              gamma=-1.0, eps=1.0))


def _decay(series: list[float], points: int, beta: float | None) -> dict[str, Any]:
    """The line through the first ``points`` values, read from |s| = 0 and from |s| = 1; with
    the components' beta (``beta``: their lower line), Theorem 1's length at that beta and the
    decay that beta allows, max(0, log(1/alpha) - beta |s|), beside the measured one."""
    out: dict[str, Any] = {}
    for reading, start in (("first_point_at_0", 0), ("first_point_at_1", 1)):
        fit = line_with_errors(np.arange(start, start + points), series[:points])
        a, b = fit["intercept"], fit["slope"]
        assert a is not None and b is not None
        out[reading] = {**fit, "log_inv_alpha": a, "alpha": math.exp(-a), "beta_fit": -b,
                        "centre": a / -b if b < 0 else None,
                        "theorem1_length_beta_fit": _theorem1(a, -b)}
        if beta is not None:
            out[reading].update({
                "beta_components": beta, "theorem1_length_beta_components": _theorem1(a, beta),
                "decay_allowed_by_beta_components": [
                    max(0.0, a - beta * (start + i)) for i in range(len(series))],
                "decay_measured": list(series)})
    return out


def _sigma(var: list[float]) -> dict[str, Any]:
    v = np.asarray(var, float)
    n = np.arange(v.size, dtype=float)
    k = n > 0
    ratio = v[k] / n[k]
    ols = line_with_errors(n[k], v[k])
    return {"upper_line": float(ratio.max()), "upper_line_at": int(n[k][ratio.argmax()]),
            "slope_through_origin": float((v[k] * n[k]).sum() / (n[k] ** 2).sum()),
            "least_squares_n_ge_1": ols,
            "least_squares_n_ge_2": line_with_errors(n[n > 1], v[n > 1])}


def fit_figures(figs: dict[str, Any] | None = None) -> dict[str, Any]:
    """The later version's fits of its own figures, and what they give (see the docstring)."""
    figs = figs or load_figures()
    betas = {k: {"lower_line": min(v), "upper_line": max(v), "mean": float(np.mean(v)),
                 "reported": figs["beta_reported"]}
             for k, v in figs["beta_by_sentences"].items()}
    return {
        "beta": betas,
        "sigma2": {k: {**_sigma(v), "reported": figs["sigma2_reported"]}
                   for k, v in figs["sigma2_by_length"].items()},
        "kl_decay": {k: _decay(v, int(figs["fit_points"]),
                               betas[k]["lower_line"] if k in betas else None)
                     for k, v in figs["kl_decay"].items()},
        "centre_reported": figs["centre_reported"],
        "note": "theorem1 lengths: the repaired bound at gamma = -1 and eps = 1 (misaligned "
                "below 0), with the decay's fitted beta and with the components' beta (the "
                "lower line of their conditional KL, the same behaviour)",
    }


def compare_steps(paths: int, length: int) -> int:
    return paths * (length + 1) + 1


def _node(lab: Lab, prompt: list[int], samples: int, rng: np.random.Generator
          ) -> dict[str, Estimate]:
    """Both estimators and the ablations at one prompt (see the module docstring)."""
    sents = lab.sentences("negative", prompt, samples)
    lp_n = lab.score("negative", prompt, sents)
    lp_p = lab.score("positive", prompt, sents)
    short = lab.model.sample(lab.ctx("negative", prompt), samples, AUTHORS_TOKENS, rng=lab.rng)
    short = [[int(t) for t in s] for s in short]
    ln = lab.score("negative", prompt, short)
    lp_same = lab.score("positive", prompt, short)
    wrapped = authors_context(lab.tok, lab.beh, "positive", prompt)
    lp_wrapped = [np.asarray(x, float) for x in lab.model.score(wrapped, short)]
    return {
        "authors": authors_estimate(sentence_log_ratios(ln, lp_wrapped, skip_first=1)),
        "tokens8_same_context_first_unscored": mean_estimate(
            sentence_log_ratios(ln, lp_same, skip_first=1), rng),
        "tokens8_same_context_every_token": mean_estimate(sentence_log_ratios(ln, lp_same), rng),
        "sentences_first_unscored": mean_estimate(
            sentence_log_ratios(lp_n, lp_p, skip_first=1), rng),
        "corrected": mean_estimate(sentence_log_ratios(lp_n, lp_p), rng),
    }


def compare_on_model(lab: Lab, *, paths: int, length: int, samples: int,
                     seed: int) -> dict[str, Any]:
    """Both estimators at every length of ``paths`` prompts sampled from P-: per length the
    mean over prompts of each estimate, and the authors' minus the corrected."""
    rng = np.random.default_rng([seed, 4])
    prompts = grow_paths(lab, "negative", paths, length)
    lab.progress(1)
    table: dict[str, list[list[Estimate]]] = {}
    for path in prompts:
        for n in range(length + 1):
            prompt = [t for s in path[:n] for t in s]
            for k, e in _node(lab, prompt, samples, rng).items():
                table.setdefault(k, [[] for _ in range(length + 1)])[n].append(e)
            lab.progress(1)
    by_len = {k: [_pool(col) for col in cols] for k, cols in table.items()}
    diff = [a["value"] - c["value"] for a, c in zip(by_len["authors"], by_len["corrected"],
                                                     strict=True)]
    return {"by_length": by_len, "authors_minus_corrected": diff,
            "mean_difference": float(np.mean(diff)),
            "settings": {"paths": paths, "length": length, "samples": samples,
                         "authors_tokens": AUTHORS_TOKENS}}


def _pool(ests: list[Estimate]) -> dict[str, Any]:
    """Estimates at one length over prompts: the mean of the values; for the corrected ones
    se = sqrt(sum se_i^2)/prompts and a normal interval of the pooled mean, for the authors'
    their bar |mean|/sqrt(all samples)."""
    vals = [e.value for e in ests]
    value = float(np.mean(vals))
    n = sum(e.n for e in ests)
    if ests[0].method.startswith("mean; error bar"):
        se = abs(value) / math.sqrt(n)
        lo, hi = value - se, value + se
    else:
        ses = [e.se for e in ests]
        se = math.sqrt(sum(x * x for x in ses)) / len(ses) if all(map(math.isfinite, ses)) \
            else math.nan
        lo, hi = value - 1.96 * se, value + 1.96 * se
    clean = [None if not math.isfinite(x) else float(x) for x in (se, lo, hi)]
    return {"value": value, "se": clean[0], "ci95": clean[1:], "n": n, "prompts": len(ests),
            "method": ests[0].method + ("" if len(ests) == 1 else "; pooled over prompts")}
