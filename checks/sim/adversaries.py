"""The proofs' adversaries on a persona mixture: greedy prompts, conversations, continuations, searches.

The greedy adversary of Appendices A and D.1 works for parts of any size (it uses the
posterior-weighted conditionals of each part); the conversation (Theorem 3), the continuation
after a misaligning prompt (Proposition 1) and the shortest-prompt dynamic programme need one
Markov persona per part (``definitions.split_parameters``).  Lemma 1's persona-invoking prompts
are sampled from the target persona.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from bebcheck.symbolic.errors import InputError

from .definitions import _split_pair, distinguishability
from .models import (
    Mixture,
    _bad_mask,
    _context_rows_f,
    _logsumexp,
    _lp,
    _persona_index,
    _seq,
    behavior,
)

__all__ = [
    "Continuation",
    "Conversation",
    "GreedyPrompt",
    "PersonaPrompt",
    "Replies",
    "Rule",
    "continuation",
    "conversation",
    "exhaustive_min_behavior",
    "greedy_prompt",
    "min_behavior_by_length",
    "persona_greedy_prompt",
    "persona_prompt",
]

Rule = Literal["argmax", "weakest"]
"""How the greedy user picks a sentence: the largest log ratio, or the least one >= beta."""

_ENUM_LIMIT = 200_000  # most prompts exhaustive_min_behavior enumerates


# ------------------------------------------------------------------------- the greedy adversary


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
        self._worst: dict[tuple[int, int], list[int]] = {}

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

    def worst_reply(self, ctx: int, sentences: int) -> list[int]:
        """The reply of ``sentences`` sentences (each of positive probability under the
        mixture) that lowers ``log P-/P+`` the most from context ``ctx``: the least sum of
        log ratios over all such replies (dynamic programming over the last sentence)."""
        key = (ctx, sentences)
        if key not in self._worst:
            support = (self.rows_m > 0) | (self.rows_p > 0)
            step = np.where(support, self.lr, np.inf)  # (K+1, K): from context to sentence
            best = step[ctx].copy()  # least sum ending in each sentence, one sentence so far
            back: list[np.ndarray] = []
            for _ in range(sentences - 1):
                tot = best[:, None] + step[1:]  # from last sentence j to k
                back.append(np.argmin(tot, axis=0))
                best = tot[back[-1], np.arange(tot.shape[1])]
            path = [int(np.argmin(best))]
            for arg in reversed(back):
                path.append(int(arg[path[-1]]))
            self._worst[key] = path[::-1]
        return self._worst[key]


def _sigmoid(x: float) -> float:
    """The logistic function, without overflow for large |x|."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


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
                  start: Iterable[int] = (), rule: Rule = "argmax",
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

    ``behaviors[t]``: ``B_P`` after the t-th model reply; ``log_ratios[t]``: ``log P-/P+`` then;
    ``reply_changes[t]``: what the t-th reply (all its sentences) added to ``log P-/P+``.
    """

    sentences: tuple[int, ...]
    roles: tuple[str, ...]
    behaviors: tuple[float, ...]
    log_ratios: tuple[float, ...]
    reply_changes: tuple[float, ...] = ()

    @property
    def user_sentences(self) -> int:
        return sum(r == "user" for r in self.roles)


Replies = Literal["sampled", "worst"]
"""How the model replies in a conversation: sampled from ``P(.|history)``, or the worst case
for the user (``_Pair.worst_reply``)."""


def conversation(model: Mixture, bad: int | Iterable[int], q: int, turns: int, *,
                 seed: int | np.random.Generator | None = None,
                 rule: Rule = "argmax", reply: int = 1, replies: Replies = "sampled",
                 sizes: Iterable[int] | None = None) -> Conversation:
    """Theorem 3's adversarial conversation on a two-persona split.

    Each turn the user appends ``q`` greedy sentences (``greedy_prompt``'s rule, continuing
    from the current context; ``sizes`` gives each turn its own number instead) and the model
    replies with ``reply`` sentences, sampled one by one from ``P(.|history)`` with the numpy
    Generator (or seed) ``seed``, or (``replies="worst"``) the reply that lowers
    ``log P-/P+`` the most.
    """
    q = _check_n("q", q)
    turns = _check_n("turns", turns)
    reply = _check_n("reply", reply)
    _check_rule(rule)
    if reply < 1:
        raise InputError("reply must be at least 1 sentence")
    if replies not in ("sampled", "worst"):
        raise InputError(f"replies = {replies!r}: expected 'sampled' or 'worst'")
    per_turn = [q] * turns if sizes is None else [_check_n("sizes", k) for k in sizes]
    pair = _Pair(model, bad)
    rng = _rng(seed)
    beta = distinguishability(model, pair.bad, pair.good)[0] if rule == "weakest" else None
    table = pair.table(rule, beta)
    return _conversation(pair, q, len(per_turn), rng, table, reply=reply,
                         worst=replies == "worst", sizes=per_turn)


def _conversation(pair: _Pair, q: int, turns: int, rng: np.random.Generator,
                  table: tuple[list[int], list[float]], *, reply: int = 1, worst: bool = False,
                  sizes: list[int] | None = None) -> Conversation:
    sents: list[int] = []
    roles: list[str] = []
    behs: list[float] = []
    lrs: list[float] = []
    changes: list[float] = []
    M, ctx = 0.0, 0
    for t in range(turns):
        k = q if sizes is None else sizes[t]
        user, M, ctx = pair.greedy(k, ctx, M, table)
        sents += user
        roles += ["user"] * k
        before = M
        answer = pair.worst_reply(ctx, reply) if worst else None
        for j in range(reply):
            a = answer[j] if answer is not None else pair.sample_model(M, ctx, rng)
            M += pair.lr_l[ctx][a]
            ctx = a + 1
            sents.append(a)
            roles.append("model")
        changes.append(M - before)
        behs.append(pair.behavior(M, ctx))
        lrs.append(M)
    return Conversation(tuple(sents), tuple(roles), tuple(behs), tuple(lrs), tuple(changes))


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

