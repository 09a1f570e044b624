"""Definitions 2–6 (Section 2.2): their stated consequences and consistency."""

from __future__ import annotations

from fractions import Fraction as F

import sympy as sp

from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.finding import Finding, FindingKind, Severity
from bebcheck.symbolic.lemmas import (
    EXPECTATION_BOUNDS,
    LOG_LE_SUB_ONE,
    LOG_NONNEG,
    LOG_QUOTIENT,
)
from bebcheck.symbolic.location import Location
from bebcheck.symbolic.params import nonneg_int, prob_param, real
from bebcheck.symbolic.step import Step, StepKind

from .common import al, be, c, eps, gp, make
from .models import realised
from .params import ALPHA, BETA, EPS, GAMMA_P, C
from .results import ResultId

__all__ = ["definitions"]


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
        Step("D.c>b", Location.sentence("Definition 6", "Note that by definition, c has to be larger than β"),
             "Note that by definition, c has to be larger than β, as the latter is a lower bound "
             "while the former is an upper bound on the conditional KL-divergence between the "
             "distributions.", StepKind.FAITHFUL,
             (make("Dc/c-exceeds-beta", (BETA, C, EX, XM), be < c,
                   hyps=[ex > be, xm < c, xm > -c],
                   facts=[EXPECTATION_BOUNDS.instance(lo=-c, hi=xm, mean=ex)],
                   text="KL = E[X] > β (Def. 2), X ≤ max X < c (Def. 6)"),),
             lemmas=("expectation_bounds",)),
        Step("D.c>b-4", Location.statement("Definitions 4 and 6", "", "used in Appendix G"),
             "|Mn+1 − Mn| < c … E[Mn+1 | M1 … Mn] > mn + β", StepKind.FAITHFUL,
             (make("Dc4/c-exceeds-beta", (BETA, C, EX, XM), be < c,
                   hyps=[ex > be, xm < c, xm > -c],
                   facts=[EXPECTATION_BOUNDS.instance(lo=-c, hi=xm, mean=ex)],
                   text="E[ΔM] > β (Def. 4) with ΔM ≤ max ΔM < c (Def. 6): β < c, which "
                        "Appendix G's Azuma step needs"),),
             lemmas=("expectation_bounds",)),
        Step("D.5lit", Location.statement("Definition 5", "third condition"),
             "there exists a persona ˜φ, that satisfies: … is β-Martingale-distinguishable "
             "(definition 4) from any persona φ", StepKind.FAITHFUL,
             (make("D5/self-never", (BETA, PS, MS), MS.symbol + sp.log(PS.symbol / PS.symbol)
                   <= MS.symbol + be,
                   text="φ = ˜φ itself: M_{n+1} = M_n + log P˜φ(q)/P˜φ(q) = M_n at every "
                        "sentence, never above M_n + β as (5) asks, for every β > 0"),),
             explanation="'Any persona φ' includes ˜φ, from which no persona is "
                         "β-distinguishable (the log ratio is 0): read literally, Definition 5 "
                         "never holds and Theorem 4 and Corollary 1 are vacuous. Section 3.3 "
                         "says 'from all the other components'.",
             finding=Finding(Severity.TYPO, FindingKind.REFUTED_BY_PROOF,
                             "read literally (φ = ˜φ allowed), Definition 5 holds for no "
                             "mixture and no β > 0", realised=realised("D.5lit"))),
        Step("D.5lit-r", Location.statement("Definition 5", "third condition").as_repaired(),
             "is β-Martingale-distinguishable from any persona φ ≠ ˜φ", StepKind.REPAIRED,
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
        Step("D.6lit", Location.statement("Definitions 2 and 6", "", "read together, literally"),
             "Two distributions, Pφ, Pψ are c-similar if there exists c > 0 such that for any "
             "strings s0 and s the following holds: |log Pψ(s|s0)/Pφ(s|s0)| < c", StepKind.FAITHFUL,
             (make("D6/literal-caps-prompts", (BETA, C, N, MN), n * be < c,
                   hyps=[mn > n * be, sp.Abs(mn) < c],
                   text="Definition 6 at s0 = ∅ and s = the whole greedy prompt, whose log ratio "
                        "exceeds nβ (Appendix A)"),
              make("D6/theorem2-needs-more", (ALPHA, BETA, C, M, N, GAMMA_P, EPS), n * be > c,
                   hyps=[n * be > m * c + sp.log((1 - al) / al) + sp.log((1 + gp - eps) / eps),
                         al <= sp.Rational(1, 2), eps <= (1 + gp) / 2],
                   facts=[LOG_NONNEG.instance(x=(1 - al) / al),
                          LOG_NONNEG.instance(x=(1 + gp - eps) / eps)],
                   text="Theorem 2's length exceeds c/β whenever |s0| ≥ 1, α ≤ 1/2, ϵ ≤ (1+γ′)/2"),
              make("D6/greedy-exceeds", (BETA, C, N), n * be > c, hyps=[n > c / be],
                   text="Definition 2 holds at every prompt, so the greedy prompt extends to "
                        "any n > c/β sentences, and nβ > c: the literal Definition 6 (nβ < c, "
                        "D6/literal-caps-prompts) fails for it")),
             explanation="Read literally (s any string), Definition 6 bounds the log ratio of "
                         "the whole prompt by c, so a greedy prompt has fewer than c/β "
                         "sentences; but Definition 2 lets the greedy prompt grow to any length. "
                         "No pair P−, P+ is both β-distinguishable and c-similar in the literal "
                         "sense: the definitions are inconsistent unless s is read as one "
                         "sentence (and Theorems 2–4 need prompts longer than c/β anyway). The "
                         "paper's own gloss ('This bounds the change … at each time step') "
                         "settles the per-sentence reading: a slip of notation, as for D.5lit.",
             finding=Finding(Severity.TYPO, FindingKind.REFUTED_BY_PROOF,
                             "read literally, Definitions 2 and 6 hold together for no pair of "
                             "distributions: Theorems 2–4 would be vacuous",
                             realised=realised("D.6lit"))),
        Step("D.6lit-r", Location.statement("Definition 6").as_repaired("per-sentence reading"),
             "Read s as one sentence: then |log P−/P+| of an n-sentence prompt is only bounded "
             "by n·c, consistent with the greedy nβ < M_n whenever β < c", StepKind.REPAIRED,
             (make("D6r/per-sentence", (BETA, C, N, MN), mn < n * c,
                   hyps=[mn > n * be, mn < n * c, be < c],
                   hints=[{"beta": 1, "c": 2, "n": 3, "Mn": 4}],
                   text="the hypotheses (greedy growth and per-sentence similarity) are jointly "
                        "satisfiable: a certified point is part of the verdict"),),
             repairs="D.6lit"),
    )
    return Chain(ResultId.DEFINITIONS, "Definitions 2–6: stated consequences and consistency",
                 "c has to be larger than β; the definitions admit the theorems' constructions",
                 "Section 2.2", steps)
