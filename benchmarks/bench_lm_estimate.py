"""Benchmark of the language-model estimators on SmolLM2 (run by hand; the machine is noisy).

    python benchmarks/bench_lm_estimate.py [--runs 3] [--samples 64] [--model smollm2]

One beta estimate is the issue's unit: one context (the empty prompt), ``--samples`` sentences
sampled from P- and every token of each scored under P- and P+ (three calls to the runner).
Each run draws with its own seed; the report gives every run's time split into sampling and
scoring, the median, and the estimates (mean, std/sqrt(n), bootstrap interval).  The model is
loaded once, before the clock starts (its load time is printed apart).  Target: median <= 30 s.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from bebcheck.checks.lm.estimators import mean_estimate, sentence_log_ratios
from bebcheck.checks.lm.experiments import Lab
from bebcheck.checks.lm.model import load
from bebcheck.checks.lm.personas import load_behaviour


def one_estimate(lab: Lab, samples: int) -> tuple[dict[str, float], float, float]:
    t0 = time.perf_counter()
    sents = lab.sentences("negative", [], samples)
    t1 = time.perf_counter()
    lp_neg = lab.score("negative", [], sents)
    lp_pos = lab.score("positive", [], sents)
    t2 = time.perf_counter()
    est = mean_estimate(sentence_log_ratios(lp_neg, lp_pos), 0).as_dict()
    est["tokens"] = float(np.mean([len(s) for s in sents]))
    return est, t1 - t0, t2 - t1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--samples", type=int, default=64)
    ap.add_argument("--model", default="smollm2")
    args = ap.parse_args()
    t0 = time.perf_counter()
    model = load(args.model)
    print(f"load {args.model}: {time.perf_counter() - t0:.1f} s")
    beh = load_behaviour()
    totals = []
    for seed in range(args.runs):
        lab = Lab(model, beh, np.random.default_rng([seed, 100]))
        est, sample_s, score_s = one_estimate(lab, args.samples)
        totals.append(sample_s + score_s)
        lo, hi = est["ci95"]
        print(f"run {seed}: {sample_s + score_s:6.1f} s (sampling {sample_s:.1f} s, scoring "
              f"{score_s:.1f} s); beta = {est['value']:.3f} +- {est['se']:.3f} "
              f"[{lo:.3f}, {hi:.3f}] nats/sentence, {est['tokens']:.1f} tokens/sentence")
    med = statistics.median(totals)
    print(f"median of {args.runs}: {med:.1f} s per beta estimate ({args.samples} sentences); "
          f"target 30 s: {'met' if med <= 30 else 'MISSED'}")


if __name__ == "__main__":
    main()
