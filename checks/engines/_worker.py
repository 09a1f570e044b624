"""Solver worker process: JSON queries on stdin, JSON answers on stdout; one backend per process."""

from __future__ import annotations

import importlib
import json
import sys

__all__ = ["main"]

BACKENDS = {"z3": "bebcheck.checks.engines.z3", "cvc5": "bebcheck.checks.engines.cvc5"}


def _answer(solve: object, line: str) -> dict[str, object]:
    try:
        q = json.loads(line)
        qid = q["id"]
    except (ValueError, KeyError, TypeError):
        return {"id": None, "status": "error", "reason": "malformed query"}
    try:
        ans = solve(q["smt"], int(q["timeout_ms"]), bool(q.get("model", True)))  # type: ignore[operator]
    except Exception as e:  # noqa: BLE001 - a solver exception is an answer, not a crash
        ans = {"status": "error", "reason": f"{type(e).__name__}: {e}"}
    ans["id"] = qid
    return ans


def main() -> None:
    backend = sys.argv[1]
    module = importlib.import_module(BACKENDS[backend])
    # import the solver before the first query so that query time excludes start-up
    importlib.import_module(backend)
    sys.stdout.write(json.dumps({"ready": backend}) + "\n")
    sys.stdout.flush()
    for line in sys.stdin:
        sys.stdout.write(json.dumps(_answer(module.solve, line)) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
