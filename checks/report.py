"""Reports: a text view for reviewers and a JSON document for machines."""

from __future__ import annotations

import json
from typing import Any

import sympy as sp

from .runner import ChainReport, ObligationReport
from .verdict import Verdict

__all__ = ["to_json", "to_table", "to_text"]

_MARK = {Verdict.PROVED: "PROVED", Verdict.REFUTED: "REFUTED", Verdict.INCONCLUSIVE: "INCONCL"}


def _ob_line(o: ObligationReport) -> str:
    engines = ",".join(o.proved_by) if o.verdict is Verdict.PROVED else ""
    extra = f" [{engines}]" if engines else ""
    why = "" if o.verdict is Verdict.PROVED else f" — {o.reason}"
    return f"      {_MARK[o.verdict]:8s} {o.obligation.id}{extra} ({o.seconds:.2f}s){why}"


def to_text(reports: list[ChainReport], seconds: float) -> str:
    out: list[str] = []
    total = {v.value: 0 for v in Verdict}
    for rep in reports:
        ch = rep.chain
        out.append(f"== {ch.result}: {ch.title}  [{ch.location}]")
        for s in rep.steps:
            st = s.step
            if st.kind == "given":
                out.append(f"  GIVEN    {st.id:7s} {st.location}: {st.quote[:90]}")
                continue
            tag = "repair" if st.kind == "repaired" else "paper "
            v = s.verdict.value if s.verdict else "-"
            how = ""
            if s.by_proof:
                how = (" (by proof)" if s.verdict is Verdict.REFUTED
                       else " (does not follow: proved)")
            out.append(f"  {v:8s} {st.id:7s} ({tag}) {st.location}{how}")
            for o in s.obligations:
                out.append(_ob_line(o))
        c = rep.counts()
        for k, v in c.items():
            total[k] += v
        out.append(f"  obligations: {c['PROVED']} PROVED, {c['REFUTED']} REFUTED, "
                   f"{c['INCONCLUSIVE']} INCONCLUSIVE")
        out.append(f"  chain as printed: {rep.faithful.value}; repaired chain: "
                   f"{rep.repaired.value}  ({rep.seconds:.1f}s)")
        refuted = [s for s in rep.steps
                   if s.verdict is Verdict.REFUTED or (s.by_proof and s.step.kind == "faithful")]
        for s in refuted:
            st = s.step
            out.append("")
            out.append(f"  ✗ {st.id} — {st.location}")
            out.append(f"    paper: “{st.quote}”")
            if st.explanation:
                out.append(f"    why:   {st.explanation}")
            if s.by_proof:
                out.append(f"    proved: {st.finding}")
            for o in s.obligations:
                if o.witness is None:
                    continue
                vals = ", ".join(f"{k}={v}" for k, v in o.witness.values.items())
                out.append(f"    witness ({o.obligation.id}): {vals}")
                for k, v in o.witness.claim_sides.items():
                    out.append(f"      {k} ∈ {v}")
            for fix in rep.chain.repairs_for(st.id):
                fr = next(x for x in rep.steps if x.step.id == fix.id)
                out.append(f"    repair {fix.id} [{fr.verdict.value if fr.verdict else '-'}]: "
                           f"{fix.quote}")
        out.append("")
    out.append(f"TOTAL: {total['PROVED']} PROVED, {total['REFUTED']} REFUTED, "
               f"{total['INCONCLUSIVE']} INCONCLUSIVE obligations in {seconds:.1f}s")
    prem = {p for r in reports for s in r.steps for o in s.obligations for p in o.premises}
    if prem:
        out.append(f"trusted premises of cited probability lemmas: {len(prem)} instance(s) "
                   "(listed per obligation in --format json)")
    ok = all(r.repaired is Verdict.PROVED for r in reports)
    out.append("every repaired chain PROVED" if ok else "some repaired chain is NOT proved")
    return "\n".join(out) + "\n"


def _ob_json(o: ObligationReport) -> dict[str, Any]:
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


def to_json(reports: list[ChainReport], seconds: float) -> str:
    doc: dict[str, Any] = {
        "paper": "arXiv 2304.11082v1",
        "seconds": round(seconds, 3),
        "ok": all(r.repaired is Verdict.PROVED for r in reports),
        "results": [],
    }
    for rep in reports:
        ch = rep.chain
        steps = []
        for s in rep.steps:
            st = s.step
            steps.append({
                "id": st.id,
                "result": ch.result,
                "kind": st.kind,
                "location": st.location,
                "quote": st.quote,
                "repairs": st.repairs,
                "explanation": st.explanation,
                "lemmas": list(st.lemmas),
                "verdict": s.verdict.value if s.verdict else "GIVEN",
                "refuted_by_proof": s.by_proof,
                "severity": st.severity,
                "finding": st.finding,
                "seconds": round(s.seconds, 4),
                "obligations": [_ob_json(o) for o in s.obligations],
            })
        doc["results"].append({
            "result": ch.result, "title": ch.title, "statement": ch.statement,
            "location": ch.location, "faithful": rep.faithful.value,
            "repaired": rep.repaired.value, "counts": rep.counts(), "steps": steps,
        })
    return json.dumps(doc, indent=2, ensure_ascii=False, default=sp.sstr) + "\n"


def to_table(reports: list[ChainReport], seconds: float) -> str:
    """The coverage table (Markdown): per result, checked steps and obligation verdicts."""
    rows = ["| result | location | checked steps (paper / repaired) | obligations | PROVED | "
            "REFUTED | INCONCLUSIVE | as printed | repaired |",
            "|---|---|---|---|---|---|---|---|---|"]
    for rep in reports:
        paper = sum(1 for s in rep.steps if s.step.kind == "faithful")
        fixed = sum(1 for s in rep.steps if s.step.kind == "repaired")
        c = rep.counts()
        rows.append(f"| {rep.chain.result} | {rep.chain.location} | {paper} / {fixed} | "
                    f"{sum(c.values())} | {c['PROVED']} | {c['REFUTED']} | {c['INCONCLUSIVE']} | "
                    f"{rep.faithful.value} | {rep.repaired.value} |")
    return "\n".join(rows) + f"\n\n({seconds:.1f} s)\n"
