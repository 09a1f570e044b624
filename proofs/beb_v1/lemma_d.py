"""Lemma D (Appendix D): the log ratio gained over a conversation's turns."""

from __future__ import annotations

from fractions import Fraction as F

import sympy as sp

from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.finding import Finding, Severity
from bebcheck.symbolic.lemmas import LOG_PRODUCT, LOG_QUOTIENT
from bebcheck.symbolic.location import Location
from bebcheck.symbolic.params import nonneg_int, positive, prob_param, real
from bebcheck.symbolic.step import Step, StepKind

from .common import be, c, kl_cap, make
from .models import realised
from .params import BETA, C
from .results import ResultId

__all__ = ["lemma_d"]


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
        Step("D.1", Location.sentence("Appendix D", "The first transition is from conditional probability", "base of induction"),
             "log P−(q1 ⊕ a1)/P+(q1 ⊕ a1) = log P−(a1|q1)/P+(a1|q1) + log P−(q1)/P+(q1) … The "
             "first transition is from conditional probability", StepKind.FAITHFUL,
             (make("D.1/chain-rule", (u, v, x, y),
                   sp.Eq(sp.log(us * vs / (xs * ys)), sp.log(vs / ys) + sp.log(us / xs)),
                   facts=_chain_rule_facts(us, vs, xs, ys)),
              ),
             lemmas=("chain_rule_llr",),
             explanation="The chain rule; the '> −c' for the reply a1 is D.1a."),
        Step("D.1a", Location.sentence("Appendix D", "the second transition is from the c-similarity", "base of induction"),
             "log P−(a1|q1)/P+(a1|q1) … > −c … the second transition is from the c-similarity",
             StepKind.FAITHFUL,
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
                         "induction step's 'From c-similarity on the first term').", finding=Finding(Severity.INVALID_STEP, realised=realised("D.1a"))),
        Step("D.1ar", Location.sentence("Appendix D", "the second transition is from the c-similarity", "base of induction").as_repaired(),
             "Replies of at most A sentences lower the log ratio by less than A·c, so a turn "
             "gains more than β|qk| − A·c: more than β when |qk| > A·c/β + 1 (A = 1: the "
             "paper's |qi| > c/β + 1)", StepKind.REPAIRED,
             (make("D.1ar/reply", (C, A1, A2, RL), A1.symbol + A2.symbol > -RL.symbol * c,
                   hyps=[A1.symbol > -(RL.symbol - 1) * c, A2.symbol > -c],
                   text="induction on the reply's sentences: the first A − 1 above −(A − 1)c, "
                        "one more above −c"),
              make("D.1ar/turn-gain", (BETA, C, K, RL), be * ks - RL.symbol * c > be,
                   hyps=[ks > RL.symbol * c / be + 1])),
             repairs="D.1a",
             explanation="bebcheck's Theorem 3 length takes A from `bebcheck bound theorem3 "
                         "--reply A` (default 1)."),
        Step("D.2", Location.display("Appendix D", "log P−(q1 ⊕ a1)/P+(q1 ⊕ a1) > −c + log P−(q1)/P+(q1)", "base of induction"),
             "log P−(q1 ⊕ a1)/P+(q1 ⊕ a1) > −c + log P−(q1)/P+(q1) > β · |qi| − c", StepKind.FAITHFUL,
             (make("D.2/base", (BETA, C, KF, KI, A, Q1), As + Q1s > be * KI.symbol - c,
                   hyps=[As > -c, Q1s > be * KF.symbol, be < kl_cap(c)],
                   hints=[{"beta": F(1, 2), "c": 2, "q1": 1, "qi": 10, "A": 0, "Q1": 1}],
                   text="as printed, with |qi| (i free) where the base case has |q1|"),),
             explanation="The base case concerns q1: with |qi| for another turn the bound fails "
                         "whenever |qi| > |q1|. Meant: β·|q1| − c (uses D1.1r's construction "
                         "of q1 with log ratio > β|q1|).", finding=Finding(Severity.TYPO, realised=realised("D.2")), lemmas=("kl_bounded_ratio",)),
        Step("D.2r", Location.display("Appendix D", "log P−(q1 ⊕ a1)/P+(q1 ⊕ a1) > −c + log P−(q1)/P+(q1)", "base of induction").as_repaired(),
             "log P−(q1 ⊕ a1)/P+(q1 ⊕ a1) > −c + log P−(q1)/P+(q1) > β · |q1| − c", StepKind.REPAIRED,
             (make("D.2r/base", (BETA, C, KF, A, Q1), As + Q1s > be * KF.symbol - c,
                   hyps=[As > -c, Q1s > be * KF.symbol]),),
             repairs="D.2"),
        Step("D.3", Location.display("Appendix D", "= −c + log P−(qk|q1 ⊕ a1 ⊕ … ⊕ ak−1)/P+(…)", "induction step"),
             "= −c + log P−(qk|q1 ⊕ a1 ⊕ … ⊕ ak−1)/P+(…) + log P−(q1 ⊕ a1 ⊕ … ⊕ ak−1)/P+(…)",
             StepKind.FAITHFUL,
             (make("D.3/chain-rule", (u, v, x, y),
                   sp.Eq(sp.log(us * vs / (xs * ys)), sp.log(vs / ys) + sp.log(us / xs)),
                   facts=_chain_rule_facts(us, vs, xs, ys)),)),
        Step("D.4", Location.sentence("Appendix D", "From the base of the induction", "induction step"),
             "From the base of the induction: = −c + β·|qk| + Σ_{i=1}^{k−1}(β·|qi| − c)",
             StepKind.FAITHFUL,
             (make("D.4/equality", (BETA, C, K, Lp, S),
                   sp.Eq(-c + be * ks + Lps, -c + be * ks + Ss), hyps=[Lps > Ss, be < kl_cap(c)],
                   hints=[{"beta": F(1, 2), "c": 2, "qk": 1, "Lp": 1, "S": 0}],
                   text="the induction hypothesis gives only Lp > S"),),
             explanation="The induction hypothesis is a strict lower bound, not an equality.", finding=Finding(Severity.TYPO, realised=realised("D.4")), lemmas=("kl_bounded_ratio",)),
        Step("D.4r", Location.sentence("Appendix D", "From the base of the induction", "induction step").as_repaired(),
             "> −c + β·|qk| + Σ_{i=1}^{k−1}(β·|qi| − c), by the induction hypothesis", StepKind.REPAIRED,
             (make("D.4r/inequality", (BETA, C, K, A, Q1, Lp, S),
                   As + Q1s + Lps > Ss + be * ks - c,
                   hyps=[Lps > Ss, As > -c, Q1s > be * ks]),),
             repairs="D.4"),
    )
    return Chain(ResultId.LEMMA_D, "Lemma (bound for component probability ratio in conversation)",
                 "There exists a choice of prompts q1…qn such that: log P−(q1 ⊕ a1 ⊕ … ⊕ qn ⊕ an)"
                 "/P+(…) > Σ_{i=1}^n (β|qi| − c)", "Appendix D", steps)
