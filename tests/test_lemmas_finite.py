"""The cited probability lemmas on exact finite instances (Fractions), with Hypothesis."""

from __future__ import annotations

from fractions import Fraction

import sympy as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bebcheck.checks.engines._certified import holds
from bebcheck.symbolic.lemmas import LEMMAS

from .strategies import probs


def _two(dist_a, dist_b):
    k = min(len(dist_a), len(dist_b))
    a = dist_a[:k]
    b = dist_b[:k]
    return [x / sum(a) for x in a], [x / sum(b) for x in b]


@settings(max_examples=60, deadline=None)
@given(probs, probs, probs, probs, st.fractions(Fraction(1, 100), Fraction(99, 100)),
       st.lists(st.fractions(-1, 1), min_size=5, max_size=5))
def test_mixture_posterior_linearity_on_two_step_markov_mixtures(p1, q1, p2, q2, alpha, score):
    """E_{P(.|s)}[B] = w E_{P-(.|s)}[B] + (1-w) E_{P+(.|s)}[B], exactly."""
    p1, q1 = _two(p1, q1)
    p2, q2 = _two(p2, q2)
    k = min(len(p1), len(p2))
    p1, q1, p2, q2 = p1[:k], q1[:k], p2[:k], q2[:k]
    p1, q1 = [x / sum(p1) for x in p1], [x / sum(q1) for x in q1]
    p2, q2 = [x / sum(p2) for x in p2], [x / sum(q2) for x in q2]
    s = 0  # the prompt: first sentence s
    # P-(s ⊕ t) = p1[s] p2[t]; P+(s ⊕ t) = q1[s] q2[t]
    joint = [alpha * p1[s] * p2[t] + (1 - alpha) * q1[s] * q2[t] for t in range(k)]
    cond = [j / sum(joint) for j in joint]
    lhs = sum(c * score[t] for t, c in enumerate(cond))
    w = alpha * p1[s] / (alpha * p1[s] + (1 - alpha) * q1[s])
    em = sum(p2[t] * score[t] for t in range(k))
    ep = sum(q2[t] * score[t] for t in range(k))
    inst = LEMMAS["mixture_posterior_linearity"].instance(w=w, e_minus=em, e_plus=ep, e=lhs)
    assert all(holds(h, {}) for h in inst.side_conditions)
    assert holds(inst.conclusion, {}) is True


@settings(max_examples=60, deadline=None)
@given(probs, st.lists(st.fractions(-5, 5), min_size=5, max_size=5), st.fractions(-5, 5))
def test_exists_above_mean_on_finite_distributions(dist, xs, b):
    """Whenever the library lemma's side condition holds, its conclusion holds at some s."""
    xs = xs[: len(dist)]
    mean = sum(p * x for p, x in zip(dist, xs, strict=True))
    best = max(x for p, x in zip(dist, xs, strict=True) if p > 0)  # the s the lemma promises
    inst = LEMMAS["exists_above_mean"].instance(mean=mean, b=b, x_s=sp.Symbol("xs", real=True))
    (w,) = inst.witnesses
    if all(holds(h, {}) for h in inst.side_conditions):
        assert holds(inst.conclusion, {w: best}) is True


def test_exists_above_mean_side_condition_rejects_equality():
    """With E[X] = b a constant X has no X(s) > b: the lemma's strict premise must fail."""
    inst = LEMMAS["exists_above_mean"].instance(mean=1, b=1, x_s=sp.Symbol("xs", real=True))
    assert not all(holds(h, {}) for h in inst.side_conditions)
    (w,) = inst.witnesses
    assert holds(inst.conclusion, {w: Fraction(1)}) is False


@settings(max_examples=60, deadline=None)
@given(probs, probs, probs, probs)
def test_chain_rule_of_log_likelihood_ratios_exactly(pa, pb, qa, qb):
    """log(P(x⊕y)/Q(x⊕y)) = log(P(y|x)/Q(y|x)) + log(P(x)/Q(x)): checked in exact rationals."""
    a, b, u, v = pa[0], pb[0], qa[0], qb[0]
    # exponentiated form is exact in rationals: (a b)/(u v) == (b/v)(a/u)
    assert (a * b) / (u * v) == (b / v) * (a / u)
    inst = LEMMAS["chain_rule_llr"].instance(a=a, b=b, u=u, v=v)
    assert all(holds(h, {}) for h in inst.side_conditions)
    # and the logarithmic statement holds within Arb at 256 bits (an equality cannot be
    # certified by balls, so check the difference's enclosure contains 0 and is tiny)
    from bebcheck.checks.engines._certified import evaluate

    R = sp.Rational
    d = evaluate(sp.log(R(a * b) / R(u * v)) - sp.log(R(b) / R(v)) - sp.log(R(a) / R(u)), {})
    if isinstance(d, type(evaluate(sp.Integer(0), {}))):
        assert d == 0  # sympy simplified the logs exactly
        return
    assert d.contains(0) and d.rad() < 1e-60


@settings(max_examples=60, deadline=None)
@given(probs, st.lists(st.fractions(-1, 1), min_size=5, max_size=5))
def test_expectation_bounds(dist, xs):
    mean = sum(p * x for p, x in zip(dist, xs, strict=False))
    inst = LEMMAS["expectation_bounds"].instance(lo=-1, hi=1, mean=mean)
    assert holds(inst.conclusion, {}) is True


def test_lemma_instance_rejects_unknown_and_unbound_variables():
    import pytest

    from bebcheck.symbolic.errors import InputError

    with pytest.raises(InputError):
        LEMMAS["bernoulli"].instance(y=1)
    with pytest.raises(InputError):
        LEMMAS["log_mul"].instance(x=1)
    with pytest.raises(InputError):
        LEMMAS["exists_above_mean"].instance(mean=1, b=0, x_s=sp.Integer(3))


# --- Azuma–Hoeffding, union bound, tower property on exact finite instances -------------------

steps3 = st.tuples(st.integers(0, 10), st.integers(0, 10), st.integers(1, 10))


def _azuma_bound(n, d, t):
    """The lemma's right-hand side, taken from its statement (not retyped)."""
    lem = LEMMAS["azuma_hoeffding"]
    sub = dict(zip((str(v) for v in lem.variables), (n, d, t, 0, 0), strict=True))
    return lem.conclusion.rhs.xreplace({v: sp.Integer(sub[str(v)]) for v in lem.variables})


def _certified_le(p: Fraction, bound) -> bool:
    """p <= bound, decided in Arb (True only when certain)."""
    from bebcheck.checks.engines._certified import evaluate

    b = evaluate(bound, {})
    return bool(b >= evaluate(sp.Rational(p.numerator, p.denominator), {}))


def _submartingale_law(raw):
    """A law on {-1, 0, 1} with mean >= 0 (a sub-martingale increment, |X| <= 1)."""
    a, b, c = raw  # weights of -1, 0, +1
    c = max(c, a)  # ensure mean = (c - a)/total >= 0
    tot = a + b + c
    return {-1: Fraction(a, tot), 0: Fraction(b, tot), 1: Fraction(c, tot)}


@settings(max_examples=40, deadline=None)
@given(st.lists(steps3, min_size=2, max_size=5), st.integers(1, 5))
def test_azuma_hoeffding_bound_holds_on_history_dependent_submartingales(raws, t):
    """P(Z_n - Z_0 <= -t) <= exp(-t^2/(2 n d^2)), d = 1, computed exactly (law depends on sign)."""
    laws_pos = [_submartingale_law(r) for r in raws]
    laws_neg = [_submartingale_law(tuple(reversed(r))) for r in raws]  # another law after a dip
    n = len(raws)
    dist = {0: Fraction(1)}
    for k in range(n):
        nxt: dict[int, Fraction] = {}
        for z, pz in dist.items():
            law = laws_pos[k] if z >= 0 else laws_neg[k]
            for x, px in law.items():
                nxt[z + x] = nxt.get(z + x, Fraction(0)) + pz * px
        dist = nxt
    p = sum((pz for z, pz in dist.items() if z <= -t), Fraction(0))
    assert _certified_le(p, _azuma_bound(n, 1, t))


def test_azuma_bound_is_not_vacuous_on_a_fair_walk():
    """A fair ±1 walk of 4 steps: P(Z_4 <= -4) = 1/16 <= exp(-2) ≈ 0.135, and the bound is < 1."""
    assert _certified_le(Fraction(1, 16), _azuma_bound(4, 1, 4))
    assert not _certified_le(Fraction(1, 5), _azuma_bound(4, 1, 4))  # the bound constrains p


@settings(max_examples=60, deadline=None)
@given(probs, st.lists(st.sets(st.integers(0, 4)), min_size=1, max_size=4))
def test_union_bound_on_finite_spaces(dist, events):
    """The library's statement: n events of probability at most u have union at most n·u."""
    pr = lambda ev: sum((dist[i] for i in ev if i < len(dist)), Fraction(0))  # noqa: E731
    union = set().union(*events)
    u = max(pr(ev) for ev in events)
    inst = LEMMAS["union_bound"].instance(n=len(events), p=u, u=u)
    assert all(holds(h, {}) for h in inst.side_conditions)
    bound = inst.conclusion.rhs if hasattr(inst.conclusion, "rhs") else len(events) * u
    assert pr(union) <= bound


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 9), min_size=6, max_size=6),
       st.lists(st.fractions(-3, 3), min_size=6, max_size=6))
def test_tower_property_on_a_finite_joint_law(weights, xs):
    """E[E[X | Y]] = E[X] for a joint law on 3 values of Y times 2 outcomes each."""
    tot = sum(weights)
    p = [Fraction(w, tot) for w in weights]
    ys = [0, 0, 1, 1, 2, 2]
    ex = sum(pi * x for pi, x in zip(p, xs, strict=True))
    inner = Fraction(0)
    for y in {0, 1, 2}:
        py = sum(pi for pi, yy in zip(p, ys, strict=True) if yy == y)
        cond = sum(pi * x for pi, x, yy in zip(p, xs, ys, strict=True) if yy == y) / py
        inner += py * cond
    inst = LEMMAS["tower_property"].instance(mean=ex, x=inner)
    assert holds(inst.conclusion, {}) is True


def _mp(x: Fraction):
    import mpmath

    return mpmath.mpf(x.numerator) / x.denominator


def _up(x, margin: str = "1e-40") -> Fraction:
    """A rational a little above the mpmath number x (at 50 digits, whatever the caller's)."""
    import mpmath

    with mpmath.workdps(50):
        return Fraction(mpmath.nstr(x + mpmath.mpf(margin), 45, strip_zeros=False))


@settings(max_examples=80, deadline=None)
@given(probs, probs)
@example([Fraction(1, 3), Fraction(2, 3)], [Fraction(2, 3), Fraction(1, 3)])  # attains the cap
def test_kl_bounded_ratio_on_finite_distributions(p, q):
    """KL(P||Q) < c tanh(c/2) whenever every log ratio lies in (-c, c), with c just above the
    largest |log P/Q| (the tightest c the premise allows).  Two-point distributions with log
    ratios ±c0 attain c0 tanh(c0/2): c = c0 + 1e-30 leaves a gap of about 1e-30 times the
    cap's slope (> 0.04 here), far above KL's rounding (1e-40)."""
    import mpmath

    p, q = _two(p, q)
    with mpmath.workdps(50):
        logs = [mpmath.log(_mp(a) / _mp(b)) for a, b in zip(p, q, strict=True)]
        c = _up(max(abs(x) for x in logs), "1e-30") if any(logs) else Fraction(1, 1000)
        kl = _up(sum(_mp(a) * x for a, x in zip(p, logs, strict=True)))
    inst = LEMMAS["kl_bounded_ratio"].instance(kl=kl, c_s=c)
    assert all(holds(h, {}) for h in inst.side_conditions)
    assert holds(inst.conclusion, {}) is True


def test_kl_bounded_ratio_is_attained_in_the_limit():
    """Two points with log ratios ±c' (c' just below c) come within 1e-5 of the bound: the
    lemma cannot be sharpened, so witnesses that meet it are not excluded by a better one."""
    import mpmath

    c = Fraction(3, 2)
    with mpmath.workdps(50):
        cp = _mp(c) * (1 - mpmath.mpf("1e-7"))
        e = mpmath.exp(cp)
        p, q = [e / (e + 1), 1 / (e + 1)], [1 / (e + 1), e / (e + 1)]
        kl = sum(a * mpmath.log(a / b) for a, b in zip(p, q, strict=True))
        cap = _mp(c) * mpmath.tanh(_mp(c) / 2)
        assert cap * (1 - mpmath.mpf("1e-5")) < kl < cap
    bad = LEMMAS["kl_bounded_ratio"].instance(kl=_up(cap), c_s=c)  # at the bound: not below
    assert holds(bad.conclusion, {}) is False


@settings(max_examples=120, deadline=None)
@given(st.lists(st.integers(1, 9), min_size=1, max_size=7),
       st.lists(st.fractions(-5, 5, max_denominator=12), min_size=7, max_size=7),
       st.fractions(Fraction(1, 20), 6, max_denominator=20))
@example(weights=[1, 1], values=[Fraction(-1), Fraction(1)] + [Fraction(0)] * 5, lam=Fraction(1))
def test_cantelli_on_exact_finite_distributions(weights, values, lam):
    """P(X - E X >= lam) <= Var X / (Var X + lam^2), exactly, through the library's statement
    (the instance's side conditions hold and its conclusion is true at the exact values)."""
    total = sum(weights)
    dist = [Fraction(w, total) for w in weights]
    xs = values[: len(dist)]
    mean = sum(p * x for p, x in zip(dist, xs, strict=True))
    var = sum(p * (x - mean) ** 2 for p, x in zip(dist, xs, strict=True))
    tail = sum((p for p, x in zip(dist, xs, strict=True) if x - mean >= lam), Fraction(0))
    inst = LEMMAS["cantelli"].instance(var=var, lam=lam, p=tail)
    assert all(holds(h, {}) for h in inst.side_conditions)
    assert holds(inst.conclusion, {})


def test_cantelli_is_attained_by_a_two_point_law():
    """X = lam with probability v/(v + lam^2), else -v/lam: mean 0, variance v, and the tail
    equals the bound (so the statement cannot be strengthened, and a tighter one fails here)."""
    v, lam = Fraction(3), Fraction(2)
    p = v / (v + lam**2)
    xs, dist = [lam, -v / lam], [p, 1 - p]
    assert sum(q * x for q, x in zip(dist, xs, strict=True)) == 0
    assert sum(q * x * x for q, x in zip(dist, xs, strict=True)) == v
    inst = LEMMAS["cantelli"].instance(var=v, lam=lam, p=p)
    assert holds(inst.conclusion, {})
    tighter = LEMMAS["cantelli"].instance(var=v * Fraction(99, 100), lam=lam, p=p)
    assert not holds(tighter.conclusion, {})



@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 9), min_size=2, max_size=6),
       st.lists(st.integers(0, 9), min_size=6, max_size=6),
       st.fractions(Fraction(1, 10), 10, max_denominator=10))
def test_ratio_tail_on_exact_finite_distributions(p_weights, q_weights, r):
    """Q(P/Q >= r) <= P(P/Q >= r)/r for distributions P, Q on a finite set (t = log r; points
    where Q = 0 and P > 0 have an infinite ratio and belong to the event), exactly, through
    the library's statement: side conditions hold and the conclusion is true."""
    n = len(p_weights)
    q_weights = q_weights[:n]
    if sum(p_weights) == 0 or sum(q_weights) == 0:
        p_weights, q_weights = [1, *p_weights[1:]], [1, *q_weights[1:]]
    pd = [Fraction(w, sum(p_weights)) for w in p_weights]
    qd = [Fraction(w, sum(q_weights)) for w in q_weights]
    event = [p > 0 and p >= r * q for p, q in zip(pd, qd, strict=True)]
    q_tail = sum((q for q, e in zip(qd, event, strict=True) if e), Fraction(0))
    p_tail = sum((p for p, e in zip(pd, event, strict=True) if e), Fraction(0))
    t = sp.log(sp.Rational(r.numerator, r.denominator))
    inst = LEMMAS["ratio_tail"].instance(q=q_tail, p=p_tail, t=t)
    assert all(holds(h, {}) for h in inst.side_conditions)
    assert holds(inst.conclusion, {})


def test_ratio_tail_is_attained_when_the_ratio_is_constant_on_the_event():
    """P = (1/2, 1/2), Q = (1/8, 7/8), r = 4: Q(A) = 1/8 = P(A)/4; a larger r' fails."""
    q_tail, p_tail = Fraction(1, 8), Fraction(1, 2)
    assert holds(LEMMAS["ratio_tail"].instance(q=q_tail, p=p_tail, t=sp.log(4)).conclusion, {})
    tighter = LEMMAS["ratio_tail"].instance(q=q_tail, p=p_tail, t=sp.log(sp.Rational(41, 10)))
    assert not holds(tighter.conclusion, {})
