"""Benchmarks for the Markov persona simulator (run by hand).

    python benchmarks/bench_simulator.py [--models 10000] [--repeat 20]

1. Exact B_P (float64 log-space path) after a prompt of 1,000 sentences, alphabet of 1,000
   sentences, 16 personas (target < 0.1 s); also log P, the posterior, the whole B_P
   trajectory, and the Fraction path on a small model for reference.
2. Each experiment of ``bebcheck simulate`` on ``--models`` random models (target < 60 s per
   theorem); corollary1 draws at most 40 models per level whatever ``--models`` says.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from fractions import Fraction

import numpy as np

from bebcheck.checks import sim as S

__all__ = ["big_model", "main", "timed"]


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and min wall time of ``repeat`` calls."""
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts), min(ts)


def big_model(K: int = 1000, personas: int = 16, seed: int = 0) -> S.Mixture:
    rng = np.random.default_rng(seed)
    ps = [S.Persona(rng.dirichlet(np.ones(K)), rng.dirichlet(np.ones(K), size=K),
                    name=f"persona {i}") for i in range(personas)]
    return S.Mixture(ps, rng.dirichlet(np.ones(personas)), rng.uniform(-1, 1, K))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()

    t0 = time.perf_counter()
    m = big_model()
    print(f"build K=1000, 16 personas (validation included): {time.perf_counter() - t0:.2f} s")
    prompt = np.random.default_rng(1).integers(0, 1000, 1000)
    checks: list[tuple[str, Callable[[], object]]] = [
        ("B_P(prompt), 1000 sentences", lambda: S.behavior(m, prompt)),
        ("log P(prompt) (mixture)", lambda: S.log_prob(m, prompt)),
        ("posterior weights", lambda: S.posterior(m, prompt)),
        ("B_P after every prefix (trajectory)", lambda: S.behavior_trajectory(m, prompt)),
    ]
    for label, fn in checks:
        med, best = timed(fn, args.repeat)
        flag = "OK" if med < 0.1 else "SLOW"
        print(f"  {label:40s} median {med * 1e3:8.3f} ms  min {best * 1e3:8.3f} ms  [{flag}]")
    print(f"  B_P = {S.behavior(m, prompt):.12f}")

    # the exact (Fraction) path, for scale: K=20, 4 personas, 200 sentences, small denominators
    rng = np.random.default_rng(2)

    def frac_row(k: int) -> list[Fraction]:
        w = rng.integers(1, 10, k)
        return [Fraction(int(x), int(w.sum())) for x in w]

    ps = [S.Persona(frac_row(20), [frac_row(20) for _ in range(20)]) for _ in range(4)]
    mq = S.Mixture(ps, [Fraction(1, 4)] * 4, [Fraction(int(x), 10) for x in rng.integers(-10, 11, 20)])
    pq = [int(x) for x in rng.integers(0, 20, 200)]
    med, _ = timed(lambda: S.behavior(mq, pq, exact=True), 3)
    exact_v = S.behavior(mq, pq, exact=True)
    print(f"  exact Fraction B_P (K=20, 4 personas, 200 sentences): {med * 1e3:.1f} ms; "
          f"float path differs by {abs(float(exact_v) - S.behavior(mq, pq)):.2e}")

    print(f"\nexperiments on {args.models} random models each:")
    for name, fn in S.EXPERIMENTS.items():
        t0 = time.perf_counter()
        res = fn(seed=0, models=args.models)
        dt = time.perf_counter() - t0
        flag = "OK" if dt < 60 else "SLOW"
        print(f"  {name:13s} {dt:7.2f} s  ({res.models} models, verdict {res.verdict}) [{flag}]")


if __name__ == "__main__":
    main()
