"""The SARIF report: valid SARIF 2.1.0, a result per finding and repair, at its errata entry."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from bebcheck import __version__
from bebcheck.checks.audit.errata import collect, to_markdown
from bebcheck.checks.audit.report_sarif import (
    ERRATA_URI,
    LEVELS,
    REPAIR_RULE,
    SRCROOT,
    errata_lines,
    kind_of,
    rule_id,
    to_sarif,
)
from bebcheck.checks.engines.result import Verdict
from bebcheck.proofs import DEFAULT
from bebcheck.symbolic.finding import FindingKind, Severity
from bebcheck.symbolic.step import StepKind

ROOT = Path(__file__).parent.parent
SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def errata(reports):
    return collect(reports)


@pytest.fixture(scope="module")
def text(reports, errata):
    return to_sarif(reports, errata, DEFAULT.citation, version=__version__)


@pytest.fixture(scope="module")
def run(text):
    return json.loads(text)["runs"][0]


def _sarif(reports, errata=None) -> dict:
    errata = collect(reports) if errata is None else errata
    return json.loads(to_sarif(reports, errata, DEFAULT.citation, version="9.9.9"))["runs"][0]


def _step_report(reports, result, step_id):
    rep = next(r for r in reports if r.chain.result == result)
    return rep, rep.step(step_id)


def _findings(run) -> list[dict]:
    return [r for r in run["results"] if r["properties"]["role"] == "finding"]


def _by_step(run) -> dict[str, dict]:
    return {r["properties"]["stepId"]: r for r in run["results"]}


def _replace_step(rep, new):
    return dataclasses.replace(rep, steps=[new if s.step.id == new.step.id else s
                                           for s in rep.steps])


@pytest.mark.parametrize("draft", ["declared (draft-04)", "draft-07"])
def test_the_log_validates_against_the_vendored_sarif_schema(text, draft):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = (jsonschema.validators.validator_for(schema) if draft.startswith("declared")
           else jsonschema.Draft7Validator)
    cls.check_schema(schema)
    errors = [f"{list(e.absolute_path)}: {e.message}"
              for e in cls(schema).iter_errors(json.loads(text))]
    assert errors == []


def test_the_schema_rejects_a_broken_log(text):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    doc = json.loads(text)
    doc["runs"][0]["results"][0]["kind"] = "refuted"  # not a SARIF kind
    cls = jsonschema.validators.validator_for(schema)
    assert list(cls(schema).iter_errors(doc))  # the validation test is not vacuous


def test_every_finding_has_exactly_one_result_and_every_repair_one(run, reports, errata):
    keys = [(r["properties"]["result"], r["properties"]["stepId"]) for r in _findings(run)]
    assert sorted(keys) == sorted((e.result, e.id) for e in errata)
    assert len(errata) == 59
    repairs = [(r["properties"]["result"], r["properties"]["stepId"], r["properties"]["repairs"])
               for r in run["results"] if r["properties"]["role"] == "repair"]
    want = [(str(rep.chain.result), s.id, e.id) for e in errata for rep in reports
            if str(rep.chain.result) == e.result for s in rep.chain.repairs_for(e.id)]
    assert sorted(repairs) == sorted(want) and len(set(repairs)) == len(repairs)
    assert len(run["results"]) == len(keys) + len(repairs)


def test_kinds_map_from_the_verdicts(run, reports):
    seen = set()
    for r in run["results"]:
        p = r["properties"]
        _, s = _step_report(reports, p["result"], p["stepId"])
        want = {Verdict.PROVED: "pass", Verdict.REFUTED: "fail"}.get(
            s.verdict, "review" if s.by_proof else "open")
        assert r["kind"] == want == kind_of(s), p["stepId"]
        assert p["verdict"] == s.verdict.value
        seen.add(r["kind"])
    assert seen == {"pass", "fail", "review"}  # the real audit: witnesses, gaps, proved fixes
    review = {r["properties"]["stepId"] for r in run["results"] if r["kind"] == "review"}
    assert review == {"MT.2", "MT.4", "MT.5", "MT.8", "MT.11", "MT.12", "O.1", "O.3", "C1.1"}


def test_an_undecided_finding_is_open_and_one_refuted_by_proof_fails(reports):
    rep, s = _step_report(reports, "corollary1", "C1.1")
    undecided = _replace_step(rep, dataclasses.replace(s, verdict=Verdict.INCONCLUSIVE,
                                                       by_proof=False))
    got = _by_step(_sarif([undecided]))["C1.1"]
    assert (got["kind"], got["level"]) == ("open", "none")
    assert "region" not in got["locations"][0]["physicalLocation"]  # no errata entry
    assert not got["properties"]["errataEntry"] and got["properties"]["refutedBy"] == ""
    by_proof = _replace_step(rep, dataclasses.replace(s, verdict=Verdict.REFUTED))
    got = _by_step(_sarif([by_proof]))["C1.1"]
    assert (got["kind"], got["level"]) == ("fail", "warning")
    assert got["properties"]["refutedBy"] == "proof"
    assert "Refuted by proof" in got["message"]["text"]


def test_a_repair_that_fails_is_an_error_of_the_repair_rule(reports):
    rep, s = _step_report(reports, "corollary1", "C1.1r")
    bad = _replace_step(rep, dataclasses.replace(s, verdict=Verdict.REFUTED))
    got = _by_step(_sarif([bad]))["C1.1r"]
    assert (got["ruleId"], got["kind"], got["level"]) == (REPAIR_RULE, "fail", "error")


def test_each_result_points_at_the_line_where_its_findings_entry_starts(run):
    lines = (ROOT / "docs" / "errata.md").read_text(encoding="utf-8").split("\n")
    for r in run["results"]:
        phys = r["locations"][0]["physicalLocation"]
        assert phys["artifactLocation"] == {"uri": ERRATA_URI, "uriBaseId": SRCROOT, "index": 0}
        p = r["properties"]
        finding = p.get("repairs", p["stepId"])
        line = lines[phys["region"]["startLine"] - 1]
        assert line.startswith(f"## {finding} — ") and line.endswith(
            f"({p['result']}) — *{p['severity']}*"), (p["stepId"], line)


def test_entry_lines_count_the_lines_of_multi_line_texts(errata):
    planted = [dataclasses.replace(errata[0], quote="one\ntwo\nthree"), *errata[1:]]
    md = to_markdown(planted, DEFAULT.citation, DEFAULT.title).split("\n")
    for e in planted:
        assert md[errata_lines(planted, DEFAULT.citation)[(e.result, e.id)] - 1].startswith(
            f"## {e.id} — ")


def test_levels_follow_the_severity(run):
    assert {s.value: lvl for s, lvl in LEVELS.items()} == {
        "invalid step": "error", "unsupported claim": "warning", "constant off": "warning",
        "typo": "note"}
    levels = set()
    for r in run["results"]:
        p = r["properties"]
        if r["kind"] != "fail":
            assert r["level"] == "none", p["stepId"]
        elif p["role"] == "finding":
            assert r["level"] == LEVELS[Severity(p["severity"])], p["stepId"]
            levels.add(r["level"])
    assert levels == {"error", "warning", "note"}


def test_rule_indices_point_at_the_rule_of_the_finding_class(run):
    rules = run["tool"]["driver"]["rules"]
    assert len({r["id"] for r in rules}) == len(rules) == len(Severity) * len(FindingKind) + 1
    for r in run["results"]:
        rule = rules[r["ruleIndex"]]
        assert rule["id"] == r["ruleId"]
        p = r["properties"]
        if p["role"] == "repair":
            assert r["ruleId"] == REPAIR_RULE
            continue
        sev, kind = Severity(p["severity"]), FindingKind(p["findingKind"])
        assert r["ruleId"] == rule_id(sev, kind)
        assert rule["properties"] == {"severity": sev.value, "findingKind": kind.value}
        assert rule["defaultConfiguration"]["level"] == LEVELS[sev]
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]


def test_the_message_says_what_is_wrong_the_verdict_the_evidence_and_the_fix(run, errata):
    results = {(r["properties"]["result"], r["properties"]["stepId"]): r for r in _findings(run)}
    for e in errata:
        msg = results[(e.result, e.id)]["message"]["text"]
        assert e.what in msg and "Verdict: " in msg, e.id
        for w in e.witnesses:  # exact rationals, as certified
            assert all(f"{k} = {v}" in msg for k, v in w["values"].items()), e.id
        assert all(p in msg for p in e.proofs), e.id
        assert all(f"Correction ({c['id']}, PROVED)" in msg for c in e.corrections), e.id
    t12 = results[("theorem1", "T1.2")]["message"]["text"]
    assert "REFUTED (certified counterexample)" in t12 and "Bm = 3/4" in t12
    mt11 = results[("main_text", "MT.11")]["message"]["text"]
    assert "INCONCLUSIVE (does not follow: proved)" in mt11


def test_properties_carry_step_result_severity_verdict_and_witness(run, errata):
    by = {(r["properties"]["result"], r["properties"]["stepId"]): r for r in _findings(run)}
    for e in errata:
        p = by[(e.result, e.id)]["properties"]
        assert (p["stepId"], p["result"], p["severity"]) == (e.id, e.result, e.severity)
        assert p["witness"] == e.witnesses and p["verdict"] in ("REFUTED", "INCONCLUSIVE")


def test_logical_locations_name_the_result_the_section_the_display_and_the_step(run, reports):
    for r in run["results"]:
        p = r["properties"]
        rep, s = _step_report(reports, p["result"], p["stepId"])
        (logical,) = r["locations"][0]["logicalLocations"]
        loc = s.step.location
        assert logical == {"name": s.step.id, "kind": "member", "fullyQualifiedName":
                           f"{rep.chain.title}/{loc.section}/{loc.ref or loc.anchor}/{s.step.id}"}
    fqn = _by_step(run)["T1.2"]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
    assert fqn == "Theorem 1 (alignment impossibility)/Appendix A/second display/T1.2"


def test_fingerprints_are_stable_per_step(run, reports, errata):
    prints = [r["partialFingerprints"]["bebcheckStep/v1"] for r in run["results"]]
    assert len(set(prints)) == len(prints)
    assert all(f == f"{r['properties']['result']}/{r['properties']['stepId']}"
               for f, r in zip(prints, run["results"], strict=True))
    one = [r for r in reports if r.chain.result == "theorem1"]  # a subset: the same prints
    sub = {r["properties"]["stepId"]: r["partialFingerprints"] for r in _sarif(one)["results"]}
    assert all(_by_step(run)[k]["partialFingerprints"] == v for k, v in sub.items())


def test_the_run_declares_its_tool_base_artifact_and_invocation(run):
    assert run["tool"]["driver"]["name"] == "bebcheck"
    assert run["tool"]["driver"]["version"] == __version__
    assert SRCROOT in run["originalUriBaseIds"]
    assert run["artifacts"][0]["location"] == {"uri": ERRATA_URI, "uriBaseId": SRCROOT}
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert run["automationDetails"]["id"] == "bebcheck-audit/arXiv-2304.11082v1"
    assert run["properties"]["everyRepairedChainProved"] is True


def test_the_same_reports_give_the_same_bytes(reports, errata, text):
    again = to_sarif(list(reports), list(errata), DEFAULT.citation, version=__version__)
    assert again == text and text.endswith("}\n")
    assert not [k for k in _keys(json.loads(text)) if "time" in k.lower()]  # no times at all
    assert str(ROOT) not in text  # no absolute path


def _keys(doc) -> list[str]:
    if isinstance(doc, dict):
        return [*doc, *(k for v in doc.values() for k in _keys(v))]
    if isinstance(doc, list):
        return [k for v in doc for k in _keys(v)]
    return []


def test_only_printed_steps_are_findings(run, reports):
    kinds = {s.step.id: s.step.kind for rep in reports for s in rep.steps}
    for r in run["results"]:
        want = StepKind.FAITHFUL if r["properties"]["role"] == "finding" else StepKind.REPAIRED
        assert kinds[r["properties"]["stepId"]] is want


def test_a_subset_of_results_with_the_whole_errata_points_at_the_committed_lines(reports,
                                                                                  errata, run):
    one = [r for r in reports if r.chain.result == "theorem4"]
    sub = _sarif(one, errata)["results"]
    assert len(sub) == 2 * sum(e.result == "theorem4" for e in errata)
    whole = _by_step(run)
    assert all(r["locations"] == whole[r["properties"]["stepId"]]["locations"] for r in sub)
