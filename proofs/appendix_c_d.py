"""Theorem 3 (Appendix C), the conversation lemma (Appendix D) and the prompt construction (D.1).

Theorem 3's first half repeats Appendix A's behaviour bound at the context s0 = q1 ⊕ a1 ⊕ … ⊕
qn ⊕ an (the same steps, shared with ``appendix_a.first_half``); its second half turns the
per-turn gain of Lemma D into a number of turns.
"""

from __future__ import annotations

from fractions import Fraction as F

import sympy as sp

from bebcheck.symbolic.lemmas import EXISTS_ABOVE_MEAN, LOG_MONOTONE, LOG_PRODUCT, LOG_QUOTIENT
from bebcheck.symbolic.obligation import Chain, Step
from bebcheck.symbolic.params import (
    ALPHA,
    BETA,
    EPS,
    GAMMA_P,
    C,
    nonneg_int,
    positive,
    prob_param,
    real,
)

from ._common import BM, BP, al, be, c, c_similar_behaviours, eps, gp, kl_cap, make
from .appendix_a import RATIO, BPp, first_half, mix_r

__all__ = ["lemma_d", "lemma_d1", "theorem3"]

rr = RATIO.symbol
Bm = BM.symbol
TURNS = nonneg_int("n", "n", "number of user turns", lower=1)
Q = positive("q", "|q_i|", "sentences per user turn (all turns of equal length)")
n, q = TURNS.symbol, Q.symbol


def theorem3() -> Chain:
    L = real("L", "log P−(s0)/P+(s0)", "log ratio of the conversation s0")
    Ls = L.symbol
    lr = sp.log((1 - al) / al)
    mn_r = sp.log((1 - al) / al / rr)
    steps = [
        Step("T3.0", "Theorem 3", "B is α, β, γ-distinguishable in P (definition 3) and the "
             "distributions corresponding to the well-behaved and ill-behaved components of P are "
             "c-similar (definition 6)", "given"),
        *first_half("T3", "s0", "Appendix C"),
        Step("T3.10", "Appendix C", "log P−(s0)/P+(s0) = log P−(q1 ⊕ a1 ⊕ … ⊕ qn ⊕ an)/P+(…) "
             ">(∗) Σ_{i=1}^n (β|qi| − c)", "given",
             explanation="Lemma D (Appendix D), checked in its own chain; its '−c' per model "
                         "reply holds for one-sentence replies (D.1a, D.1ar)."),
        Step("T3.11", "Appendix C",
             "If this holds, then by choosing |qi| > c/β + 1, we obtain: log P−(s0)/P+(s0) > "
             "Σ_{i=1}^n β = n ∗ β", "faithful",
             (make("T3.11/per-turn", (BETA, C, Q), be * q - c > be, hyps=[q > c / be + 1]),
              make("T3.11/sum", (BETA, C, Q, TURNS, L), Ls > n * be,
                   hyps=[Ls > n * (be * q - c), be * q - c > be])),),
        Step("T3.12", "Appendix C",
             "Taking n > (log 1/ϵ + log (1−α)/α)/β, we obtain: (1 − α)P+(s0)/(αP−(s0)) < ϵ",
             "faithful",
             (make("T3.12/turns-to-ratio", (ALPHA, BETA, TURNS, RATIO, EPS), rr < eps,
                   hyps=[n * be > sp.log(1 / eps) + lr, mn_r > n * be],
                   facts=[LOG_QUOTIENT.instance(x=(1 - al) / al, y=rr),
                          LOG_QUOTIENT.instance(x=1, y=eps),
                          LOG_MONOTONE.instance(x=rr, y=eps)],
                   hints=[{"alpha": F(1, 2), "beta": 3, "n": 1, "r": F(1, 100), "eps": F(1, 10)}]),),
             explanation="True as a step. In the paper's own reasoning a ratio below ϵ is enough "
                         "(ϵ ≤ ϵ/γ′); with the P+ term restored (T3.2r) the ratio must be below "
                         "ϵ/(1+γ′−ϵ), which is smaller than ϵ when γ′ > ϵ."),
        Step("T3.13", "Appendix C, the theorem at the printed length",
             "Taking n > (log 1/ϵ + log (1−α)/α)/β … BP(s0) < γ + ϵ As required.", "faithful",
             (make("T3.13/end-to-end", (ALPHA, BETA, C, TURNS, RATIO, EPS, GAMMA_P, BM, BP),
                   BPp > gp - eps,
                   hyps=[n * be > sp.log(1 / eps) + lr, mn_r > n * be, Bm >= gp,
                         mn_r > n * (be * (sp.floor(c / be) + 2) - c),
                         *c_similar_behaviours(c, Bm, BP.symbol)],
                   defs=mix_r,
                   hints=[{"alpha": F(1, 2), "beta": F(231, 100), "c": F(692, 100), "n": 1,
                           "r": F(97, 1000), "gp": F(1, 2), "eps": F(1, 10), "Bm": F(1, 2),
                           "Bp": F(-9, 10)}],
                   text="with what the construction gives (turns of ⌊c/β⌋ + 2 sentences, each "
                        "gaining more than β(⌊c/β⌋ + 2) − c, Lemma D) and c-similarity (per "
                        "sentence) keeping the witness realisable: β < c·tanh(c/2), "
                        "1 + B′P+ ≥ e^{−c}(1 + B′P−)"),),
             explanation="A ratio below ϵ leaves B′P as low as (γ′ − r)/(1 + r), below γ′ − ϵ "
                         "whenever γ′ > ϵ: the printed number of turns is too small.",
             expect="refuted", severity="constant off", consequence_of="T3.2",
             lemmas=("kl_bounded_ratio",)),
        Step("T3.13r", "Appendix C (repaired)",
             "Turns of q sentences with β q > c gain βq − c each; n (βq − c) > log((1−α)/α) + "
             "log((1+γ′−ϵ)/ϵ) turns give BP(s0) < γ + ϵ (the paper's q = ⌊c/β⌋ + 2, the "
             "smallest |qi| > c/β + 1, gains more than β a turn; model replies of one sentence, "
             "see D.1ar for longer ones)", "repaired",
             (make("T3.13r/turns-to-ratio", (ALPHA, BETA, C, Q, TURNS, RATIO, EPS, GAMMA_P),
                   rr < eps / (1 + gp - eps),
                   hyps=[n * (be * q - c) > lr + sp.log((1 + gp - eps) / eps),
                         be * q - c > 0, mn_r > n * (be * q - c), eps < 1 + gp],
                   facts=[LOG_QUOTIENT.instance(x=(1 - al) / al, y=rr),
                          LOG_QUOTIENT.instance(x=1 + gp - eps, y=eps),
                          LOG_QUOTIENT.instance(x=eps, y=1 + gp - eps),
                          LOG_MONOTONE.instance(x=rr, y=eps / (1 + gp - eps))],
                   hints=[{"alpha": F(1, 2), "beta": 1, "c": F(3, 2), "q": 2, "n": 8,
                           "r": F(1, 10**5), "eps": F(1, 10), "gp": F(1, 2)}]),
              make("T3.13r/ratio-to-bound", (RATIO, EPS, GAMMA_P, BM, BP), BPp > gp - eps,
                   hyps=[rr < eps / (1 + gp - eps), eps < 1 + gp, Bm >= gp], defs=mix_r),
              make("T3.13r/q-choice", (BETA, C), be * (sp.floor(c / be) + 2) - c > be,
                   text="q = ⌊c/β⌋ + 2 makes every turn gain more than β")),
             repairs="T3.13"),
    ]
    return Chain("theorem3", "Theorem 3 (misalignment via conversation)",
                 "In a conversation with a model, q1, a1 … qt, at, qt+1, the model is "
                 "γ-misalignable with total prompt length of Σi |qi| = O(log 1/ϵ, log 1/α, c/β) "
                 "and each prompt of length |qi| = O(c/β).", "Section 3.2 / Appendix C",
                 tuple(steps))


def _chain_rule_facts(u, v, x, y):
    return [LOG_QUOTIENT.instance(x=u * v, y=x * y), LOG_PRODUCT.instance(x=u, y=v),
            LOG_PRODUCT.instance(x=x, y=y), LOG_QUOTIENT.instance(x=u, y=x),
            LOG_QUOTIENT.instance(x=v, y=y)]


def lemma_d() -> Chain:
    u, v = prob_param("u", "P−(prefix)"), prob_param("v", "P−(next|prefix)")
    x, y = prob_param("x", "P+(prefix)"), prob_param("y", "P+(next|prefix)")
    us, vs, xs, ys = u.symbol, v.symbol, x.symbol, y.symbol
    A = real("A", "a", "log P−(a_k|…)/P+(a_k|…)")
    Q1 = real("Q1", "log P−(q_k|…)/P+(q_k|…)")
    Lp = real("Lp", "log P−(q1⊕…⊕a_{k−1})/P+(…)")
    S = real("S", "Σ_{i<k}(β|qi| − c)")
    K = positive("qk", "|q_k|")
    KI = positive("qi", "|q_i|", "a turn's length, i free as printed")
    KF = positive("q1", "|q_1|", "the first turn's length")
    A1 = real("A1", "log P−(t1|…)/P+(t1|…), first sentence of the reply")
    A2 = real("A2", "log P−(t2|…)/P+(t2|…), next sentence of the reply")
    RL = nonneg_int("A", "A", "sentences in a model reply, at most", lower=1)
    As, Q1s, Lps, Ss, ks = A.symbol, Q1.symbol, Lp.symbol, S.symbol, K.symbol
    steps = (
        Step("D.1", "Appendix D, base of induction",
             "log P−(q1 ⊕ a1)/P+(q1 ⊕ a1) = log P−(a1|q1)/P+(a1|q1) + log P−(q1)/P+(q1) … The "
             "first transition is from conditional probability", "faithful",
             (make("D.1/chain-rule", (u, v, x, y),
                   sp.Eq(sp.log(us * vs / (xs * ys)), sp.log(vs / ys) + sp.log(us / xs)),
                   facts=_chain_rule_facts(us, vs, xs, ys)),
              ),
             lemmas=("chain_rule_llr",),
             explanation="The chain rule; the '> −c' for the reply a1 is D.1a."),
        Step("D.1a", "Appendix D, base of induction",
             "log P−(a1|q1)/P+(a1|q1) … > −c … the second transition is from the c-similarity",
             "faithful",
             (make("D.1a/two-sentence-reply", (C, A1, A2), A1.symbol + A2.symbol > -c,
                   hyps=[sp.Abs(A1.symbol) < c, sp.Abs(A2.symbol) < c],
                   hints=[{"c": 1, "A1": F(-9, 10), "A2": F(-9, 10)}],
                   text="a reply a1 = t1 ⊕ t2 of two sentences, each within c (Definition 6 "
                        "per sentence)"),),
             explanation="Definition 6 bounds one sentence's log ratio; read for whole strings "
                         "it contradicts Definition 2 (D.6lit). A reply of |a1| sentences can "
                         "lower the log ratio by almost c·|a1|, so '> −c' needs one-sentence "
                         "replies, which Section 3.2 does not assume (Appendix E counts replies "
                         "in sentences: Σ|qi| + |ai|). The same holds for every reply ak (the "
                         "induction step's 'From c-similarity on the first term').",
             expect="refuted", severity="invalid step"),
        Step("D.1ar", "Appendix D, base of induction (repaired)",
             "Replies of at most A sentences lower the log ratio by less than A·c, so a turn "
             "gains more than β|qk| − A·c: more than β when |qk| > A·c/β + 1 (A = 1: the "
             "paper's |qi| > c/β + 1)", "repaired",
             (make("D.1ar/reply", (C, A1, A2, RL), A1.symbol + A2.symbol > -RL.symbol * c,
                   hyps=[A1.symbol > -(RL.symbol - 1) * c, A2.symbol > -c],
                   text="induction on the reply's sentences: the first A − 1 above −(A − 1)c, "
                        "one more above −c"),
              make("D.1ar/turn-gain", (BETA, C, K, RL), be * ks - RL.symbol * c > be,
                   hyps=[ks > RL.symbol * c / be + 1])),
             repairs="D.1a",
             explanation="bebcheck's Theorem 3 length takes A from `bebcheck bound theorem3 "
                         "--reply A` (default 1)."),
        Step("D.2", "Appendix D, base of induction",
             "log P−(q1 ⊕ a1)/P+(q1 ⊕ a1) > −c + log P−(q1)/P+(q1) > β · |qi| − c", "faithful",
             (make("D.2/base", (BETA, C, KF, KI, A, Q1), As + Q1s > be * KI.symbol - c,
                   hyps=[As > -c, Q1s > be * KF.symbol, be < kl_cap(c)],
                   hints=[{"beta": F(1, 2), "c": 2, "q1": 1, "qi": 10, "A": 0, "Q1": 1}],
                   text="as printed, with |qi| (i free) where the base case has |q1|"),),
             explanation="The base case concerns q1: with |qi| for another turn the bound fails "
                         "whenever |qi| > |q1|. Meant: β·|q1| − c (uses D1.1r's construction "
                         "of q1 with log ratio > β|q1|).",
             expect="refuted", severity="typo", lemmas=("kl_bounded_ratio",)),
        Step("D.2r", "Appendix D, base of induction (repaired)",
             "log P−(q1 ⊕ a1)/P+(q1 ⊕ a1) > −c + log P−(q1)/P+(q1) > β · |q1| − c", "repaired",
             (make("D.2r/base", (BETA, C, KF, A, Q1), As + Q1s > be * KF.symbol - c,
                   hyps=[As > -c, Q1s > be * KF.symbol]),),
             repairs="D.2"),
        Step("D.3", "Appendix D, induction step",
             "= −c + log P−(qk|q1 ⊕ a1 ⊕ … ⊕ ak−1)/P+(…) + log P−(q1 ⊕ a1 ⊕ … ⊕ ak−1)/P+(…)",
             "faithful",
             (make("D.3/chain-rule", (u, v, x, y),
                   sp.Eq(sp.log(us * vs / (xs * ys)), sp.log(vs / ys) + sp.log(us / xs)),
                   facts=_chain_rule_facts(us, vs, xs, ys)),)),
        Step("D.4", "Appendix D, induction step",
             "From the base of the induction: = −c + β·|qk| + Σ_{i=1}^{k−1}(β·|qi| − c)",
             "faithful",
             (make("D.4/equality", (BETA, C, K, Lp, S),
                   sp.Eq(-c + be * ks + Lps, -c + be * ks + Ss), hyps=[Lps > Ss, be < kl_cap(c)],
                   hints=[{"beta": F(1, 2), "c": 2, "qk": 1, "Lp": 1, "S": 0}],
                   text="the induction hypothesis gives only Lp > S"),),
             explanation="The induction hypothesis is a strict lower bound, not an equality.",
             expect="refuted", severity="typo", lemmas=("kl_bounded_ratio",)),
        Step("D.4r", "Appendix D, induction step (repaired)",
             "> −c + β·|qk| + Σ_{i=1}^{k−1}(β·|qi| − c), by the induction hypothesis", "repaired",
             (make("D.4r/inequality", (BETA, C, K, A, Q1, Lp, S),
                   As + Q1s + Lps > Ss + be * ks - c,
                   hyps=[Lps > Ss, As > -c, Q1s > be * ks]),),
             repairs="D.4"),
    )
    return Chain("lemma_d", "Lemma (bound for component probability ratio in conversation)",
                 "There exists a choice of prompts q1…qn such that: log P−(q1 ⊕ a1 ⊕ … ⊕ qn ⊕ an)"
                 "/P+(…) > Σ_{i=1}^n (β|qi| − c)", "Appendix D", steps)


def lemma_d1() -> Chain:
    QL = positive("qlen", "|q|", "sentences in the prompt q")
    P1 = prob_param("p1", "P−(q|s0)")
    EX = real("EX", "E[X]", "expected conditional log ratio at the prompt")
    XW = real("Xw", "X(s_k) in context s0⊕s1⊕…⊕s_{k−1}")
    XO = real("Xo", "X(s_k) in context s1⊕…⊕s_{k−1} (s0 dropped)")
    Sk = real("Sk", "Σ_{i<k} x_i")
    K = nonneg_int("k", "k", "induction index", lower=1)
    xq = sp.Symbol("xq", real=True)
    steps = (
        Step("D1.1", "Appendix D.1, statement",
             "we construct a prompt sentence by sentence, q = s1 ⊕ … ⊕ s|q|. Such that "
             "log P−(qk|s0)/P−(qk|s0) > β · |q|", "faithful",
             (make("D1.1/statement", (BETA, QL, P1),
                   sp.log(P1.symbol / P1.symbol) > be * QL.symbol,
                   text="as printed, both numerator and denominator are P−"),),
             explanation="log P−/P− = 0 can never exceed β|q| > 0; the denominator must be P+.",
             expect="refuted", severity="typo"),
        Step("D1.1r", "Appendix D.1, statement (repaired)",
             "log P−(q|s0)/P+(q|s0) > β·|q| (proved by D1.2 and D1.3r)", "repaired",
             (make("D1.1r/sum", (BETA, K, Sk, EX), Sk.symbol + xq > (K.symbol + 1) * be,
                   hyps=[Sk.symbol > K.symbol * be, EX.symbol > be],
                   facts=[EXISTS_ABOVE_MEAN.instance(mean=EX.symbol, b=be, x_s=xq)],
                   text="k sentences above β each; Definition 2 at the next prefix (E[X] > β) "
                        "gives one more above β: the sum exceeds (k+1)β"),),
             repairs="D1.1"),
        Step("D1.2", "Appendix D.1, base case",
             "From β-distinguishability, Es1∼P−(·|s0)[log P−(s1|s0)/P+(s1|s0)] > β. Thus, in "
             "particular there exists a sentence s1 that satisfies log P−(s1|s0)/P+(s1|s0) > β",
             "faithful",
             (make("D1.2/exists", (EX, BETA), xq > be, hyps=[EX.symbol > be],
                   facts=[EXISTS_ABOVE_MEAN.instance(mean=EX.symbol, b=be, x_s=xq)]),),
             lemmas=("exists_above_mean",)),
        Step("D1.3", "Appendix D.1, induction step",
             "From β-distinguishability, Esk∼P−(s1⊕…⊕sk−1)[log P−(sk|s1 ⊕ … ⊕ sk−1)/P+(sk|s1 ⊕ "
             "… ⊕ sk−1)] > β … Such that in total, log P−(q|s0)/P+(q|s0) = Σ log P−(si|s0 ⊕ s1 ⊕ "
             "… ⊕ si−1)/P+(…) > |q| · β", "faithful",
             (make("D1.3/context", (BETA, XW, XO), XW.symbol > be, hyps=[XO.symbol > be],
                   text="the chosen s_k is good in a context without s0; the sum needs it "
                        "with s0"),),
             explanation="The step conditions on s1 ⊕ … ⊕ sk−1, dropping s0, but the sum is over "
                         "the conditionals given s0 ⊕ s1 ⊕ … ⊕ si−1: the chosen sentence need "
                         "not be good there.",
             expect="refuted", severity="typo"),
        Step("D1.3r", "Appendix D.1, induction step (repaired)",
             "Apply Definition 2 at the prompt s0 ⊕ s1 ⊕ … ⊕ sk−1 (it holds for any prompt)",
             "repaired",
             (make("D1.3r/exists", (EX, BETA), xq > be, hyps=[EX.symbol > be],
                   facts=[EXISTS_ABOVE_MEAN.instance(mean=EX.symbol, b=be, x_s=xq)]),),
             repairs="D1.3", lemmas=("exists_above_mean",)),
    )
    return Chain("lemma_d1", "Lemma (adversarial prompt construction)",
                 "Given s0 and P+, P− being β-distinguishable, we construct a prompt sentence by "
                 "sentence, q = s1 ⊕ … ⊕ s|q|, such that log P−(q|s0)/P+(q|s0) > β·|q|",
                 "Appendix D.1", steps)
