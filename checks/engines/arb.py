"""Arb ball arithmetic (python-flint): witness certification and branch-and-bound over parameter boxes."""

from __future__ import annotations

import time
from fractions import Fraction

import flint
import sympy as sp

from bebcheck.symbolic.obligation import Obligation

from ._certified import PREC, evaluate, holds, interval_str
from .base import Engine
from .result import EngineResult, Verdict, Witness

__all__ = ["ArbEngine", "certify_hypotheses", "certify_witness"]


def _point_env(ob: Obligation, values: dict[str, Fraction]) -> dict[sp.Symbol, Fraction] | None:
    env: dict[sp.Symbol, Fraction] = {}
    for p in ob.params:
        if p.name not in values:
            return None
        v = Fraction(values[p.name])
        if not p.contains(v):
            return None
        env[p.symbol] = v
    for f in ob.facts:
        for w in f.witnesses:
            if w.name not in values:
                return None
            env[w] = Fraction(values[w.name])
    return env


def certify_hypotheses(ob: Obligation, values: dict[str, Fraction], *,
                       theorems: bool = True) -> bool:
    """Every hypothesis certainly holds at the point.

    Domains and stated hypotheses are evaluated (exact rationals or Arb).  A lemma instance's
    conclusion holds wherever its side conditions do (that is the lemma), so for a fact we
    certify the side conditions; an equality such as log(xy) = log x + log y cannot be
    certified by ball arithmetic, but its side conditions x, y > 0 can.  A fact with an
    existential witness is certified on its conclusion, at the witness value given.
    ``theorems=False`` leaves out the instances of theorems about reals
    (:attr:`~bebcheck.symbolic.lemmas.LemmaInstance.theorem`): what a counterexample to the
    stated hypotheses needs (premises of cited probability lemmas still must hold).
    """
    env = _point_env(ob, values)
    if env is None:
        return False
    if not all(holds(h, env) is True for h in ob.expanded_hypotheses(with_facts=False)):
        return False
    for f in ob.facts:
        if not theorems and f.theorem:
            continue
        if not all(holds(ob._subst(sc), env) is True for sc in f.side_conditions):
            return False
        concl = holds(ob._subst(f.conclusion), env)
        if concl is False:
            return False  # the point contradicts the fact: not a point of these hypotheses
        if concl is None and (f.witnesses or f.lemma.premise):
            return False  # only a pure real-analysis lemma may vouch for an undecided equality
    return True


def certify_witness(ob: Obligation, values: dict[str, Fraction], source: str) -> Witness | None:
    """A certified counterexample: the stated hypotheses (and every premise of a cited
    probability lemma) certainly hold, the claim certainly fails.

    The instances of theorems about reals whose side conditions are not certain at the point
    are named in :attr:`Witness.not_applying` (the step uses them where they do not hold).
    """
    env = _point_env(ob, values)
    if env is None or not certify_hypotheses(ob, values, theorems=False):
        return None
    claim = ob.expanded_claim()
    if holds(claim, env) is not False:
        return None
    sides: dict[str, str] = {}
    parts = list(claim.args) if isinstance(claim, (sp.And, sp.Or)) else [claim]
    for k, part in enumerate(parts):
        if hasattr(part, "lhs"):
            try:
                sides[f"claim[{k}].lhs"] = interval_str(evaluate(part.lhs, env))
                sides[f"claim[{k}].rhs"] = interval_str(evaluate(part.rhs, env))
            except ValueError:
                sides[f"claim[{k}]"] = "undefined at the witness"
    order = [p.name for p in ob.params] + [w.name for f in ob.facts for w in f.witnesses]
    keep = {k: Fraction(values[k]) for k in order if k in values}  # canonical: parameter order
    off = tuple(dict.fromkeys(
        f.lemma.name for f in ob.facts
        if f.theorem and not all(holds(ob._subst(sc), env) is True for sc in f.side_conditions)))
    return Witness(values=keep, claim_sides=sides, source=source, not_applying=off)


class ArbEngine(Engine):
    """Branch and bound over the box of bounded parameters.

    A box is discarded when some hypothesis certainly fails on it, closed when the claim
    certainly holds on it, bisected otherwise.  PROVED only when every box is closed within
    the budget; any unbounded or integer parameter, or a lemma witness, gives INCONCLUSIVE.
    """

    name = "arb"
    cost = 2

    def __init__(self, max_boxes: int = 4000) -> None:
        self.max_boxes = max_boxes

    def prove(self, ob: Obligation) -> EngineResult:
        t0 = time.perf_counter()
        if any(f.witnesses for f in ob.facts):
            return EngineResult(self.name, Verdict.INCONCLUSIVE, 0.0, "lemma witness symbols")
        for p in ob.params:
            if not p.bounded:
                return EngineResult(self.name, Verdict.INCONCLUSIVE, 0.0,
                                    f"parameter {p.name} is unbounded")
            if p.integer:
                return EngineResult(self.name, Verdict.INCONCLUSIVE, 0.0,
                                    f"parameter {p.name} is an integer")
        hyps = ob.expanded_hypotheses(with_facts=True)
        claim = ob.expanded_claim()
        old = flint.ctx.prec
        flint.ctx.prec = PREC
        try:
            stack = [[(Fraction(p.lower), Fraction(p.upper)) for p in ob.params]]  # type: ignore[arg-type]
            n = 0
            while stack:
                box = stack.pop()
                n += 1
                if n > self.max_boxes:
                    return EngineResult(self.name, Verdict.INCONCLUSIVE, time.perf_counter() - t0,
                                        f"box budget {self.max_boxes} exhausted")
                env = {p.symbol: _ball(lo, hi) for p, (lo, hi) in zip(ob.params, box, strict=True)}
                if any(_holds_box(h, env) is False for h in hyps):
                    continue
                if _holds_box(claim, env) is True:
                    continue
                k = max(range(len(box)), key=lambda i: box[i][1] - box[i][0])
                lo, hi = box[k]
                if hi - lo < Fraction(1, 2**40):
                    return EngineResult(self.name, Verdict.INCONCLUSIVE, time.perf_counter() - t0,
                                        "undecided on a tiny box (tight point?)")
                mid = (lo + hi) / 2
                stack.append([*box[:k], (lo, mid), *box[k + 1:]])
                stack.append([*box[:k], (mid, hi), *box[k + 1:]])
        finally:
            flint.ctx.prec = old
        return EngineResult(self.name, Verdict.PROVED, time.perf_counter() - t0,
                            f"branch and bound closed {n} boxes")


def _ball(lo: Fraction, hi: Fraction) -> flint.arb:
    mid = (lo + hi) / 2
    rad = (hi - lo) / 2
    m = flint.arb(flint.fmpq(mid.numerator, mid.denominator))
    r = flint.arb(flint.fmpq(rad.numerator, rad.denominator))
    return m.union(m + r).union(m - r)


def _holds_box(rel: sp.Basic, env: dict[sp.Symbol, flint.arb]) -> bool | None:
    return holds(rel, env)  # type: ignore[arg-type]
