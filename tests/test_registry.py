"""The engine registry: every engine by name, availability checked, the runner takes any of them."""

from __future__ import annotations

import pytest

from bebcheck.checks.audit import Checker, Policy
from bebcheck.checks.engines import REGISTRY, Engine, EngineResult, Verdict, available, create
from bebcheck.symbolic.errors import EngineError
from bebcheck.symbolic.params import positive, real

from .helpers import ob, sp

X = real("x")
x = X.symbol
Y = positive("y")
y = Y.symbol
SQUARE = ob(sp.Eq(sp.log(y**2), 2 * sp.log(y)), [Y], id="log-square")


def test_the_registry_knows_the_four_engines():
    assert set(REGISTRY) == {"z3", "cvc5", "sympy", "arb"}


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_each_registered_engine_is_built_by_name(name):
    if not available(name):
        pytest.skip(f"{name} not installed")
    eng = create(name)
    try:
        assert isinstance(eng, Engine) and eng.name == name
    finally:
        eng.close()


def test_an_unknown_engine_is_an_engine_error():
    with pytest.raises(EngineError, match="unknown engine"):
        create("dreal")
    assert not available("dreal")


class Liar(Engine):
    """An engine that proves everything: the policy must not let it alone decide."""

    name = "liar"
    cost = 0

    def prove(self, ob):
        return EngineResult(self.name, Verdict.PROVED, 0.0, "trust me")


def test_the_runner_takes_any_engine_and_one_liar_is_not_enough():
    with Checker(Policy(min_engines=2), engines=[Liar()]) as ch:
        r = ch.check(ob(x**2 < 0, [X], hyps=[x > 1], id="false"))
    # the certified hypothesis point refutes the claim: never PROVED, and the liar is exposed
    assert r.verdict is Verdict.INCONCLUSIVE and "ENGINE CONFLICT: liar" in r.reason
    assert r.witness is not None


def test_a_new_engine_counts_towards_the_policy():
    with Checker(Policy(engines=("sympy",), min_engines=2), engines=None) as ch:
        only_sympy = ch.check(SQUARE)
    assert only_sympy.verdict is Verdict.INCONCLUSIVE and "only 1 engine" in only_sympy.reason
    sympy_engine = create("sympy")
    with Checker(Policy(min_engines=2), engines=[sympy_engine, Liar()]) as ch:
        both = ch.check(SQUARE)
    assert both.verdict is Verdict.PROVED and set(both.proved_by) == {"sympy", "liar"}


@pytest.mark.requires_engine("cvc5")
def test_the_requires_engine_marker_runs_when_the_engine_is_here():
    assert available("cvc5")


@pytest.mark.requires_engine("no-such-engine")
def test_the_requires_engine_marker_skips_a_missing_engine():
    pytest.fail("must have been skipped: the engine is not registered")


class Crasher(Engine):
    """An in-process engine that raises on every obligation."""

    name = "crasher"
    cost = 0

    def prove(self, ob):
        raise TypeError("Invalid comparison of non-real log(-2)")


def test_an_in_process_engine_that_raises_is_inconclusive_and_the_run_goes_on():
    with Checker(Policy(min_engines=1), engines=[Crasher(), create("sympy")]) as ch:
        r = ch.check(SQUARE)
    crash = next(e for e in r.results if e.engine == "crasher")
    assert crash.verdict is Verdict.INCONCLUSIVE
    assert crash.reason == "crash: TypeError: Invalid comparison of non-real log(-2)"
    assert r.verdict is Verdict.PROVED and r.proved_by == ["sympy"]


def test_sympy_on_a_relation_between_non_real_logs_is_inconclusive_not_a_crash():
    """A mutant's negated sub-term inside a log made the substitution itself raise."""
    P = positive("p")
    p = P.symbol
    bad = ob(sp.log(-p) < sp.log(p), [P], id="non-real-log")
    r = create("sympy").prove(bad)
    assert r.verdict is Verdict.INCONCLUSIVE
