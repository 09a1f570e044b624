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
