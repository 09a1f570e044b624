"""The audit as SARIF 2.1.0: a result per finding and per repair, at its entry in docs/errata.md.

Results.  Every finding (a printed step the audit shows wrong, as :func:`errata.collect` lists
them, or a step marked with a :class:`~bebcheck.symbolic.finding.Finding` that the audit could
not show) gets one result, and each repaired step beside it one more, so a reader sees the fix.

``kind`` from the step's verdict::

    PROVED                                  -> "pass"
    REFUTED (certified witness, or by proof) -> "fail"
    INCONCLUSIVE (does not follow: proved)  -> "review"   (StepReport.by_proof)
    INCONCLUSIVE (not decided)              -> "open"

``level`` from the finding's severity, for ``fail`` results only (SARIF §3.27.10: a result
whose kind is not ``fail`` has level ``none``)::

    invalid step -> "error",  unsupported claim -> "warning",  constant off -> "warning",
    typo -> "note";  a repair that fails (bebcheck's own correction) -> "error"

Rules: one per finding class, severity × :class:`FindingKind` (id ``invalid-step.refuted``,
``typo.does-not-follow``, …), plus ``repair`` for the repaired steps; all are listed, in a fixed
order, whether or not a result uses them.

Locations: the line where the finding's entry starts in ``docs/errata.md`` (relative to
``%SRCROOT%``, the repository root), computed from the Markdown that
:func:`errata.to_markdown` writes for ``errata`` (that file is ``to_markdown`` of the full
audit's errata); a repair points at its finding's entry; a finding without an entry in
``errata`` has no region.  A logical location names the result, the section, the display or
sentence and the step.  The document carries no time and no absolute path: the same input
gives the same bytes.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bebcheck.checks.engines.result import Verdict
from bebcheck.symbolic.finding import FindingKind, Severity
from bebcheck.symbolic.step import Step, StepKind

from .errata import Erratum, _entry, _entry_lines, to_markdown
from .results import ChainReport, ObligationReport, StepReport

__all__ = [
    "ERRATA_URI",
    "LEVELS",
    "REPAIR_RULE",
    "SCHEMA_URI",
    "SRCROOT",
    "errata_lines",
    "kind_of",
    "rule_id",
    "rules",
    "sheet_lines",
    "to_sarif",
]

SCHEMA_URI = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
              "sarif-schema-2.1.0.json")
ERRATA_URI = "docs/errata.md"
SRCROOT = "%SRCROOT%"
REPAIR_RULE = "repair"

LEVELS: dict[Severity, str] = {
    Severity.INVALID_STEP: "error",
    Severity.UNSUPPORTED_CLAIM: "warning",
    Severity.CONSTANT_OFF: "warning",
    Severity.TYPO: "note",
}
_REPAIR_LEVEL = "error"

_SEVERITY_TEXT = {
    Severity.INVALID_STEP: "an inference of the proof that is false: the argument breaks there",
    Severity.UNSUPPORTED_CLAIM: "a claim that the paper's proofs do not establish",
    Severity.CONSTANT_OFF: "a constant, term or bound printed wrong: the stated quantity is off, "
                           "a corrected one holds",
    Severity.TYPO: "a misprint (sign, direction, index, wording) whose correction leaves the "
                   "argument intact",
}
_KIND_TEXT = {
    FindingKind.REFUTED: "a certified counterexample (exact rational values at which every "
                         "hypothesis holds and the printed claim fails) refutes it",
    FindingKind.REFUTED_BY_PROOF: "obligations stating its negation are proved: the printed claim "
                                  "is false for every constant",
    FindingKind.DOES_NOT_FOLLOW: "obligations stating the gap are proved: the printed claim does "
                                 "not follow from what the paper proves (it is not refuted)",
}


def rule_id(severity: Severity, kind: FindingKind) -> str:
    """``invalid-step.refuted``: the finding class of a severity and a finding kind."""
    return f"{severity.value.replace(' ', '-')}.{kind.value.replace(' ', '-')}"


def _descriptor(rid: str, name: str, short: str, full: str, level: str,
                props: dict[str, str]) -> dict[str, Any]:
    return {"id": rid, "name": name, "shortDescription": {"text": short},
            "fullDescription": {"text": full}, "defaultConfiguration": {"level": level},
            "properties": props}


def rules() -> list[dict[str, Any]]:
    """The rule descriptors, in a fixed order: severity × finding kind, then ``repair``."""
    out = []
    for sev in Severity:
        for kind in FindingKind:
            name = "".join(w.capitalize() for w in f"{sev.value} {kind.value}".split())
            out.append(_descriptor(
                rule_id(sev, kind), name, f"{sev.value.capitalize()} ({kind.value})",
                f"A printed step of the paper with {_SEVERITY_TEXT[sev]}; {_KIND_TEXT[kind]}. "
                "Its entry in the errata sheet gives the evidence and the proved correction.",
                LEVELS[sev], {"severity": sev.value, "findingKind": kind.value}))
    out.append(_descriptor(
        REPAIR_RULE, "ProvedRepair", "Repaired step (the correction bebcheck proves)",
        "A repaired step that stands beside a printed step the audit shows wrong; the repaired "
        "chain, and so the exit status of `bebcheck audit`, rests on it. It passes when PROVED; "
        "it fails when refuted (bebcheck's own correction would be wrong) and is open when not "
        "decided.", _REPAIR_LEVEL, {"role": "repair"}))
    return out


def kind_of(s: StepReport) -> str:
    """The SARIF ``kind`` of a step's verdict (see the module docstring)."""
    if s.verdict is Verdict.PROVED:
        return "pass"
    if s.verdict is Verdict.REFUTED:
        return "fail"
    return "review" if s.by_proof else "open"


def errata_lines(errata: list[Erratum], paper: str) -> dict[tuple[str, str], int]:
    """``(result, id)`` → the 1-based line where its entry starts in the errata sheet.

    The sheet is ``to_markdown(errata, paper, title)``; the title is one line, so any title
    gives the same lines.
    """
    if not errata:
        return {}
    md = to_markdown(errata, paper, "")
    blocks = ["\n".join(_entry_lines(e)) for e in errata]
    body = "\n".join(blocks) + "\n"
    if not md.endswith("\n" + body):
        raise RuntimeError("the errata sheet no longer ends with its entries")
    line = md[: len(md) - len(body)].count("\n") + 1
    out: dict[tuple[str, str], int] = {}
    for e, block in zip(errata, blocks, strict=True):
        out.setdefault((e.result, e.id), line)
        line += block.count("\n") + 1
    return out


def _is_finding(s: StepReport) -> bool:
    """A printed step the errata sheet lists, or one marked with a finding."""
    if s.step.kind is not StepKind.FAITHFUL:
        return False
    return s.verdict is Verdict.REFUTED or s.by_proof or s.step.finding is not None


def _verdict_phrase(s: StepReport) -> str:
    v = s.verdict.value if s.verdict else "-"
    if s.by_proof:
        return f"{v} (by proof)" if s.verdict is Verdict.REFUTED else \
            f"{v} (does not follow: proved)"
    if s.verdict is Verdict.REFUTED:
        return f"{v} (certified counterexample)"
    if s.verdict is Verdict.PROVED:
        return f"{v} ({_engines(s.obligations)})"
    why = "; ".join(f"{o.obligation.id}: {o.reason}" for o in s.obligations
                    if o.verdict is not Verdict.PROVED)
    return f"{v} ({why})"


def _engines(obs: list[ObligationReport]) -> str:
    return "; ".join(f"{o.obligation.id}: {', '.join(o.proved_by)}" for o in obs)


def _witness_lines(witnesses: list[dict[str, Any]]) -> list[str]:
    out = []
    for w in witnesses:
        vals = ", ".join(f"{k} = {v}" for k, v in w["values"].items())
        sides = "; ".join(f"{k} ∈ {v}" for k, v in w["certified"].items())
        out.append(f"Certified witness ({w['obligation']}): {vals}" + (f"; {sides}" if sides
                                                                          else "") + ".")
    return out


def _finding_text(s: StepReport, e: Erratum) -> str:
    st = s.step
    lines = [f"{st.id} ({e.result}): {e.what or 'the printed step is ' + _verdict_phrase(s)}",
             f"Verdict: {_verdict_phrase(s)}.",
             f"The paper prints (at {e.location}): “{e.quote}”"]
    if e.consequence_of:
        lines.append(f"A consequence of {e.consequence_of}: the same gap makes it fail.")
    lines.extend(_witness_lines(e.witnesses))
    if e.proofs:
        head = "Refuted by proof" if e.refuted_by == "proof" else \
            "Does not follow from the paper's proofs (proved)"
        lines.append(f"{head}: " + " | ".join(e.proofs))
    lines.extend(f"Correction ({c['id']}, {c['verdict']}): {c['statement']}"
                 for c in e.corrections)
    return "\n".join(lines)


def _repair_text(fix: StepReport, s: StepReport, e: Erratum) -> str:
    lines = [f"Repair {fix.step.id} of {s.step.id} ({e.result}): {fix.step.quote}",
             f"Verdict: {_verdict_phrase(fix)}.",
             f"It replaces the printed step {s.step.id} ({_verdict_phrase(s)}): "
             f"{e.what or e.quote}"]
    lines.extend(_witness_lines(_entry_witnesses(fix)))
    return "\n".join(lines)


def _entry_witnesses(fix: StepReport) -> list[dict[str, Any]]:
    """Witnesses against a repair's obligations, in the errata sheet's shape (normally none)."""
    return [{"obligation": o.obligation.id,
             "values": {k: str(v) for k, v in o.witness.values.items()},
             "certified": dict(o.witness.claim_sides)}
            for o in fix.obligations if o.verdict is Verdict.REFUTED and o.witness is not None]


def _location(rep: ChainReport, st: Step, line: int | None) -> dict[str, Any]:
    phys: dict[str, Any] = {"artifactLocation": {"uri": ERRATA_URI, "uriBaseId": SRCROOT,
                                                 "index": 0}}
    if line is not None:
        phys["region"] = {"startLine": line}
    loc = st.location
    fqn = "/".join([rep.chain.title, loc.section, loc.ref or loc.anchor.value, st.id])
    return {"physicalLocation": phys,
            "logicalLocations": [{"name": st.id, "fullyQualifiedName": fqn, "kind": "member"}]}


def _result(rep: ChainReport, st: Step, rid: str, index: dict[str, int], kind: str,
            level: str, text: str, line: int | None, props: dict[str, Any]) -> dict[str, Any]:
    return {
        "ruleId": rid, "ruleIndex": index[rid], "kind": kind, "level": level,
        "message": {"text": text},
        "locations": [_location(rep, st, line)],
        "partialFingerprints": {"bebcheckStep/v1": f"{rep.chain.result}/{st.id}"},
        "properties": {"stepId": st.id, "result": str(rep.chain.result), **props},
    }


def _results_for(rep: ChainReport, s: StepReport, e: Erratum, line: int | None,
                 index: dict[str, int]) -> list[dict[str, Any]]:
    """The finding's result, then one per repaired step beside it."""
    st = s.step
    sev = Severity(e.severity)
    fkind = st.finding.kind if st.finding else FindingKind.REFUTED
    kind = kind_of(s)
    common = {"severity": sev.value, "findingKind": fkind.value}
    out = [_result(rep, st, rule_id(sev, fkind), index, kind,
                   LEVELS[sev] if kind == "fail" else "none", _finding_text(s, e), line, {
                       "role": "finding", **common, "verdict": s.verdict.value if s.verdict
                       else "-", "byProof": s.by_proof,
                       "refutedBy": e.refuted_by if kind in ("fail", "review") else "",
                       "consequenceOf": e.consequence_of, "location": st.location.as_json(),
                       "quote": st.quote, "witness": e.witnesses, "proofs": e.proofs,
                       "corrections": e.corrections, "errataEntry": line is not None})]
    for fix_step in rep.chain.repairs_for(st.id):
        fix = rep.step(fix_step.id)
        fk = kind_of(fix)
        out.append(_result(rep, fix_step, REPAIR_RULE, index, fk,
                           _REPAIR_LEVEL if fk == "fail" else "none", _repair_text(fix, s, e),
                           line, {"role": "repair", "repairs": st.id, **common,
                                  "verdict": fix.verdict.value if fix.verdict else "-",
                                  "location": fix_step.location.as_json(),
                                  "quote": fix_step.quote, "witness": _entry_witnesses(fix)}))
    return out


def _run(reports: list[ChainReport], paper: str, version: str,
         results: list[dict[str, Any]], rule_list: list[dict[str, Any]]) -> dict[str, Any]:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", paper).strip("-") or "paper"
    return {
        "tool": {"driver": {"name": "bebcheck", "version": version,
                            "fullName": f"bebcheck {version}: machine-checked proofs of {paper}",
                            "rules": rule_list}},
        "automationDetails": {"id": f"bebcheck-audit/{slug}"},
        "invocations": [{"executionSuccessful": True}],
        "originalUriBaseIds": {SRCROOT: {"description": {
            "text": "The root of the bebcheck repository (docs/errata.md lies below it)."}}},
        "artifacts": [{"location": {"uri": ERRATA_URI, "uriBaseId": SRCROOT},
                       "description": {"text": f"The errata sheet of {paper} "
                                               "(`bebcheck errata`)."},
                       "mimeType": "text/markdown", "encoding": "utf-8",
                       "roles": ["resultFile"]}],
        "results": results,
        "properties": {"paper": paper,
                       "everyRepairedChainProved": all(r.repaired is Verdict.PROVED
                                                       for r in reports),
                       "chains": [{"result": str(r.chain.result), "asPrinted": r.faithful.value,
                                   "repaired": r.repaired.value} for r in reports]},
    }


def sheet_lines(sheet: str) -> dict[tuple[str, str], int]:
    """``(result, id)`` → the line of its entry's heading in an errata sheet's text (the one a
    repository holds, which the locations must match whatever this run found)."""
    out: dict[tuple[str, str], int] = {}
    for n, line in enumerate(sheet.splitlines(), start=1):
        m = _HEADING.match(line)
        if m:
            out.setdefault((m["result"], m["id"]), n)
    return out


_HEADING = re.compile(r"## (?P<id>\S+) — .* \((?P<result>[a-z0-9_]+)\) — \*[^*]+\*$")


def to_sarif(reports: list[ChainReport], errata: list[Erratum], paper: str, *,
             version: str, sheet: str | None = None,
             spec: tuple[dict[str, str], dict[tuple[str, str], int]] | None = None) -> str:
    """The audit as a SARIF 2.1.0 log (``errata``: the sheet the locations point into,
    ``paper``: the citation, ``version``: bebcheck's version).

    Results come from ``reports``; an entry of ``errata`` gives a finding its text and line.
    For lines that match ``docs/errata.md``, pass the errata of the whole audit (``collect``
    of every result), also when ``reports`` is a subset; or pass the sheet's text as
    ``sheet``: lines are then found by the entries' headings, and a finding the sheet does not
    list (a run under another policy) gets no line.
    """
    by_key = {(e.result, e.id): e for e in errata}
    lines = (spec[1] if spec is not None else sheet_lines(sheet) if sheet is not None
             else errata_lines(errata, paper))
    rule_list = rules()
    index = {r["id"]: i for i, r in enumerate(rule_list)}
    results: list[dict[str, Any]] = []
    for rep in reports:
        for s in rep.steps:
            if not _is_finding(s):
                continue
            key = (str(rep.chain.result), s.step.id)
            e = by_key.get(key) or _entry(rep, s)
            results.extend(_results_for(rep, s, e, lines.get(key), index))
    run = _run(reports, paper, version, results, rule_list)
    if spec is not None:
        _point_at(run, spec[0])
    doc = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _point_at(run: dict[str, Any], files: dict[str, str]) -> None:
    """Locate every result in the spec file its result was read from (``files``: result →
    path) instead of the errata sheet."""
    for r in run["results"]:
        for loc in r.get("locations", []):
            loc["physicalLocation"]["artifactLocation"]["uri"] = files[r["properties"]["result"]]
    run["artifacts"] = [{"location": {"uri": uri, "uriBaseId": SRCROOT},
                         "description": {"text": "A spec file the chains were read from."},
                         "mimeType": "application/toml", "encoding": "utf-8",
                         "roles": ["analysisTarget"]} for uri in dict.fromkeys(files.values())]
