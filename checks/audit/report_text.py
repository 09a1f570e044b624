"""The text report for reviewers and the Markdown coverage table."""

from __future__ import annotations

from bebcheck.checks.engines.result import Verdict
from bebcheck.symbolic.step import StepKind

from .results import ChainReport, ObligationReport, StepReport

__all__ = ["to_table", "to_text"]

_MARK = {Verdict.PROVED: "PROVED", Verdict.REFUTED: "REFUTED", Verdict.INCONCLUSIVE: "INCONCL"}


def _secs(seconds: float, timings: bool, digits: int = 2) -> str:
    """`` (1.23s)`` when timings are asked for, else nothing (reports diff cleanly)."""
    return f" ({seconds:.{digits}f}s)" if timings else ""


def _ob_line(o: ObligationReport, timings: bool) -> str:
    engines = ",".join(o.proved_by) if o.verdict is Verdict.PROVED else ""
    extra = f" [{engines}]" if engines else ""
    extra += " (certified)" if o.certified and o.verdict is Verdict.PROVED else ""
    why = "" if o.verdict is Verdict.PROVED else f" — {o.reason}"
    return (f"      {_MARK[o.verdict]:8s} {o.obligation.id}{extra}"
            f"{_secs(o.seconds, timings)}{why}")


def _step_lines(s: StepReport, timings: bool) -> list[str]:
    st = s.step
    if st.kind is StepKind.GIVEN:
        return [f"  GIVEN    {st.id:7s} {st.location}: {st.quote[:90]}"]
    tag = "repair" if st.kind is StepKind.REPAIRED else "paper "
    v = s.verdict.value if s.verdict else "-"
    how = ""
    if s.by_proof:
        how = " (by proof)" if s.verdict is Verdict.REFUTED else " (does not follow: proved)"
    return [f"  {v:8s} {st.id:7s} ({tag}) {st.location}{how}",
            *(_ob_line(o, timings) for o in s.obligations)]


def _finding_lines(rep: ChainReport, s: StepReport) -> list[str]:
    st = s.step
    out = ["", f"  ✗ {st.id} — {st.location}", f"    paper: “{st.quote}”"]
    if st.explanation:
        out.append(f"    why:   {st.explanation}")
    if s.by_proof and st.finding is not None:
        out.append(f"    proved: {st.finding.proves}")
    for o in s.obligations:
        if o.witness is None:
            continue
        vals = ", ".join(f"{k}={v}" for k, v in o.witness.values.items())
        out.append(f"    witness ({o.obligation.id}): {vals}")
        out.extend(f"      {k} ∈ {v}" for k, v in o.witness.claim_sides.items())
    for fix in rep.chain.repairs_for(st.id):
        fr = rep.step(fix.id)
        out.append(f"    repair {fix.id} [{fr.verdict.value if fr.verdict else '-'}]: "
                   f"{fix.quote}")
    return out


def _chain_lines(rep: ChainReport, timings: bool) -> list[str]:
    ch = rep.chain
    out = [f"== {ch.result}: {ch.title}  [{ch.location}]"]
    for s in rep.steps:
        out.extend(_step_lines(s, timings))
    c = rep.counts()
    out.append(f"  obligations: {c['PROVED']} PROVED, {c['REFUTED']} REFUTED, "
               f"{c['INCONCLUSIVE']} INCONCLUSIVE")
    out.append(f"  chain as printed: {rep.faithful.value}; repaired chain: "
               f"{rep.repaired.value}{_secs(rep.seconds, timings, 1)}")
    for s in rep.steps:
        if s.verdict is Verdict.REFUTED or (s.by_proof and s.step.kind is StepKind.FAITHFUL):
            out.extend(_finding_lines(rep, s))
    out.append("")
    return out


def to_text(reports: list[ChainReport], seconds: float, *, timings: bool = False) -> str:
    """The reviewer's report; wall-clock times only with ``timings`` (so two runs diff clean)."""
    out: list[str] = []
    total = {v.value: 0 for v in Verdict}
    for rep in reports:
        out.extend(_chain_lines(rep, timings))
        for k, v in rep.counts().items():
            total[k] += v
    certified = sum(1 for r in reports for s in r.steps for o in s.obligations if o.certified)
    proved = f"{total['PROVED']} PROVED" + (f" ({certified} certified)" if certified else "")
    out.append(f"TOTAL: {proved}, {total['REFUTED']} REFUTED, "
               f"{total['INCONCLUSIVE']} INCONCLUSIVE obligations"
               + (f" in {seconds:.1f}s" if timings else ""))
    prem = {p for r in reports for s in r.steps for o in s.obligations for p in o.premises}
    if prem:
        out.append(f"trusted premises of cited probability lemmas: {len(prem)} instance(s) "
                   "(listed per obligation in --format json)")
    ok = all(r.repaired is Verdict.PROVED for r in reports)
    out.append("every repaired chain PROVED" if ok else "some repaired chain is NOT proved")
    return "\n".join(out) + "\n"


def to_table(reports: list[ChainReport], seconds: float, *, timings: bool = False) -> str:
    """The coverage table (Markdown): per result, checked steps and obligation verdicts."""
    rows = ["| result | location | checked steps (paper / repaired) | obligations | PROVED | "
            "REFUTED | INCONCLUSIVE | as printed | repaired |",
            "|---|---|---|---|---|---|---|---|---|"]
    for rep in reports:
        paper = sum(1 for s in rep.steps if s.step.kind is StepKind.FAITHFUL)
        fixed = sum(1 for s in rep.steps if s.step.kind is StepKind.REPAIRED)
        c = rep.counts()
        rows.append(f"| {rep.chain.result} | {rep.chain.location} | {paper} / {fixed} | "
                    f"{sum(c.values())} | {c['PROVED']} | {c['REFUTED']} | {c['INCONCLUSIVE']} | "
                    f"{rep.faithful.value} | {rep.repaired.value} |")
    return "\n".join(rows) + (f"\n\n({seconds:.1f} s)\n" if timings else "\n")
