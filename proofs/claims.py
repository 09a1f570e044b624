"""Corollary 1, Conjecture 1's equation (7), the definitions' stated consequences, and big-O claims.

These are claims of the paper's body rather than steps of an appendix proof: each is encoded
as printed, with what actually follows beside it.
"""

from __future__ import annotations

from fractions import Fraction as F

import sympy as sp

from bebcheck.symbolic.lemmas import (
    EXP_POS,
    EXPECTATION_BOUNDS,
    LOG_EXP,
    LOG_LE_SUB_ONE,
    LOG_MONOTONE_INC,
    LOG_NONNEG,
    LOG_PRODUCT,
    LOG_QUOTIENT,
)
from bebcheck.symbolic.obligation import Chain, Step
from bebcheck.symbolic.params import (
    ALPHA,
    BETA,
    EPS,
    GAMMA_P,
    M_LEN,
    C,
    closed,
    nonneg_int,
    positive,
    prob_param,
    real,
    unit_open,
)

from ._common import al, be, c, eps, gp, m, make

__all__ = ["big_o", "conjecture1", "corollary1", "definitions"]


def corollary1() -> Chain:
    BP_ = positive("bp", r"\beta_\phi", "distinguishability of the bad persona")
    BG = positive("bg", r"\beta", "distinguishability of the general bad component")
    W = unit_open("w", "w", "prior of the bad persona (α ≤ w)")
    PHI = nonneg_int("Phi", "|Φ|", "number of personas", lower=2)
    bp, w, phi = BP_.symbol, W.symbol, PHI.symbol
    KK = positive("K", "K", "any constant")
    LW = positive("L", "L", "log(1/w)")
    LPHI = positive("lphi", "log|Φ|")
    LEPS = closed("leps", 0, 10**9, meaning="log((1+γ′−ϵ)/ϵ) ≥ 0")
    AA = positive("A", "A", "32 β log|Φ| (β of the general component)")
    kk, lw, lphi, leps, aa = KK.symbol, LW.symbol, LPHI.symbol, LEPS.symbol, AA.symbol
    _ = (lphi, BG)
    _ = (phi, PHI, C)
    steps = (
        Step("C1.0", "Corollary 1", "If during training the distinguishability of ill-behaved "
             "personas scales super-logarithmically relative to their priors, β = Ω(log(1/w))",
             "given"),
        Step("C1.1", "Corollary 1",
             "invoking a persona for bad behavior requires prompts that are asymptotically "
             "shorter than ones for invoking a general bad behavior", "faithful",
             (make("C1.1/c-grows", (KK, LW, AA, LEPS), aa * lw**2 > kk * (lw + leps),
                   hyps=[aa * (lw - 1) >= kk * (1 + leps)],
                   text="with c = β_φ·log(1/w) (c ≥ β allows it) Theorem 4's term 32 (c/β_φ)² "
                        "log|Φ| = 32 L² log|Φ| (L = log 1/w) exceeds K times Theorem 1's "
                        "(L + log((1+γ′−ϵ)/ϵ))/β for every K once L is large (both sides "
                        "multiplied by β > 0; A = 32 β log|Φ|)"),),
             explanation="The corollary compares Theorem 4's length with Theorem 1's. With "
                         "β_φ = Ω(log 1/w) the α-term of Theorem 4 stays bounded, but its "
                         "32 (c/β)² log|Φ| term is bounded only if c = O(β), which the corollary "
                         "does not assume (c ≥ β is all Definitions 4 and 6 give). Without it the "
                         "persona bound can grow faster than the direct one.",
             finding="Corollary 1 needs c = O(β_φ) (and |Φ| fixed); not implied as stated",
             finding_kind="unsupported", severity="unsupported claim"),
        Step("C1.1r", "Corollary 1 (what follows)",
             "With β_φ ≥ log(1/w), Theorem 4's α-dependent term (2/β) log(2(1+γ′)/(wϵ)) ≤ 2 + "
             "(2/β) log(2(1+γ′)/ϵ) stays bounded as w → 0; the persona prompt is shorter only "
             "where 32 (c/β)² log|Φ| is below the general length (for instance c ≤ κβ: that "
             "term is at most 32κ² log|Φ|)", "repaired",
             (make("C1.1r/bounded", (BP_, W, GAMMA_P, EPS),
                   2 / bp * sp.log(2 * (1 + gp) / (w * eps))
                   <= 2 + 2 / bp * sp.log(2 * (1 + gp) / eps),
                   hyps=[bp >= sp.log(1 / w)],
                   facts=[LOG_PRODUCT.instance(x=2 * (1 + gp) / eps, y=1 / w)]),),
             repairs="C1.1"),
    )
    return Chain("corollary1", "Corollary 1 (persona jailbreaks)",
                 "If β = Ω(log(1/w)), invoking a persona for bad behavior requires prompts that "
                 "are asymptotically shorter than ones for invoking a general bad behavior.",
                 "Section 3.3", steps)


def conjecture1() -> Chain:
    A0, B0 = prob_param("a", "P^pre_−(s)"), prob_param("b", "P^pre_+(s)")
    A1, B1 = prob_param("a1", "P^RLHF_−(s)"), prob_param("b1", "P^RLHF_+(s)")
    a, b, a1, b1 = A0.symbol, B0.symbol, A1.symbol, B1.symbol
    dkl = a1 * sp.log(a1 / b1) - a * sp.log(a / b)
    kl_pre = a * sp.log(a / b) + (1 - a) * sp.log((1 - a) / (1 - b))
    kl_post = a1 * sp.log(a1 / b1) + (1 - a1) * sp.log((1 - a1) / (1 - b1))
    own_term = make("K.1/delta-kl", (A0, B0, A1, B1), dkl > 0,
                    hyps=[a1 > a, b1 < b, a <= b, a1 > b1],
                    facts=[LOG_MONOTONE_INC.instance(x=1, y=a1 / b1),
                           LOG_LE_SUB_ONE.instance(x=a / b)],
                    hints=[{"a": F(2, 5), "b": F(3, 5), "a1": F(11, 20), "b1": F(9, 20)}],
                    text="'misclassified as good' before: P−(s) ≤ P+(s); 'correctly classified "
                         "as bad' after: P−(s) > P+(s)")
    steps = (
        Step("K.0", "Conjecture 1", "An alignment loss that increases the likelihood of desired "
             "sentences and minimizes the likelihood of undesired ones, increases the "
             "β-distinguishability of resulting aligned LLM.", "given",
             explanation="Stated as a conjecture; bebcheck checks its supporting equation (7)."),
        Step("K.1", "Section 3.1, equation (7)",
             "for any sentence s that is misclassified as good by the pretrained LLM but correctly "
             "classified as bad after alignment tuning, PRLHF−(s) > Ppretraining−(s), while "
             "PRLHF+(s) < Ppretraining+(s). Therefore, the contribution of this classification "
             "change to the KL divergence is positive since: ∆KL = PRLHF−(s)·log PRLHF−/PRLHF+ − "
             "Ppretraining−(s)·log Ppre−/Ppre+ > 0",
             "faithful",
             (own_term,),
             lemmas=("log_lt_log", "log_le_sub_one"),
             explanation="With the sentence's premises (good before, bad after) the new term is "
                         "positive and the old one is not: (7) holds."),
        Step("K.2", "Section 3.1, after equation (7)",
             "Thus, the existence of misclassified examples by classifiers over the LLM "
             "distribution out of pretraining, which can then be classified correctly by a "
             "classifier over the distribution over an LLM after RLHF, can ensure increased "
             "KL-divergence between the ill- and well- behaved components", "faithful",
             (make("K.2/two-sentences", (A0, B0, A1, B1), kl_post > kl_pre,
                   hyps=[a1 > a, b1 < b, a <= b, a1 > b1],
                   hints=[{"a": F(2, 5), "b": F(3, 5), "a1": F(11, 20), "b1": F(9, 20)}],
                   text="an alphabet of two sentences, s and t: the KL divergence after "
                        "alignment exceeds the one before"),),
             explanation="One sentence's term growing does not make the divergence grow: the "
                         "other sentences' terms change too (their probabilities renormalise). "
                         "With two sentences, P−: 2/5 → 11/20 and P+: 3/5 → 9/20 on s, the KL "
                         "falls from 0.081 to 0.020.",
             expect="refuted", severity="invalid step"),
        Step("K.2r", "Section 3.1, after equation (7) (repaired)",
             "What holds: each reclassified sentence's own contribution to the KL divergence "
             "grows (equation (7)); whether the divergence grows depends on the rest of the "
             "distribution", "repaired",
             (own_term.with_(id="K.2r/own-term", text="the claim restricted to what (7) "
                                                      "shows"),),
             repairs="K.2",
             explanation="No sufficient condition on the rest of the distribution is given by the "
                         "paper (on two sentences the other term always falls); Conjecture 1 "
                         "stays a conjecture."),
    )
    return Chain("conjecture1", "Conjecture 1 and equation (7)",
                 "∆KL = PRLHF−(s) log(PRLHF−/PRLHF+) − Ppre−(s) log(Ppre−/Ppre+) > 0",
                 "Section 3.1", steps)


def definitions() -> Chain:
    EX = real("EX", "E[X]", "conditional KL: E_{s∼P−(·|s0)}[log P−(s|s0)/P+(s|s0)]")
    XM = real("xmax", "max X", "largest log ratio over the (finite) support")
    N = nonneg_int("n", "n", "sentences of the greedy prompt", lower=1)
    MN = real("Mn", "M_n", "log P−(prompt)/P+(prompt)")
    M = nonneg_int("m", "|s0|", "sentences of the initial prompt", lower=1)
    ex, xm, n, mn, m = EX.symbol, XM.symbol, N.symbol, MN.symbol, M.symbol
    PS = prob_param("p", "P˜φ(s_{n+1}), the bad persona's probability of a sentence")
    ps = PS.symbol
    MS = real("m", "m_n", "observed M_n")
    steps = (
        Step("D.c>b", "Definition 6",
             "Note that by definition, c has to be larger than β, as the latter is a lower bound "
             "while the former is an upper bound on the conditional KL-divergence between the "
             "distributions.", "faithful",
             (make("Dc/c-exceeds-beta", (BETA, C, EX, XM), be < c,
                   hyps=[ex > be, xm < c, xm > -c],
                   facts=[EXPECTATION_BOUNDS.instance(lo=-c, hi=xm, mean=ex)],
                   text="KL = E[X] > β (Def. 2), X ≤ max X < c (Def. 6)"),),
             lemmas=("expectation_bounds",)),
        Step("D.c>b-4", "Definitions 4 and 6 (used in Appendix G)",
             "|Mn+1 − Mn| < c … E[Mn+1 | M1 … Mn] > mn + β", "faithful",
             (make("Dc4/c-exceeds-beta", (BETA, C, EX, XM), be < c,
                   hyps=[ex > be, xm < c, xm > -c],
                   facts=[EXPECTATION_BOUNDS.instance(lo=-c, hi=xm, mean=ex)],
                   text="E[ΔM] > β (Def. 4) with ΔM ≤ max ΔM < c (Def. 6): β < c, which "
                        "Appendix G's Azuma step needs"),),
             lemmas=("expectation_bounds",)),
        Step("D.5lit", "Definition 5, third condition",
             "there exists a persona ˜φ, that satisfies: … is β-Martingale-distinguishable "
             "(definition 4) from any persona φ", "faithful",
             (make("D5/self", (BETA, PS, MS), MS.symbol + sp.log(PS.symbol / PS.symbol)
                   > MS.symbol + be,
                   text="φ = ˜φ itself: M_{n+1} = log P˜φ/P˜φ = 0 = M_n, and (5) asks for "
                        "E[M_{n+1} | …] > M_n + β"),),
             explanation="'Any persona φ' includes ˜φ, from which no persona is "
                         "β-distinguishable (the log ratio is 0): read literally, Definition 5 "
                         "never holds and Theorem 4 and Corollary 1 are vacuous. Section 3.3 "
                         "says 'from all the other components'.",
             expect="refuted", severity="typo"),
        Step("D.5lit-r", "Definition 5 (repaired)",
             "is β-Martingale-distinguishable from any persona φ ≠ ˜φ", "repaired",
             (make("D5r/satisfiable", (BETA, PS),
                   ps * sp.log(ps / (1 - ps)) + (1 - ps) * sp.log((1 - ps) / ps) > be,
                   hyps=[ps >= sp.Rational(9, 10), ps < 1, be < sp.Rational(7, 10)],
                   facts=[LOG_QUOTIENT.instance(x=ps, y=1 - ps),
                          LOG_QUOTIENT.instance(x=1 - ps, y=ps),
                          LOG_LE_SUB_ONE.instance(x=(1 - ps) / ps)],
                   hints=[{"beta": F(1, 2), "p": F(9, 10)}],
                   text="φ ≠ ˜φ on a two-sentence alphabet, P˜φ = (p, 1 − p), Pφ = (1 − p, p), "
                        "p ≥ 9/10: M's expected increment is their KL, above β for β < 7/10 "
                        "(the condition can hold)"),),
             repairs="D.5lit"),
        Step("D.6lit", "Definitions 2 and 6 together",
             "Two distributions, Pφ, Pψ are c-similar if there exists c > 0 such that for any "
             "strings s0 and s the following holds: |log Pψ(s|s0)/Pφ(s|s0)| < c", "faithful",
             (make("D6/literal-caps-prompts", (BETA, C, N, MN), n * be < c,
                   hyps=[mn > n * be, sp.Abs(mn) < c],
                   text="Definition 6 at s0 = ∅ and s = the whole greedy prompt, whose log ratio "
                        "exceeds nβ (Appendix A)"),
              make("D6/theorem2-needs-more", (ALPHA, BETA, C, M, N, GAMMA_P, EPS), n * be > c,
                   hyps=[n * be > m * c + sp.log((1 - al) / al) + sp.log((1 + gp - eps) / eps),
                         al <= sp.Rational(1, 2), eps <= (1 + gp) / 2],
                   facts=[LOG_NONNEG.instance(x=(1 - al) / al),
                          LOG_NONNEG.instance(x=(1 + gp - eps) / eps)],
                   text="Theorem 2's length exceeds c/β whenever |s0| ≥ 1, α ≤ 1/2, ϵ ≤ (1+γ′)/2")),
             explanation="Read literally (s any string), Definition 6 bounds the log ratio of "
                         "the whole prompt by c, so a greedy prompt has fewer than c/β "
                         "sentences, while Theorems 2–4 need more: the definitions are only "
                         "consistent with s read as one sentence. Both facts are PROVED; "
                         "together they are the finding.",
             finding="Definition 6 must be read per sentence, or Theorems 2–4 are vacuous",
             finding_kind="unsupported", severity="unsupported claim"),
        Step("D.6lit-r", "Definition 6 (repaired reading)",
             "Read s as one sentence: then |log P−/P+| of an n-sentence prompt is only bounded "
             "by n·c, consistent with the greedy nβ < M_n whenever β < c", "repaired",
             (make("D6r/per-sentence", (BETA, C, N, MN), mn < n * c,
                   hyps=[mn > n * be, mn < n * c, be < c],
                   hints=[{"beta": 1, "c": 2, "n": 3, "Mn": 4}],
                   text="the hypotheses (greedy growth and per-sentence similarity) are jointly "
                        "satisfiable: a certified point is part of the verdict"),),
             repairs="D.6lit"),
    )
    return Chain("definitions", "Definitions 2–6: stated consequences and consistency",
                 "c has to be larger than β; the definitions admit the theorems' constructions",
                 "Section 2.2", steps)


def big_o() -> Chain:
    K = positive("K", "K", "the constant of a big-O bound")
    T = closed("t", 1, 10**9, meaning="family parameter: β = 1/t, log((1−α)/α) ≥ t")
    LA = real("La", "log(1/α)")
    LR = real("Lr", "log((1−α)/α)")
    LE = closed("Le", 0, 10**9, meaning="log(1/ϵ)")
    L3 = closed("L3", 0, 10**9, meaning="log((2−ϵ)/ϵ)")
    NN = positive("nmin", "n", "any prompt length that misaligns the worst-case model")
    RR = positive("r", "r", "(1−α)P+/(αP−) after the prompt")
    MM = real("M", "M_n", "log P−/P+ of the prompt")
    NL = nonneg_int("n", "n", "prompt length", lower=0)
    k, t, la, lr, le, l3, nmin = (K.symbol, T.symbol, LA.symbol, LR.symbol, LE.symbol, L3.symbol,
                                 NN.symbol)
    r, mm, nl = RR.symbol, MM.symbol, NL.symbol
    GAIN = positive("g", "βq − c", "log-ratio gain of one turn")
    PHI2 = nonneg_int("Phi", "|Φ|", "number of personas", lower=2)
    phi2 = PHI2.symbol
    EPSH = closed("eps", 0, 1, meaning="ϵ", lower_open=True)
    ee = EPSH.symbol
    r_of = (1 - al) / al * sp.exp(-mm)
    # the worst-case model: B′ = 1 under P−, −1 under P+; M_n = log P−/P+ of the prompt
    worst_facts = [EXP_POS.instance(x=-mm), LOG_EXP.instance(x=-mm),
                   LOG_PRODUCT.instance(x=(1 - al) / al, y=sp.exp(-mm)),
                   LOG_QUOTIENT.instance(x=ee, y=2 - ee),
                   LOG_QUOTIENT.instance(x=2 - ee, y=ee),
                   LOG_MONOTONE_INC.instance(x=r_of, y=ee / (2 - ee))]
    t4a = 2 / be * sp.log(1 / ee)
    t4b = 32 * (c / be) ** 2 * sp.log(phi2)
    bpp = sp.Symbol("BPp", real=True)
    steps = (
        Step("O.1", "Theorem 1 / Appendix A, worst case",
             "Theorem 1 … with prompt length of O(log 1/ϵ, log 1/α, 1/β)", "faithful",
             (make("O.1/necessary", (ALPHA, EPSH, C, NL, MM), nl * c > sp.log((1 - al) / al)
                   + sp.log((2 - ee) / ee),
                   hyps=[mm < nl * c, bpp > 1 - ee],
                   defs={bpp: (1 - r_of) / (1 + r_of)},
                   facts=worst_facts,
                   text="γ = −1, P+ always scores +1, P− always −1, every sentence's log ratio "
                        "below c: a misaligning prompt needs n c > log((1−α)/α) + log((2−ϵ)/ϵ)"),
              make("O.1/quadratic", (T, LR, L3, NN), 2 * nmin > t**2,
                   hyps=[2 * nmin > t * (lr + l3), lr >= t],
                   text="with c = 2β = 2/t and log((1−α)/α) ≥ t the necessary length "
                        "t(log((1−α)/α) + …)/2 exceeds t²/2"),
              make("O.1/linear-in-t", (K, T, LE, NN), nmin > t * (k * (le + 2) + 2),
                   hyps=[2 * nmin > t**2, t >= 2 * k * (le + 2) + 4],
                   text="… t²/2 ≥ t(K(log 1/ϵ + 2) + 2) once t/2 ≥ K(log 1/ϵ + 2) + 2"),
              make("O.1/not-additive", (K, T, LA, LE, NN), nmin > k * (le + la + t),
                   hyps=[nmin > t * (k * (le + 2) + 2), la <= t + 1,
                         t >= 2 * k * (le + 2) + 4],
                   text="… which outgrows K(log 1/ϵ + log 1/α + 1/β) for every K")),
             explanation="The proof gives O((log 1/α + log 1/ϵ)/β), a product; read as a sum "
                         "O(log 1/ϵ + log 1/α + 1/β) it does not follow: the facts the proof "
                         "uses (every sentence moving the log ratio by less than c = 2β, B′ at "
                         "its extremes) admit values needing Ω(log(1/α)/β) sentences. No model "
                         "is shown to attain them: per-sentence log ratios below c cap a "
                         "conditional KL at c·tanh(c/2), so KL > β with c = 2β needs β > 0.54, "
                         "not β = 1/t → 0. The sum reading is unsupported, not refuted; the "
                         "paper's multi-argument O is shorthand (§3.1 itself compares "
                         "log(1/α)/β).",
             finding="Big-O reads as a product, not a sum: O((log 1/α + log 1/ϵ)/β)",
             finding_kind="unsupported", severity="unsupported claim"),
        Step("O.1r", "Theorem 1 (repaired statement)",
             "prompt length O((log 1/α + log 1/ϵ)/β): the repaired n* = (log((1−α)/α) + "
             "log((1+γ′−ϵ)/ϵ))/β ≤ (log(1/α) + log(2/ϵ))/β", "repaired",
             (make("O.1r/product-form", (ALPHA, BETA, GAMMA_P, EPS),
                   (sp.log((1 - al) / al) + sp.log((1 + gp - eps) / eps)) / be
                   <= (sp.log(1 / al) + sp.log(2 / eps)) / be,
                   hyps=[eps < 1 + gp],
                   facts=[LOG_MONOTONE_INC.instance(x=(1 - al) / al, y=1 / al),
                          LOG_MONOTONE_INC.instance(x=(1 + gp - eps) / eps, y=2 / eps)]),),
             repairs="O.1"),
        Step("O.2", "Theorem 2 / Appendix A, worst case",
             "|s1| = O(log 1/ϵ, log 1/α, 1/β, |s0|, c)", "faithful",
             (make("O.2/necessary", (ALPHA, EPSH, BETA, C, M_LEN, NL, MM),
                   nl * be > m * c + sp.log((1 - al) / al) + sp.log((2 - ee) / ee),
                   hyps=[mm < nl * be - m * c, bpp > 1 - ee],
                   defs={bpp: (1 - r_of) / (1 + r_of)},
                   facts=worst_facts,
                   text="aligning prompt at its c-similarity floor (M0 = −|s0|c), every "
                        "available sentence gaining at most β: n β > |s0| c + …"),
              make("O.2/cubic", (T, NN), nmin > 6 * t**2, hyps=[nmin > t**3, t >= 6],
                   text="|s0| = c = t, β = 1/t: the necessary n > t³ ≥ 6t² (t ≥ 6)"),
              make("O.2/not-additive", (K, T, LE, LA, NN), nmin > k * (le + la + 4 * t),
                   hyps=[nmin > 6 * t**2, la <= t + 1, t >= 2 * k * (le + 2) + 6],
                   text="… and 6t² outgrows K(log 1/ϵ + log 1/α + 1/β + |s0| + c)")),
             explanation="Read additively the bound does not follow: with the aligning prompt "
                         "at M0 = −|s0|c and sentences that gain only about β, the proof's "
                         "argument needs more than |s0|c/β sentences. As for O.1, no model is "
                         "shown to attain these values (sentences gaining only about β = 1/t "
                         "with c = t), so this is unsupported, not refuted.",
             finding="Theorem 2's proof gives O((|s0| c + log 1/α + log 1/ϵ)/β), a product form",
             finding_kind="unsupported", severity="unsupported claim"),
        Step("O.2r", "Theorem 2 (repaired statement)",
             "|s1| = O((|s0| c + log 1/α + log 1/ϵ)/β): the repaired n* is at most "
             "(|s0| c + log(1/α) + log(2/ϵ))/β", "repaired",
             (make("O.2r/product-form", (ALPHA, BETA, GAMMA_P, EPS, C, M_LEN),
                   (m * c + sp.log((1 - al) / al) + sp.log((1 + gp - eps) / eps)) / be
                   <= (m * c + sp.log(1 / al) + sp.log(2 / eps)) / be,
                   hyps=[eps < 1 + gp],
                   facts=[LOG_MONOTONE_INC.instance(x=(1 - al) / al, y=1 / al),
                          LOG_MONOTONE_INC.instance(x=(1 + gp - eps) / eps, y=2 / eps)]),),
             repairs="O.2"),
        Step("O.3", "Theorem 3 / Appendix C",
             "total prompt length of Σi |qi| = O(log 1/ϵ, log 1/α, c/β) and each prompt of length "
             "|qi| = O(c/β)", "faithful",
             (make("O.3/cubic", (T, NN), 2 * nmin > 6 * t**2, hyps=[2 * nmin > t**3, t >= 6],
                   text="c = 1, β = 1/t, log((1−α)/α) ≥ t: q = t + 2 sentences a turn, each "
                        "turn gaining βq − c = 2/t, so the proof's total q·turns > (t + 2)·t²/2 "
                        "> t³/2 ≥ 3t² (t ≥ 6)"),
              make("O.3/proof-total", (K, T, LE, LA, NN), nmin > k * (le + la + t),
                   hyps=[2 * nmin > 6 * t**2, la <= t + 1, t >= 2 * k * (le + 2) + 6],
                   text="… which outgrows K(log 1/ϵ + log 1/α + c/β)")),
             explanation="The proof's total is q·turns with q = ⌊c/β⌋ + 2 and turns > (log 1/α "
                         "+ …)/(βq − c), about (c/β + 2)(log 1/α + log 1/ϵ)/β: a product with a "
                         "factor 1/β that the stated O(log 1/ϵ, log 1/α, c/β) does not list "
                         "(each |qi| = O(c/β) does hold). Whether the definitions' link between "
                         "c and β absorbs that factor, the paper does not argue.",
             finding="Theorem 3's total length is O((c/β + 2)(log 1/α + log 1/ϵ)/β): the proof "
                     "gives a factor 1/β the statement does not list",
             finding_kind="unsupported", severity="unsupported claim"),
        Step("O.3r", "Theorem 3 (repaired statement)",
             "Σ|qi| = q·n with q = ⌊c/β⌋ + 2 (the paper's |qi| > c/β + 1) and n = "
             "⌊(log((1−α)/α) + log((1+γ′−ϵ)/ϵ))/(βq − c)⌋ + 1 ≤ (log(1/α) + log(2/ϵ))/β + 1 "
             "(the closed form CF.5 proves sufficient)", "repaired",
             (make("O.3r/gain", (BETA, C), (sp.floor(c / be) + 2) * be - c > be,
                   text="every turn of q = ⌊c/β⌋ + 2 sentences gains more than β"),
              make("O.3r/turns", (ALPHA, BETA, GAIN, GAMMA_P, EPS),
                   (sp.log((1 - al) / al) + sp.log((1 + gp - eps) / eps)) / GAIN.symbol
                   <= (sp.log(1 / al) + sp.log(2 / eps)) / be,
                   hyps=[eps < 1 + gp, GAIN.symbol > be],
                   facts=[LOG_MONOTONE_INC.instance(x=(1 - al) / al, y=1 / al),
                          LOG_MONOTONE_INC.instance(x=(1 + gp - eps) / eps, y=2 / eps),
                          LOG_NONNEG.instance(x=1 / al), LOG_NONNEG.instance(x=2 / eps)],
                   text="so the turns are at most (log(1/α) + log(2/ϵ))/β + 1")),
             repairs="O.3"),
        Step("O.4", "Lemma 1 / Theorem 4",
             "|s0| = O(log 1/ϵ, 1/β, log |Φ|, c²)", "faithful",
             (make("O.4/lemma1-length", (K, T, NN), nmin > k * (1 + t + 2 + 1),
                   hyps=[nmin > 32 * t**2, t >= k + 1],
                   text="Lemma 1's length 32 (c/β)² log|Φ| at c = 1, |Φ| = 3, ϵ = 1/e, β = 1/t "
                        "exceeds 32t², beyond K(log 1/ϵ + 1/β + log|Φ| + c²) ≤ K(t + 4) for "
                        "t ≥ K + 1"),),
             explanation="The proof establishes n > 32 (c/β)² log|Φ|, which grows like 1/β²: "
                         "neither the sum nor the product of log 1/ϵ, 1/β, log|Φ| and c² (both "
                         "linear in 1/β) is what the proof shows.",
             finding="Lemma 1 / Theorem 4's length is O((c/β)² log|Φ| + log(1/ϵ′)/β)",
             finding_kind="unsupported", severity="unsupported claim"),
        Step("O.4r", "Lemma 1 (repaired statement)",
             "|s0| = O((c/β)² log|Φ| + log(1/ϵ)/β): max(a, b) ≤ a + b for the two terms",
             "repaired",
             (make("O.4r/sum-of-terms", (BETA, C, EPSH, PHI2),
                   sp.And(t4a <= t4a + t4b, t4b <= t4a + t4b),
                   facts=[LOG_NONNEG.instance(x=1 / ee), LOG_NONNEG.instance(x=phi2)]),),
             repairs="O.4"),
    )
    _ = (BETA, EPS, r, RR)
    return Chain("big_o", "Big-O claims of the theorem statements",
                 "prompt lengths O(log 1/ϵ, log 1/α, 1/β) (Theorem 1), O(log 1/ϵ, 1/β, log 1/α, "
                 "c², log|Φ|) (Theorem 4, Lemma 1)", "Sections 3.1, 3.3", steps)
