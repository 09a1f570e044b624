"""The audit as JUnit XML for CI test reporters: a test case per obligation, a suite per result.

The run is green exactly when ``bebcheck audit`` exits 0, i.e. when every result's repaired
chain is PROVED.  The obligations that count are those of the steps the repaired chain rests on
(as :func:`decide.chain_verdicts` builds it): the printed steps that are PROVED or have no
repair, and the repairs of the printed steps that are not PROVED.  Such an obligation that is
not PROVED is a ``<failure>`` (REFUTED or INCONCLUSIVE alike: both make the exit status 1); so
is every obligation of a counting step that its proved obligations show wrong (a finding shown
*by proof* that has no repair), since the step is not PROVED although they are.

A printed step the paper gets wrong and bebcheck repairs (a known erratum) is not a failure:
its obligations that are not PROVED are reported as ``<skipped message="known erratum of the
paper: …">``, with the certified witness as the element's text.  Skipped, rather than passed
with a ``<system-out>`` note, because every reporter (Jenkins, GitLab, GitHub's JUnit actions)
counts skipped tests apart and lists them with their message in its summary, while the output
of a passed test is only seen by opening that test: the errata stay visible without turning
the run red.  (The same goes for a repair that the chain does not need, because the printed
step it stands beside is PROVED.)  Every test case carries its evidence in ``<system-out>``:
the step, the claim, the engines or the reason, the side conditions of the lemmas it uses
(folded into their obligation's test case) and any witness.

No timestamps and ``time="0"`` throughout: the same reports give the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from bebcheck.checks.engines.result import Verdict
from bebcheck.symbolic.step import StepKind

from .results import ChainReport, ObligationReport, StepReport

__all__ = ["ERRATUM_PREFIX", "counting_steps", "to_junit"]

ERRATUM_PREFIX = "known erratum of the paper: "
_NAME_TEXT = 160  # characters of an obligation's text kept in its test case's name
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: str) -> str:
    """Text XML 1.0 can carry (control characters dropped)."""
    return _NOT_XML.sub("", text)


@dataclass(frozen=True)
class _Outcome:
    tag: str  # "failure", "skipped" or "" (passed)
    type: str = ""
    message: str = ""
    text: str = ""


def counting_steps(rep: ChainReport) -> set[str]:
    """The ids of the steps the repaired chain rests on (as in ``decide.chain_verdicts``)."""
    faithful = {s.step.id: s.verdict for s in rep.steps
                if s.step.kind is StepKind.FAITHFUL and s.verdict is not None}
    fixes: dict[str, list[str]] = {}
    for s in rep.steps:
        if s.step.kind is StepKind.REPAIRED and s.step.repairs is not None:
            fixes.setdefault(s.step.repairs, []).append(s.step.id)
    out: set[str] = set()
    for sid, v in faithful.items():
        if v is Verdict.PROVED or sid not in fixes:
            out.add(sid)
        else:
            out.update(fixes[sid])
    return out


def _witness_text(o: ObligationReport) -> str:
    if o.witness is None:
        return ""
    vals = ", ".join(f"{k} = {v}" for k, v in o.witness.values.items())
    sides = "; ".join(f"{k} ∈ {v}" for k, v in o.witness.claim_sides.items())
    return f"certified witness: {vals}" + (f"; {sides}" if sides else "")


def _what(s: StepReport) -> str:
    st = s.step
    return st.explanation or (st.finding.proves if st.finding else "") or st.quote


def _fixes(rep: ChainReport, s: StepReport) -> str:
    fixes = rep.chain.repairs_for(s.step.id)
    return ", ".join(f"{f.id} ({rep.step(f.id).verdict})" for f in fixes)


def _outcome(rep: ChainReport, s: StepReport, o: ObligationReport, counts: bool) -> _Outcome:
    """Failure, skipped (a known erratum, or a repair the chain does not need) or passed."""
    v = o.verdict
    if counts and v is not Verdict.PROVED:
        return _Outcome("failure", v.value, f"{v.value}: {o.reason}", _witness_text(o))
    if counts and s.verdict is not Verdict.PROVED:  # every obligation PROVED: by proof
        how = "REFUTED (by proof)" if s.verdict is Verdict.REFUTED else \
            f"{s.verdict} (does not follow: proved)"
        return _Outcome("failure", how, f"{s.step.id} is {how} and has no repair: {_what(s)}")
    if v is Verdict.PROVED:
        return _Outcome("")
    detail = _witness_text(o) or f"{v.value}: {o.reason}"
    if s.step.kind is StepKind.REPAIRED:
        printed = rep.step(s.step.repairs or "").verdict or "GIVEN"
        return _Outcome("skipped", "not needed", f"{v.value}, not in the repaired chain: the "
                        f"printed step {s.step.repairs} is {printed}", detail)
    if s.verdict is Verdict.REFUTED or s.by_proof:
        return _Outcome("skipped", "known erratum", f"{ERRATUM_PREFIX}{s.step.id} is "
                        f"{s.verdict}, repaired by {_fixes(rep, s)}: {_what(s)}", detail)
    return _Outcome("skipped", "replaced", f"{v.value}: {s.step.id} is not decided and is "
                    f"replaced by its repair {_fixes(rep, s)}", detail)


def _out_lines(rep: ChainReport, s: StepReport, o: ObligationReport, counts: bool) -> list[str]:
    st = s.step
    role = {StepKind.FAITHFUL: "printed step", StepKind.REPAIRED: f"repair of {st.repairs}"}
    lines = [f"{st.id} ({role.get(st.kind, st.kind.value)}) at {st.location}: {st.quote}",
             f"obligation {o.obligation.id}" + (f": {o.obligation.text}" if o.obligation.text
                                                 else ""),
             f"claim: {o.obligation.latex()}",
             f"verdict: {o.verdict.value} — "
             + (f"proved by {', '.join(o.proved_by)}" if o.verdict is Verdict.PROVED
                else o.reason),
             f"step verdict: {s.verdict}" + ("" if counts else
                                             " (not in the repaired chain)")]
    if s.by_proof and st.kind is StepKind.FAITHFUL:
        lines.append(f"known erratum (shown by proof): {_what(s)}")
    lines.extend(f"side condition {c.obligation.id}: {c.verdict.value}"
                 + (f" by {', '.join(c.proved_by)}" if c.verdict is Verdict.PROVED
                    else f" — {c.reason}") for c in o.sides)
    if o.witness is not None:
        lines.append(_witness_text(o))
    return lines


def _name(s: StepReport, o: ObligationReport) -> str:
    text = " ".join(o.obligation.text.split())
    if len(text) > _NAME_TEXT:
        text = text[: _NAME_TEXT - 1].rstrip() + "…"
    return f"{s.step.id} › {o.obligation.id}" + (f": {text}" if text else "")


def _testcase(parent: ET.Element, rep: ChainReport, s: StepReport, o: ObligationReport,
              counts: bool) -> str:
    case = ET.SubElement(parent, "testcase", {"classname": _x(f"bebcheck.{rep.chain.result}"),
                                              "name": _x(_name(s, o)), "time": "0"})
    out = _outcome(rep, s, o, counts)
    if out.tag:
        el = ET.SubElement(case, out.tag, {"type": _x(out.type), "message": _x(out.message)})
        el.text = _x(out.text) or None
    ET.SubElement(case, "system-out").text = _x("\n".join(_out_lines(rep, s, o, counts)))
    return out.tag


def _suite(parent: ET.Element, rep: ChainReport) -> dict[str, int]:
    suite = ET.SubElement(parent, "testsuite", {"name": _x(str(rep.chain.result))})
    props = ET.SubElement(suite, "properties")
    for k, v in (("title", rep.chain.title), ("location", rep.chain.location),
                 ("as printed", rep.faithful.value), ("repaired", rep.repaired.value)):
        ET.SubElement(props, "property", {"name": k, "value": _x(v)})
    counting = counting_steps(rep)
    n = {"tests": 0, "failure": 0, "skipped": 0}
    for s in rep.steps:
        for o in s.obligations:
            tag = _testcase(suite, rep, s, o, s.step.id in counting)
            n["tests"] += 1
            if tag:
                n[tag] += 1
    for k, v in (("tests", n["tests"]), ("failures", n["failure"]), ("errors", 0),
                 ("skipped", n["skipped"]), ("time", "0")):
        suite.set(k, str(v))
    return n


def to_junit(reports: list[ChainReport]) -> str:
    """The audit as one JUnit XML document (UTF-8, indented, deterministic)."""
    root = ET.Element("testsuites", {"name": "bebcheck audit"})
    total = {"tests": 0, "failure": 0, "skipped": 0}
    for rep in reports:
        for k, v in _suite(root, rep).items():
            total[k] += v
    for k, v in (("tests", total["tests"]), ("failures", total["failure"]), ("errors", 0),
                 ("time", "0")):
        root.set(k, str(v))
    ET.indent(root, space="  ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(root, encoding="unicode") + "\n")
