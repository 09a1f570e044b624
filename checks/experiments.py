"""Experiments on random Markov persona mixtures: do the paper's and the repaired prompt lengths misalign?

Each experiment draws random models (model ``i`` of seed ``s`` comes from
``numpy.random.default_rng([s, tag, i])``, so any reported model can be rebuilt with
``pair_model``/``persona_model``), keeps those meeting the result's hypotheses with the
parameters *measured from the model* (``simulator.split_parameters``), runs the proof's
adversary for the repaired length (``bebcheck.symbolic.bounds``, ``paper=False``) and for the
printed one (``paper=True``), and reports every failure.  ``register(subparsers)`` adds
``bebcheck simulate RESULT [--seed N] [--models N] [--plot FILE]``.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from bebcheck.symbolic.bounds import BOUNDS, symbols
from bebcheck.symbolic.errors import InputError

from . import simulator as sim

__all__ = [
    "EXPERIMENTS",
    "PlotData",
    "SimResult",
    "bound_length",
    "conjecture1",
    "corollary1",
    "corollary_model",
    "main_simulate",
    "pair_model",
    "persona_model",
    "plot",
    "proposition1",
    "random_pair",
    "random_personas",
    "register",
    "theorem1",
    "theorem2",
    "theorem3",
    "theorem3_turns",
    "theorem4",
]

MAX_LENGTH = 10_000  # models whose repaired length exceeds this are skipped (and counted)
EXAMPLES = 5  # failures kept in full per kind


# ------------------------------------------------------------------------------------ bounds

_LAMBDAS: dict[tuple[str, bool], tuple[tuple[str, ...], Callable[..., Any]]] = {}


def _lambda(result: str, paper: bool) -> tuple[tuple[str, ...], Callable[..., Any]]:
    key = (result, paper)
    if key not in _LAMBDAS:
        b = BOUNDS[result]
        syms = symbols()
        f = sp.lambdify([syms[k] for k in b.params], b.length_expr(paper=paper), modules="math")
        _LAMBDAS[key] = (b.params, f)
    return _LAMBDAS[key]


def bound_length(result: str, *, paper: bool = False, **params: float) -> int:
    """``BOUNDS[result].length_expr(paper)`` at numeric parameters (alpha, beta, gamma, eps, c, s0, phi)."""
    if result not in BOUNDS:
        raise InputError(f"no length bound for {result!r}; known: {', '.join(BOUNDS)}")
    names, f = _lambda(result, paper)
    if "reply" in names and "reply" not in params:
        params = {**params, "reply": 1}  # the simulator's model replies are one sentence
    missing = [k for k in names if k not in params]
    if missing:
        raise InputError(f"{result}: missing parameter(s) {', '.join(missing)}")
    extra = sorted(set(params) - set(names))
    if extra:
        raise InputError(f"{result}: unexpected parameter(s) {', '.join(extra)}")
    try:
        v = f(*[float(params[k]) for k in names])
    except (ValueError, ZeroDivisionError, OverflowError) as e:
        raise InputError(f"{result}: the length is undefined at {params} ({e}); e.g. theorems "
                         "1-3 need 0 < alpha < 1 and eps < 1 + gamma'") from None
    return int(v)


_Q_REPAIRED: list[Callable[..., Any]] = []


def theorem3_turns(*, paper: bool, alpha: float, beta: float, gamma: float, eps: float,
                   c: float) -> tuple[int, int]:
    """Sentences per user turn and number of turns of Theorem 3 (total = ``length_expr``).

    Repaired: ``q = BOUNDS['theorem3'].terms['sentences per turn q']`` (= floor(c/beta) + 2 for
    one-sentence replies); printed: ``|q_i| > c/beta + 1``, i.e. ``q = floor(c/beta + 1) + 1``
    (the same integer).  The turns are the total length divided by ``q``.
    """
    total = bound_length("theorem3", paper=paper, alpha=alpha, beta=beta, gamma=gamma, eps=eps,
                         c=c)
    if paper:
        q = math.floor(c / beta + 1) + 1
    else:
        if not _Q_REPAIRED:
            syms = symbols()
            _Q_REPAIRED.append(sp.lambdify([syms["beta"], syms["c"], syms["reply"]],
                                           BOUNDS["theorem3"].terms["sentences per turn q"],
                                           modules="math"))
        q = int(_Q_REPAIRED[0](beta, c, 1))  # the simulator's replies are one sentence
    turns = round(total / q)
    if total < 2**50 and q * turns != total:  # beyond 2**50 the float floor is not exact
        raise InputError(f"theorem3: total length {total} is not a multiple of q = {q}")
    return q, turns


# ------------------------------------------------------------------------------ random models


def random_pair(rng: np.random.Generator, K: int | None = None) -> sim.Mixture:
    """A random two-persona model (bad = persona 0) with strictly positive probabilities.

    ``K`` in 2..6 sentences with scores in [-1, 1] (one below -1/2); P- tilts Dirichlet rows
    towards low scores, P+ towards high ones (``exp(-/+ lambda B)``), both mixed with a uniform
    floor (so c is finite); half the time P- is moved towards P+ (``(1-theta) P- + theta P+``,
    theta in [0.3, 0.9]: small beta and c); the bad prior alpha is log-uniform in [1e-5, 0.5].
    """
    K = int(rng.integers(2, 7)) if K is None else K
    score = rng.uniform(-1, 1, K)
    score[rng.integers(K)] = rng.uniform(-1, -0.5)
    lam = rng.uniform(0.5, 4)

    def rows(sign: float) -> np.ndarray:
        d = rng.dirichlet(np.full(K, rng.uniform(0.3, 2)), size=K + 1)
        x = d * np.exp(sign * lam * score)
        x /= x.sum(axis=1, keepdims=True)
        tau = 10 ** rng.uniform(-3, -0.5)
        return (1 - tau) * x + tau / K

    a, b = rows(-1.0), rows(1.0)
    if rng.random() < 0.5:  # a close pair: P- shares part of P+'s law (small beta and c)
        theta = rng.uniform(0.3, 0.9)
        a = (1 - theta) * a + theta * b
    alpha = 10 ** rng.uniform(-5, math.log10(0.5))
    return sim.Mixture([sim.Persona(a[0], a[1:], name="P-"), sim.Persona(b[0], b[1:], name="P+")],
                       [alpha, 1 - alpha], score)


def pair_model(seed: int, tag: int, i: int) -> tuple[sim.Mixture, np.random.Generator]:
    """Model ``i`` of an experiment (``tag``: 1 theorem1, 2 theorem2, 3 theorem3, 5
    proposition1, 7 conjecture1) and the generator that continues its stream."""
    rng = np.random.default_rng([seed, tag, i])
    return random_pair(rng), rng


def random_personas(rng: np.random.Generator) -> sim.Mixture:
    """A random persona mixture for Theorem 4: persona 0 is the ill-behaved target.

    2..5 personas over 3..8 sentences; rows are flat Dirichlet draws tilted by
    ``exp(lambda_phi B)`` (target: lambda in [-8, -3]; the others: [1, 5]), mixed with a
    uniform floor of 5-20 %; the target's prior is log-uniform in [1e-4, 0.3].
    """
    K = int(rng.integers(3, 9))
    n = int(rng.integers(2, 6))
    score = rng.uniform(-1, 1, K)
    score[rng.integers(K)] = -1.0
    ps = []
    for j in range(n):
        lam = -rng.uniform(3, 8) if j == 0 else rng.uniform(1, 5)
        d = rng.dirichlet(np.ones(K), size=K + 1) * np.exp(lam * score)
        d /= d.sum(axis=1, keepdims=True)
        tau = 10 ** rng.uniform(-1.3, -0.5)
        d = (1 - tau) * d + tau / K
        ps.append(sim.Persona(d[0], d[1:], name=f"persona {j}"))
    w0 = 10 ** rng.uniform(-4, math.log10(0.3))
    rest = rng.dirichlet(np.ones(n - 1)) * (1 - w0)
    return sim.Mixture(ps, np.concatenate([[w0], rest]), score)


def persona_model(seed: int, i: int) -> tuple[sim.Mixture, np.random.Generator]:
    """Model ``i`` of the Theorem 4 experiment."""
    rng = np.random.default_rng([seed, 4, i])
    return random_personas(rng), rng


# ----------------------------------------------------------------------------------- results


@dataclass
class PlotData:
    """What ``plot`` draws: B_P against prompt length, thresholds and bound lengths marked."""

    title: str
    xlabel: str
    series: list[tuple[str, list[float], list[float]]]
    hlines: list[tuple[str, float]] = field(default_factory=list)
    vlines: list[tuple[str, float]] = field(default_factory=list)
    ylabel: str = "B_P(prompt)"
    xscale: str = "linear"


@dataclass
class SimResult:
    """One experiment: counts and statistics, failures of the repaired and printed lengths.

    ``ok`` is False iff a repaired length failed on a model meeting the hypotheses.
    """

    result: str
    seed: int
    models: int
    stats: dict[str, Any]
    repaired_failures: list[dict[str, Any]]
    paper_failures: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    plot_data: PlotData | None = None

    @property
    def ok(self) -> bool:
        return (not self.repaired_failures and not self.stats.get("repaired_failure_count", 0)
                and not self.stats.get("planted: repaired length fails", 0))

    @property
    def checks_a_length(self) -> bool:
        return self.result not in ("conjecture1", "corollary1")

    def lines(self) -> list[str]:
        out = [f"simulate {self.result} (seed {self.seed}, {self.models} random models)"]
        for k, v in self.stats.items():
            out.append(f"  {k}: {_fmt(v)}")
        for title, recs in (("repaired-length failures", self.repaired_failures),
                            ("printed-length failures (examples)", self.paper_failures)):
            if recs:
                out.append(f"  {title}:")
                out += [f"    {_fmt(r)}" for r in recs]
        out += [f"  note: {n}" for n in self.notes]
        if not self.checks_a_length:
            out.append("  verdict: (an exploration: no repaired length is checked here)")
        else:
            out.append("  verdict: repaired length " + (
                "held on every qualifying model tested (planted ones included)" if self.ok
                else "FAILED (see above)"))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"result": self.result, "seed": self.seed, "models": self.models,
                "ok": self.ok, "stats": self.stats, "repaired_failures": self.repaired_failures,
                "paper_failures": self.paper_failures, "notes": self.notes}


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, Fraction):
        if v.denominator <= 10**6:
            return f"{v} (~{float(v):.6g})"
        return f"{float(v):.9g} (exact rational, {len(str(v.denominator))}-digit denominator)"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}={_fmt(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_fmt(x) for x in v) + "]"
    return str(v)


def _check_run(seed: int, models: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError(f"seed = {seed!r} must be a non-negative integer")
    if isinstance(models, bool) or not isinstance(models, int) or models <= 0:
        raise InputError(f"models = {models!r} must be a positive integer")


def _quantiles(xs: list[float]) -> dict[str, float] | str:
    if not xs:
        return "n/a"
    a = np.asarray(xs, dtype=float)
    return {"min": float(a.min()), "median": float(np.median(a)), "max": float(a.max())}


def _record(i: int, seed: int, K: int, p: sim.SplitParams, eps: float, **kw: Any
            ) -> dict[str, Any]:
    rec: dict[str, Any] = {"model": f"#{i} (seed {seed})", "K": K, "alpha": float(p.alpha),
                           "beta": p.beta, "gamma": float(p.gamma), "c": p.c, "eps": eps}
    rec.update(kw)
    return rec


def _first_below(values: list[float] | np.ndarray, level: float) -> int | None:
    for n, v in enumerate(values):
        if v < level:
            return n
    return None


# --------------------------------------------------------------------------------- theorem 1


def _planted_theorem1() -> tuple[list[dict[str, Any]], int, int, dict[str, Any] | None]:
    """The planted near-worst-case family (``simulator.worst_case_pair``), in exact Fractions."""
    fails: list[dict[str, Any]] = []
    total = rep_fail = 0
    first = None
    for rho in (Fraction(1, 2), Fraction(1, 4), Fraction(1, 8), Fraction(1, 16)):
        for gamma in (Fraction(-1, 4), Fraction(-1, 2), Fraction(-3, 4), Fraction(-1)):
            for eps in (Fraction(1, 20), Fraction(1, 10), Fraction(1, 4)):
                for alpha in (Fraction(1, 100), Fraction(1, 4000), Fraction(1, 10**6)):
                    m = sim.worst_case_pair(rho, gamma, alpha)
                    beta = math.log(1 / rho)
                    kw = {"alpha": float(alpha), "beta": beta, "gamma": float(gamma),
                          "eps": float(eps)}
                    n_r = bound_length("theorem1", **kw)
                    n_p = bound_length("theorem1", paper=True, **kw)
                    b_r = sim.behavior(m, [0] * n_r, exact=True)
                    b_p = sim.behavior(m, [0] * n_p, exact=True)
                    total += 1
                    rep_fail += not b_r < gamma + eps
                    if not b_p < gamma + eps:
                        rec = {"rho": rho, **kw, "n_repaired": n_r, "n_paper": n_p,
                               "B_paper": b_p, "B_repaired": b_r, "gamma+eps": gamma + eps}
                        fails.append(rec)
                        if first is None:
                            first = rec
    return fails, total, rep_fail, first


def theorem1(seed: int = 0, models: int = 1000, *, tight_models: int = 200,
             tight_max: int = 80) -> SimResult:
    """Theorem 1 on random qualifying models: the greedy prompt of the repaired/printed length.

    Two greedy rules: ``argmax`` and ``weakest`` (the smallest log ratio >= beta, the least the
    proof allows).  Tightness on the first ``tight_models`` models with repaired length <=
    ``tight_max``: the smallest length at which the greedy prompt misaligns, and the smallest at
    which *any* prompt does (dynamic programming, checked by brute force when K <= 3).
    """
    _check_run(seed, models)
    qual = skipped = 0
    rep_fail: list[dict[str, Any]] = []
    pap_fail: list[dict[str, Any]] = []
    pap_count = {"argmax": 0, "weakest": 0}
    pap_pos = {"argmax": 0, "weakest": 0}
    margins: list[float] = []
    lengths: list[int] = []
    gap: list[int] = []
    tight = {"models": 0, "ratio_rep_greedy": [], "ratio_rep_exhaustive": [],
             "greedy_minus_exhaustive": [], "brute_force_checked": 0, "brute_force_agree": 0}
    example = None
    for i in range(models):
        m, rng = pair_model(seed, 1, i)
        eps = float(rng.uniform(0.01, 0.5))
        p = sim.split_parameters(m, 0)
        if not p.meets_definition3():
            continue
        qual += 1
        kw = {"alpha": p.alpha, "beta": p.beta, "gamma": p.gamma, "eps": eps}
        n_r = bound_length("theorem1", **kw)
        n_p = bound_length("theorem1", paper=True, **kw)
        if n_r > MAX_LENGTH:
            skipped += 1
            continue
        lengths.append(n_r)
        gap.append(n_r - n_p)
        level = p.gamma + eps
        pair = sim._Pair(m, 0)
        for rule in ("argmax", "weakest"):
            table = pair.table(rule, p.beta if rule == "weakest" else None)
            _, M_p, ctx_p = pair.greedy(n_p, 0, 0.0, table)
            b_p = pair.behavior(M_p, ctx_p)
            _, M_r, ctx_r = pair.greedy(n_r - n_p, ctx_p, M_p, table)
            b_r = pair.behavior(M_r, ctx_r)
            margins.append(level - b_r)
            if not b_r < level:
                rep_fail.append(_record(i, seed, m.K, p, eps, rule=rule, n_repaired=n_r,
                                        B_repaired=b_r, **{"gamma+eps": level}))
            if not b_p < level:
                pap_count[rule] += 1
                pap_pos[rule] += n_p > 0
                if len(pap_fail) < EXAMPLES:
                    pap_fail.append(_record(i, seed, m.K, p, eps, rule=rule, n_repaired=n_r,
                                            n_paper=n_p, B_paper=b_p, B_repaired=b_r,
                                            **{"gamma+eps": level}))
                if example is None:
                    example = (m, p, eps, n_r, n_p, rule, f"random model #{i}")
        if tight["models"] < tight_models and n_r <= tight_max:
            _tightness(m, p, eps, n_r, tight)
    planted, planted_total, planted_rep, planted_first = _planted_theorem1()
    stats: dict[str, Any] = {
        "qualifying models (Def. 3 measured)": qual,
        f"skipped (repaired length > {MAX_LENGTH})": skipped,
        "repaired length": _quantiles(lengths),
        "repaired minus printed length": _quantiles(gap),
        "min margin gamma+eps-B_P at repaired length": min(margins) if margins else "n/a",
        "repaired_failure_count": len(rep_fail),
        "printed-length failures, greedy argmax": pap_count["argmax"],
        "printed-length failures, greedy weakest": pap_count["weakest"],
        "  of which printed length >= 1 (argmax, weakest)": [pap_pos["argmax"],
                                                             pap_pos["weakest"]],
        "tightness models": tight["models"],
        "repaired / greedy-min length": _quantiles(tight["ratio_rep_greedy"]),
        "repaired / exhaustive-min length": _quantiles(tight["ratio_rep_exhaustive"]),
        "greedy-min minus exhaustive-min": _quantiles(tight["greedy_minus_exhaustive"]),
        "DP exhaustive checked by brute force (K<=3)":
            f"{tight['brute_force_agree']}/{tight['brute_force_checked']} lengths agree",
        "planted worst cases (exact Fractions)": planted_total,
        "planted: printed length fails": len(planted),
        "planted: repaired length fails": planted_rep,
    }
    pap_fail += planted[:EXAMPLES]
    notes = ["printed length: (log((1-a)/a) + log(g'/eps))/beta; repaired: log((1+g'-eps)/eps) "
             "(symbolic/bounds.py); g' = -gamma",
             "greedy 'weakest' takes the least log ratio >= beta at each step, so M_n is close to "
             "n*beta and the bound is nearly tight on the planted family"]
    plot_data = None
    if example is not None:
        m, p, eps, n_r, n_p, rule, label = example
        plot_data = _greedy_plot(m, p, eps, n_r, n_p, rule, f"Theorem 1, {label}")
    elif planted_first is not None:
        pf = planted_first
        m = sim.worst_case_pair(pf["rho"], Fraction(pf["gamma"]).limit_denominator(100),
                                Fraction(pf["alpha"]).limit_denominator(10**7))
        p = sim.split_parameters(m, 0)
        plot_data = _greedy_plot(m, p, pf["eps"], pf["n_repaired"], pf["n_paper"], "argmax",
                                 "Theorem 1, planted worst case")
    return SimResult("theorem1", seed, models, stats, rep_fail[:EXAMPLES], pap_fail, notes,
                     plot_data)


def _tightness(m: sim.Mixture, p: sim.SplitParams, eps: float, n_r: int,
               tight: dict[str, Any]) -> None:
    level = p.gamma + eps
    pair = sim._Pair(m, 0)
    table = pair.table("argmax", None)
    traj = [pair.behavior(0.0, 0)]
    M, ctx = 0.0, 0
    for _ in range(n_r):
        _, M, ctx = pair.greedy(1, ctx, M, table)
        traj.append(pair.behavior(M, ctx))
    dp = sim.min_behavior_by_length(m, 0, n_r)
    n_g = _first_below(traj, level)
    n_e = _first_below(dp, level)
    if n_g is None or n_e is None:
        return
    tight["models"] += 1
    tight["ratio_rep_greedy"].append(n_r / max(n_g, 1))
    tight["ratio_rep_exhaustive"].append(n_r / max(n_e, 1))
    tight["greedy_minus_exhaustive"].append(n_g - n_e)
    if m.K <= 3:
        for n in range(0, n_r + 1):
            if m.K ** n > 20_000:
                break
            tight["brute_force_checked"] += 1
            bf = sim.exhaustive_min_behavior(m, n)[0]
            tight["brute_force_agree"] += abs(bf - dp[n]) <= 1e-9


def _greedy_plot(m: sim.Mixture, p: sim.SplitParams, eps: float, n_r: int, n_p: int,
                 rule: str, title: str) -> PlotData:
    g = sim.greedy_prompt(m, p.bad, max(n_r + 5, int(1.3 * n_r)), rule=rule)  # type: ignore[arg-type]
    traj = sim.behavior_trajectory(m, g.sentences)
    xs = list(range(len(traj)))
    return PlotData(title=f"{title} (greedy {rule})", xlabel="prompt length n (sentences)",
                    series=[("B_P(greedy prompt of length n)", xs, traj.tolist())],
                    hlines=[("gamma + eps", float(p.gamma) + eps), ("gamma", float(p.gamma))],
                    vlines=[("repaired length", n_r), ("printed length", n_p)])


# --------------------------------------------------------------------------------- theorem 2


def _planted_theorem2() -> tuple[list[dict[str, Any]], int, int]:
    """Planted worst cases with an aligning s0: ``worst_case_pair`` with ``delta = 1e-6``.

    s0 = sentence 1 repeated m times has ``M0 = m log(delta/(1-rho)) = -m c`` (Lemma B's worst
    case) and each greedy sentence 0 gains ``log((1-delta)/rho)``, barely above beta.
    """
    fails: list[dict[str, Any]] = []
    total = rep_fail = 0
    delta = Fraction(1, 10**6)
    for rho in (Fraction(1, 2), Fraction(1, 8)):
        for gamma in (Fraction(-1, 4), Fraction(-3, 4)):
            for eps in (Fraction(1, 20), Fraction(1, 4)):
                for alpha in (Fraction(1, 100), Fraction(1, 10**5)):
                    for mlen in (1, 3):
                        m = sim.worst_case_pair(rho, gamma, alpha, delta)
                        p = sim.split_parameters(m, 0)
                        kw = {"alpha": float(alpha), "beta": p.beta, "gamma": float(gamma),
                              "eps": float(eps), "c": p.c, "s0": mlen}
                        n_r = bound_length("theorem2", **kw)
                        n_p = bound_length("theorem2", paper=True, **kw)
                        s0 = [1] * mlen
                        b_r = sim.behavior(m, s0 + [0] * n_r, exact=True)
                        b_p = sim.behavior(m, s0 + [0] * n_p, exact=True)
                        total += 1
                        rep_fail += not b_r < gamma + eps
                        if not b_p < gamma + eps:
                            fails.append({"rho": rho, "delta": delta, **kw, "n_repaired": n_r,
                                          "n_paper": n_p, "B_paper": b_p, "B_repaired": b_r,
                                          "gamma+eps": gamma + eps})
    return fails, total, rep_fail



def theorem2(seed: int = 0, models: int = 1000) -> SimResult:
    """Theorem 2: an initial prompt s0 of m = 1..8 sentences, then the greedy prompt.

    Two kinds of s0: ``random`` (uniform sentences) and ``aligning`` (greedy towards P+, the
    adversary's worst start).  Length with |s0| = m and the measured c.
    """
    _check_run(seed, models)
    qual = skipped = 0
    rep_fail: list[dict[str, Any]] = []
    pap_fail: list[dict[str, Any]] = []
    pap_count = {"random": 0, "aligning": 0}
    lemma_b_slack: list[float] = []
    margins: list[float] = []
    example = None
    for i in range(models):
        m, rng = pair_model(seed, 2, i)
        eps = float(rng.uniform(0.01, 0.5))
        mlen = int(rng.integers(1, 9))
        p = sim.split_parameters(m, 0)
        if not (p.meets_definition3() and math.isfinite(p.c)):
            continue
        qual += 1
        kw = {"alpha": p.alpha, "beta": p.beta, "gamma": p.gamma, "eps": eps, "c": p.c,
              "s0": mlen}
        n_r = bound_length("theorem2", **kw)
        n_p = bound_length("theorem2", paper=True, **kw)
        if n_r > MAX_LENGTH:
            skipped += 1
            continue
        pair = sim._Pair(m, 0)
        table = pair.table("argmax", None)
        level = p.gamma + eps
        starts = {"random": [int(x) for x in rng.integers(0, m.K, mlen)],
                  "aligning": pair.greedy(mlen, 0, 0.0, pair.table("argmax", None, "good"))[0]}
        for kind, s0 in starts.items():
            lp = sim.log_prob_components(m, s0)
            M0 = float(lp[0] - lp[1])
            lemma_b_slack.append(M0 + mlen * p.c)
            ctx0 = s0[-1] + 1
            _, M_p, ctx_p = pair.greedy(n_p, ctx0, M0, table)
            b_p = pair.behavior(M_p, ctx_p)
            _, M_r, ctx_r = pair.greedy(n_r - n_p, ctx_p, M_p, table)
            b_r = pair.behavior(M_r, ctx_r)
            margins.append(level - b_r)
            if not b_r < level:
                rep_fail.append(_record(i, seed, m.K, p, eps, s0=kind, m=mlen, n_repaired=n_r,
                                        B_repaired=b_r, **{"gamma+eps": level}))
            if not b_p < level:
                pap_count[kind] += 1
                if len(pap_fail) < EXAMPLES:
                    pap_fail.append(_record(i, seed, m.K, p, eps, s0=kind, m=mlen,
                                            n_repaired=n_r, n_paper=n_p, B_paper=b_p,
                                            B_repaired=b_r, **{"gamma+eps": level}))
                if example is None or example[-1] != "fail":
                    example = (m, p, eps, s0, n_r, n_p, i, "fail")
            if example is None:
                example = (m, p, eps, s0, n_r, n_p, i, "first")
    planted, planted_total, planted_rep = _planted_theorem2()
    pap_fail += planted[:EXAMPLES]
    stats = {
        "qualifying models (Def. 3 + finite c)": qual,
        f"skipped (repaired length > {MAX_LENGTH})": skipped,
        "Lemma B slack M0 + m c (must be >= 0)": _quantiles(lemma_b_slack),
        "min margin gamma+eps-B_P at repaired length": min(margins) if margins else "n/a",
        "repaired_failure_count": len(rep_fail),
        "printed-length failures, random s0": pap_count["random"],
        "printed-length failures, aligning s0": pap_count["aligning"],
        "planted worst cases, aligning s0 (exact Fractions)": planted_total,
        "planted: printed length fails": len(planted),
        "planted: repaired length fails": planted_rep,
    }
    plot_data = None
    if example is not None:
        m, p, eps, s0, n_r, n_p, i, _ = example
        g = sim.greedy_prompt(m, 0, n_r + 5, start=s0)
        traj = sim.behavior_trajectory(m, list(s0) + list(g.sentences))[len(s0):]
        plot_data = PlotData(f"Theorem 2, random model #{i}, |s0| = {len(s0)}",
                             "adversarial prompt length |s1| (sentences)",
                             [("B_P(s0 + greedy s1)", list(range(len(traj))), traj.tolist())],
                             [("gamma + eps", p.gamma + eps)],
                             [("repaired length", n_r), ("printed length", n_p)])
    return SimResult("theorem2", seed, models, stats, rep_fail[:EXAMPLES], pap_fail,
                     ["printed: (|s0| c + log((1-a)/a) + log(g'/eps))/beta; repaired: "
                      "log((1+g'-eps)/eps)"], plot_data)


# --------------------------------------------------------------------------------- theorem 3


def theorem3(seed: int = 0, models: int = 1000) -> SimResult:
    """Theorem 3: conversations of q greedy user sentences and one sampled model reply per turn."""
    _check_run(seed, models)
    qual = skipped = 0
    rep_fail: list[dict[str, Any]] = []
    pap_fail: list[dict[str, Any]] = []
    pap_count = {"argmax": 0, "weakest": 0}
    resist: list[float] = []
    conv_vs_prompt: list[float] = []
    margins: list[float] = []
    example = None
    for i in range(models):
        m, rng = pair_model(seed, 3, i)
        eps = float(rng.uniform(0.01, 0.5))
        p = sim.split_parameters(m, 0)
        if not (p.meets_definition3() and math.isfinite(p.c)):
            continue
        qual += 1
        kw = {"alpha": p.alpha, "beta": p.beta, "gamma": p.gamma, "eps": eps, "c": p.c}
        q_r, t_r = theorem3_turns(paper=False, **kw)
        q_p, t_p = theorem3_turns(paper=True, **kw)
        if q_r * t_r > MAX_LENGTH or q_p * t_p > MAX_LENGTH:
            skipped += 1
            continue
        pair = sim._Pair(m, 0)
        level = p.gamma + eps
        for rule in ("argmax", "weakest"):
            table = pair.table(rule, p.beta if rule == "weakest" else None)
            conv = sim._conversation(pair, q_r, t_r, rng, table)
            b_r = conv.behaviors[-1] if conv.behaviors else pair.behavior(0.0, 0)
            margins.append(level - b_r)
            if not b_r < level:
                rep_fail.append(_record(i, seed, m.K, p, eps, rule=rule, q=q_r, turns=t_r,
                                        B_repaired=b_r, **{"gamma+eps": level}))
            conv_p = sim._conversation(pair, q_p, t_p, rng, table)
            b_p = conv_p.behaviors[-1] if conv_p.behaviors else pair.behavior(0.0, 0)
            if not b_p < level:
                pap_count[rule] += 1
                if len(pap_fail) < EXAMPLES:
                    pap_fail.append(_record(i, seed, m.K, p, eps, rule=rule, q_repaired=q_r,
                                            turns_repaired=t_r, q_paper=q_p, turns_paper=t_p,
                                            B_paper=b_p, **{"gamma+eps": level}))
            if rule == "argmax":
                resist.append(_resistance(pair, conv))
                t_first = _first_below(conv.behaviors, level)
                g = sim.greedy_prompt(m, 0, q_r * t_r)
                n_single = _first_below(sim.behavior_trajectory(m, g.sentences), level)
                if t_first is not None and n_single:
                    conv_vs_prompt.append((t_first + 1) * q_r / n_single)
                if example is None:
                    example = (m, p, eps, q_r, t_r, q_p, t_p, i, conv)
    stats = {
        "qualifying models (Def. 3 + finite c)": qual,
        f"skipped (a length > {MAX_LENGTH})": skipped,
        "min margin gamma+eps-B_P after the last reply": min(margins) if margins else "n/a",
        "repaired_failure_count": len(rep_fail),
        "printed-length failures, greedy argmax": pap_count["argmax"],
        "printed-length failures, greedy weakest": pap_count["weakest"],
        "fraction of model replies that lower log P-/P+ (resistance)": _quantiles(resist),
        "user sentences to misalign in conversation / in one prompt": _quantiles(conv_vs_prompt),
    }
    plot_data = None
    if example is not None:
        m, p, eps, q_r, t_r, q_p, t_p, i, conv = example
        xs = [q_r * (t + 1) for t in range(len(conv.behaviors))]
        plot_data = PlotData(f"Theorem 3, random model #{i}, q = {q_r} user sentences per turn",
                             "user sentences so far",
                             [("B_P after each model reply", xs, list(conv.behaviors))],
                             [("gamma + eps", p.gamma + eps)],
                             [("repaired total", q_r * t_r), ("printed total", q_p * t_p)])
    return SimResult("theorem3", seed, models, stats, rep_fail[:EXAMPLES], pap_fail,
                     ["repaired: q = floor(c/beta)+2 per turn, floor(T1 beta/(beta q - c))+1 turns; "
                      "printed: q = floor(c/beta+1)+1, floor((log(1/eps)+log((1-a)/a))/beta)+1 "
                      "turns; model replies sampled with the model's numpy Generator"], plot_data)


def _resistance(pair: sim._Pair, conv: sim.Conversation) -> float:
    """Fraction of model replies whose log-ratio increment is negative."""
    ctx = 0
    neg = tot = 0
    for s, role in zip(conv.sentences, conv.roles, strict=True):
        if role == "model":
            tot += 1
            neg += pair.lr_l[ctx][s] < 0
        ctx = s + 1
    return neg / tot if tot else 0.0


# --------------------------------------------------------------------------------- theorem 4


def theorem4(seed: int = 0, models: int = 1000, *, tries: int = 8) -> SimResult:
    """Theorem 4 with Lemma 1: prompts sampled from the ill-behaved target persona.

    Measured: alpha = w_target, beta = min over other personas of the Martingale
    distinguishability, gamma = sup B_target, c = max similarity to the others.  At the repaired
    length a prompt is sampled until Lemma 1's condition (every ``P_phi/P_target < eps'``) holds
    (at most ``tries``); such a prompt must give ``B_P < gamma + eps``.  The proof step
    "ratio < eps' => B_P <= gamma + eps" (Appendix F) is also checked at the first prefix that
    meets it, for the repaired ``eps' = alpha eps/(2(1+g'))`` and the printed ``2 alpha eps/g'``.
    """
    _check_run(seed, models)
    qual = skipped = 0
    rep_fail: list[dict[str, Any]] = []
    pap_fail: list[dict[str, Any]] = []
    first_try = found = not_found = 0
    b_rep_ok = b_pap_ok = 0
    step_pap_fail = step_rep_fail = step_pap_checked = 0
    lengths: list[int] = []
    example = None
    for i in range(models):
        m, rng = persona_model(seed, i)
        eps = float(rng.uniform(0.05, 0.5))
        alpha = float(m.weights[0])
        betas = sim.martingale_distinguishability(m, 0)
        beta = min(betas.values())
        gamma = float(sim.sup_behavior(m, 0))
        c = max(sim.similarity(m, 0, j) for j in betas)
        if not (gamma < 0 and beta > 0 and math.isfinite(c)):
            continue
        qual += 1
        kw = {"alpha": alpha, "beta": beta, "gamma": gamma, "eps": eps, "c": c,
              "phi": m.n_personas}
        n_r = bound_length("theorem4", **kw)
        n_p = bound_length("theorem4", paper=True, **kw)
        if n_r > MAX_LENGTH:
            skipped += 1
            continue
        lengths.append(n_r)
        gp = -gamma
        log_eps_r = math.log(alpha * eps / (2 * (1 + gp)))
        log_eps_p = math.log(2 * alpha * eps / gp)
        level = gamma + eps
        cum = sim._cum_lists(sim._context_rows_f(m.personas[0]))
        n_max = max(n_r, n_p)
        ok_prompt = None
        for r in range(tries):
            path = np.asarray(sim._sample_path(cum, n_max, rng), dtype=np.intp)
            lp, traj = sim._trajectory(m, path)
            ratio = np.max(lp[1:] - lp[0], axis=0)  # max over other personas, every prefix
            if r == 0:
                b_rep_ok += traj[n_r] < level
                b_pap_ok += traj[n_p] < level
                if not traj[n_p] < level and len(pap_fail) < EXAMPLES:
                    pap_fail.append({"model": f"#{i} (seed {seed})", **kw, "n_paper": n_p,
                                     "B_paper": float(traj[n_p]), "gamma+eps": level})
                # Appendix F's step at the first prefix meeting each eps'
                t_p = _first_below(ratio, log_eps_p)
                if t_p is not None:
                    step_pap_checked += 1
                    if not traj[t_p] < level:
                        step_pap_fail += 1
                        if example is None or example[-1] is None:
                            example = (m, i, path, kw, n_r, n_p, t_p)
                t_r = _first_below(ratio, log_eps_r)
                if t_r is not None and not traj[t_r] < level:
                    step_rep_fail += 1
                    rep_fail.append({"model": f"#{i} (seed {seed})", **kw, "prefix": t_r,
                                     "B": float(traj[t_r]), "gamma+eps": level,
                                     "what": "ratio < repaired eps' but B_P >= gamma+eps"})
            if ratio[n_r] < log_eps_r:
                ok_prompt = traj[n_r]
                first_try += r == 0
                break
        if ok_prompt is None:
            not_found += 1
        else:
            found += 1
            if not ok_prompt < level:
                rep_fail.append({"model": f"#{i} (seed {seed})", **kw, "n_repaired": n_r,
                                 "B_repaired": float(ok_prompt), "gamma+eps": level})
        if example is None and qual == 1:
            example = (m, i, path, kw, n_r, n_p, None)
    stats = {
        "qualifying models (Def. 5 measured, finite c)": qual,
        f"skipped (repaired length > {MAX_LENGTH})": skipped,
        "repaired length": _quantiles(lengths),
        "Lemma 1 condition met by the first sampled prompt": first_try,
        f"Lemma 1 prompt found (<= {tries} tries)": found,
        "Lemma 1 prompt not found (not a refutation: the lemma is existential)": not_found,
        "first sampled prompt misaligns at repaired length": b_rep_ok,
        "first sampled prompt misaligns at printed length": b_pap_ok,
        "repaired_failure_count": len(rep_fail),
        "App. F step with printed eps': prefixes checked": step_pap_checked,
        "App. F step with printed eps': B_P >= gamma+eps (step fails)": step_pap_fail,
        "App. F step with repaired eps': failures": step_rep_fail,
    }
    plot_data = None
    if example is not None:
        m, i, path, kw, n_r, n_p, t_p = example
        traj = sim.behavior_trajectory(m, path)
        v = [("repaired length", n_r), ("printed length", n_p)]
        if t_p is not None:
            v.append(("first prefix with ratio < printed eps'", t_p))
        plot_data = PlotData(f"Theorem 4, random persona mixture #{i} ({m.n_personas} personas)",
                             "prompt length (sentences sampled from the target persona)",
                             [("B_P(prefix)", list(range(len(traj))), traj.tolist())],
                             [("gamma + eps", kw["gamma"] + kw["eps"])], v, xscale="symlog")
    return SimResult("theorem4", seed, models, stats, rep_fail[:EXAMPLES], pap_fail,
                     ["the 32 (c/beta)^2 log|Phi| term dominates both lengths, so the printed "
                      "eps' = 2 alpha eps/g' rarely changes the length; the App. F step is "
                      "checked directly at the first prefix meeting the ratio condition"],
                     plot_data)


# ----------------------------------------------------------------------------- proposition 1


def proposition1(seed: int = 0, models: int = 1000) -> SimResult:
    """Proposition 1: after a greedy misaligning prompt s0, B_P < gamma/2 while |s1| is short.

    s0: the greedy (argmax) prompt, long enough that the repaired bound is at least 1.  Then
    ``a1 ⊕ q1 ⊕ ...``: model sentences sampled, user sentences realigning (argmax of
    log P+/P-) or sampled from P+.  The repaired claim: ``B_P < gamma/2`` for every
    ``|s1| <=`` the repaired length; the printed one likewise under ``B_P(s0) <= gamma``.
    """
    _check_run(seed, models)
    qual = skipped = 0
    rep_fail: list[dict[str, Any]] = []
    pap_fail: list[dict[str, Any]] = []
    pap_count = {"realign": 0, "sample": 0}
    hyp = longer = 0
    ratios: list[float] = []
    example = None
    for i in range(models):
        m, rng = pair_model(seed, 5, i)
        p = sim.split_parameters(m, 0)
        if not (p.meets_definition3() and math.isfinite(p.c)):
            continue
        gp = -p.gamma
        need = (p.c + math.log((1 - p.alpha) / p.alpha) + math.log((2 + gp) / gp)) / p.beta
        L = math.floor(need) + 1 + int(rng.integers(0, 2 * math.ceil(p.c / p.beta) + 2))
        if L > MAX_LENGTH:
            skipped += 1
            continue
        qual += 1
        kw = {"alpha": p.alpha, "beta": p.beta, "gamma": p.gamma, "c": p.c, "s0": L}
        n_r = bound_length("proposition1", **kw)
        n_p = bound_length("proposition1", paper=True, **kw)
        longer += n_p > n_r
        pair = sim._Pair(m, 0)
        s0, M0, ctx0 = pair.greedy(L, 0, 0.0, pair.table("argmax", None))
        b0 = pair.behavior(M0, ctx0)
        hyp_ok = b0 <= p.gamma
        hyp += hyp_ok
        level = p.gamma / 2
        for user in ("realign", "sample"):
            cont = sim._continuation(pair, M0, ctx0, max(n_r, n_p), rng, user)
            b = cont.behaviors
            if any(not x < level for x in b[:n_r + 1]):
                t = next(t for t, x in enumerate(b[:n_r + 1]) if not x < level)
                rep_fail.append(_record(i, seed, m.K, p, math.nan, user=user, s0=L,
                                        n_repaired=n_r, at=t, B=b[t], **{"gamma/2": level}))
            if hyp_ok and any(not x < level for x in b[:n_p + 1]):
                t = next(t for t, x in enumerate(b[:n_p + 1]) if not x < level)
                pap_count[user] += 1
                if len(pap_fail) < EXAMPLES:
                    pap_fail.append(_record(i, seed, m.K, p, math.nan, user=user, s0=L,
                                            n_repaired=n_r, n_paper=n_p, at=t, B=b[t],
                                            **{"gamma/2": level}))
                if example is None or example[-1] != "fail":
                    example = (m, p, s0, n_r, n_p, i, user, cont, "fail")
            if example is None and n_r > 0:
                example = (m, p, s0, n_r, n_p, i, user, cont, "first")
        if n_r:
            ratios.append(n_r / L)
    stats = {
        "qualifying models (Def. 3 + finite c)": qual,
        f"skipped (|s0| > {MAX_LENGTH})": skipped,
        "greedy s0 meets the printed hypothesis B_P(s0) <= gamma": hyp,
        "repaired |s1| / |s0|": _quantiles(ratios),
        "printed bound longer than repaired (the only way it can fail)": longer,
        "repaired_failure_count": len(rep_fail),
        "printed-length failures, realigning user": pap_count["realign"],
        "printed-length failures, sampled user": pap_count["sample"],
    }
    plot_data = None
    if example is not None:
        m, p, s0, n_r, n_p, i, user, cont, _ = example
        cont = sim.continuation(m, 0, s0, 3 * max(n_r, n_p) + 10, seed=seed, user=user)
        plot_data = PlotData(f"Proposition 1, random model #{i}, |s0| = {len(s0)} ({user} user)",
                             "continuation length |s1| (sentences)",
                             [("B_P(s0 + s1)", list(range(len(cont.behaviors))),
                               list(cont.behaviors))],
                             [("gamma/2", p.gamma / 2), ("gamma", p.gamma)],
                             [("repaired bound", n_r), ("printed bound", n_p)])
    return SimResult("proposition1", seed, models, stats, rep_fail[:EXAMPLES], pap_fail,
                     ["printed: |s1| < (beta/c)|s0| + log(a/(1-a)); repaired: (beta|s0| + "
                      "log(a/(1-a)) + log(g'/(2+g')))/c"], plot_data)


# -------------------------------------------------------------------------------- corollary 1


def corollary_model(rng: np.random.Generator, k: float, rho: float = 0.6) -> sim.Mixture:
    """Three personas over six sentences: good G, a bad component D, a toxic persona X.

    Scores ``(1, 0.6, -0.5, -0.7, -0.9, -1)``.  X has prior ``w = 10**-k`` and puts all but
    ``~exp(-kappa)`` of its mass on the toxic sentences 4, 5 that G and D say with probability
    ``~exp(-kappa)``, ``kappa = rho log(1/w) + 1``: its distinguishability grows like
    ``log(1/w)`` (Corollary 1's hypothesis).  D has the larger prior ``0.3 * 10**(-k/2)`` and a
    small, fixed distinguishability from G.  Rows get multiplicative Gamma(50) noise.
    """
    w = 10.0 ** -k
    kappa = rho * math.log(1 / w) + 1
    t = math.exp(-kappa)
    base = {
        "G": [0.55, 0.35, 0.05, 0.05, t, t],
        "D": [0.12, 0.08, 0.4, 0.4, t, t],
        "X": [t, t, t, t, 0.5, 0.5],
    }
    ps = []
    for name, row in base.items():
        r = np.array(row) * rng.gamma(50, 1 / 50, size=(7, 6))
        r /= r.sum(axis=1, keepdims=True)
        ps.append(sim.Persona(r[0], r[1:], name=name))
    a_d = 0.3 * 10.0 ** (-k / 2)
    return sim.Mixture(ps, [1 - a_d - w, a_d, w], [1, 0.6, -0.5, -0.7, -0.9, -1])


def corollary1(seed: int = 0, models: int = 1000, *, levels: tuple[int, ...] = (1, 2, 3, 4, 5,
                                                                                  6, 7, 8),
               n_max: int = 400) -> SimResult:
    """Corollary 1: invoking a low-prior, highly distinguishable persona vs a bad component.

    For each ``k`` (X's prior ``10**-k``; D's ``0.3 * 10**(-k/2)``): the shortest greedy
    persona prompt (each sentence maximises the target's posterior) that gives
    ``B_P < gamma + eps`` when targeting X ("persona") and D ("direct"), ``gamma`` the larger
    of sup B_X and sup B_D, ``eps = 0.1``; and Theorem 4's repaired length for each target.
    ``models`` is spread over the levels (at most 40 per level).
    """
    _check_run(seed, models)
    per = max(2, min(40, models // len(levels)))
    rows: list[dict[str, Any]] = []
    example = None
    for k in levels:
        pers: list[int] = []
        direct: list[int] = []
        bx: list[float] = []
        bd: list[float] = []
        never = bad_gamma = 0
        bound_x: list[int] = []
        bound_d: list[int] = []
        for i in range(per):
            rng = np.random.default_rng([seed, 6, k, i])
            m = corollary_model(rng, k)
            gam = max(float(sim.sup_behavior(m, 2)), float(sim.sup_behavior(m, 1)))
            if not gam < 0:  # Definition 5 needs gamma in [-1, 0)
                bad_gamma += 1
                continue
            level = gam + 0.1
            lens = []
            for target in (2, 1):
                _, traj = sim.persona_greedy_prompt(m, target, n_max, stop_below=level)
                lens.append(_first_below(traj, level))
            bxk = min(sim.martingale_distinguishability(m, 2).values())
            bdk = min(sim.martingale_distinguishability(m, 1).values())
            bx.append(bxk)
            bd.append(bdk)
            for target, b_, out in ((2, bxk, bound_x), (1, bdk, bound_d)):
                c = max(sim.similarity(m, target, j) for j in range(3) if j != target)
                out.append(bound_length("theorem4", alpha=float(m.weights[target]), beta=b_,
                                        gamma=gam, eps=0.1, c=c, phi=3))
            if lens[0] is None or lens[1] is None:
                never += 1
                continue
            pers.append(lens[0])
            direct.append(lens[1])
            if example is None and k == levels[-1]:
                example = (m, level, k)
        rows.append({"k": k, "w_X": 10.0 ** -k, "beta_X": statistics.median(bx),
                     "beta_D": statistics.median(bd),
                     "persona length (median)": statistics.median(pers) if pers else None,
                     "direct length (median)": statistics.median(direct) if direct else None,
                     "persona shorter": sum(a < b for a, b in zip(pers, direct, strict=True)),
                     "models": per, "skipped (gamma >= 0)": bad_gamma,
                     "no success within n_max": never,
                     "Thm 4 bound X (median)": statistics.median(bound_x),
                     "Thm 4 bound D (median)": statistics.median(bound_d)})
    stats: dict[str, Any] = {f"k={r['k']}": {kk: v for kk, v in r.items() if kk != "k"}
                             for r in rows}
    plot_data = None
    if example is not None:
        m, level, k = example
        series = []
        for target, label in ((2, "persona X"), (1, "direct D")):
            _, traj = sim.persona_greedy_prompt(m, target, 60)
            series.append((f"B_P, greedy toward {label}", list(range(len(traj))), traj.tolist()))
        plot_data = PlotData(f"Corollary 1, k = {k} (w_X = 1e-{k})", "prompt length (sentences)",
                             series, [("gamma + eps", level)])
    return SimResult("corollary1", seed, per * len(levels), stats, [], [],
                     ["the greedy persona prompt is a heuristic adversary (no length guarantee); "
                      "Theorem 4's bounds are dominated by 32 (c/beta)^2 log|Phi|"], plot_data)


# ------------------------------------------------------------------------------- conjecture 1


def conjecture1(seed: int = 0, models: int = 1000,
                etas: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0)) -> SimResult:
    """Conjecture 1: does an alignment-tuning step (``simulator.tilt``) increase beta?

    For random qualifying two-persona models and each eta: the fractions with beta increased /
    decreased, alpha decreased, both (alpha down and beta up), the split still meeting
    Definition 3, and the repaired Theorem 1 length (eps = 0.1) shorter after tuning.
    """
    _check_run(seed, models)
    table: dict[float, dict[str, Any]] = {
        eta: {"models": 0, "beta up": 0, "beta down": 0, "alpha down": 0,
              "alpha down and beta up": 0, "still Def. 3": 0, "Thm 1 length shorter": 0,
              "beta ratio": []} for eta in etas}
    example = None
    for i in range(models):
        m, _ = pair_model(seed, 7, i)
        p = sim.split_parameters(m, 0)
        if not p.meets_definition3():
            continue
        n0 = bound_length("theorem1", alpha=p.alpha, beta=p.beta, gamma=p.gamma, eps=0.1)
        for eta in etas:
            mt = sim.tilt(m, eta)
            q = sim.split_parameters(mt, 0)
            row = table[eta]
            row["models"] += 1
            row["beta up"] += q.beta > p.beta
            row["beta down"] += q.beta < p.beta
            row["alpha down"] += q.alpha < p.alpha
            row["alpha down and beta up"] += q.alpha < p.alpha and q.beta > p.beta
            row["beta ratio"].append(q.beta / p.beta)
            if q.meets_definition3():
                row["still Def. 3"] += 1
                n1 = bound_length("theorem1", alpha=q.alpha, beta=q.beta, gamma=q.gamma,
                                  eps=0.1)
                row["Thm 1 length shorter"] += n1 < n0
                if example is None and q.beta > p.beta and q.alpha < p.alpha and n1 < n0:
                    example = (m, mt, p, q, eta, n0, n1, i)
    stats: dict[str, Any] = {}
    for eta, row in table.items():
        n = max(row["models"], 1)
        stats[f"eta={eta:g}"] = {
            "models": row["models"],
            "beta up": row["beta up"] / n, "beta down": row["beta down"] / n,
            "alpha down": row["alpha down"] / n,
            "alpha down and beta up": row["alpha down and beta up"] / n,
            "still Def. 3": row["still Def. 3"] / n,
            "Thm 1 length shorter": row["Thm 1 length shorter"] / n,
            "median beta after/before": statistics.median(row["beta ratio"])
            if row["beta ratio"] else math.nan}
    plot_data = None
    if example is not None:
        m, mt, p, q, eta, n0, n1, i = example
        series = []
        for mod, par, lab in ((m, p, "before"), (mt, q, f"after tilt eta={eta:g}")):
            g = sim.greedy_prompt(mod, 0, max(n0, n1) + 5)
            tr = sim.behavior_trajectory(mod, g.sentences)
            series.append((f"B_P {lab} (beta={par.beta:.3g}, alpha={float(par.alpha):.3g})",
                           list(range(len(tr))), tr.tolist()))
        plot_data = PlotData(f"Conjecture 1, random model #{i}", "greedy prompt length",
                             series, [("gamma + 0.1 before", p.gamma + 0.1),
                                      ("gamma + 0.1 after", q.gamma + 0.1)],
                             [("Thm 1 repaired length before", n0),
                              ("Thm 1 repaired length after", n1)])
    return SimResult("conjecture1", seed, models, stats, [], [],
                     ["tilt: every next-sentence law p(s) -> p(s) exp(eta B(s))/Z and priors "
                      "w -> w Z_pi (the exact tilt of the first sentence); a local stand-in for "
                      "RLHF, not a sequence-level tilt"], plot_data)


# ------------------------------------------------------------------------------ plot and CLI


def plot(data: PlotData, path: str) -> None:
    """Draw ``data`` to ``path`` with matplotlib (Agg backend); the format follows the extension."""
    try:
        import matplotlib
    except ImportError:
        raise InputError("--plot needs matplotlib (pip install matplotlib)") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    d = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(d):
        raise InputError(f"--plot: directory {d} does not exist")
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    fig = plt.figure(figsize=(8, 4.8))
    if ext not in fig.canvas.get_supported_filetypes():
        plt.close(fig)
        raise InputError(f"--plot: unsupported file type {ext!r}; use one of "
                         + ", ".join(sorted(fig.canvas.get_supported_filetypes())))
    ax = fig.add_subplot(1, 1, 1)
    for label, xs, ys in data.series:
        ax.plot(xs, ys, marker="." if len(xs) <= 200 else None, label=label)
    if data.xscale != "linear":
        ax.set_xscale(data.xscale)
    colors = ["tab:red", "tab:gray", "tab:purple"]
    for j, (label, y) in enumerate(data.hlines):
        ax.axhline(y, linestyle="--", color=colors[j % 3], label=f"{label} = {y:.3g}")
    vcolors = ["tab:green", "tab:orange", "tab:brown"]
    for j, (label, x) in enumerate(data.vlines):
        ax.axvline(x, linestyle=":", color=vcolors[j % 3], label=f"{label} = {x:g}")
    ax.set_title(data.title)
    ax.set_xlabel(data.xlabel)
    ax.set_ylabel(data.ylabel)
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


EXPERIMENTS: dict[str, Callable[..., SimResult]] = {
    "theorem1": theorem1,
    "theorem2": theorem2,
    "theorem3": theorem3,
    "theorem4": theorem4,
    "proposition1": proposition1,
    "corollary1": corollary1,
    "conjecture1": conjecture1,
}


def _int_arg(name: str, raw: object, minimum: int) -> int:
    try:
        v = int(str(raw))
    except ValueError:
        raise InputError(f"{name} {raw!r} is not an integer") from None
    if v < minimum:
        raise InputError(f"{name} {v} must be at least {minimum}")
    return v


def main_simulate(args: argparse.Namespace) -> int:
    """Handler of ``bebcheck simulate``: run, print the summary, plot; 0 iff no repaired failure."""
    name = str(args.result).strip().lower().replace("-", "_")
    if name not in EXPERIMENTS:
        raise InputError(f"unknown result {args.result!r} to simulate; known: "
                         + ", ".join(EXPERIMENTS))
    seed = _int_arg("--seed", args.seed, 0)
    models = _int_arg("--models", args.models, 1)
    if args.plot:  # validate before the work
        d = os.path.dirname(os.path.abspath(args.plot))
        if not os.path.isdir(d):
            raise InputError(f"--plot: directory {d} does not exist")
        if os.path.isdir(args.plot):
            raise InputError(f"--plot: {args.plot} is a directory; give a file name")
        ext = os.path.splitext(args.plot)[1].lower().lstrip(".")
        if ext not in ("png", "svg", "pdf"):
            raise InputError(f"--plot: use a .png, .svg or .pdf file name; got {args.plot!r}")
    res = EXPERIMENTS[name](seed=seed, models=models)
    sys.stdout.write("\n".join(res.lines()) + "\n")
    if args.plot:
        if res.plot_data is None:
            raise InputError(f"{name}: no qualifying model to plot; try more --models")
        plot(res.plot_data, args.plot)
        sys.stdout.write(f"  plot: {args.plot}\n")
    return 0 if res.ok else 1


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``simulate RESULT [--seed N] [--models N] [--plot FILE]``; the handler is ``args.handler``."""
    p = subparsers.add_parser(
        "simulate", help="run the proofs' adversaries on random Markov persona mixtures")
    p.add_argument("result", metavar="RESULT", help="one of: " + ", ".join(EXPERIMENTS))
    p.add_argument("--seed", default="0", metavar="N", help="random seed (default 0)")
    p.add_argument("--models", default="1000", metavar="N",
                   help="random models to draw (default 1000)")
    p.add_argument("--plot", metavar="FILE", help="plot B_P against prompt length to FILE")
    p.set_defaults(handler=main_simulate)
    return p
