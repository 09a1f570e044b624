"""Test helpers in the style of pySMT's assertValid: a verdict or a failure that says why."""

from __future__ import annotations

import sympy as sp

from bebcheck.checks.engines.result import Verdict
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




_STEP_KEYS = ("id", "result", "kind", "location", "quote", "repairs", "explanation", "lemmas",
              "verdict", "refuted_by_proof", "severity", "finding")
_OB_KEYS = ("id", "text", "claim_latex", "params", "facts", "verdict", "trusted_premises")


def _ob_projection(o: dict) -> dict:
    d = {k: o[k] for k in _OB_KEYS}
    w = o["witness"]
    d["witness"] = None if w is None else {"values": w["values"], "certified": w["certified"]}
    d["side_conditions"] = [_ob_projection(s) for s in o["side_conditions"]]
    return d


def audit_projection(doc: dict) -> list[dict]:
    """What the golden test pins of an audit JSON: verdicts, steps, obligations and witnesses
    (not timings, engine order, solver texts or hypothesis points, which are not yet
    deterministic across runs)."""
    return [{"result": r["result"], "title": r["title"], "statement": r["statement"],
             "location": r["location"], "faithful": r["faithful"], "repaired": r["repaired"],
             "counts": r["counts"],
             "steps": [{**{k: s[k] for k in _STEP_KEYS},
                        "obligations": [_ob_projection(o) for o in s["obligations"]]}
                       for s in r["steps"]]}
            for r in doc["results"]]


__all__ = ["assert_not_proved", "assert_proved", "assert_refuted", "audit_projection", "ob", "sp"]
