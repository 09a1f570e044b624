"""Mutants of PROVED repaired steps (perturbed constant, flipped relation, dropped hypothesis)."""

from __future__ import annotations

import sympy as sp
from sympy.core.relational import Relational

from bebcheck.checks.engines.result import Verdict
from bebcheck.proofs import get


def _proved_repaired(audit):
    for rep in audit.values():
        for s in rep.steps:
            if s.step.kind == "repaired":
                for o in s.obligations:
                    assert o.verdict is Verdict.PROVED
                    yield o.obligation


FLIP = {">": sp.LessThan, ">=": sp.StrictLessThan, "<": sp.GreaterThan, "<=": sp.StrictGreaterThan}


def test_negated_claims_of_proved_repairs_are_never_proved(checker, audit):
    n = 0
    for o in _proved_repaired(audit):
        c = o.claim
        if not isinstance(c, Relational) or c.rel_op not in FLIP:
            continue
        mutant = o.with_(id=o.id + "~flip", claim=FLIP[c.rel_op](c.lhs, c.rhs))
        r = checker.check(mutant)
        assert r.verdict is not Verdict.PROVED, mutant.id
        n += 1
    assert n >= 5


def test_dropping_a_hypothesis_either_breaks_the_proof_or_is_confirmed_by_two_engines(
        checker, audit):
    broke = 0
    for o in _proved_repaired(audit):
        for k in range(len(o.hypotheses)):
            hyps = o.hypotheses[:k] + o.hypotheses[k + 1:]
            mutant = o.with_(id=f"{o.id}~drop{k}", hypotheses=hyps)
            r = checker.check(mutant)
            if r.verdict is Verdict.PROVED:
                assert len(r.proved_by) >= 2  # still true: two independent engines agree
            else:
                broke += 1
    assert broke >= 3


def test_perturbed_epsilon_choice_is_refuted(checker):
    """T1.9r with the ratio bound ε/γ′ (the paper's constant) instead of ε/(1+γ′−ε)."""
    step = next(s for s in get("theorem1").steps if s.id == "T1.9r")
    o = step.obligations[0]
    r, eps, gp = (next(p.symbol for p in o.params if p.name == n) for n in ("r", "eps", "gp"))
    hyps = tuple(sp.StrictLessThan(r, eps / gp) if (isinstance(h, Relational) and h.lhs == r)
                 else h for h in o.hypotheses)
    assert hyps != o.hypotheses
    res = checker.check(o.with_(id="T1.9r~const", hypotheses=hyps))
    assert res.verdict is Verdict.REFUTED


def test_perturbed_length_constant_is_not_proved(checker):
    """T2.15r with log(γ′/ε) (the printed term) instead of log((1+γ′)/ε) is no longer proved."""
    step = next(s for s in get("theorem2").steps if s.id == "T2.15r")
    o = step.obligations[0]
    eps, gp = (next(p.symbol for p in o.params if p.name == n) for n in ("eps", "gp"))
    old = sp.log((1 + gp - eps) / eps)
    hyps = tuple(h.xreplace({old: sp.log(gp / eps)}) for h in o.hypotheses)
    assert hyps != o.hypotheses
    r = checker.check(o.with_(id="T2.15r~const", hypotheses=hyps))
    assert r.verdict is not Verdict.PROVED
