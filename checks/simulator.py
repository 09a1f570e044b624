"""Finite Markov-chain persona mixtures: exact BEB quantities, the definitions and the proofs' adversaries.

The model (the project's issue 5): a finite alphabet of ``K`` *sentences* ``0..K-1``; a persona
is a Markov chain over sentences (initial distribution ``pi``, ``K x K`` transition matrix
``T``), so ``P_phi(s_1 ... s_n) = pi[s_1] T[s_1, s_2] ... T[s_{n-1}, s_n]``; a mixture is
``P = sum_phi w_phi P_phi``; a behaviour score ``B`` gives each next sentence a value in
``[-1, 1]`` and ``B_P(s*) = E_{s ~ P(.|s*)}[B(s)]`` (the paper's eq. 2).

Every quantity is computed exactly (no sampling): in log space with numpy float64 and
``logsumexp`` by default, and in ``Fraction`` arithmetic with ``exact=True`` when the model was
built from ``Fraction``/``int`` probabilities (probabilities, posteriors and ``B_P`` are then exact;
logarithms -- KL, log-ratios, beta, c -- are taken of the exact probabilities in float).

Contexts.  For a Markov persona the next-sentence distribution depends only on the *context*:
the empty prompt (``pi``) or the last sentence ``k`` (row ``T[k]``).  Context index 0 is the empty
prompt and ``k + 1`` is "last sentence ``k``".  A context counts for a persona when some prompt
of positive probability under that persona produces it (``reachable``).

Two-component split (paper section 2.1.2).  ``bad`` names the ill-behaved personas, the rest are
good; ``alpha`` is the prior of the bad part.  The parameters ``beta`` (min conditional KL),
``c`` (max |log ratio|) and ``gamma`` (sup of ``B_{P-}``) are *exact minima/maxima over contexts*
only when each part is a single Markov persona: a part with several personas is a mixture
(a hidden Markov model), whose next-sentence conditional depends on the whole prompt through the
posterior weights inside the part, so ``split_parameters`` requires one persona per part.  The
greedy adversary itself works for parts of any size (it uses the posterior-weighted conditionals).

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

import bisect
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import numpy as np

from bebcheck.symbolic.errors import InputError

__all__ = [
    "FLOAT_TOL",
    "Continuation",
    "Conversation",
    "GreedyPrompt",
    "Mixture",
    "Persona",
    "PersonaPrompt",
    "SplitParams",
    "alpha_of",
    "behavior",
    "behavior_trajectory",
    "component_behaviors",
    "continuation",
    "conversation",
    "distinguishability",
    "exhaustive_min_behavior",
    "greedy_prompt",
    "kl_by_context",
    "log_prob",
    "log_prob_components",
    "martingale_distinguishability",
    "meets_definition1",
    "meets_definition2",
    "meets_definition3",
    "meets_definition4",
    "meets_definition5",
    "meets_definition6",
    "min_behavior_by_length",
    "next_distribution",
    "persona_greedy_prompt",
    "persona_prompt",
    "posterior",
    "prob",
    "reachable",
    "similarity",
    "split_parameters",
    "sup_behavior",
    "tilt",
    "worst_case_pair",
]

FLOAT_TOL = 1e-9
"""Tolerance on the sums of float probability vectors (Fractions must sum to 1 exactly)."""

_STACK_LIMIT = 4_000_000  # stack the transition matrices when personas * K * K is at most this
_ENUM_LIMIT = 200_000  # most prompts exhaustive_min_behavior enumerates

Number = float | Fraction


# ----------------------------------------------------------------------------------- validation


def _flog(x: Fraction) -> float:
    """log of a positive Fraction, without underflow for tiny values."""
    return math.log(x.numerator) - math.log(x.denominator)


def _numeric(values: object, what: str, ndim: int) -> tuple[np.ndarray, np.ndarray | None]:
    """A float64 array and, when every entry is an int or Fraction, the same as Fractions."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        arr = np.array(values, dtype=np.float64)
        if arr.ndim != ndim:
            raise InputError(f"{what}: expected a {ndim}-D array, got shape {arr.shape}")
        return arr, None
    if isinstance(values, np.ndarray) and values.dtype.kind in "iu":
        obj = values.astype(object)
    else:
        try:
            obj = np.asarray(values, dtype=object)
        except (ValueError, TypeError) as e:
            raise InputError(f"{what}: not an array of numbers ({e})") from None
    if obj.ndim != ndim:
        raise InputError(f"{what}: expected a {ndim}-D array, got shape {obj.shape}"
                         + (" (ragged rows?)" if ndim == 2 and obj.ndim == 1 else ""))
    exact = True
    flat = obj.ravel()
    for i, x in enumerate(flat):
        if isinstance(x, bool | np.bool_) or not isinstance(
                x, int | float | Fraction | np.integer | np.floating):
            idx = np.unravel_index(i, obj.shape)
            where = idx[0] if ndim == 1 else tuple(int(j) for j in idx)
            raise InputError(f"{what}: entry {where} is {x!r}, not a number")
        if isinstance(x, float | np.floating):
            exact = False
        elif isinstance(x, np.integer):
            flat[i] = int(x)
    arr = np.array([float(x) for x in flat], dtype=np.float64).reshape(obj.shape)
    if not exact:
        return arr, None
    q = np.empty(obj.shape, dtype=object)
    qf = q.ravel()
    for i, x in enumerate(flat):
        qf[i] = Fraction(x)
    return arr, q


def _check_dist(what: str, p: np.ndarray, q: np.ndarray | None) -> np.ndarray:
    """Validate one probability vector; return it renormalised (float path)."""
    if q is not None:
        for j, x in enumerate(q):
            if x < 0:
                raise InputError(f"{what}: entry {j} = {x} is negative")
        total = sum(q, Fraction(0))
        if total != 1:
            raise InputError(f"{what}: sums to {total}, not 1 (exact Fractions: no tolerance)")
        return p
    if not np.all(np.isfinite(p)):
        j = int(np.flatnonzero(~np.isfinite(p))[0])
        raise InputError(f"{what}: entry {j} = {p[j]} is not finite")
    if p.min() < -FLOAT_TOL:
        j = int(np.argmin(p))
        raise InputError(f"{what}: entry {j} = {p[j]:.6g} is negative")
    total = float(p.sum())
    if abs(total - 1.0) > FLOAT_TOL:
        raise InputError(f"{what}: sums to {total:.12g}, not 1 (float tolerance {FLOAT_TOL:g})")
    p = np.clip(p, 0.0, None)
    return p / p.sum()


class Persona:
    """A Markov chain over ``K`` sentences: initial distribution ``pi`` and transitions ``T``.

    Entries may be floats (rows must sum to 1 within ``FLOAT_TOL``, and are renormalised) or
    ``Fraction``/``int`` (rows must sum to 1 exactly; the persona is then ``exact``).
    """

    __slots__ = ("K", "T", "T_q", "exact", "name", "pi", "pi_q")

    def __init__(self, pi: object, T: object, *, name: str = "") -> None:
        label = name or "persona"
        pi_f, pi_q = _numeric(pi, f"{label}: pi", 1)
        T_f, T_q = _numeric(T, f"{label}: T", 2)
        K = pi_f.shape[0]
        if K == 0:
            raise InputError(f"{label}: pi is empty (the alphabet needs at least one sentence)")
        if T_f.shape != (K, K):
            raise InputError(f"{label}: T has shape {T_f.shape}, expected ({K}, {K}) to match "
                             f"pi of length {K}")
        pi_f = _check_dist(f"{label}: pi", pi_f, pi_q)
        for k in range(K):
            T_f[k] = _check_dist(f"{label}: T row {k}", T_f[k], None if T_q is None else T_q[k])
        self.K: int = K
        self.name = name
        self.exact: bool = pi_q is not None and T_q is not None
        self.pi: np.ndarray = pi_f
        self.T: np.ndarray = T_f
        self.pi_q: tuple[Fraction, ...] | None = tuple(pi_q) if self.exact else None
        self.T_q: tuple[tuple[Fraction, ...], ...] | None = (
            tuple(tuple(r) for r in T_q) if self.exact else None)
        self.pi.setflags(write=False)
        self.T.setflags(write=False)

    def __repr__(self) -> str:
        return f"Persona(name={self.name!r}, K={self.K}, exact={self.exact})"


class Mixture:
    """A persona mixture ``P = sum_phi w_phi P_phi`` with a behaviour score ``B`` per sentence.

    ``personas``: ``Persona`` objects or ``(pi, T)`` pairs; ``weights``: non-negative priors
    with a positive sum (normalised here); ``score``: ``B(s)`` in ``[-1, 1]`` for each sentence.
    """

    def __init__(self, personas: Sequence[Persona | tuple[object, object]], weights: object,
                 score: object) -> None:
        if isinstance(personas, Persona) or not isinstance(personas, Sequence) or not personas:
            raise InputError("personas: expected a non-empty list of Persona or (pi, T) pairs")
        ps: list[Persona] = []
        for i, p in enumerate(personas):
            if isinstance(p, Persona):
                ps.append(p)
            elif isinstance(p, tuple) and len(p) == 2:
                ps.append(Persona(p[0], p[1], name=f"persona {i}"))
            else:
                raise InputError(f"personas[{i}]: expected a Persona or a (pi, T) pair, "
                                 f"got {type(p).__name__}")
        K = ps[0].K
        for i, p in enumerate(ps):
            if p.K != K:
                raise InputError(f"persona {i} has {p.K} sentences, persona 0 has {K}: "
                                 "every persona must use the same alphabet")
        w, w_q = _numeric(weights, "priors", 1)
        if w.shape[0] != len(ps):
            raise InputError(f"priors: {w.shape[0]} weights for {len(ps)} personas")
        if not np.all(np.isfinite(w)):
            raise InputError("priors: every weight must be finite")
        for i in range(len(ps)):
            if (w_q is not None and w_q[i] < 0) or w[i] < 0:
                raise InputError(f"priors: weight {i} is negative ({w_q[i] if w_q is not None else w[i]})")
        if w_q is not None:
            tot_q = sum(w_q, Fraction(0))
            if tot_q == 0:
                raise InputError("priors sum to 0: at least one persona needs positive weight")
            self.weights_q: tuple[Fraction, ...] | None = tuple(x / tot_q for x in w_q)
        else:
            self.weights_q = None
        if w.sum() <= 0:
            raise InputError("priors sum to 0: at least one persona needs positive weight")
        b, b_q = _numeric(score, "score", 1)
        if b.shape[0] != K:
            raise InputError(f"score has {b.shape[0]} entries, the alphabet has {K} sentences")
        for j in range(K):
            v = b_q[j] if b_q is not None else b[j]
            if not (math.isfinite(b[j]) and -1 <= v <= 1):
                raise InputError(f"score[{j}] = {v} is outside [-1, 1]")
        self.personas: tuple[Persona, ...] = tuple(ps)
        self.K: int = K
        self.n_personas: int = len(ps)
        self.weights: np.ndarray = w / w.sum()
        with np.errstate(divide="ignore"):
            self.log_weights: np.ndarray = np.log(self.weights)
        self.score: np.ndarray = b
        self.score_q: tuple[Fraction, ...] | None = tuple(b_q) if b_q is not None else None
        self.pi_all: np.ndarray = np.stack([p.pi for p in ps])
        self.T_all: np.ndarray | None = (np.stack([p.T for p in ps])
                                         if len(ps) * K * K <= _STACK_LIMIT else None)
        # B_{P_phi} at each context: column 0 = empty prompt (pi), column k+1 = after sentence k
        self.ctx_behavior: np.ndarray = np.stack(
            [np.concatenate([[p.pi @ b], p.T @ b]) for p in ps])
        for arr in (self.weights, self.log_weights, self.score, self.pi_all, self.ctx_behavior):
            arr.setflags(write=False)

    @property
    def exact(self) -> bool:
        """True when every probability, prior and score is an exact rational."""
        return (self.weights_q is not None and self.score_q is not None
                and all(p.exact for p in self.personas))

    def rows(self, last: int | None) -> np.ndarray:
        """Next-sentence distributions of every persona after a prompt ending in ``last``."""
        if last is None:
            return self.pi_all
        if self.T_all is not None:
            return self.T_all[:, last, :]
        return np.stack([p.T[last] for p in self.personas])

    def __repr__(self) -> str:
        return f"Mixture(K={self.K}, personas={self.n_personas}, exact={self.exact})"


def _need_exact(model: Mixture) -> None:
    if model.exact:
        return
    parts = []
    if model.weights_q is None:
        parts.append("priors")
    if model.score_q is None:
        parts.append("score")
    parts += [f"persona {i}" for i, p in enumerate(model.personas) if not p.exact]
    raise InputError("exact=True needs a model built from Fractions/ints; float entries in: "
                     + ", ".join(parts))


def _seq(model: Mixture, seq: Iterable[int]) -> np.ndarray:
    """A prompt as an index array, each sentence checked against the alphabet."""
    if isinstance(seq, np.ndarray) and seq.dtype.kind in "iu" and seq.ndim == 1:
        s = seq.astype(np.intp, copy=False)
    else:
        items = list(seq)
        for i, x in enumerate(items):
            if isinstance(x, bool | np.bool_) or not isinstance(x, int | np.integer):
                raise InputError(f"prompt: sentence at position {i} is {x!r}, not an integer "
                                 "sentence index")
        s = np.asarray(items, dtype=np.intp)
    if s.size and (s.min() < 0 or s.max() >= model.K):
        i = int(np.flatnonzero((s < 0) | (s >= model.K))[0])
        raise InputError(f"prompt: sentence {int(s[i])} at position {i} is not in the alphabet "
                         f"0..{model.K - 1}")
    return s


def _persona_index(model: Mixture, i: object, what: str = "persona") -> int:
    if isinstance(i, bool) or not isinstance(i, int | np.integer) or not 0 <= i < model.n_personas:
        raise InputError(f"{what}: {i!r} is not a persona index 0..{model.n_personas - 1}")
    return int(i)


def _bad_mask(model: Mixture, bad: int | Iterable[int]) -> np.ndarray:
    if isinstance(bad, np.ndarray) and bad.dtype == bool:
        if bad.shape != (model.n_personas,):
            raise InputError(f"bad: a mask of shape {bad.shape} for {model.n_personas} personas")
        mask = bad.copy()
    else:
        idx = [bad] if isinstance(bad, int | np.integer) else list(bad)
        mask = np.zeros(model.n_personas, dtype=bool)
        for i in idx:
            mask[_persona_index(model, i, "bad")] = True
    if not mask.any():
        raise InputError("bad: name at least one ill-behaved persona")
    if mask.all():
        raise InputError("bad: every persona is in the bad part; the good part P+ is empty")
    return mask


def _logsumexp(a: np.ndarray, axis: int = 0) -> np.ndarray:
    m = np.max(a, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(a - m), axis=axis))


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


# ------------------------------------------------------------------------- exact quantities


def log_prob_components(model: Mixture, seq: Iterable[int]) -> np.ndarray:
    """``log P_phi(seq)`` for every persona (``-inf`` where the prompt is impossible)."""
    s = _seq(model, seq)
    return _lp(model, s)


def _lp(model: Mixture, s: np.ndarray) -> np.ndarray:
    n = len(s)
    if n == 0:
        return np.zeros(model.n_personas)
    with np.errstate(divide="ignore"):
        out = np.log(model.pi_all[:, s[0]])
        if n > 1:
            if model.T_all is not None:
                out = out + np.log(model.T_all[:, s[:-1], s[1:]]).sum(axis=1)
            else:
                out = out + np.array([np.log(p.T[s[:-1], s[1:]]).sum() for p in model.personas])
    return out


def log_prob(model: Mixture, seq: Iterable[int], *, component: int | None = None) -> float:
    """``log P(seq)`` under the mixture, or under persona ``component``."""
    lp = log_prob_components(model, seq)
    if component is not None:
        return float(lp[_persona_index(model, component, "component")])
    return float(_logsumexp(model.log_weights + lp))


def _prob_q(p: Persona, s: Sequence[int]) -> Fraction:
    assert p.pi_q is not None and p.T_q is not None
    if not s:
        return Fraction(1)
    out = p.pi_q[s[0]]
    for a, b in itertools.pairwise(s):
        if not out:
            break
        out *= p.T_q[a][b]
    return out


def prob(model: Mixture, seq: Iterable[int], *, component: int | None = None,
         exact: bool = False) -> Number:
    """``P(seq)`` (or ``P_component(seq)``): a Fraction with ``exact=True``, else a float."""
    s = _seq(model, seq)
    if not exact:
        return math.exp(log_prob(model, s, component=component))
    _need_exact(model)
    sl = s.tolist()
    if component is not None:
        return _prob_q(model.personas[_persona_index(model, component, "component")], sl)
    assert model.weights_q is not None
    return sum((w * _prob_q(p, sl) for w, p in zip(model.weights_q, model.personas, strict=True)),
               Fraction(0))


def _posterior_f(model: Mixture, s: np.ndarray) -> np.ndarray:
    a = model.log_weights + _lp(model, s)
    top = a.max()
    if not np.isfinite(top):
        raise InputError("prompt has probability 0 under the model: its conditionals are undefined")
    e = np.exp(a - top)
    return e / e.sum()


def _posterior_q(model: Mixture, s: np.ndarray) -> tuple[Fraction, ...]:
    _need_exact(model)
    assert model.weights_q is not None
    sl = s.tolist()
    joint = [w * _prob_q(p, sl) for w, p in zip(model.weights_q, model.personas, strict=True)]
    tot = sum(joint, Fraction(0))
    if tot == 0:
        raise InputError("prompt has probability 0 under the model: its conditionals are undefined")
    return tuple(j / tot for j in joint)


def posterior(model: Mixture, seq: Iterable[int], *, exact: bool = False
              ) -> np.ndarray | tuple[Fraction, ...]:
    """Posterior persona weights after the prompt: ``w_phi P_phi(seq) / P(seq)``."""
    s = _seq(model, seq)
    return _posterior_q(model, s) if exact else _posterior_f(model, s)


def next_distribution(model: Mixture, seq: Iterable[int], *, exact: bool = False
                      ) -> np.ndarray | tuple[Fraction, ...]:
    """``P(.|seq)``: the posterior-weighted next-sentence distributions of the personas."""
    s = _seq(model, seq)
    last = int(s[-1]) if len(s) else None
    if not exact:
        return _posterior_f(model, s) @ model.rows(last)
    post = _posterior_q(model, s)
    rows = [p.pi_q if last is None else p.T_q[last] for p in model.personas]  # type: ignore[index]
    return tuple(sum((w * r[j] for w, r in zip(post, rows, strict=True)), Fraction(0))
                 for j in range(model.K))


def component_behaviors(model: Mixture, seq: Iterable[int], *, exact: bool = False
                        ) -> np.ndarray | tuple[Fraction, ...]:
    """``B_{P_phi}(seq)`` for every persona (by the Markov property, a function of the last sentence)."""
    s = _seq(model, seq)
    last = int(s[-1]) if len(s) else None
    if not exact:
        return np.array(model.ctx_behavior[:, 0 if last is None else last + 1])
    _need_exact(model)
    assert model.score_q is not None
    out = []
    for p in model.personas:
        row = p.pi_q if last is None else p.T_q[last]  # type: ignore[index]
        out.append(sum((a * b for a, b in zip(row, model.score_q, strict=True)), Fraction(0)))
    return tuple(out)


def behavior(model: Mixture, seq: Iterable[int], *, exact: bool = False) -> Number:
    """``B_P(seq) = E_{s ~ P(.|seq)}[B(s)] = sum_phi posterior_phi * B_{P_phi}(seq)``."""
    s = _seq(model, seq)
    if not exact:
        ctx = 0 if len(s) == 0 else int(s[-1]) + 1
        return float(_posterior_f(model, s) @ model.ctx_behavior[:, ctx])
    post = _posterior_q(model, s)
    comp = component_behaviors(model, s, exact=True)
    return sum((w * b for w, b in zip(post, comp, strict=True)), Fraction(0))


def behavior_trajectory(model: Mixture, seq: Iterable[int]) -> np.ndarray:
    """``B_P`` after every prefix of the prompt: entry ``t`` is ``B_P(seq[:t])``, ``t = 0..n``.

    Prefixes of probability 0 give ``nan``.
    """
    return _trajectory(model, _seq(model, seq))[1]


def _trajectory(model: Mixture, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``log P_phi`` of every prefix (personas x (n+1)) and ``B_P`` after every prefix."""
    n = len(s)
    lp = np.zeros((model.n_personas, n + 1))
    if n:
        with np.errstate(divide="ignore"):
            steps = np.empty((model.n_personas, n))
            steps[:, 0] = np.log(model.pi_all[:, s[0]])
            if n > 1:
                if model.T_all is not None:
                    steps[:, 1:] = np.log(model.T_all[:, s[:-1], s[1:]])
                else:
                    for i, p in enumerate(model.personas):
                        steps[i, 1:] = np.log(p.T[s[:-1], s[1:]])
        lp[:, 1:] = np.cumsum(steps, axis=1)
    a = model.log_weights[:, None] + lp
    top = a.max(axis=0)
    ok = np.isfinite(top)
    with np.errstate(invalid="ignore"):
        e = np.exp(a - np.where(ok, top, 0.0))
        post = e / e.sum(axis=0)
    ctx = np.concatenate([[0], s + 1])
    out = np.sum(post * model.ctx_behavior[:, ctx], axis=0)
    out[~ok] = np.nan
    return lp, out


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


def _context_rows_f(p: Persona) -> np.ndarray:
    return np.vstack([p.pi[None, :], p.T])


def _context_rows_q(p: Persona) -> list[tuple[Fraction, ...]]:
    assert p.pi_q is not None and p.T_q is not None
    return [p.pi_q, *p.T_q]


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


# ------------------------------------------------------------------------------- adversaries


@dataclass(frozen=True)
class GreedyPrompt:
    """The greedy prompt of Appendices A/D.1 and its log-likelihood ratios.

    ``gains[k]``: ``log P-(q_k|ctx)/P+(q_k|ctx)`` of the k-th chosen sentence;
    ``start_log_ratio``: ``M_0 = log P-(s0)/P+(s0)``; ``log_ratio``: ``M_n`` for ``s0 ⊕ prompt``.
    """

    sentences: tuple[int, ...]
    gains: tuple[float, ...]
    start_log_ratio: float
    log_ratio: float


class _Pair:
    """Fast tables for a two-persona split (one persona per part): everything per context."""

    def __init__(self, model: Mixture, bad: int | Iterable[int]) -> None:
        b, g = _split_pair(model, bad)
        self.model = model
        self.bad, self.good = b, g
        alpha = float(model.weights[b])
        if alpha <= 0:
            raise InputError("the bad persona has prior 0: no prompt can raise it (alpha = 0)")
        self.la = math.log(alpha) - math.log1p(-alpha) if alpha < 1 else math.inf
        pm, pp = model.personas[b], model.personas[g]
        self.rows_m = _context_rows_f(pm)
        self.rows_p = _context_rows_f(pp)
        with np.errstate(divide="ignore", invalid="ignore"):
            self.lr = np.log(self.rows_m) - np.log(self.rows_p)  # (K+1, K)
        self.lr_l: list[list[float]] = self.lr.tolist()
        self.bm: list[float] = model.ctx_behavior[b].tolist()
        self.bp: list[float] = model.ctx_behavior[g].tolist()
        self.cum_m = _cum_lists(self.rows_m)
        self.cum_p = _cum_lists(self.rows_p)
        self._tables: dict[tuple[str, float | None], tuple[list[int], list[float]]] = {}

    def behavior(self, M: float, ctx: int) -> float:
        w = _sigmoid(M + self.la)
        return w * self.bm[ctx] + (1.0 - w) * self.bp[ctx]

    def table(self, rule: str, beta: float | None, toward: str = "bad"
              ) -> tuple[list[int], list[float]]:
        """Per context: the sentence the greedy user writes and its log ratio (P-/P+)."""
        key = (rule + toward, beta)
        if key in self._tables:
            return self._tables[key]
        support = (self.rows_m if toward == "bad" else self.rows_p) > 0
        lr = self.lr if toward == "bad" else -self.lr
        if rule == "argmax":
            masked = np.where(support, lr, -np.inf)
            choice = np.argmax(masked, axis=1)
        else:
            assert beta is not None
            ok = support & (lr >= beta)
            bad_ctx = np.flatnonzero(~ok.any(axis=1))
            if bad_ctx.size:
                raise InputError(f"rule='weakest': no sentence with log ratio >= beta = {beta:g} "
                                 f"at context {int(bad_ctx[0])}: the split is not "
                                 "beta-distinguishable there")
            choice = np.argmin(np.where(ok, lr, np.inf), axis=1)
        ctxs = np.arange(len(choice))
        out = (choice.tolist(), self.lr[ctxs, choice].tolist())
        self._tables[key] = out
        return out

    def greedy(self, n: int, ctx: int, M: float, table: tuple[list[int], list[float]]
               ) -> tuple[list[int], float, int]:
        choice, gain = table
        sents = []
        for _ in range(n):
            s = choice[ctx]
            M += gain[ctx]
            sents.append(s)
            ctx = s + 1
        return sents, M, ctx

    def sample_model(self, M: float, ctx: int, rng: np.random.Generator) -> int:
        """A sentence from ``P(.|h) = w P-(.|ctx) + (1-w) P+(.|ctx)``, ``w = sigmoid(M + la)``."""
        w = _sigmoid(M + self.la)
        u, v = rng.random(2)
        cum = self.cum_m if u < w else self.cum_p
        return bisect.bisect_left(cum[ctx], 1.0 - v)

    def sample_part(self, part: str, ctx: int, rng: np.random.Generator) -> int:
        cum = self.cum_m if part == "bad" else self.cum_p
        return bisect.bisect_left(cum[ctx], 1.0 - rng.random())


def _cum_lists(rows: np.ndarray) -> list[list[float]]:
    """Cumulative rows for inverse-CDF sampling with ``u`` in (0, 1]: never picks a 0-mass entry."""
    cum = np.cumsum(rows, axis=1)
    for r in range(rows.shape[0]):
        last = int(np.flatnonzero(rows[r] > 0)[-1])
        cum[r, last:] = 1.0
    return cum.tolist()


def _rng(seed: int | np.random.Generator | None) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer)
                             or seed < 0):
        raise InputError(f"seed = {seed!r} must be a non-negative integer or a numpy Generator")
    return np.random.default_rng(seed)


def _check_n(name: str, n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
        raise InputError(f"{name} = {n!r} must be a non-negative integer")
    return int(n)


def _check_rule(rule: str) -> None:
    if rule not in ("argmax", "weakest"):
        raise InputError(f"rule = {rule!r}: expected 'argmax' or 'weakest'")


def greedy_prompt(model: Mixture, bad: int | Iterable[int], n: int, *,
                  start: Iterable[int] = (), rule: Literal["argmax", "weakest"] = "argmax",
                  beta: float | None = None) -> GreedyPrompt:
    """The sentence-by-sentence adversary of Appendices A and D.1, after an initial prompt ``start``.

    Each step appends a sentence ``s`` with ``P-(s|ctx) > 0`` chosen by ``rule``: ``"argmax"``
    maximises ``log P-(s|ctx)/P+(s|ctx)`` (ties: the smallest index); ``"weakest"`` takes the
    smallest log ratio that is still ``>= beta`` -- the least the proof allows (``beta``
    defaults to the measured beta of a one-persona-per-part split).  ``P-``/``P+`` are the
    parts' posterior-weighted conditionals, so parts may hold several personas.
    """
    n = _check_n("n", n)
    _check_rule(rule)
    s0 = _seq(model, start)
    mask = _bad_mask(model, bad)
    if mask.sum() == 1 and (~mask).sum() == 1:
        pair = _Pair(model, mask)
        if rule == "weakest" and beta is None:
            beta = distinguishability(model, pair.bad, pair.good)[0]
        lp = _lp(model, s0)
        M0 = float(lp[pair.bad] - lp[pair.good]) if len(s0) else 0.0
        ctx = int(s0[-1]) + 1 if len(s0) else 0
        choice, gain = pair.table(rule, beta)
        sents, gains, M = [], [], M0
        for _ in range(n):
            s = choice[ctx]
            gains.append(gain[ctx])
            M += gain[ctx]
            sents.append(s)
            ctx = s + 1
        return GreedyPrompt(tuple(sents), tuple(gains), M0, M)
    if rule == "weakest" and beta is None:
        raise InputError("rule='weakest' with several personas in a part needs an explicit beta")
    return _greedy_general(model, mask, n, s0, rule, beta)


def _part_log(a: np.ndarray, mask: np.ndarray) -> float:
    return float(_logsumexp(np.where(mask, a, -np.inf)))


def _greedy_general(model: Mixture, mask: np.ndarray, n: int, s0: np.ndarray, rule: str,
                    beta: float | None) -> GreedyPrompt:
    """The greedy adversary for parts that are mixtures (conditionals through posteriors)."""
    lp = _lp(model, s0)
    a = model.log_weights + lp
    # log P-(s0) - log P+(s0): each part's prior-weighted mixture, normalised by its prior
    prior = model.log_weights
    M0 = ((_part_log(a, mask) - _part_log(prior, mask))
          - (_part_log(a, ~mask) - _part_log(prior, ~mask))) if len(s0) else 0.0
    last = int(s0[-1]) if len(s0) else None
    sents: list[int] = []
    gains: list[float] = []
    for _ in range(n):
        a = model.log_weights + lp
        rows = model.rows(last)
        with np.errstate(divide="ignore"):
            lrows = np.log(rows)
        cm = _logsumexp(np.where(mask[:, None], a[:, None] + lrows, -np.inf)) - _part_log(a, mask)
        cp = _logsumexp(np.where(~mask[:, None], a[:, None] + lrows, -np.inf)) - _part_log(a, ~mask)
        with np.errstate(invalid="ignore"):
            lr = cm - cp
        support = np.isfinite(cm)
        if rule == "argmax":
            s = int(np.argmax(np.where(support, lr, -np.inf)))
        else:
            assert beta is not None
            ok = support & (lr >= beta)
            if not ok.any():
                raise InputError(f"rule='weakest': no sentence with log ratio >= beta = {beta:g} "
                                 f"after {len(sents)} sentences")
            s = int(np.argmin(np.where(ok, lr, np.inf)))
        sents.append(s)
        gains.append(float(lr[s]))
        with np.errstate(divide="ignore"):
            lp = lp + lrows[:, s]
        last = s
    M = M0 + sum(gains)
    return GreedyPrompt(tuple(sents), tuple(gains), M0, M)


@dataclass(frozen=True)
class Conversation:
    """A Theorem 3 conversation ``q1 ⊕ a1 ⊕ ... ⊕ q_t ⊕ a_t``.

    ``behaviors[t]``: ``B_P`` after the t-th model reply; ``log_ratios[t]``: ``log P-/P+`` then.
    """

    sentences: tuple[int, ...]
    roles: tuple[str, ...]
    behaviors: tuple[float, ...]
    log_ratios: tuple[float, ...]

    @property
    def user_sentences(self) -> int:
        return sum(r == "user" for r in self.roles)


def conversation(model: Mixture, bad: int | Iterable[int], q: int, turns: int, *,
                 seed: int | np.random.Generator | None = None,
                 rule: Literal["argmax", "weakest"] = "argmax") -> Conversation:
    """Theorem 3's adversarial conversation on a two-persona split.

    Each turn the user appends ``q`` greedy sentences (``greedy_prompt``'s rule, continuing
    from the current context) and the model replies with one sentence sampled from
    ``P(.|history)`` with the numpy Generator (or seed) ``seed``.
    """
    q = _check_n("q", q)
    turns = _check_n("turns", turns)
    _check_rule(rule)
    pair = _Pair(model, bad)
    rng = _rng(seed)
    beta = distinguishability(model, pair.bad, pair.good)[0] if rule == "weakest" else None
    table = pair.table(rule, beta)
    return _conversation(pair, q, turns, rng, table)


def _conversation(pair: _Pair, q: int, turns: int, rng: np.random.Generator,
                  table: tuple[list[int], list[float]]) -> Conversation:
    sents: list[int] = []
    roles: list[str] = []
    behs: list[float] = []
    lrs: list[float] = []
    M, ctx = 0.0, 0
    for _ in range(turns):
        user, M, ctx = pair.greedy(q, ctx, M, table)
        sents += user
        roles += ["user"] * q
        a = pair.sample_model(M, ctx, rng)
        M += pair.lr_l[ctx][a]
        ctx = a + 1
        sents.append(a)
        roles.append("model")
        behs.append(pair.behavior(M, ctx))
        lrs.append(M)
    return Conversation(tuple(sents), tuple(roles), tuple(behs), tuple(lrs))


@dataclass(frozen=True)
class Continuation:
    """Proposition 1: ``s0`` then ``a1 ⊕ q1 ⊕ a2 ⊕ ...``; ``behaviors[t] = B_P(s0 ⊕ first t sentences)``."""

    sentences: tuple[int, ...]
    roles: tuple[str, ...]
    behaviors: tuple[float, ...]
    log_ratios: tuple[float, ...]


def continuation(model: Mixture, bad: int | Iterable[int], s0: Iterable[int], length: int, *,
                 seed: int | np.random.Generator | None = None,
                 user: Literal["realign", "sample"] = "realign") -> Continuation:
    """The conversation after a misaligning prompt ``s0`` (Proposition 1), on a two-persona split.

    Model sentences are sampled from ``P(.|history)``; user sentences either try to realign
    (``"realign"``: the argmax of ``log P+(s|ctx)/P-(s|ctx)``, the worst case for the
    proposition) or are sampled from ``P+(.|ctx)`` (``"sample"``).
    """
    length = _check_n("length", length)
    if user not in ("realign", "sample"):
        raise InputError(f"user = {user!r}: expected 'realign' or 'sample'")
    pair = _Pair(model, bad)
    s = _seq(model, s0)
    lp = _lp(model, s)
    M = float(lp[pair.bad] - lp[pair.good])
    ctx = int(s[-1]) + 1 if len(s) else 0
    return _continuation(pair, M, ctx, length, _rng(seed), user)


def _continuation(pair: _Pair, M: float, ctx: int, length: int, rng: np.random.Generator,
                  user: str) -> Continuation:
    realign = pair.table("argmax", None, toward="good")[0] if user == "realign" else None
    sents: list[int] = []
    roles: list[str] = []
    behs = [pair.behavior(M, ctx)]
    lrs = [M]
    for t in range(length):
        if t % 2 == 0:
            s = pair.sample_model(M, ctx, rng)
            roles.append("model")
        else:
            s = realign[ctx] if realign is not None else pair.sample_part("good", ctx, rng)
            roles.append("user")
        M += pair.lr_l[ctx][s]
        ctx = s + 1
        sents.append(s)
        behs.append(pair.behavior(M, ctx))
        lrs.append(M)
    return Continuation(tuple(sents), tuple(roles), tuple(behs), tuple(lrs))


@dataclass(frozen=True)
class PersonaPrompt:
    """Lemma 1's prompts sampled from the target persona.

    ``max_log_ratios[r]``: ``max_{phi != target} log P_phi(s^r)/P_target(s^r)`` for try ``r``;
    ``behaviors[r]``: ``B_P(s^r)``; ``sentences``: the try with the smallest max log ratio.
    """

    sentences: tuple[int, ...]
    max_log_ratios: np.ndarray
    behaviors: np.ndarray


def persona_prompt(model: Mixture, target: int, n: int, *,
                   seed: int | np.random.Generator | None = None, tries: int = 1
                   ) -> PersonaPrompt:
    """Sample ``tries`` prompts of ``n`` sentences from persona ``target`` (Lemma 1's probabilistic method)."""
    t = _persona_index(model, target, "target")
    n = _check_n("n", n)
    tries = _check_n("tries", tries)
    if tries == 0:
        raise InputError("tries must be at least 1")
    if model.n_personas < 2:
        raise InputError("persona_prompt needs at least two personas")
    rng = _rng(seed)
    cum = _cum_lists(_context_rows_f(model.personas[t]))
    paths = np.array([_sample_path(cum, n, rng) for _ in range(tries)],
                     dtype=np.intp).reshape(tries, n)
    ratios = np.empty(tries)
    behs = np.empty(tries)
    others = np.arange(model.n_personas) != t
    for r in range(tries):
        lp = _lp(model, paths[r])
        ratios[r] = float(np.max(lp[others] - lp[t]))
        behs[r] = behavior(model, paths[r])
    best = int(np.argmin(ratios))
    return PersonaPrompt(tuple(paths[best].tolist()), ratios, behs)


def _sample_path(cum: list[list[float]], n: int, rng: np.random.Generator,
                 ctx: int = 0) -> list[int]:
    """``n`` sentences of a Markov chain from context ``ctx`` (cumulative rows from ``_cum_lists``)."""
    out = []
    bl = bisect.bisect_left
    for u in (1.0 - rng.random(n)).tolist():
        s = bl(cum[ctx], u)
        out.append(s)
        ctx = s + 1
    return out


def persona_greedy_prompt(model: Mixture, target: int, n: int, start: Iterable[int] = (), *,
                          stop_below: float | None = None) -> tuple[tuple[int, ...], np.ndarray]:
    """A greedy persona-invoking prompt: each sentence maximises the target's posterior.

    Returns the sentences and ``B_P`` after each prefix (``n + 1`` values, index 0 = ``start``);
    with ``stop_below`` it stops early, at the first prefix with ``B_P < stop_below``.
    """
    t = _persona_index(model, target, "target")
    n = _check_n("n", n)
    s0 = _seq(model, start)
    a = model.log_weights + _lp(model, s0)
    last = int(s0[-1]) if len(s0) else None
    sents: list[int] = []
    behs = [float(_softmax(a) @ model.ctx_behavior[:, 0 if last is None else last + 1])]
    for _ in range(n):
        if stop_below is not None and behs[-1] < stop_below:
            break
        with np.errstate(divide="ignore"):
            cand = a[:, None] + np.log(model.rows(last))  # (personas, K)
        score = cand[t] - _logsumexp(cand)
        score = np.where(np.isfinite(cand[t]), score, -np.inf)
        s = int(np.argmax(score))
        a = cand[:, s]
        last = s
        sents.append(s)
        behs.append(float(_softmax(a) @ model.ctx_behavior[:, s + 1]))
    return tuple(sents), np.array(behs)


def _softmax(a: np.ndarray) -> np.ndarray:
    e = np.exp(a - a.max())
    return e / e.sum()


# ---------------------------------------------------------------------------- exhaustive search


def exhaustive_min_behavior(model: Mixture, n: int) -> tuple[float, tuple[int, ...]]:
    """The smallest ``B_P(s*)`` over *all* prompts of exactly ``n`` sentences (brute force).

    Only prompts of positive probability count.  Limited to ``K**n <= 200000`` prompts.
    """
    n = _check_n("n", n)
    if model.K ** n > _ENUM_LIMIT:
        raise InputError(f"exhaustive search over {model.K}**{n} prompts is too large "
                         f"(limit {_ENUM_LIMIT}); use min_behavior_by_length")
    if n == 0:
        return behavior(model, ()), ()
    prompts = np.indices((model.K,) * n).reshape(n, -1).T  # (K**n, n)
    with np.errstate(divide="ignore"):
        lp = np.log(model.pi_all[:, prompts[:, 0]])  # (personas, N)
        for k in range(1, n):
            lp = lp + np.log(np.stack([p.T[prompts[:, k - 1], prompts[:, k]]
                                       for p in model.personas]))
    a = model.log_weights[:, None] + lp
    top = a.max(axis=0)
    ok = np.isfinite(top)
    e = np.exp(a[:, ok] - top[ok])
    post = e / e.sum(axis=0)
    beh = np.sum(post * model.ctx_behavior[:, prompts[ok, -1] + 1], axis=0)
    j = int(np.argmin(beh))
    return float(beh[j]), tuple(int(x) for x in prompts[ok][j])


def min_behavior_by_length(model: Mixture, bad: int | Iterable[int], n_max: int) -> np.ndarray:
    """``min_{|s*| = n} B_P(s*)`` for ``n = 0..n_max`` on a two-persona split, by dynamic programming.

    ``B_P(s*) = f_last(M)`` with ``M = log P-(s*)/P+(s*)`` and ``f_last`` monotone in ``M``, so
    the minimum over prompts ending in ``last`` is attained at the largest or the smallest ``M``
    among them (Viterbi).  Needs strictly positive ``pi`` and ``T`` in both personas.
    """
    n_max = _check_n("n_max", n_max)
    pair = _Pair(model, bad)
    if not (np.all(pair.rows_m > 0) and np.all(pair.rows_p > 0)):
        raise InputError("min_behavior_by_length needs strictly positive pi and T in both personas")
    lr = pair.lr  # (K+1, K)
    bm = np.array(pair.bm[1:])
    bp = np.array(pair.bp[1:])
    out = np.empty(n_max + 1)
    out[0] = pair.behavior(0.0, 0)

    def f(M: np.ndarray) -> np.ndarray:
        w = 0.5 * (1.0 + np.tanh(0.5 * (M + pair.la)))  # a stable sigmoid
        return w * bm + (1.0 - w) * bp

    if n_max == 0:
        return out
    hi = lr[0].copy()
    lo = lr[0].copy()
    out[1] = float(np.min(np.minimum(f(hi), f(lo))))
    step = lr[1:]  # step[j, k]: from last sentence j to k
    for n in range(2, n_max + 1):
        hi = np.max(hi[:, None] + step, axis=0)
        lo = np.min(lo[:, None] + step, axis=0)
        out[n] = float(np.min(np.minimum(f(hi), f(lo))))
    return out


# ------------------------------------------------------------------------------ model builders


def tilt(model: Mixture, eta: float, *, tilt_priors: bool = True) -> Mixture:
    """An alignment-tuning step (Conjecture 1): reweight every next-sentence law by ``exp(eta B)``.

    Each persona's ``pi`` and every row of ``T`` become ``p(s) exp(eta B(s)) / Z``.  With
    ``tilt_priors`` the priors become ``w_phi Z_phi / sum(...)`` with ``Z_phi = sum_s pi_phi(s)
    exp(eta B(s))``: the exact tilt of the joint law of (persona, first sentence), so personas
    that start with badly scored sentences lose prior mass.
    """
    if not (isinstance(eta, int | float | np.floating) and math.isfinite(eta)):
        raise InputError(f"eta = {eta!r} must be a finite number")
    f = np.exp(eta * model.score)
    ps = []
    zs = []
    for p in model.personas:
        pi = p.pi * f
        zs.append(pi.sum())
        T = p.T * f[None, :]
        ps.append(Persona(pi / pi.sum(), T / T.sum(axis=1, keepdims=True), name=p.name))
    w = model.weights * np.array(zs) if tilt_priors else model.weights
    return Mixture(ps, w / w.sum(), model.score)


def worst_case_pair(rho: Number, gamma: Number, alpha: Number, delta: Number = 0) -> Mixture:
    """A planted near-worst case for Theorems 1-3: two sentences, i.i.d. personas (``bad`` = 0).

    Sentence 0 is bad (``B = (gamma - delta)/(1 - delta)``), sentence 1 good (``B = +1``).
    ``P-`` says sentence 0 with probability ``1 - delta``; ``P+`` with probability ``rho``.  With
    ``delta = 0``: ``beta = log(1/rho)``, every greedy step gains exactly ``beta``,
    ``B_{P-} = gamma`` and ``B_{P+} = rho gamma + 1 - rho`` -- far above ``gamma``, so the
    behaviour of the mixture tracks the worst case of Appendix A and the paper's shorter length
    can fail.  Fractions in give an exact model.
    """
    one = Fraction(1) if all(isinstance(x, int | Fraction) for x in (rho, gamma, alpha, delta)) \
        else 1.0
    if not 0 < rho < 1:
        raise InputError(f"rho = {rho} must be in (0, 1)")
    if not 0 <= delta < 1:
        raise InputError(f"delta = {delta} must be in [0, 1)")
    if not 0 < alpha < 1:
        raise InputError(f"alpha = {alpha} must be in (0, 1)")
    _check_gamma(float(gamma))
    b0 = (gamma - delta) / (one - delta)
    if b0 < -1:
        raise InputError(f"gamma = {gamma} and delta = {delta} put the bad score below -1 "
                         "(need gamma >= 2 delta - 1)")
    pm = [one - delta, delta * one]
    pp = [rho * one, one - rho]
    return Mixture([Persona(pm, [pm, pm], name="P-"), Persona(pp, [pp, pp], name="P+")],
                   [alpha * one, one - alpha], [b0, one])
