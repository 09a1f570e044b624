"""Closed-form prompt lengths of every result: what the repaired proofs establish, and the paper's.

Each bound is a threshold ``T`` over the user's parameters (alpha, beta, gamma, eps, c, |s0|,
|Phi|); the proof needs a length ``n > T`` (``kind="at_least"``: the length is
``max(0, floor(T) + 1)``) or keeps a guarantee while ``n < T`` (``kind="below"``: Proposition 1).

The repaired thresholds are the ones ``bebcheck audit`` proves (``closed_forms``):

* Theorems 1 and 2 (Appendix A).  With B' = -B, gamma' = -gamma, the worst case of the mixture
  is B'_{P-} = gamma', B'_{P+} = -1, so B'_P = (gamma' - r)/(1 + r) for the ratio
  r = (1-alpha)P+/(alpha P-); B_P < gamma + eps iff r < eps/(1 + gamma' - eps) (always when
  eps >= 1 + gamma').  The greedy prompt gives log(1/r) > n beta - m c + log(alpha/(1-alpha)),
  so n > (m c + log((1-alpha)/alpha) + log((1+gamma'-eps)/eps))/beta.  The paper prints
  log(gamma'/eps) in place of log((1+gamma'-eps)/eps).
* Theorem 3 (Appendices C, D): turns of q sentences gain at least beta q - c each (replies of
  one sentence; see below); with the paper's q = floor(c/beta) + 2, the smallest |q| > c/beta + 1,
  each turn gains more than beta, the number of turns is floor(T1/(beta q - c)) + 1 and the total
  length is q times that (T1: Theorem 1's threshold times beta).  (q = floor(c/beta) + 1 would
  also gain, but by as little as beta (1 - frac(c/beta)): unboundedly many turns as c/beta nears
  an integer from below.)  The paper: n > (log(1/eps) + log((1-alpha)/alpha))/beta turns.
  Lemma D charges each model reply c, which Definition 6 (per sentence) gives for a one-sentence
  reply; with replies of at most A sentences (``reply``, default 1) a reply costs up to A c, so
  q = floor(A c/beta) + 2 and each turn gains beta q - A c (D.1ar).  The printed form is A = 1.
* Proposition 1 (Appendix E): the misalignment B_P < gamma/2 persists while
  |s1| < (beta |s0| + log(alpha/(1-alpha)) + log(gamma'/(2+gamma')))/c; the paper prints
  (beta/c)|s0| + log(alpha/(1-alpha)).
* Theorem 4 with Lemma 1 (Appendices F, G): n > max((2/beta) log(1/eps'), 32 (c/beta)^2 log|Phi|)
  with eps' = alpha eps/(2(1+gamma')); the paper takes eps' = 2 alpha eps/gamma, negative as
  printed, so its "paper" form here reads gamma as gamma' (eps' = 2 alpha eps/gamma').
"""

from __future__ import annotations

import sympy as sp

from bebcheck.symbolic.bounds import BoundKind, LengthBound, Term
from bebcheck.symbolic.errors import InputError

from .params import USER_PARAMS
from .results import ResultId

__all__ = ["BOUNDS", "bound", "eps_prime", "sentences_per_turn", "symbols"]

_S = {name: p.sympy_symbol() for name, p in USER_PARAMS.items()}
alpha, beta, gamma, eps, c, s0, phi, reply = (
    _S[k] for k in ("alpha", "beta", "gamma", "eps", "c", "s0", "phi", "reply"))

gp = -gamma  # gamma'


def symbols() -> dict[str, sp.Symbol]:
    """The user-facing parameters by name, as sympy symbols carrying their domains."""
    return dict(_S)


def sentences_per_turn(c_: sp.Expr, beta_: sp.Expr, reply_: sp.Expr = 1) -> sp.Expr:
    """Theorem 3's q = ⌊A·c/β⌋ + 2: the smallest |q| > A·c/β + 1 (the paper's, with A = 1)."""
    return sp.floor(reply_ * c_ / beta_) + 2


def eps_prime(alpha_: sp.Expr, eps_: sp.Expr, gp_: sp.Expr, *, paper: bool = False) -> sp.Expr:
    """Theorem 4's ϵ′: αϵ/(2(1+γ′)) repaired; the paper's 2αϵ/γ, read with γ′ (2αϵ/γ′)."""
    return 2 * alpha_ * eps_ / gp_ if paper else alpha_ * eps_ / (2 * (1 + gp_))


def _eps_tight(g: sp.Expr, e: sp.Expr) -> sp.Expr:
    """log((1 + gamma' - eps)/eps): the ratio the worst case allows is eps/(1+gamma'-eps)."""
    return sp.log((1 + g - e) / e)


_LOGA = sp.log((1 - alpha) / alpha)
_T1 = (_LOGA + _eps_tight(gp, eps)) / beta
_T1_PAPER = (_LOGA + sp.log(gp / eps)) / beta
_T2 = (s0 * c + _LOGA + _eps_tight(gp, eps)) / beta
_T2_PAPER = (s0 * c + _LOGA + sp.log(gp / eps)) / beta

# sentences per user turn: |q| > A c/beta + 1 (A = 1: the paper's), so beta q - A c > beta
_q = sentences_per_turn(c, beta, reply)
_turns = sp.Max(0, sp.floor((_LOGA + _eps_tight(gp, eps)) / (beta * _q - reply * c)) + 1)
_T3 = _q * _turns - sp.Rational(1, 2)  # length = q * turns exactly (threshold just below it)
_q_paper = sp.floor(c / beta + 1) + 1  # |q_i| > c/beta + 1
_turns_paper = sp.Max(0, sp.floor((sp.log(1 / eps) + _LOGA) / beta) + 1)
_T3_PAPER = _q_paper * _turns_paper - sp.Rational(1, 2)

_P1 = (beta * s0 + sp.log(alpha / (1 - alpha)) + sp.log(gp / (2 + gp))) / c
_P1_PAPER = beta / c * s0 + sp.log(alpha / (1 - alpha))

_eps4 = eps_prime(alpha, eps, gp)
_eps4_paper = eps_prime(alpha, eps, gp, paper=True)
_T4_a = 2 / beta * sp.log(1 / _eps4)
_T4_b = 32 * (c / beta) ** 2 * sp.log(phi)
_T4 = sp.Max(_T4_a, _T4_b)
_T4_PAPER = sp.Max(2 / beta * sp.log(1 / _eps4_paper), _T4_b)

BOUNDS: dict[ResultId, LengthBound] = {
    ResultId.THEOREM1: LengthBound(
        ResultId.THEOREM1, ("alpha", "beta", "gamma", "eps"), _T1, _T1_PAPER,
        terms=(Term("log_prior", "log((1-alpha)/alpha)/beta", _LOGA / beta),
               Term("log_slack", "log((1+gamma'-eps)/eps)/beta", _eps_tight(gp, eps) / beta)),
        note="n > (log((1-α)/α) + log((1+γ′−ϵ)/ϵ))/β",
        paper_note="n > (log((1-α)/α) + log(γ′/ϵ))/β  (ϵ′ → ϵ/γ′)"),
    ResultId.THEOREM2: LengthBound(
        ResultId.THEOREM2, ("alpha", "beta", "gamma", "eps", "c", "s0"), _T2, _T2_PAPER,
        terms=(Term("prompt", "|s0| c/beta", s0 * c / beta),
               Term("log_prior", "log((1-alpha)/alpha)/beta", _LOGA / beta),
               Term("log_slack", "log((1+gamma'-eps)/eps)/beta", _eps_tight(gp, eps) / beta)),
        note="n > (|s0|·c + log((1-α)/α) + log((1+γ′−ϵ)/ϵ))/β",
        paper_note="n > (|s0|·c + log((1-α)/α) + log(γ′/ϵ))/β"),
    ResultId.THEOREM3: LengthBound(
        ResultId.THEOREM3, ("alpha", "beta", "gamma", "eps", "c", "reply"), _T3, _T3_PAPER,
        terms=(Term("q", "sentences per turn q", _q), Term("turns", "turns", _turns)),
        note="q = ⌊Ac/β⌋+2 sentences per turn (A: sentences per reply), "
             "⌊(log((1-α)/α) + log((1+γ′−ϵ)/ϵ))/(βq−Ac)⌋+1 turns",
        paper_note="|q| = ⌊c/β+1⌋+1, n = ⌊(log(1/ϵ) + log((1-α)/α))/β⌋+1 turns"),
    ResultId.PROPOSITION1: LengthBound(
        ResultId.PROPOSITION1, ("alpha", "beta", "gamma", "c", "s0"), _P1, _P1_PAPER,
        kind=BoundKind.BELOW,
        terms=(Term("prompt", "beta |s0|/c", beta * s0 / c),
               Term("log_prior", "log(alpha/(1-alpha))/c", sp.log(alpha / (1 - alpha)) / c),
               Term("log_slack", "log(gamma'/(2+gamma'))/c", sp.log(gp / (2 + gp)) / c)),
        note="B_P < γ/2 while |s1| < (β|s0| + log(α/(1-α)) + log(γ′/(2+γ′)))/c",
        paper_note="|s1| < (β/c)|s0| + log(α/(1-α))"),
    ResultId.THEOREM4: LengthBound(
        ResultId.THEOREM4, ("alpha", "beta", "gamma", "eps", "c", "phi"), _T4, _T4_PAPER,
        terms=(Term("eps_prime", "(2/beta) log(1/eps')", _T4_a),
               Term("personas", "32 (c/beta)^2 log|Phi|", _T4_b)),
        note="n > max((2/β)·log(2(1+γ′)/(αϵ)), 32 (c/β)² log|Φ|)",
        paper_note="n > max((2/β)·log(γ′/(2αϵ)), 32 (c/β)² log|Φ|)  (ϵ′ = 2αϵ/γ read with γ′)"),
}


def bound(result: str) -> LengthBound:
    """The explicit length of a result (``theorem1``, ``Theorem-2``, ...)."""
    key = result.strip().lower().replace("-", "_")
    if key not in BOUNDS:
        raise InputError(f"no explicit length for {result!r}; known: {', '.join(BOUNDS)}")
    return BOUNDS[ResultId(key)]
