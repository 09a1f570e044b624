"""The JUnit report: a test case per obligation, red exactly when a repaired chain is not PROVED."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bebcheck.checks.audit import chain_verdicts, step_verdict
from bebcheck.checks.audit.report_junit import ERRATUM_PREFIX, counting_steps, to_junit
from bebcheck.checks.engines.result import Verdict
from bebcheck.symbolic.step import StepKind

XSD = Path(__file__).parent / "data" / "junit-10.xsd"


@pytest.fixture(scope="module")
def xml(reports):
    return to_junit(reports)


def _rechain(rep, steps, chain=None):
    """A report with these step reports and the chain verdicts recomputed as the runner does."""
    chain = chain or rep.chain
    faithful, repaired = chain_verdicts(
        [(s.step.id, s.step.kind, s.step.repairs, s.verdict) for s in steps])
    return dataclasses.replace(rep, chain=chain, steps=steps, faithful=faithful,
                               repaired=repaired)


def _plant(rep, step_id: str, index: int, verdict: Verdict):
    """Turn one obligation's verdict, recomputing its step's verdict and the chain's."""
    steps = []
    for s in rep.steps:
        if s.step.id == step_id:
            obs = list(s.obligations)
            obs[index] = dataclasses.replace(obs[index], verdict=verdict, reason="planted")
            v, by_proof = step_verdict(s.step.kind, s.step.finding, [o.verdict for o in obs])
            s = dataclasses.replace(s, obligations=obs, verdict=v, by_proof=by_proof)
        steps.append(s)
    return _rechain(rep, steps)


def _report(reports, result):
    return next(r for r in reports if r.chain.result == result)


def _cases(text: str) -> list[ET.Element]:
    return ET.fromstring(text).findall("./testsuite/testcase")


def _failures(text: str) -> list[ET.Element]:
    return [c for c in _cases(text) if c.find("failure") is not None]


def test_the_document_is_well_formed_junit_xml(xml):
    root = ET.fromstring(xml)
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    assert root.tag == "testsuites" and {s.tag for s in root} == {"testsuite"}
    assert all(c.get("classname", "").startswith("bebcheck.") for c in _cases(xml))


def test_the_document_validates_against_the_vendored_jenkins_junit_schema(xml):
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(XSD))
    schema.validate(xml)
    broken = xml.replace('<testsuite name="theorem1" tests=', '<testsuite tests=', 1)
    assert not schema.is_valid(broken)  # a suite without its required name is rejected


def test_one_testcase_per_obligation_with_readable_unique_names(xml, reports):
    cases = _cases(xml)
    obligations = [(rep, s, o) for rep in reports for s in rep.steps for o in s.obligations]
    assert len(cases) == len(obligations) == 253  # 170 before issue 11's claims and best lengths
    names = [(c.get("classname"), c.get("name")) for c in cases]
    assert len(set(names)) == len(names)
    for c, (rep, s, o) in zip(cases, obligations, strict=True):
        assert c.get("classname") == f"bebcheck.{rep.chain.result}"
        assert c.get("name").startswith(f"{s.step.id} › {o.obligation.id}")
        if o.obligation.text:
            assert c.get("name")[len(f"{s.step.id} › {o.obligation.id}: "):][:40] == \
                " ".join(o.obligation.text.split())[:40]
        assert o.obligation.id in c.find("system-out").text


def test_the_real_audit_is_green_and_its_errata_are_skipped_with_their_witness(xml, reports):
    assert all(r.repaired is Verdict.PROVED for r in reports)
    assert _failures(xml) == []
    by_name = {c.get("name").split(":")[0]: c for c in _cases(xml)}
    refuted = [(s, o) for rep in reports for s in rep.steps for o in s.obligations
               if s.step.kind is StepKind.FAITHFUL and o.verdict is Verdict.REFUTED]
    assert len(refuted) == 42
    for s, o in refuted:
        skipped = by_name[f"{s.step.id} › {o.obligation.id}"].find("skipped")
        assert skipped.get("message").startswith(f"{ERRATUM_PREFIX}{s.step.id} is REFUTED")
        assert all(f"{k} = {v}" in skipped.text for k, v in o.witness.values.items())
    assert sum(c.find("skipped") is not None for c in _cases(xml)) == len(refuted)


def test_count_attributes_equal_the_testcases(xml):
    root = ET.fromstring(xml)
    for suite in root:
        cases = suite.findall("testcase")
        assert suite.get("tests") == str(len(cases))
        assert suite.get("failures") == str(sum(c.find("failure") is not None for c in cases))
        assert suite.get("skipped") == str(sum(c.find("skipped") is not None for c in cases))
        assert suite.get("errors") == "0"
    assert root.get("tests") == str(len(_cases(xml)))
    assert root.get("failures") == str(len(_failures(xml))) and root.get("errors") == "0"


def test_an_undecided_repair_obligation_fails_the_run(reports):
    rep = _plant(_report(reports, "theorem1"), "T1.2r", 0, Verdict.INCONCLUSIVE)
    assert rep.repaired is not Verdict.PROVED
    (case,) = _failures(to_junit([rep]))
    assert case.get("name").startswith("T1.2r › ")
    assert case.find("failure").get("type") == "INCONCLUSIVE"


def test_a_refuted_erratum_step_stays_green(reports):
    rep = _plant(_report(reports, "corollary1"), "C1.1", 0, Verdict.REFUTED)
    assert rep.step("C1.1").verdict is Verdict.REFUTED and rep.repaired is Verdict.PROVED
    text = to_junit([rep])
    assert _failures(text) == []
    (skipped,) = [c.find("skipped") for c in _cases(text) if c.find("skipped") is not None]
    assert skipped.get("message").startswith(f"{ERRATUM_PREFIX}C1.1 is REFUTED, repaired by C1.1r")


def test_a_refuted_printed_step_without_repair_fails_the_run(reports):
    rep = _plant(_report(reports, "theorem1"), "T1.3", 0, Verdict.REFUTED)
    assert rep.repaired is Verdict.REFUTED
    (case,) = _failures(to_junit([rep]))
    assert case.find("failure").get("type") == "REFUTED"


def test_a_finding_shown_by_proof_without_its_repair_fails_though_its_obligations_hold(reports):
    rep = _report(reports, "main_text")
    chain = dataclasses.replace(rep.chain, steps=tuple(
        s for s in rep.chain.steps if s.id != "MT.11r"))
    rep = _rechain(rep, [s for s in rep.steps if s.step.id != "MT.11r"], chain)
    assert rep.repaired is Verdict.INCONCLUSIVE
    assert all(o.verdict is Verdict.PROVED for o in rep.step("MT.11").obligations)
    failures = _failures(to_junit([rep]))
    assert [c.get("name").split(" › ")[0] for c in failures] == ["MT.11"]
    assert failures[0].find("failure").get("type") == "INCONCLUSIVE (does not follow: proved)"


@pytest.mark.parametrize("verdict", [Verdict.INCONCLUSIVE, Verdict.REFUTED])
def test_green_exactly_when_every_repaired_chain_is_proved_under_every_single_plant(
        reports, verdict):
    """Each obligation of the audit in turn, turned REFUTED or INCONCLUSIVE: the JUnit report
    has a failure exactly when the recomputed repaired chain is not PROVED."""
    red = green = 0
    for rep in reports:
        for s in rep.steps:
            for i in range(len(s.obligations)):
                planted = _plant(rep, s.step.id, i, verdict)
                failed = bool(_failures(to_junit([planted])))
                assert failed == (planted.repaired is not Verdict.PROVED), (s.step.id, i)
                red, green = red + failed, green + (not failed)
    assert red > 50 and green > 30  # both directions are exercised


def test_counting_steps_are_the_ones_the_repaired_chain_rests_on(reports):
    rep = _report(reports, "theorem1")
    counting = counting_steps(rep)
    assert {"T1.2r", "T1.3", "T1.5r"} <= counting
    assert not {"T1.2", "T1.5"} & counting  # replaced by their repairs
    for r in reports:
        proved = all(r.step(sid).verdict is Verdict.PROVED for sid in counting_steps(r))
        assert proved == (r.repaired is Verdict.PROVED)


def test_the_same_reports_give_the_same_bytes_without_timestamps(reports, xml):
    assert to_junit(list(reports)) == xml
    root = ET.fromstring(xml)
    assert all(el.get("timestamp") is None for el in root.iter())
    assert {el.get("time") for el in root.iter() if el.get("time") is not None} == {"0"}
