"""Lemma 1 (Appendix G): persona converging, by Azuma–Hoeffding and a union bound."""

from __future__ import annotations

from fractions import Fraction as F

import sympy as sp

from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.finding import Finding, Severity
from bebcheck.symbolic.lemmas import (
    AZUMA_HOEFFDING,
    EXP_POS,
    LOG_EXP,
    LOG_MONOTONE,
    LOG_PRODUCT,
    LOG_QUOTIENT,
    UNION_BOUND,
)
from bebcheck.symbolic.location import Location
from bebcheck.symbolic.params import closed, nonneg_int, positive, prob_param, real
from bebcheck.symbolic.step import Step, StepKind

from .common import be, c, eps, kl_cap, make
from .models import realised
from .params import BETA, EPS, C
from .results import ResultId

__all__ = ["lemma1"]


def lemma1() -> Chain:
    N = nonneg_int("n", "n", "sentences in the prompt", lower=1)
    PHI = nonneg_int("Phi", "|Φ|", "number of personas", lower=2)
    Mv = real("m", "m_n", "observed M_n")
    EM = real("EM", "E[M_{n+1} | M_1..M_n]")
    DM = real("dM", "M_{n+1} − M_n")
    Z = real("Z", "Z_n")
    P = closed("p", 0, 1, meaning="P(Z_n − Z_0 ≤ −t)")
    PB = closed("pb", 0, 1, meaning="P(Z_n ≤ −nβ/2) for one persona")
    T = positive("t", "t", "Azuma deviation")
    UB = real("u", "bound on |Z_{k+1} − Z_k|")
    PT = prob_param("pt", "P_φ̃(s0)")
    PF = prob_param("pphi", "P_φ(s0)")
    n, phi, m, em, dm, z = N.symbol, PHI.symbol, Mv.symbol, EM.symbol, DM.symbol, Z.symbol
    p, pb, t, u = P.symbol, PB.symbol, T.symbol, UB.symbol
    pt, pf = PT.symbol, PF.symbol
    expo = -n * be**2 / (32 * c**2)
    PU, PX = prob_param("u", "P˜φ(q1 ⊕ … ⊕ qn)"), prob_param("x", "Pφ(q1 ⊕ … ⊕ qn)")
    PV, PY = prob_param("v", "P˜φ(qn+1 | …)"), prob_param("y", "Pφ(qn+1 | …)")
    pu, px, pv, py = PU.symbol, PX.symbol, PV.symbol, PY.symbol
    steps = (
        Step("G.0", Location.statement("Definition 4"), "E_{sn+1∼Pφ(·)}[M_{n+1} | M_1 = m_1, …, M_n = m_n] > m_n + β",
             StepKind.GIVEN),
        Step("G.1", Location.display("Appendix G", "> mn + β − (n + 1)β = mn + βn = zn", "sub-martingale"),
             "> mn + β − (n + 1)β = mn + βn = zn", StepKind.FAITHFUL,
             (make("G.1/identity", (Mv, BETA, N), sp.Eq(m + be - (n + 1) * be, m + be * n),
                   hints=[{"m": 0, "beta": 1, "n": 1}]),),
             explanation="m_n + β − (n+1)β = m_n − nβ (= z_n); the middle term has the wrong sign.", finding=Finding(Severity.TYPO, realised=realised("G.1"))),
        Step("G.1r", Location.display("Appendix G", "> mn + β − (n + 1)β = mn + βn = zn", "sub-martingale").as_repaired(),
             "E[Z_{n+1} | …] = E[M_{n+1} | …] − (n+1)β > m_n + β − (n+1)β = m_n − nβ = z_n",
             StepKind.REPAIRED,
             (make("G.1r/submartingale", (Mv, EM, BETA, N), em - (n + 1) * be > m - n * be,
                   hyps=[em > m + be]),),
             repairs="G.1", lemmas=("tower_property",)),
        Step("G.c", Location.sentence("Lemma 1 and Appendix G", "In addition, Zn is bounded since from c-similarity", "bounded increments"),
             "Let β, ϵ > 0 and mixture of personas P = Σφ wφPφ then for each β-Martingale-"
             "distinguishable persona ˜φ … In addition, Zn is bounded since from c-similarity we "
             "have that: |Mn+1 − Mn| = |log P˜φ(qn+1 | q1 ⊕ … ⊕ qn)/Pφ(qn+1 | q1 ⊕ … ⊕ qn)| < c",
             StepKind.FAITHFUL,
             (make("G.c/no-c-in-the-lemma", (DM, BETA, C), sp.Abs(dm) < c,
                   hyps=[dm > be],
                   hints=[{"dM": 2, "beta": 1, "c": F(3, 2)}],
                   text="the lemma's hypotheses (Definition 4: E[ΔM | …] > β; here a sure "
                        "increment) bound no increment by c"),),
             explanation="Lemma 1 assumes no c-similarity (its statement has no c, yet its "
                         "length is O(…, c²)), and Theorem 4's 'mixture of personas, that is "
                         "c-similar' does not say which pairs (Definition 6 is for two "
                         "distributions). Azuma needs ˜φ c-similar to every φ ≠ ˜φ.", finding=Finding(Severity.UNSUPPORTED_CLAIM, realised=realised("G.c"))),
        Step("G.cr", Location.statement("Lemma 1", "", "statement").as_repaired(),
             "Assume P˜φ and every Pφ, φ ≠ ˜φ, are c-similar (Definition 6, per sentence): then "
             "|Mn+1 − Mn| < c", StepKind.REPAIRED,
             (make("G.cr/c-similar", (C, PU, PX, PV, PY),
                   sp.Abs(sp.log(pu * pv / (px * py)) - sp.log(pu / px)) < c,
                   hyps=[sp.Abs(sp.log(pv / py)) < c],
                   facts=[LOG_QUOTIENT.instance(x=pu * pv, y=px * py),
                          LOG_PRODUCT.instance(x=pu, y=pv), LOG_PRODUCT.instance(x=px, y=py),
                          LOG_QUOTIENT.instance(x=pu, y=px), LOG_QUOTIENT.instance(x=pv, y=py)],
                   text="M_{n+1} − M_n is the next sentence's log ratio (chain rule), which "
                        "c-similarity bounds"),),
             repairs="G.c"),
        Step("G.2", Location.sentence("Appendix G", "And therefore", "bounded increments"),
             "|Mn+1 − Mn| < c … And therefore: −c + β < Zn+1 − Zn < c + β", StepKind.FAITHFUL,
             (make("G.2/increments", (DM, BETA, C), sp.And(-c + be < dm - be, dm - be < c + be),
                   hyps=[sp.Abs(dm) < c, be < kl_cap(c)],
                   hints=[{"dM": -1, "beta": F(1, 2), "c": F(3, 2)}]),),
             explanation="Z_{n+1} − Z_n = (M_{n+1} − M_n) − β lies in (−c − β, c − β).", finding=Finding(Severity.TYPO, realised=realised("G.2")), lemmas=("kl_bounded_ratio",)),
        Step("G.2r", Location.sentence("Appendix G", "And therefore", "bounded increments").as_repaired(), "−c − β < Z_{n+1} − Z_n < c − β", StepKind.REPAIRED,
             (make("G.2r/increments", (DM, BETA, C), sp.And(-c - be < dm - be, dm - be < c - be),
                   hyps=[sp.Abs(dm) < c]),),
             repairs="G.2"),
        Step("G.3", Location.sentence("Appendix G", "Thus we can apply Azuma's theorem", "Azuma"),
             "Thus we can apply Azuma's theorem (on bounded sub-martingales) and get that: "
             "P(Zn − Z0 ≤ −ϵ̃) ≤ exp(−ϵ̃²/(8 · n · c²))", StepKind.FAITHFUL,
             (make("G.3/azuma", (N, C, BETA, T, P, UB), p <= sp.exp(-t**2 / (8 * n * c**2)),
                   hyps=[u <= c + be, be < c],
                   facts=[AZUMA_HOEFFDING.instance(n=n, d=2 * c, t=t, p=p, u=u)],
                   text="Azuma with increments bounded by d = 2c ≥ c + β (β < c)"),),
             lemmas=("azuma_hoeffding",),
             explanation="|ΔZ| < c + β ≤ 2c since β < c (Definitions 4 and 6), so the "
                         "standard bound exp(−t²/(2n d²)) with d = 2c is the printed one."),
        Step("G.4", Location.sentence("Appendix G", "we can choose ϵ̃ = n·β/2"),
             "we can choose ϵ̃ = n·β/2 and get: P(Zn ≤ −n·β/2) ≤ exp(−n/32 (β/c)²)", StepKind.FAITHFUL,
             (make("G.4/deviation", (N, C, BETA, P, UB), p <= sp.exp(expo),
                   hyps=[u <= c + be, be < c],
                   facts=[AZUMA_HOEFFDING.instance(n=n, d=2 * c, t=n * be / 2, p=p, u=u)]),),
             lemmas=("azuma_hoeffding",)),
        Step("G.5", Location.sentence("Appendix G", "exp(−n/32 (β/c)²) < 1/|Φ| while hold for any n", "union bound"),
             "exp(−n/32 (β/c)²) < 1/|Φ| while hold for any n > 32 log |Φ| (c/β)²", StepKind.FAITHFUL,
             (make("G.5/threshold", (N, C, BETA, PHI), sp.exp(expo) < 1 / phi,
                   hyps=[n > 32 * sp.log(phi) * (c / be) ** 2],
                   facts=[EXP_POS.instance(x=expo), LOG_EXP.instance(x=expo),
                          LOG_QUOTIENT.instance(x=1, y=phi),
                          LOG_MONOTONE.instance(x=sp.exp(expo), y=1 / phi)],
                   hints=[{"n": 200, "c": 1, "beta": 1, "Phi": 2}]),),
             lemmas=("log_exp", "log_strict_mono")),
        Step("G.6", Location.sentence("Appendix G", "We want to make a union bound for all φ ≠ φ̃", "union bound"),
             "We want to make a union bound for all φ ≠ φ̃ and show that even after the union "
             "bound the probability is greater than zero", StepKind.FAITHFUL,
             (make("G.6/union", (PHI, PB, P), (phi - 1) * pb < 1,
                   hyps=[pb < 1 / phi, p <= (phi - 1) * pb],
                   facts=[UNION_BOUND.instance(n=phi - 1, p=pb, u=1 / phi)]),),
             lemmas=("union_bound",)),
        Step("G.7", Location.sentence("Appendix G", "we will choose n that is also greater than (2/β) log 1/ϵ"),
             "we will choose n that is also greater than (2/β) log 1/ϵ and get that: Mn = Zn + "
             "n · β > n · β/2 > log 1/ϵ", StepKind.FAITHFUL,
             (make("G.7/final", (N, BETA, EPS, Z), z + n * be > sp.log(1 / eps),
                   hyps=[z > -n * be / 2, n > 2 / be * sp.log(1 / eps)]),)),
        Step("G.8", Location.sentence("Appendix G", "there exists a prompt satisfying the following condition", "conclusion"),
             "there exists a prompt satisfying the following condition for all φ ≠ φ̃: "
             "Pφ(s ⊕ q1 ⊕ … ⊕ qn)/P_φ̃(s ⊕ q1 ⊕ … ⊕ qn) ≥ 1/ϵ", StepKind.FAITHFUL,
             (make("G.8/direction", (PT, PF, EPS), pf / pt >= 1 / eps,
                   hyps=[sp.log(pt / pf) > sp.log(1 / eps)],
                   hints=[{"pt": 1, "pphi": F(1, 100), "eps": F(1, 2)}]),),
             explanation="M_n = log P_φ̃/P_φ > log 1/ϵ gives P_φ/P_φ̃ < ϵ (the lemma's (10)), "
                         "not ≥ 1/ϵ.", finding=Finding(Severity.TYPO, realised=realised("G.8"))),
        Step("G.8r", Location.sentence("Appendix G", "there exists a prompt satisfying the following condition", "conclusion").as_repaired(), "Pφ(s0)/P_φ̃(s0) < ϵ for all φ ≠ φ̃ (eq. (10))",
             StepKind.REPAIRED,
             (make("G.8r/direction", (PT, PF, EPS), pf / pt < eps,
                   hyps=[sp.log(pt / pf) > sp.log(1 / eps)],
                   facts=[LOG_QUOTIENT.instance(x=pt, y=pf), LOG_QUOTIENT.instance(x=pf, y=pt),
                          LOG_QUOTIENT.instance(x=1, y=eps),
                          LOG_MONOTONE.instance(x=pf / pt, y=eps)]),),
             repairs="G.8"),
    )
    return Chain(ResultId.LEMMA1, "Lemma 1 (persona converging)",
                 "for each β-Martingale-distinguishable persona φ̃, there exists a prompt "
                 "s0 ∈ Σ∗ such that: ∀φ ≠ φ̃ Pφ(s0)/P_φ̃(s0) < ϵ. Additionally, |s0| = "
                 "O(log 1/ϵ, 1/β, log |Φ|, c²).", "Appendix G", steps)
