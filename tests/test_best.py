"""The best lengths (proofs/beb_v1/best.py): declarations, NumPy == oracle == sympy, optimality."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mpmath import mp, mpf

from bebcheck.checks import numeric
from bebcheck.checks.numeric import oracle
from bebcheck.proofs.beb_v1.best import (
    AZUMA_INTERVAL,
    BEST,
    TURN,
    best_eps_prime,
    lemma1_threshold,
    per_turn,
)
from bebcheck.proofs.beb_v1.bounds import BOUNDS, sentences_per_turn
from bebcheck.proofs.beb_v1.results import ResultId
from bebcheck.symbolic.errors import InputError

from .strategies import POINT

__all__: list[str] = []

RESULTS = list(BEST)
SETTINGS = settings(max_examples=20, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
PT = {"alpha": 0.01, "beta": 0.1, "gamma": -0.5, "eps": 0.1, "c": 0.2, "s0": 0, "phi": 10,
      "reply": 1, "turn": 0}


def _point(result: str, pt: dict[str, float]) -> dict[str, float]:
    return {k: pt.get(k, 0) for k in BEST[result].params}


def _turns(draw_turn: int, pt: dict[str, float]) -> int:
    """0 (the paper's per-turn length), or a cap L with beta L > A c, exactly at the floats."""
    if draw_turn == 0:
        return 0
    least = math.floor(Fraction(pt["c"]) * pt["reply"] / Fraction(pt["beta"])) + 1
    return least + draw_turn - 1 if least + draw_turn < 2**50 else 0


POINTS = st.tuples(POINT, st.integers(0, 60)).map(
    lambda t: {**t[0], "turn": _turns(t[1], t[0])})


# ---------------------------------------------------------------------------------------------
# the declarations


def test_best_lengths_sit_beside_every_repaired_length():
    assert set(BEST) == set(BOUNDS)
    for r, b in BEST.items():
        rep = BOUNDS[r]
        assert b.kind is rep.kind
        assert b.paper_threshold == rep.paper_threshold
        assert set(rep.params) <= set(b.params)
    for r in (ResultId.THEOREM1, ResultId.THEOREM2, ResultId.PROPOSITION1):
        assert BEST[r].threshold == BOUNDS[r].threshold  # no free choice left
    assert BEST[ResultId.THEOREM3].threshold != BOUNDS[ResultId.THEOREM3].threshold
    assert BEST[ResultId.THEOREM4].threshold != BOUNDS[ResultId.THEOREM4].threshold
    assert TURN.default == 0 and TURN.integer


def test_the_default_turn_is_the_papers_and_theorem4_keeps_the_prior():
    c, beta, a = sp.Rational(3, 2), sp.Rational(1, 10), sp.Integer(2)
    assert per_turn(c, beta, a, 0) == sentences_per_turn(c, beta, a) == 32
    assert per_turn(c, beta, a, 40) == 40
    al, e, g = sp.Rational(1, 100), sp.Rational(1, 10), sp.Rational(1, 2)
    assert best_eps_prime(al, e, g) * (1 - al) / al == e / (1 + g - e)
    # the root of (n beta - ell)^2 = 2 n c^2 K, and K = 0 leaves ell/beta
    be, cc, ell, k = sp.Rational(1, 3), sp.Rational(1, 5), sp.Rational(7), sp.Rational(2)
    n = lemma1_threshold(be, cc, ell, k)
    assert sp.simplify((n * be - ell) ** 2 - 2 * n * cc**2 * k) == 0
    assert lemma1_threshold(be, cc, ell, 0) == ell / be


# ---------------------------------------------------------------------------------------------
# NumPy == oracle == sympy


def _close(t_np: float, o: oracle.OracleValue) -> bool:
    t = o.threshold
    if mpmath.isinf(t):
        return t_np == float(t)
    return abs(mpf(t_np) - t) <= 1e-12 * max(abs(t), o.scale, 1)


@pytest.mark.parametrize("result", RESULTS)
@SETTINGS
@given(pts=st.lists(POINTS, min_size=1, max_size=3))
def test_best_numpy_sympy_and_oracle_agree(result: str, pts: list[dict[str, float]]):
    params = BEST[result].params
    arrays = {p: np.array([pt[p] for pt in pts], dtype=np.float64) for p in params}
    v = numeric.compute(result, best=True, dominance=True, **arrays)
    keys = numeric.term_keys(result, best=True)
    assert v.best and v.terms == BEST[result].terms
    for i, pt in enumerate(pts):
        p = _point(result, pt)
        o = oracle.evaluate_point(result, p, best=True)
        assert int(v.length[i]) == o.length, (p, v.length[i], o)
        assert _close(float(v.threshold[i]), o), (p, v.threshold[i], o)
        rep = oracle.evaluate_point(result, {k: p[k] for k in BOUNDS[result].params})
        if pt["turn"] == 0 and (result != "theorem4" or pt["s0"] == 0):  # never longer
            assert o.length <= rep.length if BEST[result].kind.value == "at_least" \
                else o.length >= rep.length
        slack = 1 - Fraction(pt["gamma"]) - Fraction(pt["eps"])
        if slack > Fraction(1, 10**6) and not o.arb_decided and o.length < 10**12:
            with mp.workdps(20):
                t = o.threshold if mpmath.isfinite(o.threshold) else mpf(0)
                size = 0 if t == 0 else max(0, int(mpmath.log10(abs(t))))
            dps = numeric.DPS + size + 40
            assert oracle.sympy_length(result, p, dps=dps, best=True) == o.length
            if result == "theorem4" and not mpmath.isfinite(o.threshold):
                continue  # no prompt needed: the declared terms may be undefined (log 0, ...)
            ot, sy = oracle.terms(result, p, best=True), oracle.sympy_terms(result, p, dps=dps,
                                                                            best=True)
            assert list(ot) == list(sy) == list(keys)
            for key, val in ot.items():
                assert abs(sy[key] - val) <= mpf(10) ** (-30) * max(1, abs(val)), key


@pytest.mark.parametrize("k", [1, 7, 1000, 10**6])
def test_near_integer_best_thresholds_are_decided_exactly(k: int):
    # |Phi| = 2 (K = 0): Theorem 4's best threshold is ell/beta; put it within 1e-12 of k
    pt = {"alpha": 0.01, "gamma": -0.5, "eps": 0.1, "c": 0.3, "phi": 2, "s0": 3}
    with mp.workdps(60):
        ell = mpmath.log(mpf(0.99) * (mpf(1.5) - mpf(0.1)) / (mpf(0.01) * mpf(0.1))) + 3 * mpf(0.3)
        pt["beta"] = float(ell / (k + mpf(1e-13)))
    o = oracle.evaluate_point("theorem4", pt, best=True)
    fast = numeric.compute("theorem4", best=True, resolve=False, **pt)
    exact = numeric.compute("theorem4", best=True, **pt)
    assert int(exact.length) == o.length
    assert bool(fast.flagged) or int(fast.length) == o.length
    assert oracle.sympy_length("theorem4", pt, dps=200, best=True) == o.length


def test_best_extremes_are_exact_integers():
    pt = {"alpha": 1e-300, "beta": 1e-12, "gamma": -0.5, "eps": 1e-300, "c": 1.0, "phi": 10**12,
          "s0": 10**5}
    v = numeric.compute("theorem4", best=True, **pt)
    n = v.length.item() if v.length.dtype != object else v.length.reshape(-1)[0]
    assert isinstance(n, int) and n > 2**53
    assert n == oracle.length("theorem4", pt, best=True)
    assert n < oracle.length("theorem4", pt)


def test_no_prompt_cases_of_theorem4():
    base = {"alpha": 0.3, "beta": 1.0, "gamma": -0.5, "c": 1.0, "s0": 0}
    for pt in ({**base, "eps": 0.1, "phi": 1},  # one persona: nothing to outweigh
               {**base, "eps": 1.5, "phi": 5},  # eps >= 1 + gamma'
               {**base, "alpha": 0.9, "eps": 1.4, "phi": 5}):  # log(1/eps') < 0
        assert oracle.length("theorem4", pt, best=True) == 0
        assert int(numeric.length("theorem4", best=True, **pt)) == 0


# ---------------------------------------------------------------------------------------------
# optimality: the argument's inequality holds at the best length and fails one sentence sooner


def _mpq(x: float | Fraction) -> mpf:
    x = Fraction(x)
    return mpf(x.numerator) / x.denominator


def _need(pt: dict[str, float]) -> mpf:
    a, g, e = (_mpq(pt[k]) for k in ("alpha", "gamma", "eps"))
    return mpmath.log((1 - a) / a) + mpmath.log((1 - g - e) / e)


@settings(max_examples=40, deadline=None)
@given(a=st.sampled_from([1e-6, 0.01, 0.3]), beta=st.sampled_from([0.05, 0.3, 1.0]),
       c=st.sampled_from([0.3, 1.0, 2.5]), reply=st.integers(1, 3), extra=st.integers(1, 30))
def test_theorem3_best_split_is_the_fewest_sentences_by_brute_force(a, beta, c, reply, extra):
    pt = {"alpha": a, "beta": beta, "gamma": -0.5, "eps": 0.1, "c": c, "reply": reply}
    L = math.floor(Fraction(c) * reply / Fraction(beta)) + 1 + extra
    best = oracle.length("theorem3", {**pt, "turn": L}, best=True)
    with mp.workdps(50):
        need, b, cost = _need(pt), mpf(beta), mpf(c) * reply
        fewest = min(int(mpmath.floor((need + n * cost) / b)) + 1 for n in range(1, 5000)
                     if n * (b * L - cost) > need)  # n turns of at most L must hold Q
        assert best == fewest
        n = next(n for n in range(1, 5000) if n * (b * L - cost) > need)
        assert b * best - n * cost > need >= b * (best - 1) - n * cost
    assert oracle.length("theorem3", {**pt, "turn": L + 1}, best=True) <= best  # a longer cap


def test_theorem3_longer_turns_trade_per_turn_length_for_a_shorter_total():
    pt = {"alpha": 0.01, "beta": Fraction(1, 10), "gamma": Fraction(-1, 2), "eps": Fraction(1, 10),
          "c": 1, "reply": 1}
    totals = [oracle.length("theorem3", {**pt, "turn": L}, best=True) for L in range(11, 200)]
    assert all(x >= y for x, y in itertools.pairwise(totals))  # never longer
    rep = oracle.length("theorem3", pt)
    default = oracle.length("theorem3", {**pt, "turn": 0}, best=True)
    q = int(sentences_per_turn(Fraction(1), Fraction(1, 10)))
    assert default == oracle.length("theorem3", {**pt, "turn": q}, best=True)
    assert rep - q < default <= rep
    one_turn = math.floor((_need(pt) + 1) * 10) + 1  # one turn: T + A c over beta
    assert totals[-1] == one_turn < default


def test_theorem3_turn_must_gain():
    pt = {"alpha": 0.01, "beta": 0.5, "gamma": -0.5, "eps": 0.1, "c": 1.0, "reply": 1, "turn": 2}
    with pytest.raises(InputError, match="beta L > A c"):
        oracle.length("theorem3", pt, best=True)
    with pytest.raises(InputError, match="beta L > A c"):
        numeric.compute("theorem3", best=True, **pt)
    with pytest.raises(InputError, match="exclude"):
        numeric.compute("theorem3", best=True, paper=True, **pt)


@settings(max_examples=60, deadline=None)
@given(pt=POINT.filter(lambda p: p["phi"] >= 3 and p["eps"] < 0.5 and p["beta"] > 1e-6
                       and p["c"] / p["beta"] < 1e4))
def test_theorem4_best_length_meets_the_union_bound_and_one_less_does_not(pt):
    p = _point("theorem4", pt)
    n = oracle.length("theorem4", p, best=True)
    with mp.workdps(60):
        e = best_eps_prime(*(Fraction(p[k]) for k in ("alpha", "eps")), -Fraction(p["gamma"]))
        ell = -mpmath.log(mpf(e.numerator) / e.denominator) + mpf(p["s0"]) * mpf(p["c"])
        if ell < 0:
            assert n == 0
            return
        b, c, K = mpf(p["beta"]), mpf(p["c"]), mpmath.log(p["phi"] - 1)

        def works(m: int) -> bool:
            return m * b > ell and (m * b - ell) ** 2 > 2 * m * c**2 * K

        assert works(n)
        assert not works(n - 1)


# ---------------------------------------------------------------------------------------------
# the cited lemma: Hoeffding–Azuma for increments in an interval, on exact finite instances


def _interval_bound(n: int, w: Fraction, t: Fraction) -> sp.Expr:
    sub = dict(zip((str(v) for v in AZUMA_INTERVAL.variables), (n, w, t, 0), strict=True))
    return AZUMA_INTERVAL.conclusion.rhs.xreplace(
        {v: sp.Rational(sub[str(v)]) for v in AZUMA_INTERVAL.variables})


def _certified_le(p: Fraction, bound: sp.Expr) -> bool:
    from bebcheck.checks.engines._certified import evaluate

    return bool(evaluate(bound, {}) >= evaluate(sp.Rational(p.numerator, p.denominator), {}))


@settings(max_examples=40, deadline=None)
@given(raw=st.lists(st.tuples(st.integers(1, 9), st.integers(0, 9), st.integers(0, 4)),
                    min_size=1, max_size=5),
       t=st.integers(1, 6))
def test_azuma_interval_bound_holds_on_history_dependent_submartingales(raw, t):
    """Increments in [a_k, a_k + 2] with a_k set by the past (a lower start after a dip), mean
    >= 0; P(Z_n - Z_0 <= -t) computed exactly never exceeds exp(-2 t^2/(n w^2)), w = 2."""
    n, w = len(raw), Fraction(2)
    dist = {Fraction(0): Fraction(1)}
    for up, mid, shift in raw:
        nxt: dict[Fraction, Fraction] = {}
        for z, pz in dist.items():
            lo = Fraction(-2) if z < 0 else Fraction(-1 - shift, 5)
            # values lo, lo + 1, lo + 2 with weights making the mean >= 0
            hi = lo + 2
            p_hi = max(Fraction(up, up + mid + 1), -lo / (hi - lo))
            p_mid = (1 - p_hi) * Fraction(mid, mid + 1)
            law = {hi: p_hi, lo + 1: p_mid, lo: 1 - p_hi - p_mid}
            assert sum(v * p for v, p in law.items()) >= 0
            for v, p in law.items():
                nxt[z + v] = nxt.get(z + v, Fraction(0)) + pz * p
        dist = nxt
    tail = sum((p for z, p in dist.items() if z <= -t), Fraction(0))
    assert _certified_le(tail, _interval_bound(n, w, Fraction(t)))


def test_azuma_interval_bound_is_sharper_than_the_papers_and_not_vacuous():
    # a fair +-1 walk (interval width 2) of 4 steps: P(Z_4 <= -4) = 1/16 <= exp(-2) ~ 0.135
    assert _certified_le(Fraction(1, 16), _interval_bound(4, Fraction(2), Fraction(4)))
    assert not _certified_le(Fraction(1, 5), _interval_bound(4, Fraction(2), Fraction(4)))
    # width 2c against the paper's exp(-t^2/(8 n c^2)): four times the exponent
    n, c, t = sp.symbols("n c t", positive=True)
    ours = AZUMA_INTERVAL.conclusion.rhs.xreplace(
        dict(zip(AZUMA_INTERVAL.variables[:3], (n, 2 * c, t), strict=True)))
    assert sp.simplify(sp.log(ours) / (-t**2 / (8 * n * c**2))) == 4
