"""Solver worker process: JSON queries on stdin, JSON answers on stdout; one backend per process."""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
from fractions import Fraction
from typing import TextIO

__all__ = ["main"]


def _z3(text: str, timeout_ms: int, want_model: bool, steps: int | None = None
        ) -> dict[str, object]:
    import z3

    # a context of its own: the answer (and model) depends on the query alone, not on what
    # this worker was asked before (the global context's term ids would carry that history)
    s = z3.Solver(ctx=z3.Context())
    s.set("timeout", timeout_ms)
    if steps:
        s.set("rlimit", steps)  # z3's resource count, relative to this check
    s.from_string(text)
    r = s.check()
    out: dict[str, object] = {"status": str(r)}
    if r == z3.unknown:
        why = s.reason_unknown()
        out["reason"] = (f"step budget {steps} exhausted" if steps and why in _Z3_BUDGET
                         else why)
    if r == z3.sat and want_model:
        m = s.model()
        model: dict[str, str] = {}
        exact = True
        for d in m.decls():
            if d.arity() != 0:
                continue
            v = m[d]
            if z3.is_int_value(v):
                model[d.name()] = str(v.as_long())
            elif z3.is_rational_value(v):
                fr = v.as_fraction()
                model[d.name()] = f"{fr.numerator}/{fr.denominator}"
            elif z3.is_algebraic_value(v):
                exact = False
                model[d.name()] = str(Fraction(v.approx(30).as_fraction()).limit_denominator(10**30))
        out["model"] = model
        out["exact_model"] = exact
    return out


def _cvc5(text: str, timeout_ms: int, want_model: bool, steps: int | None = None
          ) -> dict[str, object]:
    import cvc5

    tm = cvc5.TermManager()
    s = cvc5.Solver(tm)
    s.setOption("produce-models", "true")
    s.setOption("tlimit-per", str(timeout_ms))
    if steps:
        s.setOption("rlimit-per", str(steps))  # cvc5's resource units, per check
    if "(exp " not in text:  # cylindrical algebraic coverings reject transcendental terms
        s.setOption("nl-cov", "true")
    parser = cvc5.InputParser(s)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "query")
    sm = parser.getSymbolManager()
    result = ""
    while True:
        cmd = parser.nextCommand()
        if cmd.isNull():
            break
        res = cmd.invoke(s, sm)
        if res:
            result = res.strip()
    status = (result or "unknown").split()[0]  # cvc5 says e.g. "unknown (TIMEOUT)"
    out: dict[str, object] = {"status": status}
    if status == "unknown":
        out["reason"] = (f"step budget {steps} exhausted" if "RESOURCEOUT" in result
                         else f"cvc5: {result or 'unknown'}")
    if status == "sat" and want_model:
        model: dict[str, str] = {}
        exact = True
        for t in sm.getDeclaredTerms():
            v = s.getValue(t)
            if v.isIntegerValue():
                model[str(t)] = str(v.getIntegerValue())
            elif v.isRealValue():
                fr = v.getRealValue()
                model[str(t)] = f"{fr.numerator}/{fr.denominator}"
            else:
                exact = False
        out["model"] = model
        out["exact_model"] = exact
    return out


_Z3_BUDGET = ("canceled", "max. resource limit exceeded")
"""z3's reasons when a check stops at its ``rlimit``."""

BACKENDS = {"z3": _z3, "cvc5": _cvc5}
"""Backend name → the function that answers one query (it imports its solver on first use).

The worker imports nothing of bebcheck but this module: it starts fast and stays small."""


def _answer(solve: object, line: str) -> dict[str, object]:
    try:
        q = json.loads(line)
        qid = q["id"]
    except (ValueError, KeyError, TypeError):
        return {"id": None, "status": "error", "reason": "malformed query"}
    t0 = time.perf_counter()
    try:
        steps = q.get("steps")
        ans = solve(q["smt"], int(q["timeout_ms"]), bool(q.get("model", True)),  # type: ignore[operator]
                    int(steps) if steps else None)
    except Exception as e:  # noqa: BLE001 - a solver exception is an answer, not a crash
        ans = {"status": "error", "reason": f"{type(e).__name__}: {e}"}
    ans["id"] = qid
    ans["seconds"] = round(time.perf_counter() - t0, 6)  # its own time, not the queue's
    return ans


def _protocol_stream() -> TextIO:
    """Standard output for answers only: anything else written to it (a solver library's
    chatter, a stray print) goes to standard error instead of corrupting the protocol."""
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    sys.stdout.flush()
    os.dup2(2, 1)
    return out


def main() -> None:
    backend = sys.argv[1]
    solve = BACKENDS[backend]
    out = _protocol_stream()
    # import the solver before the first query so that query time excludes start-up
    importlib.import_module(backend)
    out.write(json.dumps({"ready": backend}) + "\n")
    out.flush()
    for line in sys.stdin:
        out.write(json.dumps(_answer(solve, line)) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
