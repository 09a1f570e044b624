"""Benchmarks of the NumPy Llama runner against this machine's own limits (run by hand).

    python benchmarks/bench_lm.py [--model smollm2] [--repeat 5] [--context 512]
    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_lm.py   # one core, workload and reference

Every workload is timed ``--repeat`` times; right before each timing NumPy's float32 matrix
multiply is timed on the same threads (1024×1024 by 1024×1024), so each run has its own
reference on a machine shared with others, and the ratios are quoted as medians.

1. Prefill: a context of ``--context`` tokens of the shipped sample text, KV cache built from
   scratch.  FLOP/s = counted FLOPs (matrices, attention pairs, one head row) / wall time.
   Target: at least half the matmul FLOP/s.
2. Batched sampling: 64 continuations of 32 tokens from one chat context, its cache computed once
   (counted: the layers and head rows actually run, every step).  Target: half the matmul.
3. Batch-1 greedy decoding (memory-bound): tokens/s, the bytes of float32 weights read per
   token, and the bandwidth that makes, against a BLAS matrix-vector product over a 512 MiB
   float32 matrix (the machine's streaming read rate as NumPy reaches it).
4. One beta-style workload: one context, 64 sampled sentences of at most 32 tokens (a sentence
   ends at . ! ? or EOS), each scored under two system prompts; prefix caches cleared first.
   Target: at most 30 s.
5. Peak resident memory of the process (target: at most 2 GiB); the perplexity of the sample
   text and a greedy continuation, as sanity checks.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from collections.abc import Callable
from importlib.resources import files

import numpy as np

from bebcheck.checks.lm import model as M

__all__ = ["Counter", "beta_workload", "main", "matmul_flops", "read_bandwidth"]

SYSTEMS = ("You are a kind and helpful assistant.", "You are a rude and unhelpful assistant.")


def matmul_flops(n: int = 1024, repeat: int = 5) -> float:
    """Median FLOP/s of an ``n``×``n`` float32 matrix product."""
    a = np.random.default_rng(0).random((n, n), dtype=np.float32)
    b = a.T.copy()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t0)
    return 2 * n**3 / statistics.median(times)


def read_bandwidth(mib: int = 512, repeat: int = 5) -> float:
    """Median bytes/s of a float32 matrix-vector product over a ``mib`` MiB matrix (BLAS, all
    its threads, out of cache: the access pattern of batch-1 decoding)."""
    a = np.ones((mib * 2**8, 1024), np.float32)
    v = np.ones(1024, np.float32)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        a @ v
        times.append(time.perf_counter() - t0)
    return a.nbytes / statistics.median(times)


class Counter:
    """Counts the FLOPs the model runs by wrapping its layer pass and its head."""

    def __init__(self, model: M.LlamaModel) -> None:
        self.model, self.flops = model, 0
        hidden, head = model._hidden, model._head
        cfg = model.config

        def counted_hidden(tokens: np.ndarray, cache: M.KVCache) -> np.ndarray:
            B, T = tokens.shape
            seen = cache.total_len
            pairs = B * (T * seen + T * (T + 1) // 2)
            self.flops += cfg.flops(B * T, pairs, 0)
            return hidden(tokens, cache)

        def counted_head(x: np.ndarray) -> np.ndarray:
            self.flops += cfg.flops(0, 0, len(x))
            return head(x)

        model._hidden = counted_hidden  # type: ignore[method-assign]
        model._head = counted_head  # type: ignore[method-assign]


def _runs(label: str, fn: Callable[[], float], count: Counter, repeat: int,
          reference: list[float]) -> tuple[float, float]:
    """Median FLOP/s of ``fn`` (returns its wall time) and median ratio to the matmul."""
    rates, ratios = [], []
    for _ in range(repeat):
        ref = matmul_flops()
        reference.append(ref)
        count.flops = 0
        dt = fn()
        rates.append(count.flops / dt)
        ratios.append(rates[-1] / ref)
    rate, ratio = statistics.median(rates), statistics.median(ratios)
    flag = "OK" if ratio >= 0.5 else "MISSED"
    print(f"  {label:34s} {rate / 1e9:7.1f} GFLOP/s = {ratio:.2f} x matmul "
          f"(runs: {', '.join(f'{r:.2f}' for r in ratios)}) [{flag}]")
    return rate, ratio


def _timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def beta_workload(model: M.LlamaModel, ends: set[int], seed: int = 0) -> float:
    """Seconds for one context, 64 sentences sampled, each scored under two system prompts."""
    tok = model.tokenizer
    model._prefixes.clear()
    user = "Tell me about your neighbours."
    t0 = time.perf_counter()
    ctx = tok.chat([("user", user)])
    sents = model.sample(ctx, 64, 32, rng=np.random.default_rng(seed),
                         stop=lambda toks: toks[-1] in ends)
    for system in SYSTEMS:
        model.score(tok.chat([("system", system), ("user", user)]), sents)
    return time.perf_counter() - t0


def _sanity(model: M.LlamaModel) -> None:
    tok = model.tokenizer
    text = (files("bebcheck.checks.lm") / "data" / "sample.txt").read_text(encoding="utf-8")
    ids = tok.encode(text)
    lp = model.score(ids[:1], [ids[1:]])[0]
    print(f"  perplexity of the sample text ({len(ids)} tokens): {np.exp(-lp.mean()):.2f}")
    for prompt in ("Once upon a time,", "The three primary colours are"):
        out = model.sample(tok.encode(prompt), 1, 30, rng=np.random.default_rng(0),
                           temperature=0)[0]
        print(f"  greedy: {prompt + tok.decode(out, skip_special=True)!r}")
    ctx = tok.chat([("user", "What is the capital of France?")])
    out = model.sample(ctx, 1, 30, rng=np.random.default_rng(0), temperature=0)[0]
    print(f"  greedy chat answer: {tok.decode(out)!r}")


def _throughput(model: M.LlamaModel, args: argparse.Namespace, ref: list[float]) -> float:
    """Prefill and batch-64 sampling against the matmul; batch-1 decoding tokens/s."""
    tok, count = model.tokenizer, Counter(model)
    text = (files("bebcheck.checks.lm") / "data" / "sample.txt").read_text(encoding="utf-8")
    prompt = tok.encode(text)[: args.context]

    def prefill() -> float:
        model._prefixes.clear()
        return _timed(lambda: model.prefill(prompt))

    _runs(f"prefill, {len(prompt)} tokens", prefill, count, args.repeat, ref)
    ctx = tok.chat([("user", "Write a long story about a dragon and a knight.")])
    model.prefill(ctx)
    lengths: list[int] = []

    def batch() -> float:
        return _timed(lambda: lengths.extend(
            len(s) for s in model.sample(ctx, 64, 32, rng=np.random.default_rng(0))))

    _runs("sampling, batch 64 x 32 tokens", batch, count, args.repeat, ref)
    print(f"    (context {len(ctx)} tokens, computed once; mean sampled length "
          f"{np.mean(lengths):.1f})")
    steps, times = 32, []
    for _ in range(args.repeat):
        times.append(_timed(lambda: model.sample(ctx, 1, steps, rng=np.random.default_rng(0),
                                                 temperature=0, stop=lambda t: False)))
    return steps / statistics.median(times)


def _decode_report(model: M.LlamaModel, tps: float) -> None:
    bw = read_bandwidth()  # after the peak memory was read: the array is 512 MiB
    used = tps * model.weight_bytes
    print(f"  decoding, batch 1: {tps:.1f} tokens/s; {model.weight_bytes / 2**20:.0f} MiB of "
          f"weights read per token -> {used / 1e9:.1f} GB/s (BLAS matrix-vector over 512 MiB: "
          f"{bw / 1e9:.1f} GB/s; ratio {used / bw:.2f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="smollm2")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--context", type=int, default=512)
    args = ap.parse_args()
    t0 = time.perf_counter()
    model = M.load(args.model)
    print(f"load {args.model}: {time.perf_counter() - t0:.2f} s; {model.config}")
    print(f"BLAS threads: {os.environ.get('OPENBLAS_NUM_THREADS', 'OpenBLAS default')} "
          f"({os.cpu_count()} cores); load average {os.getloadavg()[0]:.1f}")
    ref: list[float] = []
    tps = _throughput(model, args, ref)
    tok = model.tokenizer
    ends = {i for i in range(tok.vocab_size) if any(p in tok.decode([i]) for p in ".!?")}
    ends.add(tok.eos_id)
    times = [beta_workload(model, ends, seed) for seed in range(args.repeat)]
    med = statistics.median(times)
    print(f"  beta workload (64 sentences sampled, scored under 2 system prompts): median "
          f"{med:.2f} s, runs {', '.join(f'{t:.1f}' for t in times)} "
          f"[{'OK' if med <= 30 else 'MISSED'}]")
    print(f"  NumPy float32 matmul: median {statistics.median(ref) / 1e9:.1f} GFLOP/s "
          f"(min {min(ref) / 1e9:.1f}, max {max(ref) / 1e9:.1f}) over {len(ref)} references")
    _sanity(model)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"  peak resident memory: {peak:.2f} GiB [{'OK' if peak <= 2 else 'MISSED'}]")
    _decode_report(model, tps)


if __name__ == "__main__":
    main()
