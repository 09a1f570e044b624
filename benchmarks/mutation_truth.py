"""Independent ground truth for mutants: an exact-rational/Arb evaluator and a certified search.

Nothing here imports bebcheck's engines (no ``search``, ``_certified`` or ``arb``): the
evaluator walks sympy expressions itself, exact in ``Fraction`` where it can be and in
python-flint ``arb`` balls otherwise, and a relation is decided only when the exact value or the
whole ball says so.  A mutant is *certainly false* when this module certifies a point at which
every hypothesis certainly holds and the claim certainly fails.

The meaning of an obligation here: for every value of its parameters (in their domains) and of
its lemma witnesses, the stated hypotheses imply the claim, where each lemma instance with a
trusted premise (the probability lemmas: what their variables stand for has no scalar form) is
assumed to apply, its side conditions and conclusion added to the hypotheses.  Instances of
pure real-analysis lemmas are theorems and add nothing, so a counterexample need not satisfy
their side conditions; whether it does is recorded (the pipeline certifies a witness only where
every lemma instance applies).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction

import flint
import sympy as sp
from sympy.core.relational import Relational

from bebcheck.symbolic.obligation import Obligation
from bebcheck.symbolic.params import Param

__all__ = [
    "PREC",
    "Counterexample",
    "Problem",
    "Recheck",
    "Truth",
    "Undecided",
    "build",
    "decide_truth",
    "evaluate",
    "in_domain",
    "pool",
    "precision",
    "pred",
    "recheck",
    "score",
    "tame",
    "term",
]

PREC = 320  # bits of the balls (the pipeline certifies at 256)

Num = Fraction | flint.arb
Env = dict[str, Fraction]
Term = Callable[[Env], Num]
Pred = Callable[[Env], tuple[bool | None, float]]


class Undecided(Exception):
    """A term is undefined at the point, or its value cannot be decided there."""


@contextmanager
def precision(bits: int = PREC) -> Iterator[None]:
    """Arb working precision for the block (the previous one restored after)."""
    old = flint.ctx.prec
    flint.ctx.prec = bits
    try:
        yield
    finally:
        flint.ctx.prec = old


# -- numbers ------------------------------------------------------------------------------
def _arb(x: Num) -> flint.arb:
    if isinstance(x, Fraction):
        return flint.arb(flint.fmpq(x.numerator, x.denominator))
    return x


def _finite(x: flint.arb) -> flint.arb:
    if not x.is_finite():
        raise Undecided("not finite")
    return x


def _sign(x: Num) -> int | None:
    """1, -1 or 0 when certain, else None."""
    if isinstance(x, Fraction):
        return (x > 0) - (x < 0)
    if x > 0:
        return 1
    if x < 0:
        return -1
    return 0 if x.is_exact() and x == 0 else None


def _add(a: Num, b: Num) -> Num:
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a + b
    return _finite(_arb(a) + _arb(b))


def _mul(a: Num, b: Num) -> Num:
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a * b
    if (isinstance(a, Fraction) and a == 0) or (isinstance(b, Fraction) and b == 0):
        return Fraction(0)
    return _finite(_arb(a) * _arb(b))


def _iroot(n: int, k: int) -> int | None:
    """The exact integer k-th root of n >= 0, or None."""
    if n < 2:
        return n
    x = 1 << -(-n.bit_length() // k)
    while (y := ((k - 1) * x + n // x ** (k - 1)) // k) < x:
        x = y
    return x if x**k == n else None


def _exact_power(b: Fraction, k: Fraction) -> Fraction | None:
    """b**k when it is rational (b > 0): sqrt(1/10**12) = 1/10**6."""
    if k.denominator > 64 or abs(k.numerator) > 4096:
        return None
    num, den = _iroot(b.numerator, k.denominator), _iroot(b.denominator, k.denominator)
    return None if num is None or den is None else Fraction(num, den) ** k.numerator


def _pow(b: Num, k: Num) -> Num:
    if isinstance(k, Fraction) and k.denominator == 1:
        n = int(k)
        if n < 0 and _sign(b) in (0, None):
            raise Undecided("division by a value that may be zero")
        if isinstance(b, Fraction):
            if abs(n) > 4096 and abs(b) != 1:
                return _finite(_arb(b) ** n)
            return b**n
        return _finite(b**n)
    if _sign(b) != 1:
        raise Undecided("non-integer power of a value not certainly positive")
    if isinstance(b, Fraction) and isinstance(k, Fraction) and \
            (exact := _exact_power(b, k)) is not None:
        return exact
    return _finite((_arb(k) * _arb(b).log()).exp())


def _log(a: Num) -> Num:
    if _sign(a) != 1:
        raise Undecided("log of a value not certainly positive")
    if isinstance(a, Fraction) and a == 1:
        return Fraction(0)
    return _finite(_arb(a).log())


def _exp(a: Num) -> Num:
    if isinstance(a, Fraction) and a == 0:
        return Fraction(1)
    return _finite(_arb(a).exp())


def _abs(a: Num) -> Num:
    return abs(a)


def _floor(a: Num) -> Num:
    if isinstance(a, Fraction):
        return Fraction(math.floor(a))
    f = a.floor()
    if not (f.is_exact() and f.is_integer()):
        raise Undecided("floor of a ball that straddles an integer")
    return Fraction(int(f.unique_fmpz()))


def _extreme(vals: list[Num], pick_max: bool) -> Num:
    if all(isinstance(v, Fraction) for v in vals):
        return max(vals) if pick_max else min(vals)
    acc = _arb(vals[0])
    for v in vals[1:]:
        acc = acc.max(_arb(v)) if pick_max else acc.min(_arb(v))
    return _finite(acc)


# -- compiling sympy into closures -----------------------------------------------------------
def _fold(parts: list[Term], op: Callable[[Num, Num], Num]) -> Term:
    def f(env: Env) -> Num:
        acc = parts[0](env)
        for p in parts[1:]:
            acc = op(acc, p(env))
        return acc
    return f


_UNARY: dict[type, Callable[[Num], Num]] = {
    sp.log: _log, sp.exp: _exp, sp.Abs: _abs, sp.floor: _floor,
    sp.ceiling: lambda a: -_floor(-a),
}


def term(e: sp.Basic) -> Term:
    """A closure computing ``e`` exactly or as a ball; raises :class:`Undecided`."""
    if isinstance(e, sp.Symbol):
        name = e.name
        return lambda env: env[name]
    if isinstance(e, sp.Rational):
        v = Fraction(int(e.p), int(e.q))
        return lambda env: v
    if e is sp.E:
        return lambda env: _exp(Fraction(1))
    if e is sp.pi:
        return lambda env: flint.arb.pi()
    if isinstance(e, (sp.Add, sp.Mul)):
        return _fold([term(a) for a in e.args], _add if isinstance(e, sp.Add) else _mul)
    if isinstance(e, sp.Pow):
        b, k = term(e.base), term(e.exp)
        return lambda env: _pow(b(env), k(env))
    for kind, fn in _UNARY.items():
        if isinstance(e, kind):
            a = term(e.args[0])
            return lambda env, fn=fn: fn(a(env))
    if isinstance(e, (sp.Max, sp.Min)):
        parts, is_max = [term(a) for a in e.args], isinstance(e, sp.Max)
        return lambda env: _extreme([p(env) for p in parts], is_max)

    def unsupported(env: Env) -> Num:
        raise Undecided(f"cannot evaluate {type(e).__name__}")
    return unsupported


def _float(x: Num) -> float:
    try:
        return float(x) if isinstance(x, Fraction) else float(x.mid())
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def _decide(d: Num, op: str) -> bool | None:
    if isinstance(d, Fraction):
        return {">": d > 0, ">=": d >= 0, "<": d < 0, "<=": d <= 0,
                "==": d == 0, "!=": d != 0}[op]
    certain = {">": (d > 0, d <= 0), ">=": (d >= 0, d < 0), "<": (d < 0, d >= 0),
               "<=": (d <= 0, d > 0), "==": (False, d > 0 or d < 0),
               "!=": (d > 0 or d < 0, False)}[op]
    return True if certain[0] else False if certain[1] else None


_SIGNED = {">": 1, ">=": 1, "<": -1, "<=": -1}


def _relation(r: Relational) -> Pred:
    lhs, rhs, op = term(r.lhs), term(r.rhs), r.rel_op

    def p(env: Env) -> tuple[bool | None, float]:
        try:
            d = _add(lhs(env), _mul(Fraction(-1), rhs(env)))
        except (Undecided, ZeroDivisionError, ValueError, OverflowError):
            return None, -math.inf
        m = _float(d)
        margin = _SIGNED[op] * m if op in _SIGNED else (-abs(m) if op == "==" else abs(m))
        return _decide(d, op), margin
    return p


def _kleene_and(vals: list[tuple[bool | None, float]]) -> tuple[bool | None, float]:
    truths = [t for t, _ in vals]
    t = False if False in truths else (None if None in truths else True)
    return t, min((m for _, m in vals), default=math.inf)


def pred(f: sp.Basic) -> Pred:
    """A three-valued predicate (True, False, None: undecided) with a float margin."""
    if f is sp.true:
        return lambda env: (True, math.inf)
    if f is sp.false:
        return lambda env: (False, -math.inf)
    if isinstance(f, Relational):
        return _relation(f)
    if isinstance(f, sp.Not):
        a = pred(f.args[0])
        return lambda env: ((None if (t := a(env))[0] is None else not t[0]), -t[1])
    if isinstance(f, sp.Implies):
        return pred(sp.Or(sp.Not(f.args[0]), f.args[1], evaluate=False))
    if isinstance(f, (sp.And, sp.Or)):
        parts, conj = [pred(a) for a in f.args], isinstance(f, sp.And)

        def p(env: Env) -> tuple[bool | None, float]:
            vals = [q(env) for q in parts]
            if conj:
                return _kleene_and(vals)
            t, m = _kleene_and([(None if v is None else not v, -x) for v, x in vals])
            return (None if t is None else not t), -m
        return p
    return lambda env: (None, -math.inf)


# -- what an obligation means ----------------------------------------------------------------
def in_domain(p: Param | None, v: Fraction) -> bool:
    """``v`` lies in the parameter's domain (a lemma witness, ``None``, ranges over the reals)."""
    if p is None:
        return True
    if p.integer and v.denominator != 1:
        return False
    if p.lower is not None and (v < p.lower or (p.lower_open and v == p.lower)):
        return False
    return p.upper is None or not (v > p.upper or (p.upper_open and v == p.upper))


def _substitute(ob: Obligation, e: sp.Basic) -> sp.Basic:
    """The obligation's definitions substituted until nothing changes."""
    defs = dict(ob.definitions)
    for _ in range(len(defs) + 1):
        new = e.xreplace(defs)
        if new == e:
            break
        e = new
    return e


@dataclass
class Problem:
    """An obligation compiled for evaluation at rational points."""

    params: dict[str, Param | None]
    hyps: list[tuple[str, Pred]]
    claim: Pred
    sides: Pred  # the real-analysis lemmas' side conditions (can the pipeline accept a point?)
    repairs: list[tuple[str, Term]] = field(default_factory=list)  # hypotheses sym = expr
    newton: list[tuple[str, Term]] = field(default_factory=list)  # x - e/(de/dx), e = lhs - rhs


def _relations(f: sp.Basic) -> Iterator[Relational]:
    if isinstance(f, Relational):
        yield f
    elif isinstance(f, (sp.And, sp.Or, sp.Not)):
        for a in f.args:
            yield from _relations(a)


def _newton(formulas: list[sp.Basic], params: dict[str, Param | None]) -> list[tuple[str, Term]]:
    """For each relation and each parameter in it, a Newton step towards where it is tight
    (exact in one step when the relation is linear in the parameter)."""
    out = []
    for f in formulas:
        for rel in _relations(f):
            e = rel.lhs - rel.rhs
            for x in sorted(e.free_symbols, key=lambda s: s.name):
                if x.name in params and (d := sp.diff(e, x)) != 0 and not d.has(sp.Derivative):
                    out.append((x.name, term(x - e / d)))
    return out


def build(ob: Obligation) -> Problem:
    """The mutant's meaning: domains ∧ stated hypotheses ∧ trusted premises ⇒ claim."""
    hyps = [_substitute(ob, h) for h in ob.hypotheses]
    analysis = []  # side conditions of the real-analysis lemma instances
    for f in ob.facts:
        sides = [_substitute(ob, s) for s in f.side_conditions]
        if f.lemma.premise or f.witnesses:  # a trusted premise: the instance is assumed to apply
            hyps += [*sides, _substitute(ob, f.conclusion)]
        else:
            analysis += sides
    params: dict[str, Param | None] = {p.name: p for p in ob.params}
    for f in ob.facts:
        params.update({w.name: None for w in f.witnesses})
    repairs = []
    for h in hyps:
        if isinstance(h, sp.Eq):
            for a, b in ((h.lhs, h.rhs), (h.rhs, h.lhs)):
                if isinstance(a, sp.Symbol) and a.name in params and a not in b.free_symbols:
                    repairs.append((a.name, term(b)))
                    break
    claim = _substitute(ob, ob.claim)
    return Problem(params, [(sp.sstr(h), pred(h)) for h in hyps], pred(claim),
                   pred(sp.And(*analysis)), repairs, _newton([*hyps, claim], params))


@dataclass(frozen=True)
class Recheck:
    """An independent check of a point offered as a counterexample."""

    ok: bool
    why: str = ""


def evaluate(problem: Problem, env: Env) -> tuple[bool, bool]:
    """(every hypothesis certainly holds, the claim certainly fails) at a point of the domains."""
    for _, h in problem.hyps:
        if h(env)[0] is not True:
            return False, False
    return True, problem.claim(env)[0] is False


def recheck(ob: Obligation, values: dict[str, Fraction]) -> Recheck:
    """Is ``values`` a counterexample of ``ob``: every hypothesis certainly holds, the claim
    certainly fails?  Exact rationals, else Arb balls at :data:`PREC` bits, then at 8 times
    that when something is undecided."""
    first = _recheck(ob, values, PREC)
    return first if first.ok or "undecided" not in first.why else _recheck(ob, values, 8 * PREC)


def _recheck(ob: Obligation, values: dict[str, Fraction], bits: int) -> Recheck:
    with precision(bits):
        problem = build(ob)
        env: Env = {}
        for name, p in problem.params.items():
            if name not in values:
                return Recheck(False, f"no value for {name}")
            env[name] = Fraction(values[name])
            if not in_domain(p, env[name]):
                return Recheck(False, f"{name} = {env[name]} is outside {p.describe()}")
        for text, h in problem.hyps:
            t = h(env)[0]
            if t is not True:
                state = "undecided" if t is None else "false"
                return Recheck(False, f"hypothesis {text} is {state} at the witness")
        t = problem.claim(env)[0]
        if t is not False:
            return Recheck(False, "the claim " + ("holds" if t else "is undecided")
                           + " at the witness")
        return Recheck(True)


# -- the independent search ------------------------------------------------------------------
_SPECIAL = [Fraction(x) for x in (
    "0", "1", "-1", "1/2", "2", "1/10", "9/10", "1/3", "2/3", "3", "10", "-1/2", "-2", "1/100",
    "99/100", "100", "1000", "-10", "1/1000", "999/1000", "5", "3/2", "7/10", "-1000")]
_LOG = [Fraction(10) ** k for k in range(-9, 10)]


def pool(p: Param | None) -> list[Fraction]:
    """Values worth trying for a parameter: its end points, near them, specials, powers of 10."""
    vals: list[Fraction] = []
    lo, hi = (p.lower, p.upper) if p is not None else (None, None)
    for b, s in ((lo, 1), (hi, -1)):
        if b is not None:
            vals += [b, b + s, b + 2 * s] + [b + s * Fraction(1, 10**k) for k in (1, 3, 6, 9)]
    if p is not None and p.integer:
        base = int(lo) if lo is not None else 0
        vals += [Fraction(base + k) for k in (*range(13), 15, 19, 31, 49, 99, 999, 10**4, 10**6)]
    vals += _SPECIAL + _LOG + [-v for v in _LOG]
    if lo is not None and hi is not None:
        vals.append((lo + hi) / 2)  # never empty: a bounded domain has its midpoint
    return [v for v in dict.fromkeys(vals) if in_domain(p, v)]


def _random_value(p: Param | None, rng: random.Random) -> Fraction:
    lo, hi = (p.lower, p.upper) if p is not None else (None, None)
    if p is not None and p.integer:
        base = int(lo) if lo is not None else -20
        top = int(hi) if hi is not None else base + int(10 ** rng.uniform(0, 4))
        return Fraction(rng.randint(base, max(base, top)))
    if lo is not None and hi is not None:
        if rng.random() < 0.3:
            den = rng.randint(2, 20)
            return lo + (hi - lo) * Fraction(rng.randint(1, den - 1), den)
        return lo + (hi - lo) * Fraction(rng.randint(1, 2**20 - 1), 2**20)
    mag = Fraction(10 ** rng.uniform(-7, 7))
    if lo is not None:
        return lo + mag
    if hi is not None:
        return hi - mag
    return mag * rng.choice((1, -1)) if rng.random() < 0.7 else Fraction(rng.uniform(-10, 10))


def _draw(p: Param | None, values: list[Fraction], rng: random.Random,
          assigned: list[Fraction]) -> Fraction:
    r = rng.random()
    if r < 0.15 and assigned:
        v = rng.choice(assigned)
        if in_domain(p, v):
            return v
    v = rng.choice(values) if r < 0.55 else _random_value(p, rng)
    return v if in_domain(p, v) else rng.choice(values)


def _repair(problem: Problem, env: Env) -> Env:
    """Set ``x := expr`` for each hypothesis x = expr whose right side is exact at the point."""
    for name, t in problem.repairs:
        try:
            v = t(env)
        except (Undecided, ZeroDivisionError, ValueError, OverflowError):
            continue
        if isinstance(v, Fraction) and in_domain(problem.params[name], v):
            env[name] = v
    return env


def tame(v: Fraction) -> Fraction | None:
    """``v`` with at most 160 bits after the binary point (None beyond 1e40): repeated moves
    would otherwise grow denominators without bound."""
    if abs(v) > 10**40:
        return None
    if v.denominator.bit_length() > 200:
        return Fraction(round(v * 2**160), 2**160)
    return v


def _rational(x: Num) -> Fraction | None:
    if isinstance(x, Fraction):
        return tame(x)
    m = _float(x)
    return Fraction(m) if math.isfinite(m) and abs(m) <= 1e40 else None


def _tighten(problem: Problem, env: Env, rng: random.Random) -> Env | None:
    """One Newton step on one relation (maybe just past where it is tight), or None."""
    if not problem.newton:
        return None
    name, step = rng.choice(problem.newton)
    try:
        v = _rational(step(env))
    except (Undecided, ZeroDivisionError, ValueError, OverflowError, KeyError):
        return None
    if v is None:
        return None
    k = rng.choice((0, 0, 3, 6, 9, 12))
    if k:
        v += rng.choice((1, -1)) * max(Fraction(1), abs(v)) / 10**k
    p = problem.params[name]
    if p is not None and p.integer:
        v = Fraction(math.floor(v) + rng.choice((0, 1)))
    v = tame(v)
    return _repair(problem, {**env, name: v}) if v is not None and in_domain(p, v) else None


def _grid(problem: Problem, pools: dict[str, list[Fraction]], limit: int) -> Iterator[Env]:
    names = list(problem.params)
    k = max(2, int(limit ** (1 / max(1, len(names)))))
    if k ** len(names) > 4 * limit:
        return
    axes = [pools[n][:k] for n in names]
    idx = [0] * len(names)
    while True:
        yield {n: axes[i][idx[i]] for i, n in enumerate(names)}
        j = 0
        while j < len(names) and idx[j] == len(axes[j]) - 1:
            idx[j] = 0
            j += 1
        if j == len(names):
            return
        idx[j] += 1


def _stream(problem: Problem, rng: random.Random, samples: int) -> Iterator[tuple[Env, str]]:
    pools = {n: pool(p) for n, p in problem.params.items()}
    for env in _grid(problem, pools, samples):
        yield _repair(problem, env), "grid"
    for _ in range(samples):
        env: Env = {}
        for n, p in problem.params.items():
            env[n] = _draw(p, pools[n], rng, list(env.values()))
        env = _repair(problem, env)
        for _ in range(rng.choice((0, 0, 1, 2, 3))):
            env = _tighten(problem, env, rng) or env
        yield env, "random"


def _violation(t: bool | None, margin: float) -> float:
    """0 when certainly true; else 1 plus the (log-scaled) amount by which it fails."""
    if t is True:
        return 0.0
    return 1.0 + math.log1p(min(max(-margin, 0.0), 1e300))


def score(problem: Problem, env: Env) -> float:
    """How far the point is from a counterexample (0: hypotheses certain, claim certainly false)."""
    s = sum(_violation(*h(env)) for _, h in problem.hyps)
    t, m = problem.claim(env)
    return s + _violation(None if t is None else not t, -m)


def _move(p: Param | None, v: Fraction, rng: random.Random, values: list[Fraction],
          others: list[Fraction]) -> Fraction:
    r = rng.random()
    if r < 0.1:
        return rng.choice(values)
    if r < 0.2 and others:
        return rng.choice(others)
    if p is not None and p.integer:
        return v + rng.choice((1, -1, 2, -2, 5, -5, 50, -50)) if r < 0.8 else v * 2
    step = Fraction(1, 10 ** rng.randint(0, 9)) * max(Fraction(1), abs(v))
    return rng.choice((v * 2, v / 2, v + step, v - step, -v, v * Fraction(11, 10)))


def _descend(problem: Problem, start: Env, rng: random.Random, steps: int,
             pools: dict[str, list[Fraction]]) -> Iterator[Env]:
    """Random coordinate moves that do not increase the score; yields points of score 0."""
    cur, best = dict(start), score(problem, start)
    names = list(problem.params)
    for _ in range(steps):
        if rng.random() < 0.3:
            cand = _tighten(problem, cur, rng)
            if cand is None:
                continue
        else:
            n = rng.choice(names)
            v = tame(_move(problem.params[n], cur[n], rng, pools[n],
                           [cur[m] for m in names if m != n]))
            if v is None or not in_domain(problem.params[n], v) or v == cur[n]:
                continue
            cand = _repair(problem, {**cur, n: v})
        s = score(problem, cand)
        if s <= best:
            cur, best = cand, s
            if s == 0.0:
                yield cur



@dataclass(frozen=True)
class Counterexample:
    """A certified point: every hypothesis certainly holds there and the claim certainly fails."""

    values: dict[str, Fraction]
    lemmas_apply: bool  # every lemma instance's side conditions certainly hold at the point
    found_by: str


@dataclass(frozen=True)
class Truth:
    """What the independent search established about one mutant."""

    counterexample: Counterexample | None
    hypothesis_point: dict[str, Fraction] | None  # a certified point of the hypotheses
    points: int

    @property
    def certainly_false(self) -> bool:
        return self.counterexample is not None


def _simplify(problem: Problem, env: Env) -> Env:
    """The counterexample with each coordinate rounded to the simplest rational that keeps it
    one (and keeps the lemmas applying where they did)."""
    applies = problem.sides(env)[0] is True
    env = dict(env)
    for name, p in problem.params.items():
        for den in (1, 10, 100, 1000, 10**4, 10**6, 10**9):
            v = env[name].limit_denominator(den)
            if v == env[name] or not in_domain(p, v):
                continue
            cand = {**env, name: v}
            if evaluate(problem, cand) == (True, True) and (
                    not applies or problem.sides(cand)[0] is True):
                env = cand
                break
    return env


def _found(problem: Problem, env: Env, how: str) -> Counterexample:
    env = _simplify(problem, env)
    return Counterexample(env, problem.sides(env)[0] is True, how)


def decide_truth(ob: Obligation, seed: int = 0, samples: int = 1500, starts: int = 12,
                 steps: int = 400) -> Truth:
    """Grid, random and local search for a certified counterexample of ``ob``.

    The first counterexample at which every lemma instance applies ends the search; one where
    some lemma's side conditions fail is kept while the search looks on for a better one.
    """
    with precision():
        problem = build(ob)
        rng = random.Random(f"{seed}/{ob.id}")
        pools = {n: pool(p) for n, p in problem.params.items()}
        loose: Counterexample | None = None
        hyp_point: Env | None = None
        ranked: list[tuple[float, int, Env]] = []
        n = 0
        for n, (env, how) in enumerate(_stream(problem, rng, samples), 1):
            holds, fails = evaluate(problem, env)
            hyp_point = hyp_point or (env if holds else None)
            if holds and fails:
                cx = _found(problem, env, how)
                if cx.lemmas_apply:
                    return Truth(cx, hyp_point, n)
                loose = loose or cx
            elif n % 7 == 0 or holds:
                ranked.append((score(problem, env), n, env))
        ranked.sort(key=lambda r: (r[0], r[1]))
        for _, _, start in ranked[:starts]:
            for env in _descend(problem, start, rng, steps, pools):
                n += 1
                hyp_point = hyp_point or env
                cx = _found(problem, env, "local search")
                if cx.lemmas_apply:
                    return Truth(cx, hyp_point, n)
                loose = loose or cx
                break
            n += steps
        return Truth(loose, hyp_point, n)
