"""Theorem 4 (Appendix F) and Lemma 1, persona converging (Appendix G).

Theorem 4: with the target persona φ̃'s posterior weight after the prompt s0 and the ratio
R = Σ_{φ≠φ̃} w_φ P_φ(s0) / (w_φ̃ P_φ̃(s0)) of the other personas' mass to φ̃'s, the mixture's
behaviour is B′_P(s0) = (B′_φ̃ + R·B′_others)/(1 + R), where B′_others is the posterior average
of the other personas' behaviours (in [−1, 1]).  Lemma 1 bounds R through Azuma–Hoeffding and a
union bound over the personas.
"""

from __future__ import annotations

from fractions import Fraction as F

import sympy as sp

from bebcheck.symbolic.lemmas import (
    AZUMA_HOEFFDING,
    EXP_POS,
    LOG_EXP,
    LOG_MONOTONE,
    LOG_PRODUCT,
    LOG_QUOTIENT,
    UNION_BOUND,
)
from bebcheck.symbolic.obligation import Chain, Step
from bebcheck.symbolic.params import (
    ALPHA,
    BETA,
    EPS,
    EPS1,
    GAMMA_P,
    C,
    closed,
    nonneg_int,
    positive,
    prob_param,
    real,
    unit_open,
)

from ._common import al, be, c, e1, eps, gp, kl_cap, make

__all__ = ["lemma1", "theorem4"]

RR = positive("R", "R", "Σ_{φ≠φ̃} w_φ P_φ(s0) / (w_φ̃ P_φ̃(s0))")
BT = closed("Bt", -1, 1, r"B'_{\tilde\phi}", "B′ of the target persona after s0")
BO = closed("Bo", -1, 1, r"B'_{others}", "posterior average of the other personas' B′")
R_, Bt, Bo = RR.symbol, BT.symbol, BO.symbol
BPp = sp.Symbol("BPp", real=True)
mix = {BPp: (Bt + R_ * Bo) / (1 + R_)}
WT = closed("wt", 0, 1, r"w_{\tilde\phi}", "prior of the target persona", upper_open=True,
            lower_open=True)
wt = WT.symbol


def theorem4() -> Chain:
    A = prob_param("A", "P_φ̃(s0)")
    Bc = prob_param("Bc", "Σ others' P(s0), normalised")
    a1 = prob_param("a", "P_φ̃(s|s0)")
    b1 = prob_param("b", "others' P(s|s0)")
    As, Bs, as_, bs = A.symbol, Bc.symbol, a1.symbol, b1.symbol
    wA = wt * As / (wt * As + (1 - wt) * Bs)
    WP = unit_open("wphi", r"w_\phi", "prior of another persona φ")
    PF = prob_param("pphi", "P_φ(s0)")
    PT = prob_param("pt", "P_φ̃(s0)")
    SO = closed("So", 0, 1, meaning="Σ_{φ≠φ̃} w_φ")
    X = real("X", "B′P(s1)")
    KT = positive("K", "K", "ϵ/(2(1+γ′)), the target bound on R")
    fail = {"R": F(1, 10), "Bt": F(1, 2), "Bo": -1, "gp": F(1, 2), "eps": F(1, 10)}
    x = e1 / al
    steps = (
        Step("T4.0", "Definition 5", "for any ϵ > 0, there exists a persona φ̃, that satisfies: "
             "w_φ̃ ≥ α; sups∗[B_Pφ̃(s∗)] < γ + ϵ; is β-Martingale-distinguishable from any "
             "persona φ", "given",
             explanation="Applied with ϵ/2 as the appendix says: B′_Pφ̃(s0) > γ′ − ϵ/2."),
        Step("T4.1", "Appendix F, second display",
             "= Σs [Σφ wφPφ(s0 ⊕ s)] / [Σφ wφPφ(s0)] B′(s)", "faithful",
             (make("T4.1/posterior", (WT, A, Bc, a1, b1),
                   sp.Eq((wt * As * as_ + (1 - wt) * Bs * bs) / (wt * As + (1 - wt) * Bs),
                         wA * as_ + (1 - wA) * bs)),)),
        Step("T4.2", "Appendix F, second display",
             "> Σs w_φ̃ P_φ̃(s0 ⊕ s) / Σφ wφPφ(s0) B′(s) … In the transition, above we took only "
             "the φ̃ component in the numerator", "faithful",
             (make("T4.2/drop-others", (RR, BT, BO, GAMMA_P, EPS), BPp > Bt / (1 + R_),
                   hyps=[Bt > gp - eps / 2], defs=mix, hints=[fail]),),
             explanation="Other personas may have B′ < 0 (B > 0): dropping them can increase "
                         "the sum.", expect="refuted", severity="invalid step"),
        Step("T4.2r", "Appendix F (repaired)",
             "Keep the other personas: B′P(s0) ≥ (B′_φ̃ − R)/(1 + R), as B′ ≥ −1", "repaired",
             (make("T4.2r/keep-others", (RR, BT, BO), BPp >= (Bt - R_) / (1 + R_), defs=mix),),
             repairs="T4.2"),
        Step("T4.3", "Appendix F",
             "Pφ(s0)/P_φ̃(s0) < ϵ′ for φ ≠ φ̃. Applying it: ≥ Σs w_φ̃P_φ̃(s0 ⊕ s)/(w_φ̃P_φ̃(s0)"
             "(1 + ϵ′ Σ_{φ≠φ̃} wφ/w_φ̃)) B′(s)", "faithful",
             (make("T4.3/termwise", (WP, WT, PF, PT, EPS1),
                   WP.symbol * PF.symbol / (wt * PT.symbol) < e1 * WP.symbol / wt,
                   hyps=[PF.symbol / PT.symbol < e1],
                   text="term by term; a finite sum of strict inequalities is strict"),
              make("T4.3/apply", (RR, BT, EPS1, WT, SO, GAMMA_P, EPS),
                   Bt / (1 + R_) >= Bt / (1 + e1 * SO.symbol / wt),
                   hyps=[R_ < e1 * SO.symbol / wt, Bt > gp - eps / 2],
                   hints=[{"R": F(1, 2), "Bt": F(-1, 5), "eps1": 1, "wt": F(1, 2),
                           "So": F(1, 2), "gp": F(1, 10), "eps": 1}],
                   text="the sum after T4.2 is B′_Pφ̃(s0)/(1 + R); a larger denominator lowers it "
                        "only if B′_Pφ̃(s0) ≥ 0")),
             explanation="Replacing R by the larger ϵ′Σwφ/w_φ̃ lowers B′_Pφ̃/(1 + R) only when "
                         "B′_Pφ̃(s0) ≥ 0, but Definition 5 (with ϵ/2) gives only B′_Pφ̃ > "
                         "γ′ − ϵ/2, negative when ϵ > 2γ′: the gap of T4.5.",
             expect="refuted", severity="invalid step", consequence_of="T4.5"),
        Step("T4.3r", "Appendix F (repaired)",
             "For ϵ ≤ 2γ′ (so B′_Pφ̃(s0) > 0) the larger denominator lowers the sum", "repaired",
             (make("T4.3r/apply", (RR, BT, EPS1, WT, SO, GAMMA_P, EPS),
                   Bt / (1 + R_) >= Bt / (1 + e1 * SO.symbol / wt),
                   hyps=[R_ < e1 * SO.symbol / wt, Bt > gp - eps / 2, eps <= 2 * gp]),),
             repairs="T4.3",
             explanation="The repaired chain (T4.2r, T4.7r) avoids this step for every ϵ."),
        Step("T4.4", "Appendix F",
             "From the α, β, γ-distinguishability, w_φ̃ > α and Σ_{φ≠φ̃} wφ < 1, we get: ≥ "
             "Σs … /(1 + ϵ′/α) B′(s)", "faithful",
             (make("T4.4/prior", (ALPHA, WT, SO, EPS1),
                   1 / (1 + e1 * SO.symbol / wt) >= 1 / (1 + e1 / al),
                   hyps=[wt >= al, SO.symbol <= 1 - wt],
                   text="the denominators"),
              make("T4.4/apply", (ALPHA, WT, SO, EPS1, BT, GAMMA_P, EPS),
                   Bt / (1 + e1 * SO.symbol / wt) >= Bt / (1 + e1 / al),
                   hyps=[wt >= al, SO.symbol <= 1 - wt, Bt > gp - eps / 2],
                   hints=[{"alpha": F(1, 4), "wt": F(1, 2), "So": F(1, 2), "eps1": 1,
                           "Bt": F(-1, 5), "gp": F(1, 10), "eps": 1}],
                   text="the sum, which the denominators lower only if B′_Pφ̃(s0) ≥ 0")),
             explanation="Definition 5 gives w_φ̃ ≥ α (the appendix says >; ≥ suffices for the "
                         "denominators); as in T4.3 the sum is lowered only when B′_Pφ̃(s0) ≥ 0, "
                         "the gap of T4.5.",
             expect="refuted", severity="invalid step", consequence_of="T4.5"),
        Step("T4.4r", "Appendix F (repaired)",
             "For ϵ ≤ 2γ′ the denominator 1 + ϵ′/α lowers the sum further", "repaired",
             (make("T4.4r/apply", (ALPHA, WT, SO, EPS1, BT, GAMMA_P, EPS),
                   Bt / (1 + e1 * SO.symbol / wt) >= Bt / (1 + e1 / al),
                   hyps=[wt >= al, SO.symbol <= 1 - wt, Bt > gp - eps / 2, eps <= 2 * gp]),),
             repairs="T4.4"),
        Step("T4.5", "Appendix F",
             "= 1/(1 + ϵ′/α) B′_Pφ̃(s0) > γ′/(1 + ϵ′/α). The last transition, was since the "
             "α, β, γ-distinguishability assures B′_Pφ̃(s0) > γ′", "faithful",
             (make("T4.5/target-behaviour", (ALPHA, EPS1, BT, GAMMA_P, EPS),
                   Bt / (1 + x) > gp / (1 + x), hyps=[Bt > gp - eps / 2],
                   hints=[{"alpha": F(1, 2), "eps1": F(1, 10), "Bt": F(9, 20), "gp": F(1, 2),
                           "eps": F(1, 5)}]),),
             explanation="Definition 5, applied with ϵ/2, gives B′_Pφ̃ > γ′ − ϵ/2 only.",
             expect="refuted", severity="invalid step"),
        Step("T4.5r", "Appendix F (repaired)",
             "1/(1 + ϵ′/α) B′_Pφ̃(s0) > (γ′ − ϵ/2)/(1 + ϵ′/α), from Definition 5 with ϵ/2",
             "repaired",
             (make("T4.5r/target-behaviour", (ALPHA, EPS1, BT, GAMMA_P, EPS),
                   Bt / (1 + x) > (gp - eps / 2) / (1 + x), hyps=[Bt > gp - eps / 2]),),
             repairs="T4.5"),
        Step("T4.6", "Appendix F", "With Bernouli's inequality: ≥ γ(1 − ϵ′/α)", "faithful",
             (make("T4.6/bernoulli-gamma", (ALPHA, EPS1, GAMMA_P),
                   gp / (1 + x) >= -gp * (1 - x),
                   hints=[{"alpha": F(1, 2), "eps1": 1, "gp": F(1, 2)}],
                   text="as printed, with γ = −γ′"),),
             explanation="γ is negative; with γ the inequality fails once ϵ′/α > √2. "
                         "Meant: γ′(1 − ϵ′/α).", expect="refuted", severity="typo"),
        Step("T4.6r", "Appendix F (repaired)", "γ′/(1 + ϵ′/α) ≥ γ′(1 − ϵ′/α) (Bernoulli)",
             "repaired",
             (make("T4.6r/bernoulli", (ALPHA, EPS1, GAMMA_P), gp / (1 + x) >= gp * (1 - x)),),
             repairs="T4.6", lemmas=("bernoulli",)),
        Step("T4.7", "Appendix F", "Taking ϵ′ = 2αϵ/γ, we get: B′P(s1) ≥ γ′ − ϵ", "faithful",
             (make("T4.7/positive", (ALPHA, EPS, GAMMA_P), 2 * al * eps / (-gp) > 0,
                   text="Lemma 1 needs ϵ′ > 0; as printed ϵ′ = 2αϵ/γ < 0"),
              make("T4.7/with-gamma-prime", (ALPHA, EPS, GAMMA_P),
                   gp * (1 - (2 * al * eps / gp) / al) >= gp - eps,
                   text="even read with γ′: γ′(1 − ϵ′/α) = γ′ − 2ϵ")),
             explanation="ϵ′ = 2αϵ/γ is negative; read as 2αϵ/γ′ it gives γ′ − 2ϵ, not γ′ − ϵ.",
             expect="refuted", severity="constant off"),
        Step("T4.7r", "Appendix F (repaired)",
             "Take ϵ′ = αϵ/(2(1+γ′)): the other personas' posterior mass R < ϵ′(1 − w_φ̃)/w_φ̃ < "
             "ϵ/(2(1+γ′)), and B′P(s0) ≥ (B′φ̃ − R)/(1 + R) > γ′ − ϵ", "repaired",
             (make("T4.7r/ratio", (ALPHA, WT, RR, KT), R_ < KT.symbol,
                   hyps=[wt >= al, R_ * wt < al * KT.symbol * (1 - wt)],
                   text="R·w_φ̃ < ϵ′(1 − w_φ̃) with ϵ′ = αK, K = ϵ/(2(1+γ′)) > 0 (proved for "
                        "every K > 0)"),
              make("T4.7r/bound", (RR, BT, BO, GAMMA_P, EPS), BPp > gp - eps,
                   hyps=[R_ < eps / (2 * (1 + gp)), Bt > gp - eps / 2], defs=mix)),
             repairs="T4.7"),
        Step("T4.8", "Appendix F", "Mapping back B = −B′, γ = −γ′, we get: BP(s1) ≤ γ + ϵ As "
             "desired.", "faithful",
             (make("T4.8/strictness", (X, GAMMA_P, EPS), -X.symbol < -gp + eps,
                   hyps=[-X.symbol <= -gp + eps],
                   hints=[{"X": F(2, 5), "gp": F(1, 2), "eps": F(1, 10)}],
                   text="Definition 1 needs BP(s∗) < γ + ϵ, strictly"),),
             explanation="≤ γ + ϵ does not meet Definition 1 (strict) as a step; no "
                         "consequence, since ϵ is arbitrary (apply it with ϵ/2), and the "
                         "repaired chain (T4.7r) gives < γ + ϵ. The printed s1 is the prompt "
                         "s0 of the theorem.", expect="refuted", severity="typo"),
        Step("T4.8r", "Appendix F (repaired)", "B′P(s0) > γ′ − ϵ, i.e. BP(s0) < γ + ϵ",
             "repaired",
             (make("T4.8r/negate", (X, GAMMA_P, EPS), -X.symbol < -gp + eps,
                   hyps=[X.symbol > gp - eps]),),
             repairs="T4.8"),
    )
    return Chain("theorem4", "Theorem 4 (imitating personas)",
                 "Let γ ∈ [−1, 0), α, β, ϵ > 0, and let P be a mixture of personas, that is "
                 "c-similar … the distribution P is γ-prompt-misalignable (definition 1) with "
                 "prompt length |s| = O(log 1/ϵ, 1/β, log 1/α, c², log |Φ|).",
                 "Section 3.3 / Appendix F", steps)


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
        Step("G.0", "Definition 4", "E_{sn+1∼Pφ(·)}[M_{n+1} | M_1 = m_1, …, M_n = m_n] > m_n + β",
             "given"),
        Step("G.1", "Appendix G, sub-martingale",
             "> mn + β − (n + 1)β = mn + βn = zn", "faithful",
             (make("G.1/identity", (Mv, BETA, N), sp.Eq(m + be - (n + 1) * be, m + be * n),
                   hints=[{"m": 0, "beta": 1, "n": 1}]),),
             explanation="m_n + β − (n+1)β = m_n − nβ (= z_n); the middle term has the wrong sign.",
             expect="refuted", severity="typo"),
        Step("G.1r", "Appendix G (repaired)",
             "E[Z_{n+1} | …] = E[M_{n+1} | …] − (n+1)β > m_n + β − (n+1)β = m_n − nβ = z_n",
             "repaired",
             (make("G.1r/submartingale", (Mv, EM, BETA, N), em - (n + 1) * be > m - n * be,
                   hyps=[em > m + be]),),
             repairs="G.1", lemmas=("tower_property",)),
        Step("G.c", "Lemma 1 and Appendix G, bounded increments",
             "Let β, ϵ > 0 and mixture of personas P = Σφ wφPφ then for each β-Martingale-"
             "distinguishable persona ˜φ … In addition, Zn is bounded since from c-similarity we "
             "have that: |Mn+1 − Mn| = |log P˜φ(qn+1 | q1 ⊕ … ⊕ qn)/Pφ(qn+1 | q1 ⊕ … ⊕ qn)| < c",
             "faithful",
             (make("G.c/no-c-in-the-lemma", (DM, BETA, C), sp.Abs(dm) < c,
                   hyps=[dm > be],
                   hints=[{"dM": 2, "beta": 1, "c": F(3, 2)}],
                   text="the lemma's hypotheses (Definition 4: E[ΔM | …] > β; here a sure "
                        "increment) bound no increment by c"),),
             explanation="Lemma 1 assumes no c-similarity (its statement has no c, yet its "
                         "length is O(…, c²)), and Theorem 4's 'mixture of personas, that is "
                         "c-similar' does not say which pairs (Definition 6 is for two "
                         "distributions). Azuma needs ˜φ c-similar to every φ ≠ ˜φ.",
             expect="refuted", severity="unsupported claim"),
        Step("G.cr", "Lemma 1 (repaired statement)",
             "Assume P˜φ and every Pφ, φ ≠ ˜φ, are c-similar (Definition 6, per sentence): then "
             "|Mn+1 − Mn| < c", "repaired",
             (make("G.cr/c-similar", (C, PU, PX, PV, PY),
                   sp.Abs(sp.log(pu * pv / (px * py)) - sp.log(pu / px)) < c,
                   hyps=[sp.Abs(sp.log(pv / py)) < c],
                   facts=[LOG_QUOTIENT.instance(x=pu * pv, y=px * py),
                          LOG_PRODUCT.instance(x=pu, y=pv), LOG_PRODUCT.instance(x=px, y=py),
                          LOG_QUOTIENT.instance(x=pu, y=px), LOG_QUOTIENT.instance(x=pv, y=py)],
                   text="M_{n+1} − M_n is the next sentence's log ratio (chain rule), which "
                        "c-similarity bounds"),),
             repairs="G.c"),
        Step("G.2", "Appendix G, bounded increments",
             "|Mn+1 − Mn| < c … And therefore: −c + β < Zn+1 − Zn < c + β", "faithful",
             (make("G.2/increments", (DM, BETA, C), sp.And(-c + be < dm - be, dm - be < c + be),
                   hyps=[sp.Abs(dm) < c, be < kl_cap(c)],
                   hints=[{"dM": -1, "beta": F(1, 2), "c": F(3, 2)}]),),
             explanation="Z_{n+1} − Z_n = (M_{n+1} − M_n) − β lies in (−c − β, c − β).",
             expect="refuted", severity="typo", lemmas=("kl_bounded_ratio",)),
        Step("G.2r", "Appendix G (repaired)", "−c − β < Z_{n+1} − Z_n < c − β", "repaired",
             (make("G.2r/increments", (DM, BETA, C), sp.And(-c - be < dm - be, dm - be < c - be),
                   hyps=[sp.Abs(dm) < c]),),
             repairs="G.2"),
        Step("G.3", "Appendix G, Azuma",
             "Thus we can apply Azuma's theorem (on bounded sub-martingales) and get that: "
             "P(Zn − Z0 ≤ −ϵ̃) ≤ exp(−ϵ̃²/(8 · n · c²))", "faithful",
             (make("G.3/azuma", (N, C, BETA, T, P, UB), p <= sp.exp(-t**2 / (8 * n * c**2)),
                   hyps=[u <= c + be, be < c],
                   facts=[AZUMA_HOEFFDING.instance(n=n, d=2 * c, t=t, p=p, u=u)],
                   text="Azuma with increments bounded by d = 2c ≥ c + β (β < c)"),),
             lemmas=("azuma_hoeffding",),
             explanation="|ΔZ| < c + β ≤ 2c since β < c (Definitions 4 and 6), so the "
                         "standard bound exp(−t²/(2n d²)) with d = 2c is the printed one."),
        Step("G.4", "Appendix G",
             "we can choose ϵ̃ = n·β/2 and get: P(Zn ≤ −n·β/2) ≤ exp(−n/32 (β/c)²)", "faithful",
             (make("G.4/deviation", (N, C, BETA, P, UB), p <= sp.exp(expo),
                   hyps=[u <= c + be, be < c],
                   facts=[AZUMA_HOEFFDING.instance(n=n, d=2 * c, t=n * be / 2, p=p, u=u)]),),
             lemmas=("azuma_hoeffding",)),
        Step("G.5", "Appendix G, union bound",
             "exp(−n/32 (β/c)²) < 1/|Φ| while hold for any n > 32 log |Φ| (c/β)²", "faithful",
             (make("G.5/threshold", (N, C, BETA, PHI), sp.exp(expo) < 1 / phi,
                   hyps=[n > 32 * sp.log(phi) * (c / be) ** 2],
                   facts=[EXP_POS.instance(x=expo), LOG_EXP.instance(x=expo),
                          LOG_QUOTIENT.instance(x=1, y=phi),
                          LOG_MONOTONE.instance(x=sp.exp(expo), y=1 / phi)],
                   hints=[{"n": 200, "c": 1, "beta": 1, "Phi": 2}]),),
             lemmas=("log_exp", "log_strict_mono")),
        Step("G.6", "Appendix G, union bound",
             "We want to make a union bound for all φ ≠ φ̃ and show that even after the union "
             "bound the probability is greater than zero", "faithful",
             (make("G.6/union", (PHI, PB, P), (phi - 1) * pb < 1,
                   hyps=[pb < 1 / phi, p <= (phi - 1) * pb],
                   facts=[UNION_BOUND.instance(n=phi - 1, p=pb, u=1 / phi)]),),
             lemmas=("union_bound",)),
        Step("G.7", "Appendix G",
             "we will choose n that is also greater than (2/β) log 1/ϵ and get that: Mn = Zn + "
             "n · β > n · β/2 > log 1/ϵ", "faithful",
             (make("G.7/final", (N, BETA, EPS, Z), z + n * be > sp.log(1 / eps),
                   hyps=[z > -n * be / 2, n > 2 / be * sp.log(1 / eps)]),)),
        Step("G.8", "Appendix G, conclusion",
             "there exists a prompt satisfying the following condition for all φ ≠ φ̃: "
             "Pφ(s ⊕ q1 ⊕ … ⊕ qn)/P_φ̃(s ⊕ q1 ⊕ … ⊕ qn) ≥ 1/ϵ", "faithful",
             (make("G.8/direction", (PT, PF, EPS), pf / pt >= 1 / eps,
                   hyps=[sp.log(pt / pf) > sp.log(1 / eps)],
                   hints=[{"pt": 1, "pphi": F(1, 100), "eps": F(1, 2)}]),),
             explanation="M_n = log P_φ̃/P_φ > log 1/ϵ gives P_φ/P_φ̃ < ϵ (the lemma's (10)), "
                         "not ≥ 1/ϵ.", expect="refuted", severity="typo"),
        Step("G.8r", "Appendix G (repaired)", "Pφ(s0)/P_φ̃(s0) < ϵ for all φ ≠ φ̃ (eq. (10))",
             "repaired",
             (make("G.8r/direction", (PT, PF, EPS), pf / pt < eps,
                   hyps=[sp.log(pt / pf) > sp.log(1 / eps)],
                   facts=[LOG_QUOTIENT.instance(x=pt, y=pf), LOG_QUOTIENT.instance(x=pf, y=pt),
                          LOG_QUOTIENT.instance(x=1, y=eps),
                          LOG_MONOTONE.instance(x=pf / pt, y=eps)]),),
             repairs="G.8"),
    )
    return Chain("lemma1", "Lemma 1 (persona converging)",
                 "for each β-Martingale-distinguishable persona φ̃, there exists a prompt "
                 "s0 ∈ Σ∗ such that: ∀φ ≠ φ̃ Pφ(s0)/P_φ̃(s0) < ϵ. Additionally, |s0| = "
                 "O(log 1/ϵ, 1/β, log |Φ|, c²).", "Appendix G", steps)
