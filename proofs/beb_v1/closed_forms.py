"""The closed-form lengths of ``symbolic.bounds``: sufficient where the repaired proofs need them,
and, for Theorems 1 and 2, tight (one sentence fewer fails in the worst case).

The formulas are taken from ``bebcheck.symbolic.bounds`` (the same expressions the NumPy
reference and the calculator use), with its symbols mapped onto the proof parameters.
"""

from __future__ import annotations

from fractions import Fraction as F

import sympy as sp

from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.lemmas import EXP_POS, LOG_EXP, LOG_LE_LOG, LOG_PRODUCT, LOG_QUOTIENT
from bebcheck.symbolic.location import Location
from bebcheck.symbolic.params import nonneg_int, positive, real
from bebcheck.symbolic.step import Step, StepKind

from . import bounds as B
from .common import al, be, c, eps, gp, m, make
from .params import ALPHA, BETA, EPS, GAMMA_P, M_LEN, C
from .results import ResultId

__all__ = ["closed_forms"]

PHI = nonneg_int("Phi", "|Φ|", "number of personas", lower=2)
_MAP = {B.alpha: al, B.beta: be, B.gamma: -gp, B.eps: eps, B.c: c, B.s0: m, B.phi: PHI.symbol}


def _threshold(result: str) -> sp.Expr:
    return B.bound(result).threshold.xreplace(_MAP)


def closed_forms() -> Chain:
    N = nonneg_int("n", "n", "prompt length", lower=0)
    NR = real("nr", "n", "a length above (or below) the threshold")
    GG = positive("g", "g", "per-turn gain βq − c > 0")
    gg = GG.symbol
    nr = NR.symbol
    MM = real("M", "M_n", "log P−/P+ of the prompt, worst case")
    n, mm = N.symbol, MM.symbol
    lr = sp.log((1 - al) / al)
    le = sp.log((1 + gp - eps) / eps)
    t1, t2 = _threshold("theorem1"), _threshold("theorem2")
    nstar = sp.Symbol("nstar", real=True)
    turns, s1, n4 = (sp.Symbol(x, real=True) for x in ("turns", "s1", "n4"))
    qf = sp.floor(c / be) + 2
    t_p1, t4 = _threshold("proposition1"), _threshold("theorem4")
    r_of = (1 - al) / al * sp.exp(-mm)
    bpp = sp.Symbol("BPp", real=True)
    worst = {bpp: (gp - r_of) / (1 + r_of)}
    tight_facts = [EXP_POS.instance(x=-mm), LOG_EXP.instance(x=-mm),
                   LOG_PRODUCT.instance(x=(1 - al) / al, y=sp.exp(-mm)),
                   LOG_QUOTIENT.instance(x=eps, y=1 + gp - eps),
                   LOG_QUOTIENT.instance(x=1 + gp - eps, y=eps),
                   LOG_LE_LOG.instance(x=eps / (1 + gp - eps), y=r_of)]
    steps = (
        Step("CF.1", Location.code("proofs/beb_v1/bounds.py", "theorem1"),
             "n* = ⌊(log((1−α)/α) + log((1+γ′−ϵ)/ϵ))/β⌋ + 1 satisfies the repaired requirement "
             "n β > log((1−α)/α) + log((1+γ′−ϵ)/ϵ)", StepKind.FAITHFUL,
             (make("CF.1/floor", (ALPHA, BETA, GAMMA_P, EPS), nstar > t1,
                   hyps=[eps < 1 + gp], defs={nstar: sp.floor(t1) + 1}),
              make("CF.1/sufficient", (ALPHA, BETA, GAMMA_P, EPS, NR), nr * be > lr + le,
                   hyps=[eps < 1 + gp, nr > t1],
                   text="a length above the threshold meets T1.15r's hypothesis"))),
        Step("CF.2", Location.code("proofs/beb_v1/bounds.py", "theorem1", "tightness of the argument"),
             "at n* − 1 sentences the facts the proof uses (every sentence's log ratio just above "
             "β, B′P− = γ′, B′P+ = −1) admit BP ≥ γ + ϵ", StepKind.FAITHFUL,
             (make("CF.2/tight", (ALPHA, BETA, GAMMA_P, EPS, N, MM), bpp <= gp - eps,
                   hyps=[n * be <= lr + le, mm <= n * be, eps < 1 + gp], defs=worst,
                   facts=tight_facts,
                   hints=[{"alpha": F(1, 2), "beta": 1, "gp": F(1, 2), "eps": F(1, 10), "n": 1,
                           "M": 1}],
                   text="n β ≤ the threshold and M ≤ n β ⇒ B′P ≤ γ′ − ϵ"),),
             explanation="The argument cannot give a shorter length. It is not shown that a "
                         "model attains these values: with B′P+ = −1 the continuations' log "
                         "ratios are unbounded, so a model there offers sentences gaining more "
                         "than β; the printed lengths' failures on real models are in "
                         "`bebcheck simulate`."),
        Step("CF.3", Location.code("proofs/beb_v1/bounds.py", "theorem2"),
             "n* = ⌊(|s0| c + log((1−α)/α) + log((1+γ′−ϵ)/ϵ))/β⌋ + 1 satisfies n β > |s0| c + "
             "log((1−α)/α) + log((1+γ′−ϵ)/ϵ)", StepKind.FAITHFUL,
             (make("CF.3/floor", (ALPHA, BETA, GAMMA_P, EPS, C, M_LEN), nstar > t2,
                   hyps=[eps < 1 + gp], defs={nstar: sp.floor(t2) + 1}),
              make("CF.3/sufficient", (ALPHA, BETA, GAMMA_P, EPS, C, M_LEN, NR),
                   nr * be > m * c + lr + le, hyps=[eps < 1 + gp, nr > t2]))),
        Step("CF.4", Location.code("proofs/beb_v1/bounds.py", "theorem2", "tightness of the argument"),
             "at n* − 1 sentences, with the aligning prompt at its worst (M0 = −|s0| c) and every "
             "sentence just above β, the facts the proof uses admit BP ≥ γ + ϵ", StepKind.FAITHFUL,
             (make("CF.4/tight", (ALPHA, BETA, GAMMA_P, EPS, C, M_LEN, N, MM), bpp <= gp - eps,
                   hyps=[n * be <= m * c + lr + le, mm <= n * be - m * c, eps < 1 + gp],
                   defs=worst, facts=tight_facts,
                   hints=[{"alpha": F(1, 2), "beta": 1, "gp": F(1, 2), "eps": F(1, 10), "c": 1,
                           "m": 1, "n": 2, "M": 1}]),),
             explanation="As for CF.2: the argument's limit, not shown to be a model's."),
        Step("CF.5", Location.code("proofs/beb_v1/bounds.py", "theorem3"),
             "q = ⌊c/β⌋ + 2 sentences per turn and ⌊T/(βq − c)⌋ + 1 turns, T = log((1−α)/α) + "
             "log((1+γ′−ϵ)/ϵ), meet T3.13r's hypotheses βq − c > 0 and turns·(βq − c) > T",
             StepKind.FAITHFUL,
             (make("CF.5/gain", (BETA, C), be * qf - c > be),
              make("CF.5/turns", (ALPHA, BETA, C, GAMMA_P, EPS), turns > (lr + le) / (be * qf - c),
                   hyps=[eps < 1 + gp], defs={turns: sp.floor((lr + le) / (be * qf - c)) + 1}),
              make("CF.5/sufficient", (ALPHA, GAMMA_P, EPS, GG, NR), nr * gg > lr + le,
                   hyps=[nr > (lr + le) / gg, eps < 1 + gp],
                   text="turns above T/g with g = βq − c > 0 give turns·g > T"))),
        Step("CF.6", Location.code("proofs/beb_v1/bounds.py", "proposition1"),
             "|s1| = ⌈T⌉ − 1 with T = (β|s0| + log(α/(1−α)) + log(γ′/(2+γ′)))/c meets P1.10r's "
             "condition c|s1| < β|s0| + log(α/(1−α)) + log(γ′/(2+γ′))", StepKind.FAITHFUL,
             (make("CF.6/below", (ALPHA, BETA, C, GAMMA_P, M_LEN), s1 < t_p1,
                   defs={s1: sp.ceiling(t_p1) - 1}, text="⌈T⌉ − 1 < T"),
              make("CF.6/condition", (ALPHA, BETA, C, GAMMA_P, M_LEN, NR),
                   c * nr < be * m + sp.log(al / (1 - al)) + sp.log(gp / (2 + gp)),
                   hyps=[nr < t_p1], text="a length below T meets P1.10r's condition"))),
        Step("CF.7", Location.code("proofs/beb_v1/bounds.py", "theorem4"),
             "n = ⌊max((2/β) log(2(1+γ′)/(αϵ)), 32 (c/β)² log|Φ|)⌋ + 1 exceeds both terms, as "
             "Lemma 1 (G.5, G.7) and T4.7r need", StepKind.FAITHFUL,
             (make("CF.7/both-terms", (ALPHA, BETA, C, GAMMA_P, EPS, PHI),
                   sp.And(n4 > 2 / be * sp.log(2 * (1 + gp) / (al * eps)),
                          n4 > 32 * (c / be) ** 2 * sp.log(PHI.symbol)),
                   defs={n4: sp.floor(t4) + 1}),)),
    )
    return Chain(ResultId.CLOSED_FORMS, "Closed-form lengths (proofs/beb_v1/bounds.py)",
                 "The explicit lengths bebcheck reports are sufficient, and tight for Theorems "
                 "1–2 in the worst case", "proofs/beb_v1/bounds.py", steps)
