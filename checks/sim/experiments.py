"""Experiments on random and planted persona mixtures: do the repaired and printed lengths misalign?

Each experiment draws random models (model ``i`` of seed ``s`` comes from
``numpy.random.default_rng([s, tag, i])``, so any reported model can be rebuilt with
``pair_model``/``persona_model``), keeps those meeting the result's hypotheses with the
parameters *measured from the model* (``definitions.split_parameters``), runs the proof's
adversary for the repaired length (``bebcheck.proofs.beb_v1.bounds``, ``paper=False``) and for
the printed one (``paper=True``), and counts every failure in a ``Counts`` record.  The verdict
(``decide``) is computed from those counts; the report lines are rendered from the record.
"""

from __future__ import annotations

import enum
import itertools
import math
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any, Literal

import numpy as np
import sympy as sp

from bebcheck.proofs.beb_v1.best import BEST, TURN
from bebcheck.proofs.beb_v1.bounds import BOUNDS, bound, eps_prime, sentences_per_turn, symbols
from bebcheck.proofs.beb_v1.params import USER_PARAMS
from bebcheck.proofs.beb_v1.results import ResultId
from bebcheck.symbolic.errors import InputError

from .adversaries import (
    Conversation,
    Rule,
    _continuation,
    _conversation,
    _cum_lists,
    _Pair,
    _sample_path,
    continuation,
    exhaustive_min_behavior,
    greedy_prompt,
    min_behavior_by_length,
    persona_greedy_prompt,
)
from .definitions import (
    SplitParams,
    _check_gamma,
    martingale_distinguishability,
    similarity,
    split_parameters,
    sup_behavior,
)
from .models import (
    Mixture,
    Number,
    Persona,
    _context_rows_f,
    _trajectory,
    behavior,
    behavior_trajectory,
    log_prob_components,
    tilt,
)
from .plots import PlotData

__all__ = [
    "EXAMPLES",
    "EXPERIMENTS",
    "MAX_LENGTH",
    "Counts",
    "Planted",
    "SimResult",
    "Verdict",
    "bound_length",
    "conjecture1",
    "corollary1",
    "corollary_model",
    "decide",
    "pair_model",
    "persona_model",
    "proposition1",
    "random_pair",
    "random_personas",
    "theorem1",
    "theorem2",
    "theorem3",
    "theorem3_split",
    "theorem3_turns",
    "theorem4",
    "worst_case_pair",
    "worst_case_prop1",
]

MAX_LENGTH = 10_000
"""Models whose length exceeds this are not run (and counted in ``Counts.not_run``)."""

EXAMPLES = 5
"""Failures kept in full per kind."""

_REPLY = 1  # the simulator's model replies are one sentence (Theorem 3's A)
_RULES: tuple[Rule, ...] = ("argmax", "weakest")


# ------------------------------------------------------------------------------------ bounds

_LAMBDAS: dict[tuple[ResultId, bool], tuple[tuple[str, ...], Callable[..., Any]]] = {}


def _lambda(result: ResultId, paper: bool) -> tuple[tuple[str, ...], Callable[..., Any]]:
    key = (result, paper)
    if key not in _LAMBDAS:
        b = BOUNDS[result]
        syms = symbols()
        f = sp.lambdify([syms[k] for k in b.params], b.length_expr(paper=paper), modules="math")
        _LAMBDAS[key] = (b.params, f)
    return _LAMBDAS[key]


def _check_domains(result: str, params: dict[str, float]) -> None:
    """Each parameter in its domain (``USER_PARAMS``): alpha in (0, 1), gamma in [-1, 0), ..."""
    for name, v in params.items():
        p = USER_PARAMS[name]
        if not (math.isfinite(v) and p.contains(Fraction(v))):
            raise InputError(f"{result}: {name} = {v!r} {p.requirement()}")


def _evaluate(result: ResultId, names: tuple[str, ...], f: Callable[..., Any],
              params: dict[str, float], *more: int) -> int:
    """``f`` at ``params`` (checked against ``names`` and the domains), then ``more``."""
    if "reply" in names and "reply" not in params:
        params = {**params, "reply": _REPLY}
    missing = [k for k in names if k not in params]
    if missing:
        raise InputError(f"{result}: missing parameter(s) {', '.join(missing)}")
    extra = sorted(set(params) - set(names))
    if extra:
        raise InputError(f"{result}: unexpected parameter(s) {', '.join(extra)}")
    _check_domains(result, params)
    try:
        v = f(*[float(params[k]) for k in names], *more)
    except (ValueError, ZeroDivisionError, OverflowError) as e:
        raise InputError(f"{result}: the length is undefined at {params} ({e}); e.g. theorems "
                         "1-3 need 0 < alpha < 1 and eps < 1 + gamma'") from None
    return int(v)


def bound_length(result: str, *, paper: bool = False, **params: float) -> int:
    """``BOUNDS[result].length_expr(paper)`` at numeric parameters (alpha, beta, gamma, eps, c, s0, phi)."""
    rid = ResultId(bound(str(result)).result)
    names, f = _lambda(rid, paper)
    return _evaluate(rid, names, f, params)


def _exact(x: float) -> sp.Rational:
    """A float as the exact rational it stores."""
    return sp.Rational(*float(x).as_integer_ratio())


_T3_LAMBDAS: dict[bool, tuple[tuple[str, ...], Callable[..., Any]]] = {}


def _theorem3_lambda(paper: bool) -> tuple[tuple[str, ...], Callable[..., Any]]:
    """Theorem 3's length with ``q`` an argument: ``sentences_per_turn`` replaced by a symbol."""
    if paper not in _T3_LAMBDAS:
        syms = symbols()
        b = BOUNDS[ResultId.THEOREM3]
        q = sp.Symbol("q")
        per_turn = sentences_per_turn(syms["c"], syms["beta"], 1 if paper else syms["reply"])
        expr = b.length_expr(paper=paper).subs(per_turn, q)
        if q not in expr.free_symbols:  # the bound no longer spells q as sentences_per_turn
            raise RuntimeError(f"theorem3 (paper={paper}): q not found in {expr}")
        f = sp.lambdify([*(syms[k] for k in b.params), q], expr, modules="math")
        _T3_LAMBDAS[paper] = (b.params, f)
    return _T3_LAMBDAS[paper]


def theorem3_turns(*, paper: bool, alpha: float, beta: float, gamma: float, eps: float,
                   c: float, reply: int = _REPLY) -> tuple[int, int]:
    """Sentences per user turn and number of turns of Theorem 3 (total = ``length_expr``).

    ``q = bounds.sentences_per_turn(c, beta, A)`` evaluated exactly at the measured ``c`` and
    ``beta``, with replies of ``reply`` sentences (``A``; the printed ``|q_i| > c/beta + 1``
    has ``A = 1``); the total length is ``length_expr`` with that ``q``, the turns the total
    divided by ``q``.
    """
    q = int(sentences_per_turn(_exact(c), _exact(beta), 1 if paper else reply))
    names, f = _theorem3_lambda(paper)
    kw = {"alpha": alpha, "beta": beta, "gamma": gamma, "eps": eps, "c": c}
    total = _evaluate(ResultId.THEOREM3, names, f, kw if paper else {**kw, "reply": reply}, q)
    turns = round(total / q)
    if total < 2**50 and q * turns != total:  # beyond 2**50 the float floor is not exact
        raise InputError(f"theorem3: total length {total} is not a multiple of q = {q}")
    return q, turns


_BEST3: list[Callable[..., Any]] = []


def theorem3_split(*, alpha: float, beta: float, gamma: float, eps: float, c: float,
                   reply: int = _REPLY, turn: int = 0) -> list[int]:
    """The user turns' sizes of Theorem 3's best split (``best.BEST``): ``n`` turns of at most
    ``L`` sentences (``turn``; 0: the paper's ``floor(A c/beta) + 2``, evaluated exactly at the
    measured ``c`` and ``beta``), the last ones shortened; their sum is the best total."""
    if not _BEST3:
        syms = {**symbols(), "turn": TURN.sympy_symbol()}
        b = BEST[ResultId.THEOREM3]
        args = [syms[k] for k in b.params]
        _BEST3.append(sp.lambdify(args, [b.length_expr(), b.term("turns").expr],
                                  modules="math"))
    L = turn or int(sentences_per_turn(_exact(c), _exact(beta), reply))
    params = {"alpha": alpha, "beta": beta, "gamma": gamma, "eps": eps, "c": c, "reply": reply}
    _check_domains("theorem3", params)
    try:
        total, turns = (int(x) for x in _BEST3[0](alpha, beta, gamma, eps, c, reply, L))
    except (ValueError, ZeroDivisionError, OverflowError) as e:
        raise InputError(f"theorem3: the best length is undefined at {params} ({e})") from None
    sizes = [L] * turns
    if turns:
        sizes[-1] = total - L * (turns - 1)
    if turns and not 1 <= sizes[-1] <= L:  # CF.8: (n - 1) L < Q <= n L
        raise InputError(f"theorem3: {total} sentences do not split into {turns} turns of "
                         f"at most {L}")
    return sizes


_S0_ONE: list[Callable[..., Any]] = []


def _s0_for_one_sentence(p: SplitParams) -> float:
    """The ``|s0|`` at which Proposition 1's repaired threshold reaches 1 (it is linear in ``|s0|``)."""
    if not _S0_ONE:
        syms = symbols()
        x = sp.Symbol("x")
        t = BOUNDS[ResultId.PROPOSITION1].threshold.subs(syms["s0"], x)
        (root,) = sp.solve(sp.Eq(t, 1), x)
        _S0_ONE.append(sp.lambdify([syms[k] for k in ("alpha", "beta", "gamma", "c")], root,
                                   modules="math"))
    return float(_S0_ONE[0](p.alpha, p.beta, p.gamma, p.c))


def _bound_note(result: ResultId) -> str:
    b = BOUNDS[result]
    return f"printed: {b.paper_note}; repaired: {b.note} (proofs/beb_v1/bounds.py)"


# ------------------------------------------------------------------------------ random models


def random_pair(rng: np.random.Generator, K: int | None = None) -> Mixture:
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
    return Mixture([Persona(a[0], a[1:], name="P-"), Persona(b[0], b[1:], name="P+")],
                   [alpha, 1 - alpha], score)


def pair_model(seed: int, tag: int, i: int) -> tuple[Mixture, np.random.Generator]:
    """Model ``i`` of an experiment (``tag``: 1 theorem1, 2 theorem2, 3 theorem3, 5
    proposition1, 7 conjecture1) and the generator that continues its stream."""
    rng = np.random.default_rng([seed, tag, i])
    return random_pair(rng), rng


def random_personas(rng: np.random.Generator) -> Mixture:
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
        ps.append(Persona(d[0], d[1:], name=f"persona {j}"))
    w0 = 10 ** rng.uniform(-4, math.log10(0.3))
    rest = rng.dirichlet(np.ones(n - 1)) * (1 - w0)
    return Mixture(ps, np.concatenate([[w0], rest]), score)


def persona_model(seed: int, i: int) -> tuple[Mixture, np.random.Generator]:
    """Model ``i`` of the Theorem 4 experiment."""
    rng = np.random.default_rng([seed, 4, i])
    return random_personas(rng), rng


def corollary_model(rng: np.random.Generator, k: float, rho: float = 0.6) -> Mixture:
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
        ps.append(Persona(r[0], r[1:], name=name))
    a_d = 0.3 * 10.0 ** (-k / 2)
    return Mixture(ps, [1 - a_d - w, a_d, w], [1, 0.6, -0.5, -0.7, -0.9, -1])


def worst_case_pair(rho: Number, gamma: Number, alpha: Number, delta: Number = 0) -> Mixture:
    """A planted near-worst case for Theorems 1-3: two sentences, i.i.d. personas (``bad`` = 0).

    Sentence 0 is bad (``B = (gamma - delta)/(1 - delta)``), sentence 1 good (``B = +1``).
    ``P-`` says sentence 0 with probability ``1 - delta``; ``P+`` with probability ``rho``.  With
    ``delta = 0``: ``beta = log(1/rho)``, every greedy step gains exactly ``beta``,
    ``B_{P-} = gamma`` and ``B_{P+} = rho gamma + 1 - rho`` -- far above ``gamma``, so the
    behaviour of the mixture tracks the worst case of Appendix A and the paper's shorter length
    can fail.  Fractions in give an exact model.
    """
    one = Fraction(1) if all(isinstance(x, int | Fraction) for x in (rho, gamma, alpha, delta)) \
        else 1.0
    if not 0 < rho < 1:
        raise InputError(f"rho = {rho} must be in (0, 1)")
    if not 0 <= delta < 1:
        raise InputError(f"delta = {delta} must be in [0, 1)")
    if not 0 < alpha < 1:
        raise InputError(f"alpha = {alpha} must be in (0, 1)")
    _check_gamma(float(gamma))
    b0 = (gamma - delta) / (one - delta)
    if b0 < -1:
        raise InputError(f"gamma = {gamma} and delta = {delta} put the bad score below -1 "
                         "(need gamma >= 2 delta - 1)")
    pm = [one - delta, delta * one]
    pp = [rho * one, one - rho]
    return Mixture([Persona(pm, [pm, pm], name="P-"), Persona(pp, [pp, pp], name="P+")],
                   [alpha * one, one - alpha], [b0, one])


# ----------------------------------------------------------------------------------- records


class Verdict(enum.StrEnum):
    """What an experiment concludes about the repaired length."""

    HELD = "held"  # no repaired length failed, on random qualifying or planted models
    FAILED = "failed"  # a repaired length failed somewhere
    EXPLORATION = "exploration"  # the result has no explicit length to check


@dataclass(frozen=True)
class Counts:
    """The counts an experiment's verdict is decided from (``decide``).

    ``qualifying``: random models meeting the result's hypotheses with the measured parameters;
    ``not_run``: models not run because a length exceeds ``MAX_LENGTH`` -- counted among the
    qualifying ones, except for Proposition 1, whose ``|s0|`` is drawn before the run;
    ``repaired_failures`` / ``printed_failures``: runs on random models where the repaired /
    printed length failed (the printed ones per adversary variant); ``planted*``: the same on
    planted worst cases.
    """

    qualifying: int = 0
    not_run: int = 0
    repaired_failures: int = 0
    printed_failures: int = 0
    planted: int = 0
    planted_repaired_failures: int = 0
    planted_printed_failures: int = 0


def decide(result: ResultId, counts: Counts) -> Verdict:
    """FAILED iff a repaired length failed on a random or a planted model; EXPLORATION when the
    result has no explicit length (Corollary 1, Conjecture 1)."""
    if result not in BOUNDS:
        return Verdict.EXPLORATION
    if counts.repaired_failures or counts.planted_repaired_failures:
        return Verdict.FAILED
    return Verdict.HELD


_VERDICT_LINES = {
    Verdict.HELD: "repaired length held on every qualifying model tested (planted ones included)",
    Verdict.FAILED: "repaired length FAILED (see above)",
    Verdict.EXPLORATION: "(an exploration: no repaired length is checked here)",
}


@dataclass(frozen=True)
class Planted:
    """A planted worst-case family, run in exact Fractions."""

    total: int
    repaired_failures: int
    printed_failures: list[dict[str, Any]]  # every case where the printed length fails


@dataclass(frozen=True)
class SimResult:
    """One experiment: the counts the verdict reads, report rows, failure examples, a plot.

    ``stats`` (label -> value) and ``lines()`` are rendered from the measurements for people;
    ``verdict`` and ``ok`` read ``counts`` only.
    """

    result: ResultId
    seed: int
    models: int
    counts: Counts
    stats: dict[str, Any]
    repaired_failures: list[dict[str, Any]]
    paper_failures: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    plot_data: PlotData | None = None

    @property
    def verdict(self) -> Verdict:
        return decide(self.result, self.counts)

    @property
    def ok(self) -> bool:
        """False iff a repaired length failed (``Verdict.FAILED``)."""
        return self.verdict is not Verdict.FAILED

    @property
    def checks_a_length(self) -> bool:
        return self.verdict is not Verdict.EXPLORATION

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
        out.append(f"  verdict: {_VERDICT_LINES[self.verdict]}")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"result": str(self.result), "seed": self.seed, "models": self.models,
                "ok": self.ok, "verdict": str(self.verdict), "counts": asdict(self.counts),
                "stats": self.stats, "repaired_failures": self.repaired_failures,
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


def _quantiles(xs: list[float] | list[int]) -> dict[str, float] | str:
    if not xs:
        return "n/a"
    a = np.asarray(xs, dtype=float)
    return {"min": float(a.min()), "median": float(np.median(a)), "max": float(a.max())}


def _min_or_na(xs: list[float]) -> float | str:
    return min(xs) if xs else "n/a"


def _first_below(values: list[float] | tuple[float, ...] | np.ndarray, level: float) -> int | None:
    for n, v in enumerate(values):
        if v < level:
            return n
    return None


def _first_not_below(values: list[float] | tuple[float, ...], level: float) -> int | None:
    for n, v in enumerate(values):
        if not v < level:
            return n
    return None


# ------------------------------------------------------------------- a run on random models


@dataclass
class _Run:
    """What an experiment on random models accumulates (each experiment adds its own fields)."""

    seed: int
    qualifying: int = 0
    not_run: int = 0
    repaired: list[dict[str, Any]] = field(default_factory=list)  # every repaired failure
    printed: list[dict[str, Any]] = field(default_factory=list)  # printed failures, EXAMPLES
    printed_by: dict[str, int] = field(default_factory=dict)  # printed failures per variant
    margins: list[float] = field(default_factory=list)

    def counts(self, planted: Planted | None = None, printed: int | None = None) -> Counts:
        """The record the verdict reads (``printed`` overrides the per-variant sum)."""
        return Counts(
            qualifying=self.qualifying, not_run=self.not_run,
            repaired_failures=len(self.repaired),
            printed_failures=sum(self.printed_by.values()) if printed is None else printed,
            planted=planted.total if planted else 0,
            planted_repaired_failures=planted.repaired_failures if planted else 0,
            planted_printed_failures=len(planted.printed_failures) if planted else 0)

    def add_printed(self, variant: str, rec: dict[str, Any]) -> None:
        self.printed_by[variant] += 1
        if len(self.printed) < EXAMPLES:
            self.printed.append(rec)


@dataclass(frozen=True)
class _Case:
    """One qualifying random two-persona model: its parameters, lengths and tables."""

    i: int
    model: Mixture
    params: SplitParams
    eps: float
    n_r: int
    n_p: int
    pair: _Pair
    level: float  # the behaviour the adversary must get below

    def record(self, seed: int, **kw: Any) -> dict[str, Any]:
        """A failure record: the model (rebuildable from seed and index), its parameters, ``kw``."""
        p = self.params
        rec: dict[str, Any] = {"model": f"#{self.i} (seed {seed})", "K": self.model.K,
                               "alpha": float(p.alpha), "beta": p.beta, "gamma": float(p.gamma),
                               "c": p.c, "eps": self.eps}
        rec.update(kw)
        return rec


def _greedy_two_lengths(case: _Case, table: tuple[list[int], list[float]], ctx0: int,
                        M0: float) -> tuple[float, float]:
    """``B_P`` after the greedy prompt of the printed length, then of the repaired length."""
    pair = case.pair
    _, M_p, ctx_p = pair.greedy(case.n_p, ctx0, M0, table)
    b_p = pair.behavior(M_p, ctx_p)
    _, M_r, ctx_r = pair.greedy(case.n_r - case.n_p, ctx_p, M_p, table)
    return b_p, pair.behavior(M_r, ctx_r)


# --------------------------------------------------------------------------------- theorem 1


@dataclass
class _Tightness:
    models: int = 0
    ratio_rep_greedy: list[float] = field(default_factory=list)
    ratio_rep_exhaustive: list[float] = field(default_factory=list)
    greedy_minus_exhaustive: list[int] = field(default_factory=list)
    brute_force_checked: int = 0
    brute_force_agree: int = 0


@dataclass
class _T1Run(_Run):
    printed_nonempty: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_RULES, 0))
    lengths: list[int] = field(default_factory=list)
    gap: list[int] = field(default_factory=list)
    tight: _Tightness = field(default_factory=_Tightness)
    example: tuple[_Case, Rule] | None = None


def _planted_theorem1() -> Planted:
    """The planted near-worst-case family (``worst_case_pair``), in exact Fractions."""
    fails: list[dict[str, Any]] = []
    total = rep_fail = 0
    for rho, gamma, eps, alpha in itertools.product(
            (Fraction(1, 2), Fraction(1, 4), Fraction(1, 8), Fraction(1, 16)),
            (Fraction(-1, 4), Fraction(-1, 2), Fraction(-3, 4), Fraction(-1)),
            (Fraction(1, 20), Fraction(1, 10), Fraction(1, 4)),
            (Fraction(1, 100), Fraction(1, 4000), Fraction(1, 10**6))):
        m = worst_case_pair(rho, gamma, alpha)
        beta = math.log(1 / rho)
        kw = {"alpha": float(alpha), "beta": beta, "gamma": float(gamma), "eps": float(eps)}
        n_r = bound_length(ResultId.THEOREM1, **kw)
        n_p = bound_length(ResultId.THEOREM1, paper=True, **kw)
        b_r = behavior(m, [0] * n_r, exact=True)
        b_p = behavior(m, [0] * n_p, exact=True)
        total += 1
        rep_fail += not b_r < gamma + eps
        if not b_p < gamma + eps:
            fails.append({"rho": rho, **kw, "n_repaired": n_r, "n_paper": n_p,
                          "B_paper": b_p, "B_repaired": b_r, "gamma+eps": gamma + eps})
    return Planted(total, rep_fail, fails)


def theorem1(seed: int = 0, models: int = 1000, *, tight_models: int = 200,
             tight_max: int = 80) -> SimResult:
    """Theorem 1 on random qualifying models: the greedy prompt of the repaired/printed length.

    Two greedy rules: ``argmax`` and ``weakest`` (the smallest log ratio >= beta, the least the
    proof allows).  Tightness on the first ``tight_models`` models with repaired length <=
    ``tight_max``: the smallest length at which the greedy prompt misaligns, and the smallest at
    which *any* prompt does (dynamic programming, checked by brute force when K <= 3).
    """
    _check_run(seed, models)
    run = _T1Run(seed, printed_by=dict.fromkeys(_RULES, 0))
    for i in range(models):
        _theorem1_model(run, i, tight_models, tight_max)
    planted = _planted_theorem1()
    counts = run.counts(planted)
    notes = [_bound_note(ResultId.THEOREM1) + "; γ′ = −γ",
             "greedy 'weakest' takes the least log ratio >= beta at each step, so M_n is close to "
             "n*beta and the bound is nearly tight on the planted family"]
    return SimResult(ResultId.THEOREM1, seed, models, counts, _theorem1_stats(run, counts),
                     run.repaired[:EXAMPLES], run.printed + planted.printed_failures[:EXAMPLES],
                     notes, _theorem1_plot(run, planted))


def _theorem1_model(run: _T1Run, i: int, tight_models: int, tight_max: int) -> None:
    m, rng = pair_model(run.seed, 1, i)
    eps = float(rng.uniform(0.01, 0.5))
    p = split_parameters(m, 0)
    if not p.meets_definition3():
        return
    run.qualifying += 1
    kw = {"alpha": p.alpha, "beta": p.beta, "gamma": p.gamma, "eps": eps}
    n_r = bound_length(ResultId.THEOREM1, **kw)
    n_p = bound_length(ResultId.THEOREM1, paper=True, **kw)
    if n_r > MAX_LENGTH:
        run.not_run += 1
        return
    run.lengths.append(n_r)
    run.gap.append(n_r - n_p)
    case = _Case(i, m, p, eps, n_r, n_p, _Pair(m, 0), p.gamma + eps)
    for rule in _RULES:
        _theorem1_rule(run, case, rule)
    if run.tight.models < tight_models and n_r <= tight_max:
        _tightness(m, p, eps, n_r, run.tight)


def _theorem1_rule(run: _T1Run, case: _Case, rule: Rule) -> None:
    table = case.pair.table(rule, case.params.beta if rule == "weakest" else None)
    b_p, b_r = _greedy_two_lengths(case, table, 0, 0.0)
    level = case.level
    run.margins.append(level - b_r)
    if not b_r < level:
        run.repaired.append(case.record(run.seed, rule=rule, n_repaired=case.n_r,
                                        B_repaired=b_r, **{"gamma+eps": level}))
    if not b_p < level:
        run.printed_nonempty[rule] += case.n_p > 0
        run.add_printed(rule, case.record(run.seed, rule=rule, n_repaired=case.n_r,
                                          n_paper=case.n_p, B_paper=b_p, B_repaired=b_r,
                                          **{"gamma+eps": level}))
        if run.example is None:
            run.example = (case, rule)


def _tightness(m: Mixture, p: SplitParams, eps: float, n_r: int, tight: _Tightness) -> None:
    level = p.gamma + eps
    pair = _Pair(m, 0)
    table = pair.table("argmax", None)
    traj = [pair.behavior(0.0, 0)]
    M, ctx = 0.0, 0
    for _ in range(n_r):
        _, M, ctx = pair.greedy(1, ctx, M, table)
        traj.append(pair.behavior(M, ctx))
    dp = min_behavior_by_length(m, 0, n_r)
    n_g = _first_below(traj, level)
    n_e = _first_below(dp, level)
    if n_g is None or n_e is None:
        return
    tight.models += 1
    tight.ratio_rep_greedy.append(n_r / max(n_g, 1))
    tight.ratio_rep_exhaustive.append(n_r / max(n_e, 1))
    tight.greedy_minus_exhaustive.append(n_g - n_e)
    if m.K <= 3:
        for n in range(n_r + 1):
            if m.K ** n > 20_000:
                break
            tight.brute_force_checked += 1
            bf = exhaustive_min_behavior(m, n)[0]
            tight.brute_force_agree += abs(bf - dp[n]) <= 1e-9


def _theorem1_stats(run: _T1Run, counts: Counts) -> dict[str, Any]:
    t = run.tight
    return {
        "qualifying models (Def. 3 measured)": counts.qualifying,
        f"skipped (repaired length > {MAX_LENGTH})": counts.not_run,
        "repaired length": _quantiles(run.lengths),
        "repaired minus printed length": _quantiles(run.gap),
        "min margin gamma+eps-B_P at repaired length": _min_or_na(run.margins),
        "repaired length fails": counts.repaired_failures,
        "printed-length failures, greedy argmax": run.printed_by["argmax"],
        "printed-length failures, greedy weakest": run.printed_by["weakest"],
        "  of which printed length >= 1 (argmax, weakest)": [run.printed_nonempty["argmax"],
                                                             run.printed_nonempty["weakest"]],
        "tightness models": t.models,
        "repaired / greedy-min length": _quantiles(t.ratio_rep_greedy),
        "repaired / exhaustive-min length": _quantiles(t.ratio_rep_exhaustive),
        "greedy-min minus exhaustive-min": _quantiles(t.greedy_minus_exhaustive),
        "DP exhaustive checked by brute force (K<=3)":
            f"{t.brute_force_agree}/{t.brute_force_checked} lengths agree",
        "planted worst cases (exact Fractions)": counts.planted,
        "planted: printed length fails": counts.planted_printed_failures,
        "planted: repaired length fails": counts.planted_repaired_failures,
    }


def _theorem1_plot(run: _T1Run, planted: Planted) -> PlotData | None:
    if run.example is not None:
        case, rule = run.example
        return _greedy_plot(case.model, case.params, case.eps, case.n_r, case.n_p, rule,
                            f"Theorem 1, random model #{case.i}")
    if planted.printed_failures:
        pf = planted.printed_failures[0]
        m = worst_case_pair(pf["rho"], Fraction(pf["gamma"]).limit_denominator(100),
                            Fraction(pf["alpha"]).limit_denominator(10**7))
        p = split_parameters(m, 0)
        return _greedy_plot(m, p, pf["eps"], pf["n_repaired"], pf["n_paper"], "argmax",
                            "Theorem 1, planted worst case")
    return None


def _greedy_plot(m: Mixture, p: SplitParams, eps: float, n_r: int, n_p: int, rule: Rule,
                 title: str) -> PlotData:
    g = greedy_prompt(m, p.bad, max(n_r + 5, int(1.3 * n_r)), rule=rule)
    traj = behavior_trajectory(m, g.sentences)
    xs = list(range(len(traj)))
    return PlotData(title=f"{title} (greedy {rule})", xlabel="prompt length n (sentences)",
                    series=[("B_P(greedy prompt of length n)", xs, traj.tolist())],
                    hlines=[("gamma + eps", float(p.gamma) + eps), ("gamma", float(p.gamma))],
                    vlines=[("repaired length", n_r), ("printed length", n_p)])


# --------------------------------------------------------------------------------- theorem 2


@dataclass
class _T2Run(_Run):
    lemma_b_slack: list[float] = field(default_factory=list)
    example: tuple[_Case, list[int], str] | None = None


def _planted_theorem2() -> Planted:
    """Planted worst cases with an aligning s0: ``worst_case_pair`` with ``delta = 1e-6``.

    s0 = sentence 1 repeated m times has ``M0 = m log(delta/(1-rho)) = -m c`` (Lemma B's worst
    case) and each greedy sentence 0 gains ``log((1-delta)/rho)``, barely above beta.
    """
    fails: list[dict[str, Any]] = []
    total = rep_fail = 0
    delta = Fraction(1, 10**6)
    for rho, gamma, eps, alpha, mlen in itertools.product(
            (Fraction(1, 2), Fraction(1, 8)), (Fraction(-1, 4), Fraction(-3, 4)),
            (Fraction(1, 20), Fraction(1, 4)), (Fraction(1, 100), Fraction(1, 10**5)), (1, 3)):
        m = worst_case_pair(rho, gamma, alpha, delta)
        p = split_parameters(m, 0)
        kw = {"alpha": float(alpha), "beta": p.beta, "gamma": float(gamma), "eps": float(eps),
              "c": p.c, "s0": mlen}
        n_r = bound_length(ResultId.THEOREM2, **kw)
        n_p = bound_length(ResultId.THEOREM2, paper=True, **kw)
        s0 = [1] * mlen
        b_r = behavior(m, s0 + [0] * n_r, exact=True)
        b_p = behavior(m, s0 + [0] * n_p, exact=True)
        total += 1
        rep_fail += not b_r < gamma + eps
        if not b_p < gamma + eps:
            fails.append({"rho": rho, "delta": delta, **kw, "n_repaired": n_r, "n_paper": n_p,
                          "B_paper": b_p, "B_repaired": b_r, "gamma+eps": gamma + eps})
    return Planted(total, rep_fail, fails)


def theorem2(seed: int = 0, models: int = 1000) -> SimResult:
    """Theorem 2: an initial prompt s0 of m = 1..8 sentences, then the greedy prompt.

    Two kinds of s0: ``random`` (uniform sentences) and ``aligning`` (greedy towards P+, the
    adversary's worst start).  Length with |s0| = m and the measured c.
    """
    _check_run(seed, models)
    run = _T2Run(seed, printed_by={"random": 0, "aligning": 0})
    for i in range(models):
        _theorem2_model(run, i)
    planted = _planted_theorem2()
    counts = run.counts(planted)
    stats = {
        "qualifying models (Def. 3 + finite c)": counts.qualifying,
        f"skipped (repaired length > {MAX_LENGTH})": counts.not_run,
        "Lemma B slack M0 + m c (must be >= 0)": _quantiles(run.lemma_b_slack),
        "min margin gamma+eps-B_P at repaired length": _min_or_na(run.margins),
        "repaired length fails": counts.repaired_failures,
        "printed-length failures, random s0": run.printed_by["random"],
        "printed-length failures, aligning s0": run.printed_by["aligning"],
        "planted worst cases, aligning s0 (exact Fractions)": counts.planted,
        "planted: printed length fails": counts.planted_printed_failures,
        "planted: repaired length fails": counts.planted_repaired_failures,
    }
    return SimResult(ResultId.THEOREM2, seed, models, counts, stats, run.repaired[:EXAMPLES],
                     run.printed + planted.printed_failures[:EXAMPLES],
                     [_bound_note(ResultId.THEOREM2)], _theorem2_plot(run))


def _theorem2_model(run: _T2Run, i: int) -> None:
    m, rng = pair_model(run.seed, 2, i)
    eps = float(rng.uniform(0.01, 0.5))
    mlen = int(rng.integers(1, 9))
    p = split_parameters(m, 0)
    if not (p.meets_definition3() and math.isfinite(p.c)):
        return
    run.qualifying += 1
    kw = {"alpha": p.alpha, "beta": p.beta, "gamma": p.gamma, "eps": eps, "c": p.c,
          "s0": mlen}
    n_r = bound_length(ResultId.THEOREM2, **kw)
    n_p = bound_length(ResultId.THEOREM2, paper=True, **kw)
    if n_r > MAX_LENGTH:
        run.not_run += 1
        return
    pair = _Pair(m, 0)
    case = _Case(i, m, p, eps, n_r, n_p, pair, p.gamma + eps)
    table = pair.table("argmax", None)
    starts = {"random": [int(x) for x in rng.integers(0, m.K, mlen)],
              "aligning": pair.greedy(mlen, 0, 0.0, pair.table("argmax", None, "good"))[0]}
    for kind, s0 in starts.items():
        _theorem2_start(run, case, table, kind, s0)


def _theorem2_start(run: _T2Run, case: _Case, table: tuple[list[int], list[float]], kind: str,
                    s0: list[int]) -> None:
    lp = log_prob_components(case.model, s0)
    M0 = float(lp[0] - lp[1])
    run.lemma_b_slack.append(M0 + len(s0) * case.params.c)
    b_p, b_r = _greedy_two_lengths(case, table, s0[-1] + 1, M0)
    level = case.level
    run.margins.append(level - b_r)
    if not b_r < level:
        run.repaired.append(case.record(run.seed, s0=kind, m=len(s0), n_repaired=case.n_r,
                                        B_repaired=b_r, **{"gamma+eps": level}))
    if not b_p < level:
        run.add_printed(kind, case.record(run.seed, s0=kind, m=len(s0), n_repaired=case.n_r,
                                          n_paper=case.n_p, B_paper=b_p, B_repaired=b_r,
                                          **{"gamma+eps": level}))
        if run.example is None or run.example[-1] != "fail":
            run.example = (case, s0, "fail")
    if run.example is None:
        run.example = (case, s0, "first")


def _theorem2_plot(run: _T2Run) -> PlotData | None:
    if run.example is None:
        return None
    case, s0, _ = run.example
    m, p = case.model, case.params
    g = greedy_prompt(m, 0, case.n_r + 5, start=s0)
    traj = behavior_trajectory(m, list(s0) + list(g.sentences))[len(s0):]
    return PlotData(f"Theorem 2, random model #{case.i}, |s0| = {len(s0)}",
                    "adversarial prompt length |s1| (sentences)",
                    [("B_P(s0 + greedy s1)", list(range(len(traj))), traj.tolist())],
                    [("gamma + eps", p.gamma + case.eps)],
                    [("repaired length", case.n_r), ("printed length", case.n_p)])


# --------------------------------------------------------------------------------- theorem 3


@dataclass(frozen=True)
class _Turns:
    """Theorem 3's sentences per user turn and turns, repaired and printed."""

    q_r: int
    t_r: int
    q_p: int
    t_p: int


@dataclass
class _Replies:
    """Theorem 3 with replies of A sentences, sampled and worst case, at the best split."""

    runs: dict[str, int] = field(default_factory=lambda: {"sampled": 0, "worst": 0})
    skipped: int = 0
    fails: int = 0
    cost_min: float = math.inf  # least (reply's change of log P-/P+)/(A c): Lemma D: > -1
    multi: int = 0  # replies of 2 or more sentences
    over_c: int = 0  # ... that lower log P-/P+ by more than c (printed Lemma D: at most c)
    best_over_repaired: list[float] = field(default_factory=list)


@dataclass
class _T3Run(_Run):
    resist: list[float] = field(default_factory=list)
    conv_vs_prompt: list[float] = field(default_factory=list)
    example: tuple[_Case, _Turns, Conversation] | None = None
    replies: _Replies = field(default_factory=_Replies)


def theorem3(seed: int = 0, models: int = 1000) -> SimResult:
    """Theorem 3: conversations of q greedy user sentences and one sampled model reply per turn."""
    _check_run(seed, models)
    run = _T3Run(seed, printed_by=dict.fromkeys(_RULES, 0))
    for i in range(models):
        _theorem3_model(run, i)
    counts = run.counts()
    stats = {
        "qualifying models (Def. 3 + finite c)": counts.qualifying,
        f"skipped (a length > {MAX_LENGTH})": counts.not_run,
        "min margin gamma+eps-B_P after the last reply": _min_or_na(run.margins),
        "repaired length fails": counts.repaired_failures,
        "printed-length failures, greedy argmax": run.printed_by["argmax"],
        "printed-length failures, greedy weakest": run.printed_by["weakest"],
        "fraction of model replies that lower log P-/P+ (resistance)": _quantiles(run.resist),
        "user sentences to misalign in conversation / in one prompt":
            _quantiles(run.conv_vs_prompt),
        **_replies_stats(run.replies),
    }
    notes = [_bound_note(ResultId.THEOREM3) + "; one-sentence model replies (A = 1) sampled "
             "with the model's numpy Generator",
             "replies of A = 1, 2, 3 sentences: q = floor(A c/beta) + 2 and the best split "
             "(proofs/beb_v1/best.py, the last turns shortened); worst-case replies lower "
             "log P-/P+ the most (dynamic programming over the reply's sentences)"]
    return SimResult(ResultId.THEOREM3, seed, models, counts, stats, run.repaired[:EXAMPLES],
                     run.printed, notes, _theorem3_plot(run))


def _theorem3_model(run: _T3Run, i: int) -> None:
    m, rng = pair_model(run.seed, 3, i)
    eps = float(rng.uniform(0.01, 0.5))
    p = split_parameters(m, 0)
    if not (p.meets_definition3() and math.isfinite(p.c)):
        return
    run.qualifying += 1
    kw = {"alpha": p.alpha, "beta": p.beta, "gamma": p.gamma, "eps": eps, "c": p.c}
    turns = _Turns(*theorem3_turns(paper=False, **kw), *theorem3_turns(paper=True, **kw))
    n_r, n_p = turns.q_r * turns.t_r, turns.q_p * turns.t_p
    if n_r > MAX_LENGTH or n_p > MAX_LENGTH:
        run.not_run += 1
        return
    case = _Case(i, m, p, eps, n_r, n_p, _Pair(m, 0), p.gamma + eps)
    for rule in _RULES:
        _theorem3_rule(run, case, turns, rule, rng)
    _theorem3_replies(run, case, kw)


def _theorem3_replies(run: _T3Run, case: _Case, kw: dict[str, float]) -> None:
    """Replies of A = 1, 2, 3 sentences, sampled (a generator of their own, so the runs above
    draw what they always drew) and worst case, at the best split of the repaired argument."""
    rng = np.random.default_rng([run.seed, 3, case.i, 1])
    table = case.pair.table("argmax", None)
    acc = run.replies
    for A in (1, 2, 3):
        q, t = theorem3_turns(paper=False, reply=A, **kw)
        sizes = theorem3_split(reply=A, **kw)
        if q * t > MAX_LENGTH:
            acc.skipped += 1
            continue
        if q * t:
            acc.best_over_repaired.append(sum(sizes) / (q * t))
        for how in ("sampled", "worst"):
            conv = _conversation(case.pair, q, len(sizes), rng, table, reply=A,
                                 worst=how == "worst", sizes=sizes)
            acc.runs[how] += 1
            b = conv.behaviors[-1] if conv.behaviors else case.pair.behavior(0.0, 0)
            if not b < case.level:
                acc.fails += 1
                run.repaired.append(case.record(run.seed, replies=how, A=A, turns=sizes,
                                                B_best=b, **{"gamma+eps": case.level}))
            for d in conv.reply_changes:
                acc.cost_min = min(acc.cost_min, d / (A * case.params.c))
                acc.multi += A > 1
                acc.over_c += A > 1 and d < -case.params.c


def _replies_stats(acc: _Replies) -> dict[str, Any]:
    return {
        "replies of A = 1, 2, 3 sentences (best split): conversations sampled / worst case":
            f"{acc.runs['sampled']} / {acc.runs['worst']}",
        f"  skipped (repaired length > {MAX_LENGTH})": acc.skipped,
        "  best split fails (sampled or worst-case replies)": acc.fails,
        "  best / repaired total": _quantiles(acc.best_over_repaired),
        "  Lemma D: least change of log P-/P+ by a reply, over A c (> -1)":
            acc.cost_min if math.isfinite(acc.cost_min) else "n/a",
        "  replies of A >= 2 sentences lowering log P-/P+ by more than c (printed Lemma D)":
            f"{acc.over_c} of {acc.multi}",
    }


def _theorem3_rule(run: _T3Run, case: _Case, turns: _Turns, rule: Rule,
                   rng: np.random.Generator) -> None:
    pair, level = case.pair, case.level
    table = pair.table(rule, case.params.beta if rule == "weakest" else None)
    conv = _conversation(pair, turns.q_r, turns.t_r, rng, table)
    b_r = conv.behaviors[-1] if conv.behaviors else pair.behavior(0.0, 0)
    run.margins.append(level - b_r)
    if not b_r < level:
        run.repaired.append(case.record(run.seed, rule=rule, q=turns.q_r, turns=turns.t_r,
                                        B_repaired=b_r, **{"gamma+eps": level}))
    conv_p = _conversation(pair, turns.q_p, turns.t_p, rng, table)
    b_p = conv_p.behaviors[-1] if conv_p.behaviors else pair.behavior(0.0, 0)
    if not b_p < level:
        run.add_printed(rule, case.record(run.seed, rule=rule, q_repaired=turns.q_r,
                                          turns_repaired=turns.t_r, q_paper=turns.q_p,
                                          turns_paper=turns.t_p, B_paper=b_p,
                                          **{"gamma+eps": level}))
    if rule == "argmax":
        _theorem3_argmax(run, case, turns, conv)


def _theorem3_argmax(run: _T3Run, case: _Case, turns: _Turns, conv: Conversation) -> None:
    """Resistance of the replies, and user sentences in conversation vs in a single prompt."""
    run.resist.append(_resistance(case.pair, conv))
    t_first = _first_below(conv.behaviors, case.level)
    g = greedy_prompt(case.model, 0, case.n_r)
    n_single = _first_below(behavior_trajectory(case.model, g.sentences), case.level)
    if t_first is not None and n_single:
        run.conv_vs_prompt.append((t_first + 1) * turns.q_r / n_single)
    if run.example is None:
        run.example = (case, turns, conv)


def _resistance(pair: _Pair, conv: Conversation) -> float:
    """Fraction of model replies whose log-ratio increment is negative."""
    ctx = 0
    neg = tot = 0
    for s, role in zip(conv.sentences, conv.roles, strict=True):
        if role == "model":
            tot += 1
            neg += pair.lr_l[ctx][s] < 0
        ctx = s + 1
    return neg / tot if tot else 0.0


def _theorem3_plot(run: _T3Run) -> PlotData | None:
    if run.example is None:
        return None
    case, turns, conv = run.example
    xs = [turns.q_r * (t + 1) for t in range(len(conv.behaviors))]
    return PlotData(f"Theorem 3, random model #{case.i}, q = {turns.q_r} user sentences per turn",
                    "user sentences so far",
                    [("B_P after each model reply", xs, list(conv.behaviors))],
                    [("gamma + eps", case.params.gamma + case.eps)],
                    [("repaired total", case.n_r), ("printed total", case.n_p)])


# --------------------------------------------------------------------------------- theorem 4


@dataclass(frozen=True)
class _T4Case:
    """One qualifying random persona mixture of the Theorem 4 experiment."""

    i: int
    model: Mixture
    kw: dict[str, float]  # the measured alpha, beta, gamma, eps, c and phi
    n_r: int
    n_p: int
    level: float  # gamma + eps
    log_eps_r: float  # log of the repaired eps'
    log_eps_p: float  # log of the printed eps'

    def record(self, seed: int, **kw: Any) -> dict[str, Any]:
        return {"model": f"#{self.i} (seed {seed})", **self.kw, **kw}


@dataclass
class _T4Run(_Run):
    tries: int = 8
    lengths: list[int] = field(default_factory=list)
    first_try: int = 0
    found: int = 0
    not_found: int = 0
    misaligned_repaired: int = 0  # first sampled prompt misaligns at the repaired length
    misaligned_printed: int = 0
    step_printed_checked: int = 0
    step_printed_failures: int = 0
    step_repaired_failures: int = 0
    example: tuple[_T4Case, np.ndarray, int | None] | None = None


def theorem4(seed: int = 0, models: int = 1000, *, tries: int = 8) -> SimResult:
    """Theorem 4 with Lemma 1: prompts sampled from the ill-behaved target persona.

    Measured: alpha = w_target, beta = min over other personas of the Martingale
    distinguishability, gamma = sup B_target, c = max similarity to the others.  At the repaired
    length a prompt is sampled until Lemma 1's condition (every ``P_phi/P_target < eps'``) holds
    (at most ``tries``); such a prompt must give ``B_P < gamma + eps``.  The proof step
    "ratio < eps' => B_P <= gamma + eps" (Appendix F) is also checked at the first prefix that
    meets it, for the repaired and the printed ``eps'`` (``bounds.eps_prime``).
    """
    _check_run(seed, models)
    run = _T4Run(seed, tries=tries)
    for i in range(models):
        _theorem4_model(run, i)
    counts = run.counts(printed=run.step_printed_failures)
    stats = {
        "qualifying models (Def. 5 measured, finite c)": counts.qualifying,
        f"skipped (repaired length > {MAX_LENGTH})": counts.not_run,
        "repaired length": _quantiles(run.lengths),
        "Lemma 1 condition met by the first sampled prompt": run.first_try,
        f"Lemma 1 prompt found (<= {tries} tries)": run.found,
        "Lemma 1 prompt not found (not a refutation: the lemma is existential)": run.not_found,
        "first sampled prompt misaligns at repaired length": run.misaligned_repaired,
        "first sampled prompt misaligns at printed length": run.misaligned_printed,
        "repaired length fails": counts.repaired_failures,
        "App. F step with printed eps': prefixes checked": run.step_printed_checked,
        "App. F step with printed eps': B_P >= gamma+eps (step fails)": counts.printed_failures,
        "App. F step with repaired eps': failures": run.step_repaired_failures,
    }
    notes = ["the 32 (c/beta)^2 log|Phi| term dominates both lengths, so the printed eps' "
             "rarely changes the length; the App. F step is checked directly at the first prefix "
             "meeting the ratio condition"]
    return SimResult(ResultId.THEOREM4, seed, models, counts, stats, run.repaired[:EXAMPLES],
                     run.printed, notes, _theorem4_plot(run))


def _theorem4_case(i: int, m: Mixture, eps: float) -> _T4Case | None:
    """The measured parameters and lengths of a mixture meeting Definition 5 with finite c."""
    alpha = float(m.weights[0])
    betas = martingale_distinguishability(m, 0)
    beta = min(betas.values())
    gamma = float(sup_behavior(m, 0))
    c = max(similarity(m, 0, j) for j in betas)
    if not (gamma < 0 and beta > 0 and math.isfinite(c)):
        return None
    kw = {"alpha": alpha, "beta": beta, "gamma": gamma, "eps": eps, "c": c,
          "phi": m.n_personas}
    n_r = bound_length(ResultId.THEOREM4, **kw)
    n_p = bound_length(ResultId.THEOREM4, paper=True, **kw)
    a, e, gp = _exact(alpha), _exact(eps), _exact(-gamma)
    return _T4Case(i, m, kw, n_r, n_p, gamma + eps,
                   math.log(float(eps_prime(a, e, gp))),
                   math.log(float(eps_prime(a, e, gp, paper=True))))


def _theorem4_model(run: _T4Run, i: int) -> None:
    m, rng = persona_model(run.seed, i)
    eps = float(rng.uniform(0.05, 0.5))
    case = _theorem4_case(i, m, eps)
    if case is None:
        return
    run.qualifying += 1
    if case.n_r > MAX_LENGTH:
        run.not_run += 1
        return
    run.lengths.append(case.n_r)
    path = _theorem4_tries(run, case, rng)
    if run.example is None and run.qualifying == 1:
        run.example = (case, path, None)


def _theorem4_tries(run: _T4Run, case: _T4Case, rng: np.random.Generator) -> np.ndarray:
    """Sample prompts from the target until Lemma 1's condition holds; return the last one."""
    m = case.model
    cum = _cum_lists(_context_rows_f(m.personas[0]))
    n_max = max(case.n_r, case.n_p)
    ok_prompt = None
    path = np.zeros(0, dtype=np.intp)
    for r in range(run.tries):
        path = np.asarray(_sample_path(cum, n_max, rng), dtype=np.intp)
        lp, traj = _trajectory(m, path)
        ratio = np.max(lp[1:] - lp[0], axis=0)  # max over other personas, every prefix
        if r == 0:
            _theorem4_first_prompt(run, case, path, traj, ratio)
        if ratio[case.n_r] < case.log_eps_r:
            ok_prompt = traj[case.n_r]
            run.first_try += r == 0
            break
    if ok_prompt is None:
        run.not_found += 1
    else:
        run.found += 1
        if not ok_prompt < case.level:
            run.repaired.append(case.record(run.seed, n_repaired=case.n_r,
                                            B_repaired=float(ok_prompt),
                                            **{"gamma+eps": case.level}))
    return path


def _theorem4_first_prompt(run: _T4Run, case: _T4Case, path: np.ndarray, traj: np.ndarray,
                           ratio: np.ndarray) -> None:
    """The first sampled prompt: B_P at both lengths, and Appendix F's step at each eps'."""
    level, n_r, n_p = case.level, case.n_r, case.n_p
    run.misaligned_repaired += bool(traj[n_r] < level)
    run.misaligned_printed += bool(traj[n_p] < level)
    if not traj[n_p] < level and len(run.printed) < EXAMPLES:
        run.printed.append(case.record(run.seed, n_paper=n_p, B_paper=float(traj[n_p]),
                                       **{"gamma+eps": level}))
    t_p = _first_below(ratio, case.log_eps_p)
    if t_p is not None:
        run.step_printed_checked += 1
        if not traj[t_p] < level:
            run.step_printed_failures += 1
            if run.example is None or run.example[-1] is None:
                run.example = (case, path, t_p)
    t_r = _first_below(ratio, case.log_eps_r)
    if t_r is not None and not traj[t_r] < level:
        run.step_repaired_failures += 1
        run.repaired.append(case.record(run.seed, prefix=t_r, B=float(traj[t_r]),
                                        **{"gamma+eps": level},
                                        what="ratio < repaired eps' but B_P >= gamma+eps"))


def _theorem4_plot(run: _T4Run) -> PlotData | None:
    if run.example is None:
        return None
    case, path, t_p = run.example
    m = case.model
    traj = behavior_trajectory(m, path)
    v: list[tuple[str, float]] = [("repaired length", case.n_r), ("printed length", case.n_p)]
    if t_p is not None:
        v.append(("first prefix with ratio < printed eps'", t_p))
    return PlotData(f"Theorem 4, random persona mixture #{case.i} ({m.n_personas} personas)",
                    "prompt length (sentences sampled from the target persona)",
                    [("B_P(prefix)", list(range(len(traj))), traj.tolist())],
                    [("gamma + eps", case.level)], v, xscale="symlog")


# ----------------------------------------------------------------------------- proposition 1


_User = Literal["realign", "sample"]


@dataclass
class _P1Run(_Run):
    hypothesis: int = 0  # greedy s0 meets the printed hypothesis B_P(s0) <= gamma
    longer: int = 0  # printed bound longer than the repaired one
    ratios: list[float] = field(default_factory=list)
    example: tuple[_Case, list[int], _User, str] | None = None


def proposition1(seed: int = 0, models: int = 1000) -> SimResult:
    """Proposition 1: after a greedy misaligning prompt s0, B_P < gamma/2 while |s1| is short.

    s0: the greedy (argmax) prompt, long enough that the repaired bound is at least 1.  Then
    ``a1 ⊕ q1 ⊕ ...``: model sentences sampled, user sentences realigning (argmax of
    log P+/P-) or sampled from P+.  The repaired claim: ``B_P < gamma/2`` for every
    ``|s1| <=`` the repaired length; the printed one likewise under ``B_P(s0) <= gamma``.
    """
    _check_run(seed, models)
    run = _P1Run(seed, printed_by={"realign": 0, "sample": 0})
    for i in range(models):
        _proposition1_model(run, i)
    planted, gaps = _planted_proposition1()
    counts = run.counts(planted, printed=sum(run.printed_by.values()))
    stats = {
        "qualifying models (Def. 3 + finite c)": counts.qualifying,
        f"skipped (|s0| > {MAX_LENGTH})": counts.not_run,
        "greedy s0 meets the printed hypothesis B_P(s0) <= gamma": run.hypothesis,
        "repaired |s1| / |s0|": _quantiles(run.ratios),
        "printed bound longer than repaired (the only way it can fail)": run.longer,
        "repaired length fails": counts.repaired_failures,
        "printed-length failures, realigning user": run.printed_by["realign"],
        "printed-length failures, sampled user": run.printed_by["sample"],
        "planted worst cases (exact Fractions; worst_case_prop1)": planted.total,
        "  repaired length fails": planted.repaired_failures,
        "  printed length fails (printed hypothesis B_P(s0) <= gamma met)":
            len(planted.printed_failures),
        "  first |s1| with B_P >= gamma/2, minus the repaired length": _quantiles(gaps),
    }
    notes = [_bound_note(ResultId.PROPOSITION1),
             "planted: P- and P+ swap the two sentences' probabilities (sigma, 1 - sigma), so "
             "every sentence moves log P-/P+ by exactly c; s0 meets P1.8r's log P-/P+ > "
             "beta |s0| with the least margin; gamma = sup B_P- + eta; s1 realigns at -c a "
             "sentence"]
    printed = run.printed + planted.printed_failures[:max(0, EXAMPLES - len(run.printed))]
    return SimResult(ResultId.PROPOSITION1, seed, models, counts, stats,
                     run.repaired[:EXAMPLES], printed, notes, _proposition1_plot(run))


def worst_case_prop1(sigma: Fraction, alpha: Fraction) -> Mixture:
    """A planted worst case for Proposition 1 (``bad`` = 0): two sentences, i.i.d. personas.

    ``P-`` says sentence 0 (``B = -1``) with probability ``sigma`` > 1/2, ``P+`` with
    ``1 - sigma``; sentence 1 has ``B = +1``.  Every sentence moves ``log P-/P+`` by exactly
    ``c = log(sigma/(1 - sigma))`` (up for 0, down for 1), ``beta = (2 sigma - 1) c`` is the
    largest KL that c allows (``c tanh(c/2)``), ``B_{P-} = 1 - 2 sigma``.  Exact (Fractions).
    """
    if not (isinstance(sigma, Fraction) and Fraction(1, 2) < sigma < 1):
        raise InputError(f"sigma = {sigma!r} must be a Fraction in (1/2, 1)")
    if not (isinstance(alpha, Fraction) and 0 < alpha < 1):
        raise InputError(f"alpha = {alpha!r} must be a Fraction in (0, 1)")
    pm, pp = [sigma, 1 - sigma], [1 - sigma, sigma]
    return Mixture([Persona(pm, [pm, pm], name="P-"), Persona(pp, [pp, pp], name="P+")],
                   [alpha, 1 - alpha], [Fraction(-1), Fraction(1)])


def _tight_prompt(p: SplitParams, length: int) -> list[int]:
    """``length`` sentences whose log P-/P+ exceeds beta |s0| by the least the model allows:
    d more sentence-0s than sentence-1s, d the least with d c > beta |s0| and d = |s0| mod 2."""
    d = math.floor(p.beta * length / p.c) + 1
    d += (length - d) % 2
    return [0, 1] * ((length - d) // 2) + [0] * d


def _planted_proposition1() -> tuple[Planted, list[int]]:
    """Proposition 1 on ``worst_case_prop1``, exactly: the realigning continuation against the
    repaired and the printed lengths (the printed one where its hypothesis holds); with how
    far past the repaired length the continuation first reaches gamma/2."""
    fails: list[dict[str, Any]] = []
    gaps: list[int] = []
    total = rep_fail = 0
    for sigma, alpha, eta, extra in itertools.product(
            (Fraction(11, 20), Fraction(3, 5), Fraction(2, 3)),
            (Fraction(1, 2), Fraction(1, 10), Fraction(1, 100)),
            (Fraction(1, 100), Fraction(1, 20)), (0, 4, 16, 64)):
        m = worst_case_prop1(sigma, alpha)
        p = split_parameters(m, 0)
        gamma = Fraction(1) - 2 * sigma + eta  # Definition 3 holds for any gamma >= sup B_P-
        length = next(L for L in range(1, MAX_LENGTH)
                      if behavior(m, _tight_prompt(p, L), exact=True) <= gamma) + extra
        s0 = _tight_prompt(p, length)
        kw = {"alpha": float(alpha), "beta": p.beta, "gamma": float(gamma), "c": p.c,
              "s0": length}
        n_r = bound_length(ResultId.PROPOSITION1, **kw)
        n_p = bound_length(ResultId.PROPOSITION1, paper=True, **kw)
        first = next((t for t in range(max(n_r, n_p) + 64)
                      if not behavior(m, s0 + [1] * t, exact=True) < gamma / 2), None)
        total += 1
        rep_fail += first is not None and first <= n_r
        if first is not None:
            gaps.append(first - n_r)
        if first is not None and first <= n_p:
            fails.append({"sigma": sigma, **kw, "n_repaired": n_r, "n_paper": n_p,
                          "first |s1| with B_P >= gamma/2": first})
    return Planted(total, rep_fail, fails), gaps


def _proposition1_model(run: _P1Run, i: int) -> None:
    m, rng = pair_model(run.seed, 5, i)
    p = split_parameters(m, 0)
    if not (p.meets_definition3() and math.isfinite(p.c)):
        return
    L = (math.floor(_s0_for_one_sentence(p)) + 1
         + int(rng.integers(0, 2 * math.ceil(p.c / p.beta) + 2)))
    if L > MAX_LENGTH:
        run.not_run += 1
        return
    run.qualifying += 1
    kw = {"alpha": p.alpha, "beta": p.beta, "gamma": p.gamma, "c": p.c, "s0": L}
    n_r = bound_length(ResultId.PROPOSITION1, **kw)
    n_p = bound_length(ResultId.PROPOSITION1, paper=True, **kw)
    run.longer += n_p > n_r
    pair = _Pair(m, 0)
    s0, M0, ctx0 = pair.greedy(L, 0, 0.0, pair.table("argmax", None))
    hyp_ok = pair.behavior(M0, ctx0) <= p.gamma
    run.hypothesis += hyp_ok
    case = _Case(i, m, p, math.nan, n_r, n_p, pair, p.gamma / 2)
    users: tuple[_User, ...] = ("realign", "sample")
    for user in users:
        cont = _continuation(pair, M0, ctx0, max(n_r, n_p), rng, user)
        _proposition1_user(run, case, s0, user, cont.behaviors, hyp_ok)
    if n_r:
        run.ratios.append(n_r / L)


def _proposition1_user(run: _P1Run, case: _Case, s0: list[int], user: _User,
                       b: tuple[float, ...], hyp_ok: bool) -> None:
    level, L = case.level, len(s0)
    t = _first_not_below(b[:case.n_r + 1], level)
    if t is not None:
        run.repaired.append(case.record(run.seed, user=user, s0=L, n_repaired=case.n_r, at=t,
                                        B=b[t], **{"gamma/2": level}))
    t = _first_not_below(b[:case.n_p + 1], level) if hyp_ok else None
    if t is not None:
        run.add_printed(user, case.record(run.seed, user=user, s0=L, n_repaired=case.n_r,
                                          n_paper=case.n_p, at=t, B=b[t],
                                          **{"gamma/2": level}))
        if run.example is None or run.example[-1] != "fail":
            run.example = (case, s0, user, "fail")
    if run.example is None and case.n_r > 0:
        run.example = (case, s0, user, "first")


def _proposition1_plot(run: _P1Run) -> PlotData | None:
    if run.example is None:
        return None
    case, s0, user, _ = run.example
    p = case.params
    cont = continuation(case.model, 0, s0, 3 * max(case.n_r, case.n_p) + 10, seed=run.seed,
                        user=user)
    return PlotData(f"Proposition 1, random model #{case.i}, |s0| = {len(s0)} ({user} user)",
                    "continuation length |s1| (sentences)",
                    [("B_P(s0 + s1)", list(range(len(cont.behaviors))), list(cont.behaviors))],
                    [("gamma/2", p.gamma / 2), ("gamma", p.gamma)],
                    [("repaired bound", case.n_r), ("printed bound", case.n_p)])


# -------------------------------------------------------------------------------- corollary 1


@dataclass
class _Level:
    """Corollary 1 at one prior level ``10**-k`` of the toxic persona X."""

    pers: list[int] = field(default_factory=list)
    direct: list[int] = field(default_factory=list)
    bx: list[float] = field(default_factory=list)
    bd: list[float] = field(default_factory=list)
    bound_x: list[int] = field(default_factory=list)
    bound_d: list[int] = field(default_factory=list)
    never: int = 0
    bad_gamma: int = 0

    def row(self, k: int, per: int) -> dict[str, Any]:
        return {"w_X": 10.0 ** -k, "beta_X": statistics.median(self.bx),
                "beta_D": statistics.median(self.bd),
                "persona length (median)": statistics.median(self.pers) if self.pers else None,
                "direct length (median)": statistics.median(self.direct) if self.direct else None,
                "persona shorter": sum(a < b for a, b in zip(self.pers, self.direct, strict=True)),
                "models": per, "skipped (gamma >= 0)": self.bad_gamma,
                "no success within n_max": self.never,
                "Thm 4 bound X (median)": statistics.median(self.bound_x),
                "Thm 4 bound D (median)": statistics.median(self.bound_d)}


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
    stats: dict[str, Any] = {}
    example = None
    qualifying = 0
    for k in levels:
        acc = _Level()
        for i in range(per):
            m = corollary_model(np.random.default_rng([seed, 6, k, i]), k)
            level = _corollary1_model(acc, m, n_max)
            if level is not None and example is None and k == levels[-1]:
                example = (m, level, k)
        stats[f"k={k}"] = acc.row(k, per)
        qualifying += per - acc.bad_gamma
    notes = ["the greedy persona prompt is a heuristic adversary (no length guarantee); "
             "Theorem 4's bounds are dominated by 32 (c/beta)^2 log|Phi|"]
    return SimResult(ResultId.COROLLARY1, seed, per * len(levels), Counts(qualifying=qualifying),
                     stats, [], [], notes, _corollary1_plot(example))


def _corollary1_model(acc: _Level, m: Mixture, n_max: int) -> float | None:
    """Record one model; the level gamma + eps when both greedy prompts reach it, else None."""
    gam = max(float(sup_behavior(m, 2)), float(sup_behavior(m, 1)))
    if not gam < 0:  # Definition 5 needs gamma in [-1, 0)
        acc.bad_gamma += 1
        return None
    level = gam + 0.1
    lens = []
    for target in (2, 1):
        _, traj = persona_greedy_prompt(m, target, n_max, stop_below=level)
        lens.append(_first_below(traj, level))
    bxk = min(martingale_distinguishability(m, 2).values())
    bdk = min(martingale_distinguishability(m, 1).values())
    acc.bx.append(bxk)
    acc.bd.append(bdk)
    for target, b_, out in ((2, bxk, acc.bound_x), (1, bdk, acc.bound_d)):
        c = max(similarity(m, target, j) for j in range(3) if j != target)
        out.append(bound_length(ResultId.THEOREM4, alpha=float(m.weights[target]), beta=b_,
                                gamma=gam, eps=0.1, c=c, phi=3))
    if lens[0] is None or lens[1] is None:
        acc.never += 1
        return None
    acc.pers.append(lens[0])
    acc.direct.append(lens[1])
    return level


def _corollary1_plot(example: tuple[Mixture, float, int] | None) -> PlotData | None:
    if example is None:
        return None
    m, level, k = example
    series = []
    for target, label in ((2, "persona X"), (1, "direct D")):
        _, traj = persona_greedy_prompt(m, target, 60)
        series.append((f"B_P, greedy toward {label}", list(range(len(traj))), traj.tolist()))
    return PlotData(f"Corollary 1, k = {k} (w_X = 1e-{k})", "prompt length (sentences)",
                    series, [("gamma + eps", level)])


# ------------------------------------------------------------------------------- conjecture 1


@dataclass
class _Tilted:
    """Conjecture 1 at one tilt ``eta``: how the split's parameters moved."""

    models: int = 0
    beta_up: int = 0
    beta_down: int = 0
    alpha_down: int = 0
    both: int = 0  # alpha down and beta up
    still_def3: int = 0
    shorter: int = 0  # the repaired Theorem 1 length (eps = 0.1) is shorter after the tilt
    beta_ratio: list[float] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        n = max(self.models, 1)
        return {"models": self.models, "beta up": self.beta_up / n,
                "beta down": self.beta_down / n, "alpha down": self.alpha_down / n,
                "alpha down and beta up": self.both / n, "still Def. 3": self.still_def3 / n,
                "Thm 1 length shorter": self.shorter / n,
                "median beta after/before": statistics.median(self.beta_ratio)
                if self.beta_ratio else math.nan}


_ConjExample = tuple[Mixture, Mixture, SplitParams, SplitParams, float, int, int, int]


def conjecture1(seed: int = 0, models: int = 1000,
                etas: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0)) -> SimResult:
    """Conjecture 1: does an alignment-tuning step (``models.tilt``) increase beta?

    For random qualifying two-persona models and each eta: the fractions with beta increased /
    decreased, alpha decreased, both (alpha down and beta up), the split still meeting
    Definition 3, and the repaired Theorem 1 length (eps = 0.1) shorter after tuning.
    """
    _check_run(seed, models)
    table = {eta: _Tilted() for eta in etas}
    example: _ConjExample | None = None
    qualifying = 0
    for i in range(models):
        m, _ = pair_model(seed, 7, i)
        p = split_parameters(m, 0)
        if not p.meets_definition3():
            continue
        qualifying += 1
        ex = _conjecture1_model(table, m, p, i)
        example = example if example is not None else ex
    stats: dict[str, Any] = {f"eta={eta:g}": row.row() for eta, row in table.items()}
    notes = ["tilt: every next-sentence law p(s) -> p(s) exp(eta B(s))/Z and priors "
             "w -> w Z_pi (the exact tilt of the first sentence); a local stand-in for "
             "RLHF, not a sequence-level tilt"]
    return SimResult(ResultId.CONJECTURE1, seed, models, Counts(qualifying=qualifying), stats,
                     [], [], notes, _conjecture1_plot(example))


def _conjecture1_model(table: dict[float, _Tilted], m: Mixture, p: SplitParams,
                       i: int) -> _ConjExample | None:
    """Tilt one model by every eta; the first tilt lowering alpha, raising beta, shortening."""
    n0 = bound_length(ResultId.THEOREM1, alpha=p.alpha, beta=p.beta, gamma=p.gamma, eps=0.1)
    example = None
    for eta, row in table.items():
        mt = tilt(m, eta)
        q = split_parameters(mt, 0)
        row.models += 1
        row.beta_up += q.beta > p.beta
        row.beta_down += q.beta < p.beta
        row.alpha_down += q.alpha < p.alpha
        row.both += q.alpha < p.alpha and q.beta > p.beta
        row.beta_ratio.append(q.beta / p.beta)
        if q.meets_definition3():
            row.still_def3 += 1
            n1 = bound_length(ResultId.THEOREM1, alpha=q.alpha, beta=q.beta, gamma=q.gamma,
                              eps=0.1)
            row.shorter += n1 < n0
            if example is None and q.beta > p.beta and q.alpha < p.alpha and n1 < n0:
                example = (m, mt, p, q, eta, n0, n1, i)
    return example


def _conjecture1_plot(example: _ConjExample | None) -> PlotData | None:
    if example is None:
        return None
    m, mt, p, q, eta, n0, n1, i = example
    series = []
    for mod, par, lab in ((m, p, "before"), (mt, q, f"after tilt eta={eta:g}")):
        g = greedy_prompt(mod, 0, max(n0, n1) + 5)
        tr = behavior_trajectory(mod, g.sentences)
        series.append((f"B_P {lab} (beta={par.beta:.3g}, alpha={float(par.alpha):.3g})",
                       list(range(len(tr))), tr.tolist()))
    return PlotData(f"Conjecture 1, random model #{i}", "greedy prompt length",
                    series, [("gamma + 0.1 before", p.gamma + 0.1),
                             ("gamma + 0.1 after", q.gamma + 0.1)],
                    [("Thm 1 repaired length before", n0),
                     ("Thm 1 repaired length after", n1)])


# ------------------------------------------------------------------------------- the dispatch


EXPERIMENTS: dict[ResultId, Callable[..., SimResult]] = {
    ResultId.THEOREM1: theorem1,
    ResultId.THEOREM2: theorem2,
    ResultId.THEOREM3: theorem3,
    ResultId.THEOREM4: theorem4,
    ResultId.PROPOSITION1: proposition1,
    ResultId.COROLLARY1: corollary1,
    ResultId.CONJECTURE1: conjecture1,
}
"""The experiment of each result ``bebcheck simulate`` knows."""
