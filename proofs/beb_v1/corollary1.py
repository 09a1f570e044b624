"""Corollary 1 (Section 3.3): persona prompting against direct prompting.

A claim of the paper's body rather than a step of an appendix proof: encoded as printed, with
what actually follows from Theorem 4 beside it.
"""

from __future__ import annotations

import sympy as sp

from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.finding import Finding, FindingKind, Severity
from bebcheck.symbolic.lemmas import (
    LOG_PRODUCT,
)
from bebcheck.symbolic.location import Location
from bebcheck.symbolic.params import closed, nonneg_int, positive, unit_open
from bebcheck.symbolic.step import Step, StepKind

from .common import eps, gp, make
from .models import realised
from .params import EPS, GAMMA_P, C
from .results import ResultId

__all__ = ["corollary1"]


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
        Step("C1.0", Location.statement("Corollary 1", "hypothesis"), "If during training the distinguishability of ill-behaved "
             "personas scales super-logarithmically relative to their priors, β = Ω(log(1/w))",
             StepKind.GIVEN),
        Step("C1.1", Location.statement("Corollary 1", "conclusion"),
             "invoking a persona for bad behavior requires prompts that are asymptotically "
             "shorter than ones for invoking a general bad behavior", StepKind.FAITHFUL,
             (make("C1.1/c-grows", (KK, LW, AA, LEPS), aa * lw**2 > kk * (lw + leps),
                   hyps=[aa * (lw - 1) >= kk * (1 + leps)],
                   text="with c = β_φ·log(1/w) (c ≥ β allows it) Theorem 4's term 32 (c/β_φ)² "
                        "log|Φ| = 32 L² log|Φ| (L = log 1/w) exceeds K times Theorem 1's "
                        "(L + log((1+γ′−ϵ)/ϵ))/β for every K once L is large (both sides "
                        "multiplied by β > 0; A = 32 β log|Φ|)"),),
             explanation="The corollary compares Theorem 4's length with Theorem 1's (how the "
                         "paper derives it). With β_φ = Ω(log 1/w) the α-term of Theorem 4 "
                         "stays bounded, but its 32 (c/β)² log|Φ| term is bounded only if "
                         "c = O(β), which the corollary does not assume (c ≥ β is all "
                         "Definitions 4 and 6 give). Without it the persona *guarantee* can "
                         "grow faster than the direct one (a family of finite models with "
                         "β_φ > log(1/w) and c/β_φ ≈ log₂(1/w) shows it) — a bigger guarantee, "
                         "not a longer persona prompt: whether some shorter persona prompt "
                         "exists is neither shown nor refuted (as for MT.11).",
             finding=Finding(Severity.UNSUPPORTED_CLAIM, FindingKind.DOES_NOT_FOLLOW,
                             "Corollary 1 needs c = O(β_φ) (and |Φ| fixed); not implied as "
                             "stated: without it Theorem 4's guarantee can outgrow Theorem 1's",
                             realised=realised("C1.1"))),
        Step("C1.1r", Location.statement("Corollary 1", "conclusion").as_repaired("what follows"),
             "With β_φ ≥ log(1/w), Theorem 4's α-dependent term (2/β) log(2(1+γ′)/(wϵ)) ≤ 2 + "
             "(2/β) log(2(1+γ′)/ϵ) stays bounded as w → 0; the persona prompt is shorter only "
             "where 32 (c/β)² log|Φ| is below the general length (for instance c ≤ κβ: that "
             "term is at most 32κ² log|Φ|)", StepKind.REPAIRED,
             (make("C1.1r/bounded", (BP_, W, GAMMA_P, EPS),
                   2 / bp * sp.log(2 * (1 + gp) / (w * eps))
                   <= 2 + 2 / bp * sp.log(2 * (1 + gp) / eps),
                   hyps=[bp >= sp.log(1 / w)],
                   facts=[LOG_PRODUCT.instance(x=2 * (1 + gp) / eps, y=1 / w)]),),
             repairs="C1.1"),
    )
    return Chain(ResultId.COROLLARY1, "Corollary 1 (persona jailbreaks)",
                 "If β = Ω(log(1/w)), invoking a persona for bad behavior requires prompts that "
                 "are asymptotically shorter than ones for invoking a general bad behavior.",
                 "Section 3.3", steps)
