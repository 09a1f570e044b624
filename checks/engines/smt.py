"""z3 and cvc5 behind one interface, each in its own worker process under a hard time limit."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from fractions import Fraction

from bebcheck.symbolic.obligation import Obligation

from ..smtlib import SmtQuery, smt_query
from ..verdict import EngineResult, Verdict
from .base import Engine

__all__ = ["SmtAnswer", "SmtEngine", "SolverProcess"]

SOLVERS = ("z3", "cvc5")


class SmtAnswer(dict):  # type: ignore[type-arg]
    """The worker's JSON answer (status, model, reason, seconds)."""


class SolverProcess:
    """A persistent worker process for one solver; killed and restarted on a hang or crash."""

    def __init__(self, solver: str, grace_s: float = 2.0,
                 argv: list[str] | None = None) -> None:
        if solver not in SOLVERS and argv is None:
            raise ValueError(f"unknown solver {solver!r}")
        self.solver = solver
        self.argv = argv or [sys.executable, "-m", "bebcheck.checks.worker", solver]
        self.grace_s = grace_s
        self.proc: subprocess.Popen[str] | None = None
        self._next = 0

    def spawn(self) -> None:
        """Start the worker without waiting for it (several start in parallel)."""
        if self.proc is not None and self.proc.poll() is None:
            return
        env = dict(os.environ)
        self._ready = False
        self.proc = subprocess.Popen(
            self.argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            bufsize=1,
            env=env,
        )

    def _start(self) -> None:
        self.spawn()
        if getattr(self, "_ready", False):
            return
        line = self._readline(30.0)
        if not line or "ready" not in line:
            self.kill()
            raise RuntimeError(f"{self.solver} worker did not start")
        self._ready = True

    def _readline(self, timeout: float) -> str | None:
        """A line; ``None`` if none came within ``timeout``; ``""`` at end of file (exit)."""
        assert self.proc is not None and self.proc.stdout is not None
        r, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not r:
            return None
        return self.proc.stdout.readline()

    def kill(self) -> None:
        if self.proc is not None:
            try:
                self.proc.kill()
                self.proc.wait(timeout=5)
            except Exception:
                pass
        self.proc = None
        self._ready = False

    def send(self, text: str, timeout_ms: int, model: bool = True) -> int:
        if self.proc is None or self.proc.poll() is not None or not getattr(self, "_ready", False):
            self._start()
        assert self.proc is not None and self.proc.stdin is not None
        self._next += 1
        q = {"id": self._next, "smt": text, "timeout_ms": timeout_ms, "model": model}
        self.proc.stdin.write(json.dumps(q) + "\n")
        self.proc.stdin.flush()
        return self._next

    def receive(self, qid: int, timeout_ms: int, t0: float) -> SmtAnswer:
        deadline = t0 + timeout_ms / 1000 + self.grace_s
        while True:
            left = deadline - time.perf_counter()
            line = self._readline(max(left, 0.0)) if left > 0 else None
            if line == "":  # end of file: the worker exited
                self.kill()
                return SmtAnswer(status="crash", reason="worker crashed")
            if line is None:
                dead = self.proc is None or self.proc.poll() is not None
                self.kill()
                why = "worker crashed" if dead else f"hard time limit {timeout_ms} ms exceeded"
                return SmtAnswer(status="timeout" if not dead else "crash", reason=why)
            ans = json.loads(line)
            if ans.get("id") == qid:
                return SmtAnswer(ans)

    def poll(self, qid: int, wait_s: float) -> SmtAnswer | None:
        """The answer to ``qid`` if it arrives within ``wait_s``; None (still running) otherwise."""
        if self.proc is None or self.proc.poll() is not None:
            return SmtAnswer(status="crash", reason="worker crashed")
        t_end = time.perf_counter() + wait_s
        while True:
            left = t_end - time.perf_counter()
            if left <= 0:
                return None
            line = self._readline(left)
            if line == "":
                self.kill()
                return SmtAnswer(status="crash", reason="worker crashed")
            if line is None:
                if self.proc is None or self.proc.poll() is not None:
                    self.kill()
                    return SmtAnswer(status="crash", reason="worker crashed")
                return None
            ans = json.loads(line)
            if ans.get("id") == qid:
                return SmtAnswer(ans)

    def ask(self, text: str, timeout_ms: int, model: bool = True) -> SmtAnswer:
        t0 = time.perf_counter()
        try:
            qid = self.send(text, timeout_ms, model)
        except (OSError, RuntimeError) as e:
            self.kill()
            return SmtAnswer(status="crash", reason=str(e), seconds=0.0)
        ans = self.receive(qid, timeout_ms, t0)
        ans["seconds"] = time.perf_counter() - t0
        return ans


def parse_model(ans: SmtAnswer) -> dict[str, Fraction] | None:
    m = ans.get("model")
    if not m:
        return None
    return {k: Fraction(v) for k, v in m.items()}


class SmtEngine(Engine):
    """Decides the (abstracted) polynomial obligation: unsat of ``hyps ∧ ¬claim`` is PROVED.

    ``sat`` is never PROVED or REFUTED here: the model goes back as a candidate witness for
    certification in Arb (and under log/exp abstraction it is only a hint).
    """

    def __init__(self, solver: str, timeout_ms: int = 5000) -> None:
        self.name = solver
        self.timeout_ms = timeout_ms
        self.process = SolverProcess(solver)

    def close(self) -> None:
        self.process.kill()

    def query(self, q: SmtQuery, model: bool = True) -> SmtAnswer:
        return self.process.ask(q.text, self.timeout_ms, model)

    def result_from(self, q: SmtQuery, ans: SmtAnswer) -> EngineResult:
        st = ans.get("status")
        secs = float(ans.get("seconds", 0.0))
        if st == "unsat":
            how = " (log/exp abstracted, ground lemma instances)" if q.abstracted else ""
            return EngineResult(self.name, Verdict.PROVED, secs, f"unsat{how}")
        if st == "sat":
            hint = "under log/exp abstraction, a hint only" if q.abstracted else "candidate"
            return EngineResult(
                self.name,
                Verdict.INCONCLUSIVE,
                secs,
                f"sat: counterexample {hint}; needs Arb certification",
                model=parse_model(ans),
            )
        reason = ans.get("reason") or str(st)
        return EngineResult(self.name, Verdict.INCONCLUSIVE, secs, f"{st}: {reason}")

    def prove(self, ob: Obligation) -> EngineResult:
        try:
            q = smt_query(ob, negate_claim=True)
        except ValueError as e:
            return EngineResult(self.name, Verdict.INCONCLUSIVE, 0.0, f"not printable: {e}")
        return self.result_from(q, self.query(q))
