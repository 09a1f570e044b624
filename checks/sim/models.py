"""Finite Markov-chain persona mixtures and their exact probabilities, posteriors and behaviour B_P.

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
prompt and ``k + 1`` is "last sentence ``k``".
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from fractions import Fraction

import numpy as np

from bebcheck.symbolic.errors import InputError

__all__ = [
    "FLOAT_TOL",
    "Mixture",
    "Number",
    "Persona",
    "behavior",
    "behavior_trajectory",
    "component_behaviors",
    "log_prob",
    "log_prob_components",
    "next_distribution",
    "posterior",
    "prob",
    "tilt",
]

FLOAT_TOL = 1e-9
"""Tolerance on the sums of float probability vectors (Fractions must sum to 1 exactly)."""

_STACK_LIMIT = 4_000_000  # stack the transition matrices when personas * K * K is at most this

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
        ps = _personas(personas)
        K = ps[0].K
        w, weights_q = _priors(weights, len(ps))
        self.weights_q: tuple[Fraction, ...] | None = weights_q
        b, b_q = _scores(score, K)
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


def _personas(personas: object) -> list[Persona]:
    """The personas of a mixture (``(pi, T)`` pairs built), checked to share one alphabet."""
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
    return ps


def _priors(weights: object, n: int) -> tuple[np.ndarray, tuple[Fraction, ...] | None]:
    """The priors as floats (unnormalised) and, when exact, normalised Fractions."""
    w, w_q = _numeric(weights, "priors", 1)
    if w.shape[0] != n:
        raise InputError(f"priors: {w.shape[0]} weights for {n} personas")
    if not np.all(np.isfinite(w)):
        raise InputError("priors: every weight must be finite")
    for i in range(n):
        if (w_q is not None and w_q[i] < 0) or w[i] < 0:
            raise InputError(f"priors: weight {i} is negative ({w_q[i] if w_q is not None else w[i]})")
    weights_q = None
    if w_q is not None:
        tot_q = sum(w_q, Fraction(0))
        if tot_q == 0:
            raise InputError("priors sum to 0: at least one persona needs positive weight")
        weights_q = tuple(x / tot_q for x in w_q)
    if w.sum() <= 0:
        raise InputError("priors sum to 0: at least one persona needs positive weight")
    return w, weights_q


def _scores(score: object, K: int) -> tuple[np.ndarray, np.ndarray | None]:
    """The behaviour score ``B(s)`` of every sentence, checked to lie in ``[-1, 1]``."""
    b, b_q = _numeric(score, "score", 1)
    if b.shape[0] != K:
        raise InputError(f"score has {b.shape[0]} entries, the alphabet has {K} sentences")
    for j in range(K):
        v = b_q[j] if b_q is not None else b[j]
        if not (math.isfinite(b[j]) and -1 <= v <= 1):
            raise InputError(f"score[{j}] = {v} is outside [-1, 1]")
    return b, b_q


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
    assert p.pi_q is not None
    assert p.T_q is not None
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


def _context_rows_f(p: Persona) -> np.ndarray:
    """The next-sentence law of every context: row 0 is ``pi``, row ``k + 1`` is ``T[k]``."""
    return np.vstack([p.pi[None, :], p.T])


def _context_rows_q(p: Persona) -> list[tuple[Fraction, ...]]:
    """``_context_rows_f`` in Fractions (exact personas only)."""
    assert p.pi_q is not None
    assert p.T_q is not None
    return [p.pi_q, *p.T_q]


# ------------------------------------------------------------------------------- model builder


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

