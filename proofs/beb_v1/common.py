"""Shared symbols of the appendices (B' = -B, gamma' = -gamma) and a small obligation builder."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

import sympy as sp

from bebcheck.symbolic.lemmas import LemmaInstance, kl_cap
from bebcheck.symbolic.obligation import Obligation
from bebcheck.symbolic.params import Param, closed, prob_param, real

from .params import ALPHA, BETA, EPS, EPS1, GAMMA_P, M_LEN, N_LEN, C

__all__ = [
    "ALPHA",
    "BETA",
    "BM",
    "BP",
    "EPS",
    "EPS1",
    "GAMMA_P",
    "M0",
    "MN",
    "M_LEN",
    "N_LEN",
    "PM",
    "PP",
    "C",
    "al",
    "be",
    "c",
    "c_similar_behaviours",
    "e1",
    "eps",
    "gp",
    "kl_cap",
    "m",
    "make",
    "n",
    "pm",
    "pp",
]


BM = closed("Bm", -1, 1, r"B'_{P_-}", "B'_{P-}(s0⊕s1): expected B' = -B under P-(.|s0⊕s1)")
BP = closed("Bp", -1, 1, r"B'_{P_+}", "B'_{P+}(s0⊕s1): expected B' under P+(.|s0⊕s1)")
PM = prob_param("pm", "P-(s0⊕s1)")
PP = prob_param("pp", "P+(s0⊕s1)")
M0 = real("M0", "M_0", "log P-(s0)/P+(s0)")
MN = real("Mn", "M_n", "log P-(s0⊕s1)/P+(s0⊕s1)")

al, be, c, eps, e1, gp = (p.symbol for p in (ALPHA, BETA, C, EPS, EPS1, GAMMA_P))
m, n = M_LEN.symbol, N_LEN.symbol
pm, pp = PM.symbol, PP.symbol


def c_similar_behaviours(c_: sp.Basic, b_minus: sp.Basic, b_plus: sp.Basic) -> list[sp.Basic]:
    """What Definitions 2 and 6 (per sentence) imply of a context's behaviour expectations.

    β < c·tanh(c/2) (:data:`~bebcheck.symbolic.lemmas.KL_BOUNDED_RATIO`), and, since
    P+(s) > e^{−c} P−(s) for every continuation s and 1 + B′ ≥ 0,
    1 + B′_{P+} ≥ e^{−c} (1 + B′_{P−}).  Refuted steps that assume c-similarity carry these
    hypotheses so that their witnesses are realisable.
    """
    return [be < kl_cap(c_), 1 + b_plus >= sp.exp(-c_) * (1 + b_minus)]


def make(
    id: str,
    params: Iterable[Param],
    claim: sp.Basic,
    hyps: Iterable[sp.Basic] = (),
    defs: Mapping[sp.Symbol, sp.Basic] | None = None,
    facts: Iterable[LemmaInstance] = (),
    text: str = "",
    hints: Iterable[Mapping[str, Fraction | int]] = (),
) -> Obligation:
    return Obligation(
        id=id,
        claim=claim,
        params=tuple(params),
        hypotheses=tuple(hyps),
        definitions=tuple((defs or {}).items()),
        facts=tuple(facts),
        text=text,
        hints=tuple(tuple((k, Fraction(v)) for k, v in h.items()) for h in hints),
    )
