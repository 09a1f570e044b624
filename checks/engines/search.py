"""Counterexample search (models, their neighbourhoods, domain vertices, sampling, local search); Arb certifies."""

from __future__ import annotations

import itertools
import math
import random
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import sympy as sp
from sympy.core.relational import Relational

from bebcheck.symbolic.obligation import Obligation
from bebcheck.symbolic.params import Param

from .arb import certify_hypotheses, certify_witness
from .result import Witness

__all__ = ["CounterexampleSearch", "SearchBudget", "edge_values", "sample_points"]

DPS = 50
_SPECIAL = [Fraction(0), Fraction(1), Fraction(1, 2), Fraction(1, 10), Fraction(9, 10),
            Fraction(1, 1000), Fraction(999, 1000), Fraction(2), Fraction(10), Fraction(-1),
            Fraction(1, 3), Fraction(3, 4), Fraction(100)]
_INSIDE = [Fraction(1, 10**k) for k in (1, 3, 6, 9, 12)]  # offsets just inside an end
_SCALES = [Fraction(10) ** k for k in (-12, -9, -6, -3, -1, 0, 1, 3, 6)]
_TOL = 1e-12  # float slack on a hypothesis (equalities such as log(xy) = log x + log y)
_MARGIN = 1e-9  # how far past failure the local search aims, so that Arb can certify


@dataclass(frozen=True)
class SearchBudget:
    """How much work the search may do after the solver models: counts, never wall-clock time
    (the same obligation gets the same witness on every run)."""

    neighbours: int = 40  # perturbations of each solver model
    seeds: int = 8  # solver models whose neighbourhoods are searched
    vertices: int = 600  # combinations of end points (all corners first, when few)
    wide: int = 3000  # points sampled on logarithmic scales, screened in float64
    starts: int = 6  # local-search starting points
    steps: int = 80  # local-search iterations per start
    certify: int = 120  # Arb certifications at most


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


# -- the domain's end points ---------------------------------------------------------------
def _inside(p: Param, values: Iterable[Fraction]) -> list[Fraction]:
    """``values`` that lie in p's domain, first occurrences only, in order."""
    out: list[Fraction] = []
    for v in values:
        if p.contains(v) and v not in out:
            out.append(v)
    return out


def edge_values(p: Param) -> list[Fraction]:
    """Exact points at and just inside each end of p's domain, lowest end first.

    A closed end itself; 10^-1 … 10^-12 of the width inside an open (or closed) end; far
    values on logarithmic scales towards an unbounded side; for integers, the first few.
    """
    lo, hi = p.lower, p.upper
    if p.integer:
        ups = [lo + k for k in (0, 1, 2, 3, 10, 100, 10**4, 10**6)] if lo is not None else []
        downs = [hi - k for k in (0, 1, 2, 3, 10, 100, 10**4, 10**6)] if hi is not None else []
        mid = [Fraction(k) for k in (-100, -10, -2, -1, 0, 1, 2, 10, 100)]
        return sorted(_inside(p, ups + downs + mid))
    if lo is not None and hi is not None:
        w = hi - lo
        vals = [lo, *(lo + w * t for t in _INSIDE), lo + w / 2,
                *(hi - w * t for t in reversed(_INSIDE)), hi]
    elif lo is not None:
        vals = [lo, *(lo + s for s in _SCALES)]
    elif hi is not None:
        vals = [*(hi - s for s in reversed(_SCALES)), hi]
    else:
        vals = [*(-s for s in reversed(_SCALES)), Fraction(0), *_SCALES]
    return sorted(_inside(p, vals))


def _clamp(p: Param, v: Fraction, ends: list[Fraction]) -> Fraction:
    """The point of p's domain nearest to v (just inside an open end); ``ends`` = edge_values(p)."""
    if p.integer:
        v = Fraction(math.floor(v + Fraction(1, 2)))
    if p.contains(v) or not ends:
        return v if p.contains(v) else Fraction(0)
    return ends[0] if p.lower is not None and v <= p.lower else ends[-1]


# -- float64 screening: numerics only, to *rank* candidates (Arb decides) --------------------
_Tree = tuple[Any, ...]
_Tri = tuple[np.ndarray, np.ndarray]  # (certainly holds, certainly fails), in float64


def _tree(f: sp.Basic, atoms: list[Relational]) -> _Tree:
    """``f`` as and/or/not over relation atoms (indices into ``atoms``)."""
    if f is sp.true or f is sp.false:
        return ("const", math.inf if f is sp.true else -math.inf)
    if isinstance(f, sp.And | sp.Or):
        return ("and" if isinstance(f, sp.And) else "or", [_tree(a, atoms) for a in f.args])
    if isinstance(f, sp.Not):
        return ("not", _tree(f.args[0], atoms))
    if isinstance(f, sp.Implies):
        return ("or", [("not", _tree(f.args[0], atoms)), _tree(f.args[1], atoms)])
    if isinstance(f, Relational):
        atoms.append(f)
        return ("rel", len(atoms) - 1, f.rel_op)
    return ("const", math.nan)  # an unknown form: never decided, never a candidate


def _atom(op: str, lhs: np.ndarray, rhs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(truth: > 0 where the relation holds with room, holds, fails) of one relation."""
    fin = np.isfinite(lhs) & np.isfinite(rhs)
    d = (lhs - rhs) / (1 + np.abs(lhs) + np.abs(rhs))
    close = np.abs(lhs - rhs) <= _TOL * (np.abs(lhs) + np.abs(rhs))
    holds = {">": lhs > rhs, ">=": lhs >= rhs, "<": lhs < rhs, "<=": lhs <= rhs,
             "==": close, "!=": ~close}[op]
    truth = {">": d, ">=": d, "<": -d, "<=": -d, "==": -np.abs(d), "!=": np.abs(d)}[op]
    return np.where(fin, truth, np.nan), holds & fin, ~holds & fin


def _eval_tree(t: _Tree, atoms: list[tuple[np.ndarray, np.ndarray, np.ndarray]], n: int
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(continuous truth, certainly holds, certainly fails) of a formula tree."""
    kind = t[0]
    if kind == "rel":
        return atoms[t[1]]
    if kind == "const":
        v = float(t[1])
        return np.full(n, v), np.full(n, v > 0), np.full(n, v < 0)
    if kind == "not":
        tr, yes, no = _eval_tree(t[1], atoms, n)
        return -tr, no, yes
    parts = [_eval_tree(c, atoms, n) for c in t[1]]
    if kind == "and":
        return (np.minimum.reduce([p[0] for p in parts]), np.logical_and.reduce(
            [p[1] for p in parts]), np.logical_or.reduce([p[2] for p in parts]))
    return (np.maximum.reduce([p[0] for p in parts]), np.logical_or.reduce(
        [p[1] for p in parts]), np.logical_and.reduce([p[2] for p in parts]))


def _search_hypotheses(ob: Obligation, theorems: bool = True) -> list[sp.Basic]:
    """What certification asks of a point: domains, stated hypotheses, and for each fact its
    side conditions and its conclusion (equalities met up to rounding); a counterexample
    (``theorems=False``) need not meet the instances of theorems about reals."""
    hs = ob.expanded_hypotheses(with_facts=False)
    for f in ob.facts:
        if not theorems and f.theorem:
            continue
        hs += [ob._subst(sc) for sc in f.side_conditions] + [ob._subst(f.conclusion)]
    return [h for h in hs if h is not sp.true]


class _Numeric:
    """An obligation's formulas as one vectorised float64 function."""

    def __init__(self, ob: Obligation, with_claim: bool) -> None:
        self.params = list(ob.params)
        self.wits = [w for f in ob.facts for w in f.witnesses]
        atoms: list[Relational] = []
        self.hyps = [_tree(h, atoms) for h in _search_hypotheses(ob, theorems=not with_claim)]
        claim = ob.expanded_claim() if with_claim else sp.false
        self.claim = _tree(claim, atoms)
        # the claim fails when one of its conjuncts does: the local search aims at each alone
        parts = sorted(claim.args, key=sp.default_sort_key) if isinstance(claim, sp.And) else [
            claim]  # canonical order: sympy's own order of And arguments varies between runs
        self.targets = [self.claim] if len(parts) == 1 else [_tree(c, atoms) for c in parts]
        self.ops = [a.rel_op for a in atoms]
        syms = [p.symbol for p in self.params] + self.wits
        exprs = [e for a in atoms for e in (a.lhs, a.rhs)]
        self.fn = sp.lambdify(syms, exprs, modules="numpy") if exprs else None

    def _atoms(self, X: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        n = X.shape[0]
        if self.fn is None:
            return []
        with np.errstate(all="ignore"):
            try:
                vals = [np.broadcast_to(np.asarray(v, dtype=float), (n,))
                        for v in self.fn(*X.T)]
            except (ArithmeticError, TypeError, ValueError, AttributeError, NameError):
                vals = [np.full(n, np.nan)] * (2 * len(self.ops))
            return [_atom(op, vals[2 * k], vals[2 * k + 1]) for k, op in enumerate(self.ops)]

    def score(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(objectives, one row per conjunct of the claim, 0 where the point is a robust
        candidate; candidate mask; how far the claim holds, lowest first for certification)."""
        n = X.shape[0]
        atoms = self._atoms(X)
        with np.errstate(all="ignore"):
            viol = np.zeros(n)
            ok = np.ones(n, dtype=bool)
            for h in self.hyps:
                t, yes, _ = _eval_tree(h, atoms, n)
                ok &= yes
                viol += np.where(yes, 0.0, np.where(np.isnan(t), np.inf, np.maximum(-t, 1e-300)))
            rank, _, no = _eval_tree(self.claim, atoms, n)
            objs = []
            for c in self.targets:
                t = _eval_tree(c, atoms, n)[0]
                objs.append(viol + np.where(np.isnan(t), np.inf, np.maximum(t + _MARGIN, 0.0)))
        return np.array(objs).reshape(len(self.targets), n), ok & no, rank


# -- the local search's coordinates: each domain mapped onto the whole real line ------------
_U = 40.0  # |u| at most: ends approached to about e^-40 (relative), far sides to about e^40


def _ends(p: Param | None) -> tuple[float | None, float | None]:
    if p is None:
        return None, None
    return (None if p.lower is None else float(p.lower),
            None if p.upper is None else float(p.upper))


def _to_u(p: Param | None, x: np.ndarray) -> np.ndarray:
    lo, hi = _ends(p)
    with np.errstate(all="ignore"):
        if lo is not None and hi is not None:
            s = (x - lo) / (hi - lo)
            u = np.log(s) - np.log1p(-s)
        elif lo is not None:
            u = np.log(x - lo)
        elif hi is not None:
            u = np.log(hi - x)
        else:
            u = np.arcsinh(x)
    return np.clip(np.nan_to_num(u, nan=0.0, posinf=_U, neginf=-_U), -_U, _U)


def _from_u(p: Param | None, u: np.ndarray) -> np.ndarray:
    lo, hi = _ends(p)
    u = np.clip(u, -_U, _U)
    if lo is not None and hi is not None:
        x = lo + (hi - lo) / (1 + np.exp(-u))
    elif lo is not None:
        x = lo + np.exp(u)
    elif hi is not None:
        x = hi - np.exp(u)
    else:
        x = np.sinh(u)
    return np.round(x) if p is not None and p.integer else x


def _exact(p: Param | None, x: float) -> Fraction | None:
    """A short rational for a float coordinate, inside p's domain (None if there is none)."""
    if not math.isfinite(x):
        return None
    if p is not None and p.integer:
        v = Fraction(round(x))
        return v if p.contains(v) else None
    v = Fraction(repr(float(x)))  # the shortest decimal that reads back as x
    if p is None or p.contains(v):
        return v
    v = Fraction(x)
    return v if p.contains(v) else None


def _float(v: Fraction) -> float:
    try:
        return float(v)
    except OverflowError:
        return math.inf if v > 0 else -math.inf


# -- one obligation's search --------------------------------------------------------------
_Accept = Callable[[dict[str, Fraction], str], Any]
_NEAR = [Fraction(1, 10**k) for k in (9, 6, 3, 1)]  # relative steps around a solver model


class _Run:
    """The search after the solver models: float64 screens batches of points, Arb judges."""

    def __init__(self, num: _Numeric, budget: SearchBudget, seed: int, accept: _Accept) -> None:
        self.num, self.budget, self.accept = num, budget, accept
        self.coords: list[Param | None] = [*num.params, *([None] * len(num.wits))]
        self.names = [p.name for p in num.params] + [w.name for w in num.wits]
        self.edges = [edge_values(p) if p is not None else [Fraction(-1), Fraction(0), Fraction(1)]
                      for p in self.coords]
        self.rng = np.random.default_rng(seed)
        self.left = budget.certify
        self.tried: set[tuple[Fraction, ...]] = set()
        # local-search starting points: (objective, order found, conjunct aimed at, point)
        self.pool: list[tuple[float, int, int, np.ndarray]] = []

    def screen(self, X: np.ndarray, exact: list[dict[str, Fraction]] | None, source: str,
               keep: bool = True) -> tuple[Any, np.ndarray]:
        """Certify the batch's candidates, most clearly failing first; remember its best points."""
        obj, ok, rank = self.num.score(X)
        for k, row in enumerate(obj if keep else ()):
            fin = np.nonzero(np.isfinite(row))[0]
            for i in fin[np.argsort(row[fin], kind="stable")][: self.budget.starts]:
                self.pool.append((float(row[i]), len(self.pool), k, X[i].copy()))
        idx = np.nonzero(ok)[0]
        for i in idx[np.argsort(rank[idx], kind="stable")]:
            if self.left <= 0:
                break
            pt = exact[i] if exact is not None else self._point(X[i])
            found = self._try(pt, source)
            if found is not None:
                return (found if exact is not None else self._simplify(pt, found, source)), obj
        return None, obj

    def _point(self, row: np.ndarray) -> dict[str, Fraction] | None:
        vals = [_exact(p, float(x)) for p, x in zip(self.coords, row, strict=True)]
        if any(v is None for v in vals):
            return None
        return dict(zip(self.names, vals, strict=True))  # type: ignore[arg-type]

    def _try(self, pt: dict[str, Fraction] | None, source: str) -> Any:
        if pt is None:
            return None
        key = tuple(pt[n] for n in self.names)
        if key in self.tried:
            return None
        self.tried.add(key)
        self.left -= 1
        return self.accept(pt, source)

    def _simplify(self, pt: dict[str, Fraction], found: Any, source: str) -> Any:
        """A shorter witness: each coordinate rounded to 1, 2, 3 or 6 significant digits where
        the rounded point is still certified."""
        for name, p in zip(self.names, self.coords, strict=True):
            if (p is not None and p.integer) or not math.isfinite(_float(pt[name])):
                continue
            for k in (1, 2, 3, 6):
                v = Fraction(f"{_float(pt[name]):.{k}g}")
                if v == pt[name] or (p is not None and not p.contains(v)):
                    continue
                again = self.accept({**pt, name: v}, source)
                if again is not None:
                    pt, found = {**pt, name: v}, again
                    break
        return found

    def matrix(self, pts: list[dict[str, Fraction]]) -> np.ndarray:
        return np.array([[_float(pt[n]) for n in self.names] for pt in pts],
                        dtype=float).reshape(len(pts), len(self.names))

    def _start(self, seed: dict[str, Fraction]) -> dict[str, Fraction]:
        """A solver model moved into the domains (integers rounded, open ends just inside)."""
        base: dict[str, Fraction] = {}
        for name, p, ends in zip(self.names, self.coords, self.edges, strict=True):
            raw = seed.get(name)
            v = Fraction(raw) if raw is not None else None
            if p is None:
                base[name] = v if v is not None else Fraction(0)
            else:
                mid = p.default if p.default is not None else Fraction(1, 2)
                base[name] = _clamp(p, v if v is not None else mid, ends)
        return base

    def around(self, seed: dict[str, Fraction]) -> list[dict[str, Fraction]]:
        """A solver model, each coordinate moved alone by 10^-9 … 10^-1 (relative), and random
        joint moves of the same sizes."""
        base = self._start(seed)
        out = [base]
        for name, p, ends in zip(self.names, self.coords, self.edges, strict=True):
            v = base[name]
            steps = ([Fraction(k) for k in (1, 2, 10)] if p is not None and p.integer
                     else [t * (abs(v) or 1) for t in _NEAR])
            for st in steps:
                for w in (v - st, v + st):
                    out.append({**base, name: w if p is None else _clamp(p, w, ends)})
        for _ in range(self.budget.neighbours):
            rel = float(_NEAR[int(self.rng.integers(len(_NEAR)))])
            pt = dict(base)
            for name, p, g in zip(self.names, self.coords,
                                  self.rng.standard_normal(len(self.names)), strict=True):
                x = _float(base[name]) * (1 + rel * g) if base[name] else rel * g
                v = _exact(p, x)
                pt[name] = v if v is not None else base[name]
            out.append(pt)
        return out

    def vertices(self) -> list[dict[str, Fraction]]:
        """End points: each coordinate alone through its end points (the others central), all
        corners (outermost, then just inside) when there are few, then random combinations."""
        edges = self.edges
        if any(not e for e in edges):
            return []
        mid = [e[len(e) // 2] for e in edges]
        pts: list[tuple[Fraction, ...]] = [tuple(mid)]
        for k, e in enumerate(edges):
            pts += [(*mid[:k], v, *mid[k + 1:]) for v in e]
        for inner in (0, 1):
            ends = [(e[min(inner, len(e) - 1)], e[max(len(e) - 1 - inner, 0)]) for e in edges]
            if 2 ** len(ends) <= self.budget.vertices // 2:
                pts += list(itertools.product(*ends))
        extra = max(self.budget.vertices - len(pts), 0)
        picks = [self.rng.integers(0, len(e), size=extra) for e in edges]
        pts += [tuple(e[int(c[j])] for e, c in zip(edges, picks, strict=True))
                for j in range(extra)]
        unique = list(dict.fromkeys(pts))
        return [dict(zip(self.names, pt, strict=True)) for pt in unique]

    def _wide_column(self, p: Param | None, n: int) -> np.ndarray:
        """n values of one coordinate on logarithmic scales (ends approached to 10^-12)."""
        r, g = self.rng.random(n), self.rng.uniform(-12, 6, n)
        lo, hi = _ends(p)
        if p is not None and p.integer:
            small = self.rng.integers(0, 13, n).astype(float)
            far = np.floor(10 ** np.abs(g))
            step = np.where(r < 0.5, small, far)
            x = lo + step if lo is not None else (hi - step if hi is not None else
                                                  self.rng.integers(-1000, 1001, n) * 1.0)
            return np.clip(x, lo if lo is not None else -np.inf, hi if hi is not None else np.inf)
        if lo is not None and hi is not None:
            w = hi - lo
            near = w * 10 ** np.minimum(g, -1)
            return np.where(r < 0.7, lo + self.rng.random(n) * w,
                            np.where(r < 0.85, lo + near, hi - near))
        if lo is not None:
            return lo + 10**g
        if hi is not None:
            return hi - 10**g
        sign = np.where(self.rng.random(n) < 0.5, -1.0, 1.0)
        return np.where(r < 0.05, 0.0, sign * 10 ** np.clip(g, -8, 6))

    def wide(self) -> np.ndarray:
        n = self.budget.wide
        if not self.coords:
            return np.zeros((1, 0))
        return np.column_stack([self._wide_column(p, n) for p in self.coords])

    def _starts(self) -> list[tuple[int, np.ndarray]]:
        """The best points seen, taken in turn for each conjunct of the claim."""
        ranked = sorted(self.pool, key=lambda t: (t[0], t[1]))
        queues = [[x for _, _, k, x in ranked if k == t] for t in range(len(self.num.targets))]
        out: list[tuple[int, np.ndarray]] = []
        while len(out) < self.budget.starts and any(queues):
            for t, q in enumerate(queues):
                while q and any(k == t and np.array_equal(q[0], x) for k, x in out):
                    q.pop(0)
                if q and len(out) < self.budget.starts:
                    out.append((t, q.pop(0)))
        return out

    def descend(self, source: str) -> Any:
        """Pattern search from the best points seen, all starts in one batch per iteration, on
        the objective 'hypotheses violated, then a conjunct of the claim still holding', in
        coordinates that make every domain the whole line; candidates met are certified."""
        starts = self._starts()
        dims = len(self.coords)
        if not starts or dims == 0:
            return None
        targets = np.array([t for t, _ in starts])
        u = np.array([[_to_u(p, np.array([v]))[0] for p, v in zip(self.coords, x, strict=True)]
                      for _, x in starts])
        best = np.full(len(starts), np.inf)
        step = np.ones(len(starts))
        base = np.vstack([np.zeros(dims), np.eye(dims), -np.eye(dims)])
        for _ in range(self.budget.steps):
            live = np.nonzero(step >= 1e-9)[0]
            if self.left <= 0 or live.size == 0:
                break
            moves = np.vstack([base, self.rng.standard_normal((4, dims))])
            U = (u[live, None, :] + step[live, None, None] * moves[None, :, :]).reshape(-1, dims)
            X = np.column_stack([_from_u(p, U[:, k]) for k, p in enumerate(self.coords)])
            found, obj = self.screen(X, None, source, keep=False)
            if found is not None:
                return found
            for j, s in enumerate(live):
                row = obj[targets[s], j * len(moves):(j + 1) * len(moves)]
                i = int(np.argmin(row))
                if row[i] < best[s]:
                    u[s], best[s] = U[j * len(moves) + i], row[i]
                    step[s] = min(step[s] * 2, 8.0) if i else step[s] / 2
                else:
                    step[s] /= 2
        return None


def _explore(run: _Run) -> Any:
    """Domain end points, wide sampling, then local search from the best points seen."""
    ends = run.vertices()
    found, _ = run.screen(run.matrix(ends), ends, "domain end point, certified in Arb")
    if found is None:
        found, _ = run.screen(run.wide(), None, "float64 sampling, certified in Arb")
    if found is None:
        found = run.descend("local search, certified in Arb")
    return found


class CounterexampleSearch:
    """Solver models, their neighbourhoods, domain vertices, wide sampling, local search and
    50-digit mpmath sampling, in that order; every candidate goes to Arb for certification.

    Deterministic: the random choices are seeded by the obligation's id (CRC-32) and the work
    is bounded by counts (:class:`SearchBudget`), never by wall-clock time.
    """

    name = "mpmath-search"

    def __init__(self, samples: int = 600, seed: int = 20230419,
                 budget: SearchBudget | None = None) -> None:
        self.samples = samples
        self.seed = seed
        self.budget = budget or SearchBudget()

    def _predicates(self, ob: Obligation, theorems: bool = True
                    ) -> tuple[list[sp.Symbol], list[Callable[..., bool]]]:
        syms = [p.symbol for p in ob.params] + [w for f in ob.facts for w in f.witnesses]
        hyps = [_compile(h, syms) for h in _search_hypotheses(ob, theorems)]
        return syms, hyps

    def _seed(self, ob: Obligation) -> int:
        return zlib.crc32(ob.id.encode("utf-8")) ^ self.seed

    def find_witness(self, ob: Obligation, seeds: list[dict[str, Fraction]] | None = None
                     ) -> tuple[Witness | None, float]:
        t0 = time.perf_counter()
        # seeds (e.g. SMT models) are tried first, exactly
        for s in seeds or []:
            w = certify_witness(ob, s, "solver model, certified in Arb")
            if w is not None:
                return w, time.perf_counter() - t0
        w = self._staged(ob, seeds or [], lambda pt, src: certify_witness(ob, pt, src), True)
        if w is None:
            w = self._mpmath_witness(ob)
        return w, time.perf_counter() - t0

    def _mpmath_witness(self, ob: Obligation) -> Witness | None:
        with mpmath.workdps(DPS):
            syms, hyps = self._predicates(ob, theorems=False)
            neg = _compile(sp.Not(ob.expanded_claim()), syms)
            for pt in sample_points(ob, self.samples, self.seed):
                args = [mpmath.mpf(pt[s.name].numerator) / pt[s.name].denominator for s in syms]
                if all(h(*args) for h in hyps) and neg(*args):
                    w = certify_witness(ob, pt, "mpmath search (50 digits), certified in Arb")
                    if w is not None:
                        return w
        return None

    def _staged(self, ob: Obligation, seeds: list[dict[str, Fraction]], accept: _Accept,
                with_claim: bool) -> Any:
        """The stages after the exact solver models, each stopping at the first certified point."""
        try:
            num = _Numeric(ob, with_claim)
        except (TypeError, ValueError, KeyError, NameError, SyntaxError):
            return None  # no float form: only the mpmath sampling runs
        run = _Run(num, self.budget, self._seed(ob), accept)
        near = [pt for s in seeds[: self.budget.seeds] for pt in run.around(s)]
        found, _ = run.screen(run.matrix(near), near, "solver model neighbourhood, certified in Arb")
        if found is None:
            found = _explore(run)
        if found is None and near:  # the local search may have been drawn to the models:
            found = _explore(_Run(num, self.budget, self._seed(ob), accept))  # afresh
        return found

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
        return self._staged(ob, seeds or [],
                            lambda pt, _src: pt if certify_hypotheses(ob, pt) else None, False)
