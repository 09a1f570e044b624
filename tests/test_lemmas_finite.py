"""The cited probability lemmas on exact finite instances (Fractions), with Hypothesis."""

from __future__ import annotations

from fractions import Fraction

import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from bebcheck.checks.evaluate import holds
from bebcheck.symbolic.lemmas import LEMMAS

probs = st.lists(st.integers(1, 20), min_size=2, max_size=5).map(
    lambda ws: [Fraction(w, sum(ws)) for w in ws])


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
    mean = sum(p * x for p, x in zip(dist, xs, strict=False))
    if mean > b:
        assert any(x > b for p, x in zip(dist, xs, strict=False) if p > 0)


def test_exists_above_mean_fails_with_equality_not_strict():
    """The lemma needs E[X] > b: with E[X] = b a constant X has no X(s) > b."""
    assert not any(x > 1 for x in [1, 1])


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
    from bebcheck.checks.evaluate import evaluate

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
