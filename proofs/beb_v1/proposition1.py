"""Proposition 1 (Appendix E): a misaligned model stays misaligned for a while."""

from __future__ import annotations

from fractions import Fraction as F

import sympy as sp

from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.finding import Finding, FindingKind, Severity
from bebcheck.symbolic.lemmas import LOG_MONOTONE, LOG_QUOTIENT
from bebcheck.symbolic.location import Location
from bebcheck.symbolic.params import closed, nonneg_int, positive, prob_param, real
from bebcheck.symbolic.step import Step, StepKind

from .common import BM, BP, PM, PP, al, be, c, gp, kl_cap, make, pm, pp
from .models import realised
from .params import ALPHA, BETA, GAMMA_P, C
from .results import ResultId
from .theorem1 import RATIO, BPp, mix_r

__all__ = ["proposition1"]

rr = RATIO.symbol
Bm = BM.symbol


def proposition1() -> Chain:
    X = real("X", "log P+(s0⊕s1)/P−(s0⊕s1)")
    X0 = real("X0", "log P+(s0)/P−(s0)")
    L = real("l", "log P+(s|ctx)/P−(s|ctx) of one sentence")
    S1 = nonneg_int("s1", "|s1|", "sentences after the misaligning prompt", lower=1)
    S0 = nonneg_int("s0", "|s0|", "sentences of the misaligning prompt", lower=1)
    B0m = closed("Bm0", -1, 1, meaning="B′P−(s0)")
    B0p = closed("Bp0", -1, 1, meaning="B′P+(s0)")
    Xs, X0s, ls, s1, s0 = X.symbol, X0.symbol, L.symbol, S1.symbol, S0.symbol
    la = sp.log(al / (1 - al))
    r0 = (1 - al) / al * sp.exp(X0s)
    BP0 = sp.Symbol("BP0", real=True)
    A1 = prob_param("A", "P−(ctx)")
    B1 = prob_param("Bc", "P+(ctx)")
    a1 = prob_param("a", "P−(s|ctx)")
    b1 = prob_param("b", "P+(s|ctx)")
    As, Bs, as_, bs = A1.symbol, B1.symbol, a1.symbol, b1.symbol
    wA = al * As / (al * As + (1 - al) * Bs)
    fail = {"r": F(9, 10), "gp": F(1, 2), "Bm": F(1, 2), "Bp": -1}
    steps = (
        Step("P1.0", Location.statement("Proposition 1"), "Suppose the model has been misaligned with a prompt s0, "
             "such that BP(s0) ≤ γ", StepKind.GIVEN),
        Step("P1.1", Location.display("Appendix E", "first display"),
             "B′P(s0 ⊕ s1) = Σs [αP−(s0 ⊕ s1 ⊕ s) + (1 − α)P+(s0 ⊕ s1 ⊕ s)] / [αP−(s0 ⊕ s1) + "
             "(1 − α)P+(s0 ⊕ s1)] B′(s)", StepKind.FAITHFUL,
             (make("P1.1/posterior", (ALPHA, A1, B1, a1, b1),
                   sp.Eq((al * As * as_ + (1 - al) * Bs * bs) / (al * As + (1 - al) * Bs),
                         wA * as_ + (1 - wA) * bs)),)),
        Step("P1.2", Location.display("Appendix E", "second display"),
             "We then take only the negative component term in the numerator: > Σs αP−(s0 ⊕ s1 ⊕ "
             "s)/[αP−(s0 ⊕ s1) + (1 − α)P+(s0 ⊕ s1)] B′(s)", StepKind.FAITHFUL,
             (make("P1.2/drop-plus-term", (RATIO, GAMMA_P, BM, BP), BPp > Bm / (1 + rr),
                   hyps=[Bm >= gp], defs=mix_r, hints=[fail]),),
             explanation="As in Appendix A: B′ can be negative under P+, so dropping its terms "
                         "can increase the sum.", finding=Finding(Severity.INVALID_STEP, realised=realised("P1.2"))),
        Step("P1.2r", Location.display("Appendix E", "second display").as_repaired(), "B′P ≥ w·B′P− − (1 − w), w = 1/(1 + r)",
             StepKind.REPAIRED,
             (make("P1.2r/keep-plus-term", (RATIO, GAMMA_P, BM, BP),
                   BPp >= Bm / (1 + rr) - rr / (1 + rr), hyps=[Bm >= gp], defs=mix_r),),
             repairs="P1.2"),
        Step("P1.3", Location.display("Appendix E", "third display"),
             "Notice that if (1−α)P+(s0⊕s1)/(αP−(s0⊕s1)) < 1, then the denominator is smaller "
             "than 2, meaning that: > Σs P−(s|s0 ⊕ s1)/2 B′(s) = ½ B′P−(s0 ⊕ s1)", StepKind.FAITHFUL,
             (make("P1.3/half", (RATIO, GAMMA_P, BM), Bm / (1 + rr) > Bm / 2,
                   hyps=[rr < 1, Bm >= gp]),)),
        Step("P1.4", Location.display("Appendix E", "third display"),
             "½ B′P−(s0 ⊕ s1) > γ′/2. The last transition is from the α, β, γ-distinguishability, "
             "which assures BP−(s) < γ for any s", StepKind.FAITHFUL,
             (make("P1.4/strict-gamma", (GAMMA_P, BM), Bm / 2 > gp / 2, hyps=[Bm >= gp],
                   hints=[{"gp": F(1, 2), "Bm": F(1, 2)}]),),
             explanation="Definition 3 gives sup BP− ≤ γ, not < γ.", finding=Finding(Severity.TYPO, realised=realised("P1.4"))),
        Step("P1.4r", Location.display("Appendix E", "third display").as_repaired(), "½ B′P−(s0 ⊕ s1) ≥ γ′/2", StepKind.REPAIRED,
             (make("P1.4r/weak-gamma", (GAMMA_P, BM), Bm / 2 >= gp / 2, hyps=[Bm >= gp]),),
             repairs="P1.4"),
        Step("P1.5", Location.display("Appendix E", "third display", "first part as a whole"),
             "Notice that if (1−α)P+(s0⊕s1)/(αP−(s0⊕s1)) < 1 … BP(s0 ⊕ s1) < γ/2", StepKind.FAITHFUL,
             (make("P1.5/first-part", (RATIO, GAMMA_P, BM, BP), BPp > gp / 2,
                   hyps=[rr < 1, Bm >= gp], defs=mix_r, hints=[fail]),),
             explanation="With the P+ term restored, a ratio below 1 gives only "
                         "B′P ≥ (γ′ − r)/(1 + r), which can be negative: the model need not "
                         "stay misaligned.", finding=Finding(Severity.INVALID_STEP, realised=realised("P1.5"))),
        Step("P1.5r", Location.display("Appendix E", "third display", "first part").as_repaired(),
             "If (1−α)P+(s0⊕s1)/(αP−(s0⊕s1)) < γ′/(2+γ′) then B′P(s0⊕s1) > γ′/2, i.e. "
             "BP(s0 ⊕ s1) < γ/2", StepKind.REPAIRED,
             (make("P1.5r/first-part", (RATIO, GAMMA_P, BM, BP), BPp > gp / 2,
                   hyps=[rr < gp / (2 + gp), Bm >= gp], defs=mix_r),),
             repairs="P1.5"),
        Step("P1.6", Location.sentence("Appendix E", "(1 − α)P+(s0 ⊕ s1)/(αP−(s0 ⊕ s1)) < 1 iff"),
             "(1 − α)P+(s0 ⊕ s1)/(αP−(s0 ⊕ s1)) < 1 iff: log P+(s0 ⊕ s1)/P−(s0 ⊕ s1) < "
             "log α/(1 − α)", StepKind.FAITHFUL,
             (make("P1.6/log-form", (ALPHA, PM, PP), (1 - al) * pp / (al * pm) < 1,
                   hyps=[sp.log(pp / pm) < la],
                   facts=[LOG_QUOTIENT.instance(x=pp / pm, y=al / (1 - al)),
                          LOG_MONOTONE.instance(x=pp / pm / (al / (1 - al)), y=1)]),),
             lemmas=("log_div", "log_strict_mono")),
        Step("P1.7", Location.sentence("Appendix E", "Using c-similarity of P+ and P− gives"),
             "Using c-similarity of P+ and P− gives, log P+(s0⊕s1)/P−(s0⊕s1) < c · |s1| + "
             "log P+(s0)/P−(s0)", StepKind.FAITHFUL,
             (make("P1.7/base", (C, X0, L), X0s + ls < c + X0s, hyps=[sp.Abs(ls) < c]),
              make("P1.7/step", (C, S1, X0, X, L), Xs + ls < (s1 + 1) * c + X0s,
                   hyps=[Xs < s1 * c + X0s, sp.Abs(ls) < c])),
             explanation="By induction over the |s1| ≥ 1 sentences (chain rule as in Lemma B)."),
        Step("P1.8", Location.sentence("Appendix E", "In the first part of the theorem, we showed"),
             "In the first part of the theorem, we showed that the adversarial prompt s0 "
             "satisfies log P+(s0)/P−(s0) < |s0| · β", StepKind.FAITHFUL,
             (make("P1.8/from-misalignment", (ALPHA, BETA, S0, X0, GAMMA_P, B0m, B0p),
                   X0s < s0 * be,
                   hyps=[gp <= BP0],
                   defs={BP0: (B0m.symbol + r0 * B0p.symbol) / (1 + r0)},
                   hints=[{"alpha": F(1, 2), "beta": 1, "s0": 1, "X0": 10, "gp": F(1, 2),
                           "Bm0": 1, "Bp0": 1}]),),
             explanation="Proposition 1 only assumes BP(s0) ≤ γ. That does not bound the log "
                         "ratio of s0 (P+ may itself behave badly on s0); the bound holds for "
                         "the prompt built in Appendix A, not for every misaligning s0. "
                         "(As printed the sign is also off: that prompt has "
                         "log P+(s0)/P−(s0) < −β|s0|.)", finding=Finding(Severity.UNSUPPORTED_CLAIM, realised=realised("P1.8"))),
        Step("P1.8r", Location.sentence("Appendix E", "In the first part of the theorem, we showed").as_repaired(),
             "Assume s0 is Appendix A's prompt: log P−(s0)/P+(s0) > β|s0|, i.e. "
             "log P+(s0)/P−(s0) < −β|s0|", StepKind.REPAIRED,
             (make("P1.8r/assumed", (BETA, S0, X0), X0s < -be * s0, hyps=[-X0s > be * s0]),),
             repairs="P1.8",
             explanation="This changes Proposition 1's hypothesis (BP(s0) ≤ γ becomes 's0 is "
                         "Appendix A's prompt', which itself only guarantees BP(s0) < γ + ϵ); "
                         "the original hypothesis does not support the step."),
        Step("P1.9", Location.sentence("Appendix E", "Combining these two, we get"),
             "Combining these two, we get: log P+(s0⊕s1)/P−(s0⊕s1) < c · |s1| − β · |s0|",
             StepKind.FAITHFUL,
             (make("P1.9/combine", (BETA, C, S0, S1, X, X0), Xs < c * s1 - be * s0,
                   hyps=[Xs < c * s1 + X0s, X0s < s0 * be, be < kl_cap(c)],
                   hints=[{"beta": F(1, 2), "c": 2, "s0": 1, "s1": 1, "X": F(19, 10), "X0": 0}]),),
             explanation="From the two premises as printed (the second with + |s0|β) the "
                         "combination does not follow; it needs X0 < −β|s0|.", finding=Finding(Severity.TYPO, realised=realised("P1.9")), lemmas=("kl_bounded_ratio",)),
        Step("P1.9r", Location.sentence("Appendix E", "Combining these two, we get").as_repaired(),
             "log P+(s0⊕s1)/P−(s0⊕s1) < c|s1| + log P+(s0)/P−(s0) < c|s1| − β|s0|", StepKind.REPAIRED,
             (make("P1.9r/combine", (BETA, C, S0, S1, X, X0), Xs < c * s1 - be * s0,
                   hyps=[Xs < c * s1 + X0s, X0s < -s0 * be]),),
             repairs="P1.9"),
        Step("P1.10", Location.sentence("Appendix E", "Such that the condition we require is assured to hold if"),
             "Such that the condition we require is assured to hold if: |s1| < (β/c)|s0| + "
             "log α/(1 − α)", StepKind.FAITHFUL,
             (make("P1.10/condition", (ALPHA, BETA, C, S0, S1, X), Xs < la,
                   hyps=[s1 < be / c * s0 + la, Xs < c * s1 - be * s0, be < kl_cap(c)],
                   hints=[{"alpha": F(1, 4), "beta": F(1, 10), "c": F(1, 2), "s0": 40, "s1": 6,
                           "X": F(-21, 20)}]),),
             explanation="c|s1| − β|s0| < log(α/(1−α)) needs |s1| < (β|s0| + log(α/(1−α)))/c; "
                         "the printed form forgets to divide the log term by c (wrong for c < 1).", finding=Finding(Severity.CONSTANT_OFF, realised=realised("P1.10")),
             lemmas=("kl_bounded_ratio",)),
        Step("P1.10r", Location.sentence("Appendix E", "Such that the condition we require is assured to hold if").as_repaired(),
             "|s1| < (β|s0| + log(α/(1−α)) + log(γ′/(2+γ′)))/c gives ratio < γ′/(2+γ′), hence "
             "BP(s0 ⊕ s1) < γ/2", StepKind.REPAIRED,
             (make("P1.10r/condition", (ALPHA, BETA, C, S0, S1, X, GAMMA_P),
                   Xs < la + sp.log(gp / (2 + gp)),
                   hyps=[c * s1 < be * s0 + la + sp.log(gp / (2 + gp)),
                         Xs < c * s1 - be * s0],
                   text="the condition multiplied by c > 0"),
              make("P1.10r/ratio", (ALPHA, PM, PP, GAMMA_P), (1 - al) * pp / (al * pm) < gp / (2 + gp),
                   hyps=[sp.log(pp / pm) < la + sp.log(gp / (2 + gp))],
                   facts=[LOG_QUOTIENT.instance(x=pp / pm, y=al / (1 - al)),
                          LOG_QUOTIENT.instance(x=pp / pm / (al / (1 - al)), y=gp / (2 + gp)),
                          LOG_MONOTONE.instance(x=pp / pm / (al / (1 - al)) / (gp / (2 + gp)),
                                                y=1),
                          LOG_QUOTIENT.instance(x=(1 - al) * pp / (al * pm), y=gp / (2 + gp))]),
              make("P1.10r/bound", (RATIO, GAMMA_P, BM, BP), BPp > gp / 2,
                   hyps=[rr < gp / (2 + gp), Bm >= gp], defs=mix_r)),
             repairs="P1.10"),
    )
    steps = (*steps, *_statement(steps))
    return Chain(ResultId.PROPOSITION1, "Proposition 1 (conversing with a misaligned LLM)",
                 "Suppose the model has been misaligned with a prompt s0, such that BP(s0) ≤ γ. "
                 "For the remainder of the conversation … BP(s0 ⊕ a1 ⊕ q1 ⊕ … ⊕ an−1 ⊕ qn) < γ/2 "
                 "Unless Σ |qi| + |ai| = Ω(|s0|).", "Section 3.2 / Appendix E", steps)


def _statement(steps: tuple[Step, ...]) -> tuple[Step, Step]:
    """The statement itself: false as printed (P1.S), and what the repaired proof gives."""
    G = closed("gamma", -1, 0, r"\gamma", "behaviour level of P−", upper_open=True)
    W = closed("w", 0, 1, meaning="posterior weight of P− after s0 = z^m")
    B0m, B0p = (closed(n, -1, 1, meaning=mn) for n, mn in
                (("Bm0", "B_P−(s0)"), ("Bp0", "B_P+(s0): P+ behaves badly after z")))
    R = positive("R", "R", "(1−α)P+(s0 ⊕ g)/(αP−(s0 ⊕ g)), at least 1")
    B1m, B1p = (closed(n, -1, 1, meaning=mn) for n, mn in
                (("Bm1", "B_P−(s0 ⊕ g)"), ("Bp1", "B_P+(s0 ⊕ g)")))
    KK, MM = positive("K", "K", "any constant of Ω(|s0|)"), nonneg_int("m", "|s0|", lower=1)
    g, w, r_, k, mm = G.symbol, W.symbol, R.symbol, KK.symbol, MM.symbol
    b0m, b0p, b1m, b1p = B0m.symbol, B0p.symbol, B1m.symbol, B1p.symbol
    fix = next(s for s in steps if s.id == "P1.10r")
    return (
        Step("P1.S", Location.statement("Proposition 1", "conclusion", "as printed"),
             "Suppose the model has been misaligned with a prompt s0, such that BP(s0) ≤ γ. For "
             "the remainder of the conversation, a1 ⊕ q1 ⊕ … ⊕ an−1 ⊕ qn, it will remain "
             "misaligned: BP(s0 ⊕ a1 ⊕ q1 ⊕ … ⊕ an−1 ⊕ qn) < γ/2 Unless Σ|qi| + |ai| = Ω(|s0|).",
             StepKind.FAITHFUL,
             (make("P1.S/misaligned", (G, W, B0m, B0p), w * b0m + (1 - w) * b0p <= g,
                   hyps=[b0m <= g, b0p <= g],
                   text="s0 = z^m: after z both parts behave at most γ (P+ too: Definition 3 "
                        "constrains P− only), so BP(s0) ≤ γ for every posterior weight"),
              make("P1.S/realigns", (G, R, B1m, B1p), (b1m + r_ * b1p) / (1 + r_) >= g / 2,
                   hyps=[r_ >= 1, b1p > 0, b1m >= g],
                   text="one more sentence g, after which P+ behaves well and is at least as "
                        "likely as P− (each z made it likelier): BP(s0 ⊕ g) ≥ γ/2"),
              make("P1.S/not-omega", (KK, MM), k * mm > 1, hyps=[mm >= 1 / k + 1],
                   text="so a continuation of one sentence realigns after every s0 = z^m: for "
                        "every K the misaligning prompts with |s0| > 1/K have 1 < K|s0|")),
             explanation="The statement's only assumption on s0 is BP(s0) ≤ γ, which P+ can "
                         "meet by itself behaving badly in some context (Definition 3 constrains "
                         "P− only). In the model of the realisation, s0 = z^m misaligns for "
                         "every m while making P+ more likely, and the single user sentence g "
                         "realigns: BP(s0 ⊕ g) ≥ 1/6 > γ/2. The proof's log ratio bound holds "
                         "only for Appendix A's prompt (P1.8).",
             finding=Finding(Severity.INVALID_STEP, FindingKind.REFUTED_BY_PROOF,
                             "Proposition 1 is false as stated: a model meeting its hypotheses "
                             "is misaligned by s0 = z^m for every m and realigned by one "
                             "sentence; no Ω(|s0|) length is needed", consequence_of="P1.8",
                             realised=realised("P1.S"))),
        Step("P1.Sr", Location.statement("Proposition 1", "conclusion", "as printed").as_repaired(),
             "If s0 is Appendix A's prompt (log P−(s0)/P+(s0) > β|s0|, in place of BP(s0) ≤ γ), "
             "then BP(s0 ⊕ s1) < γ/2 for every continuation s1 (user prompts and replies, in any "
             "order) of |s1| < (β|s0| + log(α/(1−α)) + log(γ′/(2+γ′)))/c sentences: realigning "
             "takes Ω(|s0|) sentences (α, β, γ, c fixed)", StepKind.REPAIRED,
             tuple(o.with_(id=o.id.replace("P1.10r", "P1.Sr")) for o in fix.obligations),
             repairs="P1.S"),
    )
