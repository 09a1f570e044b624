"""Lemma D.1 (Appendix D.1): the log ratio of a user turn, sentence by sentence."""

from __future__ import annotations

import sympy as sp

from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.finding import Finding, Severity
from bebcheck.symbolic.lemmas import EXISTS_ABOVE_MEAN
from bebcheck.symbolic.location import Location
from bebcheck.symbolic.params import nonneg_int, positive, prob_param, real
from bebcheck.symbolic.step import Step, StepKind

from .common import be, make
from .models import realised
from .params import BETA
from .results import ResultId

__all__ = ["lemma_d1"]


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
        Step("D1.1", Location.sentence("Appendix D.1", "we construct a prompt sentence by sentence", "statement"),
             "we construct a prompt sentence by sentence, q = s1 ⊕ … ⊕ s|q|. Such that "
             "log P−(qk|s0)/P−(qk|s0) > β · |q|", StepKind.FAITHFUL,
             (make("D1.1/statement", (BETA, QL, P1),
                   sp.log(P1.symbol / P1.symbol) > be * QL.symbol,
                   text="as printed, both numerator and denominator are P−"),),
             explanation="log P−/P− = 0 can never exceed β|q| > 0; the denominator must be P+.", finding=Finding(Severity.TYPO, realised=realised("D1.1"))),
        Step("D1.1r", Location.sentence("Appendix D.1", "we construct a prompt sentence by sentence", "statement").as_repaired(),
             "log P−(q|s0)/P+(q|s0) > β·|q| (proved by D1.2 and D1.3r)", StepKind.REPAIRED,
             (make("D1.1r/sum", (BETA, K, Sk, EX), Sk.symbol + xq > (K.symbol + 1) * be,
                   hyps=[Sk.symbol > K.symbol * be, EX.symbol > be],
                   facts=[EXISTS_ABOVE_MEAN.instance(mean=EX.symbol, b=be, x_s=xq)],
                   text="k sentences above β each; Definition 2 at the next prefix (E[X] > β) "
                        "gives one more above β: the sum exceeds (k+1)β"),),
             repairs="D1.1"),
        Step("D1.2", Location.sentence("Appendix D.1", "From β-distinguishability, Es1∼P−(·|s0)", "base case"),
             "From β-distinguishability, Es1∼P−(·|s0)[log P−(s1|s0)/P+(s1|s0)] > β. Thus, in "
             "particular there exists a sentence s1 that satisfies log P−(s1|s0)/P+(s1|s0) > β",
             StepKind.FAITHFUL,
             (make("D1.2/exists", (EX, BETA), xq > be, hyps=[EX.symbol > be],
                   facts=[EXISTS_ABOVE_MEAN.instance(mean=EX.symbol, b=be, x_s=xq)]),),
             lemmas=("exists_above_mean",)),
        Step("D1.3", Location.sentence("Appendix D.1", "From β-distinguishability, Esk∼P−(s1⊕…⊕sk−1)", "induction step"),
             "From β-distinguishability, Esk∼P−(s1⊕…⊕sk−1)[log P−(sk|s1 ⊕ … ⊕ sk−1)/P+(sk|s1 ⊕ "
             "… ⊕ sk−1)] > β … Such that in total, log P−(q|s0)/P+(q|s0) = Σ log P−(si|s0 ⊕ s1 ⊕ "
             "… ⊕ si−1)/P+(…) > |q| · β", StepKind.FAITHFUL,
             (make("D1.3/context", (BETA, XW, XO), XW.symbol > be, hyps=[XO.symbol > be],
                   text="the chosen s_k is good in a context without s0; the sum needs it "
                        "with s0"),),
             explanation="The step conditions on s1 ⊕ … ⊕ sk−1, dropping s0, but the sum is over "
                         "the conditionals given s0 ⊕ s1 ⊕ … ⊕ si−1: the chosen sentence need "
                         "not be good there.", finding=Finding(Severity.TYPO, realised=realised("D1.3"))),
        Step("D1.3r", Location.sentence("Appendix D.1", "From β-distinguishability, Esk∼P−(s1⊕…⊕sk−1)", "induction step").as_repaired(),
             "Apply Definition 2 at the prompt s0 ⊕ s1 ⊕ … ⊕ sk−1 (it holds for any prompt)",
             StepKind.REPAIRED,
             (make("D1.3r/exists", (EX, BETA), xq > be, hyps=[EX.symbol > be],
                   facts=[EXISTS_ABOVE_MEAN.instance(mean=EX.symbol, b=be, x_s=xq)]),),
             repairs="D1.3", lemmas=("exists_above_mean",)),
    )
    return Chain(ResultId.LEMMA_D1, "Lemma (adversarial prompt construction)",
                 "Given s0 and P+, P− being β-distinguishable, we construct a prompt sentence by "
                 "sentence, q = s1 ⊕ … ⊕ s|q|, such that log P−(q|s0)/P+(q|s0) > β·|q|",
                 "Appendix D.1", steps)
