"""The paper-agnostic vocabulary: locations, findings, steps; and that every step is located."""

from __future__ import annotations

import sys

import pytest

from bebcheck.checks.engines._smt import SolverProcess
from bebcheck.checks.engines.result import SolverStatus
from bebcheck.proofs import DEFAULT
from bebcheck.symbolic.errors import InputError
from bebcheck.symbolic.finding import Finding, FindingKind, Severity
from bebcheck.symbolic.location import Anchor, Location
from bebcheck.symbolic.step import Step, StepKind

ALL_STEPS = [(name, s) for name in DEFAULT.names() for s in DEFAULT.chain(name).steps]


@pytest.mark.parametrize(("name", "step"), ALL_STEPS, ids=[s.id for _, s in ALL_STEPS])
def test_every_step_points_at_a_display_sentence_or_statement(name, step):
    loc = step.location
    assert isinstance(loc, Location)
    assert loc.anchor in (Anchor.DISPLAY, Anchor.SENTENCE, Anchor.STATEMENT) or \
        name == "closed_forms", step.id
    if loc.anchor in (Anchor.DISPLAY, Anchor.SENTENCE):
        assert loc.ref.strip(), step.id
    assert loc.repaired == (step.kind is StepKind.REPAIRED), step.id


def test_theorem_4_steps_name_their_display():
    steps = [s for s in DEFAULT.chain("theorem4").steps if s.kind is not StepKind.GIVEN]
    assert all(s.location.anchor is Anchor.DISPLAY and "display" in s.location.ref
               for s in steps)
    assert len({s.location.ref for s in steps}) >= 7


def test_a_location_renders_as_a_reader_cites_it():
    assert str(Location.display("Appendix A", "second display", "rearranging")) == \
        "Appendix A, second display (rearranging)"
    assert str(Location.sentence("Appendix E", "Combining these two").as_repaired()) == \
        "Appendix E, “Combining these two…” (repaired)"
    with pytest.raises(InputError):
        Location.display("Appendix A", "")


def test_findings_shown_by_proof_say_what_the_proof_establishes():
    with pytest.raises(InputError):
        Finding(Severity.UNSUPPORTED_CLAIM, FindingKind.DOES_NOT_FOLLOW)
    with pytest.raises(InputError):
        Finding(Severity.TYPO, FindingKind.REFUTED, proves="a text a witness cannot carry")
    assert [s.rank for s in Severity] == [0, 1, 2, 3]


def test_only_a_printed_step_carries_a_finding():
    step = DEFAULT.chain("theorem1").step("T1.2r")
    with pytest.raises(InputError, match="only a printed"):
        Step(step.id, step.location, step.quote, StepKind.REPAIRED, step.obligations,
             repairs="T1.2", finding=Finding(Severity.TYPO))


_GARBAGE = ("import sys; print('{\"ready\": 1}', flush=True); sys.stdin.readline(); "
            "print('this is not json', flush=True); sys.stdin.readline()")


def test_a_worker_that_prints_garbage_is_a_crash_not_a_traceback():
    proc = SolverProcess("garbage", grace_s=0.1, argv=[sys.executable, "-c", _GARBAGE])
    try:
        ans = proc.ask("(check-sat)", timeout_ms=2000)
        assert ans.status is SolverStatus.CRASH and "not JSON" in ans.reason
        assert proc.proc is None  # killed: it is restarted for the next query
    finally:
        proc.kill()
