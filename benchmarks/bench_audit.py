"""Benchmarks for the core verifier (run by hand): cold audit, per-query solver time, naive SMT.

    python benchmarks/bench_audit.py [--naive-timeout-ms 10000]

1. Cold audit: ``bebcheck audit theorem1 theorem2 lemma_b`` from process start to exit.
2. Per-query time of z3 and cvc5 on every polynomial (abstracted) obligation of the audit.
3. The same transcendental obligations given to the solvers *natively* (z3: exp/log in
   SMT-LIB text; cvc5: exp only, so log t is declared as L with exp(L) = t), with no lemma
   instances: time and how many were decided (unsat = proved).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import sympy as sp

from bebcheck.checks.engines._smt import SolverProcess
from bebcheck.checks.engines._smtlib import _Printer, definedness, smt_query
from bebcheck.checks.engines.result import SolverStatus
from bebcheck.proofs.beb_v1 import RESULTS


def cold_audit(*results: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bebcheck.checks.cli", "audit", *results],
                   capture_output=True, check=False)
    return time.perf_counter() - t0


def all_obligations():
    for fn in RESULTS.values():
        for s in fn().steps:
            yield from s.obligations


class _Native(_Printer):
    def _print_log(self, e):  # z3 reads log in SMT-LIB text
        return f"(log {self._print(e.args[0])})"

    def _print_exp(self, e):
        return f"(exp {self._print(e.args[0])})"


def native_query(ob, solver: str) -> str:
    hyps = ob.expanded_hypotheses(with_facts=False)
    claim = ob.expanded_claim()
    forms = [*hyps, sp.Not(sp.And(claim, *definedness(claim)))]
    for h in hyps:
        forms.extend(definedness(h))
    pr = _Native()
    extra = []
    if solver == "cvc5":  # cvc5 has exp but no log: name each log term
        table = {}
        for f in forms:
            for t in sp.preorder_traversal(f):
                if isinstance(t, sp.log) and t not in table:
                    table[t] = sp.Symbol(f"_NL{len(table)}", real=True)
        forms = [f.xreplace(table) for f in forms]
        extra = [f"(assert (= (exp {v.name}) {pr.doprint(k.args[0])}))" for k, v in table.items()]
    syms = set().union(*(f.free_symbols for f in forms))
    ints = {p.name for p in ob.params if p.integer}
    lines = ["(set-logic ALL)"]
    lines += [f"(declare-const {s.name} {'Int' if s.name in ints else 'Real'})"
              for s in sorted(syms, key=str)]
    lines += [f"(assert {pr.doprint(f)})" for f in forms if f is not sp.true]
    lines += [*extra, "(check-sat)"]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--naive-timeout-ms", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()

    colds = [cold_audit("theorem1", "theorem2", "lemma_b") for _ in range(a.runs)]
    print(f"cold audit (theorem1 theorem2 lemma_b): min {min(colds):.2f}s "
          f"median {statistics.median(colds):.2f}s over {a.runs} runs")
    full = [cold_audit() for _ in range(a.runs)]
    print(f"cold audit (every result): min {min(full):.2f}s "
          f"median {statistics.median(full):.2f}s over {a.runs} runs")

    obs = list(all_obligations())
    procs = {s: SolverProcess(s) for s in ("z3", "cvc5")}
    poly_times: dict[str, list[float]] = {"z3": [], "cvc5": []}
    decided: dict[str, int] = {"z3": 0, "cvc5": 0}
    for ob in obs:
        q = smt_query(ob, negate_claim=True)
        for s, p in procs.items():
            ans = p.ask(q.text, 5000)
            poly_times[s].append(ans.seconds)
            decided[s] += ans.status in (SolverStatus.UNSAT, SolverStatus.SAT)
    for s, ts in poly_times.items():
        print(f"{s}: abstracted polynomial queries: {len(ts)}, decided {decided[s]}, "
              f"median {1000 * statistics.median(ts):.1f} ms, "
              f"p90 {1000 * sorted(ts)[int(0.9 * len(ts))]:.1f} ms")

    transc = [ob for ob in obs if smt_query(ob, negate_claim=True).abstracted]
    print(f"transcendental obligations: {len(transc)}")
    for s, p in procs.items():
        t_abs = t_nat = 0.0
        d_abs = d_nat = 0
        for ob in transc:
            q = smt_query(ob, negate_claim=True)
            ans = p.ask(q.text, 5000)
            t_abs += ans.seconds
            d_abs += ans.status is SolverStatus.UNSAT
            ans = p.ask(native_query(ob, s), a.naive_timeout_ms)
            t_nat += ans.seconds
            d_nat += ans.status is SolverStatus.UNSAT
        print(f"{s}: abstraction+lemmas proved {d_abs}/{len(transc)} in {t_abs:.2f}s; "
              f"native transcendental proved {d_nat}/{len(transc)} in {t_nat:.2f}s "
              f"(x{t_nat / max(t_abs, 1e-9):.0f} time)")
    for p in procs.values():
        p.kill()


if __name__ == "__main__":
    main()
