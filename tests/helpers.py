"""Test helpers in the style of pySMT's assertValid: a verdict or a failure that says why."""

from __future__ import annotations

import sympy as sp

from bebcheck.checks.verdict import Verdict
from bebcheck.symbolic.obligation import Obligation
from bebcheck.symbolic.params import Param


def ob(claim, params: list[Param], hyps=(), facts=(), defs=None, id="t"):
    return Obligation(id=id, claim=claim, params=tuple(params), hypotheses=tuple(hyps),
                      facts=tuple(facts), definitions=tuple((defs or {}).items()))


def assert_proved(checker, o):
    r = checker.check(o)
    assert r.verdict is Verdict.PROVED, f"{o.id}: {r.verdict} — {r.reason}"
    assert len(r.proved_by) >= 2
    return r


def assert_not_proved(checker, o):
    r = checker.check(o)
    assert r.verdict is not Verdict.PROVED, f"{o.id} wrongly PROVED by {r.proved_by}"
    return r


def assert_refuted(checker, o):
    r = checker.check(o)
    assert r.verdict is Verdict.REFUTED, f"{o.id}: {r.verdict} — {r.reason}"
    assert r.witness is not None
    return r


__all__ = ["assert_not_proved", "assert_proved", "assert_refuted", "ob", "sp"]
