"""The cvc5 engine: its solver function (run in a worker process) and its registry entry."""

from __future__ import annotations

import importlib.util

from ._smt import SmtEngine

__all__ = ["Cvc5Engine", "available", "solve"]


def available() -> bool:
    """Whether the cvc5 Python package can be imported here."""
    return importlib.util.find_spec("cvc5") is not None


class Cvc5Engine(SmtEngine):
    """cvc5 on the abstracted polynomial query (coverings for nonlinear arithmetic)."""

    backend = "cvc5"
    cost = 1


def solve(text: str, timeout_ms: int, want_model: bool) -> dict[str, object]:
    import cvc5

    tm = cvc5.TermManager()
    s = cvc5.Solver(tm)
    s.setOption("produce-models", "true")
    s.setOption("tlimit-per", str(timeout_ms))
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
    out: dict[str, object] = {"status": result or "unknown"}
    if result == "unknown":
        out["reason"] = "cvc5: unknown"
    if result == "sat" and want_model:
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
