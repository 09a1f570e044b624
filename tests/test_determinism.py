"""Same input, same bytes out: reports across runs and hash seeds, through the console script."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

BEBCHECK = shutil.which("bebcheck") or os.path.join(os.path.dirname(sys.executable), "bebcheck")
_SECONDS = re.compile(rb'"seconds": [0-9.e+-]+')


def _run(args: list[str], hashseed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    done = subprocess.run([BEBCHECK, *args], env=env, capture_output=True, timeout=600,
                          check=False)
    assert done.returncode in (0, 1), done.stderr.decode()[-2000:]
    assert done.stderr == b"", done.stderr.decode()[-2000:]
    return done.stdout


@pytest.mark.slow
def test_audit_json_is_byte_identical_across_hash_seeds_apart_from_seconds():
    a, b = (_SECONDS.sub(b'"seconds": 0', _run(["audit", "--format", "json"], s))
            for s in ("1", "2"))
    assert b'"seconds": 0' in a
    assert a == b


@pytest.mark.slow
def test_text_report_has_no_timings_unless_asked_and_two_runs_are_identical():
    args = ["audit", "theorem4", "closed_forms"]
    a, b = _run(args, "3"), _run(args, "4")
    assert b"== theorem4:" in a and b"TOTAL:" in a  # a whole report, not an empty one
    assert a == b
    assert not re.search(rb"\(\d+\.\d+s\)|in \d+\.\d+s", a)


def _smt_digest_script() -> str:
    return ("import hashlib\n"
            "from bebcheck.proofs import DEFAULT\n"
            "from bebcheck.checks.engines._smtlib import smt_pair\n"
            "h = hashlib.sha256()\n"
            "for n in DEFAULT.names():\n"
            "    for _, o in DEFAULT.chain(n).obligations():\n"
            "        for ob in [o, *o.side_obligations()]:\n"
            "            h.update(smt_pair(ob)[1].text.encode())\n"
            "print(h.hexdigest())\n")


def test_smtlib_text_of_every_obligation_is_the_same_under_any_hash_seed():
    """The printer walks And/Or in ``args`` order, not frozenset order (issue 10 found the
    cleared-denominator facts and the reciprocal names permuted between runs)."""
    digests = set()
    for seed in ("0", "5", "77"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", _smt_digest_script()], env=env,
                             capture_output=True, text=True, timeout=300, check=True)
        digests.add(out.stdout.strip())
    assert len(digests) == 1



_CUBES = ("(declare-const x Int)(declare-const y Int)(declare-const z Int)"
          "(assert (> x 0))(assert (> y 0))(assert (> z 0))"
          "(assert (= (+ (* x x x) (* y y y)) (* z z z)))(check-sat)")


def _t13() -> str:
    """T1.3's query: z3 proves it in milliseconds, cvc5 (real arithmetic) runs for ever."""
    from bebcheck.checks.engines._smtlib import smt_pair
    from bebcheck.proofs import DEFAULT

    return smt_pair(DEFAULT.chain("theorem1").step("T1.3").obligations[0])[1].text


@pytest.mark.parametrize(("backend", "query"), [("z3", lambda: _CUBES), ("cvc5", _t13)])
def test_a_hard_query_ends_at_the_step_budget_not_at_the_clock(backend, query):
    """The solvers' own resource budget ends a hard query the same way under any load;
    the wall-clock limit (a minute here) is never reached."""
    from bebcheck.checks.engines._smt import SolverProcess
    from bebcheck.checks.engines.result import SolverStatus

    proc = SolverProcess(backend)
    try:
        ans = proc.ask(query(), 60_000, steps=200_000)
    finally:
        proc.kill()
    assert ans.status is SolverStatus.UNKNOWN
    assert ans.reason == "step budget 200000 exhausted"
    assert ans.seconds < 30


def test_checking_ahead_reports_exactly_what_checking_one_by_one_does():
    """The runner begins later obligations while a solver works on an earlier one and keeps
    both solvers' queues full; the reports must be those of the plain one-by-one order
    (Theorem 2 repeats Theorem 1's obligations: which report is a copy of which must not move).
    """
    from bebcheck.checks.audit import Checker, Policy, to_json
    from bebcheck.proofs import DEFAULT

    def run(policy: Policy) -> str:
        with Checker(policy) as ch:
            reports = ch.check_chains([DEFAULT.chain(n) for n in
                                       ("theorem1", "theorem2", "lemma_b")])
        return re.sub(r'"seconds": [0-9.e-]+', '"seconds": 0', to_json(reports, 0.0, "p"))

    one_by_one = run(Policy(ahead=0, depth=0))
    assert "(same obligation as" in one_by_one
    assert run(Policy()) == one_by_one


def test_a_side_obligation_meets_the_same_obligation_still_waiting_for_a_solver():
    """Obligation B waits for a (slow) solver when A begins; A's side obligation says what B
    says.  Checked one by one it is B's copy; checked ahead it must be too (B is finished
    first), not checked again."""
    import sympy as sp

    from bebcheck.checks.audit import Checker, Policy
    from bebcheck.checks.engines.base import Engine, Job
    from bebcheck.checks.engines.registry import create
    from bebcheck.checks.engines.result import EngineResult, Verdict
    from bebcheck.symbolic.lemmas import BERNOULLI
    from bebcheck.symbolic.params import real

    from .helpers import ob

    class _Late(Job):
        elsewhere = True

        def poll(self, wait_s: float) -> EngineResult | None:
            return None  # still working, until the runner insists

        def result(self) -> EngineResult:
            return EngineResult("late", Verdict.PROVED, 0.0, "unsat")

    class Late(Engine):
        name, cost = "late", 0

        def submit(self, ob):
            return _Late()

        def prove(self, ob):
            return _Late().result()

    x_param = real("x")
    x = x_param.symbol
    fact = BERNOULLI.instance(x=x)
    b = ob(sp.And(*fact.side_conditions), [x_param], hyps=[x > 0], id="B")
    a = ob(x**2 >= 0, [x_param], hyps=[x > 0], facts=[fact], id="A")

    def run(policy: Policy) -> list[tuple[str, str]]:
        with Checker(policy, engines=[Late(), create("sympy")]) as ch:
            ch.plan([b, a])
            ch._run_ahead([b, a], None)
            reps = [ch.check(b), ch.check(a)]
        return [(r.obligation.id, r.reason) for r in (reps[0], reps[1], reps[1].sides[0])]

    one_by_one = run(Policy(min_engines=1, ahead=0, depth=0))
    assert "(same obligation as B)" in one_by_one[2][1]
    assert run(Policy(min_engines=1)) == one_by_one
