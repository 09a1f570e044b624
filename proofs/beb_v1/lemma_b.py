"""The M0 lemma of Appendix B: M0 = sum of conditional log ratios > -m c under c-similarity."""

from __future__ import annotations

import sympy as sp

from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.lemmas import LOG_PRODUCT, LOG_QUOTIENT
from bebcheck.symbolic.location import Location
from bebcheck.symbolic.params import nonneg_int, prob_param, real
from bebcheck.symbolic.step import Step, StepKind

from .common import make
from .params import C
from .results import ResultId

__all__ = ["lemma_b"]

c = C.symbol


def lemma_b() -> Chain:
    u, v = prob_param("u", "Pφ(a1…am′−1)"), prob_param("v", "Pφ(am′|a1…am′−1)")
    x, y = prob_param("x", "Pφ̃(a1…am′−1)"), prob_param("y", "Pφ̃(am′|a1…am′−1)")
    us, vs, xs, ys = u.symbol, v.symbol, x.symbol, y.symbol
    M1 = nonneg_int("m", "m", "|s0|, number of sentences", lower=1)
    S = real("S", "S_m", "Σ_{i≤m} log Pφ(ai|…)/Pφ̃(ai|…)")
    L = real("l", "l", "one conditional log ratio log Pφ(ai|…)/Pφ̃(ai|…)")
    Ss, ls = S.symbol, L.symbol
    m1 = M1.symbol
    steps = (
        Step("B.0", Location.statement("Definition 6"),
             "Two distributions, Pφ, Pψ are c-similar if there exists c > 0 such that for any "
             "strings s0 and s the following holds: |log Pψ(s|s0)/Pφ(s|s0)| < c", StepKind.GIVEN),
        Step("B.1", Location.sentence("Appendix B", "Base for induction m′ = 2", "induction base"),
             "Base for induction m′ = 2, follows from conditional probability of two variables: "
             "log Pφ(a1 ⊕ a2)/Pφ̃(a1 ⊕ a2) = log Pφ(a2|a1)/Pφ̃(a2|a1) + log Pφ(a1)/Pφ̃(a1)",
             StepKind.FAITHFUL,
             (make("B.1/chain-rule", (u, v, x, y),
                   sp.Eq(sp.log(us * vs / (xs * ys)), sp.log(vs / ys) + sp.log(us / xs)),
                   facts=[LOG_QUOTIENT.instance(x=us * vs, y=xs * ys),
                          LOG_PRODUCT.instance(x=us, y=vs), LOG_PRODUCT.instance(x=xs, y=ys),
                          LOG_QUOTIENT.instance(x=us, y=xs), LOG_QUOTIENT.instance(x=vs, y=ys)]),),
             lemmas=("chain_rule_llr",)),
        Step("B.2", Location.sentence("Appendix B", "Induction step: assume m′ − 1 holds true", "induction step"),
             "Induction step: assume m′ − 1 holds true, now for m′: … = Σ_{i=1}^{m′} "
             "log Pφ(ai|a1 ⊕ … ⊕ ai−1)/Pφ̃(ai|a1 ⊕ … ⊕ ai−1)", StepKind.FAITHFUL,
             (make("B.2/induction-step", (u, v, x, y, S),
                   sp.Eq(sp.log(us * vs / (xs * ys)), Ss + sp.log(vs / ys)),
                   hyps=[sp.Eq(sp.log(us / xs), Ss)],
                   facts=[LOG_QUOTIENT.instance(x=us * vs, y=xs * ys),
                          LOG_PRODUCT.instance(x=us, y=vs), LOG_PRODUCT.instance(x=xs, y=ys),
                          LOG_QUOTIENT.instance(x=us, y=xs), LOG_QUOTIENT.instance(x=vs, y=ys)],
                   hints=[{"u": sp.Rational(1, 2), "x": sp.Rational(1, 2), "S": 0,
                           "v": sp.Rational(1, 3), "y": sp.Rational(1, 4)}]),),
             lemmas=("chain_rule_llr", "induction"),
             explanation="The m′ − 1 prefix's log ratio equals S by the induction hypothesis."),
        Step("B.3", Location.display("Appendix B", "first display"),
             "M0 = … = Σi log Pφ(ai|a1 ⊕ … ⊕ ai−1)/Pφ̃(ai|a1 ⊕ … ⊕ ai−1) > −m ∗ c. "
             "The last transition is from c-similarity.", StepKind.FAITHFUL,
             (make("B.3/term", (C, L), ls > -c, hyps=[sp.Abs(ls) < c],
                   text="m = 1, and each further term: c-similarity bounds |l| < c"),
              make("B.3/induction-step", (C, M1, S, L), Ss + ls > -(m1 + 1) * c,
                   hyps=[Ss > -m1 * c, ls > -c])),
             lemmas=("induction",),
             explanation="The lemma is stated for s0 = a1 ⊕ … ⊕ am, m ≥ 1: Appendix A treats the "
                         "empty s0 apart ('s0 is empty, so there is nothing to bound'), where "
                         "M0 = 0 ≥ −0·c is all its length needs."),
    )
    return Chain(ResultId.LEMMA_B, "Lemma (bound for M0 with c-similarity)",
                 "Denote the conversation history s0 = a1 ⊕ … ⊕ am. Let Pφ and Pφ̃ be c-similar "
                 "distributions. M0 = log Pφ(a1 ⊕ … ⊕ am)/Pφ̃(a1 ⊕ … ⊕ am) > −m ∗ c",
                 "Appendix B", steps)
