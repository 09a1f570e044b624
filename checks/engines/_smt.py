"""SMT solvers in worker processes under a hard time limit; the base of the z3 and cvc5 engines.

Testing hook: when ``BEBCHECK_WORKER_CMD_<BACKEND>`` (e.g. ``BEBCHECK_WORKER_CMD_Z3``) is set,
that backend's worker is started as this command line (split like a shell's) followed by the
backend name, instead of ``python -m bebcheck.checks.engines._worker BACKEND``.  The fault
injection tests point it at workers that hang, crash or print garbage; it is not a user option.
"""

from __future__ import annotations

import collections
import contextlib
import json
import math
import os
import re
import select
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from fractions import Fraction
from typing import IO, ClassVar

from bebcheck.symbolic.obligation import Obligation

from ._smtlib import SmtQuery, smt_pair
from .base import Engine, Job, ReadyJob
from .result import EngineResult, SolverAnswer, SolverStatus, Verdict

__all__ = ["DROPPED", "MAX_LINE", "WORKER_CMD_ENV", "QueryCache", "SmtEngine", "SolverProcess",
           "parse_model", "worker_argv"]

WORKER = "bebcheck.checks.engines._worker"
WORKER_CMD_ENV = "BEBCHECK_WORKER_CMD_"
"""Prefix of the testing hook's variable; the backend's name, upper case, completes it."""
MAX_LINE = 1 << 22
"""The longest line (bytes) a worker may send; a longer one is garbage, not an answer."""

_STATUSES = frozenset(s.value for s in SolverStatus)
_RATIONAL = re.compile(r"-?[0-9]+(/[0-9]+)?")
_NOT_JSON = object()


def worker_argv(backend: str) -> list[str]:
    """The command that starts ``backend``'s worker (the testing hook's, when it is set)."""
    hook = os.environ.get(WORKER_CMD_ENV + backend.upper(), "").strip()
    if not hook:
        return [sys.executable, "-m", WORKER, backend]
    try:
        return [*shlex.split(hook), backend]
    except ValueError:  # unbalanced quotes: run it as one word (it fails to start, with a reason)
        return [hook, backend]


def parse_model(raw: object) -> dict[str, Fraction] | None:
    """A worker's model (name → exact rational as text); ``None`` if absent or malformed."""
    if not isinstance(raw, dict) or not raw:
        return None
    model: dict[str, Fraction] = {}
    for name, value in raw.items():
        if not (isinstance(value, str) and _RATIONAL.fullmatch(value)):
            return None
        try:
            model[str(name)] = Fraction(value)
        except (ValueError, ZeroDivisionError):  # a zero denominator; too many digits
            return None
    return model


def _excerpt(data: bytes, n: int = 60) -> str:
    """A line's start, quoted, for a reason (never the whole of an enormous line)."""
    return repr(data[:n]) + ("…" if len(data) > n else "")


def _short(text: str, n: int = 200) -> str:
    return text if len(text) <= n else text[:n] + "…"


def _json(line: bytes) -> object:
    """The JSON value of one line; ``_NOT_JSON`` for anything else (binary junk, deep nesting)."""
    try:
        return json.loads(line.decode("utf-8"))
    except (ValueError, RecursionError):
        return _NOT_JSON


def _answer(raw: object) -> tuple[int, SolverAnswer] | str:
    """The query id and typed answer of a worker's JSON line, or what is wrong with its shape."""
    if not isinstance(raw, dict):
        return f"a JSON {type(raw).__name__}, not an object"
    qid, status, reason = raw.get("id"), raw.get("status"), raw.get("reason") or ""
    if type(qid) is not int:
        return f"query id {_short(repr(qid), 60)}"
    if not isinstance(status, str) or status not in _STATUSES:
        return f"status {_short(repr(status), 60)}"
    if not isinstance(reason, str):
        return f"reason {_short(repr(reason), 60)}"
    model = parse_model(raw.get("model"))
    if model is None and raw.get("model") not in (None, {}):
        return f"model {_short(repr(raw.get('model')), 60)}"
    took = raw.get("seconds")
    took = float(took) if type(took) in (int, float) and 0 <= took < 1e9 else 0.0
    return qid, SolverAnswer(SolverStatus(status), reason[:500], model, took)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _stopped(pid: int) -> bool:
    """Whether process ``pid`` is stopped (SIGSTOP, SIGTSTP, a tracer); Linux ``/proc`` only."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return False
    return stat[stat.rfind(b")") + 2:][:1] in (b"T", b"t")


def _wait(fd: int, event: int, deadline: float) -> bool:
    """Whether ``fd`` is ready for ``event`` (or closed) by ``deadline``; past it, right now."""
    poller = select.poll()
    poller.register(fd, event)
    left_ms = min(max(deadline - time.perf_counter(), 0.0) * 1000, _POLL_MAX_MS)
    return bool(poller.poll(math.ceil(left_ms)))


_POLL_MAX_MS = 2**31 - 1
"""``poll`` takes a C int of milliseconds: a longer wait (a huge ``timeout_ms``) is capped."""


def _popen(argv: list[str]) -> tuple[subprocess.Popen[bytes], IO[bytes]]:
    """A worker with unbuffered, non-blocking pipes; its stderr goes to a temporary file."""
    log = tempfile.TemporaryFile()  # noqa: SIM115 - open while the worker runs; see kill()
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=log, bufsize=0)
    except BaseException:
        log.close()
        raise
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            os.set_blocking(stream.fileno(), False)
    return proc, log


DROPPED = SolverAnswer(SolverStatus.CRASH, "dropped: the worker was killed while the query "
                       "was queued behind another")
"""What a queued query gets when its worker is killed over another query: ask it again."""


class _Fault(OSError):
    """The worker failed (exit, signal, garbage, silence): the query's answer and its reason."""

    def __init__(self, status: SolverStatus, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason

    def answer(self) -> SolverAnswer:
        return SolverAnswer(self.status, self.reason)


class SolverProcess:
    """A persistent worker process for one solver; killed and restarted on a hang or crash.

    Protocol (JSON lines): the worker says ``{"ready": …}`` once started, then answers each
    query ``{"id", "smt", "timeout_ms", "model"}`` with one line ``{"id", "status", "reason",
    "model"}``.  Silence past the hard limit is TIMEOUT; an exit, a line that is not such an
    answer, or an answer to a query not asked is CRASH.  Either way the worker is killed with
    the reason given, and the next query starts a fresh one, unless ``start_attempts`` starts
    in a row failed: then it is not started again and every query says why at once.
    """

    def __init__(self, backend: str, grace_s: float = 2.0, argv: list[str] | None = None,
                 startup_s: float = 5.0, start_attempts: int = 2) -> None:
        """``startup_s``: how long a new worker may take to say it is ready, at the least."""
        self.backend = backend
        self.argv = argv or worker_argv(backend)
        self.grace_s, self.startup_s, self.start_attempts = grace_s, startup_s, start_attempts
        self.label = f"{backend} worker"
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._buf = bytearray()
        self._ready = False
        self._next = 0
        self._pending: set[int] = set()
        self._answered: dict[int, SolverAnswer] = {}
        self._begun: dict[int, float] = {}  # when the worker took up a query (queued: later)
        self._dropped: set[int] = set()  # queued behind a query that failed: ask again
        self._failed: dict[int, SolverAnswer] = {}  # that query's own answer, kept for its asker
        self._spawned = 0.0
        self._failed_starts = 0
        self._given_up = ""

    def spawn(self) -> None:
        """Start the worker without waiting for it (several start in parallel); never raises."""
        if self._given_up or (self.proc is not None and self.proc.poll() is None):
            return
        self.kill()  # a worker that exited: reap it and close its pipes first
        try:
            self.proc, self._log = _popen(self.argv)
        except (OSError, ValueError, subprocess.SubprocessError) as e:
            self._start_failed(f"{self.label} could not be started: {e}")
            return
        self._spawned = time.perf_counter()

    def _start_failed(self, reason: str) -> str:
        """Count a failed start; the reason to give (saying so when it is not retried)."""
        self._failed_starts += 1
        if self._failed_starts >= self.start_attempts:
            self._given_up = (f"{reason} (not restarted: {self._failed_starts} failed starts "
                              "in a row)")
            return self._given_up
        return reason

    def _ensure_ready(self, deadline: float) -> None:
        """A worker that said it is ready (started if needed); raises ``_Fault`` if none."""
        if self._ready and self.proc is not None and self.proc.poll() is None:
            return
        if self._ready:
            self.kill()  # it exited since its last answer: a fresh one
        self.spawn()
        if self._given_up:
            raise _Fault(SolverStatus.CRASH, self._given_up)
        if self.proc is None:  # failed to start just now, may be retried
            self.spawn()
        if self.proc is None:
            raise _Fault(SolverStatus.CRASH, self._given_up or f"{self.label} could not start")
        try:
            wait = max(deadline, self._spawned + self.startup_s)
            line = self._line(wait)
            if line is None:
                raise _Fault(SolverStatus.CRASH, f"said nothing in {wait - self._spawned:.1f} s")
            raw = _json(line)
            if not (isinstance(raw, dict) and "ready" in raw):
                raise _Fault(SolverStatus.CRASH, f"said {_excerpt(line)}, not ready")
        except _Fault as f:
            self.kill()
            why = f"{self.label} did not start: {f.reason.removeprefix(self.label + ' ')}"
            raise _Fault(SolverStatus.CRASH, self._start_failed(why)) from None
        self._ready, self._failed_starts = True, 0

    def _line(self, deadline: float) -> bytes | None:
        """The worker's next line, or ``None`` if none is complete at ``deadline``.

        Raises ``_Fault`` at the end of its output (it exited) or past ``MAX_LINE`` bytes.
        """
        proc = self.proc
        if proc is None or proc.stdout is None:
            raise _Fault(SolverStatus.CRASH, f"{self.label} is not running")
        fd = proc.stdout.fileno()
        while True:
            end = self._buf.find(b"\n")
            if end >= 0:
                line = bytes(self._buf[:end])
                del self._buf[:end + 1]
                return line
            if len(self._buf) > MAX_LINE:
                raise _Fault(SolverStatus.CRASH, f"{self.label} sent a line longer than "
                             f"{MAX_LINE} bytes")
            if not _wait(fd, select.POLLIN, deadline):  # past it: only what is there
                return None
            try:
                chunk = os.read(fd, 1 << 16)
            except BlockingIOError:
                continue
            except OSError as e:
                raise _Fault(SolverStatus.CRASH, f"{self.label} output unreadable: {e}") from None
            if not chunk:
                raise _Fault(SolverStatus.CRASH, f"{self.label} {self._exit_detail()}")
            self._buf += chunk

    def _exit_detail(self) -> str:
        """How the worker ended: exit status or signal, and the last line it wrote to stderr."""
        proc = self.proc
        if proc is None:
            return "is not running"
        try:
            code = proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            return "closed its output"
        why = (f"was killed by signal {_signal_name(-code)}" if code < 0
               else f"exited with status {code}")
        tail = self._stderr_tail()
        return f"{why} ({tail})" if tail else why

    def _stderr_tail(self) -> str:
        """The last line the (exited) worker wrote to stderr, shortened."""
        if self._log is None:
            return ""
        try:
            size = self._log.seek(0, os.SEEK_END)
            self._log.seek(max(0, size - 2048))
            text = self._log.read().decode("utf-8", errors="replace")
        except (OSError, ValueError):
            return ""
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        return _short(lines[-1]) if lines else ""

    def kill(self) -> None:
        """Stop the worker (if any), reap it and close its pipes; pending queries are lost."""
        proc, log = self.proc, self._log
        self.proc, self._log, self._ready = None, None, False
        self._buf.clear()
        self._dropped |= self._pending  # answers already read stay in _answered for their askers
        self._pending.clear()
        self._begun.clear()
        if proc is not None:
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
        if log is not None:
            log.close()

    def _write(self, data: bytes, deadline: float) -> None:
        """Write all of ``data`` to the worker by ``deadline``; raises ``_Fault``."""
        proc = self.proc
        if proc is None or proc.stdin is None:
            raise _Fault(SolverStatus.CRASH, f"{self.label} is not running")
        fd, view = proc.stdin.fileno(), memoryview(data)
        while view:
            if not _wait(fd, select.POLLOUT, deadline):
                raise _Fault(SolverStatus.TIMEOUT, f"hard time limit exceeded: {self.label} "
                             "did not read its query")
            try:
                view = view[os.write(fd, view):]
            except BlockingIOError:
                continue
            except OSError:  # a broken pipe: it exited
                raise _Fault(SolverStatus.CRASH, f"{self.label} {self._exit_detail()}") from None

    def send(self, text: str, timeout_ms: int, model: bool = True,
             t0: float | None = None, steps: int | None = None) -> int:
        """Send a query (asked at ``t0``); its id.  Raises ``OSError`` (worker killed) if the
        worker cannot take it by the query's hard limit.  ``steps``: the solver's own
        deterministic resource budget (z3 ``rlimit``, cvc5 ``rlimit-per``)."""
        deadline = (time.perf_counter() if t0 is None else t0) + timeout_ms / 1000 + self.grace_s
        self._ensure_ready(deadline)
        self._next += 1
        q: dict[str, object] = {"id": self._next, "smt": text, "timeout_ms": timeout_ms,
                                "model": model}
        if steps:
            q["steps"] = steps
        try:
            self._write(json.dumps(q).encode() + b"\n", deadline)
        except _Fault:
            self.kill()
            raise
        if not self._pending:  # idle: it starts on this query now (else when it is next)
            self._begun[self._next] = time.perf_counter()
        self._pending.add(self._next)
        return self._next

    def _await(self, qid: int, deadline: float | None, timeout_ms: int
               ) -> SolverAnswer | None:
        """``qid``'s answer (``seconds``: from when the worker took it up).

        With ``deadline`` (a poll): ``None`` if it has not come by then.  Without: each query
        ahead of it in the worker's queue gets ``timeout_ms`` plus grace from when the worker
        took it up; past that, TIMEOUT for that query and the worker is killed.  A fault kills
        the worker and is the answer of the query it was working on; a query queued behind
        that one is ``DROPPED`` (not its failure: the caller asks again).
        """
        try:
            while qid not in self._answered:
                if qid not in self._pending:
                    if qid in self._failed:
                        return self._failed.pop(qid)
                    if qid in self._dropped:
                        self._dropped.discard(qid)
                        return DROPPED
                    return SolverAnswer(SolverStatus.CRASH, f"{self.label} was killed or "
                                        f"restarted before it answered query {qid}")
                head = min(self._pending)  # the worker answers in order: it works on this one
                limit = self._begun[head] + timeout_ms / 1000 + self.grace_s
                line = self._line(limit if deadline is None else min(deadline, limit))
                if line is None:
                    if deadline is not None and time.perf_counter() < limit:
                        return None
                    raise _Fault(SolverStatus.TIMEOUT, self._overdue(timeout_ms))
                self._settle(*self._decode(line))
            return self._answered.pop(qid)
        except _Fault as f:
            head = min(self._pending, default=qid)
            self.kill()
            if head != qid:
                self._dropped.discard(head)
                self._failed[head] = f.answer()
                self._dropped.discard(qid)
                return DROPPED
            self._dropped.discard(qid)
            return f.answer()

    def busy_since(self) -> float:
        """When the worker took up the query it works on (``-inf``: idle)."""
        return self._begun.get(min(self._pending), -math.inf) if self._pending else -math.inf

    def drain(self) -> None:
        """Keep every answer the worker has already written (never waits); a fault kills the
        worker and is the answer of the query it was working on."""
        if self.proc is None or not self._pending:
            return
        try:
            while self._pending and (line := self._line(time.perf_counter())) is not None:
                self._settle(*self._decode(line))
        except _Fault as f:
            head = min(self._pending, default=None)
            self.kill()
            if head is not None:
                self._dropped.discard(head)
                self._failed[head] = f.answer()

    def _settle(self, qid: int, ans: SolverAnswer) -> None:
        """Keep an answer for its asker; the next query in the worker's queue started when
        this one ended: by the worker's own count of its time, if it gave one (an answer read
        late must not lengthen the next query's limit), else now."""
        now = time.perf_counter()
        self._pending.discard(qid)
        begun = self._begun.pop(qid, now)
        ended = min(now, begun + ans.seconds) if ans.seconds else now
        self._answered[qid] = ans if ans.seconds else ans.with_seconds(now - begun)
        if self._pending:
            self._begun.setdefault(min(self._pending), ended)

    def _decode(self, line: bytes) -> tuple[int, SolverAnswer]:
        """The id and answer on one line; raises ``_Fault`` for garbage or a query not asked."""
        raw = _json(line)
        if raw is _NOT_JSON:
            raise _Fault(SolverStatus.CRASH, f"{self.label} sent a line that is not JSON: "
                         f"{_excerpt(line)}")
        got = _answer(raw)
        if isinstance(got, str):
            raise _Fault(SolverStatus.CRASH, f"{self.label} sent an answer of the wrong shape "
                         f"({got}): {_excerpt(line)}")
        if got[0] not in self._pending:
            raise _Fault(SolverStatus.CRASH, f"{self.label} answered query {got[0]}, which "
                         f"was not asked (waiting for {sorted(self._pending)})")
        return got

    def _overdue(self, timeout_ms: int) -> str:
        """Why a query had no answer by its hard limit (the worker is then killed)."""
        if self.proc is not None and _stopped(self.proc.pid):
            how = "was stopped by a signal"
        elif self._buf:
            how = f"sent an incomplete line {_excerpt(bytes(self._buf))} and then nothing"
        else:
            how = "did not answer"
        return f"hard time limit {timeout_ms} ms exceeded: {self.label} {how}; killed"

    def receive(self, qid: int, timeout_ms: int, t0: float | None = None) -> SolverAnswer:
        """The answer to ``qid``, or TIMEOUT (worker killed) past the limit plus grace from
        when the worker took it up, or ``DROPPED``.  (``t0``: kept for callers; unused.)"""
        ans = self._await(qid, None, timeout_ms)
        return ans if ans is not None else SolverAnswer(SolverStatus.TIMEOUT, "no answer")

    def poll(self, qid: int, wait_s: float, timeout_ms: int = 2**31 - 1) -> SolverAnswer | None:
        """The answer to ``qid`` if it arrives within ``wait_s``; ``None`` (still running)."""
        return self._await(qid, time.perf_counter() + wait_s, timeout_ms)

    def ask(self, text: str, timeout_ms: int, model: bool = True,
            steps: int | None = None) -> SolverAnswer:
        """Send a query and wait for its answer (or the fault that ended it)."""
        ans = DROPPED
        while ans is DROPPED:  # queued behind another asker's query that failed: again
            t0 = time.perf_counter()
            try:
                qid = self.send(text, timeout_ms, model, t0, steps)
            except _Fault as f:
                return f.answer().with_seconds(time.perf_counter() - t0)
            ans = self.receive(qid, timeout_ms, t0)
        return ans if ans.seconds else ans.with_seconds(time.perf_counter() - t0)


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
    """A query for a solver: waiting in its engine's backlog until a worker has room, then
    sent; its answer read when asked for (or the send's failure)."""

    elsewhere = True

    def __init__(self, engine: SmtEngine, query: SmtQuery, model: bool = True) -> None:
        self.engine, self.query, self.model = engine, query, model
        self.qid: int | None = None
        self.proc: SolverProcess | None = None
        self.done: EngineResult | None = None
        self.answer: SolverAnswer | None = None
        self.t0 = time.perf_counter()
        engine.dispatch(self)

    def send_to(self, proc: SolverProcess) -> None:
        self.t0, self.proc = time.perf_counter(), proc
        try:
            self.qid = proc.send(self.query.text, self.engine.timeout_ms, self.model,
                                 t0=self.t0, steps=self.engine.steps)
        except _Fault as e:
            self.qid = None
            self._finish(e.answer())

    def _sent(self, *, force: bool) -> bool:
        """Whether it is with a worker (sent now to the likeliest free one if ``force``)."""
        if self.proc is None and self.done is None:
            self.engine.pump()
            if self.proc is None and force:
                self.engine.undispatch(self)
                self.send_to(self.engine.pick())
        return self.proc is not None

    def _finish(self, ans: SolverAnswer) -> EngineResult:
        if not ans.seconds:
            ans = ans.with_seconds(time.perf_counter() - self.t0)
        self.answer = ans
        self.done = self.engine.result_from(self.query, ans)
        return self.done

    def poll(self, wait_s: float) -> EngineResult | None:
        if self.done is not None or not self._sent(force=wait_s > 0) or self.qid is None:
            return self.done
        assert self.proc is not None
        ans = self.proc.poll(self.qid, wait_s, self.engine.timeout_ms)
        if ans is DROPPED:  # its worker was killed over a query queued ahead of it
            self.send_to(self.engine.pick())
            return self.done
        return None if ans is None else self._finish(ans)

    def result(self) -> EngineResult:
        self._sent(force=True)
        while self.done is None and self.qid is not None and self.proc is not None:
            ans = self.proc.receive(self.qid, self.engine.timeout_ms)
            if ans is DROPPED:
                self.send_to(self.engine.pick())
            else:
                self._finish(ans)
        return self.done or self._finish(SolverAnswer(SolverStatus.CRASH, "not sent"))

    def solver_answer(self) -> SolverAnswer:
        """The worker's answer itself (a satisfiability query's model)."""
        self.result()
        assert self.answer is not None
        return self.answer

    def cancel(self) -> EngineResult | None:
        if self.done is not None:
            return None
        self.engine.undispatch(self)
        if self.proc is not None:
            self.proc.kill()
        self.done = self.engine.inconclusive("not needed: policy already met")
        return self.done


class SmtEngine(Engine):
    """Decides the (abstracted) polynomial obligation: unsat of ``hyps ∧ ¬claim`` is PROVED.

    ``sat`` is never PROVED or REFUTED here: the model goes back as a candidate witness for
    certification in Arb (and under log/exp abstraction it is only a hint).
    """

    backend: ClassVar[str] = ""
    per_worker: ClassVar[int] = 2
    """Queries a worker holds at once (the one it works on and the next)."""
    default_workers: ClassVar[int] = 1
    """Worker processes of this solver; queries go to the one with the shortest queue."""
    default_steps: ClassVar[int | None] = None
    """The solver's own resource budget per query: unlike the wall-clock ``timeout_ms`` it
    does not depend on the machine's load, so a hard query ends the same way in every run."""
    finds_models = True

    def __init__(self, timeout_ms: int = 5000, process: SolverProcess | None = None,
                 queries: QueryCache | None = None, steps: int | None = None) -> None:
        """``queries``: a cache shared with the other solvers of the same run (one text each);
        ``steps``: the resource budget (``None``: the backend's default; ``0``: none)."""
        self.name = self.backend
        self.timeout_ms = timeout_ms
        self.steps = self.default_steps if steps is None else steps or None
        self.pool = [process] if process is not None else [
            SolverProcess(self.backend) for _ in range(self.default_workers)]
        self.queries = queries if queries is not None else QueryCache()
        self._ahead: dict[tuple[str, bool], _SmtJob] = {}  # by query text: same answer
        self._backlog: collections.deque[_SmtJob] = collections.deque()

    @property
    def process(self) -> SolverProcess:
        """The (first) worker process."""
        return self.pool[0]

    @process.setter
    def process(self, proc: SolverProcess) -> None:
        """Use ``proc`` as the engine's only worker (the others are stopped)."""
        for p in self.pool:
            if p is not proc:
                p.kill()
        self.pool = [proc]

    def start(self) -> None:
        for p in self.pool:
            p.spawn()

    def close(self) -> None:
        for p in self.pool:
            p.kill()
        self.queries.close()
        self._ahead.clear()

    def ahead(self, ob: Obligation, *, satisfy: bool) -> None:
        """Queue ``ob``'s queries (its satisfiability first if ``satisfy``) in the worker now,
        so that it works while the runner does other things; the answers are the same."""
        qs = self._queries(ob)
        if isinstance(qs, str):
            return
        if satisfy and (qs[0].text, True) not in self._ahead:
            self._ahead[qs[0].text, True] = _SmtJob(self, qs[0])
        if (qs[1].text, False) not in self._ahead:
            self._ahead[qs[1].text, False] = _SmtJob(self, qs[1])

    def _queued(self, q: SmtQuery, sat: bool) -> _SmtJob | None:
        return self._ahead.pop((q.text, sat), None)

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
        return self._queued(qs[1], False) or _SmtJob(self, qs[1])

    def prove(self, ob: Obligation) -> EngineResult:
        return self.submit(ob).result()

    def query_text(self, ob: Obligation) -> tuple[str, dict[str, str]] | None:
        qs = self._queries(ob)
        return None if isinstance(qs, str) else (qs[1].text, qs[1].abstraction)

    def satisfy(self, ob: Obligation) -> SolverAnswer:
        qs = self._queries(ob)
        if isinstance(qs, str):
            return SolverAnswer(SolverStatus.ERROR, qs)
        job = self._queued(qs[0], True)
        if job is not None:
            return job.solver_answer()
        return self.pick().ask(qs[0].text, self.timeout_ms, steps=self.steps)

    def pick(self) -> SolverProcess:
        """The worker likeliest to be free first: an idle one, else the one whose current
        query began last (one that has run long may be at a hard query).  An answer does not
        depend on which worker gives it, only when it comes does."""
        return min(self.pool, key=lambda p: (len(p._pending), -p.busy_since()))

    def dispatch(self, job: _SmtJob) -> None:
        """Queue ``job``; it goes to a worker as soon as one has room (``per_worker`` queries)."""
        self._backlog.append(job)
        self.pump()

    def undispatch(self, job: _SmtJob) -> None:
        with contextlib.suppress(ValueError):
            self._backlog.remove(job)

    def pump(self) -> None:
        """Read every answer already written, then give waiting queries to workers with room;
        never waits.  A worker holds at most ``per_worker`` queries, so few wait behind a
        hard one while another worker is free."""
        for p in self.pool:
            p.drain()
        while self._backlog:
            room = [p for p in self.pool if len(p._pending) < self.per_worker]
            if not room:
                return
            self._backlog.popleft().send_to(min(room, key=lambda p: len(p._pending)))

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
