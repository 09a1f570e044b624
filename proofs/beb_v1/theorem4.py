"""Theorem 4 (Section 3.3, Appendix F): misalignment by imitating a persona.

Theorem 4: with the target persona φ̃'s posterior weight after the prompt s0 and the ratio
R = Σ_{φ≠φ̃} w_φ P_φ(s0) / (w_φ̃ P_φ̃(s0)) of the other personas' mass to φ̃'s, the mixture's
behaviour is B′_P(s0) = (B′_φ̃ + R·B′_others)/(1 + R), where B′_others is the posterior average
of the other personas' behaviours (in [−1, 1]).  Lemma 1 bounds R through Azuma–Hoeffding and a
union bound over the personas.
"""

from __future__ import annotations

from fractions import Fraction as F

import sympy as sp

from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.finding import Finding, Severity
from bebcheck.symbolic.location import Location
from bebcheck.symbolic.params import closed, positive, prob_param, real, unit_open
from bebcheck.symbolic.step import Step, StepKind

from .common import al, e1, eps, gp, make
from .models import realised
from .params import ALPHA, EPS, EPS1, GAMMA_P
from .results import ResultId

RR = positive("R", "R", "Σ_{φ≠φ̃} w_φ P_φ(s0) / (w_φ̃ P_φ̃(s0))")
BT = closed("Bt", -1, 1, r"B'_{\tilde\phi}", "B′ of the target persona after s0")
BO = closed("Bo", -1, 1, r"B'_{others}", "posterior average of the other personas' B′")
R_, Bt, Bo = RR.symbol, BT.symbol, BO.symbol
BPp = sp.Symbol("BPp", real=True)
mix = {BPp: (Bt + R_ * Bo) / (1 + R_)}
WT = closed("wt", 0, 1, r"w_{\tilde\phi}", "prior of the target persona", upper_open=True,
            lower_open=True)
wt = WT.symbol

__all__ = ["theorem4"]


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
        Step("T4.0", Location.statement("Definition 5"), "for any ϵ > 0, there exists a persona φ̃, that satisfies: "
             "w_φ̃ ≥ α; sups∗[B_Pφ̃(s∗)] < γ + ϵ; is β-Martingale-distinguishable from any "
             "persona φ", StepKind.GIVEN,
             explanation="Applied with ϵ/2 as the appendix says: B′_Pφ̃(s0) > γ′ − ϵ/2."),
        Step("T4.1", Location.display("Appendix F", "second display"),
             "= Σs [Σφ wφPφ(s0 ⊕ s)] / [Σφ wφPφ(s0)] B′(s)", StepKind.FAITHFUL,
             (make("T4.1/posterior", (WT, A, Bc, a1, b1),
                   sp.Eq((wt * As * as_ + (1 - wt) * Bs * bs) / (wt * As + (1 - wt) * Bs),
                         wA * as_ + (1 - wA) * bs)),)),
        Step("T4.2", Location.display("Appendix F", "second display"),
             "> Σs w_φ̃ P_φ̃(s0 ⊕ s) / Σφ wφPφ(s0) B′(s) … In the transition, above we took only "
             "the φ̃ component in the numerator", StepKind.FAITHFUL,
             (make("T4.2/drop-others", (RR, BT, BO, GAMMA_P, EPS), BPp > Bt / (1 + R_),
                   hyps=[Bt > gp - eps / 2], defs=mix, hints=[fail]),),
             explanation="Other personas may have B′ < 0 (B > 0): dropping them can increase "
                         "the sum.", finding=Finding(Severity.INVALID_STEP, realised=realised("T4.2"))),
        Step("T4.2r", Location.display("Appendix F", "second display").as_repaired(),
             "Keep the other personas: B′P(s0) ≥ (B′_φ̃ − R)/(1 + R), as B′ ≥ −1", StepKind.REPAIRED,
             (make("T4.2r/keep-others", (RR, BT, BO), BPp >= (Bt - R_) / (1 + R_), defs=mix),),
             repairs="T4.2"),
        Step("T4.3", Location.display("Appendix F", "fourth display", "Applying it"),
             "Pφ(s0)/P_φ̃(s0) < ϵ′ for φ ≠ φ̃. Applying it: ≥ Σs w_φ̃P_φ̃(s0 ⊕ s)/(w_φ̃P_φ̃(s0)"
             "(1 + ϵ′ Σ_{φ≠φ̃} wφ/w_φ̃)) B′(s)", StepKind.FAITHFUL,
             (make("T4.3/termwise", (WP, WT, PF, PT, EPS1),
                   WP.symbol * PF.symbol / (wt * PT.symbol) < e1 * WP.symbol / wt,
                   hyps=[PF.symbol / PT.symbol < e1],
                   text="term by term; a finite sum of strict inequalities is strict"),
              make("T4.3/apply", (RR, BT, EPS1, WT, SO, GAMMA_P, EPS),
                   Bt / (1 + R_) >= Bt / (1 + e1 * SO.symbol / wt),
                   hyps=[e1 * SO.symbol / wt > R_, Bt > gp - eps / 2],
                   hints=[{"R": F(1, 2), "Bt": F(-1, 5), "eps1": 1, "wt": F(1, 2),
                           "So": F(1, 2), "gp": F(1, 10), "eps": 1}],
                   text="the sum after T4.2 is B′_Pφ̃(s0)/(1 + R); a larger denominator lowers it "
                        "only if B′_Pφ̃(s0) ≥ 0")),
             explanation="Replacing R by the larger ϵ′Σwφ/w_φ̃ lowers B′_Pφ̃/(1 + R) only when "
                         "B′_Pφ̃(s0) ≥ 0, but Definition 5 (with ϵ/2) gives only B′_Pφ̃ > "
                         "γ′ − ϵ/2, negative when ϵ > 2γ′: the gap of T4.5.", finding=Finding(Severity.INVALID_STEP, consequence_of="T4.5", realised=realised("T4.3"))),
        Step("T4.3r", Location.display("Appendix F", "fourth display", "Applying it").as_repaired(),
             "For ϵ ≤ 2γ′ (so B′_Pφ̃(s0) > 0) the larger denominator lowers the sum", StepKind.REPAIRED,
             (make("T4.3r/apply", (RR, BT, EPS1, WT, SO, GAMMA_P, EPS),
                   Bt / (1 + R_) >= Bt / (1 + e1 * SO.symbol / wt),
                   hyps=[e1 * SO.symbol / wt > R_, Bt > gp - eps / 2, eps <= 2 * gp]),),
             repairs="T4.3",
             explanation="The repaired chain (T4.2r, T4.7r) avoids this step for every ϵ."),
        Step("T4.4", Location.display("Appendix F", "fifth display", "From the α, β, γ-distinguishability"),
             "From the α, β, γ-distinguishability, w_φ̃ > α and Σ_{φ≠φ̃} wφ < 1, we get: ≥ "
             "Σs … /(1 + ϵ′/α) B′(s)", StepKind.FAITHFUL,
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
                         "the gap of T4.5.", finding=Finding(Severity.INVALID_STEP, consequence_of="T4.5", realised=realised("T4.4"))),
        Step("T4.4r", Location.display("Appendix F", "fifth display", "From the α, β, γ-distinguishability").as_repaired(),
             "For ϵ ≤ 2γ′ the denominator 1 + ϵ′/α lowers the sum further", StepKind.REPAIRED,
             (make("T4.4r/apply", (ALPHA, WT, SO, EPS1, BT, GAMMA_P, EPS),
                   Bt / (1 + e1 * SO.symbol / wt) >= Bt / (1 + e1 / al),
                   hyps=[wt >= al, SO.symbol <= 1 - wt, Bt > gp - eps / 2, eps <= 2 * gp]),),
             repairs="T4.4"),
        Step("T4.5", Location.display("Appendix F", "sixth display"),
             "= 1/(1 + ϵ′/α) B′_Pφ̃(s0) > γ′/(1 + ϵ′/α). The last transition, was since the "
             "α, β, γ-distinguishability assures B′_Pφ̃(s0) > γ′", StepKind.FAITHFUL,
             (make("T4.5/target-behaviour", (ALPHA, EPS1, BT, GAMMA_P, EPS),
                   Bt / (1 + x) > gp / (1 + x), hyps=[Bt > gp - eps / 2],
                   hints=[{"alpha": F(1, 2), "eps1": F(1, 10), "Bt": F(9, 20), "gp": F(1, 2),
                           "eps": F(1, 5)}]),),
             explanation="Definition 5, applied with ϵ/2, gives B′_Pφ̃ > γ′ − ϵ/2 only.", finding=Finding(Severity.INVALID_STEP, realised=realised("T4.5"))),
        Step("T4.5r", Location.display("Appendix F", "sixth display").as_repaired(),
             "1/(1 + ϵ′/α) B′_Pφ̃(s0) > (γ′ − ϵ/2)/(1 + ϵ′/α), from Definition 5 with ϵ/2",
             StepKind.REPAIRED,
             (make("T4.5r/target-behaviour", (ALPHA, EPS1, BT, GAMMA_P, EPS),
                   Bt / (1 + x) > (gp - eps / 2) / (1 + x), hyps=[Bt > gp - eps / 2]),),
             repairs="T4.5"),
        Step("T4.6", Location.display("Appendix F", "seventh display", "With Bernouli's inequality"), "With Bernouli's inequality: ≥ γ(1 − ϵ′/α)", StepKind.FAITHFUL,
             (make("T4.6/bernoulli-gamma", (ALPHA, EPS1, GAMMA_P),
                   gp / (1 + x) >= -gp * (1 - x),
                   hints=[{"alpha": F(1, 2), "eps1": 1, "gp": F(1, 2)}],
                   text="as printed, with γ = −γ′"),),
             explanation="γ is negative; with γ the inequality fails once ϵ′/α > √2. "
                         "Meant: γ′(1 − ϵ′/α).", finding=Finding(Severity.TYPO, realised=realised("T4.6"))),
        Step("T4.6r", Location.display("Appendix F", "seventh display", "With Bernouli's inequality").as_repaired(), "γ′/(1 + ϵ′/α) ≥ γ′(1 − ϵ′/α) (Bernoulli)",
             StepKind.REPAIRED,
             (make("T4.6r/bernoulli", (ALPHA, EPS1, GAMMA_P), gp / (1 + x) >= gp * (1 - x)),),
             repairs="T4.6", lemmas=("bernoulli",)),
        Step("T4.7", Location.display("Appendix F", "eighth display", "Taking ϵ′ = 2αϵ/γ"), "Taking ϵ′ = 2αϵ/γ, we get: B′P(s1) ≥ γ′ − ϵ", StepKind.FAITHFUL,
             (make("T4.7/positive", (ALPHA, EPS, GAMMA_P), 2 * al * eps / (-gp) > 0,
                   text="Lemma 1 needs ϵ′ > 0; as printed ϵ′ = 2αϵ/γ < 0"),
              make("T4.7/with-gamma-prime", (ALPHA, EPS, GAMMA_P),
                   gp * (1 - (2 * al * eps / gp) / al) >= gp - eps,
                   text="even read with γ′: γ′(1 − ϵ′/α) = γ′ − 2ϵ")),
             explanation="ϵ′ = 2αϵ/γ is negative; read as 2αϵ/γ′ it gives γ′ − 2ϵ, not γ′ − ϵ.", finding=Finding(Severity.CONSTANT_OFF, realised=realised("T4.7"))),
        Step("T4.7r", Location.display("Appendix F", "eighth display", "Taking ϵ′ = 2αϵ/γ").as_repaired(),
             "Take ϵ′ = αϵ/(2(1+γ′)): the other personas' posterior mass R < ϵ′(1 − w_φ̃)/w_φ̃ < "
             "ϵ/(2(1+γ′)), and B′P(s0) ≥ (B′φ̃ − R)/(1 + R) > γ′ − ϵ", StepKind.REPAIRED,
             (make("T4.7r/ratio", (ALPHA, WT, RR, KT), KT.symbol > R_,
                   hyps=[wt >= al, R_ * wt < al * KT.symbol * (1 - wt)],
                   text="R·w_φ̃ < ϵ′(1 − w_φ̃) with ϵ′ = αK, K = ϵ/(2(1+γ′)) > 0 (proved for "
                        "every K > 0)"),
              make("T4.7r/bound", (RR, BT, BO, GAMMA_P, EPS), BPp > gp - eps,
                   hyps=[eps / (2 * (1 + gp)) > R_, Bt > gp - eps / 2], defs=mix)),
             repairs="T4.7"),
        Step("T4.8", Location.display("Appendix F", "ninth display", "Mapping back"), "Mapping back B = −B′, γ = −γ′, we get: BP(s1) ≤ γ + ϵ As "
             "desired.", StepKind.FAITHFUL,
             (make("T4.8/strictness", (X, GAMMA_P, EPS), -X.symbol < -gp + eps,
                   hyps=[-X.symbol <= -gp + eps],
                   hints=[{"X": F(2, 5), "gp": F(1, 2), "eps": F(1, 10)}],
                   text="Definition 1 needs BP(s∗) < γ + ϵ, strictly"),),
             explanation="≤ γ + ϵ does not meet Definition 1 (strict) as a step; no "
                         "consequence, since ϵ is arbitrary (apply it with ϵ/2), and the "
                         "repaired chain (T4.7r) gives < γ + ϵ. The printed s1 is the prompt "
                         "s0 of the theorem.", finding=Finding(Severity.TYPO, realised=realised("T4.8"))),
        Step("T4.8r", Location.display("Appendix F", "ninth display", "Mapping back").as_repaired(), "B′P(s0) > γ′ − ϵ, i.e. BP(s0) < γ + ϵ",
             StepKind.REPAIRED,
             (make("T4.8r/negate", (X, GAMMA_P, EPS), -X.symbol < -gp + eps,
                   hyps=[X.symbol > gp - eps]),),
             repairs="T4.8"),
    )
    return Chain(ResultId.THEOREM4, "Theorem 4 (imitating personas)",
                 "Let γ ∈ [−1, 0), α, β, ϵ > 0, and let P be a mixture of personas, that is "
                 "c-similar … the distribution P is γ-prompt-misalignable (definition 1) with "
                 "prompt length |s| = O(log 1/ϵ, 1/β, log 1/α, c², log |Φ|).",
                 "Section 3.3 / Appendix F", steps)
