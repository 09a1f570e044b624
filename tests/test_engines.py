"""Every engine on known true and known false obligations; vacuity; abstraction hints."""

from __future__ import annotations

import sys
import time
from fractions import Fraction

import pytest
import sympy as sp

from bebcheck.checks.engines._smt import SolverProcess
from bebcheck.checks.engines.arb import ArbEngine, certify_witness
from bebcheck.checks.engines.registry import create
from bebcheck.checks.engines.result import SolverStatus, Verdict
from bebcheck.checks.engines.search import CounterexampleSearch
from bebcheck.checks.engines.sympy_engine import SympyEngine
from bebcheck.symbolic.lemmas import BERNOULLI, LOG_MONOTONE
from bebcheck.symbolic.params import closed, positive, real, unit_open

from .helpers import assert_not_proved, assert_proved, assert_refuted, ob

X = real("x")
x = X.symbol
U = unit_open("u")
u = U.symbol
P = positive("p")
p = P.symbol

BERN_TRUE = ob(sp.GreaterThan(1 / (1 + x), 1 - x), [X], hyps=[x > -1], id="bern")
BERN_STRICT_FALSE = ob(sp.StrictGreaterThan(1 / (1 + x), 1 - x), [X], hyps=[x > -1], id="bern<")


@pytest.mark.parametrize("solver", ["z3", "cvc5"])
def test_each_solver_proves_bernoulli(solver):
    eng = create(solver)
    try:
        assert eng.prove(BERN_TRUE).verdict is Verdict.PROVED
    finally:
        eng.close()


@pytest.mark.parametrize("solver", ["z3", "cvc5"])
def test_each_solver_never_proves_false_bernoulli(solver):
    eng = create(solver)
    try:
        r = eng.prove(BERN_STRICT_FALSE)
        assert r.verdict is Verdict.INCONCLUSIVE
        assert r.model is not None  # a candidate, to be certified elsewhere
    finally:
        eng.close()


def test_false_bernoulli_is_refuted_with_certified_witness(checker):
    r = assert_refuted(checker, BERN_STRICT_FALSE)
    assert r.witness.values == {"x": Fraction(0)}


def test_sympy_proves_identity_and_rejects_false_identity():
    eng = SympyEngine()
    good = ob(sp.Eq(sp.log(p * p), 2 * sp.log(p)), [P])
    bad = ob(sp.Eq(sp.log(p + p), 2 * sp.log(p)), [P])
    assert eng.prove(good).verdict is Verdict.PROVED
    assert eng.prove(bad).verdict is Verdict.INCONCLUSIVE


def test_sympy_ignores_hypotheses_so_cannot_prove_hypothesis_dependent_claims():
    eng = SympyEngine()
    o = ob(x > 2, [X], hyps=[x > 3])
    assert eng.prove(o).verdict is Verdict.INCONCLUSIVE


def test_arb_branch_and_bound_proves_bounded_claim_and_not_a_false_one():
    eng = ArbEngine(max_boxes=5000)
    true = ob(u * (1 - u) < sp.Rational(1, 3), [U])
    false = ob(u * (1 - u) < sp.Rational(1, 5), [U])
    assert eng.prove(true).verdict is Verdict.PROVED
    assert eng.prove(false).verdict is Verdict.INCONCLUSIVE


def test_arb_refuses_unbounded_domains():
    assert ArbEngine().prove(ob(p + 1 > p, [P])).verdict is Verdict.INCONCLUSIVE


def test_mpmath_search_finds_and_arb_certifies_a_witness():
    o = ob(sp.exp(u) < 1 + u + u**2 / 3, [U], id="exp-false")  # false near u = 1
    w, _ = CounterexampleSearch(samples=400).find_witness(o)
    assert w is not None
    assert Fraction(0) < w.values["u"] < Fraction(1)


def test_certification_rejects_a_point_where_the_claim_holds():
    o = ob(u < 1, [U])
    assert certify_witness(o, {"u": Fraction(1, 2)}, "test") is None


def test_certification_rejects_a_point_outside_the_domain():
    o = ob(u > 2, [U])
    assert certify_witness(o, {"u": Fraction(3)}, "test") is None


def test_contradictory_hypotheses_are_caught_not_proved(checker):
    o = ob(x > 100, [X], hyps=[x > 1, x < 0], id="vacuous")
    r = assert_not_proved(checker, o)
    assert "contradictory" in r.reason


def test_contradiction_through_a_lemma_instance_is_caught(checker):
    # log p < log 1/2 with p > 1 contradicts monotonicity of log
    half = sp.Rational(1, 2)
    o = ob(p > 10**6, [P], hyps=[p > 1, sp.log(p) < sp.log(half)],
           facts=[LOG_MONOTONE.instance(x=p, y=half)], id="vacuous-log")
    r = assert_not_proved(checker, o)
    assert r.verdict is Verdict.INCONCLUSIVE


def test_sat_under_abstraction_is_never_a_refutation(checker):
    # true: log p <= p - 1; without the facts it needs, the abstraction is too weak
    o = ob(sp.log(p) <= p - 1, [P], id="abstraction-too-weak")
    r = checker.check(o)
    assert r.verdict is Verdict.INCONCLUSIVE


def test_lemma_side_conditions_must_be_proved(checker):
    # Bernoulli at an unconstrained x: its side condition x > -1 does not follow, so the
    # obligation (true by itself) may not be PROVED through that instance
    o = ob(x**2 >= 0, [X], facts=[BERNOULLI.instance(x=x)], id="unproved-side")
    r = checker.check(o)
    assert r.sides and r.sides[0].verdict is not Verdict.PROVED
    assert r.verdict is not Verdict.PROVED
    ok = ob(x**2 >= 0, [X], hyps=[x > 0], facts=[BERNOULLI.instance(x=x)], id="proved-side")
    assert checker.check(ok).verdict is Verdict.PROVED


def test_true_polynomial_obligation_is_proved_by_two_engines(checker):
    a = closed("a", 0, 1)
    o = ob(a.symbol**2 <= a.symbol, [a])
    r = assert_proved(checker, o)
    assert set(r.proved_by) >= {"z3", "cvc5"}


_HANG = "import sys, time; print('{\"ready\": 1}', flush=True); sys.stdin.readline(); time.sleep(600)"
_DIE = "import sys; print('{\"ready\": 1}', flush=True); sys.stdin.readline(); sys.exit(3)"


def test_a_hanging_solver_is_killed_and_reported_as_timeout():
    proc = SolverProcess("hang", grace_s=0.1, argv=[sys.executable, "-c", _HANG])
    try:
        t0 = time.perf_counter()
        ans = proc.ask("(check-sat)", timeout_ms=200)
        assert ans.status is SolverStatus.TIMEOUT
        assert time.perf_counter() - t0 < 5
        assert proc.proc is None  # killed, to be restarted on the next query
    finally:
        proc.kill()


def test_a_crashing_solver_is_reported_as_crash_and_restarted():
    proc = SolverProcess("die", grace_s=0.1, argv=[sys.executable, "-c", _DIE])
    try:
        assert proc.ask("(check-sat)", timeout_ms=2000).status is SolverStatus.CRASH
        assert proc.ask("(check-sat)", timeout_ms=2000).status is SolverStatus.CRASH  # again
    finally:
        proc.kill()


def test_a_hung_solver_leaves_the_obligation_inconclusive_and_the_run_going():
    from bebcheck.checks.audit import Checker, Policy

    with Checker(Policy(engines=("z3", "sympy", "arb"), timeout_ms=300)) as ch:
        ch.engine("z3").process = SolverProcess("hang", grace_s=0.1,
                                                argv=[sys.executable, "-c", _HANG])
        r = ch.check(BERN_TRUE)
        assert r.verdict is not Verdict.PROVED or "sympy" in r.proved_by
        z3res = [e for e in r.results if e.engine == "z3"]
        assert z3res and z3res[0].verdict is Verdict.INCONCLUSIVE
        assert "timeout" in z3res[0].reason


def test_solver_crash_is_inconclusive_and_the_worker_restarts():
    proc = SolverProcess("z3")
    try:
        q = "(set-logic ALL)(declare-const y Real)(assert (> y 0))(check-sat)"
        assert proc.ask(q, 2000).status is SolverStatus.SAT
        proc.proc.kill()  # simulate a crash of the worker
        proc.proc.wait()
        # the next query notices the dead process and starts a new one
        assert proc.ask(q, 2000).status is SolverStatus.SAT
    finally:
        proc.kill()
