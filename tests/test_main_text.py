"""The main text's claims (Abstract, Sections 1–4): located, quoted, and given their verdicts."""

from __future__ import annotations

import itertools
import re
from fractions import Fraction as F
from pathlib import Path

import pytest
from flint import arb

from bebcheck.checks.engines.result import Verdict
from bebcheck.checks.sim import Mixture, Persona, behavior
from bebcheck.proofs.beb_v1.main_text import main_text
from bebcheck.proofs.beb_v1.models import REALISED
from bebcheck.symbolic.finding import FindingKind, RealisationStatus
from bebcheck.symbolic.step import StepKind

PAPER = Path("/work/shared/paper/beb-2304.11082v1.txt")
SECTIONS = {"Abstract", "Section 1", "Section 2.1.1", "Section 3", "Section 3.1",
            "Section 3.2", "Section 3.3", "Section 4"}
REFUTED = {"MT.1", "MT.3", "MT.7", "MT.10"}
FOLLOWS = {"MT.6", "MT.9", "MT.13"}
# true under the paper's own reading (its §3 wording, its framework), false or unshown under
# another: they do not follow as printed, and the finding says which reading holds
NOT_FOLLOWING = {"MT.2", "MT.4", "MT.5", "MT.8", "MT.11", "MT.12"}


@pytest.fixture(scope="module")
def report(checker):
    return checker.check_chain(main_text())


def _flat(text: str) -> str:
    text = text.replace("ﬁ", "fi").replace("ﬂ", "fl").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text)


def test_every_claim_is_located_in_sections_1_to_4_by_its_opening_words():
    steps = [s for s in main_text().steps if s.kind is StepKind.FAITHFUL]
    assert len(steps) >= 12
    paper = _flat(PAPER.read_text(encoding="utf-8")) if PAPER.exists() else None
    for s in steps:
        assert s.location.section in SECTIONS, s.id
        assert s.quote and s.location.ref, s.id
        if paper is not None:  # the opening words are the paper's own (prose, no formulas)
            assert _flat(s.location.ref) in paper, s.id


def test_each_claim_gets_its_verdict_and_every_repair_is_proved(report):
    verdicts = {s.step.id: s for s in report.steps}
    faithful = {sid for sid, s in verdicts.items() if s.step.kind is StepKind.FAITHFUL}
    assert {sid for sid in faithful if verdicts[sid].verdict is Verdict.REFUTED} == REFUTED
    assert {sid for sid in faithful if verdicts[sid].verdict is Verdict.PROVED} == FOLLOWS
    rest = faithful - REFUTED - FOLLOWS
    assert rest == NOT_FOLLOWING
    for sid in NOT_FOLLOWING:
        assert verdicts[sid].verdict is Verdict.INCONCLUSIVE and verdicts[sid].by_proof, sid
        assert all(o.verdict is Verdict.PROVED for o in verdicts[sid].obligations), sid
    assert report.repaired is Verdict.PROVED
    for sid in REFUTED | NOT_FOLLOWING:
        assert any(s.repairs == sid for s in report.chain.steps), sid


def test_a_refuted_claim_has_a_model_and_a_gap_names_the_reading_that_holds(report):
    """Each refuted claim has an exact model (REFUTED by proof or by witness). A claim that
    does not follow says which reading holds (the paper's own) and which does not; a model
    given for it exhibits the other reading's failure and says so."""
    for s in report.steps:
        f = s.step.finding
        if f is None:
            continue
        real = REALISED[s.step.id]
        if f.kind is FindingKind.DOES_NOT_FOLLOW:
            assert real.status is RealisationStatus.ABSTRACT or "reading" in real.note, s.step.id
            assert s.step.id == "MT.11" or ("read" in f.proves and re.search(
                r"\bholds\b|is Theorem 1", f.proves)), s.step.id
        else:
            assert real.status is RealisationStatus.MODEL, s.step.id


def test_the_distinction_example_is_realisable_and_matches_the_models():
    """MT.5's example values meet its hypotheses, β below the KL cap c·tanh(c/2) included
    (Definition 6 read per sentence gives β < c), and its lengths are the models' 7 and 1."""
    ob = next(o for s in main_text().steps if s.id == "MT.5" for o in s.obligations)
    vals = {"beta1": F(1, 2), "beta2": F(1, 3), "c1": F(11, 10), "c2": 8, "T": 7, "n1": 7,
            "n2": 1}
    sub = {p.symbol: vals[p.name] for p in ob.params}
    assert all(bool(h.subs(sub)) for h in ob.hypotheses)
    assert bool(ob.claim.subs(sub))
    bad = {**sub, next(p.symbol for p in ob.params if p.name == "beta1"): 2}  # above the cap
    assert not all(bool(h.subs(bad)) for h in ob.hypotheses)
    mt5 = next(s for s in main_text().steps if s.id == "MT.5")
    assert "needs 7 sentences" in mt5.explanation and mt5.explanation.endswith("needs 1.")


def test_the_lower_bounds_hold_under_extra_hypotheses(report):
    """'Must be long' claims: the repairs state the lower bound c-similarity and a
    well-behaved P+ give, and it is PROVED."""
    verdicts = {s.step.id: s for s in report.steps}
    for sid in ("MT.3r", "MT.4r", "MT.7r"):
        s = verdicts[sid]
        assert s.verdict is Verdict.PROVED, sid
        assert "c" in s.step.quote and "γ+" in s.step.quote


def _shortest(m: Mixture, level: F, longest: int) -> int | None:
    for n in range(longest + 1):
        for seq in itertools.product(range(m.K), repeat=n):
            if behavior(m, list(seq), exact=True) < level:
                return n
    return None


def test_the_proved_guardrail_is_met_by_a_model_and_not_vacuous():
    """In the symmetric pair (every sentence moves log P−/P+ by log 3 < c, P+ at +1/2 after
    every prompt) the shortest misaligning prompt is at least MT.3r's bound — and the bound
    is within three sentences of it (it assumes B_P− as low as −1; here it is −1/2)."""
    row_m, row_p = [F(3, 4), F(1, 4)], [F(1, 4), F(3, 4)]
    alpha, gamma, eps, gplus, c = F(1, 100), F(-1, 2), F(1, 10), F(1, 2), F(11, 10)
    m = Mixture([Persona(row_m, [row_m, row_m]), Persona(row_p, [row_p, row_p])],
                [alpha, 1 - alpha], [-1, 1])

    def ln(x: F) -> arb:
        return (arb(x.numerator) / arb(x.denominator)).log()

    bound = (ln((1 - alpha) / alpha) + ln((gplus - gamma - eps) / (1 + gamma + eps))) / ln(F(3))
    n = _shortest(m, gamma + eps, 8)
    assert n is not None and n > bound and n - 3 < bound
    # with the constant c of the definition (any c > log 3) the bound is weaker still
    assert bound * ln(F(3)) / (arb(c.numerator) / c.denominator) < n
