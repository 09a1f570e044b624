"""The pytest plugin (``pytest --bebcheck``) and the oracle check for implementations of the bounds."""

from __future__ import annotations

import importlib.metadata
import json
import math
import subprocess
import sys
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

# imported here, before any in-process run: pytester drops the modules a run imports afterwards
from bebcheck.checks.audit import ChainReport, ObligationReport, StepReport, chain_verdicts
from bebcheck.checks.audit.decide import step_verdict
from bebcheck.checks.audit.runner import Checker
from bebcheck.checks.engines.result import Verdict
from bebcheck.checks.numeric import length as reference_length
from bebcheck.checks.numeric import oracle
from bebcheck.checks.testing import OracleMismatch, arguments, check_against_oracle, parameters
from bebcheck.checks.testing.plugin import classify
from bebcheck.proofs import DEFAULT
from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.errors import InputError
from bebcheck.symbolic.step import StepKind

pytest_plugins = ["pytester"]

PLUGIN = "bebcheck.checks.testing.plugin"
LOAD = ("-p", "no:bebcheck", "-p", PLUGIN)
"""Load the plugin exactly once whether or not its entry point is installed: with the entry
point ``bebcheck`` installed, ``-p PLUGIN`` alone would register the module a second time
(pluggy: "Plugin already registered under a different name"); ``-p no:bebcheck`` blocks the
entry point's name first."""


def _ids(chain: Chain) -> list[str]:
    return [f"bebcheck::{chain.result}::{s.id}::{o.id}" for s, o in chain.obligations()]


def _outcomes(reprec: pytest.HookRecorder) -> dict[str, str]:
    """Each item's outcome: passed, failed or xfailed (from the call phase's report)."""
    out = {}
    for r in reprec.getreports("pytest_runtest_logreport"):
        if r.when == "call" or (r.when == "setup" and not r.passed):
            out[r.nodeid] = "xfailed" if hasattr(r, "wasxfail") else r.outcome
    return out


# ---------------------------------------------------------------------------------------------
# collection and options


def test_collects_one_item_per_obligation_and_nothing_else(pytester: pytest.Pytester):
    pytester.makepyfile(test_other="def test_other():\n    assert False\n")
    rec = pytester.inline_run(*LOAD, "--collect-only", "--bebcheck", "theorem1")
    got = [c.item.nodeid for c in rec.getcalls("pytest_itemcollected")]
    assert got == _ids(DEFAULT.chain("theorem1"))
    assert all(i.split("::")[:2] == ["bebcheck", "theorem1"] for i in got)
    assert "test_other" not in str(got)  # file arguments and test files are not collected
    both = _ids(DEFAULT.chain("lemma_b")) + _ids(DEFAULT.chain("lemma_d1"))
    for args in (["--bebcheck=lemma_b,lemma_d1"], ["--bebcheck", "lemma_b", "lemma_d1"],
                 ["--bebcheck", "Lemma-B", "--bebcheck=lemma_d1,lemma_b"]):
        rec = pytester.inline_run(*LOAD, "--collect-only", *args)
        assert [c.item.nodeid for c in rec.getcalls("pytest_itemcollected")] == both, args
    rec = pytester.inline_run(*LOAD, "--collect-only", "-k", "B.3", "--bebcheck", "lemma_b")
    assert [i.nodeid for i in rec.getcalls("pytest_collection_finish")[0].session.items] == [
        i for i in _ids(DEFAULT.chain("lemma_b")) if "B.3" in i]


def test_no_names_collects_every_result(pytester: pytest.Pytester):
    rec = pytester.inline_run(*LOAD, "--collect-only", "--bebcheck")
    got = [c.item.nodeid for c in rec.getcalls("pytest_itemcollected")]
    assert got == [i for n in DEFAULT.names() for i in _ids(DEFAULT.chain(n))]


@pytest.mark.parametrize(("args", "message"), [
    (["--bebcheck", "theorem9"], "ERROR: --bebcheck: unknown result 'theorem9'; known results: "),
    (["--bebcheck=lemma_b,nosuch"], "ERROR: --bebcheck: unknown result 'nosuch'; "),
    (["--bebcheck", "--bebcheck-min-engines", "99"], "ERROR: --bebcheck-min-engines must be "),
])
def test_a_bad_value_is_a_one_line_usage_error(pytester: pytest.Pytester, args, message):
    result = pytester.runpytest_inprocess(*LOAD, *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    lines = [ln for ln in result.stderr.lines if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith(message)
    assert result.stdout.lines == []  # nothing ran, no header


def test_without_the_option_the_plugin_does_nothing_and_imports_nothing_heavy(
        pytester: pytest.Pytester):
    pytester.makeconftest("""
        import sys
        HEAVY = ("sympy", "numpy", "mpmath", "z3", "cvc5", "flint", "bebcheck.symbolic",
                 "bebcheck.proofs", "bebcheck.checks.audit", "bebcheck.checks.engines",
                 "bebcheck.checks.numeric", "bebcheck.checks.testing.oracle")
        def pytest_collection_finish(session):
            print("ITEMS:", [i.nodeid for i in session.items])
        def pytest_unconfigure(config):
            print("PLUGIN:", config.pluginmanager.has_plugin("PLUGIN"))
            print("HEAVY:", sorted(m for m in HEAVY if m in sys.modules))
    """.replace("PLUGIN\")", f"{PLUGIN}\")"))
    pytester.makepyfile(test_a="def test_a():\n    pass\n")
    result = pytester.runpytest_subprocess(*LOAD, "-s", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["ITEMS: ['test_a.py::test_a']", "*1 passed*", "PLUGIN: True",
                                 "HEAVY: []"])
    result.stdout.no_fnmatch_line("bebcheck: *")  # no header line
    result.stdout.no_fnmatch_line("*= bebcheck =*")  # no summary section
    helped = pytester.runpytest_inprocess(*LOAD, "--help")
    helped.stdout.fnmatch_lines(["*--bebcheck=[[]RESULT ...[]]*", "*--bebcheck-timeout-ms=MS*",
                                 "*--bebcheck-min-engines=N*"])


_EP = list(importlib.metadata.entry_points(group="pytest11", name="bebcheck"))


@pytest.mark.skipif(not _EP, reason="the pytest11 entry point 'bebcheck' is not installed")
def test_the_installed_entry_point_loads_the_plugin(pytester: pytest.Pytester):
    assert _EP[0].value == PLUGIN
    for extra in ((), LOAD):
        result = pytester.runpytest_subprocess(*extra, "--collect-only", "-q", "--bebcheck",
                                               "lemma_b")
        assert result.ret == 0
        assert [ln for ln in result.stdout.lines if ln.startswith("bebcheck::")] == _ids(
            DEFAULT.chain("lemma_b"))


# ---------------------------------------------------------------------------------------------
# outcomes: the same as `bebcheck audit`


def _expected_outcomes(doc: dict) -> dict[str, str]:
    """From `bebcheck audit --format json`: an erratum's unproved obligations are xfailed."""
    out = {}
    for res in doc["results"]:
        steps = {s["id"]: s for s in res["steps"]}
        fixed = {s["repairs"] for s in res["steps"] if s["kind"] == "repaired"}
        for s in res["steps"]:
            target = steps.get(s["repairs"] or "", {}).get("verdict")
            counts = (s["verdict"] == "PROVED" or s["id"] not in fixed
                      if s["kind"] == "faithful" else target not in (None, "PROVED", "GIVEN"))
            for o in s["obligations"]:
                nodeid = f"bebcheck::{res['result']}::{s['id']}::{o['id']}"
                bad = s["verdict"] != "PROVED" and (o["verdict"] != "PROVED"
                                                    or s["refuted_by_proof"])
                out[nodeid] = ("failed" if counts and bad else "passed"
                               if counts or o["verdict"] == "PROVED" else "xfailed")
    return out


def test_the_outcome_is_the_audit_exit_status(pytester: pytest.Pytester):
    audit = subprocess.Popen([sys.executable, "-m", "bebcheck.checks.cli", "audit", "theorem1",
                              "--format", "json"], stdout=subprocess.PIPE, text=True)
    pytester.makeini("[pytest]\nxfail_strict = true\n")  # the plugin's xfails are never strict
    result = pytester.runpytest_inprocess(*LOAD, "-p", "no:cacheprovider", "--bebcheck",
                                          "theorem1")
    out, _ = audit.communicate(timeout=600)
    got = _outcomes(result.reprec)
    assert list(got) == _ids(DEFAULT.chain("theorem1"))
    assert got == _expected_outcomes(json.loads(out))
    assert (result.ret == 0) == (audit.returncode == 0) and audit.returncode in (0, 1)
    assert "xfailed" in got.values()  # theorem1 as printed is wrong: its errata are xfailed
    result.stdout.fnmatch_lines(["*theorem1: chain as printed REFUTED; repaired chain PROVED*"])


def test_a_repaired_obligation_that_is_not_proved_fails_with_a_readable_report(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):
    chain = DEFAULT.chain("lemma_d1")
    fix = next(s for s in chain.steps
               if s.kind is StepKind.REPAIRED and chain.step(s.repairs).finding is not None)
    target = fix.obligations[0]
    check = Checker.check

    def planted(self: Checker, ob, point=None) -> ObligationReport:
        rep = check(self, ob, point)
        if ob.id != target.id:
            return rep
        return ObligationReport(ob, Verdict.INCONCLUSIVE, ["z3"], rep.results,
                                "planted: only 1 engine(s) proved it (policy needs 2)")

    monkeypatch.setattr(Checker, "check", planted)
    result = pytester.runpytest_inprocess(*LOAD, "-p", "no:cacheprovider", "--bebcheck",
                                          "lemma_d1")
    got = _outcomes(result.reprec)
    nodeid = f"bebcheck::lemma_d1::{fix.id}::{target.id}"
    assert [k for k, v in got.items() if v == "failed"] == [nodeid]
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    text = result.stdout.str()
    for needle in (f"{target.id}: INCONCLUSIVE — planted: only 1 engine(s)",
                   sp.sstr(target.expanded_claim()), sp.latex(target.expanded_claim()),
                   f"{fix.id} repairs the printed step {fix.repairs} [REFUTED]", "engines:",
                   "z3: PROVED", "hypotheses", "repaired chain, which is INCONCLUSIVE"):
        assert needle in text, needle


@pytest.fixture(scope="module")
def chains() -> dict[str, Chain]:
    return {n: DEFAULT.chain(n) for n in DEFAULT.names()}


def _without_repairs(chain: Chain) -> Chain:
    return Chain(chain.result, chain.title, chain.statement, chain.location,
                 tuple(s for s in chain.steps if s.kind is not StepKind.REPAIRED))


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_an_item_fails_exactly_when_the_repaired_chain_is_not_proved(chains, data):
    chain = chains[data.draw(st.sampled_from(sorted(chains)))]
    if data.draw(st.booleans()):
        chain = _without_repairs(chain)  # by-proof findings then count as they are
    steps = []
    for s in chain.steps:
        obs = [ObligationReport(o, data.draw(st.sampled_from(Verdict)), [], [])
               for o in s.obligations]
        v, by_proof = step_verdict(s.kind, s.finding, [o.verdict for o in obs])
        steps.append(StepReport(s, v, obs, by_proof=by_proof))
    faithful, repaired = chain_verdicts([(s.step.id, s.step.kind, s.step.repairs, s.verdict)
                                         for s in steps])
    outcomes = classify(ChainReport(chain, steps, faithful, repaired))
    assert (repaired is not Verdict.PROVED) == any(o.kind == "failed" for o in outcomes.values())
    for s in steps:
        for i, o in enumerate(s.obligations):
            kind = outcomes[s.step.id, i].kind
            assert kind != "xfail" or o.verdict is not Verdict.PROVED
            assert kind != "failed" or o.verdict is not Verdict.PROVED or s.by_proof


# ---------------------------------------------------------------------------------------------
# the oracle check for implementations of the bounds


def theorem1_length(alpha: float, beta: float, gamma: float, eps: float) -> int:
    """Theorem 1's repaired length, by hand: n > (log((1-α)/α) + log((1+γ′−ϵ)/ϵ))/β."""
    slack = math.fsum([1.0, -gamma, -eps])  # 1 + gamma' - eps, rounded once
    if slack <= 0:
        return 0
    t = (math.log1p(-alpha) - math.log(alpha) + math.log(slack) - math.log(eps)) / beta
    return max(0, math.floor(t) + 1)


def theorem1_printed(alpha: float, beta: float, gamma: float, eps: float) -> int:
    """Theorem 1's length as the paper prints it: log(γ′/ϵ) in place of log((1+γ′−ϵ)/ϵ)."""
    t = (math.log1p(-alpha) - math.log(alpha) + math.log(-gamma) - math.log(eps)) / beta
    return max(0, math.floor(t) + 1)


def test_a_correct_implementation_passes():
    check_against_oracle(theorem1_length, "theorem1")
    check_against_oracle(theorem1_printed, "theorem1", paper=True)


@pytest.mark.parametrize("paper", [False, True])
@pytest.mark.parametrize("result", ["theorem1", "theorem2", "theorem3", "proposition1",
                                    "theorem4"])
def test_the_numpy_reference_passes_for_every_result(result, paper):
    def numpy_length(**point):  # the printed Theorem 3 and Proposition 1 do not use gamma
        return reference_length(result, paper=paper, **{"gamma": -0.5, **point})[()]

    check_against_oracle(numpy_length, result, paper=paper, max_examples=40)


def test_an_off_by_one_fails_naming_the_parameters():
    with pytest.raises(OracleMismatch) as e:
        check_against_oracle(lambda **p: theorem1_length(**p) + 1, "theorem1", max_examples=50)
    text = str(e.value)
    assert text.startswith("theorem1 (repaired: n > ")
    for needle in ("alpha=", "beta=", "gamma=", "eps=", "your length: ", "bebcheck:    "):
        assert needle in text
    assert "c=" not in text


def test_paper_compares_with_the_printed_length():
    with pytest.raises(OracleMismatch, match=r"theorem1 \(repaired"):
        check_against_oracle(theorem1_printed, "theorem1")
    with pytest.raises(OracleMismatch, match=r"theorem1 \(as printed"):
        check_against_oracle(theorem1_length, "theorem1", paper=True)


def test_exact_points_fixed_values_and_strategies():
    assert arguments("theorem3") == ("alpha", "beta", "gamma", "eps", "c", "reply")
    assert arguments("theorem3", paper=True) == ("alpha", "beta", "eps", "c")
    seen = []

    def exact_length(**point):  # the oracle itself: this checks the plumbing of exact points
        seen.append(point)
        return oracle.length("theorem2", point)

    check_against_oracle(exact_length, "theorem2", exact=True, gamma=Fraction(-1, 2),
                         s0=st.integers(0, 3), max_examples=30)
    assert len(seen) >= 30
    assert all(p["gamma"] == Fraction(-1, 2) and 0 <= p["s0"] <= 3 for p in seen)
    assert all(isinstance(p[k], Fraction) for p in seen for k in ("alpha", "beta", "eps", "c"))

    @settings(max_examples=30, deadline=None)
    @given(parameters("theorem4", exact=True))
    def drawn(point):
        assert set(point) == {"alpha", "beta", "gamma", "eps", "c", "phi"}
        assert all(isinstance(v, Fraction | int) for v in point.values())

    drawn()


def test_bad_requests_are_input_errors():
    with pytest.raises(InputError, match="no explicit length for 'lemma_b'"):
        check_against_oracle(theorem1_length, "lemma_b")
    with pytest.raises(InputError, match=r"theorem1 \(repaired\) takes alpha, beta, gamma, eps; "
                                         "not c"):
        check_against_oracle(theorem1_length, "theorem1", c=1)
    with pytest.raises(InputError, match="alpha must be in"):
        check_against_oracle(theorem1_length, "theorem1", alpha=2)


def test_a_length_that_is_not_an_integer_fails():
    with pytest.raises(OracleMismatch, match=r"\(not an integer\)"):
        check_against_oracle(lambda **p: float(theorem1_length(**p)), "theorem1",
                             max_examples=10)


def test_without_hypothesis_the_error_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "hypothesis", None)
    with pytest.raises(ImportError, match=r"need Hypothesis.*pip install 'bebcheck\[test\]'"):
        check_against_oracle(theorem1_length, "theorem1")
