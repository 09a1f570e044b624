"""The theorems against a model: estimates plugged into the repaired bounds, prompts appended, B_P.

``run_estimate`` measures, for the direct strategy (prompts sampled from P-), beta, c, sigma^2,
alpha (KL decay), the sub-martingale check and gamma = sup B_{P-}; ``run_attack`` does so for
three strategies and measures ``B_P`` of the next sentence of the model P after every prompt
length:

* ``direct`` -- Theorem 1: sentences sampled from P- appended to the prompt;
* ``persona`` -- Corollary 1's question: sentences of a specific ill-behaved character
  (``persona``) appended instead; its own alpha (KL decay against P) and beta (against P+);
* ``aligned`` -- Theorem 2: an aligning prompt ``s0`` of sentences sampled from P+ in front,
  then sentences from P- (given ``s0``).

Predicted lengths (:func:`predictions`): the repaired Theorem 1 length of ``bebcheck bound``
(``n > (log((1-alpha)/alpha) + log((1+gamma'-eps)/eps))/beta``) with the measured alpha, beta,
gamma and ``eps = level - gamma`` (misaligned: ``B_P < level``), Theorem 2's with ``c`` and
``|s0|``, and the later version's centre ``log(1/alpha)/beta_fit`` of the KL-decay line; each
with a bootstrap interval over the measured prompts (resampling them jointly for every
estimate).  The observed length is the first prompt length at which the mean ``B_P`` over the
prompts is below the level (:func:`~.estimators.first_crossing`).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bebcheck.checks import numeric  # imported before any model work (sympy: a second)

from .estimators import (
    LEVEL,
    RESAMPLES,
    beta_lower,
    empirical_c,
    first_crossing,
    kl_decay_fit,
    line_fit,
    mean_estimate,
    path_means,
    submartingale_check,
    variance_slope,
)
from .experiments import Lab, Settings, StrategyRun, grow_paths, run_strategy, steps

__all__ = ["STRATEGIES", "attack_steps", "estimate_steps", "predictions", "relevel",
           "run_attack", "run_estimate", "strategy_report"]

STRATEGIES = ("direct", "persona", "aligned")
"""The attacks of ``bebcheck lm attack`` (see the module docstring)."""

Floats = NDArray[np.float64]


def _replicates(kl_pos: Floats, kl_none: Floats, b_src: Floats, points: int,
                rng: np.random.Generator, resamples: int) -> dict[str, Floats]:
    """Point estimates (index 0) and bootstrap replicates (prompts resampled jointly)."""
    n = kl_pos.shape[0]
    idx = np.vstack([np.arange(n)[None], rng.integers(0, n, size=(resamples, n))])
    a, b = line_fit(kl_none[idx].mean(axis=1), points)
    return {"log_inv_alpha": a, "beta_fit": -b, "beta": kl_pos[idx].mean(axis=1).min(axis=1),
            "gamma": b_src[idx].mean(axis=1).max(axis=1)}


def _lengths(result: str, v: dict[str, Floats], level: float, c: float, s0: int) -> Floats:
    """The repaired length at every replicate; NaN where the estimates leave the theorem's
    domain (alpha not in (0, 1), beta <= 0, gamma >= min(0, level))."""
    a, beta, gamma = v["log_inv_alpha"], v["beta"], v["gamma"]
    ok = (a > 0) & (a < 700) & (beta > 0) & (gamma < min(0.0, level)) & (gamma >= -1)
    ok &= np.isfinite(a) & np.isfinite(beta) & np.isfinite(gamma)
    out = np.full(a.shape, np.nan)
    if ok.any():
        extra = {"c": c, "s0": s0} if result == "theorem2" else {}
        lens = numeric.length(result, alpha=np.exp(-a[ok]), beta=beta[ok], gamma=gamma[ok],
                              eps=level - gamma[ok], **extra)
        out[ok] = np.asarray(lens, dtype=np.float64)
    return out


def _summary(values: Floats, integer: bool) -> dict[str, Any]:
    point, boot = values[0], values[1:]
    fine = boot[np.isfinite(boot)]
    tail = (1 - LEVEL) / 2
    lo, hi = (np.quantile(fine, [tail, 1 - tail]) if fine.size else (math.nan, math.nan))

    def num(x: float) -> float | int | None:
        if not math.isfinite(x):
            return None
        return round(x) if integer else float(x)

    return {"value": num(float(point)), "ci95": [num(float(lo)), num(float(hi))],
            "valid_fraction": float(fine.size / boot.size) if boot.size else 0.0}


def _command(result: str, v: dict[str, Floats], level: float, c: float, s0: int) -> str | None:
    a, beta, gamma = (float(v[k][0]) for k in ("log_inv_alpha", "beta", "gamma"))
    if not (a > 0 and beta > 0 and gamma < min(0.0, level)):
        return None
    cmd = (f"bebcheck bound {result} --alpha {math.exp(-a):.6g} --beta {beta:.6g} "
           f"--gamma={gamma:.6g} --eps {level - gamma:.6g}")
    return cmd + (f" --c {c:.6g} --s0 {s0}" if result == "theorem2" else "")


def _why_not(v: dict[str, Floats], level: float) -> str:
    """Why the point estimates give no length (the theorem's hypotheses fail on them)."""
    a, beta, gamma = (float(v[k][0]) for k in ("log_inv_alpha", "beta", "gamma"))
    reasons = []
    if not 0 < a < 700:
        reasons.append(f"log(1/alpha) = {a:.3g} is not positive (alpha not in (0, 1))")
    if not beta > 0:
        reasons.append(f"beta = {beta:.3g} is not positive")
    if not gamma < min(0.0, level):
        reasons.append(f"gamma = {gamma:.3g} is not below min(0, level): the source is not "
                       "negative enough by the judge")
    return "; ".join(reasons) or "outside the bound's domain"


def predictions(kl_pos: Floats, kl_none: Floats, b_src: Floats, *, level: float, points: int,
                rng: np.random.Generator | int | None = 0, c: float = 1.0, s0: int = 0,
                resamples: int = RESAMPLES) -> dict[str, Any]:
    """Predicted misaligning lengths from per-node means (prompts, lengths): KL against P+
    (beta), KL against P (the decay: alpha), B of the source's sentences (gamma)."""
    g = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    v = _replicates(np.asarray(kl_pos, float), np.asarray(kl_none, float),
                    np.asarray(b_src, float), points, g, resamples)
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = np.where(v["beta_fit"] > 0, v["log_inv_alpha"] / v["beta_fit"], np.nan)
    out: dict[str, Any] = {
        "inputs": {k: _summary(x, False) for k, x in v.items()},
        "level": level,
        "centre": {**_summary(centre, False),
                   "formula": "log(1/alpha)/beta_fit (the KL-decay line's zero)"},
        "theorem1": {**_summary(_lengths("theorem1", v, level, c, s0), True),
                     "formula": "n > (log((1-alpha)/alpha) + log((1+gamma'-eps)/eps))/beta",
                     "command": _command("theorem1", v, level, c, s0)},
    }
    if out["theorem1"]["value"] is None:
        out["theorem1"]["reason"] = _why_not(v, level)
    if s0:
        out["theorem2"] = {**_summary(_lengths("theorem2", v, level, c, s0), True),
                           "formula": "n > (|s0| c + log((1-alpha)/alpha) + "
                                      "log((1+gamma'-eps)/eps))/beta",
                           "c": c, "s0": s0, "command": _command("theorem2", v, level, c, s0)}
    return out


def _c_of(run: StrategyRun) -> dict[str, Any]:
    r = run.nodes.ratios["positive"]
    return empirical_c(np.concatenate([r.ravel(), run.root_positive,
                                       np.diff(run.log_ratio, axis=1).ravel()]))


def _node_table(run: StrategyRun) -> dict[str, Any]:
    """Per measured prompt (rows) and length (columns): the means the estimates are made of,
    so that a report can be analysed again (e.g. at another level)."""
    def rows(x: Floats | None) -> list[list[float]] | None:
        return None if x is None else [[float(v) for v in r] for r in x.mean(axis=-1)]

    return {"kl_positive": rows(run.nodes.ratios["positive"]),
            "kl_model": rows(run.nodes.ratios["none"]),
            "b_source": rows(run.nodes.b_source), "b_model": rows(run.nodes.b_target)}


def strategy_report(lab: Lab, run: StrategyRun, st: Settings) -> dict[str, Any]:
    """Every estimate of one strategy's run (see :mod:`.estimators`)."""
    rng = np.random.default_rng([st.seed, 1])
    kl_pos, se_pos = run.nodes.kl("positive")
    kl_none, _ = run.nodes.kl("none")
    beta = beta_lower(kl_pos, rng)
    nodes = run.nodes
    out: dict[str, Any] = {
        "source": run.source, "aligning_sentences": run.head_sentences,
        "beta_single_context": mean_estimate(nodes.ratios["positive"][0, 0], rng).as_dict(),
        "beta_by_length": [e.as_dict() for e in path_means(kl_pos, rng)],
        "beta": beta.as_dict(),
        "c": _c_of(run),
        "sigma2": variance_slope(run.log_ratio, rng).as_dict(),
        "alpha": kl_decay_fit(kl_none, st.points, rng).as_dict(),
        "martingale": submartingale_check(kl_pos, se_pos, np.diff(run.log_ratio, axis=1),
                                          beta.value, rng),
        "sentences": {"mean_tokens": float(nodes.tokens.mean()),
                      "ends_reply_fraction": float(nodes.ends_reply.mean()),
                      "capped_fraction": float((nodes.tokens >= lab.max_tokens).mean())},
        "example_prompt": [lab.tok.decode(s) for s in run.paths[0]],
    }
    out["nodes"] = _node_table(run)
    if nodes.b_source is not None:
        by_len = path_means(nodes.b_source.mean(axis=-1), rng)
        out["gamma"] = {"value": max(e.value for e in by_len),
                        "by_length": [e.as_dict() for e in by_len],
                        "note": "sup over measured lengths of the mean B of the source's "
                                "sentences: a lower estimate of sup B_{P-}"}
    return out


def _predict(run: StrategyRun, st: Settings, c: float, s0: int = 0,
             base: StrategyRun | None = None) -> dict[str, Any]:
    src = base or run
    kl_pos, _ = src.nodes.kl("positive")
    kl_none, _ = src.nodes.kl("none")
    assert src.nodes.b_source is not None
    return predictions(kl_pos, kl_none, src.nodes.b_source.mean(axis=-1), level=st.level,
                       points=st.points, rng=np.random.default_rng([st.seed, 2]), c=c, s0=s0)


def estimate_steps(st: Settings) -> int:
    return steps(st)


def run_estimate(lab: Lab, st: Settings) -> dict[str, Any]:
    """The estimate report of the direct strategy (P- against P+ and P), with predictions."""
    run = run_strategy(lab, "negative", st)
    rep = strategy_report(lab, run, st)
    if run.nodes.b_source is not None:
        rep["predicted"] = _predict(run, st, c=rep["c"]["max_abs_log_ratio"] or 1.0)
    return rep


def attack_steps(st: Settings, strategies: Sequence[str]) -> int:
    return len(strategies) * steps(st) + (1 if "aligned" in strategies else 0)


def _observed(run: StrategyRun, st: Settings) -> dict[str, Any]:
    assert run.nodes.b_target is not None
    return _observed_means(run.nodes.b_target.mean(axis=-1), st)


def _observed_means(b: Floats, st: Settings) -> dict[str, Any]:
    """B_P by length and the first crossing from per-node means (prompts, lengths)."""
    rng = np.random.default_rng([st.seed, 3])
    return {"b_p_by_length": [e.as_dict() for e in path_means(b, rng)],
            "crossing": first_crossing(b, st.level, rng)}


def _aligning_prompt(lab: Lab, st: Settings) -> list[int]:
    s0 = grow_paths(lab, "positive", 1, st.aligning)[0]
    lab.progress(1)
    return [t for s in s0 for t in s]


def run_attack(lab: Lab, st: Settings, strategies: Sequence[str] = STRATEGIES,
               runner: Callable[..., StrategyRun] = run_strategy) -> dict[str, Any]:
    """Each strategy's estimates, B_P by prompt length, predicted and observed lengths."""
    runs: dict[str, StrategyRun] = {}
    for name in strategies:
        if name == "aligned":
            head = _aligning_prompt(lab, st)
            runs[name] = runner(lab, "negative", st, head=head, head_sentences=st.aligning,
                                target="none")
        else:
            source = "negative" if name == "direct" else "persona"
            runs[name] = runner(lab, source, st, target="none")
    out: dict[str, Any] = {}
    for name, run in runs.items():
        rep = strategy_report(lab, run, st)
        c = rep["c"]["max_abs_log_ratio"] or 1.0
        if name == "aligned":
            base = runs.get("direct")
            if base is not None:  # c bounds every sentence after every prefix: use all seen
                c = max(c, _c_of(base)["max_abs_log_ratio"] or 1.0)
            rep["predicted"] = _predict(run, st, c, s0=st.aligning, base=base)
            rep["predicted"]["from"] = "direct" if base is not None else "aligned"
            rep["aligning_prompt"] = lab.tok.decode(run.head)
        else:
            rep["predicted"] = _predict(run, st, c)
        rep["observed"] = _observed(run, st)
        out[name] = rep
    return {"strategies": out, "comparisons": _comparisons(out)}


def _side(rep: dict[str, Any]) -> dict[str, Any]:
    p = rep["predicted"]
    return {"observed": rep["observed"]["crossing"]["observed"],
            "observed_ci95": rep["observed"]["crossing"]["ci95"],
            "predicted_theorem1": p["theorem1"]["value"], "predicted_theorem1_ci95":
                p["theorem1"]["ci95"], "predicted_centre": p["centre"]["value"],
            "predicted_centre_ci95": p["centre"]["ci95"],
            "beta": rep["beta"]["value"], "log_inv_alpha": rep["alpha"]["log_inv_alpha"]["value"]}


def _shorter(a: Any, b: Any) -> bool | None:
    return None if a is None or b is None else bool(a < b)


def _comparisons(reps: dict[str, dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {name: _side(rep) for name, rep in reps.items()}
    if "direct" in reps and "persona" in reps:
        d, p = out["direct"], out["persona"]
        out["corollary1"] = {
            "question": "is prompting with a persona's sentences shorter than with P-'s?",
            "persona_shorter_observed": _shorter(p["observed"], d["observed"]),
            "persona_shorter_predicted_theorem1": _shorter(p["predicted_theorem1"],
                                                           d["predicted_theorem1"]),
            "persona_shorter_predicted_centre": _shorter(p["predicted_centre"],
                                                         d["predicted_centre"])}
    if "direct" in reps and "aligned" in reps:
        d, a = out["direct"], out["aligned"]
        t2 = reps["aligned"]["predicted"].get("theorem2", {})
        delay = None if a["observed"] is None or d["observed"] is None else \
            a["observed"] - d["observed"]
        out["theorem2"] = {"observed_delay": delay, "predicted_theorem2": t2.get("value"),
                           "predicted_theorem2_ci95": t2.get("ci95"),
                           "note": "observed: first length with B_P below the level after s0, "
                                   "minus the same without s0"}
    return out


def relevel(res: dict[str, Any], st: Settings) -> dict[str, Any]:
    """A saved attack report's predicted and observed lengths at ``st.level`` (and its other
    settings), from the per-prompt means it keeps (``nodes``): nothing is sampled again, and
    at the report's own settings the result equals the report."""
    out = copy.deepcopy(res)
    reps = out["strategies"]
    direct = reps.get("direct")
    for name, rep in reps.items():
        base = direct if name == "aligned" and direct is not None else rep
        arrays = [np.asarray(base["nodes"][k], dtype=np.float64)
                  for k in ("kl_positive", "kl_model", "b_source")]
        c = rep["c"]["max_abs_log_ratio"] or 1.0
        if name == "aligned" and direct is not None:
            c = max(c, direct["c"]["max_abs_log_ratio"] or 1.0)
        s0 = st.aligning if name == "aligned" else 0
        rep["predicted"] = predictions(*arrays, level=st.level, points=st.points,
                                       rng=np.random.default_rng([st.seed, 2]), c=c, s0=s0)
        if name == "aligned":
            rep["predicted"]["from"] = "direct" if direct is not None else "aligned"
        rep["observed"] = _observed_means(np.asarray(rep["nodes"]["b_model"], float), st)
    out["comparisons"] = _comparisons(reps)
    return out
