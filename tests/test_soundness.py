"""Regression tests from the independent soundness review: each once gave a wrong verdict."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from bebcheck.checks.engines._certified import holds
from bebcheck.checks.engines.result import Verdict
from bebcheck.symbolic.errors import InputError
from bebcheck.symbolic.lemmas import EXISTS_ABOVE_MEAN, EXPECTATION_BOUNDS
from bebcheck.symbolic.obligation import Obligation
from bebcheck.symbolic.params import closed, positive, real

X = real("x")
x = X.symbol
Y = real("y")
y = Y.symbol
P = positive("p")
p = P.symbol


@pytest.mark.parametrize("name", ["_L0", "_D0", "a b", "x)", "1x", ""])
def test_reserved_or_unsafe_parameter_names_are_rejected(name):
    with pytest.raises(InputError):
        real(name)


def test_witness_with_a_parameter_name_but_other_assumptions_is_rejected():
    f = EXISTS_ABOVE_MEAN.instance(mean=1, b=0, x_s=sp.Symbol("y"))  # no real=True
    with pytest.raises(InputError):
        Obligation("B", y > 0, (Y,), facts=(f,))


def test_witness_that_is_a_defined_symbol_is_rejected():
    w = sp.Symbol("w", real=True)
    f = EXISTS_ABOVE_MEAN.instance(mean=1, b=0, x_s=w)
    with pytest.raises(InputError):
        Obligation("C", y > 0, (Y,), definitions=((w, y),), facts=(f,))


@pytest.mark.parametrize("hyp", [sp.Implies(x > 0, sp.log(x) > 0), sp.Or(x <= 0, sp.log(x) > 0)])
def test_hypotheses_must_be_conjunctions_of_relations(hyp):
    with pytest.raises(InputError):
        Obligation("D", x > 0, (X,), hypotheses=(hyp,))


def test_cancelled_undefined_terms_do_not_make_a_witness(checker):
    # log(x) + x > log(x) is undefined for x <= 0: no point there can refute it
    r = checker.check(Obligation("E", sp.log(x) + x > sp.log(x), (X,), hypotheses=(x > -1,)))
    assert r.verdict is Verdict.INCONCLUSIVE
    assert holds(sp.log(x) + x > sp.log(x), {x: Fraction(0)}) is None


def test_undefined_hypotheses_cannot_be_certified_by_cancellation(checker):
    ob = Obligation("E_vac", x < Fraction(-1, 4), (X,),
                    hypotheses=(x + sp.log(x) > sp.log(x) - 1, x < 0),
                    hints=((("x", Fraction(-1, 2)),),))
    assert checker.check(ob).verdict is not Verdict.PROVED


def test_nested_reciprocals_do_not_make_cleared_facts_invalid(checker):
    Xb = closed("x", Fraction(-1, 4), Fraction(1, 4))
    xb = Xb.symbol
    a1, a2 = 1 / (1 / xb + 1), 1 / (1 / xb + 2)
    ob = Obligation("F", sp.Or(a1 > 0, a1 < 0, a2 > 0, a2 < 0), (Xb,))
    assert checker.check(ob).verdict is not Verdict.PROVED


def test_contradictory_lemma_facts_are_vacuous_even_with_a_hint(checker):
    facts = (EXPECTATION_BOUNDS.instance(lo=0, hi=0, mean=y),
             EXPECTATION_BOUNDS.instance(lo=1, hi=1, mean=y))
    ob = Obligation("G", y < Fraction(1, 2), (Y,), facts=facts, hints=((("y", Fraction(0)),),))
    r = checker.check(ob)
    assert r.verdict is not Verdict.PROVED


def test_semantic_lemma_premises_are_reported_as_trusted(checker):
    ob = Obligation("G2", sp.Eq(y, 0), (Y,),
                    facts=(EXPECTATION_BOUNDS.instance(lo=0, hi=0, mean=y),))
    r = checker.check(ob)
    assert r.premises and "expectation" in r.premises[0]


def test_a_claim_false_at_the_certified_hypothesis_point_is_never_proved(checker):
    # p > 0 cannot prove p > 1; the certified point itself may serve as the witness
    r = checker.check(Obligation("H", p > 1, (P,), hints=((("p", Fraction(1, 2)),),)))
    assert r.verdict is Verdict.REFUTED


_x = sp.Symbol("x", real=True)
_L2 = sp.log(2)  # an Arb ball, never exact


@pytest.mark.parametrize(("rel", "env", "want"), [
    # Max/Min of balls: decided when the enclosure is clear of the other side
    (sp.Max(_L2, _x) > Fraction(69, 100), {_x: Fraction(0)}, True),   # log 2 = 0.693…
    (sp.Max(_L2, _x) > Fraction(7, 10), {_x: Fraction(0)}, False),
    (sp.Min(_L2, _x) < Fraction(1, 2), {_x: Fraction(1)}, False),
    (sp.Max(_L2, _x) >= _L2, {_x: Fraction(0)}, None),  # a tie of balls is never decided
    # ceiling and floor: exact on rationals, on balls only when both ends agree
    (sp.Eq(sp.ceiling(_x), 3), {_x: Fraction(5, 2)}, True),
    (sp.Eq(sp.ceiling(_x), 2), {_x: Fraction(2)}, True),
    (sp.Eq(sp.ceiling(3 * _L2), 3), {}, True),  # 2.079…
    (sp.Eq(sp.floor(sp.log(4) - 2 * _L2 + 1, evaluate=False), 1, evaluate=False), {}, None),
    # Piecewise: the first condition that certainly holds; undecided conditions decide nothing
    (sp.Eq(sp.Piecewise((1, _x > 0), (2, True)), 2), {_x: Fraction(-1)}, True),
    (sp.Eq(sp.Piecewise((1, _x > 0), (2, True)), 2), {_x: Fraction(1)}, False),
    (sp.Eq(sp.Piecewise((1, _x > sp.log(4) - 2 * _L2), (2, True)), 2), {_x: Fraction(0)},
     None),
])
def test_certified_evaluation_of_max_min_ceiling_and_piecewise(rel, env, want):
    assert holds(rel, env) is want
