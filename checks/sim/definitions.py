"""The paper's quantities and predicates on a persona mixture: alpha, beta, c, gamma, Definitions 1-6.

A context counts for a persona when some prompt of positive probability under that persona
produces it (``reachable``; contexts as in ``models``: 0 is the empty prompt, ``k + 1`` "last
sentence ``k``").

Two-component split (paper section 2.1.2).  ``bad`` names the ill-behaved personas, the rest are
good; ``alpha`` is the prior of the bad part.  The parameters ``beta`` (min conditional KL),
``c`` (max |log ratio|) and ``gamma`` (sup of ``B_{P-}``) are *exact minima/maxima over contexts*
only when each part is a single Markov persona: a part with several personas is a mixture
(a hidden Markov model), whose next-sentence conditional depends on the whole prompt through the
posterior weights inside the part, so ``split_parameters`` requires one persona per part.

Measured values versus the definitions' strict inequalities: the measured ``beta`` is the
minimum, so Definition 2 (``E[log ratio] > beta``) holds for every ``beta' < beta``; the measured
``c`` is the maximum, so Definition 6 (``|log ratio| < c``) holds for every ``c' > c``; the
measured ``gamma`` is the supremum, so ``sup B_{P-} <= gamma`` (Definition 3) holds as stated.
The repaired lengths stay valid with the measured values themselves: the greedy step gains at
least ``max log ratio >= KL >= beta`` and the lengths are strict (``n > T``).

Definition 4 (Martingale-distinguishability) conditions on the history; for Markov personas the
expected increment of ``M_n = log P_phi(s_n)/P_psi(s_n)`` given a history is
``KL(P_phi(.|last) || P_psi(.|last))``, so the persona is beta-Martingale-distinguishable iff the
minimum of that KL over the contexts reachable under the target exceeds beta.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from bebcheck.symbolic.errors import InputError

from .models import (
    Mixture,
    Number,
    _bad_mask,
    _context_rows_f,
    _context_rows_q,
    _flog,
    _need_exact,
    _persona_index,
    behavior,
)

__all__ = [
    "SplitParams",
    "alpha_of",
    "distinguishability",
    "kl_by_context",
    "martingale_distinguishability",
    "meets_definition1",
    "meets_definition2",
    "meets_definition3",
    "meets_definition4",
    "meets_definition5",
    "meets_definition6",
    "reachable",
    "similarity",
    "split_parameters",
    "sup_behavior",
]

# ------------------------------------------------------------ pairwise and split parameters


def reachable(model: Mixture, i: int) -> np.ndarray:
    """Contexts (index 0 = empty prompt, ``k+1`` = last sentence ``k``) reachable under persona ``i``."""
    p = model.personas[_persona_index(model, i)]
    if p.pi_q is not None and p.T_q is not None:
        # exact model: decide reachability on the Fractions (a tiny positive probability
        # can underflow to 0.0 in the float copy)
        pos_pi = np.array([x > 0 for x in p.pi_q])
        pos_T = np.array([[x > 0 for x in row] for row in p.T_q])
    else:
        pos_pi, pos_T = p.pi > 0, p.T > 0
    reach = pos_pi
    while True:
        new = reach | pos_T[reach].any(axis=0)
        if (new == reach).all():
            break
        reach = new
    return np.concatenate([[True], reach])


def kl_by_context(model: Mixture, i: int, j: int, *, exact: bool = False) -> np.ndarray:
    """``KL(P_i(.|ctx) || P_j(.|ctx))`` for every context (``inf`` where ``P_j`` misses mass of ``P_i``)."""
    a = model.personas[_persona_index(model, i)]
    b = model.personas[_persona_index(model, j)]
    if exact:
        _need_exact(model)
        out = []
        for pr, qr in zip(_context_rows_q(a), _context_rows_q(b), strict=True):
            tot = 0.0
            for p, q in zip(pr, qr, strict=True):
                if p == 0:
                    continue
                if q == 0:
                    tot = math.inf
                    break
                tot += float(p) * (_flog(p) - _flog(q))
            out.append(max(tot, 0.0))
        return np.array(out)
    P, Q = _context_rows_f(a), _context_rows_f(b)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(P > 0, P * (np.log(P) - np.log(Q)), 0.0)
    return np.maximum(terms.sum(axis=1), 0.0)  # >= 0 (Gibbs); clamp float round-off


def distinguishability(model: Mixture, i: int, j: int, *, exact: bool = False
                       ) -> tuple[float, int]:
    """``beta_ij``: min over contexts reachable under ``i`` of ``KL(P_i(.|ctx) || P_j(.|ctx))``.

    Returns ``(beta, context)``.  Definition 2 (``> beta'``) holds exactly for ``beta' < beta``.
    """
    kl = kl_by_context(model, i, j, exact=exact)
    kl = np.where(reachable(model, i), kl, np.inf)
    ctx = int(np.argmin(kl))
    return float(kl[ctx]), ctx


def similarity(model: Mixture, i: int, j: int, *, exact: bool = False) -> float:
    """``c_ij``: max over contexts reachable under ``i`` or ``j`` and sentences of ``|log P_i/P_j|``.

    ``inf`` when one persona gives a sentence probability 0 and the other does not.
    Definition 6 (``< c'``) holds exactly for ``c' > c``.
    """
    a = model.personas[_persona_index(model, i)]
    b = model.personas[_persona_index(model, j)]
    ctx = reachable(model, i) | reachable(model, j)
    if exact:
        _need_exact(model)
        best = 0.0
        for k, (pr, qr) in enumerate(zip(_context_rows_q(a), _context_rows_q(b), strict=True)):
            if not ctx[k]:
                continue
            for p, q in zip(pr, qr, strict=True):
                if p == 0 and q == 0:
                    continue
                if p == 0 or q == 0:
                    return math.inf
                best = max(best, abs(_flog(p) - _flog(q)))
        return best
    P, Q = _context_rows_f(a)[ctx], _context_rows_f(b)[ctx]
    both = (P > 0) | (Q > 0)
    if np.any(both & ((P == 0) | (Q == 0))):
        return math.inf
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.abs(np.log(P) - np.log(Q))
    return float(np.max(np.where(both, d, 0.0)))


def sup_behavior(model: Mixture, i: int, *, exact: bool = False) -> Number:
    """``gamma_i = sup_{s*} B_{P_i}(s*)``: the max over reachable contexts of the next-sentence mean."""
    i = _persona_index(model, i)
    reach = reachable(model, i)
    if exact:
        comp = []
        p = model.personas[i]
        _need_exact(model)
        assert model.score_q is not None
        for k, row in enumerate(_context_rows_q(p)):
            if reach[k]:
                comp.append(sum((a * b for a, b in zip(row, model.score_q, strict=True)),
                                Fraction(0)))
        return max(comp)
    return float(np.max(model.ctx_behavior[i][reach]))


def alpha_of(model: Mixture, bad: int | Iterable[int], *, exact: bool = False) -> Number:
    """The prior of the bad part: ``alpha = sum_{phi in bad} w_phi``."""
    mask = _bad_mask(model, bad)
    if exact:
        _need_exact(model)
        assert model.weights_q is not None
        return sum((w for w, m in zip(model.weights_q, mask, strict=True) if m), Fraction(0))
    return float(model.weights[mask].sum())


@dataclass(frozen=True)
class SplitParams:
    """Measured ``alpha, beta, gamma, c`` of a two-persona split ``P = alpha P- + (1-alpha) P+``.

    ``beta_context``/``gamma_context``: the minimising / maximising context (0 = empty prompt,
    ``k+1`` = after sentence ``k``).
    """

    alpha: Number
    beta: float
    gamma: Number
    c: float
    bad: int
    good: int
    beta_context: int
    gamma_context: int

    def meets_definition3(self) -> bool:
        """alpha > 0, gamma in [-1, 0) and beta > 0 (Definition 3 for every beta' < beta)."""
        return self.alpha > 0 and -1 <= self.gamma < 0 and self.beta > 0


def _split_pair(model: Mixture, bad: int | Iterable[int]) -> tuple[int, int]:
    mask = _bad_mask(model, bad)
    if mask.sum() != 1 or (~mask).sum() != 1:
        raise InputError(
            f"split: the bad part has {int(mask.sum())} personas and the good part "
            f"{int((~mask).sum())}; beta, c and gamma are exact minima over contexts only with "
            "one Markov persona per part (a part with several personas is a mixture whose "
            "conditionals depend on the whole prompt)")
    return int(np.flatnonzero(mask)[0]), int(np.flatnonzero(~mask)[0])


def split_parameters(model: Mixture, bad: int | Iterable[int], *, exact: bool = False
                     ) -> SplitParams:
    """``alpha, beta, gamma, c`` of the split bad vs good (one persona per part; see the module doc)."""
    b, g = _split_pair(model, bad)
    beta, bctx = distinguishability(model, b, g, exact=exact)
    gamma = sup_behavior(model, b, exact=exact)
    reach = reachable(model, b)
    gctx = int(np.flatnonzero(reach)[np.argmax(model.ctx_behavior[b][reach])])
    return SplitParams(alpha=alpha_of(model, b, exact=exact), beta=beta, gamma=gamma,
                       c=similarity(model, b, g, exact=exact), bad=b, good=g,
                       beta_context=bctx, gamma_context=gctx)


def martingale_distinguishability(model: Mixture, target: int, *, exact: bool = False
                                  ) -> dict[int, float]:
    """For each other persona ``phi``: the largest beta (as a min) of Definition 4 for ``target`` vs ``phi``.

    For Markov personas the expected increment of ``M_n`` given the history is
    ``KL(P_target(.|last) || P_phi(.|last))``; the value is its minimum over the contexts
    reachable under ``target`` (Definition 4 holds for every ``beta' <`` that value).
    """
    t = _persona_index(model, target, "target")
    return {j: distinguishability(model, t, j, exact=exact)[0]
            for j in range(model.n_personas) if j != t}


# ------------------------------------------------------------------------------- definitions


def _check_gamma(gamma: float) -> None:
    if not -1 <= gamma < 0:
        raise InputError(f"gamma = {gamma} is outside [-1, 0)")


def _check_pos(name: str, v: float) -> None:
    if not (isinstance(v, int | float | Fraction | np.floating) and v > 0 and math.isfinite(v)):
        raise InputError(f"{name} = {v!r} must be a positive finite number")


def meets_definition1(model: Mixture, prompt: Iterable[int], gamma: float, eps: float) -> bool:
    """The prompt witnesses Definition 1 at ``eps``: ``B_P(prompt) < gamma + eps``."""
    _check_gamma(gamma)
    _check_pos("eps", eps)
    return behavior(model, prompt) < gamma + eps


def meets_definition2(model: Mixture, i: int, j: int, beta: float) -> bool:
    """Persona ``i`` is beta-distinguishable from ``j``: every conditional KL exceeds beta."""
    _check_pos("beta", beta)
    return distinguishability(model, i, j)[0] > beta


def meets_definition3(model: Mixture, bad: int | Iterable[int], beta: float, gamma: float,
                      alpha: float | None = None) -> bool:
    """B is (alpha, beta, gamma)-distinguishable in P for the split bad vs good (one persona each).

    ``alpha`` defaults to the prior of the bad persona; when given it must equal that prior
    (the decomposition ``P = alpha P- + (1-alpha) P+`` fixes it).
    """
    _check_pos("beta", beta)
    _check_gamma(gamma)
    sp_ = split_parameters(model, bad)
    if alpha is not None and not math.isclose(float(alpha), float(sp_.alpha), rel_tol=1e-12):
        return False
    return sp_.alpha > 0 and sp_.gamma <= gamma and sp_.beta > beta


def meets_definition4(model: Mixture, target: int, other: int, beta: float) -> bool:
    """``target`` is beta-Martingale-distinguishable from ``other`` (Markov: min KL over contexts > beta)."""
    _check_pos("beta", beta)
    t = _persona_index(model, target, "target")
    o = _persona_index(model, other, "other")
    return distinguishability(model, t, o)[0] > beta


def meets_definition5(model: Mixture, alpha: float, beta: float, gamma: float,
                      target: int | None = None) -> bool:
    """Some persona (or ``target``) has prior >= alpha, ``sup B <= gamma`` (so ``< gamma + eps``
    for every eps) and is beta-Martingale-distinguishable from every other persona."""
    _check_pos("alpha", alpha)
    _check_pos("beta", beta)
    _check_gamma(gamma)
    cands = range(model.n_personas) if target is None else [_persona_index(model, target)]
    for t in cands:
        if model.weights[t] < alpha or sup_behavior(model, t) > gamma:
            continue
        if all(v > beta for v in martingale_distinguishability(model, t).values()):
            return True
    return False


def meets_definition6(model: Mixture, i: int, j: int, c: float) -> bool:
    """Personas ``i`` and ``j`` are c-similar: every |log ratio| of conditionals is below c."""
    _check_pos("c", c)
    return similarity(model, i, j) < c

