"""The closed-form lengths of ``symbolic.bounds``: sufficient where the repaired proofs need them,
and, for Theorems 1 and 2, tight (one sentence fewer fails in the worst case).

The formulas are taken from ``bebcheck.symbolic.bounds`` (the same expressions the NumPy
reference and the calculator use), with its symbols mapped onto the proof parameters.
"""

from __future__ import annotations

from fractions import Fraction as F

import sympy as sp

from bebcheck.symbolic import bounds as B
from bebcheck.symbolic.lemmas import EXP_POS, LOG_EXP, LOG_LE_LOG, LOG_PRODUCT, LOG_QUOTIENT
from bebcheck.symbolic.obligation import Chain, Step
from bebcheck.symbolic.params import (
    ALPHA,
    BETA,
    EPS,
    GAMMA_P,
    M_LEN,
    C,
    nonneg_int,
    real,
)

from ._common import al, be, c, eps, gp, m, make

__all__ = ["closed_forms"]

PHI = nonneg_int("Phi", "|Φ|", "number of personas", lower=2)
_MAP = {B.alpha: al, B.beta: be, B.gamma: -gp, B.eps: eps, B.c: c, B.s0: m, B.phi: PHI.symbol}


def _threshold(result: str) -> sp.Expr:
    return B.bound(result).threshold.xreplace(_MAP)


def closed_forms() -> Chain:
    N = nonneg_int("n", "n", "prompt length", lower=0)
    NR = real("nr", "n", "a length above the threshold")
    nr = NR.symbol
    MM = real("M", "M_n", "log P−/P+ of the prompt, worst case")
    n, mm = N.symbol, MM.symbol
    lr = sp.log((1 - al) / al)
    le = sp.log((1 + gp - eps) / eps)
    t1, t2 = _threshold("theorem1"), _threshold("theorem2")
    nstar = sp.Symbol("nstar", real=True)
    r_of = (1 - al) / al * sp.exp(-mm)
    bpp = sp.Symbol("BPp", real=True)
    worst = {bpp: (gp - r_of) / (1 + r_of)}
    tight_facts = [EXP_POS.instance(x=-mm), LOG_EXP.instance(x=-mm),
                   LOG_PRODUCT.instance(x=(1 - al) / al, y=sp.exp(-mm)),
                   LOG_QUOTIENT.instance(x=eps, y=1 + gp - eps),
                   LOG_QUOTIENT.instance(x=1 + gp - eps, y=eps),
                   LOG_LE_LOG.instance(x=eps / (1 + gp - eps), y=r_of)]
    steps = (
        Step("CF.1", "symbolic/bounds.py: theorem1",
             "n* = ⌊(log((1−α)/α) + log((1+γ′−ϵ)/ϵ))/β⌋ + 1 satisfies the repaired requirement "
             "n β > log((1−α)/α) + log((1+γ′−ϵ)/ϵ)", "faithful",
             (make("CF.1/floor", (ALPHA, BETA, GAMMA_P, EPS), nstar > t1,
                   hyps=[eps < 1 + gp], defs={nstar: sp.floor(t1) + 1}),
              make("CF.1/sufficient", (ALPHA, BETA, GAMMA_P, EPS, NR), nr * be > lr + le,
                   hyps=[eps < 1 + gp, nr > t1],
                   text="a length above the threshold meets T1.15r's hypothesis"))),
        Step("CF.2", "symbolic/bounds.py: theorem1, tightness",
             "at n* − 1 sentences the worst case (every sentence's log ratio just above β, "
             "B′P− = γ′, B′P+ = −1) has BP ≥ γ + ϵ", "faithful",
             (make("CF.2/tight", (ALPHA, BETA, GAMMA_P, EPS, N, MM), bpp <= gp - eps,
                   hyps=[n * be <= lr + le, mm <= n * be, eps < 1 + gp], defs=worst,
                   facts=tight_facts,
                   hints=[{"alpha": F(1, 2), "beta": 1, "gp": F(1, 2), "eps": F(1, 10), "n": 1,
                           "M": 1}],
                   text="n β ≤ the threshold and M ≤ n β ⇒ B′P ≤ γ′ − ϵ"),)),
        Step("CF.3", "symbolic/bounds.py: theorem2",
             "n* = ⌊(|s0| c + log((1−α)/α) + log((1+γ′−ϵ)/ϵ))/β⌋ + 1 satisfies n β > |s0| c + "
             "log((1−α)/α) + log((1+γ′−ϵ)/ϵ)", "faithful",
             (make("CF.3/floor", (ALPHA, BETA, GAMMA_P, EPS, C, M_LEN), nstar > t2,
                   hyps=[eps < 1 + gp], defs={nstar: sp.floor(t2) + 1}),
              make("CF.3/sufficient", (ALPHA, BETA, GAMMA_P, EPS, C, M_LEN, NR),
                   nr * be > m * c + lr + le, hyps=[eps < 1 + gp, nr > t2]))),
        Step("CF.4", "symbolic/bounds.py: theorem2, tightness",
             "at n* − 1 sentences, with the aligning prompt at its worst (M0 = −|s0| c) and every "
             "sentence just above β, BP ≥ γ + ϵ", "faithful",
             (make("CF.4/tight", (ALPHA, BETA, GAMMA_P, EPS, C, M_LEN, N, MM), bpp <= gp - eps,
                   hyps=[n * be <= m * c + lr + le, mm <= n * be - m * c, eps < 1 + gp],
                   defs=worst, facts=tight_facts,
                   hints=[{"alpha": F(1, 2), "beta": 1, "gp": F(1, 2), "eps": F(1, 10), "c": 1,
                           "m": 1, "n": 2, "M": 1}]),)),
    )
    return Chain("closed_forms", "Closed-form lengths (symbolic/bounds.py)",
                 "The explicit lengths bebcheck reports are sufficient, and tight for Theorems "
                 "1–2 in the worst case", "symbolic/bounds.py", steps)
