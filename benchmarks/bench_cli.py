"""Benchmarks of the CLI as a user runs it (by hand): start-up, cold audits, cached re-audits.

    python benchmarks/bench_cli.py [--runs 5] [--json FILE]

Each command runs as its own process, from start to exit, ``--runs`` times, interleaved (one
round runs every command once) so that the machine's load falls on all of them alike; the
report gives each command's median and range of wall-clock time and its median CPU time
(user + system of the process and its solver workers).  "Cold" runs with the cache off;
"first audit" with the cache on and empty (it also writes the entries).  Targets (issue 12): ``--help`` and
``--version`` at most 0.3 s; a cold audit of the whole paper at most 7 s and of Theorems 1-2
with Lemma B at most 2 s; a re-audit of the whole paper from the proof cache at most 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

CLI = [sys.executable, "-m", "bebcheck.checks.cli"]
T12B = ["theorem1", "theorem2", "lemma_b"]
TARGETS = {"--help": 0.3, "--version": 0.3, "cold audit, whole paper": 7.0,
           "first audit, empty cache (default)": 7.0,
           "cold audit, Theorems 1-2 + Lemma B": 2.0, "cached re-audit, whole paper": 1.0}


def _commands(cache: str) -> dict[str, tuple[list[str], dict[str, str]]]:
    off = {**os.environ, "BEBCHECK_NO_CACHE": "1"}
    on = {k: v for k, v in os.environ.items() if k != "BEBCHECK_NO_CACHE"}
    on["BEBCHECK_CACHE_DIR"] = cache
    return {
        "--help": ([*CLI, "--help"], off),
        "--version": ([*CLI, "--version"], off),
        "cold audit, whole paper": ([*CLI, "audit"], off),
        "first audit, empty cache (default)": ([*CLI, "audit"], {**on, "BEBCHECK_CACHE_DIR": ""}),
        "cold audit, Theorems 1-2 + Lemma B": ([*CLI, "audit", *T12B], off),
        "cached re-audit, whole paper": ([*CLI, "audit"], on),
    }


def _once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    if env.get("BEBCHECK_CACHE_DIR") == "":  # a new, empty cache directory each time
        with tempfile.TemporaryDirectory() as fresh:
            return _once(argv, {**env, "BEBCHECK_CACHE_DIR": fresh})
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", metavar="FILE")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        commands = _commands(cache)
        argv, env = commands["cached re-audit, whole paper"]
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=False)  # fill it
        times: dict[str, list[tuple[float, float]]] = {k: [] for k in commands}
        for _ in range(a.runs):
            for name, (argv, env) in commands.items():
                times[name].append(_once(argv, env))
    out = {}
    for name, runs in times.items():
        walls = sorted(w for w, _ in runs)
        med = statistics.median(walls)
        cpu = statistics.median(c for _, c in runs)
        ok = "met" if med <= TARGETS[name] else "NOT met"
        print(f"{name:38s} median {med:6.2f} s  (range {walls[0]:.2f}-{walls[-1]:.2f}),  "
              f"CPU {cpu:5.2f} s;  target <= {TARGETS[name]} s: {ok}")
        out[name] = {"median_s": med, "min_s": walls[0], "max_s": walls[-1],
                     "cpu_median_s": cpu, "target_s": TARGETS[name]}
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=2)


if __name__ == "__main__":
    main()
