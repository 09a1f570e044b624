"""The best length each repaired proof allows: its free choices optimised, declared once.

``BEST[result]`` is a :class:`~bebcheck.symbolic.bounds.LengthBound` beside
:data:`.bounds.BOUNDS` (same result, same kind; its ``paper_threshold`` is the printed one).
The audit's ``closed_forms`` chain proves each sufficient, and tight for the argument: one
sentence fewer fails the inequality the argument needs (steps CF.6, CF.8 to CF.11).

* Theorems 1 and 2, Proposition 1: the repaired argument has no free choice left, so the best
  length *is* the repaired one (tight: CF.2, CF.4, CF.6).
* Theorem 3 (Appendices C, D): the per-turn length is free.  With user turns of at most ``L``
  sentences (``turn``; 0: the paper's ``L = floor(A c/beta) + 2``) and replies of up to ``A``
  sentences, ``n`` turns of ``Q`` sentences in all gain at least ``beta Q - n A c`` (Lemma D,
  any ``|q_i|``), which must exceed ``T = log((1-alpha)/alpha) + log((1+gamma'-eps)/eps)``.
  The fewest turns, ``n = floor(T/(beta L - A c)) + 1``, give the fewest sentences,
  ``Q = floor((T + n A c)/beta) + 1`` (the last turns shortened): at most ``n L``, at least
  ``n``, and no split into turns of at most ``L`` sentences does with fewer (CF.8, CF.9).
  Longer turns need fewer sentences in all: the trade-off of ``bebcheck bound theorem3
  --turn L``; one turn of ``floor((T + A c)/beta) + 1`` sentences is the end of the curve.
* Lemma 1 and Theorem 4 (Appendices F, G): the increments of ``Z_n = M_n - n beta`` lie in
  ``(-c - beta, c - beta)``, an interval of width ``2c``, so Hoeffding's form of Azuma's
  inequality gives ``P(Z_n - Z_0 <= -t) <= exp(-t^2/(2 n c^2))`` (:data:`AZUMA_INTERVAL`;
  the paper's ``exp(-t^2/(8 n c^2))`` bounds the increments by ``2c`` in absolute value); the
  deviation is the largest the target allows, ``t = n beta - ell`` (not ``n beta/2``), with
  ``ell = log(1/eps') + |s0| c`` for an initial prompt ``s0`` (Definition 4 allows one;
  Lemma B bounds its log ratio by ``-|s0| c``); the union bound runs over the ``|Phi| - 1``
  alternatives only.  The length is the larger root of ``(n beta - ell)^2 = 2 n c^2 K``,
  ``K = log(|Phi| - 1)``: ``n > (beta ell + c^2 K + c sqrt(K (c^2 K + 2 beta ell)))/beta^2``
  (CF.10).  Theorem 4 keeps every factor of the prior, ``R < eps'(1 - w)/w <= eps'(1 -
  alpha)/alpha``, and needs ``R < eps/(1 + gamma' - eps)`` exactly (the worst case of the
  other personas, ``B' = -1``), so ``eps' = alpha eps/((1 - alpha)(1 + gamma' - eps))``;
  Definition 5's ``eps/2`` is not needed: with finitely many personas one of them meets it
  for a sequence of slacks tending to 0, so its ``B'`` is at least ``gamma'`` (CF.11).  No
  prompt is needed when ``eps >= 1 + gamma'``, when ``|Phi| = 1`` or when ``ell < 0``.
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from bebcheck.symbolic.bounds import LengthBound, Term
from bebcheck.symbolic.errors import InputError
from bebcheck.symbolic.lemmas import Lemma
from bebcheck.symbolic.params import Param

from . import bounds as B
from .results import ResultId

__all__ = [
    "AZUMA_INTERVAL",
    "BEST",
    "BEST_PARAMS",
    "TURN",
    "best",
    "best_eps_prime",
    "lemma1_threshold",
    "per_turn",
    "theorem3_split",
]

TURN = Param("turn", Fraction(0), None, False, False, True, latex="L",
             meaning="sentences per user turn, at most (Theorem 3's best length; 0: the "
                     "paper's floor(A c/beta) + 2)", default=Fraction(0))
"""Theorem 3's per-turn length: the free choice of Appendix C (0 stands for the paper's)."""

BEST_PARAMS: dict[str, Param] = {"turn": TURN}
"""Parameters of the best lengths besides :data:`.params.USER_PARAMS`."""

_n, _w, _t, _p = sp.symbols("n w t p", real=True)
AZUMA_INTERVAL = Lemma(
    "azuma_hoeffding_interval",
    (_n, _w, _t, _p),
    (_n >= 1, _w > 0, _t > 0, _p >= 0, _p <= 1),
    _p <= sp.exp(-2 * _t**2 / (_n * _w**2)),
    "cited",
    "Hoeffding (1963), Azuma (1967): for a sub-martingale (Z_k) whose k-th increment lies in "
    "an interval [a_k, a_k + w] with a_k fixed by the past, P(Z_n - Z_0 <= -t) <= "
    "exp(-2 t^2/(n w^2)) for t > 0 (Hoeffding's lemma E[exp(-s X)] <= exp(s^2 w^2/8) for "
    "E[X] >= 0, then Chernoff with s = 4t/(n w^2); McDiarmid, On the method of bounded "
    "differences (1989), Theorem 6.7; Boucheron, Lugosi, Massart, Concentration Inequalities, "
    "Lemma 2.2); tested on exact finite sub-martingales",
    "sub-martingale with increments in an interval of width w: "
    "P(Z_n - Z_0 <= -t) <= exp(-2 t^2/(n w^2))",
    premise="p is P(Z_n - Z_0 <= -t) for a sub-martingale whose k-th increment lies in an "
            "interval [a_k, a_k + w], a_k determined by the past",
)
"""The sharpest standard Azuma-Hoeffding bound for increments confined to an interval of
width ``w`` (Lemma 1's increments: ``w = 2c``)."""

_S = B.symbols()
alpha, beta, gamma, eps, c, s0, phi, reply = (
    _S[k] for k in ("alpha", "beta", "gamma", "eps", "c", "s0", "phi", "reply"))
turn = TURN.sympy_symbol()
gp = -gamma


def per_turn(c_: sp.Expr, beta_: sp.Expr, reply_: sp.Expr, turn_: sp.Expr) -> sp.Expr:
    """Theorem 3's per-turn length: ``turn``, or the paper's ``floor(A c/beta) + 2`` for 0."""
    return sp.Piecewise((B.sentences_per_turn(c_, beta_, reply_), sp.Eq(turn_, 0)),
                        (turn_, True))


def theorem3_split(need: sp.Expr, beta_: sp.Expr, cost: sp.Expr, length: sp.Expr
                   ) -> tuple[sp.Expr, sp.Expr]:
    """(turns, sentences) of the best split for ``need >= 0``: ``need`` the log ratio the
    argument needs, ``cost`` a reply's (``A c``), ``length`` the per-turn cap ``L``
    (``beta L > A c``).  For ``need < 0`` no turn is needed (the declared bound takes
    ``max(0, .)`` of both)."""
    turns = sp.floor(need / (beta_ * length - cost)) + 1
    return turns, sp.floor((need + turns * cost) / beta_) + 1


def best_eps_prime(alpha_: sp.Expr, eps_: sp.Expr, gp_: sp.Expr) -> sp.Expr:
    """Theorem 4's best ϵ′ = αϵ/((1−α)(1+γ′−ϵ)): every factor of the prior kept."""
    return alpha_ * eps_ / ((1 - alpha_) * (1 + gp_ - eps_))


def lemma1_threshold(beta_: sp.Expr, c_: sp.Expr, ell: sp.Expr, k: sp.Expr,
                     root: sp.Expr | None = None) -> sp.Expr:
    """The larger root of (n β − ℓ)² = 2 n c² K: (βℓ + c²K + c√(K(c²K + 2βℓ)))/β².

    ``root`` stands in for the square root (the audit names it, with its defining facts)."""
    r = sp.sqrt(k * (c_**2 * k + 2 * beta_ * ell)) if root is None else root
    return (beta_ * ell + c_**2 * k + c_ * r) / beta_**2


# -- Theorem 3 -----------------------------------------------------------------------------------
_NEED = B._LOGA + B._eps_tight(gp, eps)  # log((1-alpha)/alpha) + log((1+gamma'-eps)/eps)
_L3 = per_turn(c, beta, reply, turn)
_TURNS3, _TOTAL3 = (sp.Max(0, x) for x in theorem3_split(_NEED, beta, reply * c, _L3))

# -- Theorem 4 with Lemma 1 ----------------------------------------------------------------------
_ELL4 = sp.log(1 / best_eps_prime(alpha, eps, gp)) + s0 * c
_K4 = sp.log(phi - 1)
_CORE4 = lemma1_threshold(beta, c, _ELL4, _K4)
_T4 = sp.Piecewise((-sp.oo, phi < 2), (-sp.oo, eps >= 1 + gp), (-sp.oo, _ELL4 < 0),
                   (_CORE4, True), evaluate=False)  # in this order: each case defines the next


def _same(r: ResultId, note: str) -> LengthBound:
    b = B.BOUNDS[r]
    return LengthBound(b.result, b.params, b.threshold, b.paper_threshold, b.terms, b.kind,
                       b.unit, note, b.paper_note)


BEST: dict[ResultId, LengthBound] = {
    ResultId.THEOREM1: _same(ResultId.THEOREM1, "the repaired length: no free choice left "
                                                "(tight, CF.2)"),
    ResultId.THEOREM2: _same(ResultId.THEOREM2, "the repaired length: no free choice left "
                                                "(tight, CF.4)"),
    ResultId.THEOREM3: LengthBound(
        ResultId.THEOREM3, ("alpha", "beta", "gamma", "eps", "c", "reply", "turn"),
        _TOTAL3 - sp.Rational(1, 2), B.BOUNDS[ResultId.THEOREM3].paper_threshold,
        terms=(Term("turn", "sentences per turn, at most", _L3),
               Term("turns", "turns", _TURNS3)),
        note="turns of at most L sentences (L = ⌊Ac/β⌋+2 unless --turn), "
             "n = ⌊T/(βL−Ac)⌋+1 turns, ⌊(T + nAc)/β⌋+1 sentences in all",
        paper_note=B.BOUNDS[ResultId.THEOREM3].paper_note),
    ResultId.PROPOSITION1: _same(ResultId.PROPOSITION1, "the repaired length: no free choice "
                                                        "left (tight, CF.6)"),
    ResultId.THEOREM4: LengthBound(
        ResultId.THEOREM4, ("alpha", "beta", "gamma", "eps", "c", "phi", "s0"), _T4,
        B.BOUNDS[ResultId.THEOREM4].paper_threshold,
        terms=(Term("eps_prime", "(log(1/eps') + |s0| c)/beta", _ELL4 / beta),
               Term("personas", "union bound over |Phi|-1 alternatives", _CORE4 - _ELL4 / beta)),
        note="n > (βℓ + c²K + c√(K(c²K+2βℓ)))/β², ℓ = log(1/ϵ′) + |s0|c, "
             "ϵ′ = αϵ/((1−α)(1+γ′−ϵ)), K = log(|Φ|−1)",
        paper_note=B.BOUNDS[ResultId.THEOREM4].paper_note),
}
"""The best length of every result with an explicit length (same keys as ``BOUNDS``)."""


def best(result: str) -> LengthBound:
    """The best length of a result (``theorem1``, ``Theorem-4``, ...)."""
    key = result.strip().lower().replace("-", "_")
    if key not in BEST:
        raise InputError(f"no explicit length for {result!r}; known: {', '.join(BEST)}")
    return BEST[ResultId(key)]

