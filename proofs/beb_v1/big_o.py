"""The big-O statements of Theorems 1–4 and Lemma 1 (Sections 3.1, 3.3)."""

from __future__ import annotations

import sympy as sp

from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.finding import Finding, FindingKind, Severity
from bebcheck.symbolic.lemmas import (
    EXP_POS,
    LOG_EXP,
    LOG_MONOTONE_INC,
    LOG_NONNEG,
    LOG_PRODUCT,
    LOG_QUOTIENT,
)
from bebcheck.symbolic.location import Location
from bebcheck.symbolic.params import closed, nonneg_int, positive, real
from bebcheck.symbolic.step import Step, StepKind

from .common import al, be, c, eps, gp, m, make
from .params import ALPHA, BETA, EPS, GAMMA_P, M_LEN, C
from .results import ResultId

__all__ = ["big_o"]


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
        Step("O.1", Location.statement("Theorem 1", "prompt length", "worst case of Appendix A"),
             "Theorem 1 … with prompt length of O(log 1/ϵ, log 1/α, 1/β)", StepKind.FAITHFUL,
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
                         "log(1/α)/β).", finding=Finding(Severity.UNSUPPORTED_CLAIM, FindingKind.DOES_NOT_FOLLOW,
                     "Big-O reads as a product, not a sum: O((log 1/α + log 1/ϵ)/β)")),
        Step("O.1r", Location.statement("Theorem 1", "prompt length").as_repaired(),
             "prompt length O((log 1/α + log 1/ϵ)/β): the repaired n* = (log((1−α)/α) + "
             "log((1+γ′−ϵ)/ϵ))/β ≤ (log(1/α) + log(2/ϵ))/β", StepKind.REPAIRED,
             (make("O.1r/product-form", (ALPHA, BETA, GAMMA_P, EPS),
                   (sp.log((1 - al) / al) + sp.log((1 + gp - eps) / eps)) / be
                   <= (sp.log(1 / al) + sp.log(2 / eps)) / be,
                   hyps=[eps < 1 + gp],
                   facts=[LOG_MONOTONE_INC.instance(x=(1 - al) / al, y=1 / al),
                          LOG_MONOTONE_INC.instance(x=(1 + gp - eps) / eps, y=2 / eps)]),),
             repairs="O.1"),
        Step("O.2", Location.statement("Theorem 2", "prompt length", "worst case of Appendix A"),
             "|s1| = O(log 1/ϵ, log 1/α, 1/β, |s0|, c)", StepKind.FAITHFUL,
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
                         "with c = t), so this is unsupported, not refuted.", finding=Finding(Severity.UNSUPPORTED_CLAIM, FindingKind.DOES_NOT_FOLLOW,
                     "Theorem 2's proof gives O((|s0| c + log 1/α + log 1/ϵ)/β), a product form")),
        Step("O.2r", Location.statement("Theorem 2", "prompt length").as_repaired(),
             "|s1| = O((|s0| c + log 1/α + log 1/ϵ)/β): the repaired n* is at most "
             "(|s0| c + log(1/α) + log(2/ϵ))/β", StepKind.REPAIRED,
             (make("O.2r/product-form", (ALPHA, BETA, GAMMA_P, EPS, C, M_LEN),
                   (m * c + sp.log((1 - al) / al) + sp.log((1 + gp - eps) / eps)) / be
                   <= (m * c + sp.log(1 / al) + sp.log(2 / eps)) / be,
                   hyps=[eps < 1 + gp],
                   facts=[LOG_MONOTONE_INC.instance(x=(1 - al) / al, y=1 / al),
                          LOG_MONOTONE_INC.instance(x=(1 + gp - eps) / eps, y=2 / eps)]),),
             repairs="O.2"),
        Step("O.3", Location.statement("Theorem 3", "prompt length", "Appendix C"),
             "total prompt length of Σi |qi| = O(log 1/ϵ, log 1/α, c/β) and each prompt of length "
             "|qi| = O(c/β)", StepKind.FAITHFUL,
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
                         "c and β absorbs that factor, the paper does not argue.", finding=Finding(Severity.UNSUPPORTED_CLAIM, FindingKind.DOES_NOT_FOLLOW,
                     "Theorem 3's total length is O((c/β + 2)(log 1/α + log 1/ϵ)/β): the proof "
                     "gives a factor 1/β the statement does not list")),
        Step("O.3r", Location.statement("Theorem 3", "prompt length").as_repaired(),
             "Σ|qi| = q·n with q = ⌊c/β⌋ + 2 (the paper's |qi| > c/β + 1) and n = "
             "⌊(log((1−α)/α) + log((1+γ′−ϵ)/ϵ))/(βq − c)⌋ + 1 ≤ (log(1/α) + log(2/ϵ))/β + 1 "
             "(the closed form CF.5 proves sufficient)", StepKind.REPAIRED,
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
        Step("O.4", Location.statement("Lemma 1", "prompt length", "Theorem 4"),
             "|s0| = O(log 1/ϵ, 1/β, log |Φ|, c²)", StepKind.FAITHFUL,
             (make("O.4/lemma1-length", (K, T, NN), nmin > k * (1 + t + 2 + 1),
                   hyps=[nmin > 32 * t**2, t >= k + 1],
                   text="Lemma 1's length 32 (c/β)² log|Φ| at c = 1, |Φ| = 3, ϵ = 1/e, β = 1/t "
                        "exceeds 32t², beyond K(log 1/ϵ + 1/β + log|Φ| + c²) ≤ K(t + 4) for "
                        "t ≥ K + 1"),),
             explanation="The proof establishes n > 32 (c/β)² log|Φ|, which grows like 1/β²: "
                         "neither the sum nor the product of log 1/ϵ, 1/β, log|Φ| and c² (both "
                         "linear in 1/β) is what the proof shows.", finding=Finding(Severity.UNSUPPORTED_CLAIM, FindingKind.DOES_NOT_FOLLOW,
                     "Lemma 1 / Theorem 4's length is O((c/β)² log|Φ| + log(1/ϵ′)/β)")),
        Step("O.4r", Location.statement("Lemma 1", "prompt length").as_repaired(),
             "|s0| = O((c/β)² log|Φ| + log(1/ϵ)/β): max(a, b) ≤ a + b for the two terms",
             StepKind.REPAIRED,
             (make("O.4r/sum-of-terms", (BETA, C, EPSH, PHI2),
                   sp.And(t4a <= t4a + t4b, t4b <= t4a + t4b),
                   facts=[LOG_NONNEG.instance(x=1 / ee), LOG_NONNEG.instance(x=phi2)]),),
             repairs="O.4"),
    )
    _ = (BETA, EPS, r, RR)
    return Chain(ResultId.BIG_O, "Big-O claims of the theorem statements",
                 "prompt lengths O(log 1/ϵ, log 1/α, 1/β) (Theorem 1), O(log 1/ϵ, 1/β, log 1/α, "
                 "c², log|Φ|) (Theorem 4, Lemma 1)", "Sections 3.1, 3.3", steps)
