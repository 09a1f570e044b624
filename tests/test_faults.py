"""Fault injection: solver workers that hang, crash, are killed, lie or print garbage, or are missing."""

from __future__ import annotations

import gc
import json
import os
import shlex
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
import sympy as sp

from bebcheck.checks.engines._smt import DROPPED, MAX_LINE, WORKER_CMD_ENV, SolverProcess
from bebcheck.checks.engines.result import SolverStatus, Verdict
from bebcheck.symbolic.params import real

from .helpers import ob

FAKE_WORKER = r'''
"""A solver worker that misbehaves on purpose (written by tests/test_faults.py)."""
import json, os, signal, sys, time

fault, when, counter, backend = sys.argv[1:5]
out = sys.stdout.buffer


def say(data):
    out.write(data)
    out.flush()


def due(suffix):
    """Count this query (or start) across restarts; whether the fault is due now."""
    path = counter + suffix
    n = (int(open(path).read()) if os.path.exists(path) else 0) + 1
    with open(path, "w") as f:
        f.write(str(n))
    return when == "always" or str(n) in when.split(",")


def healthy(line):
    if backend in ("z3", "cvc5"):
        from bebcheck.checks.engines._worker import BACKENDS, _answer
        return json.dumps(_answer(BACKENDS[backend], line)).encode() + b"\n"
    return json.dumps({"id": json.loads(line)["id"], "status": "unsat"}).encode() + b"\n"


def misbehave(qid, line):
    if fault == "hang":
        time.sleep(3600)
    elif fault == "exit":
        sys.stderr.write("fake worker: segmentation fault\n")
        sys.stderr.flush()
        os._exit(3)
    elif fault in ("sigkill", "sigstop"):
        os.kill(os.getpid(), signal.SIGKILL if fault == "sigkill" else signal.SIGSTOP)
    elif fault == "wrong-id":
        say(json.dumps({"id": qid + 1000, "status": "unsat"}).encode() + b"\n")
    elif fault == "not-json":
        say(b"this is not json\n")
    elif fault == "wrong-shape":
        say(json.dumps({"id": qid, "status": ["unsat"]}).encode() + b"\n")
    elif fault == "bad-model":
        say(json.dumps({"id": qid, "status": "sat", "model": {"x": "1/0"}}).encode() + b"\n")
    elif fault == "binary":
        say(b"\x00\xff\xfe\x81\x9f\x07junk\n")
    elif fault == "deep":
        say(b"[" * 200000 + b"\n")
    elif fault == "enormous":
        for _ in range(64):
            say(b"x" * 2**20)
        say(b"\n")
    elif fault == "partial":
        say(b'{"id": ')
        time.sleep(3600)
    elif fault == "slow":
        time.sleep(0.2)
        say(healthy(line))
    elif fault == "sleepy":
        time.sleep(1.5)
        say(healthy(line))
    elif fault == "answer-then-exit":
        say(healthy(line))
        sys.exit(0)


if fault.startswith("start-") and due(".starts"):
    if fault == "start-exit":
        sys.stderr.write("fake worker: cannot load its solver\n")
        sys.exit(4)
    if fault == "start-hang":
        time.sleep(3600)
    say(b"Welcome to the solver!\n")
say(json.dumps({"ready": backend}).encode() + b"\n")
for line in sys.stdin:
    if fault != "none" and not fault.startswith("start-") and due(""):
        misbehave(json.loads(line)["id"], line)
    else:
        say(healthy(line))
'''

X = real("x")
x = X.symbol
BERN_TRUE = ob(sp.GreaterThan(1 / (1 + x), 1 - x), [X], hyps=[x > -1], id="bern")
SQUARE_TRUE = ob(sp.GreaterThan(x**2 + 1, 2 * x), [X], id="square")
IDENTITY = ob(sp.Eq((x + 1) ** 2, x**2 + 2 * x + 1), [X], id="identity")  # sympy proves it
TIMEOUT_MS, GRACE_S = 300, 0.2
SLACK_S = 1.5  # a loaded machine's scheduling, on top of the hard limit and its grace


@pytest.fixture(autouse=True)
def no_hang():
    """A regression that hangs fails here (after 60 s) instead of blocking the suite."""

    def expire(signum, frame):
        raise TimeoutError("the test hung: a fault was waited for past every limit")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def fake(tmp_path):
    """``fake(fault, when)``: the command line of a worker that misbehaves on those queries."""
    script = tmp_path / "fake_worker.py"
    script.write_text(FAKE_WORKER)

    def command(fault: str, when: str = "always") -> list[str]:
        return [sys.executable, str(script), fault, when, str(tmp_path / f"count-{fault}")]

    return command


def _process(argv: list[str], **kw) -> SolverProcess:
    return SolverProcess("fake", grace_s=GRACE_S, argv=[*argv, "fake"], **kw)


def _ask(proc: SolverProcess) -> tuple[SolverStatus, str, float]:
    t0 = time.perf_counter()
    ans = proc.ask("(check-sat)", TIMEOUT_MS)
    return ans.status, ans.reason, time.perf_counter() - t0


MID_QUERY = [
    ("hang", SolverStatus.TIMEOUT, "hard time limit 300 ms exceeded: fake worker did not answer"),
    ("exit", SolverStatus.CRASH, "fake worker exited with status 3 (fake worker: segmentation"),
    ("sigkill", SolverStatus.CRASH, "fake worker was killed by signal SIGKILL"),
    ("sigstop", SolverStatus.TIMEOUT, "fake worker was stopped by a signal; killed"),
    ("wrong-id", SolverStatus.CRASH, "fake worker answered query 1001, which was not asked"),
    ("not-json", SolverStatus.CRASH, "fake worker sent a line that is not JSON: b'this is"),
    ("wrong-shape", SolverStatus.CRASH, "fake worker sent an answer of the wrong shape (status"),
    ("bad-model", SolverStatus.CRASH, "fake worker sent an answer of the wrong shape (model"),
    ("binary", SolverStatus.CRASH, r"fake worker sent a line that is not JSON: b'\x00\xff"),
    ("deep", SolverStatus.CRASH, "fake worker sent a line that is not JSON: b'[[["),
    ("enormous", SolverStatus.CRASH, f"fake worker sent a line longer than {MAX_LINE} bytes"),
    ("partial", SolverStatus.TIMEOUT, "fake worker sent an incomplete line b'{\"id\": '"),
]


@pytest.mark.parametrize(("fault", "status", "reason"), MID_QUERY, ids=[f[0] for f in MID_QUERY])
def test_a_worker_fault_mid_query_is_named_and_a_fresh_worker_answers_the_next(fake, fault,
                                                                               status, reason):
    proc = _process(fake(fault, "1"))
    try:
        got, why, secs = _ask(proc)
        assert got is status and reason in why, why
        assert secs < TIMEOUT_MS / 1000 + GRACE_S + SLACK_S
        assert proc.proc is None  # killed: it cannot be trusted with another query
        assert proc.ask("(check-sat)", TIMEOUT_MS).status is SolverStatus.UNSAT
    finally:
        proc.kill()


def test_a_missing_worker_executable_is_a_crash_and_is_not_retried_forever(tmp_path):
    proc = _process([str(tmp_path / "no-such-python")])
    try:
        proc.spawn()  # what a runner does first: it must not raise
        got, why, _ = _ask(proc)
        assert got is SolverStatus.CRASH
        assert why.startswith("fake worker could not be started: [Errno 2]")
        assert "not restarted: 2 failed starts in a row" in why
        got, why2, secs = _ask(proc)
        assert (got, why2, proc.proc) == (SolverStatus.CRASH, why, None)
        assert secs < 0.05  # given up: no new attempt per query
    finally:
        proc.kill()


START_FAULTS = [
    ("start-exit", "fake worker did not start: exited with status 4 (fake worker: cannot load"),
    ("start-garbage", "fake worker did not start: said b'Welcome to the solver!', not ready"),
    ("start-hang", "fake worker did not start: said nothing in 0.5 s"),  # limit + grace
]


@pytest.mark.parametrize(("fault", "reason"), START_FAULTS, ids=[f[0] for f in START_FAULTS])
def test_a_worker_that_fails_to_start_once_is_started_again_for_the_next_query(fake, fault,
                                                                               reason):
    proc = _process(fake(fault, "1"), startup_s=0.3)
    try:
        got, why, secs = _ask(proc)
        assert got is SolverStatus.CRASH and why.startswith(reason), why
        assert secs < TIMEOUT_MS / 1000 + GRACE_S + SLACK_S
        assert proc.ask("(check-sat)", TIMEOUT_MS).status is SolverStatus.UNSAT
    finally:
        proc.kill()


def test_a_worker_whose_module_cannot_be_imported_says_why():
    proc = _process([sys.executable, "-m", "bebcheck_no_such_worker"])
    try:
        got, why, _ = _ask(proc)
        assert got is SolverStatus.CRASH
        assert why.startswith("fake worker did not start: exited with status 1")
        assert "No module named bebcheck_no_such_worker" in why
    finally:
        proc.kill()


def test_a_worker_that_exits_between_queries_is_replaced_and_leaks_nothing(fake):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        proc = _process(fake("answer-then-exit"))
        statuses = []
        for _ in range(3):
            statuses.append(proc.ask("(check-sat)", TIMEOUT_MS).status)
            time.sleep(0.2)  # it exits meanwhile
        proc.kill()
        del proc
        gc.collect()
    assert statuses == [SolverStatus.UNSAT] * 3
    assert [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)] == []


def test_an_answer_waiting_past_the_deadline_is_read_not_called_a_timeout(fake):
    proc = _process(fake("none"))
    try:
        t0 = time.perf_counter()
        qid = proc.send("(check-sat)", TIMEOUT_MS, t0=t0)
        time.sleep(TIMEOUT_MS / 1000 + GRACE_S + 0.1)  # the runner was busy elsewhere
        assert proc.receive(qid, TIMEOUT_MS, t0).status is SolverStatus.UNSAT
    finally:
        proc.kill()


def test_answers_to_two_pending_queries_are_each_kept_for_their_asker(fake):
    proc = _process(fake("none"))
    try:
        t0 = time.perf_counter()
        first, second = (proc.send("(check-sat)", TIMEOUT_MS, t0=t0) for _ in range(2))
        assert proc.receive(second, TIMEOUT_MS, t0).status is SolverStatus.UNSAT
        assert proc.receive(first, TIMEOUT_MS, t0).status is SolverStatus.UNSAT
    finally:
        proc.kill()


def test_the_worker_command_hook_is_read_from_the_environment(monkeypatch, fake):
    monkeypatch.setenv(f"{WORKER_CMD_ENV}Z3", shlex.join(fake("exit")))
    assert SolverProcess("z3").argv == [*fake("exit"), "z3"]
    assert SolverProcess("cvc5").argv[1:] == ["-m", "bebcheck.checks.engines._worker", "cvc5"]


def test_a_hanging_solver_makes_its_obligation_inconclusive_and_the_next_is_proved(
        monkeypatch, fake):
    from bebcheck.checks.audit import Checker, Policy

    monkeypatch.setenv(f"{WORKER_CMD_ENV}Z3", shlex.join(fake("hang", "1,2")))
    with Checker(Policy(engines=("z3", "cvc5", "sympy"), timeout_ms=TIMEOUT_MS)) as ch:
        ch.engine("z3").process.grace_s = GRACE_S
        t0 = time.perf_counter()
        hung = ch.check(BERN_TRUE)  # its satisfiability and its proof query both hang
        assert time.perf_counter() - t0 < 2 * (TIMEOUT_MS / 1000 + GRACE_S + SLACK_S)
        z3 = next(r for r in hung.results if r.engine == "z3")
        assert z3.verdict is Verdict.INCONCLUSIVE
        assert z3.reason.startswith("timeout: hard time limit 300 ms exceeded: z3 worker")
        assert hung.verdict is Verdict.INCONCLUSIVE
        assert "z3: timeout: hard time limit" in hung.reason
        assert "cvc5" in hung.proved_by  # the other engine went on working
        fine = ch.check(SQUARE_TRUE)  # a fresh z3 worker
        assert fine.verdict is Verdict.PROVED and "z3" in fine.proved_by


def test_a_missing_worker_leaves_the_obligation_inconclusive_and_the_others_working(
        monkeypatch, tmp_path):
    from bebcheck.checks.audit import Checker, Policy

    monkeypatch.setenv(f"{WORKER_CMD_ENV}CVC5", str(tmp_path / "no-such-python"))
    with Checker(Policy(engines=("z3", "cvc5", "sympy"), timeout_ms=TIMEOUT_MS)) as ch:
        for o in (BERN_TRUE, IDENTITY):
            rep = ch.check(o)
            cvc5 = next(r for r in rep.results if r.engine == "cvc5")
            assert cvc5.verdict is Verdict.INCONCLUSIVE
            assert cvc5.reason.startswith("crash: cvc5 worker could not be started: [Errno 2]")
            assert "z3" in rep.proved_by
            if o is BERN_TRUE:  # only z3 proves it: one engine short
                assert rep.verdict is Verdict.INCONCLUSIVE
                assert "cvc5: crash: cvc5 worker could not be started" in rep.reason
        assert rep.verdict is Verdict.PROVED  # z3 and sympy


# -- the console script, as a user runs it ------------------------------------------------
BEBCHECK = Path(sys.executable).with_name("bebcheck")


def _audit(env: dict[str, str], *args: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    """``bebcheck audit theorem1 --format json`` with warnings as errors; its JSON document."""
    full = {**os.environ, "PYTHONWARNINGS": "error", **env}
    run = subprocess.run([str(BEBCHECK), "audit", "theorem1", "--format", "json", *args],
                         env=full, capture_output=True, text=True, timeout=120, check=False)
    assert run.stderr == ""  # no traceback, no ResourceWarning
    assert run.returncode in (0, 1)
    doc = json.loads(run.stdout)
    assert run.returncode == (0 if doc["ok"] else 1)
    return run, doc


def _obligations(doc: dict) -> list[dict]:
    out: list[dict] = []
    todo = [o for r in doc["results"] for s in r["steps"] for o in s["obligations"]]
    while todo:
        o = todo.pop()
        out.append(o)
        todo.extend(o["side_conditions"])
    return out


def _explained(o: dict, fault: str) -> bool:
    """Whether an obligation's reason names ``fault``, or that of a side condition it lacks."""
    return fault in o["reason"] or any(_explained(s, fault) for s in o["side_conditions"]
                                       if s["verdict"] != "PROVED")


def _engine(o: dict, name: str) -> dict | None:
    return next((r for r in o["engine_results"] if r["engine"] == name), None)


def test_the_audit_prints_no_resource_warning_with_warnings_as_errors():
    run, doc = _audit({})
    assert run.returncode == 0 and doc["ok"]


def test_a_worker_crashing_on_every_query_is_restarted_and_the_audit_finishes(fake):
    fault = "crash: z3 worker exited with status 3 (fake worker: segmentation fault)"
    _, doc = _audit({f"{WORKER_CMD_ENV}Z3": shlex.join(fake("exit"))},
                    "--timeout-ms", str(TIMEOUT_MS))
    obs = _obligations(doc)
    crashed = [o for o in obs if (_engine(o, "z3") or {}).get("reason") == fault]
    assert len(crashed) > 5  # a fresh worker for every query, each crashing again
    affected = [o for o in crashed if o["verdict"] == "INCONCLUSIVE"]
    assert affected and all(_explained(o, f"z3: {fault}") for o in affected)
    cvc5 = [_engine(o, "cvc5") for o in crashed]
    assert not any(r["reason"].startswith("crash") for r in cvc5)  # the other solver works on
    assert sum(r["verdict"] == "PROVED" for r in cvc5) > 5
    assert not doc["ok"]


def test_a_hang_and_binary_junk_cost_one_query_each_and_the_audit_finishes(fake):
    t0 = time.perf_counter()
    _, doc = _audit({f"{WORKER_CMD_ENV}Z3": shlex.join(fake("hang", "2")),
                     f"{WORKER_CMD_ENV}CVC5": shlex.join(fake("binary", "2"))},
                    "--timeout-ms", str(TIMEOUT_MS))
    assert time.perf_counter() - t0 < 60  # the hang is killed at 0.3 s + grace, not waited for
    obs = _obligations(doc)
    reasons = {n: [r["reason"] for o in obs if (r := _engine(o, n)) is not None]
               for n in ("z3", "cvc5")}
    assert any(r.startswith("timeout: hard time limit 300 ms exceeded: z3 worker")
               for r in reasons["z3"])
    assert any(r.startswith("crash: cvc5 worker sent a line that is not JSON: b'\\x00")
               for r in reasons["cvc5"])
    assert reasons["z3"].count("unsat") > 5 and reasons["cvc5"].count("unsat") > 5  # restarted


def test_a_time_limit_beyond_polls_range_waits_instead_of_overflowing():
    from bebcheck.checks.engines._smt import SolverProcess

    proc = SolverProcess("z3")
    try:
        ans = proc.ask("(declare-const x Real)(assert (> x 1))(check-sat)", 10**30)
    finally:
        proc.kill()
    assert ans.status.value == "sat"


# -- queued queries (the runner gives the workers their next queries ahead) --------------------
def test_queued_queries_get_their_time_limit_from_when_the_worker_takes_them_up(fake):
    proc = _process(fake("slow"))  # 0.2 s a query; the fourth is answered 0.8 s after sending
    try:
        t0 = time.perf_counter()
        qids = [proc.send("(check-sat)", TIMEOUT_MS, t0=t0) for _ in range(4)]
        answers = [proc.receive(q, TIMEOUT_MS, t0) for q in qids]
        assert [a.status for a in answers] == [SolverStatus.UNSAT] * 4
        assert time.perf_counter() - t0 > TIMEOUT_MS / 1000 + GRACE_S  # past a limit from t0
        assert all(a.seconds < TIMEOUT_MS / 1000 + GRACE_S for a in answers)  # own time only
    finally:
        proc.kill()


def test_a_query_queued_behind_a_hanging_one_is_dropped_not_failed(fake):
    proc = _process(fake("hang", "1"))
    try:
        first, second = (proc.send("(check-sat)", TIMEOUT_MS) for _ in range(2))
        assert proc.receive(second, TIMEOUT_MS) is DROPPED  # the worker was killed over `first`
        hung = proc.receive(first, TIMEOUT_MS)
        assert hung.status is SolverStatus.TIMEOUT and "hard time limit 300 ms" in hung.reason
        assert proc.ask("(check-sat)", TIMEOUT_MS).status is SolverStatus.UNSAT  # a fresh one
    finally:
        proc.kill()


def test_an_engine_asks_again_for_a_queued_query_dropped_over_another(fake):
    from bebcheck.checks.engines.z3 import Z3Engine

    proc = SolverProcess("z3", grace_s=GRACE_S, argv=[*fake("hang", "1"), "z3"])
    engine = Z3Engine(timeout_ms=TIMEOUT_MS, process=proc)
    try:
        engine.ahead(BERN_TRUE, satisfy=True)  # its satisfiability query hangs, its proof waits
        proof = engine.submit(BERN_TRUE).result()
        assert proof.verdict is Verdict.PROVED  # asked again of a fresh worker
        assert engine.satisfy(BERN_TRUE).status is SolverStatus.TIMEOUT  # the hung query's own
    finally:
        engine.close()


def test_a_solver_answer_does_not_depend_on_what_the_worker_was_asked_before():
    """z3's global context carries term ids from query to query (it changed models)."""
    from bebcheck.checks.engines._smtlib import smt_pair
    from bebcheck.proofs import DEFAULT

    obs = [o for _, o in DEFAULT.chain("theorem1").obligations()]
    target = next(i for i, o in enumerate(obs) if o.id == "T1.14/length-to-ratio")
    texts = [smt_pair(o)[0].text for o in obs[: target + 1]]
    fresh, used = SolverProcess("z3"), SolverProcess("z3")
    try:
        for t in texts[:-1]:
            used.ask(t, 60_000, steps=10_000_000)
        after = used.ask(texts[-1], 60_000, steps=10_000_000)
        alone = fresh.ask(texts[-1], 60_000, steps=10_000_000)
        assert after.status is alone.status is SolverStatus.SAT
        assert after.model == alone.model
    finally:
        fresh.kill()
        used.kill()


def test_queries_waiting_for_a_worker_go_to_the_one_that_is_free(fake):
    """A pool of two: the first query keeps one worker busy 1.5 s; the other five are answered
    by the second worker meanwhile (each worker holds one query at a time here)."""
    from bebcheck.checks.engines._smt import _SmtJob
    from bebcheck.checks.engines._smtlib import smt_pair
    from bebcheck.checks.engines.z3 import Z3Engine

    engine = Z3Engine(timeout_ms=5000)
    engine.pool = [SolverProcess("z3", argv=[*fake("sleepy", "1"), "z3"]) for _ in range(2)]
    engine.per_worker = 1
    query = smt_pair(BERN_TRUE)[1]
    try:
        t0 = time.perf_counter()
        jobs = [_SmtJob(engine, query) for _ in range(6)]
        rest = [j.result() for j in jobs[1:]]
        fast = time.perf_counter() - t0
        assert all(r.verdict is Verdict.PROVED for r in rest)
        assert fast < 1.4  # none of them waited behind the slow one
        assert {id(j.proc) for j in jobs[1:]} == {id(engine.pool[1])}
        assert jobs[0].result().verdict is Verdict.PROVED
        assert time.perf_counter() - t0 >= 1.5
    finally:
        engine.close()


def test_answers_already_read_survive_the_worker_being_killed_over_a_later_query(fake):
    proc = _process(fake("hang", "2"))  # the first query is answered, the second hangs
    try:
        first, second = (proc.send("(check-sat)", TIMEOUT_MS) for _ in range(2))
        assert proc.receive(second, TIMEOUT_MS).status is SolverStatus.TIMEOUT  # reads `first`
        assert proc.receive(first, TIMEOUT_MS).status is SolverStatus.UNSAT
    finally:
        proc.kill()
