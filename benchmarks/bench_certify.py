"""Benchmark (by hand): exact certificates for the whole audit: coverage, kinds, time.

    python benchmarks/bench_certify.py [--runs 3]

Runs ``bebcheck certify -o DIR`` (the audit's verdicts come from the proof cache, filled by a
first run) and ``bebcheck verify-certificates DIR`` as separate processes, each ``--runs``
times; reports medians of wall-clock and CPU time (the machine is shared: CPU time is the
steadier figure), the share of PROVED obligations with an accepted certificate (target: at
least 80%), why the others have none, what kind of certificate the others got, and how many
obligations are linear once abstracted (every relation of degree <= 1).
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = [sys.executable, "-m", "bebcheck.checks.cli"]


def _run(argv: list[str]) -> tuple[float, float, str]:
    """Wall-clock and CPU seconds of a child process, and its standard output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(argv, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if p.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv)}: exit {p.returncode}: {p.stderr.strip()}")
    return wall, cpu, p.stdout


def _uses(proof: dict) -> set[str]:
    """What the leaves of a proof tree use."""
    if "branches" in proof:
        return set().union(*(_uses(c) for c in proof["branches"].values()))
    if "false" in proof:
        return set()
    out = {"sum of squares" if isinstance(t["sos"], dict) else
           "products" if len(t["of"]) > 1 else "single constraints"
           for t in proof["psatz"]["products"]}
    if any(not re.fullmatch(r"[()\s/0-9-]+", t["mul"]) for t in proof["psatz"].get("ideal", [])):
        out.add("polynomial ideal multipliers")
    return out


def _kind(proof: dict) -> str:
    """One word for a certificate: its strongest ingredient."""
    uses = _uses(proof)
    for kind in ("sum of squares", "products", "polynomial ideal multipliers",
                 "single constraints"):
        if kind in uses:
            return {"single constraints": "Farkas (linear combination)",
                    "products": "Schmüdgen products of constraints"}.get(kind, kind)
    return "case splits only"


def _degrees(e: object, names: set[str]) -> list[int]:
    """The degree of each relation in formula ``e`` (an ite-free one)."""
    from bebcheck.checks.certify.checker import BOOL, term

    if not isinstance(e, tuple):
        return []
    if e[0] in ("<", "<=", "=", ">=", ">") and not (isinstance(e[1], tuple) and e[1][0] in BOOL):
        p, q = term(e[1], {}, names), term(e[2], {}, names)
        if p is not None and q is not None:
            return [max((sum(x for _, x in m) for m in {**p, **q}), default=0)]
    return [d for a in e[1:] for d in _degrees(a, names)]


def _linear(doc: dict) -> tuple[bool, bool]:
    """Whether every relation of the query (less unused assertions) has degree <= 1, and
    whether it does once the reciprocals' definitions (``_Dk * d = 1``) are set aside."""
    from bebcheck.checks.certify.checker import sexp

    cmds = sexp(doc["smtlib"])
    names = {c[1] for c in cmds if c[0] == "declare-const"}
    facts = [c[1] for c in cmds if c[0] == "assert"]
    kept = [(f, o) for k, (f, o) in enumerate(zip(facts, doc["origins"], strict=True))
            if k not in doc.get("unused", [])]
    all_ = [d for f, _ in kept for d in _degrees(f, names)]
    rest = [d for f, o in kept if not o.startswith("definition of the reciprocal")
            for d in _degrees(f, names)]
    return max(all_, default=0) <= 1, max(rest, default=0) <= 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-certify-"))
    out = work / "certs"
    _run([*CLI, "audit", "-q"])  # fills the proof cache: certify then reads the verdicts
    certify, verify, plain = [], [], []
    for _ in range(a.runs):
        wall, cpu, said = _run([*CLI, "certify", "-o", str(out)])
        certify.append((wall, cpu))
        plain.append(_run([*CLI, "audit", "-q"])[:2])
        verify.append(_run([*CLI, "verify-certificates", str(out)])[:2])
    print(said.splitlines()[0])
    index = json.loads((out / "index.json").read_text())
    reasons = collections.Counter(v["reason"].split(":")[0]
                                  for v in index["obligations"].values() if "reason" in v)
    kinds: collections.Counter[str] = collections.Counter()
    linear = [0, 0]
    for v in index["obligations"].values():
        if "file" in v:
            doc = json.loads((out / v["file"]).read_text())
            kinds[_kind(doc["proof"])] += 1
            lin = _linear(doc)
            linear[0] += lin[0]
            linear[1] += lin[1]
    top = {k: v for k, v in index["obligations"].items() if "#side" not in k}
    n, k = index["proved"], index["certified"]
    print(f"PROVED obligations: {n}, certified {k} ({100 * k / n:.1f}%; target >= 80%); "
          f"top-level {sum('file' in v for v in top.values())} of {len(top)}")
    print(f"not certified, by reason: {dict(reasons)}")
    print(f"certified ones use: {dict(kinds)}")
    print(f"certified ones linear after abstraction: {linear[0]}; linear apart from the "
          f"reciprocals' definitions: {linear[1]}")
    for name, runs in (("certify (audit from cache + certificates)", certify),
                       ("audit alone, from cache", plain),
                       ("verify-certificates", verify)):
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        print(f"{name:44s} median wall {statistics.median(walls):6.2f} s "
              f"(range {min(walls):.2f}-{max(walls):.2f}), CPU {statistics.median(cpus):6.2f} s")
    print(f"certificates: {len(list(out.glob('*.json'))) - 1} files, "
          f"{sum(f.stat().st_size for f in out.glob('*.json')) / 1e6:.1f} MB in {out}")


if __name__ == "__main__":
    main()
