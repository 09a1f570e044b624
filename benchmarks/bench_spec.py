"""Benchmark (by hand): a chain read from a spec file against the same chain written in Python.

    python benchmarks/bench_spec.py [--runs 7]

Runs ``bebcheck check proofs/specs/beb-v1.toml`` and ``bebcheck audit`` of the same results
(cache off), interleaved, process start to exit; reports medians and the ratio (target: the spec
at most 1.2 times the Python encoding), and the time to read the spec file alone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bebcheck.symbolic.spec import load_spec

SPEC = Path(__file__).parent.parent / "proofs" / "specs" / "beb-v1.toml"
CLI = [sys.executable, "-m", "bebcheck.checks.cli"]


def _time(argv: list[str]) -> float:
    env = {**os.environ, "BEBCHECK_NO_CACHE": "1"}
    t0 = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    names = load_spec(SPEC).paper.names()
    spec, python = [], []
    for _ in range(a.runs):
        spec.append(_time([*CLI, "check", str(SPEC)]))
        python.append(_time([*CLI, "audit", *names]))
    t0 = time.perf_counter()
    for _ in range(20):
        load_spec(SPEC)
    read = (time.perf_counter() - t0) / 20
    ms, mp = statistics.median(spec), statistics.median(python)
    print(f"results: {', '.join(names)}")
    print(f"spec file   median {ms:.2f} s (range {min(spec):.2f}-{max(spec):.2f})")
    print(f"Python      median {mp:.2f} s (range {min(python):.2f}-{max(python):.2f})")
    print(f"ratio {ms / mp:.3f} (target <= 1.2); reading the spec alone {read * 1000:.0f} ms")


if __name__ == "__main__":
    main()
