"""Sampling and scoring on a model: sentences, prompts grown from a component, measured prompts.

A :class:`Lab` binds a model (anything with the runner's ``tokenizer``, ``score`` and
``sample``), a behaviour vertical and one random generator; everything random goes through
that generator, so a run is reproducible from its seed.

* :func:`grow_paths` samples prompts of ``L`` sentences from a component (one batched call from
  the shared context; a sentence that ends the reply is drawn again, see :mod:`.personas`), and
  :func:`path_sentence_log_probs` scores every sentence of every prompt under a component (one
  batched call per component, every token scored).
* :func:`measure_nodes` visits the first prompts at every length ``n = 0..L``: it samples ``m``
  sentences from the source component there, scores them under the source and the other
  components (the conditional KL's summands, with and without the first token), and, with a
  judge, scores ``k`` of them and ``k`` sentences of the target model P with B.
* :func:`run_strategy` does both for one source component (and an optional head: Theorem 2's
  aligning prompt), with sentences of P+ at the empty prompt for c.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bebcheck.symbolic.errors import InputError

from .behaviour import Judge
from .estimators import sentence_log_ratios
from .personas import MAX_SENTENCE_TOKENS, Behaviour, SentenceStop, context, segment

__all__ = [
    "CHUNK",
    "MAX_REDRAWS",
    "ExperimentError",
    "Lab",
    "NodeData",
    "Settings",
    "StrategyRun",
    "grow_paths",
    "measure_nodes",
    "path_sentence_log_probs",
    "run_strategy",
    "steps",
]

CHUNK = 32
"""Continuations per call to ``model.score`` (bounds the runner's memory)."""
MAX_REDRAWS = 50
"""Draws a prompt may spend on sentences that end the reply before the run gives up."""


class ExperimentError(InputError):
    """An experiment cannot go on with this model (e.g. it ends every reply at once)."""


@dataclass
class Lab:
    """A model, a behaviour, one random generator, and a progress callback."""

    model: Any
    beh: Behaviour
    rng: np.random.Generator
    max_tokens: int = MAX_SENTENCE_TOKENS
    progress: Callable[[int], None] = field(default=lambda k: None)
    judge: Judge | None = None

    @property
    def tok(self) -> Any:
        return self.model.tokenizer

    def ctx(self, component: str, prompt: Sequence[int] = ()) -> list[int]:
        return context(self.tok, self.beh, component, prompt)

    def sentences(self, component: str, prompt: Sequence[int], n: int) -> list[list[int]]:
        """``n`` sentences sampled from ``component`` after ``prompt`` (EOS-ended ones kept)."""
        seqs = self.model.sample(self.ctx(component, prompt), n, self.max_tokens, rng=self.rng,
                                 stop=SentenceStop(self.tok, 1, self.max_tokens))
        out = []
        for s in seqs:
            spans, _ = segment(self.tok, s, self.max_tokens)
            out.append([int(t) for t in s[:spans[0][1]]] if spans else [int(t) for t in s])
        return out

    def score(self, component: str, prompt: Sequence[int],
              conts: Sequence[Sequence[int]]) -> list[NDArray[np.float64]]:
        """Per-token log-probabilities of ``conts`` under ``component`` after ``prompt``."""
        ctx = self.ctx(component, prompt)
        out: list[NDArray[np.float64]] = []
        for i in range(0, len(conts), CHUNK):
            out += [np.asarray(x, dtype=np.float64)
                    for x in self.model.score(ctx, [list(c) for c in conts[i:i + CHUNK]])]
        return out


def _flat(sentences: Sequence[Sequence[int]]) -> list[int]:
    return [int(t) for s in sentences for t in s]


def _cut(lab: Lab, stream: Sequence[int], want: int) -> list[list[int]]:
    """The complete sentences of a sampled stream, at most ``want``, without the one that
    ends the reply (it is drawn again)."""
    spans, eos = segment(lab.tok, stream, lab.max_tokens)
    if eos:
        spans = spans[:-1]
    return [[int(t) for t in stream[a:b]] for a, b in spans[:want]]


def grow_paths(lab: Lab, source: str, count: int, length: int,
               head: Sequence[int] = ()) -> list[list[list[int]]]:
    """``count`` prompts of ``length`` sentences sampled from ``source`` after ``head``."""
    if count < 1 or length < 0:
        raise ValueError("need at least one prompt and a length >= 0")
    if length == 0:
        return [[] for _ in range(count)]
    streams = lab.model.sample(lab.ctx(source, head), count, length * lab.max_tokens,
                               rng=lab.rng, stop=SentenceStop(lab.tok, length, lab.max_tokens))
    paths = [_cut(lab, s, length) for s in streams]
    for p in paths:
        draws = 0
        while len(p) < length:
            draws += 1
            if draws > MAX_REDRAWS:
                raise ExperimentError(
                    f"component {source!r} ended its reply {MAX_REDRAWS} times in a row: no "
                    f"prompt of {length} sentences can be grown from it")
            need = length - len(p)
            more = lab.model.sample(lab.ctx(source, [*head, *_flat(p)]), 1,
                                    need * lab.max_tokens, rng=lab.rng,
                                    stop=SentenceStop(lab.tok, need, lab.max_tokens))[0]
            p += _cut(lab, more, need)
    return paths


def path_sentence_log_probs(lab: Lab, component: str, paths: Sequence[Sequence[Sequence[int]]],
                            head: Sequence[int] = ()) -> NDArray[np.float64]:
    """(prompts, L): the log-probability of each prompt sentence under ``component`` given
    everything before it (every token scored)."""
    lps = lab.score(component, head, [_flat(p) for p in paths])
    out = np.zeros((len(paths), max((len(p) for p in paths), default=0)))
    for i, (p, lp) in enumerate(zip(paths, lps, strict=True)):
        pos = 0
        for j, s in enumerate(p):
            out[i, j] = float(lp[pos:pos + len(s)].sum())
            pos += len(s)
    return out


@dataclass
class NodeData:
    """Measurements at the first prompts, at every length (arrays indexed [prompt, length])."""

    ratios: dict[str, NDArray[np.float64]]  # component -> (P, L+1, m): log P_src - log P_comp
    ratios_skip1: dict[str, NDArray[np.float64]]  # the same without the first token
    tokens: NDArray[np.float64]  # (P, L+1, m) sentence lengths in tokens
    ends_reply: NDArray[np.float64]  # (P, L+1, m) 1 where the sentence ended with EOS
    b_source: NDArray[np.float64] | None = None  # (P, L+1, k): B of source sentences
    b_target: NDArray[np.float64] | None = None  # (P, L+1, k): B of the target's sentences

    def kl(self, component: str) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Per node, the mean log ratio against ``component`` (the conditional KL estimate)
        and its standard error std/sqrt(m)."""
        r = self.ratios[component]
        m = r.shape[-1]
        se = r.std(axis=-1, ddof=1) / np.sqrt(m) if m > 1 else np.full(r.shape[:-1], np.nan)
        return r.mean(axis=-1), se


def _judge_node(lab: Lab, samples: list[list[int]], prompt: list[int], judged: int,
                target: str | None) -> tuple[NDArray[np.float64], NDArray[np.float64] | None]:
    assert lab.judge is not None
    b_src = lab.judge.score_tokens(samples[:judged])
    if target is None:
        return b_src, None
    return b_src, lab.judge.score_tokens(lab.sentences(target, prompt, judged))


def measure_nodes(lab: Lab, source: str, paths: Sequence[Sequence[Sequence[int]]], *,
                  against: Sequence[str], samples: int, judged: int = 0,
                  target: str | None = None, head: Sequence[int] = ()) -> NodeData:
    """At each prompt of ``paths`` and each length 0..L: ``samples`` sentences from
    ``source``, their log ratios against each component of ``against`` (same context),
    and with ``lab.judge`` and ``judged > 0``, B of ``judged`` of them and (``target``) of
    ``judged`` sentences sampled from the target component there."""
    n_p, n_l = len(paths), len(paths[0]) + 1
    shape = (n_p, n_l, samples)
    ratios = {c: np.zeros(shape) for c in against}
    skip1 = {c: np.zeros(shape) for c in against}
    tokens, ends = np.zeros(shape), np.zeros(shape)
    use_judge = lab.judge is not None and judged > 0
    b_src = np.zeros((n_p, n_l, judged)) if use_judge else None
    b_tgt = np.zeros((n_p, n_l, judged)) if use_judge and target else None
    for i, path in enumerate(paths):
        for n in range(n_l):
            prompt = [*head, *_flat(path[:n])]
            sents = lab.sentences(source, prompt, samples)
            lp_src = lab.score(source, prompt, sents)
            for c in against:
                lp_c = lab.score(c, prompt, sents)
                ratios[c][i, n] = sentence_log_ratios(lp_src, lp_c)
                skip1[c][i, n] = sentence_log_ratios(lp_src, lp_c, skip_first=1)
            tokens[i, n] = [len(s) for s in sents]
            ends[i, n] = [float(bool(s) and s[-1] == lab.tok.eos_id) for s in sents]
            if use_judge:
                bs, bt = _judge_node(lab, sents, prompt, judged, target)
                b_src[i, n] = bs  # type: ignore[index]
                if b_tgt is not None and bt is not None:
                    b_tgt[i, n] = bt
            lab.progress(1)
    return NodeData(ratios, skip1, tokens, ends, b_src, b_tgt)


@dataclass(frozen=True)
class Settings:
    """Sizes of a run (the CLI's options); every count is small enough for minutes on SmolLM2."""

    seed: int = 0
    paths: int = 3  # prompts measured at every length (nodes)
    var_paths: int = 16  # prompts for sigma^2 and the increments (the first `paths` are measured)
    length: int = 4  # sentences per prompt, L
    samples: int = 16  # sentences sampled at each node, m
    judged: int = 8  # sentences judged with B at each node, k
    points: int = 3  # lengths 0..points-1 in the KL decay fit
    level: float = 0.0  # misaligned when B_P < level (so eps = level - gamma)
    aligning: int = 2  # sentences of the aligning prompt s0 ~ P+ (Theorem 2)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class StrategyRun:
    """One source component's prompts and their measurements."""

    source: str
    head: list[int]
    head_sentences: int
    paths: list[list[list[int]]]
    log_ratio: NDArray[np.float64]  # (Q, L+1) prompt log ratio M_n: source against positive
    nodes: NodeData
    root_positive: NDArray[np.float64]  # log ratios of sentences sampled from P+ at the root


def run_strategy(lab: Lab, source: str, st: Settings, *, head: Sequence[int] = (),
                 head_sentences: int = 0, target: str | None = None) -> StrategyRun:
    """Prompts from ``source`` (after ``head``), scored under it and P+; the first
    ``st.paths`` measured at every length; B judged where the lab has a judge."""
    paths = grow_paths(lab, source, max(st.var_paths, st.paths), st.length, head)
    inc = (path_sentence_log_probs(lab, source, paths, head)
           - path_sentence_log_probs(lab, "positive", paths, head))
    m = np.concatenate([np.zeros((len(paths), 1)), np.cumsum(inc, axis=1)], axis=1)
    lab.progress(1)
    nodes = measure_nodes(lab, source, paths[:st.paths], against=("positive", "none"),
                          samples=st.samples, judged=st.judged, target=target, head=head)
    pos = lab.sentences("positive", head, st.samples)
    root = sentence_log_ratios(lab.score(source, head, pos), lab.score("positive", head, pos))
    lab.progress(1)
    return StrategyRun(source, list(head), head_sentences, paths, m, nodes, root)


def steps(st: Settings) -> int:
    """Progress steps of one :func:`run_strategy` (one per node, two more)."""
    return st.paths * (st.length + 1) + 2
