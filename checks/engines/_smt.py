"""SMT solvers in worker processes under a hard time limit; the base of the z3 and cvc5 engines."""

from __future__ import annotations

import json
import select
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from fractions import Fraction
from typing import ClassVar

from bebcheck.symbolic.obligation import Obligation

from ._smtlib import SmtQuery, smt_pair
from .base import Engine, Job, ReadyJob
from .result import EngineResult, SolverAnswer, SolverStatus, Verdict

__all__ = ["QueryCache", "SmtEngine", "SolverProcess", "parse_model"]

WORKER = "bebcheck.checks.engines._worker"


def parse_model(raw: object) -> dict[str, Fraction] | None:
    """A worker's model (name → exact rational as text); ``None`` if absent or malformed."""
    if not isinstance(raw, dict) or not raw:
        return None
    try:
        return {str(k): Fraction(str(v)) for k, v in raw.items()}
    except (ValueError, ZeroDivisionError):
        return None


def _answer(line: str) -> tuple[object, SolverAnswer]:
    """The query id and the typed answer of one worker line (garbage is a crash)."""
    try:
        raw = json.loads(line)
    except ValueError:
        return None, SolverAnswer(SolverStatus.CRASH, "worker said something that is not JSON")
    if not isinstance(raw, dict):
        return None, SolverAnswer(SolverStatus.CRASH, "worker answer is not a JSON object")
    status = SolverStatus.parse(raw.get("status"))
    reason = str(raw.get("reason") or "")
    if status is SolverStatus.CRASH and not reason:
        reason = f"unexpected status {raw.get('status')!r}"
    return raw.get("id"), SolverAnswer(status, reason, parse_model(raw.get("model")))


class SolverProcess:
    """A persistent worker process for one solver; killed and restarted on a hang or crash."""

    def __init__(self, backend: str, grace_s: float = 2.0, argv: list[str] | None = None) -> None:
        self.backend = backend
        self.argv = argv or [sys.executable, "-m", WORKER, backend]
        self.grace_s = grace_s
        self.proc: subprocess.Popen[str] | None = None
        self._ready = False
        self._next = 0

    def spawn(self) -> None:
        """Start the worker without waiting for it (several start in parallel)."""
        if self.proc is not None and self.proc.poll() is None:
            return
        self._ready = False
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, bufsize=1)

    def _start(self) -> None:
        self.spawn()
        if self._ready:
            return
        line = self._readline(30.0)
        if not line or "ready" not in line:
            self.kill()
            raise OSError(f"{self.backend} worker did not start")
        self._ready = True

    def _readline(self, timeout: float) -> str | None:
        """A line; ``None`` if none came within ``timeout``; ``""`` at end of file (exit)."""
        if self.proc is None or self.proc.stdout is None:
            return ""
        r, _, _ = select.select([self.proc.stdout], [], [], max(timeout, 0.0))
        if not r:
            return None
        return self.proc.stdout.readline()

    def kill(self) -> None:
        proc, self.proc, self._ready = self.proc, None, False
        if proc is None:
            return
        try:
            proc.kill()
            proc.wait(timeout=5)
        except (OSError, subprocess.SubprocessError):
            pass
        for stream in (proc.stdin, proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass

    def send(self, text: str, timeout_ms: int, model: bool = True) -> int:
        """Send a query; its id.  Raises ``OSError`` if the worker cannot take it."""
        if self.proc is None or self.proc.poll() is not None or not self._ready:
            self._start()
        if self.proc is None or self.proc.stdin is None:
            raise OSError(f"{self.backend} worker is not running")
        self._next += 1
        q = {"id": self._next, "smt": text, "timeout_ms": timeout_ms, "model": model}
        self.proc.stdin.write(json.dumps(q) + "\n")
        self.proc.stdin.flush()
        return self._next

    def _await(self, qid: int, deadline: float, on_silence: SolverAnswer | None
               ) -> SolverAnswer | None:
        """Read lines until ``qid``'s answer or ``deadline``; then ``on_silence`` (and kill)."""
        while True:
            left = deadline - time.perf_counter()
            line = self._readline(left) if left > 0 else None
            if line == "":
                self.kill()
                return SolverAnswer(SolverStatus.CRASH, "worker crashed")
            if line is None:
                if self.proc is None or self.proc.poll() is not None:
                    self.kill()
                    return SolverAnswer(SolverStatus.CRASH, "worker crashed")
                if on_silence is not None:
                    self.kill()
                return on_silence
            got, ans = _answer(line)
            if ans.status is SolverStatus.CRASH and got is None:
                self.kill()  # garbage: the worker cannot be trusted any more
                return ans
            if got == qid:
                return ans

    def receive(self, qid: int, timeout_ms: int, t0: float) -> SolverAnswer:
        """The answer to ``qid``, or TIMEOUT (worker killed) past the limit plus grace."""
        timeout = SolverAnswer(SolverStatus.TIMEOUT, f"hard time limit {timeout_ms} ms exceeded")
        ans = self._await(qid, t0 + timeout_ms / 1000 + self.grace_s, timeout)
        return ans if ans is not None else timeout

    def poll(self, qid: int, wait_s: float) -> SolverAnswer | None:
        """The answer to ``qid`` if it arrives within ``wait_s``; ``None`` (still running)."""
        if self.proc is None or self.proc.poll() is not None:
            self.kill()
            return SolverAnswer(SolverStatus.CRASH, "worker crashed")
        return self._await(qid, time.perf_counter() + wait_s, None)

    def ask(self, text: str, timeout_ms: int, model: bool = True) -> SolverAnswer:
        t0 = time.perf_counter()
        try:
            qid = self.send(text, timeout_ms, model)
        except OSError as e:
            self.kill()
            return SolverAnswer(SolverStatus.CRASH, str(e))
        return self.receive(qid, timeout_ms, t0).with_seconds(time.perf_counter() - t0)


class QueryCache:
    """The SMT-LIB texts of obligations, built ahead in a background thread (shared by solvers)."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._futures: dict[int, tuple[Obligation, Future[tuple[SmtQuery, SmtQuery]]]] = {}
        self._lock = threading.Lock()

    def prepare(self, obligations: Sequence[Obligation]) -> None:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="smtlib")
            for ob in obligations:
                if id(ob) not in self._futures:
                    self._futures[id(ob)] = (ob, self._pool.submit(smt_pair, ob))

    def get(self, ob: Obligation) -> tuple[SmtQuery, SmtQuery]:
        """Both queries of ``ob``; raises ``ValueError`` if it has no SMT-LIB form."""
        with self._lock:
            entry = self._futures.get(id(ob))
        if entry is None or entry[0] is not ob:
            entry = (ob, _done(ob))
            with self._lock:
                self._futures[id(ob)] = entry
        return entry[1].result()

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
            self._futures.clear()


def _done(ob: Obligation) -> Future[tuple[SmtQuery, SmtQuery]]:
    fut: Future[tuple[SmtQuery, SmtQuery]] = Future()
    try:
        fut.set_result(smt_pair(ob))
    except Exception as e:  # noqa: BLE001 - an unprintable formula is an answer (INCONCLUSIVE)
        fut.set_exception(e)
    return fut


class _SmtJob(Job):
    """A query sent to a worker; its answer read when asked for (or the send's failure)."""

    def __init__(self, engine: SmtEngine, query: SmtQuery) -> None:
        self.engine, self.query = engine, query
        self.t0 = time.perf_counter()
        self.qid: int | None = None
        self.done: EngineResult | None = None
        try:
            self.qid = engine.process.send(query.text, engine.timeout_ms)
        except OSError as e:
            engine.process.kill()
            self._finish(SolverAnswer(SolverStatus.CRASH, str(e)))

    def _finish(self, ans: SolverAnswer) -> EngineResult:
        self.done = self.engine.result_from(self.query, ans.with_seconds(
            time.perf_counter() - self.t0))
        return self.done

    def poll(self, wait_s: float) -> EngineResult | None:
        if self.done is not None or self.qid is None:
            return self.done
        ans = self.engine.process.poll(self.qid, wait_s)
        return None if ans is None else self._finish(ans)

    def result(self) -> EngineResult:
        if self.done is not None or self.qid is None:
            return self.done or self._finish(SolverAnswer(SolverStatus.CRASH, "not sent"))
        return self._finish(self.engine.process.receive(self.qid, self.engine.timeout_ms,
                                                        self.t0))

    def cancel(self) -> EngineResult | None:
        if self.done is not None:
            return None
        self.engine.process.kill()
        self.done = self.engine.inconclusive("not needed: policy already met")
        return self.done


class SmtEngine(Engine):
    """Decides the (abstracted) polynomial obligation: unsat of ``hyps ∧ ¬claim`` is PROVED.

    ``sat`` is never PROVED or REFUTED here: the model goes back as a candidate witness for
    certification in Arb (and under log/exp abstraction it is only a hint).
    """

    backend: ClassVar[str] = ""
    finds_models = True

    def __init__(self, timeout_ms: int = 5000, process: SolverProcess | None = None,
                 queries: QueryCache | None = None) -> None:
        """``queries``: a cache shared with the other solvers of the same run (one text each)."""
        self.name = self.backend
        self.timeout_ms = timeout_ms
        self.process = process or SolverProcess(self.backend)
        self.queries = queries if queries is not None else QueryCache()

    def start(self) -> None:
        self.process.spawn()

    def close(self) -> None:
        self.process.kill()
        self.queries.close()

    def prepare(self, obligations: Sequence[Obligation]) -> None:
        self.queries.prepare(obligations)

    def _queries(self, ob: Obligation) -> tuple[SmtQuery, SmtQuery] | str:
        try:
            return self.queries.get(ob)
        except Exception as e:  # noqa: BLE001 - an unprintable formula is INCONCLUSIVE
            return f"not printable: {e}"

    def submit(self, ob: Obligation) -> Job:
        qs = self._queries(ob)
        if isinstance(qs, str):
            failed = self.inconclusive(qs)
            return ReadyJob(lambda: failed)
        return _SmtJob(self, qs[1])

    def prove(self, ob: Obligation) -> EngineResult:
        return self.submit(ob).result()

    def query_text(self, ob: Obligation) -> tuple[str, dict[str, str]] | None:
        qs = self._queries(ob)
        return None if isinstance(qs, str) else (qs[1].text, qs[1].abstraction)

    def satisfy(self, ob: Obligation) -> SolverAnswer:
        qs = self._queries(ob)
        if isinstance(qs, str):
            return SolverAnswer(SolverStatus.ERROR, qs)
        return self.process.ask(qs[0].text, self.timeout_ms)

    def result_from(self, q: SmtQuery, ans: SolverAnswer) -> EngineResult:
        if ans.status is SolverStatus.UNSAT:
            how = " (log/exp abstracted, ground lemma instances)" if q.abstracted else ""
            return EngineResult(self.name, Verdict.PROVED, ans.seconds, f"unsat{how}")
        if ans.status is SolverStatus.SAT:
            hint = "under log/exp abstraction, a hint only" if q.abstracted else "candidate"
            return EngineResult(self.name, Verdict.INCONCLUSIVE, ans.seconds,
                                f"sat: counterexample {hint}; needs Arb certification",
                                model=ans.model)
        reason = ans.reason or ans.status.value
        return EngineResult(self.name, Verdict.INCONCLUSIVE, ans.seconds,
                            f"{ans.status.value}: {reason}")
