"""The SMT-LIB2 printing path: standard syntax, shared abstraction variables, safe division."""

from __future__ import annotations

import pytest
import sympy as sp

from bebcheck.checks.engines._smtlib import abstract, definedness, print_smtlib, purify_division


def test_printer_uses_standard_arithmetic():
    x = sp.Symbol("x", real=True)
    s = print_smtlib(x**-2 + x**3 - sp.Rational(-1, 3))
    assert "pow" not in s and " -1" not in s
    assert "(/ 1 (* x x))" in s and "(* x x x)" in s


def test_same_log_term_shares_one_variable():
    x, y = sp.symbols("x y", real=True)
    forms, table = abstract([sp.log(x / y) > 0, sp.log(x / y) < 1, sp.exp(x) > 2])
    assert len(table) == 2
    assert forms[0].lhs == forms[1].lhs


def test_definedness_lists_denominators_and_log_arguments():
    x, y = sp.symbols("x y", real=True)
    conds = definedness(sp.log(x) / y > 0)
    assert sp.Ne(y, 0) in conds and (x > 0) in conds


def test_purification_guards_each_reciprocal_by_nonzero_denominator():
    x = sp.Symbol("x", real=True)
    out = purify_division([1 / x > 2])
    assert any(isinstance(f, sp.Implies) for f in out)


def test_cleared_forms_are_valid_facts_not_assumptions():
    """Each added fact is a tautology over the reals (where defined): spot-check exactly."""
    from fractions import Fraction

    from bebcheck.checks.engines._certified import holds
    from bebcheck.checks.engines._smtlib import cleared_forms

    x, y = sp.symbols("x y", real=True)
    atoms = [x / (1 + y**2) > 1, (x - 1) / y <= 2, sp.Eq(x / y, 3)]
    facts = cleared_forms(atoms)
    assert len(facts) == 3
    for xv in (-3, -1, 0, Fraction(1, 2), 2, 7):
        for yv in (-2, -Fraction(1, 3), Fraction(1, 5), 1, 4):
            env = {x: Fraction(xv), y: Fraction(yv)}
            assert all(holds(f, env) is True for f in facts)


def test_hypothesis_and_negated_queries_share_abstraction():
    from bebcheck.checks.engines._smtlib import smt_pair
    from bebcheck.proofs import get

    ob = next(o for s in get("theorem1").steps for o in s.obligations
              if o.id == "T1.14/length-to-ratio")
    hyp, neg = smt_pair(ob)
    assert hyp.abstraction == neg.abstraction and hyp.abstracted
    assert neg.text.startswith(hyp.text.rsplit("(check-sat)", 1)[0])


@pytest.mark.requires_engine("cvc5")
@pytest.mark.parametrize("backend", ["z3", "cvc5"])
def test_max_of_an_integer_and_a_real_is_one_sort_for_both_solvers(backend):
    """cvc5 refused ``(ite … 0 b)`` (an Int and a Real branch): integer arguments are made real."""
    import sympy as sp

    from bebcheck.checks.engines._smt import SolverProcess
    from bebcheck.checks.engines._smtlib import smt_pair
    from bebcheck.symbolic.obligation import Obligation
    from bebcheck.symbolic.params import nonneg_int, real

    b, m = real("b"), nonneg_int("m")
    proc = SolverProcess(backend)
    try:
        for claim, params in ((sp.Max(0, b.symbol) >= b.symbol, (b,)),
                              (sp.Min(m.symbol, b.symbol) <= b.symbol, (m, b))):
            text = smt_pair(Obligation("t", claim, params))[1].text
            assert proc.ask(text, 10_000).status.value == "unsat", text
    finally:
        proc.kill()
