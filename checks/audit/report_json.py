"""The JSON report for machines: every chain, step and obligation with its evidence."""

from __future__ import annotations

import json
from typing import Any

import sympy as sp

from bebcheck.checks.engines.result import Verdict

from .results import ChainReport, ObligationReport, StepReport

__all__ = ["to_json"]


def _ob_json(o: ObligationReport) -> dict[str, Any]:
    out = _ob_fields(o)
    if o.certified:  # only with `--certificates`: the report is otherwise unchanged
        out["certificate"] = o.certified
    return out


def _ob_fields(o: ObligationReport) -> dict[str, Any]:
    ob = o.obligation
    return {
        "id": ob.id,
        "text": ob.text,
        "claim_latex": ob.latex(),
        "claim_smtlib2": o.smtlib,
        "abstraction": o.abstraction,
        "params": [p.describe() for p in ob.params],
        "facts": [f.lemma.name for f in ob.facts],
        "verdict": o.verdict.value,
        "engines": o.proved_by,
        "engine_results": [
            {"engine": r.engine, "verdict": r.verdict.value, "seconds": round(r.seconds, 4),
             "reason": r.reason}
            for r in o.results
        ],
        "reason": o.reason,
        "trusted_premises": o.premises,
        "witness": o.witness.as_json() if o.witness else None,
        "hypotheses_witness": {k: str(v) for k, v in (o.hypotheses_point or {}).items()},
        "side_conditions": [_ob_json(s) for s in o.sides],
        "seconds": round(o.seconds, 4),
    }


def _step_json(result: str, s: StepReport) -> dict[str, Any]:
    st = s.step
    f = st.finding
    return {
        "id": st.id,
        "result": result,
        "kind": st.kind.value,
        "location": str(st.location),
        "where": st.location.as_json(),
        "quote": st.quote,
        "repairs": st.repairs,
        "explanation": st.explanation,
        "lemmas": list(st.lemmas),
        "verdict": s.verdict.value if s.verdict else "GIVEN",
        "refuted_by_proof": s.by_proof,
        "severity": f.severity.value if f else None,
        "finding": f.proves if f else "",
        "finding_kind": f.kind.value if f else None,
        "consequence_of": (f.consequence_of or None) if f else None,
        "seconds": round(s.seconds, 4),
        "obligations": [_ob_json(o) for o in s.obligations],
    }


def to_json(reports: list[ChainReport], seconds: float, paper: str) -> str:
    """The whole audit as one JSON document (``paper``: the citation of the audited paper)."""
    doc: dict[str, Any] = {
        "paper": paper,
        "seconds": round(seconds, 3),
        "ok": all(r.repaired is Verdict.PROVED for r in reports),
        "results": [],
    }
    for rep in reports:
        ch = rep.chain
        doc["results"].append({
            "result": str(ch.result), "title": ch.title, "statement": ch.statement,
            "location": ch.location, "faithful": rep.faithful.value,
            "repaired": rep.repaired.value, "counts": rep.counts(),
            "steps": [_step_json(str(ch.result), s) for s in rep.steps],
        })
    return json.dumps(doc, indent=2, ensure_ascii=False, default=sp.sstr) + "\n"
