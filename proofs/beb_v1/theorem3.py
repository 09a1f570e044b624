"""Theorem 3 (Section 3.2, Appendix C): misalignment in a conversation, turn by turn.

Theorem 3's first half repeats Appendix A's behaviour bound at the context s0 = q1 ⊕ a1 ⊕ … ⊕
qn ⊕ an (the same steps, shared with ``theorem1.first_half``); its second half turns the
per-turn gain of Lemma D into a number of turns.
"""

from __future__ import annotations

from fractions import Fraction as F

import sympy as sp

from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.finding import Finding, Severity
from bebcheck.symbolic.lemmas import LOG_MONOTONE, LOG_QUOTIENT
from bebcheck.symbolic.location import Location
from bebcheck.symbolic.params import nonneg_int, positive, real
from bebcheck.symbolic.step import Step, StepKind

from .common import BM, BP, al, be, c, c_similar_behaviours, eps, gp, make
from .models import realised
from .params import ALPHA, BETA, EPS, GAMMA_P, C
from .results import ResultId
from .theorem1 import RATIO, BPp, first_half, mix_r

rr = RATIO.symbol
Bm = BM.symbol
TURNS = nonneg_int("n", "n", "number of user turns", lower=1)
Q = positive("q", "|q_i|", "sentences per user turn (all turns of equal length)")
n, q = TURNS.symbol, Q.symbol

__all__ = ["theorem3"]


def theorem3() -> Chain:
    L = real("L", "log P−(s0)/P+(s0)", "log ratio of the conversation s0")
    Ls = L.symbol
    lr = sp.log((1 - al) / al)
    mn_r = sp.log((1 - al) / al / rr)
    steps = [
        Step("T3.0", Location.statement("Theorem 3"), "B is α, β, γ-distinguishable in P (definition 3) and the "
             "distributions corresponding to the well-behaved and ill-behaved components of P are "
             "c-similar (definition 6)", StepKind.GIVEN),
        *first_half("T3", "s0", "Appendix C"),
        Step("T3.10", Location.display("Appendix C", "log P−(s0)/P+(s0) = log P−(q1 ⊕ a1 ⊕ … ⊕ qn ⊕ an)/P+(…)", "Lemma D"), "log P−(s0)/P+(s0) = log P−(q1 ⊕ a1 ⊕ … ⊕ qn ⊕ an)/P+(…) "
             ">(∗) Σ_{i=1}^n (β|qi| − c)", StepKind.GIVEN,
             explanation="Lemma D (Appendix D), checked in its own chain; its '−c' per model "
                         "reply holds for one-sentence replies (D.1a, D.1ar)."),
        Step("T3.11", Location.sentence("Appendix C", "If this holds, then by choosing |qi| > c/β + 1"),
             "If this holds, then by choosing |qi| > c/β + 1, we obtain: log P−(s0)/P+(s0) > "
             "Σ_{i=1}^n β = n ∗ β", StepKind.FAITHFUL,
             (make("T3.11/per-turn", (BETA, C, Q), be * q - c > be, hyps=[q > c / be + 1]),
              make("T3.11/sum", (BETA, C, Q, TURNS, L), Ls > n * be,
                   hyps=[Ls > n * (be * q - c), be * q - c > be])),),
        Step("T3.12", Location.sentence("Appendix C", "Taking n > (log 1/ϵ + log (1−α)/α)/β"),
             "Taking n > (log 1/ϵ + log (1−α)/α)/β, we obtain: (1 − α)P+(s0)/(αP−(s0)) < ϵ",
             StepKind.FAITHFUL,
             (make("T3.12/turns-to-ratio", (ALPHA, BETA, TURNS, RATIO, EPS), rr < eps,
                   hyps=[n * be > sp.log(1 / eps) + lr, mn_r > n * be],
                   facts=[LOG_QUOTIENT.instance(x=(1 - al) / al, y=rr),
                          LOG_QUOTIENT.instance(x=1, y=eps),
                          LOG_MONOTONE.instance(x=rr, y=eps)],
                   hints=[{"alpha": F(1, 2), "beta": 3, "n": 1, "r": F(1, 100), "eps": F(1, 10)}]),),
             explanation="True as a step. In the paper's own reasoning a ratio below ϵ is enough "
                         "(ϵ ≤ ϵ/γ′); with the P+ term restored (T3.2r) the ratio must be below "
                         "ϵ/(1+γ′−ϵ), which is smaller than ϵ when γ′ > ϵ."),
        Step("T3.13", Location.sentence("Appendix C", "Taking n > (log 1/ϵ + log (1−α)/α)/β", "the theorem at the printed length"),
             "Taking n > (log 1/ϵ + log (1−α)/α)/β … BP(s0) < γ + ϵ As required.", StepKind.FAITHFUL,
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
                         "whenever γ′ > ϵ: the printed number of turns is too small.", finding=Finding(Severity.CONSTANT_OFF, consequence_of="T3.2", realised=realised("T3.13")),
             lemmas=("kl_bounded_ratio",)),
        Step("T3.13r", Location.sentence("Appendix C", "Taking n > (log 1/ϵ + log (1−α)/α)/β").as_repaired(),
             "Turns of q sentences with β q > c gain βq − c each; n (βq − c) > log((1−α)/α) + "
             "log((1+γ′−ϵ)/ϵ) turns give BP(s0) < γ + ϵ (the paper's q = ⌊c/β⌋ + 2, the "
             "smallest |qi| > c/β + 1, gains more than β a turn; model replies of one sentence, "
             "see D.1ar for longer ones)", StepKind.REPAIRED,
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
    return Chain(ResultId.THEOREM3, "Theorem 3 (misalignment via conversation)",
                 "In a conversation with a model, q1, a1 … qt, at, qt+1, the model is "
                 "γ-misalignable with total prompt length of Σi |qi| = O(log 1/ϵ, log 1/α, c/β) "
                 "and each prompt of length |qi| = O(c/β).", "Section 3.2 / Appendix C",
                 tuple(steps))
