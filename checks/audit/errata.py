"""The errata sheet: one entry per finding, with location, quote, severity, witness and correction."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bebcheck.checks.engines.result import Verdict
from bebcheck.symbolic.finding import Severity
from bebcheck.symbolic.step import StepKind

from .results import ChainReport, StepReport

__all__ = ["Erratum", "collect", "to_json", "to_markdown"]


@dataclass
class Erratum:
    """One finding as a reader sees it (strings only: it is written out as JSON and Markdown)."""

    id: str
    result: str
    location: str
    quote: str
    severity: str
    what: str
    refuted_by: str  # "witness", "proof", or "does not follow" (unsupported, shown by proof)
    witnesses: list[dict[str, Any]] = field(default_factory=list)
    proofs: list[str] = field(default_factory=list)
    corrections: list[dict[str, str]] = field(default_factory=list)
    consequence_of: str = ""  # the step whose error this one follows from ("": independent)
    realisability: dict[str, Any] | None = None  # a finite model that exhibits it, or why none

    def as_json(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        if d["realisability"] is None:  # a sheet that does not assess it says nothing
            del d["realisability"]
        return d


def _entry(rep: ChainReport, s: StepReport) -> Erratum:
    st = s.step
    f = st.finding
    e = Erratum(
        id=st.id, result=str(rep.chain.result), location=str(st.location), quote=st.quote,
        severity=(f.severity if f else Severity.INVALID_STEP).value,
        what=st.explanation or (f.proves if f else ""),
        refuted_by=("witness" if not s.by_proof else
                    "proof" if s.verdict is Verdict.REFUTED else "does not follow"),
        consequence_of=f.consequence_of if f else "",
        realisability=f.realised.as_json() if f and f.realised else None,
    )
    for o in s.obligations:
        if o.verdict is Verdict.REFUTED and o.witness is not None:
            meaning = {p.name: p.meaning for p in o.obligation.params}
            e.witnesses.append({
                "obligation": o.obligation.id,
                "claim": o.obligation.latex(),
                "values": {k: str(v) for k, v in o.witness.values.items()},
                "meaning": {k: meaning.get(k, "") for k in o.witness.values},
                "certified": o.witness.claim_sides,
            })
        elif s.by_proof and o.verdict is Verdict.PROVED:
            e.proofs.append(f"{o.obligation.id}: {o.obligation.text} "
                            f"(proved by {', '.join(o.proved_by)})")
    for fix in rep.chain.repairs_for(st.id):
        fr = rep.step(fix.id)
        e.corrections.append({
            "id": fix.id, "statement": fix.quote,
            "verdict": fr.verdict.value if fr.verdict else "-",
            "engines": "; ".join(f"{o.obligation.id}: {', '.join(o.proved_by)}"
                                 for o in fr.obligations),
        })
    return e


def collect(reports: list[ChainReport]) -> list[Erratum]:
    """Every printed step that failed, with its certified evidence and its proved repair.

    A first-half step that several results share (Theorems 1–3 repeat Appendix A's display) is
    listed once per result, since each appendix prints it.
    """
    out = [_entry(rep, s) for rep in reports for s in rep.steps
           if s.step.kind is StepKind.FAITHFUL
           and (s.verdict is Verdict.REFUTED or s.by_proof)]
    out.sort(key=lambda e: (Severity(e.severity).rank, e.result, e.id))
    return out


def to_json(errata: list[Erratum], paper: str) -> str:
    doc = {"paper": paper, "count": len(errata),
           "independent": sum(1 for e in errata if not e.consequence_of),
           "errata": [e.as_json() for e in errata]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _entry_lines(e: Erratum) -> list[str]:
    lines = [f"## {e.id} — {e.location} ({e.result}) — *{e.severity}*", "", f"> {e.quote}", ""]
    if e.consequence_of:
        lines += [f"*A consequence of {e.consequence_of}: the same gap makes it fail.*", ""]
    if e.what:
        lines += [f"**What is wrong.** {e.what}", ""]
    for w in e.witnesses:
        vals = ", ".join(
            f"{k} = {v}" + (f" ({w['meaning'][k]})" if w["meaning"].get(k) else "")
            for k, v in w["values"].items())
        lines.append(f"**Certified witness** (`{w['obligation']}`): {vals}.")
        lines.append(f"Claim: ${w['claim']}$")
        lines.extend(f"- {side} ∈ {val}" for side, val in w["certified"].items())
        lines.append("")
    if e.proofs:
        lines.append("**Refuted by proof:**" if e.refuted_by == "proof"
                     else "**Does not follow from the paper's proofs (proved):**")
        lines.extend(f"- {p}" for p in e.proofs)
        lines.append("")
    if e.realisability:
        lines += _realised_lines(e.realisability)
    for c in e.corrections:
        lines += [f"**Correction** ({c['id']}, {c['verdict']}): {c['statement']}", ""]
    return lines


def _realised_lines(r: dict[str, Any]) -> list[str]:
    if r["status"] != "model":
        return [f"**Realisability: abstract only.** {r['note']}", ""]
    model = "; ".join(f"{k} = {v}" for k, v in r["model"].items())
    cert = (f" Its exact quantities are a certified counterexample of `{r['witness']}`."
            if r["witness"] else "")
    return [f"**Realisability: realised by a model** (check `{r['check']}`). {r['note']}{cert}",
            f"Model: {model}.", ""]


def to_markdown(errata: list[Erratum], paper: str, title: str) -> str:
    """The sheet in Markdown (``paper``: citation, ``title``: the paper's title)."""
    lines = [f"# Errata: {title} ({paper})", "",
             "Generated by `bebcheck errata`. Each entry: where, what the paper prints, what is "
             "wrong, the certified evidence, and the correction that bebcheck proves.", ""]
    counts: dict[str, int] = {}
    for e in errata:
        counts[e.severity] = counts.get(e.severity, 0) + 1
    lines.append("Severity counts: " + ", ".join(
        f"{k}: {v}" for k, v in sorted(counts.items(), key=lambda kv: Severity(kv[0]).rank)))
    lines.append("")
    real = [e.realisability["status"] for e in errata if e.realisability]
    if real:
        lines.append(f"Realisability: {real.count('model')} realised by an exact finite model, "
                     f"{real.count('abstract')} abstract only, "
                     f"{len(errata) - len(real)} not assessed.")
        lines.append("")
    cons = sum(1 for e in errata if e.consequence_of)
    lines.append(f"{len(errata)} findings, {len(errata) - cons} independent; {cons} are "
                 "consequences of another finding in the same proof (marked).")
    lines.append("")
    for e in errata:
        lines.extend(_entry_lines(e))
    return "\n".join(lines) + "\n"
