"""The audit of Theorems 1-2 and Lemma B: which printed steps fail, with certified witnesses."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bebcheck.checks.engines.arb import certify_witness
from bebcheck.checks.engines.result import Verdict
from bebcheck.proofs import get
from bebcheck.symbolic.finding import FindingKind
from bebcheck.symbolic.step import StepKind

EXPECTED_REFUTED = {
    "theorem1": {"T1.2", "T1.5", "T1.9", "T1.15"},
    "theorem2": {"T2.2", "T2.5", "T2.9", "T2.15"},
    "lemma_b": set(),
    "theorem3": {"T3.2", "T3.5", "T3.9", "T3.13"},
    "lemma_d": {"D.1a", "D.2", "D.4"},
    "lemma_d1": {"D1.1", "D1.3"},
    "proposition1": {"P1.2", "P1.4", "P1.5", "P1.8", "P1.9", "P1.10", "P1.S"},
    "theorem4": {"T4.2", "T4.3", "T4.4", "T4.5", "T4.6", "T4.7", "T4.8"},
    "lemma1": {"G.1", "G.c", "G.2", "G.8"},
    "corollary1": set(),
    "conjecture1": {"K.2"},
    "definitions": {"D.5lit", "D.6lit"},
    "big_o": {"O.2", "O.4"},
    "main_text": {"MT.1", "MT.3", "MT.7", "MT.10"},
    "wording": {"W.1", "W.2", "W.3", "W.4", "W.5", "W.6"},
    "closed_forms": set(),
}


EXPECTED_UNSUPPORTED = {  # printed claims shown (by proof) not to follow
    "main_text": {"MT.2", "MT.4", "MT.5", "MT.8", "MT.11", "MT.12"},
    "big_o": {"O.1", "O.3"},  # false read as a sum; as a product O.1 holds and O.3 is open
    "corollary1": {"C1.1"},  # a bigger guarantee, not a longer persona prompt
}

EXPECTED_BY_PROOF = {  # printed claims proved false for every constant / every model
    "P1.S", "D.5lit", "D.6lit", "O.2", "O.4",
    "MT.1", "MT.3", "MT.7", "MT.10",
}


def test_unsupported_claims_are_inconclusive_with_proved_findings(audit):
    for result, ids in EXPECTED_UNSUPPORTED.items():
        steps = {s.step.id: s for s in audit[result].steps}
        for i in ids:
            assert steps[i].verdict is Verdict.INCONCLUSIVE and steps[i].by_proof, i
            assert all(o.verdict is Verdict.PROVED for o in steps[i].obligations), i


def test_every_result_of_the_registry_is_audited(audit):
    assert set(audit) == set(EXPECTED_REFUTED)


@pytest.mark.parametrize("result", sorted(EXPECTED_REFUTED))
def test_printed_steps_refuted_are_exactly_the_known_errors(audit, result):
    rep = audit[result]
    refuted = {s.step.id for s in rep.steps if s.verdict is Verdict.REFUTED}
    assert refuted == EXPECTED_REFUTED[result]
    expected = (Verdict.REFUTED if EXPECTED_REFUTED[result] else
                Verdict.INCONCLUSIVE if EXPECTED_UNSUPPORTED.get(result) else Verdict.PROVED)
    assert rep.faithful is expected


@pytest.mark.parametrize("result", sorted(EXPECTED_REFUTED))
def test_every_repaired_chain_is_proved(audit, result):
    assert audit[result].repaired is Verdict.PROVED


@pytest.mark.parametrize("result", sorted(EXPECTED_REFUTED))
def test_step_expectations_match_verdicts(audit, result):
    for s in audit[result].steps:
        f = s.step.finding
        if f is not None and f.kind is not FindingKind.DOES_NOT_FOLLOW:
            assert s.verdict is Verdict.REFUTED, s.step.id
        elif f is not None:
            assert s.verdict is Verdict.INCONCLUSIVE and s.by_proof, s.step.id
        elif s.step.kind is StepKind.REPAIRED:
            assert s.verdict is Verdict.PROVED, s.step.id


@pytest.mark.parametrize("result", sorted(EXPECTED_REFUTED))
def test_every_refutation_has_a_witness_that_recertifies(audit, result):
    for s in audit[result].steps:
        if s.verdict is Verdict.REFUTED and not s.by_proof:
            assert any(o.verdict is Verdict.REFUTED for o in s.obligations), s.step.id
        for o in s.obligations:
            if o.verdict is Verdict.REFUTED:
                assert o.witness is not None
                again = certify_witness(o.obligation, o.witness.values, "re-check")
                assert again is not None, o.obligation.id


def test_every_proved_obligation_has_hypotheses_that_recertify_at_its_point(audit):
    """Re-certify each PROVED obligation's hypothesis point from scratch, and check the claim
    is not certainly false there (a PROVED claim false at a point of its hypotheses would be
    a soundness bug)."""
    from bebcheck.checks.engines._certified import holds
    from bebcheck.checks.engines.arb import certify_hypotheses

    n = 0
    for rep in audit.values():
        for s in rep.steps:
            for o in s.obligations:
                if o.verdict is not Verdict.PROVED:
                    continue
                ob, pt = o.obligation, o.hypotheses_point
                assert pt is not None and certify_hypotheses(ob, pt), ob.id
                env = {p.symbol: pt[p.name] for p in ob.params}
                env |= {w: pt[w.name] for f in ob.facts for w in f.witnesses if w.name in pt}
                assert holds(ob.expanded_claim(), env) is not False, ob.id
                n += 1
    assert n >= 100


def test_printed_theorem_fails_at_the_printed_length_but_not_the_repaired_one(audit):
    """The witness: alpha = 1/2, beta = 9/10, gamma' = 1/2, eps = 1/10, n = 2, ratio 1/10."""
    rep = audit["theorem1"]
    printed = next(s for s in rep.steps if s.step.id == "T1.15").obligations[0]
    w = printed.witness.values
    assert w["n"] == 2 and w["eps"] == Fraction(1, 10)
    # B'_P = 4/11 < gamma' - eps = 2/5, i.e. B_P = -4/11 > gamma + eps = -2/5
    assert "4/11" in printed.witness.claim_sides["claim[0].lhs"]


def test_refutations_by_proof_are_exactly_the_finding_steps(audit):
    """Statements false for every constant or every model (the big-O sums, Proposition 1,
    Corollary 1, the literal Definitions 5 and 6, the main text's overstatements): REFUTED by
    proof; none of them is left at 'does not follow'."""
    by_proof = {s.step.id for rep in audit.values() for s in rep.steps
                if s.by_proof and s.verdict is Verdict.REFUTED}
    assert by_proof == EXPECTED_BY_PROOF


def test_every_failing_printed_step_has_a_proved_repair(audit):
    for rep in audit.values():
        done = {s.step.id: s.verdict for s in rep.steps}
        for s in rep.steps:
            if s.step.kind == "faithful" and s.verdict is not Verdict.PROVED:
                fixes = rep.chain.repairs_for(s.step.id)
                assert fixes, s.step.id
                assert all(done[f.id] is Verdict.PROVED for f in fixes), s.step.id


def test_committed_errata_sheet_matches_the_audit(audit):
    """docs/errata.json is generated by `bebcheck errata`; it must list exactly today's findings."""
    import json
    from pathlib import Path

    from bebcheck.checks.audit.errata import collect

    doc = json.loads((Path(__file__).parent.parent / "docs" / "errata.json").read_text())
    committed = {(e["result"], e["id"], e["severity"]) for e in doc["errata"]}
    current = {(e.result, e.id, e.severity) for e in collect(list(audit.values()))}
    assert committed == current


def test_consequences_point_at_a_refuted_step_of_the_same_proof(audit):
    """A finding marked as a consequence names a printed step that is itself refuted."""
    from bebcheck.checks.audit.errata import collect, to_markdown

    errata = collect(list(audit.values()))
    marked = {e.id: e.consequence_of for e in errata if e.consequence_of}
    assert marked == {"T1.9": "T1.2", "T1.15": "T1.2", "T2.9": "T2.2", "T2.15": "T2.2",
                      "T3.9": "T3.2", "T3.13": "T3.2", "T4.3": "T4.5", "T4.4": "T4.5",
                      "P1.S": "P1.8"}
    for rep in audit.values():
        verdicts = {s.step.id: s.verdict for s in rep.steps}
        for s in rep.steps:
            if s.step.finding and s.step.finding.consequence_of:
                assert verdicts[s.step.finding.consequence_of] is Verdict.REFUTED, s.step.id
    md = to_markdown(errata, "arXiv 0000.00000", "A paper")
    assert f"{len(errata)} findings, {len(errata) - len(marked)} independent" in md
    assert md.count("*A consequence of ") == len(marked)


def test_a_consequence_of_an_unknown_step_is_rejected():
    from dataclasses import replace

    from bebcheck.symbolic.chain import Chain
    from bebcheck.symbolic.errors import InputError
    from bebcheck.symbolic.finding import Finding, Severity

    step = get("theorem1").steps[4]
    bad = replace(step, id="X.1", finding=Finding(Severity.TYPO, consequence_of="X.9"))
    with pytest.raises(InputError, match=r"consequence of unknown step X\.9"):
        Chain("t", "t", "t", "t", (bad,))


def test_witnesses_with_beta_and_c_are_realisable(audit):
    """Definitions 2 (or 4) and 6 force beta < c tanh(c/2), the largest one-sentence KL under
    log ratios below c: a witness that breaks it would refute a step about no model at all.
    G.c is exempt: its finding is that Lemma 1 assumes no c-similarity."""
    import mpmath

    seen = 0
    for rep in audit.values():
        for s in rep.steps:
            for o in s.obligations:
                if o.verdict is not Verdict.REFUTED or o.witness is None:
                    continue
                v = o.witness.values
                if "beta" not in v or "c" not in v or s.step.id == "G.c":
                    continue
                seen += 1
                with mpmath.workdps(50):
                    b, c = (mpmath.mpf(Fraction(v[k]).numerator) / Fraction(v[k]).denominator
                            for k in ("beta", "c"))
                    assert b < c * mpmath.tanh(c / 2), o.obligation.id
    assert seen >= 7


@pytest.mark.parametrize(("kind", "expected"),
                         [(FindingKind.REFUTED_BY_PROOF, Verdict.REFUTED),
                          (FindingKind.DOES_NOT_FOLLOW, Verdict.INCONCLUSIVE)])
def test_a_finding_proved_by_its_obligations_is_refuted_or_does_not_follow(checker, kind,
                                                                         expected):
    """The "REFUTED (by proof)" and "does not follow" paths, on a step whose obligation proves
    the printed claim false for every constant (no current step of the paper needs "refutes")."""
    from bebcheck.proofs.beb_v1.common import make
    from bebcheck.symbolic.finding import Finding, Severity
    from bebcheck.symbolic.location import Location
    from bebcheck.symbolic.params import positive
    from bebcheck.symbolic.step import Step

    finding = Finding(Severity.UNSUPPORTED_CLAIM, kind, "n grows like t²")
    here = Location.statement("Test 1")

    K, T = positive("K", "K"), positive("t", "t")
    k, t = K.symbol, T.symbol
    # "n = O(1)" is false for n = t^2: for every K, t = K + 1 gives t^2 > K
    ob = make("X.1/not-constant", (K, T), t**2 > k, hyps=[t >= k + 1])
    step = Step("X.1", here, "n = O(1)", StepKind.FAITHFUL, (ob,), finding=finding)
    rep = checker.check_step(step)
    assert rep.verdict is expected and rep.by_proof
    # the same obligation made false (t² < K) is not proved, so no finding is claimed
    bad = make("X.1/wrong", (K, T), t**2 < k, hyps=[t >= k + 1])
    rep = checker.check_step(Step("X.1", here, "n = O(1)", StepKind.FAITHFUL, (bad,),
                                  finding=finding))
    assert not rep.by_proof and rep.verdict is not Verdict.PROVED
