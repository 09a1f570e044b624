"""The verdict decision, as pure functions: evidence in, verdict and reason out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bebcheck.checks.engines.result import Verdict
from bebcheck.symbolic.finding import Finding, FindingKind
from bebcheck.symbolic.step import StepKind

__all__ = ["Evidence", "chain_verdicts", "combine", "decide", "step_verdict"]


@dataclass(frozen=True)
class Evidence:
    """Everything the engines established about one obligation."""

    proved_by: tuple[str, ...] = ()
    min_engines: int = 2
    vacuous: tuple[str, ...] = ()  # engines that found the hypotheses unsatisfiable
    point_certified: bool = False  # a point satisfying the hypotheses is certified
    witness: bool = False  # a counterexample is certified
    not_applying: tuple[str, ...] = ()  # lemmas (theorems) whose side conditions fail there
    unproved_lemmas: tuple[str, ...] = ()  # the lemmas of the side obligations not PROVED
    sides_unproved: tuple[str, ...] = ()  # lemma side obligations not PROVED
    failures: tuple[tuple[str, str], ...] = ()  # (engine, reason) of the engines that did not


def decide(e: Evidence) -> tuple[Verdict, str]:
    """PROVED only with enough provers, a certified hypothesis point and proved side
    conditions; REFUTED only with a certified witness and no prover (or provers that used a
    lemma instance whose side conditions fail at the witness and whose side obligation is not
    proved); else
    INCONCLUSIVE."""
    proved = ", ".join(e.proved_by)
    if e.vacuous and e.point_certified:
        return Verdict.INCONCLUSIVE, (f"ENGINE CONFLICT: {', '.join(e.vacuous)} found the "
                                      "hypotheses unsatisfiable, but a point satisfying them "
                                      "is certified")
    if e.witness:
        if e.proved_by and e.not_applying and set(e.not_applying) <= set(e.unproved_lemmas):
            # the engines proved it *with* lemma instances that do not apply at the witness
            return Verdict.REFUTED, ("certified counterexample where the proof's "
                                     f"{', '.join(e.not_applying)} instance does not apply "
                                     "(its side conditions fail)")
        if e.proved_by:
            return Verdict.INCONCLUSIVE, (f"ENGINE CONFLICT: {proved} proved it but a "
                                          "certified witness refutes it")
        return Verdict.REFUTED, "certified counterexample"
    if e.vacuous:
        return Verdict.INCONCLUSIVE, (f"hypotheses are contradictory ({', '.join(e.vacuous)}: "
                                      "unsat): vacuous")
    if len(e.proved_by) >= e.min_engines:
        if not e.point_certified:
            return Verdict.INCONCLUSIVE, ("proved, but no point satisfying the hypotheses could "
                                          "be certified")
        if e.sides_unproved:
            return Verdict.INCONCLUSIVE, ("lemma side conditions not proved: "
                                          + ", ".join(e.sides_unproved))
        return Verdict.PROVED, f"proved by {proved}"
    why = "; ".join(f"{name}: {reason}" for name, reason in e.failures)
    return Verdict.INCONCLUSIVE, (f"only {len(e.proved_by)} engine(s) proved it (policy needs "
                                  f"{e.min_engines}); {why}")


def combine(vs: Iterable[Verdict]) -> Verdict:
    """All PROVED: PROVED; any REFUTED: REFUTED; otherwise INCONCLUSIVE."""
    vs = list(vs)
    if any(v is Verdict.REFUTED for v in vs):
        return Verdict.REFUTED
    if all(v is Verdict.PROVED for v in vs):
        return Verdict.PROVED
    return Verdict.INCONCLUSIVE


def step_verdict(kind: StepKind, finding: Finding | None,
                 obligations: Sequence[Verdict]) -> tuple[Verdict | None, bool]:
    """A step's verdict and whether it was reached *by proof* (``None``: a given step).

    A finding shown by proof has obligations that state the problem: when they are PROVED the
    printed claim is REFUTED (by proof) or does not follow (INCONCLUSIVE, the gap proved).
    """
    if kind is StepKind.GIVEN:
        return None, False
    v = combine(obligations)
    if finding is not None and finding.kind.by_proof and v is Verdict.PROVED:
        by_proof = (Verdict.REFUTED if finding.kind is FindingKind.REFUTED_BY_PROOF
                    else Verdict.INCONCLUSIVE)
        return by_proof, True
    return v, False


def chain_verdicts(steps: Sequence[tuple[str, StepKind, str | None, Verdict | None]]
                   ) -> tuple[Verdict, Verdict]:
    """The chain as printed and the repaired chain, from ``(id, kind, repairs, verdict)``.

    As printed: every faithful step.  Repaired: each faithful step that is not PROVED is
    replaced by its repairs (all of them must hold); one without a repair counts as it is.
    """
    faithful = [(sid, v) for sid, k, _, v in steps if k is StepKind.FAITHFUL and v is not None]
    fixes: dict[str, list[Verdict]] = {}
    for _, k, repairs, v in steps:
        if k is StepKind.REPAIRED and repairs is not None:
            fixes.setdefault(repairs, []).append(v or Verdict.INCONCLUSIVE)
    repaired = [v if v is Verdict.PROVED or sid not in fixes else combine(fixes[sid])
                for sid, v in faithful]
    return combine(v for _, v in faithful), combine(repaired)
