"""The verdict decision, branch by branch: evidence in, verdict and reason out."""

from __future__ import annotations

import pytest

from bebcheck.checks.audit.decide import Evidence, chain_verdicts, combine, decide, step_verdict
from bebcheck.checks.engines.result import Verdict
from bebcheck.symbolic.finding import Finding, FindingKind, Severity
from bebcheck.symbolic.step import StepKind

P, R, INC = Verdict.PROVED, Verdict.REFUTED, Verdict.INCONCLUSIVE
GOOD = {"proved_by": ("z3", "cvc5"), "point_certified": True}

DECISIONS = [
    # (evidence, verdict, a word the reason must contain)
    ({**GOOD}, P, "proved by z3, cvc5"),
    ({**GOOD, "vacuous": ("z3",)}, INC, "ENGINE CONFLICT"),
    ({**GOOD, "witness": True}, INC, "ENGINE CONFLICT"),
    # proved only with a lemma instance whose side conditions fail at the witness: REFUTED
    ({**GOOD, "witness": True, "not_applying": ("log_lt_log",),
      "sides_unproved": ("X#side0:log_lt_log",), "unproved_lemmas": ("log_lt_log",)},
     R, "log_lt_log instance does not apply"),
    # ... but if that lemma's side conditions were proved, the witness contradicts a proof
    ({**GOOD, "witness": True, "not_applying": ("log_lt_log",)}, INC, "ENGINE CONFLICT"),
    ({**GOOD, "witness": True, "not_applying": ("log_lt_log",),
      "sides_unproved": ("X#side1:log_exp",), "unproved_lemmas": ("log_exp",)},
     INC, "ENGINE CONFLICT"),
    ({"witness": True, "point_certified": True}, R, "certified counterexample"),
    ({"vacuous": ("z3",)}, INC, "vacuous"),
    ({"proved_by": ("z3", "cvc5")}, INC, "no point"),
    ({**GOOD, "sides_unproved": ("X#side0",)}, INC, "side conditions"),
    ({"proved_by": ("z3",), "point_certified": True,
      "failures": (("cvc5", "timeout"),)}, INC, "only 1 engine"),
    ({"proved_by": ("z3",), "point_certified": True, "min_engines": 1}, P, "proved by z3"),
    ({"point_certified": True, "failures": (("z3", "sat"),)}, INC, "z3: sat"),
]


@pytest.mark.parametrize(("evidence", "verdict", "word"), DECISIONS)
def test_decide_gives_the_verdict_its_evidence_supports(evidence, verdict, word):
    got, reason = decide(Evidence(**evidence))
    assert got is verdict
    assert word in reason


@pytest.mark.parametrize(("vs", "want"), [([P, P], P), ([P, INC], INC), ([INC, R], R), ([P, R], R),
                                           ([], P)])
def test_combine_needs_every_obligation_for_proved_and_one_for_refuted(vs, want):
    assert combine(vs) is want


BY_PROOF = Finding(Severity.UNSUPPORTED_CLAIM, FindingKind.DOES_NOT_FOLLOW, "gap")
NEGATION = Finding(Severity.INVALID_STEP, FindingKind.REFUTED_BY_PROOF, "false")
WITNESS = Finding(Severity.TYPO)

STEPS = [
    (StepKind.GIVEN, None, [], (None, False)),
    (StepKind.FAITHFUL, None, [P, P], (P, False)),
    (StepKind.FAITHFUL, WITNESS, [P, R], (R, False)),
    (StepKind.FAITHFUL, BY_PROOF, [P], (INC, True)),
    (StepKind.FAITHFUL, NEGATION, [P], (R, True)),
    (StepKind.FAITHFUL, BY_PROOF, [INC], (INC, False)),  # the gap not proved: no finding claimed
    (StepKind.REPAIRED, None, [P, INC], (INC, False)),
]


@pytest.mark.parametrize(("kind", "finding", "vs", "want"), STEPS)
def test_step_verdict_reads_proved_findings_as_refuted_or_does_not_follow(kind, finding, vs,
                                                                         want):
    assert step_verdict(kind, finding, vs) == want


F, RP, G = StepKind.FAITHFUL, StepKind.REPAIRED, StepKind.GIVEN
CHAINS = [
    ([("a", F, None, P), ("b", F, None, P)], (P, P)),
    ([("g", G, None, None), ("a", F, None, R), ("ar", RP, "a", P)], (R, P)),
    ([("a", F, None, R), ("ar", RP, "a", INC)], (R, INC)),
    ([("a", F, None, R)], (R, R)),  # no repair: the failure stands
    ([("a", F, None, INC), ("ar", RP, "a", P), ("ar2", RP, "a", P)], (INC, P)),
    ([("a", F, None, R), ("ar", RP, "a", P), ("ar2", RP, "a", R)], (R, R)),
]


@pytest.mark.parametrize(("steps", "want"), CHAINS)
def test_chain_verdicts_replace_each_failing_step_by_all_its_repairs(steps, want):
    assert chain_verdicts(steps) == want
