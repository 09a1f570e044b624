"""mpmath counterexample search at 50 digits; candidates become REFUTED only after Arb certifies them."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from fractions import Fraction

import mpmath
import sympy as sp
from sympy.core.relational import Relational

from bebcheck.symbolic.obligation import Obligation
from bebcheck.symbolic.params import Param

from .arb import certify_hypotheses, certify_witness
from .result import Witness

__all__ = ["CounterexampleSearch", "sample_points"]

DPS = 50
_SPECIAL = [Fraction(0), Fraction(1), Fraction(1, 2), Fraction(1, 10), Fraction(9, 10),
            Fraction(1, 1000), Fraction(999, 1000), Fraction(2), Fraction(10), Fraction(-1),
            Fraction(1, 3), Fraction(3, 4), Fraction(100)]


def _rat(x: float, den: int = 2**24) -> Fraction:
    return Fraction(round(x * den), den)


def _sample(p: Param, rng: random.Random) -> Fraction:
    lo, hi = p.lower, p.upper
    if rng.random() < 0.35:
        cands = [v for v in _SPECIAL if p.contains(v)]
        if lo is not None:
            cands += [v for v in (lo, lo + Fraction(1, 10**6), lo + 1) if p.contains(v)]
        if hi is not None:
            cands += [v for v in (hi, hi - Fraction(1, 10**6)) if p.contains(v)]
        if cands:
            return rng.choice(cands)
    if p.integer:
        base = int(lo) if lo is not None else -50
        top = int(hi) if hi is not None else base + rng.choice([5, 50, 500])
        return Fraction(rng.randint(base, max(base, top)))
    if lo is not None and hi is not None:
        v = _rat(float(lo) + rng.random() * float(hi - lo))
    elif lo is not None:
        v = lo + _rat(10 ** rng.uniform(-4, 3))
    elif hi is not None:
        v = hi - _rat(10 ** rng.uniform(-4, 3))
    else:
        v = _rat(rng.choice([-1, 1]) * 10 ** rng.uniform(-3, 3))
    if not p.contains(v):
        v = lo if lo is not None and p.contains(lo) else (lo or Fraction(0)) + Fraction(1, 2**20)
    return v


def sample_points(ob: Obligation, n: int, seed: int) -> Iterable[dict[str, Fraction]]:
    rng = random.Random(seed)
    wits = [w for f in ob.facts for w in f.witnesses]
    for _ in range(n):
        pt = {p.name: _sample(p, rng) for p in ob.params}
        for w in wits:
            pt[w.name] = _rat(rng.uniform(-10, 10)) if rng.random() < 0.7 else Fraction(
                rng.randint(-5, 5))
        yield pt


def _compile(rel: sp.Basic, syms: list[sp.Symbol]) -> Callable[..., bool]:
    """A 50-digit mpmath predicate (numerics only: used to *find* candidates, never to decide)."""
    if isinstance(rel, (sp.And, sp.Or, sp.Not)):
        subs = [_compile(a, syms) for a in rel.args]
        if isinstance(rel, sp.And):
            return lambda *a: all(f(*a) for f in subs)
        if isinstance(rel, sp.Or):
            return lambda *a: any(f(*a) for f in subs)
        return lambda *a: not subs[0](*a)
    if rel is sp.true:
        return lambda *a: True
    if rel is sp.false:
        return lambda *a: False
    if isinstance(rel, sp.Implies):
        a_, b_ = (_compile(x, syms) for x in rel.args)
        return lambda *a: (not a_(*a)) or b_(*a)
    if not isinstance(rel, Relational):  # an unknown form yields no candidates
        return lambda *a: False
    f = sp.lambdify(syms, rel.lhs - rel.rhs, modules="mpmath")
    op = rel.rel_op
    tests: dict[str, Callable[[mpmath.mpf], bool]] = {
        ">": lambda d: d > 0, ">=": lambda d: d >= 0, "<": lambda d: d < 0,
        "<=": lambda d: d <= 0, "==": lambda d: d == 0, "!=": lambda d: d != 0,
    }
    t = tests[op]

    def pred(*a: object) -> bool:
        try:
            v = f(*a)
        except (ZeroDivisionError, ValueError, OverflowError):
            return False
        if isinstance(v, mpmath.mpc) or not mpmath.isfinite(v):
            return False
        return bool(t(v))

    return pred


class CounterexampleSearch:
    """Random and boundary sampling at 50 digits; every candidate goes to Arb for certification."""

    name = "mpmath-search"

    def __init__(self, samples: int = 600, seed: int = 20230419) -> None:
        self.samples = samples
        self.seed = seed

    def _predicates(self, ob: Obligation) -> tuple[list[sp.Symbol], list[Callable[..., bool]]]:
        syms = [p.symbol for p in ob.params] + [w for f in ob.facts for w in f.witnesses]
        hyps = [_compile(h, syms) for h in ob.expanded_hypotheses(with_facts=True)]
        return syms, hyps

    def find_witness(self, ob: Obligation, seeds: list[dict[str, Fraction]] | None = None
                     ) -> tuple[Witness | None, float]:
        t0 = time.perf_counter()
        # seeds (e.g. SMT models) are tried first, exactly
        for s in seeds or []:
            w = certify_witness(ob, s, "solver model, certified in Arb")
            if w is not None:
                return w, time.perf_counter() - t0
        with mpmath.workdps(DPS):
            syms, hyps = self._predicates(ob)
            neg = _compile(sp.Not(ob.expanded_claim()), syms)
            for pt in sample_points(ob, self.samples, self.seed):
                args = [mpmath.mpf(pt[s.name].numerator) / pt[s.name].denominator for s in syms]
                if all(h(*args) for h in hyps) and neg(*args):
                    w = certify_witness(ob, pt, "mpmath search (50 digits), certified in Arb")
                    if w is not None:
                        return w, time.perf_counter() - t0
        return None, time.perf_counter() - t0

    def find_hypothesis_point(self, ob: Obligation, seeds: list[dict[str, Fraction]] | None = None
                              ) -> dict[str, Fraction] | None:
        for s in seeds or []:
            if certify_hypotheses(ob, s):
                return s
        with mpmath.workdps(DPS):
            syms, hyps = self._predicates(ob)
            for pt in sample_points(ob, self.samples, self.seed + 1):
                args = [mpmath.mpf(pt[s.name].numerator) / pt[s.name].denominator for s in syms]
                if all(h(*args) for h in hyps) and certify_hypotheses(ob, pt):
                    return pt
        return None
